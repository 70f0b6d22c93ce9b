-- Observational data: estimands, propensity_model, propensity_score,
-- overlap_check, balance_table.  The numbers themselves are checked against
-- R (glm, lm, the estimating equations written out) in
-- test/r/check_observational.R; here: shapes, NULL handling, errors, and
-- the invariants (parallel = serial, permuted input, one array = two equal
-- arrays, int = boolean treatment).
SET extra_float_digits = 0;
CREATE TABLE obs AS
SELECT i, x1, x2, t,
       1 + 2 * x1 - x2 + t::int * (1 + x1) + 0.5 * sin(i * 7.3) AS y
FROM (SELECT i, x1, x2,
             (hashint4(i) % 1000 + 1000) / 2000.0 < 1 / (1 + exp(-(0.3 + 0.8 * x1 - 0.5 * x2))) AS t
      FROM (SELECT i, sin(i * 0.7) * 1.5 AS x1, cos(i * 1.3) + (i % 3) AS x2
            FROM generate_series(1, 3000) i) a) b;
ANALYZE obs;

SELECT (e).estimand, round((e).estimate::numeric, 6) AS estimate, round((e).std_error::numeric, 6) AS se,
       round((e).po_mean_treated::numeric, 6) AS po1, round((e).po_mean_control::numeric, 6) AS po0,
       (e).n_treated, (e).n_control, (e).method, (e).link
FROM (SELECT unnest(estimands(y, t, ARRAY[x1, x2])) AS e FROM obs) s;
SELECT m, l, e.estimand, round(e.estimate::numeric, 6) AS estimate, round(e.std_error::numeric, 6) AS se
FROM (SELECT m, l, estimands(y, t, ARRAY[x1, x2], m, l) AS a
      FROM obs, unnest(ARRAY['aipw', 'ipw', 'ra']) m, unnest(ARRAY['logit', 'probit']) l GROUP BY m, l) s,
     unnest(a) WITH ORDINALITY e
ORDER BY m, l, e.ordinality;
-- the interval and test follow from the estimate and SE
SELECT bool_and(abs((e).ci_upper - (e).estimate - 1.959963984540054 * (e).std_error) < 1e-9 * abs((e).std_error)
                AND abs((e).z_statistic - (e).estimate / (e).std_error) < 1e-12 * abs((e).z_statistic)) AS ci_z
FROM (SELECT unnest(estimands(y, t, ARRAY[x1, x2])) AS e FROM obs) s;

SELECT array_length(p.coefficients, 1) AS k, round(p.coefficients[2]::numeric, 8) AS b1,
       round(p.std_errors[2]::numeric, 8) AS se1, round(p.log_likelihood::numeric, 6) AS ll,
       p.converged, p.n_treated, p.n_control, p.link
FROM (SELECT (propensity_model(t, ARRAY[x1, x2])).* FROM obs) p;
SELECT round(ps_min_treated::numeric, 8) AS min1, round(ps_max_control::numeric, 8) AS max0, n_below, n_above,
       round(crump_alpha::numeric, 8) AS alpha, n_outside_crump, round(ess_treated::numeric, 4) AS ess1,
       round(max_weight::numeric, 6) AS maxw, converged
FROM (SELECT (overlap_check(t, ARRAY[x1, x2])).* FROM obs) o;
SELECT (b).covariate, round((b).smd::numeric, 8) AS smd, round((b).smd_weighted::numeric, 8) AS smd_w,
       round((b).variance_ratio::numeric, 8) AS vr, round((b).variance_ratio_weighted::numeric, 8) AS vr_w
FROM (SELECT unnest(balance_table(t, ARRAY[x1, x2], 'ATT')) AS b FROM obs) s;

-- propensity_score reproduces the model's fitted values (overlap_check's range)
WITH m AS (SELECT propensity_model(t, ARRAY[x1, x2]) AS m FROM obs)
SELECT abs(min(propensity_score(m, ARRAY[x1, x2])) FILTER (WHERE t) - o.ps_min_treated) < 1e-15 AS score_min,
       abs(max(propensity_score(m, ARRAY[x1, x2])) FILTER (WHERE NOT t) - o.ps_max_control) < 1e-15 AS score_max
