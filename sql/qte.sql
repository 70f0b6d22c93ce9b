-- qte() and homogeneity_test(): values on the shipped data (checked against
-- R quantile(type = 7), the Hall-Sheather standard error written in R,
-- var.test and the flatness Wald statistic; test/r/check_qte.R compares
-- every column to 1e-9 relative), equality with percentile_cont, edge cases,
-- errors and parallel query.

-- STAR: the effect of small classes on the median score.
SELECT quantile, sig(estimate) AS estimate, sig(quantile_treated) AS quantile_treated,
       sig(quantile_control) AS quantile_control, sig(std_error) AS std_error,
       sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper, sig(p_value) AS p_value,
       n_treated, n_control
FROM (SELECT (qte(y, treated, 0.5)).* FROM star) r;

-- NSW: the earnings QTE profile (zero-inflated, skewed outcome).
SELECT quantile, sig(estimate) AS estimate, sig(quantile_treated) AS quantile_treated,
       sig(quantile_control) AS quantile_control, sig(std_error) AS std_error,
       sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper, sig(p_value) AS p_value,
       n_treated, n_control
FROM (SELECT (unnest(qte(re78, treat, ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]))).* FROM nsw) r;

-- Homogeneity of the effect.
SELECT 'star' AS data, sig(variance_treated) AS variance_treated, sig(variance_control) AS variance_control,
       sig(variance_ratio) AS variance_ratio, sig(variance_ratio_p_value) AS variance_ratio_p_value,
       sig(ite_sd_lower) AS ite_sd_lower, sig(ite_sd_upper) AS ite_sd_upper,
       sig(qte_flatness_statistic) AS qte_flatness_statistic, qte_flatness_df,
       sig(qte_flatness_p_value) AS qte_flatness_p_value
FROM (SELECT (homogeneity_test(y, treated)).* FROM star) r
UNION ALL
SELECT 'nsw', sig(variance_treated), sig(variance_control), sig(variance_ratio),
       sig(variance_ratio_p_value), sig(ite_sd_lower), sig(ite_sd_upper),
       sig(qte_flatness_statistic), qte_flatness_df, sig(qte_flatness_p_value)
FROM (SELECT (homogeneity_test(re78, treat)).* FROM nsw) r;

-- The confidence level sets the interval and, through z, the bandwidth.
SET hte.confidence_level = 0.9;
SELECT quantile, sig(std_error) AS std_error, sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper,
       sig(p_value) AS p_value
FROM (SELECT (qte(re78, treat, 0.75)).* FROM nsw) r;
RESET hte.confidence_level;

-- The arms' quantiles are percentile_cont's, bit for bit, at many levels.
SELECT setseed(0.75);
CREATE TABLE qt_gen AS
SELECT i, random() < 0.4 AS t, exp(2 * (random() - 0.5)) * 100 * random() AS y
FROM generate_series(1, 5001) i;
CREATE TEMP TABLE qt_levels AS
SELECT array_agg(q ORDER BY k) AS qs
FROM (SELECT k, CASE WHEN k = 0 THEN 0 WHEN k = 200 THEN 1 ELSE k / 200.0 + 0.0001 * (k % 3) END::float8 AS q
      FROM generate_series(0, 200) k) s;
SELECT count(*) AS levels,
       bool_and(float8send(r.quantile_treated) = float8send(p.treated[r.k])) AS treated_bitwise,
       bool_and(float8send(r.quantile_control) = float8send(p.control[r.k])) AS control_bitwise
FROM (SELECT (x).*, k FROM (SELECT unnest(qte(y, t, qs)) AS x, generate_subscripts(qs, 1) AS k
                            FROM qt_gen, qt_levels GROUP BY qs) s) r,
     (SELECT percentile_cont(qs) WITHIN GROUP (ORDER BY y) FILTER (WHERE t) AS treated,
             percentile_cont(qs) WITHIN GROUP (ORDER BY y) FILTER (WHERE NOT t) AS control
      FROM qt_gen, qt_levels GROUP BY qs) p;
SELECT bool_and(float8send((SELECT quantile_treated FROM (SELECT (qte(re78, treat, q)).* FROM nsw) r)) =
                float8send((SELECT percentile_cont(q) WITHIN GROUP (ORDER BY re78) FROM nsw WHERE treat)) AND
                float8send((SELECT quantile_control FROM (SELECT (qte(y, treated, q)).* FROM star) r)) =
                float8send((SELECT percentile_cont(q) WITHIN GROUP (ORDER BY y) FROM star WHERE NOT treated)))
       AS scalar_bitwise
