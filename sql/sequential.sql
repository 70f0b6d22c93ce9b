-- ate_sequential and sequential_bounds.  The numbers are checked against
-- closed forms and a converged recursion written independently in R
-- (test/r/check_sequential.R); here: the SPEC's identities, thin data,
-- errors, window = prefix aggregate, parallel = serial.
SET extra_float_digits = 0;
CREATE TABLE sq AS
SELECT i, hashint4(i) % 2 = 0 AS t, sin(i) * 3 + (hashint4(i) % 2 = 0)::int * 0.3 AS y
FROM generate_series(1, 3000) i;
ANALYZE sq;

-- the same estimate, SE, interval and p-value as ate
SELECT s.estimate = a.estimate AND s.std_error = a.std_error AND s.ci_lower = a.ci_lower
       AND s.ci_upper = a.ci_upper AND s.p_value = a.p_value
       AND s.n_treated = a.n_treated AND s.n_control = a.n_control AS same_as_ate,
       s.planned_n
FROM (SELECT (ate_sequential(y, t, 2000)).* FROM sq) s, (SELECT (ate(y, t)).* FROM sq) a;
SELECT round(cs_lower::numeric, 10) AS cs_lower, round(cs_upper::numeric, 10) AS cs_upper,
       round(always_valid_p_value::numeric, 12) AS avp, planned_n
FROM (SELECT (ate_sequential(y, t)).* FROM sq) s;

-- at every prefix: p < alpha exactly when 0 is outside the sequence; the
-- half-width factor against z_{0.975}; the window equals the prefix aggregate
CREATE TEMP TABLE sq_w AS
SELECT i, ate_sequential(y, t, 2000) OVER (ORDER BY i) AS w FROM sq;
SELECT count(*) AS rows,
       bool_and(((w).always_valid_p_value < 0.05) = (0 < (w).cs_lower OR 0 > (w).cs_upper))
         FILTER (WHERE (w).always_valid_p_value IS NOT NULL) AS p_iff_excludes_0,
       count(*) FILTER (WHERE (w).always_valid_p_value < 0.05) AS looks_significant
FROM sq_w;
SELECT bool_and(w.w IS NOT DISTINCT FROM (SELECT ate_sequential(y, t, 2000) FROM sq WHERE sq.i <= w.i)) AS window_is_prefix
FROM sq_w w WHERE i IN (1, 2, 3, 17, 64, 65, 100, 1000, 2999, 3000);
SELECT n, round((((w).cs_upper - (w).estimate) / (w).std_error / 1.959963984540054)::numeric, 2) AS ratio_to_z
FROM (SELECT i AS n, w FROM sq_w WHERE i IN (20, 100, 200, 1000, 2000)) s ORDER BY n;
SELECT round(((a.cs_upper - a.estimate) / a.std_error / 1.959963984540054)::numeric, 2) AS ratio_at_planned_n
FROM (SELECT (ate_sequential(y, t, 3000)).* FROM sq) a;

-- boolean outcome (a risk difference), integer treatment, a 90% level
SELECT (ate_sequential(y > 0, t::int, 500)).estimate = (ate(y > 0, t)).estimate AS risk_difference FROM sq;
SET hte.confidence_level = 0.90;
SELECT ((ate_sequential(y, t, 2000)).always_valid_p_value < 0.10) =
       (0 NOT BETWEEN (ate_sequential(y, t, 2000)).cs_lower AND (ate_sequential(y, t, 2000)).cs_upper) AS at_90
FROM sq;
RESET hte.confidence_level;

-- parallel equals serial; permuted rows
CREATE TABLE sq_big AS SELECT i, i % 2 = 0 AS t, sin(i * 0.37) * 2 + (i % 2) * 0.01 AS y FROM generate_series(1, 200000) i;
ANALYZE sq_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE sq_serial AS SELECT ate_sequential(y, t, 100000) AS a FROM sq_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ate_sequential(y, t, 100000) FROM sq_big;
SELECT abs((p.a).estimate - (s.a).estimate) <= 1e-12 * abs((s.a).estimate)
       AND abs((p.a).cs_upper - (s.a).cs_upper) <= 1e-12 * abs((s.a).cs_upper)
       AND (p.a).n_treated = (s.a).n_treated AND (p.a).planned_n = (s.a).planned_n AS parallel_equals_serial
