-- Parallel query: combine must be exercised and equal the serial result
-- within 1e-12 relative; results do not depend on row order or on how the
-- rows are split.
SELECT setseed(0.25);
-- Outcomes around 1e6, an effect of 0.1 + 0.02 g.  Chosen so that the
-- comparisons measure the aggregate, not the conditioning of a column: the
-- intervals stay away from zero (a bound near zero has no relative
-- accuracy to speak of), and |t| stays moderate (a p-value's relative error
-- is about t^2 times that of t, so at p = 1e-33 a last-bit change in t moves
-- p by 1e-12).
CREATE TABLE big AS
SELECT i, t, g, 1e6 + 50 * random() + CASE WHEN t THEN 0.1 + 0.02 * g ELSE 0 END AS y
FROM (SELECT i, random() < 0.4 AS t, (i % 7)::int AS g FROM generate_series(1, 300000) i) s;
ANALYZE big;

-- relative closeness of two hte_ate rows, every column
CREATE FUNCTION close(a hte_ate, b hte_ate, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT bool_and(CASE WHEN x IS NULL AND z IS NULL THEN true
                         WHEN x IS NULL OR z IS NULL THEN false
                         ELSE abs(x - z) <= tol * greatest(abs(x), abs(z)) END)
    FROM unnest(ARRAY[a.estimate, a.std_error, a.ci_lower, a.ci_upper, a.p_value, a.df,
                      a.n_treated, a.n_control, a.mean_treated, a.mean_control, a.sd_treated, a.sd_control],
                ARRAY[b.estimate, b.std_error, b.ci_lower, b.ci_upper, b.p_value, b.df,
                      b.n_treated, b.n_control, b.mean_treated, b.mean_control, b.sd_treated, b.sd_control]) u(x, z) $$;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT ate(y, t) AS r FROM big;
CREATE TEMP TABLE serial_g AS SELECT g, ate(y, t) AS r FROM big GROUP BY g;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ate(y, t) FROM big;
SELECT close((SELECT ate(y, t) FROM big), (SELECT r FROM serial)) AS parallel_equals_serial;
SELECT ((SELECT ate(y, t) FROM big)).n_treated = ((SELECT r FROM serial)).n_treated AS counts_equal;
EXPLAIN (COSTS OFF) SELECT g, ate(y, t) FROM big GROUP BY g;
SELECT bool_and(close(p.r, s.r)) AS grouped_parallel_equals_serial, count(*) AS groups
FROM (SELECT g, ate(y, t) AS r FROM big GROUP BY g) p JOIN serial_g s USING (g);
-- integer treatment and boolean outcome in parallel too
SELECT close((SELECT ate(y, t::int) FROM big), (SELECT r FROM serial)) AS int_treatment_parallel;
SELECT close((SELECT ate(y > 1000025, t) FROM big),
             (SELECT ate(y > 1000025, t) FROM (SELECT * FROM big ORDER BY i) s)) AS bool_outcome_parallel;
-- a worker that sees no rows: its empty state must combine cleanly
SELECT close((SELECT ate(y, t) FROM big WHERE i <= 10), (SELECT ate(y, t) FROM (SELECT * FROM big WHERE i <= 10 ORDER BY i) s)) AS sparse_parallel;
SELECT ate(y, t) IS NULL AS no_rows_parallel FROM big WHERE i < 0;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;

-- Permutation invariance: the same rows in another order.
SET max_parallel_workers_per_gather = 0;
SELECT close((SELECT ate(y, t) FROM (SELECT * FROM big ORDER BY md5(i::text)) s), (SELECT r FROM serial)) AS permuted_equals;
SELECT close((SELECT ate(y, t) FROM (SELECT * FROM big ORDER BY i DESC) s), (SELECT r FROM serial)) AS reversed_equals;

-- Split and merge: states of two halves combined equal the whole.
CREATE AGGREGATE ate_raw_state(float8, boolean) (SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}');
SELECT close(hte_ate_final(hte_ate_combine(a.s, b.s)), (SELECT r FROM serial)) AS split_merge_equals
FROM (SELECT ate_raw_state(y, t) AS s FROM big WHERE i % 3 = 0) a,
     (SELECT ate_raw_state(y, t) AS s FROM big WHERE i % 3 <> 0) b;
-- A state keeps its 11-element form for its first 64 rows (small groups stay
-- small), then switches to the 45-element buffered form.
SELECT array_length(ate_raw_state(y, t), 1) AS len_63 FROM big WHERE i <= 63;
SELECT array_length(ate_raw_state(y, t), 1) AS len_65 FROM big WHERE i <= 65;
-- A hand-made initial state is checked on its first rows, in either form.
CREATE AGGREGATE forged_one_row(float8, boolean) (SFUNC = hte_ate_trans, STYPE = float8[], FINALFUNC = hte_ate_final,
    INITCOND = '{1,1,5,0,3,0,0,0,0,0,0}');
SELECT forged_one_row(y, false) FROM big WHERE i <= 3;
CREATE AGGREGATE forged_pending(float8, boolean) (SFUNC = hte_ate_trans, STYPE = float8[], FINALFUNC = hte_ate_final,
    INITCOND = '{1,0,0,0,0,0,0,0,0,0,0,15.5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT forged_pending(y, false) FROM big WHERE i <= 3;
-- The aggregate's state is the 45-element buffered form (rows still pending
-- in a block); combining folds them in, exactly as the final function does.
-- Merging with an empty state then changes nothing, on either side.
SELECT array_length(s, 1) AS len, s[12] + s[13] > 0 AS pending,
       hte_ate_final(s) IS NOT DISTINCT FROM hte_ate_final(f) AS fold_equals,
       hte_ate_combine(f, e) = f AS right_empty, hte_ate_combine(e, f) = f[1:11] AS left_empty,
       (hte_ate_combine(f, e))[12:13] = '{0,0}' AS none_pending
FROM (SELECT s, hte_ate_combine(s, e) AS f, e
      FROM (SELECT ate_raw_state(y, t) AS s, '{1,0,0,0,0,0,0,0,0,0,0}'::float8[] AS e FROM big WHERE i <= 1003) v) w;
RESET max_parallel_workers_per_gather;