FROM (VALUES (0.0), (0.013), (0.25), (0.5), (0.6180339887), (0.99), (1.0)) v(q);

-- The array form equals the one-level form; duplicates and any order are fine.
SELECT (SELECT qte(re78, treat, ARRAY[0.9, 0.25, 0.25]) FROM nsw) =
       ARRAY[(SELECT qte(re78, treat, 0.9) FROM nsw), (SELECT qte(re78, treat, 0.25) FROM nsw),
             (SELECT qte(re78, treat, 0.25) FROM nsw)] AS array_is_scalar;
-- Integer treatments.
SELECT (SELECT qte(re78, treat, 0.5) FROM nsw) = (SELECT qte(re78, treat::int, 0.5) FROM nsw) AS int4_same,
       (SELECT qte(re78, treat, ARRAY[0.5]) FROM nsw) = (SELECT qte(re78, treat::int::smallint, ARRAY[0.5]) FROM nsw) AS int2_same,
       (SELECT homogeneity_test(re78, treat) FROM nsw) = (SELECT homogeneity_test(re78, treat::int::bigint) FROM nsw) AS int8_same;
-- An integer outcome reaches float8 by implicit cast.
SELECT (SELECT qte(age, treat, 0.5) FROM nsw) = (SELECT qte(age::float8, treat, 0.5) FROM nsw) AS int_outcome;

-- Edge cases.
CREATE TABLE qt (y float8, t boolean);
-- no rows: NULL
SELECT qte(y, t, 0.5) IS NULL AS no_rows, qte(y, t, ARRAY[0.5]) IS NULL AS no_rows_array,
       homogeneity_test(y, t) IS NULL AS no_rows_homogeneity FROM qt;
-- rows that are all skipped (NULL outcome or treatment): NULL
INSERT INTO qt VALUES (NULL, true), (1, NULL);
SELECT qte(y, t, 0.5) IS NULL AS all_skipped, homogeneity_test(y, t) IS NULL AS all_skipped_homogeneity FROM qt;
-- an empty arm: the counts and that arm's quantile, NULL estimate
INSERT INTO qt VALUES (1, true), (2, true), (4, true);
SELECT * FROM (SELECT (qte(y, t, 0.5)).* FROM qt) r;
SELECT * FROM (SELECT (homogeneity_test(y, t)).* FROM qt) r;
-- one value per arm: estimate, no standard error (a sparsity needs two values)
SELECT * FROM (SELECT (qte(y, t, 0.5)).* FROM (VALUES (5.0, true), (3.0, false)) v(y, t)) r;
SELECT * FROM (SELECT (homogeneity_test(y, t)).* FROM (VALUES (5.0, true), (3.0, false)) v(y, t)) r;
-- 3 treated, 2 control rows (R: quantile(c(1, 2, 4), 0.5) - quantile(c(2, 8), 0.5))
INSERT INTO qt VALUES (2, false), (8, false);
SELECT quantile, sig(estimate) AS estimate, sig(quantile_treated) AS quantile_treated,
       sig(quantile_control) AS quantile_control, sig(std_error) AS std_error, sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper, sig(p_value) AS p_value, n_treated, n_control
FROM (SELECT (unnest(qte(y, t, ARRAY[0, 0.3, 0.5, 1]))).* FROM qt) r;
-- all ties: sparsity 0, standard error 0, p-value NULL; flatness covariance singular
SELECT * FROM (SELECT (qte(y, t, 0.5)).* FROM (VALUES (7.0, true), (7.0, true), (7.0, true), (7.0, false), (7.0, false)) v(y, t)) r;
SELECT * FROM (SELECT (homogeneity_test(y, t)).* FROM (VALUES (7.0, true), (7.0, true), (7.0, true), (7.0, false), (7.0, false)) v(y, t)) r;
-- q = 0 and q = 1: the extremes, with no bandwidth for a standard error
SELECT quantile, estimate, quantile_treated, quantile_control, std_error, p_value
FROM (SELECT (unnest(qte(re78, treat, ARRAY[0, 1]))).* FROM nsw) r;
-- the result is a composite: to_jsonb works
SELECT to_jsonb(qte(y, t, 0.5)) FROM (VALUES (5.0, true), (3.0, false)) v(y, t);

