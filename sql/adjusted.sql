-- Covariate adjustment: ate(y, treated, covariates), interaction_test(y,
-- treated, moderators), ate_cuped(y, treated, pre).  Values on STAR and NSW
-- are checked against R by test/r/check_adjusted.R (lm + sandwich +
-- lmtest::waldtest, estimatr::lm_lin, t.test); this file pins them and
-- checks the invariants and the errors.
\x on
SELECT (ate(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int])).*
FROM star;
SELECT (interaction_test(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int])).*
FROM star;
SELECT (ate_cuped(re78, treat, re75)).* FROM nsw;
\x off

CREATE TEMP TABLE cov AS
SELECT i, 10 + (i % 7) * 0.5 + (i % 2) * (2 + 0.3 * (i % 11)) + sin(i) AS y, i % 2 = 1 AS t,
       (i % 2)::int AS ti, (i % 11) * 1.0 AS x1, cos(i) * 3 AS x2, (i % 5) * 0.25 + sin(i * 7) AS x3
FROM generate_series(1, 3000) i;

-- One moderator: the joint test is interaction_test(y, treated, x)'s t test
-- (F = t², the same interaction, SE and p, identical state algebra aside)
SELECT abs((j).interactions[1] - (s).interaction) <= 1e-12 * abs((s).interaction) AS same_interaction,
       abs((j).interaction_std_errors[1] - (s).std_error) <= 1e-12 * (s).std_error AS same_se,
       abs((j).interaction_p_values[1] - (s).p_value) <= 1e-12 * (s).p_value AS same_p,
       abs((j).f_statistic - ((s).interaction / (s).std_error)^2) <= 1e-12 * (j).f_statistic AS f_is_t_squared,
       (j).df1 = 1 AND (j).df2 = (s).df AS same_df,
       (j).interaction_p_adjusted = (j).interaction_p_values AS holm_of_one
FROM (SELECT interaction_test(y, t, ARRAY[x1]) AS j, interaction_test(y, t, x1) AS s FROM cov) q;

-- Zero covariates, or a covariate with the same mean in both arms: the
-- adjusted estimate is the difference in means
SELECT abs((ate(y, t, ARRAY[]::float8[])).estimate - (ate(y, t)).estimate) <= 1e-12 AS no_covariates,
       (ate(y, t, ARRAY[]::float8[])).covariates AS p0,
       abs((ate(y, t, ARRAY[(i % 4 >= 2)::int])).estimate - (ate(y, t)).estimate) <= 1e-12 AS balanced_covariate
FROM cov;
-- ... and the unadjusted columns are ate(y, treated) on the same rows
SELECT a.unadjusted_estimate = b.estimate AS unadjusted_estimate, a.unadjusted_std_error = b.std_error AS unadjusted_se
FROM (SELECT (ate(y, t, ARRAY[x1, x2])).* FROM cov) a, (SELECT (ate(y, t)).* FROM cov) b;

-- ate_cuped shares interaction_test(y, t, x)'s state; its unadjusted columns are ate's
SELECT (ate_cuped(y, t, x1)).unadjusted_estimate = (ate(y, t)).estimate AS cuped_unadjusted,
       (ate_cuped(y, t, x1)).covariates AS one, (ate_cuped(y, t, x1)).se_type AS welch
FROM cov;

-- Integer treatments give the same results as boolean ones
SELECT ate(y, t, ARRAY[x1, x2]) = ate(y, ti, ARRAY[x1, x2]) AS int4,
       ate(y, t, ARRAY[x1, x2]) = ate(y, ti::int2, ARRAY[x1, x2]) AS int2,
       interaction_test(y, t, ARRAY[x1, x2]) = interaction_test(y, ti::int8, ARRAY[x1, x2]) AS int8
FROM cov;