FROM obs, m, (SELECT (overlap_check(t, ARRAY[x1, x2])).* FROM obs) o
GROUP BY o.ps_min_treated, o.ps_max_control;
SELECT propensity_score(m, NULL) IS NULL AS null_x, propensity_score(m, ARRAY[NULL, 1]::float8[]) IS NULL AS null_elem
FROM (SELECT propensity_model(t, ARRAY[x1, x2]) AS m FROM obs) s;

-- Invariants: int treatment = boolean; two equal arrays = one array;
-- permuted rows; parallel = serial (1e-10: the sums run in another order)
CREATE FUNCTION close_est(a hte_estimand[], b hte_estimand[]) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(abs(u.estimate - v.estimate) <= 1e-10 * (1 + abs(v.estimate))
                  AND abs(u.std_error - v.std_error) <= 1e-10 * abs(v.std_error)
                  AND u.n_treated = v.n_treated AND u.n_control = v.n_control)
  FROM unnest(a) WITH ORDINALITY u, unnest(b) WITH ORDINALITY v WHERE u.ordinality = v.ordinality $$;
SELECT close_est(estimands(y, t::int, ARRAY[x1, x2], 'ipw', 'probit'), estimands(y, t, ARRAY[x1, x2], 'ipw', 'probit')) AS int_treatment,
       close_est(estimands(y, t, ARRAY[x1, x2], ARRAY[x1, x2], 'aipw', 'logit'), estimands(y, t, ARRAY[x1, x2])) AS two_arrays
FROM obs;
SELECT close_est((SELECT estimands(y, t, ARRAY[x1, x2]) FROM (SELECT * FROM obs ORDER BY md5(i::text)) s),
                 (SELECT estimands(y, t, ARRAY[x1, x2]) FROM obs)) AS permuted;
-- different outcome and treatment covariates
SELECT (e).estimand, round((e).estimate::numeric, 6) AS estimate, round((e).std_error::numeric, 6) AS se
FROM (SELECT unnest(estimands(y, t, ARRAY[x1], ARRAY[x1, x2, x1 * x2], 'aipw', 'logit')) AS e FROM obs) s;
CREATE TEMP TABLE obs_serial AS
SELECT estimands(y, t, ARRAY[x1, x2]) AS e, propensity_model(t, ARRAY[x1, x2]) AS m,
       overlap_check(t, ARRAY[x1, x2], 'probit') AS o, balance_table(t, ARRAY[x1, x2]) AS b FROM obs;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT estimands(y, t, ARRAY[x1, x2]) FROM obs;
SELECT close_est(p.e, s.e) AS estimands_parallel,
       abs((p.m).log_likelihood - (s.m).log_likelihood) < 1e-10 * abs((s.m).log_likelihood) AS model_parallel,
       abs((p.o).crump_alpha - (s.o).crump_alpha) < 1e-12 AND (p.o).n_below = (s.o).n_below AS overlap_parallel,
       abs((p.b)[2].smd_weighted - (s.b)[2].smd_weighted) < 1e-10 AS balance_parallel
FROM (SELECT estimands(y, t, ARRAY[x1, x2]) AS e, propensity_model(t, ARRAY[x1, x2]) AS m,
             overlap_check(t, ARRAY[x1, x2], 'probit') AS o, balance_table(t, ARRAY[x1, x2]) AS b FROM obs) p,
     obs_serial s;
SELECT estimands(y, t, ARRAY[x1, x2]) IS NULL AS none_parallel FROM obs WHERE i < 0;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;

-- NULLs skip the row: outcome, treatment, array, array element
SELECT (e).n_treated + (e).n_control AS used
FROM (SELECT unnest(estimands(y, t, x)) AS e
      FROM (SELECT CASE WHEN i = 1 THEN NULL ELSE y END AS y, CASE WHEN i = 2 THEN NULL ELSE t END AS t,
                   CASE WHEN i = 3 THEN NULL WHEN i = 4 THEN ARRAY[x1, NULL] ELSE ARRAY[x1, x2] END AS x
            FROM obs) s) u
