-- Stored, mergeable states (hte_ate_state, hte_interaction_state,
-- hte_adjusted_state): rollups of daily states across days and sites
-- equal the aggregate over the raw rows (1e-12 relative, every column);
-- text and binary round trips are bit-exact under any extra_float_digits;
-- malformed values are class-22 errors.  The aggregates over rows are
-- checked against R in their own suites; here the states must give the
-- same numbers.

-- largest relative difference between two results, column by column and
-- element by element; NULL must meet NULL
CREATE FUNCTION max_rel(a jsonb, b jsonb) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    m float8 := 0;
    k text;
    v jsonb;
BEGIN
    IF jsonb_typeof(a) = 'object' AND jsonb_typeof(b) = 'object' THEN
        FOR k, v IN SELECT * FROM jsonb_each(a) LOOP
            m := greatest(m, max_rel(v, b -> k));
        END LOOP;
        RETURN m;
    ELSIF jsonb_typeof(a) = 'array' AND jsonb_typeof(b) = 'array' THEN
        IF jsonb_array_length(a) <> jsonb_array_length(b) THEN RETURN 'Infinity'; END IF;
        FOR i IN 0 .. jsonb_array_length(a) - 1 LOOP
            m := greatest(m, max_rel(a -> i, b -> i));
        END LOOP;
        RETURN m;
    ELSIF jsonb_typeof(a) = 'number' AND jsonb_typeof(b) = 'number' THEN
        RETURN CASE WHEN a = b THEN 0
               ELSE abs(a::text::float8 - b::text::float8) /
                    greatest(abs(a::text::float8), abs(b::text::float8)) END;
    ELSIF a IS NOT DISTINCT FROM b THEN
        RETURN 0;
    END IF;
    RETURN 'Infinity';
END $$;

-- 40 000 rows from 3 sites over 90 days, outcome far from 0 (1e6 + noise)
CREATE TABLE rr AS
SELECT i, 1 + i % 3 AS site, DATE '2026-01-01' + (hashint4(i) & 1023) % 90 AS day,
       (hashint4(i + 7) % 2 = 0) AS t,
       1e6 + sin(i) * 40 + (hashint4(i + 7) % 2 = 0)::int * (2 + cos(i)) AS y,
       cos(i * 0.7) AS x1, (i % 11) - 5.0 AS x2, sin(i * 1.3) ^ 2 AS x3
FROM generate_series(1, 40000) i;
ANALYZE rr;

-- the daily rollup table a nightly job appends to
CREATE TABLE daily AS
SELECT site, day,
       ate_state(y, t) AS s_ate,
       interaction_test_state(y, t, x1) AS s_it,
       ate_state(y, t, ARRAY[x1, x2, x3]) AS s_adj
FROM rr GROUP BY site, day;
SELECT count(*) AS daily_rows, pg_typeof(s_ate) AS ate_type, pg_typeof(s_it) AS it_type,
       pg_typeof(s_adj) AS adjusted_type
FROM daily GROUP BY 2, 3, 4;

-- the whole trial from the rollups = the aggregate over the rows
SELECT max_rel(to_jsonb((SELECT ate(s_ate) FROM daily)), to_jsonb((SELECT ate(y, t) FROM rr))) <= 1e-12 AS ate_ok,
       max_rel(to_jsonb((SELECT interaction_test(s_it) FROM daily)),
               to_jsonb((SELECT interaction_test(y, t, x1) FROM rr))) <= 1e-12 AS interaction_ok,
       max_rel(to_jsonb((SELECT ate(s_adj) FROM daily)),
               to_jsonb((SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM rr))) <= 1e-12 AS adjusted_ok,
       max_rel(to_jsonb((SELECT interaction_test(s_adj) FROM daily)),
               to_jsonb((SELECT interaction_test(y, t, ARRAY[x1, x2, x3]) FROM rr))) <= 1e-12 AS joint_ok;

-- per site and per month, from the same rollups
SELECT bool_and(max_rel(to_jsonb(r.a), to_jsonb(w.a)) <= 1e-12) AS per_site_ok, count(*) AS sites
FROM (SELECT site, ate(s_ate) a FROM daily GROUP BY site) r
JOIN (SELECT site, ate(y, t) a FROM rr GROUP BY site) w USING (site);
SELECT bool_and(max_rel(to_jsonb(r.a), to_jsonb(w.a)) <= 1e-12) AS per_month_ok, count(*) AS months
FROM (SELECT date_trunc('month', day) m, ate(s_adj) a FROM daily GROUP BY 1) r
JOIN (SELECT date_trunc('month', day) m, ate(y, t, ARRAY[x1, x2, x3]) a FROM rr GROUP BY 1) w USING (m);