-- Parallel equals serial, permuted and split input equal the whole (1e-12)
CREATE FUNCTION close_adj(a hte_ate_adjusted, b hte_ate_adjusted) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(u IS NOT DISTINCT FROM v OR abs(u - v) <= 1e-12 * abs(v))
  FROM unnest(ARRAY[a.estimate, a.std_error, a.ci_lower, a.ci_upper, a.p_value, a.df, a.variance_reduction],
              ARRAY[b.estimate, b.std_error, b.ci_lower, b.ci_upper, b.p_value, b.df, b.variance_reduction]) w(u, v) $$;
CREATE FUNCTION close_joint(a hte_interaction_joint, b hte_interaction_joint) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(u IS NOT DISTINCT FROM v OR abs(u - v) <= 1e-12 * abs(v))
  FROM unnest(ARRAY[a.f_statistic, a.p_value, a.chisq_statistic] || a.interactions || a.interaction_std_errors,
              ARRAY[b.f_statistic, b.p_value, b.chisq_statistic] || b.interactions || b.interaction_std_errors) w(u, v) $$;
CREATE TABLE bigcov AS
SELECT i, 100 + (i % 13) * 0.7 + (i % 2) * (1 + 0.1 * (i % 17)) + sin(i) * 2 AS y, i % 2 = 0 AS t,
       (i % 17) * 1.0 AS x1, cos(i) AS x2, 1e6 + (i % 3) AS x3
FROM generate_series(1, 60000) i;
ANALYZE bigcov;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE cov_serial AS
SELECT ate(y, t, ARRAY[x1, x2, x3]) AS a, interaction_test(y, t, ARRAY[x1, x2, x3]) AS j FROM bigcov;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM bigcov;
SELECT close_adj(p.a, s.a) AS ate_parallel, close_joint(p.j, s.j) AS joint_parallel
FROM (SELECT ate(y, t, ARRAY[x1, x2, x3]) AS a, interaction_test(y, t, ARRAY[x1, x2, x3]) AS j FROM bigcov) p, cov_serial s;
SELECT ate(y, t, ARRAY[x1, x2, x3]) IS NULL AS none_parallel FROM bigcov WHERE i < 0;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT close_adj((SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM (SELECT * FROM bigcov ORDER BY md5(i::text)) s),
                 (SELECT a FROM cov_serial)) AS permuted,
       close_joint((SELECT interaction_test(y, t, ARRAY[x1, x2, x3]) FROM (SELECT * FROM bigcov ORDER BY i DESC) s),
                   (SELECT j FROM cov_serial)) AS reversed;
CREATE AGGREGATE cov_state(float8, boolean, float8[]) (SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}');
SELECT close_adj(hte_cov_ate_final(hte_cov_combine(a.s, b.s)), (SELECT a FROM cov_serial)) AS split_merge,
       close_adj(hte_cov_ate_final(hte_cov_combine('{3,0,0,0}', a.s)), (SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM bigcov WHERE i % 3 = 0)) AS empty_left,
       close_adj(hte_cov_ate_final(hte_cov_combine(a.s, '{3,0,0,0}')), (SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM bigcov WHERE i % 3 = 0)) AS empty_right
FROM (SELECT cov_state(y, t, ARRAY[x1, x2, x3]) AS s FROM bigcov WHERE i % 3 = 0) a,
     (SELECT cov_state(y, t, ARRAY[x1, x2, x3]) AS s FROM bigcov WHERE i % 3 <> 0) b;
RESET max_parallel_workers_per_gather;
DROP TABLE bigcov;

-- Rows with a NULL outcome, treatment, array or array element are skipped
SELECT (ate(y, t, ARRAY[x1, x2])).n_treated + (ate(y, t, ARRAY[x1, x2])).n_control AS used
FROM (SELECT y, t, CASE WHEN i = 5 THEN NULL ELSE x1 END AS x1, x2 FROM cov
      UNION ALL SELECT NULL, true, 1, 1 UNION ALL SELECT 1, NULL, 1, 1) s;