WHERE (e).estimand = 'ATE';
SELECT n_treated + n_control AS used
FROM (SELECT (propensity_model(t, CASE WHEN i <= 10 THEN NULL ELSE ARRAY[x1, x2] END)).* FROM obs) s;
-- no rows, or one arm only: NULL
SELECT estimands(y, t, ARRAY[x1]) IS NULL AS empty, propensity_model(t, ARRAY[x1]) IS NULL AS empty_model,
       overlap_check(t, ARRAY[x1]) IS NULL AS empty_overlap, balance_table(t, ARRAY[x1]) IS NULL AS empty_balance
FROM obs WHERE false;
SELECT estimands(y, t, ARRAY[x1]) IS NULL AS one_arm, propensity_model(t, ARRAY[x1]) IS NULL AS one_arm_model
FROM obs WHERE t;
-- no covariates: the propensity is the share treated, RA the difference in means
SELECT round((e).estimate::numeric, 9) = round((SELECT avg(y) FILTER (WHERE t) - avg(y) FILTER (WHERE NOT t) FROM obs)::numeric, 9) AS ra_no_covariates
FROM (SELECT unnest(estimands(y, t, '{}'::float8[], 'ra')) AS e FROM obs) s WHERE (e).estimand = 'ATE';
-- an aliased covariate: NULL coefficient, the rest as without it
SELECT p.coefficients[3] IS NULL AS aliased,
       abs(p.coefficients[2] - q.coefficients[2]) < 1e-10 AS same_fit
FROM (SELECT (propensity_model(t, ARRAY[x1, 2 * x1])).* FROM obs) p,
     (SELECT (propensity_model(t, ARRAY[x1])).* FROM obs) q;

-- huge and tiny covariates: the same fit, rescaled (columns are centred)
SELECT close_est(estimands(y, t, ARRAY[x1 * 1e100, x2 * 1e-100]), estimands(y, t, ARRAY[x1, x2])) AS rescaled,
       close_est(estimands(y + 1e9, t, ARRAY[x1 + 1e6, x2]), estimands(y + 1e9, t, ARRAY[x1, x2])) AS offset_x
FROM obs;

-- Errors
\set VERBOSITY terse
SELECT estimands(y, t, ARRAY[x1 * 1e200]) FROM obs;
SELECT estimands(y, t, ARRAY[x1 * 1e200], 'ra') FROM obs;
SELECT estimands(y, t, ARRAY[x1], 'matching') FROM obs;
SELECT estimands(y, t, ARRAY[x1], 'aipw', 'cloglog') FROM obs;
SELECT estimands(y, t, ARRAY[x1], NULL) FROM obs;
SELECT balance_table(t, ARRAY[x1], 'ATX') FROM obs;
SELECT estimands(y, t, ARRAY[x1], CASE WHEN i = 5 THEN 'ipw' ELSE 'aipw' END) FROM obs;
SELECT estimands(y, t, CASE WHEN i = 5 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM obs;
SELECT estimands(y, t, ARRAY[x1, 'NaN']) FROM obs;
SELECT estimands('Infinity', t, ARRAY[x1]) FROM obs;
SELECT estimands(y, i % 3, ARRAY[x1]) FROM obs;
SELECT estimands(y, CASE WHEN t THEN 'A' ELSE 'B' END, ARRAY[x1]) FROM obs;
SELECT propensity_model(CASE WHEN t THEN 'A' ELSE 'B' END, ARRAY[x1]) FROM obs;
SELECT estimands(y, t, ARRAY(SELECT generate_series(1, 101))::float8[]) FROM obs;
-- separation: x1 > 0 decides the treatment
SELECT propensity_model(x1 > 0, ARRAY[x1]) FROM obs;
SELECT estimands(y, x1 > 0, ARRAY[x1]) FROM obs;
SELECT overlap_check(x1 > 0, ARRAY[x1], 'probit') FROM obs;
-- ra fits no propensity model: separation does not stop it
SELECT (e).estimand IS NOT NULL AS ra_ok FROM (SELECT unnest(estimands(y, x1 > 0, ARRAY[x1], 'ra')) AS e FROM obs) s LIMIT 1;
SELECT propensity_score((SELECT propensity_model(t, ARRAY[x1, x2]) FROM obs), ARRAY[1]);
\set VERBOSITY default