-- days merged into months (ate_state(state)), months into the trial
CREATE TABLE monthly AS
SELECT date_trunc('month', day) AS month,
       ate_state(s_ate) AS s_ate, interaction_test_state(s_it) AS s_it,
       ate_state(s_adj) AS s_adj, interaction_test_state(s_adj) AS s_adj2
FROM daily GROUP BY 1;
SELECT max_rel(to_jsonb((SELECT ate(s_ate) FROM monthly)), to_jsonb((SELECT ate(y, t) FROM rr))) <= 1e-12 AS ate_ok,
       max_rel(to_jsonb((SELECT interaction_test(s_it) FROM monthly)),
               to_jsonb((SELECT interaction_test(y, t, x1) FROM rr))) <= 1e-12 AS interaction_ok,
       max_rel(to_jsonb((SELECT interaction_test(s_adj2) FROM monthly)),
               to_jsonb((SELECT interaction_test(y, t, ARRAY[x1, x2, x3]) FROM rr))) <= 1e-12 AS joint_ok,
       (SELECT bool_and(s_adj::text = s_adj2::text) FROM monthly) AS one_state_for_both;

-- a running report: the cumulative result after each day (a window over
-- the states) equals the aggregate over the rows up to that day
SELECT bool_and(max_rel(to_jsonb(c.a), to_jsonb((SELECT ate(y, t) FROM rr WHERE rr.day <= c.day))) <= 1e-12)
         AS cumulative_ok, count(*) AS days
FROM (SELECT day, ate(ate_state(s_ate)) OVER (ORDER BY day) AS a FROM daily GROUP BY day) c;

-- the state of all rows is the merge of the daily states (same text form
-- is not required: the merge order differs; the numbers agree)
SELECT max_rel(to_jsonb((SELECT ate(s) FROM (SELECT ate_state(y, t) s FROM rr) q)),
               to_jsonb((SELECT ate(s) FROM (SELECT ate_state(s_ate) s FROM daily) q))) <= 1e-12 AS state_of_all_ok;

-- order of the states does not matter
SELECT max_rel(to_jsonb((SELECT ate(s_ate ORDER BY md5(site || day::text)) FROM daily)),
               to_jsonb((SELECT ate(s_ate ORDER BY day DESC, site) FROM daily))) <= 1e-12 AS order_free;

-- empty states, NULL states, no states: NULL, as from no rows
SELECT ate_state(y, t) AS empty_ate_state FROM rr WHERE false;
SELECT ate_state(y, t, ARRAY[x1]) AS empty_adjusted_state FROM rr WHERE false;
SELECT ate(s) IS NULL AS ate_of_empty, ate(NULL::hte_ate_state) IS NULL AS ate_of_null
FROM (SELECT ate_state(y, t) s FROM rr WHERE false) q;
SELECT (SELECT ate(s_ate) FROM daily WHERE false) IS NULL AS no_states,
       (SELECT interaction_test(s_adj) FROM daily WHERE false) IS NULL AS no_adjusted_states;
-- an empty state merges as nothing
SELECT (SELECT ate(s) FROM (SELECT s_ate s FROM daily UNION ALL
                            SELECT ate_state(y, t) FROM rr WHERE false) q)::text =
       (SELECT ate(s_ate) FROM daily)::text AS empty_is_identity;
-- one row, one arm: the counts, no standard error
SELECT (ate(s)).n_treated, (ate(s)).n_control, (ate(s)).std_error
FROM (SELECT ate_state(y, t) s FROM rr WHERE i = 1) q;

-- parallel building and merging equal serial (the adjusted state at 1e-10:
-- its partial states split the rows differently on every run, and one column
-- differed by more than 1e-12 relative once on PostgreSQL 19)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT ate_state(y, t) FROM rr;
EXPLAIN (COSTS OFF) SELECT ate(s_ate) FROM daily;
CREATE TEMP TABLE par AS
SELECT (SELECT ate(s) FROM (SELECT ate_state(y, t) s FROM rr) q) a,
       (SELECT interaction_test(s) FROM (SELECT interaction_test_state(y, t, x1) s FROM rr) q) b,
       (SELECT ate(s) FROM (SELECT ate_state(y, t, ARRAY[x1, x2, x3]) s FROM rr) q) c,
       (SELECT ate(s_ate) FROM daily) d;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT max_rel(to_jsonb(p.a), to_jsonb((SELECT ate(y, t) FROM rr))) <= 1e-12 AS ate_parallel_ok,
       max_rel(to_jsonb(p.b), to_jsonb((SELECT interaction_test(y, t, x1) FROM rr))) <= 1e-12 AS it_parallel_ok,
       max_rel(to_jsonb(p.c), to_jsonb((SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM rr))) <= 1e-10 AS adj_parallel_ok,
       max_rel(to_jsonb(p.d), to_jsonb((SELECT ate(y, t) FROM rr))) <= 1e-12 AS merge_parallel_ok