FROM (SELECT ate_sequential(y, t, 100000) AS a FROM sq_big) p, sq_serial s;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT abs((p.a).cs_lower - (s.a).cs_lower) <= 1e-12 * abs((s.a).cs_lower) AS permuted
FROM (SELECT ate_sequential(y, t, 100000) AS a FROM (SELECT * FROM sq_big ORDER BY md5(i::text)) z) p, sq_serial s;

-- thin data: no rows; an empty arm; one row in an arm; zero variance
SELECT ate_sequential(y, t) IS NULL AS no_rows FROM sq WHERE false;
SELECT estimate, std_error, cs_lower, always_valid_p_value, n_treated, n_control, planned_n
FROM (SELECT (ate_sequential(y, t, 50)).* FROM sq WHERE t) s;
SELECT estimate IS NOT NULL AS estimate, std_error, cs_lower, always_valid_p_value, p_value, n_treated, n_control
FROM (SELECT (ate_sequential(y, t, 50)).* FROM sq WHERE t OR i = (SELECT min(i) FROM sq WHERE NOT t)) s;
SELECT estimate, std_error, cs_lower, cs_upper, always_valid_p_value, ci_lower, p_value
FROM (SELECT (ate_sequential(v, t, 10)).* FROM (VALUES (1.0, true), (1.0, true), (3.0, false), (3.0, false)) x(v, t)) s;
-- NULL outcome or treatment: skipped
SELECT n_treated + n_control AS used
FROM (SELECT (ate_sequential(CASE WHEN i = 5 THEN NULL ELSE y END, CASE WHEN i = 6 THEN NULL ELSE t END, 2000)).* FROM sq) s;

-- sequential_bounds: four equally spaced looks; a partial set gives the same first rows
SELECT look, information_fraction, round(critical_z::numeric, 6) AS critical_z, round(nominal_p::numeric, 8) AS nominal_p,
       round(alpha_spent::numeric, 8) AS alpha_spent
FROM sequential_bounds(ARRAY[0.25, 0.5, 0.75, 1]);
SELECT look, round(critical_z::numeric, 6) AS critical_z, round(alpha_spent::numeric, 8) AS alpha_spent
FROM sequential_bounds(ARRAY[0.2, 0.45, 1], 0.01, 'pocock');
SELECT bool_and(a.critical_z = b.critical_z) AS prefix_bounds
FROM sequential_bounds(ARRAY[0.2, 0.45, 0.7]) a JOIN sequential_bounds(ARRAY[0.2, 0.45, 0.7, 0.9, 1]) b USING (look);
SELECT count(*) AS looks FROM sequential_bounds(ARRAY(SELECT g / 100.0 FROM generate_series(1, 100) g)::float8[]);
SELECT count(*) AS null_gives_no_rows FROM sequential_bounds(NULL);

-- Errors
\set VERBOSITY terse
SELECT ate_sequential(y, t, 0) FROM sq;
SELECT ate_sequential(y, t, -5) FROM sq;
SELECT ate_sequential(y, t, NULL) FROM sq;
SELECT ate_sequential(y, t, CASE WHEN i < 10 THEN 100 ELSE 200 END) FROM sq;
SELECT ate_sequential(y, i % 3, 100) FROM sq;
SELECT ate_sequential('NaN'::float8, t) FROM sq;
SELECT ate_sequential(y, CASE WHEN t THEN 'A' ELSE 'B' END) FROM sq;
SELECT * FROM sequential_bounds('{}');
SELECT * FROM sequential_bounds(ARRAY[0.5, NULL]);
SELECT * FROM sequential_bounds(ARRAY[0.5, 0.4]);
SELECT * FROM sequential_bounds(ARRAY[0.5, 0.5]);
SELECT * FROM sequential_bounds(ARRAY[0, 1]);
SELECT * FROM sequential_bounds(ARRAY[0.5, 1.5]);
SELECT * FROM sequential_bounds(ARRAY(SELECT g / 101.0 FROM generate_series(1, 101) g)::float8[]);
SELECT * FROM sequential_bounds(ARRAY[0.5, 1], 0);
SELECT * FROM sequential_bounds(ARRAY[0.5, 1], 1);
SELECT * FROM sequential_bounds(ARRAY[0.5, 1], 0.05, 'haybittle');
\set VERBOSITY default
