-- cate_by(), heterogeneity_test(), p_adjust(): values on the shipped data
-- (checked against R: t.test per subgroup, p.adjust, metafor::rma FE/DL and
-- Gail–Simon; test/r/check_subgroup.R compares every column to 1e-9),
-- invariants, subgroup types, idioms for BI tools, edge cases and errors.

-- Class-size effects by student ethnicity (Project STAR).  Thin subgroups
-- show NULLs, not errors: hispanic has no control row, amindian one row per
-- arm, other one control row; the NULL subgroup (one student) comes last.
SELECT subgroup, sig(estimate, 6) AS estimate, sig(std_error, 6) AS std_error,
       sig(p_value, 6) AS p_value, sig(p_adjusted, 6) AS p_holm, n_treated, n_control
FROM (SELECT (unnest(cate_by(y, treated, ethnicity))).* FROM star) r;

-- Is the effect heterogeneous across the subgroups with a standard error?
SELECT subgroups, sig(q_statistic) AS q, df, sig(p_value) AS p_value, sig(i_squared) AS i2,
       sig(tau_squared) AS tau2, sig(pooled_estimate) AS pooled, sig(pooled_std_error) AS pooled_se,
       sig(crossover_statistic) AS crossover, sig(crossover_p_value) AS crossover_p
FROM (SELECT (heterogeneity_test(y, treated, ethnicity)).* FROM star) r;

-- By free-lunch status, with Benjamini–Hochberg adjustment.
SELECT subgroup, sig(estimate, 6) AS estimate, sig(p_value, 6) AS p_value,
       sig(p_adjusted, 6) AS p_bh
FROM (SELECT (unnest(cate_by(y, treated, lunchk, 'BH'))).* FROM star) r;

-- NSW job training by race, and its heterogeneity test.
SELECT subgroup, sig(estimate, 6) AS estimate, sig(std_error, 6) AS std_error,
       sig(p_value, 6) AS p_value, sig(p_adjusted, 6) AS p_holm
FROM (SELECT (unnest(cate_by(re78, treat, race))).* FROM nsw) r;
SELECT subgroups, sig(q_statistic) AS q, sig(p_value) AS p_value, sig(i_squared) AS i2,
       sig(crossover_statistic) AS crossover, sig(crossover_p_value) AS crossover_p
FROM (SELECT (heterogeneity_test(re78, treat, race)).* FROM nsw) r;

-- Invariant: each element equals ate() for that subgroup under GROUP BY.
-- Equal to 1e-12 relative, NULL where the other is NULL, counts exactly (ate
-- folds its rows in blocks, cate_by row by row: the last bits may differ).
CREATE FUNCTION same(s hte_subgroup, a hte_ate) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT bool_and(CASE WHEN x IS NULL AND z IS NULL THEN true
                         WHEN x IS NULL OR z IS NULL THEN false
                         ELSE abs(x - z) <= 1e-12 * greatest(abs(x), abs(z)) END)
           AND s.n_treated = a.n_treated AND s.n_control = a.n_control
    FROM unnest(ARRAY[s.estimate, s.std_error, s.ci_lower, s.ci_upper, s.p_value, s.df,
                      s.mean_treated, s.mean_control, s.sd_treated, s.sd_control],
                ARRAY[a.estimate, a.std_error, a.ci_lower, a.ci_upper, a.p_value, a.df,
                      a.mean_treated, a.mean_control, a.sd_treated, a.sd_control]) u(x, z) $$;
SELECT bool_and(same(c, a.r)) AS equals_group_by_ate, count(*) AS subgroups
FROM (SELECT unnest(cate_by(y, treated, schoolidk)) AS c FROM star) s
JOIN (SELECT schoolidk, ate(y, treated) AS r FROM star GROUP BY schoolidk) a
  ON (s.c).subgroup = a.schoolidk::text;
SELECT bool_and(same(c, a.r)) AS equals_group_by_ate_with_null
FROM (SELECT unnest(cate_by(y, treated, ethnicity)) AS c FROM star) s
JOIN (SELECT ethnicity, ate(y, treated) AS r FROM star GROUP BY ethnicity) a
  ON (s.c).subgroup IS NOT DISTINCT FROM a.ethnicity;

-- Subgroup types, each ordered by its own default ordering, NULL last.
CREATE TYPE severity AS ENUM ('mild', 'moderate', 'severe');
CREATE TABLE typed AS
SELECT i, (i % 3 = 0) AS t, (i % 7) * 1.5 + (i % 3 = 0)::int AS y,
       (ARRAY[10, 9, 100, NULL])[i % 4 + 1] AS g_int,
       (ARRAY['b', 'a', 'B', NULL])[i % 4 + 1] AS g_text,
       (ARRAY[true, false, NULL])[i % 3 + 1] AS g_bool,
       (ARRAY['2024-03-01', '2023-12-31', NULL]::date[])[i % 3 + 1] AS g_date,
       (ARRAY['severe', 'mild', 'moderate']::severity[])[i % 3 + 1] AS g_enum,
       round((i % 5)::numeric / 2, 1) AS g_numeric