SELECT (ate(y, t, x)).n_control AS used FROM (SELECT y, t, CASE WHEN i = 2 THEN NULL ELSE ARRAY[x1] END AS x FROM cov) s;
-- Empty input: NULL
SELECT ate(y, t, ARRAY[x1]) IS NULL AS ate_empty, interaction_test(y, t, ARRAY[x1]) IS NULL AS joint_empty,
       ate_cuped(y, t, x1) IS NULL AS cuped_empty
FROM cov WHERE false;
-- Aliased covariates: NULL where R's lm gives NA, numbers elsewhere
SELECT (ate(y, t, ARRAY[x1, 2 * x1 + 1, 5])).estimate IS NOT NULL AS estimate,
       (interaction_test(y, t, ARRAY[x1, 2 * x1 + 1, 5])).interactions AS aliased_null,
       (interaction_test(y, t, ARRAY[x1, 2 * x1 + 1, 5])).df1 AS df1
FROM cov;
-- One row per arm: no standard error
SELECT (ate(y, t, ARRAY[x1])).std_error AS se, (ate(y, t, ARRAY[x1])).estimate AS est
FROM (VALUES (1.0::float8, true, 1.0::float8), (3.0, false, 2.0)) v(y, t, x1);

-- Errors
\set VERBOSITY terse
SELECT label, sqlstate_of(stmt) AS sqlstate FROM (VALUES
  ('length changes',      $$SELECT ate(y, t, CASE WHEN i < 10 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM cov$$),
  ('joint length changes', $$SELECT interaction_test(y, t, CASE WHEN i > 10 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM cov$$),
  ('NaN covariate',       $$SELECT ate(y, t, ARRAY['NaN'::float8]) FROM cov$$),
  ('Infinity covariate',  $$SELECT interaction_test(y, t, ARRAY['-Infinity'::float8, x1]) FROM cov$$),
  ('NaN outcome',         $$SELECT ate('NaN'::float8, true, ARRAY[1.0::float8])$$),
  ('two dimensions',      $$SELECT ate(y, t, ARRAY[[x1, x2], [x2, x1]]) FROM cov$$),
  ('21 covariates',       $$SELECT ate(y, t, array_fill(x1, ARRAY[21])) FROM cov$$),
  ('treatment 2',         $$SELECT ate(y, 2, ARRAY[x1]) FROM cov$$),
  ('text treatment',      $$SELECT ate(y, 'A', ARRAY[x1]) FROM cov$$),
  ('forged state tag',    $$SELECT hte_cov_ate_final('{4,0,0,0}')$$),
  ('forged state length', $$SELECT hte_cov_ate_final('{3,1,0,0,0}')$$),
  ('forged p',            $$SELECT hte_cov_ate_final('{3,2,0,0}')$$),
  ('merge different p',   $$SELECT hte_cov_combine((SELECT cov_state(y, t, ARRAY[x1]) FROM cov), (SELECT cov_state(y, t, ARRAY[x1, x2]) FROM cov))$$),
  ('forged pending',      $$SELECT hte_cov_ate_final(s[1:2] || '{0.5}'::float8[] || s[4:]) FROM (SELECT cov_state(y, t, ARRAY[x1]) s FROM cov) v$$),
  ('forged count',        $$SELECT hte_cov_ate_final(s[1:4] || '{-1}'::float8[] || s[6:]) FROM (SELECT cov_state(y, t, ARRAY[x1]) s FROM cov) v$$),
  ('forged moment',       $$SELECT hte_cov_joint_final(s[1:9] || '{-5}'::float8[] || s[11:]) FROM (SELECT cov_state(y, t, ARRAY[x1]) s FROM cov) v$$),
  ('text treatment cuped', $$SELECT ate_cuped(y, 'A', x1) FROM cov$$),
  ('text treatment joint', $$SELECT interaction_test(y, t::text, ARRAY[x1]) FROM cov$$)
) c(label, stmt);
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT ate(y, t, CASE WHEN i < 10 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM cov;
SELECT ate(y, t, array_fill(x1, ARRAY[21])) FROM cov;
SELECT ate(y, t, ARRAY['NaN'::float8]) FROM cov;