FROM par p;
RESET max_parallel_workers_per_gather;

-- text round trip: bit-exact under every extra_float_digits; the state read
-- back gives bit-identical results
CREATE TABLE daily_text (site int, day date, s_ate text, s_it text, s_adj text);
SET extra_float_digits = -15;
INSERT INTO daily_text SELECT site, day, s_ate::text, s_it::text, s_adj::text FROM daily;
SET extra_float_digits = 0;
SELECT bool_and(d.s_ate::text = x.s_ate AND d.s_it::text = x.s_it AND d.s_adj::text = x.s_adj)
         AS text_same_under_any_digits
FROM daily d JOIN daily_text x USING (site, day);
SET extra_float_digits = 3;
SELECT bool_and(x.s_ate::hte_ate_state::text = x.s_ate AND x.s_it::hte_interaction_state::text = x.s_it
                AND x.s_adj::hte_adjusted_state::text = x.s_adj) AS text_round_trip
FROM daily_text x;
SELECT (SELECT ate(s_ate::hte_ate_state ORDER BY site, day)::text FROM daily_text) =
       (SELECT ate(s_ate ORDER BY site, day)::text FROM daily) AS ate_bit_exact,
       (SELECT interaction_test(s_it::hte_interaction_state ORDER BY site, day)::text FROM daily_text) =
       (SELECT interaction_test(s_it ORDER BY site, day)::text FROM daily) AS it_bit_exact,
       (SELECT interaction_test(s_adj::hte_adjusted_state ORDER BY site, day)::text FROM daily_text) =
       (SELECT interaction_test(s_adj ORDER BY site, day)::text FROM daily) AS joint_bit_exact;
RESET extra_float_digits;

-- binary round trip (COPY in binary format through a file in the data directory)
CREATE TABLE daily_bin (LIKE daily);
DO $$
BEGIN
    EXECUTE format('COPY daily TO %L (FORMAT binary)',
                   current_setting('data_directory') || '/hte_rollups_daily.bin');
    EXECUTE format('COPY daily_bin FROM %L (FORMAT binary)',
                   current_setting('data_directory') || '/hte_rollups_daily.bin');
END $$;
SELECT count(*) AS rows,
       bool_and(d.s_ate::text = b.s_ate::text AND d.s_it::text = b.s_it::text
                AND d.s_adj::text = b.s_adj::text) AS binary_round_trip
FROM daily d JOIN daily_bin b USING (site, day);
SELECT hte_ate_state_send(s_ate) = hte_ate_state_send(s_ate::text::hte_ate_state) AS send_stable,
       length(hte_ate_state_send(s_ate)) AS ate_bytes, length(hte_interaction_state_send(s_it)) AS it_bytes
FROM daily ORDER BY site, day LIMIT 1;

-- the text form
SELECT ate_state(y, t) FROM (VALUES (1.5::float8, true), (2.0, true), (0.1, false)) v(y, t);
-- by hand: means 1.75 and 0.2, variances 0.125 and 0.02: estimate 1.55,
-- SE sqrt(0.125/2 + 0.02/2) = 0.2692582404
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error, n_treated, n_control
FROM (SELECT (ate(s)).* FROM (SELECT ate_state(y, t) s
      FROM (VALUES (1.5::float8, true), (2.0, true), (0.1, false), (0.3, false)) v(y, t)) q) r;
-- the same state written by hand (0.2 and 0.02 as double-doubles)
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error, n_treated, n_control
FROM (SELECT (ate('ate/1:{1,2,0.20000000000000001,-1.1102230246251566e-17,0.019999999999999997,1.7347234759768071e-18,2,1.75,0,0.125,0}'::hte_ate_state)).*) r;
SELECT '  ate/1:{1,0,0,0,0,0,0,0,0,0,0}  '::hte_ate_state AS blanks_around;