FROM generate_series(1, 120) i;
SELECT (unnest(cate_by(y, t, g_int))).subgroup AS int_order FROM typed;
SELECT (unnest(cate_by(y, t, g_text COLLATE "C"))).subgroup AS text_order_c FROM typed;
SELECT (unnest(cate_by(y, t, g_bool))).subgroup AS bool_order FROM typed;
SELECT (unnest(cate_by(y, t, g_date))).subgroup AS date_order FROM typed;
SELECT (unnest(cate_by(y, t, g_enum))).subgroup AS enum_order FROM typed;
SELECT (unnest(cate_by(y, t, g_numeric))).subgroup AS numeric_order FROM typed;
SELECT (unnest(cate_by(y, t, ROW(g_bool, g_int)))).subgroup AS record_order FROM typed;
SELECT bool_and(same(c, a.r)) AS record_equals_group_by
FROM (SELECT unnest(cate_by(y, t, ROW(g_bool, g_int))) AS c FROM typed) s
JOIN (SELECT ROW(g_bool, g_int)::text AS k, ate(y, t) AS r FROM typed GROUP BY g_bool, g_int) a
  ON (s.c).subgroup = a.k;

-- Idioms for BI tools: plain rows from the array.
SELECT s.subgroup, sig(s.estimate, 6) AS estimate, s.n_treated, s.n_control
FROM (SELECT cate_by(y, treated, schoolk) AS r FROM star) q, unnest(q.r) s;
SELECT q.gender, s.ordinality, s.subgroup, sig(s.estimate, 6) AS estimate
FROM (SELECT gender, cate_by(y, treated, lunchk) AS r FROM star WHERE gender IS NOT NULL GROUP BY gender) q,
     unnest(q.r) WITH ORDINALITY s
ORDER BY q.gender, s.ordinality;
SELECT jsonb_array_length(to_jsonb(cate_by(y, treated, schoolk))) AS json_elements FROM star;

-- Edge cases: no rows, NULL outcomes or treatments only, one subgroup,
-- zero variance.
SELECT cate_by(y, t, g_int) IS NULL AS no_rows, heterogeneity_test(y, t, g_int) IS NULL AS no_rows_h
FROM typed WHERE i < 0;
SELECT cate_by(NULL::float8, t, g_int) IS NULL AS null_outcomes FROM typed;
SELECT (heterogeneity_test(y, treated, 'all'::text)).* FROM star;
SELECT (heterogeneity_test(y, treated, ethnicity)).* FROM star WHERE ethnicity = 'cauc' OR ethnicity IS NULL;
SELECT (unnest(cate_by(y, t, g))).* FROM (VALUES (1.0, true, 1), (1.0, true, 1), (2.0, false, 1), (2.0, false, 1), (5.0, true, 2)) v(y, t, g);

-- p_adjust: R's p.adjust(c(0.01, NA, 0.04, 0.03, 0.5), method) for each method.
SELECT m, p_adjust(ARRAY[0.01, NULL, 0.04, 0.03, 0.5], m) AS adjusted
FROM unnest(ARRAY['none', 'bonferroni', 'holm', 'hochberg', 'BH', 'BY']) m;
SELECT p_adjust(ARRAY[0.01, 0.02, 0.03]) AS default_holm, p_adjust('{}'::float8[]) AS empty,
       p_adjust(ARRAY[NULL, NULL]::float8[]) AS all_null, p_adjust(ARRAY[[0.01, 0.2], [0.03, 0.04]], 'bh') AS two_d;

-- "fdr" is R's other name for "BH" (stats::p.adjust.methods; p.adjust maps
-- it to BH), in cate_by and p_adjust, mixed with "BH" across rows too
SELECT cate_by(y, treated, schoolk, 'fdr') = cate_by(y, treated, schoolk, 'BH') AS cate_by_fdr_is_bh,
       cate_by(y, treated, schoolk, CASE WHEN id % 2 = 0 THEN 'FDR' ELSE 'bh' END)
         = cate_by(y, treated, schoolk, 'BH') AS mixed_names,
       p_adjust(ARRAY[0.01, 0.04, 0.03, NULL, 0.2], 'fdr') AS p_fdr,
       p_adjust(ARRAY[0.01, 0.04, 0.03, NULL, 0.2], 'fdr') = p_adjust(ARRAY[0.01, 0.04, 0.03, NULL, 0.2], 'BH') AS p_fdr_is_bh
FROM star;