\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT qte(y, t, 1.5) FROM qt;
SELECT qte(y, t, -0.1) FROM qt;
SELECT qte(y, t, 'NaN'::float8) FROM qt;
SELECT qte(y, t, NULL::float8) FROM qt;
SELECT qte(y, t, ARRAY[0.5, NULL]) FROM qt;
SELECT qte(y, t, '{}'::float8[]) FROM qt;
SELECT qte(y, t, ARRAY[0.5, 2]) FROM qt;
SELECT qte(y, t, '{{0.5},{0.6}}'::float8[]) FROM qt;
SELECT qte(y, t, CASE WHEN y > 2 THEN 0.5 ELSE 0.25 END) FROM qt;
SELECT qte(y, t, CASE WHEN y > 2 THEN ARRAY[0.5] ELSE ARRAY[0.25] END) FROM qt;
SELECT qte(y, t, 0.5) FROM (VALUES ('NaN'::float8, true)) v(y, t);
SELECT homogeneity_test(y, t) FROM (VALUES ('-Infinity'::float8, false)) v(y, t);
SELECT qte(y, t, 0.5) FROM (VALUES (1.0, 2)) v(y, t);
SELECT homogeneity_test(y, t) FROM (VALUES (1.0, -1::bigint)) v(y, t);
SELECT sqlstate_of($$SELECT qte(y, t, 1.5) FROM qt$$) AS q_out_of_range,
       sqlstate_of($$SELECT qte(y, t, NULL::float8[]) FROM qt$$) AS q_null,
       sqlstate_of($$SELECT qte(y, t, '{}'::float8[]) FROM qt$$) AS q_empty,
       sqlstate_of($$SELECT qte(y, t, random()) FROM qt$$) AS q_varies,
       sqlstate_of($$SELECT qte(y, t, 0.5) FROM (VALUES ('Infinity'::float8, true)) v(y, t)$$) AS infinite_outcome,
       sqlstate_of($$SELECT qte(y, t, 0.5) FROM (VALUES (1.0, 3::smallint)) v(y, t)$$) AS bad_treatment;
\set VERBOSITY terse

-- Parallel: combine, serialize and deserialize run; the results equal the
-- serial ones (quantiles exactly, variances within 1e-12 relative).
SELECT setseed(0.5);
CREATE TABLE qt_big AS
SELECT i, t, CASE WHEN t THEN 1.2 * y + 0.3 ELSE y END AS y
FROM (SELECT i, random() < 0.5 AS t, -ln(random()) AS y FROM generate_series(1, 200000) i) s;
ANALYZE qt_big;
CREATE FUNCTION close_qte(a float8, b float8, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL AND b IS NULL THEN true WHEN a IS NULL OR b IS NULL THEN false
                ELSE abs(a - b) <= tol * greatest(abs(a), abs(b)) END $$;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE qt_serial AS
SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9]) AS qa, qte(y, t, 0.3) AS q1, homogeneity_test(y, t) AS h FROM qt_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9]), homogeneity_test(y, t) FROM qt_big;
SELECT p.qa = s.qa AS qte_array_parallel, p.q1 = s.q1 AS qte_parallel,
       close_qte((p.h).variance_treated, (s.h).variance_treated) AND close_qte((p.h).variance_control, (s.h).variance_control)
       AND close_qte((p.h).variance_ratio_p_value, (s.h).variance_ratio_p_value)
       AND close_qte((p.h).ite_sd_lower, (s.h).ite_sd_lower)
       AND (p.h).qte_flatness_statistic = (s.h).qte_flatness_statistic AS homogeneity_parallel
FROM (SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9]) AS qa, qte(y, t, 0.3) AS q1, homogeneity_test(y, t) AS h FROM qt_big) p, qt_serial s;
-- workers that see few or no rows
SELECT qte(y, t, 0.5) IS NULL AS none_parallel, homogeneity_test(y, t) IS NULL AS none_parallel_h FROM qt_big WHERE i < 0;
SELECT (SELECT qte(y, t, ARRAY[0.2, 0.7]) FROM qt_big WHERE i <= 20) =
       (SELECT qte(y, t, ARRAY[0.2, 0.7]) FROM (SELECT * FROM qt_big WHERE i <= 20 ORDER BY i) s) AS sparse_parallel;
-- a varying quantile argument is caught in the workers too
\set VERBOSITY default
SELECT qte(y, t, CASE WHEN i = 150000 THEN 0.25 ELSE 0.5 END) FROM qt_big;
\set VERBOSITY terse
RESET parallel_leader_participation;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
-- row order does not matter
SELECT (SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9]) FROM (SELECT * FROM qt_big ORDER BY md5(i::text)) s) = (SELECT qa FROM qt_serial) AS permuted;
RESET max_parallel_workers_per_gather;