-- malformed values: class-22 errors, never a crash
\set VERBOSITY terse
CREATE TABLE bad (typ text, val text);
INSERT INTO bad VALUES
  ('hte_ate_state', ''),
  ('hte_ate_state', 'ate'),
  ('hte_ate_state', 'ate/1'),
  ('hte_ate_state', 'ate/1:'),
  ('hte_ate_state', 'ate/1:{'),
  ('hte_ate_state', 'ate/1:{}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,0'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}x'),
  ('hte_ate_state', 'ate/2:{1,0,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/99999999999999999999:{1}'),
  ('hte_ate_state', 'interaction/1:{1,0,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{2,0,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,NaN}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,inf}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,1e400}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,0x10}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,1e}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,-}'),
  ('hte_ate_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,,0}'),
  ('hte_ate_state', 'ate/1:{1, 0,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,-1,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,2.5,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,2,0,0,-1,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,0,5,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,9007199254740994,0,0,0,0,0,0,0,0,0}'),
  ('hte_ate_state', 'ate/1:{1,1e300,0,0,0,0,0,0,0,0,0}'),
  ('hte_interaction_state', 'interaction/1:{2,0}'),
  ('hte_interaction_state', 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}'),
  ('hte_adjusted_state', 'adjusted/1:{3,0,0}'),
  ('hte_adjusted_state', 'adjusted/1:{3,1,0,0}'),
  ('hte_adjusted_state', 'adjusted/1:{3,0,1,0}'),
  ('hte_adjusted_state', 'adjusted/1:{3,21,0,0,0}'),
  ('hte_adjusted_state', 'adjusted/1:{3,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT typ, val, sqlstate_of(format('SELECT %L::%s', val, typ)) AS sqlstate FROM bad;
-- from PostgreSQL 16 the errors are soft: pg_input_is_valid says false
CREATE TEMP TABLE soft (ok boolean);
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE $q$INSERT INTO soft
            SELECT NOT pg_input_is_valid('ate/2:{1}', 'hte_ate_state')
               AND NOT pg_input_is_valid('ate/1:{1,-1,0,0,0,0,0,0,0,0,0}', 'hte_ate_state')
               AND NOT pg_input_is_valid('adjusted/1:{3,1,0,0}', 'hte_adjusted_state')
               AND pg_input_is_valid('ate/1:{1,0,0,0,0,0,0,0,0,0,0}', 'hte_ate_state')$q$;
    ELSE
        INSERT INTO soft VALUES (true);
    END IF;
END $$;
SELECT ok AS soft_errors_from_16 FROM soft;
-- a value with more numbers than any state holds is refused before any is read
SELECT sqlstate_of(format('SELECT %L::hte_adjusted_state',
                          'adjusted/1:{' || repeat('0,', 200000) || '0}')) AS too_long;
-- a state of another kind and a buffered (transition) form are not states of this type
SELECT sqlstate_of('SELECT ''{1,0,0,0,0,0,0,0,0,0,0}''::hte_ate_state') AS array_syntax;
-- the adjusted state's checks: a perturbed moment matrix is refused
SELECT sqlstate_of(format('SELECT %L::hte_adjusted_state',
                          regexp_replace(s_adj::text, '^(adjusted/1:\{3,3,0,0,)[^,]+', '\1-5'))) AS negative_count
FROM daily ORDER BY site, day LIMIT 1;
-- heterogeneity_test(estimate, std_error)'s float8[] state, forged: refused
SELECT v AS forged_meta_state, sqlstate_of(format('SELECT hte_meta_final(%L::float8[])', v)) AS sqlstate
FROM (VALUES ('{6,0,0,0,0,0,0}'), ('{5,0,0,0,0,0,0,0}'), ('{6,1.5,1,0,0,0,0,0}'),
             ('{6,-1,1,0,0,0,0,0}'), ('{6,2,1,0,-1,0,0,0}'), ('{6,1,1,0,0,3,0,0}'),
             ('{6,0,1,0,0,0,0,0}'), ('{6,2,0,0,0,0,0,0}'), ('{6,2,1,0,0,1,Infinity,0}'),
             ('{6,3e9,1,0,1,1,1,1}')) f(v);
-- states with different covariates do not merge
SELECT ate(s) FROM (SELECT ate_state(y, t, ARRAY[x1]) s FROM rr UNION ALL
                    SELECT ate_state(y, t, ARRAY[x1, x2]) FROM rr) q;
-- a text-coded treatment gets the idiom
SELECT ate_state(y, 'A'::text) FROM rr;
SELECT interaction_test_state(y, 'A'::text, x1) FROM rr;
\set VERBOSITY default