\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT cate_by(y, treated, schoolk, 'hommel') FROM star;
SELECT cate_by(y, treated, schoolk, NULL) FROM star;
SELECT cate_by(y, treated, schoolk, CASE WHEN id % 2 = 0 THEN 'holm' ELSE 'BH' END) FROM star;
SELECT cate_by(y, treated, point(1, 2)) FROM star;
SELECT cate_by(y, t, g) FROM (VALUES ('NaN'::float8, true, 1)) v(y, t, g);
SELECT cate_by(y, t, g) FROM (VALUES (1.0, 3, 1)) v(y, t, g);
SELECT p_adjust(ARRAY[0.5, 1.5]);
SELECT p_adjust(ARRAY[0.5, 'NaN']);
SELECT p_adjust(ARRAY[0.5], 'hommel');
SELECT sqlstate_of($$SELECT cate_by(y, treated, schoolk, 'hommel') FROM star$$) AS unknown_method,
       sqlstate_of($$SELECT p_adjust(ARRAY[2.0])$$) AS p_out_of_range;

-- Parallel: plan, and parallel == serial for every element.
CREATE TABLE bigg AS
SELECT i, t, g, 100 + (g % 5) * CASE WHEN t THEN 0.3 ELSE 0 END + 3 * ((i * 7919) % 1000) / 1000.0 AS y
FROM (SELECT i, (i * 31) % 7 < 3 AS t, (i * 13) % 40 AS g FROM generate_series(1, 200000) i) s;
ANALYZE bigg;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE sg_serial AS
SELECT cate_by(y, t, g) AS c, heterogeneity_test(y, t, g) AS h, cate_by(y, t, ROW(g % 3, t)) AS cr FROM bigg;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT cate_by(y, t, g), heterogeneity_test(y, t, g) FROM bigg;
CREATE FUNCTION close_sg(a hte_subgroup, b hte_subgroup, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT a.subgroup IS NOT DISTINCT FROM b.subgroup AND
           bool_and(CASE WHEN u IS NULL AND v IS NULL THEN true
                         WHEN u IS NULL OR v IS NULL THEN false
                         ELSE abs(u - v) <= tol * greatest(abs(u), abs(v)) END)
    FROM unnest(ARRAY[a.estimate, a.std_error, a.ci_lower, a.ci_upper, a.p_value, a.df, a.n_treated,
                      a.n_control, a.mean_treated, a.mean_control, a.sd_treated, a.sd_control, a.p_adjusted],
                ARRAY[b.estimate, b.std_error, b.ci_lower, b.ci_upper, b.p_value, b.df, b.n_treated,
                      b.n_control, b.mean_treated, b.mean_control, b.sd_treated, b.sd_control, b.p_adjusted]) u(u, v) $$;
SELECT bool_and(close_sg(p.e, s.e)) AS cate_by_parallel, count(*) AS subgroups
FROM (SELECT unnest(c) AS e, generate_subscripts(c, 1) AS k FROM (SELECT cate_by(y, t, g) AS c FROM bigg) x) p
JOIN (SELECT unnest(c) AS e, generate_subscripts(c, 1) AS k FROM sg_serial) s USING (k);
SELECT bool_and(close_sg(p.e, s.e)) AS record_parallel
FROM (SELECT unnest(c) AS e, generate_subscripts(c, 1) AS k FROM (SELECT cate_by(y, t, ROW(g % 3, t)) AS c FROM bigg) x) p
JOIN (SELECT unnest(cr) AS e, generate_subscripts(cr, 1) AS k FROM sg_serial) s USING (k);
SELECT abs(p.q_statistic - s.q_statistic) <= 1e-12 * s.q_statistic AS heterogeneity_parallel,
       p.subgroups = s.subgroups AS same_k
FROM (SELECT (heterogeneity_test(y, t, g)).* FROM bigg) p, (SELECT (h).* FROM sg_serial) s;
SELECT cate_by(y, t, g) IS NULL AS none_parallel FROM bigg WHERE i < 0;
-- text subgroups in parallel: the leader hashes and orders the workers' keys
-- with the aggregate's collation, which the serialized state carries
SELECT (SELECT array_agg(e.subgroup ORDER BY e.subgroup COLLATE "C") FROM unnest(c) e) AS text_subgroups_parallel,
       (SELECT bool_and(e.n_treated + e.n_control = 40000) FROM unnest(c) e) AS counts
FROM (SELECT cate_by(y, t, (ARRAY['b', 'a', 'B', 'c', 'C'])[i % 5 + 1]) AS c FROM bigg) x;
SELECT (SELECT array_agg(e.subgroup) FROM unnest(c) e) AS text_subgroups_parallel_c
FROM (SELECT cate_by(y, t, (ARRAY['b', 'a', 'B', 'c', 'C'])[i % 5 + 1] COLLATE "C") AS c FROM bigg) x;
SELECT (heterogeneity_test(y, t, (ARRAY['b', 'a', 'B', 'c', 'C'])[i % 5 + 1])).subgroups AS text_heterogeneity_parallel FROM bigg;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
