-- Covariate adjustment: ate(y, treated, covariates [, se_type]),
-- interaction_test(y, treated, moderators [, se_type]), ate_cuped(y,
-- treated, pre).  Values on STAR and NSW
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
-- Every se_type, on STAR and NSW (10 significant digits)
SELECT d, se, (a).se_type, sig((a).estimate) AS estimate, sig((a).std_error) AS std_error,
       sig((a).p_value) AS p_value, (a).df, sig((j).f_statistic) AS f, sig((j).chisq_p_value) AS chisq_p,
       (j).se_type AS joint_se_type
FROM unnest(ARRAY['classical', 'HC0', 'HC1', 'HC2', 'HC3']) se,
     LATERAL (SELECT 'STAR' AS d, ate(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int], se) AS a,
                     interaction_test(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int], se) AS j
              FROM star
              UNION ALL
              SELECT 'NSW', ate(re78, treat, ARRAY[age, educ, re74, re75, married, nodegree], se),
                     interaction_test(re78, treat, ARRAY[age, educ, re74, re75, married, nodegree], se)
              FROM nsw) q
ORDER BY d, se;
SELECT se, (j).interaction_std_errors::numeric(12,6)[] AS interaction_std_errors
FROM unnest(ARRAY['classical', 'HC0', 'HC1', 'HC2', 'HC3']) se,
     LATERAL (SELECT interaction_test(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int], se) AS j
              FROM star) q
ORDER BY se;

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
-- ... for every se_type, the four-argument forms of both
SELECT se, abs((j).interactions[1] - (s).interaction) <= 1e-12 * abs((s).interaction) AS same_interaction,
       abs((j).interaction_std_errors[1] - (s).std_error) <= 1e-12 * (s).std_error AS same_se,
       abs((j).interaction_p_values[1] - (s).p_value) <= 1e-12 * (s).p_value AS same_p,
       (j).se_type = (s).se_type AS same_se_type
FROM unnest(ARRAY['classical', 'HC0', 'HC1', 'HC2', 'HC3']) se,
     LATERAL (SELECT interaction_test(y, t, ARRAY[x1], se) AS j, interaction_test(y, t, x1, se) AS s FROM cov) q
ORDER BY se;

-- The four-argument HC1 is the three-argument form to the bit (the same
-- moments, pushed in the same order), whatever the case of the name;
-- NULLs skipped alike
SELECT ate(y, t, ARRAY[x1, x2, x3]) = ate(y, t, ARRAY[x1, x2, x3], 'HC1') AS ate_hc1,
       ate(y, t, ARRAY[x1, x2, x3]) = ate(y, t, ARRAY[x1, x2, x3], 'hc1') AS lower_case,
       interaction_test(y, t, ARRAY[x1, x2, x3]) = interaction_test(y, t, ARRAY[x1, x2, x3], 'Hc1') AS joint_hc1,
       ate(y, ti, ARRAY[x1]) = ate(y, ti::int8, ARRAY[x1], 'HC1') AS int_treatment,
       ate(y, t, ARRAY[]::float8[]) = ate(y, t, ARRAY[]::float8[], 'HC1') AS no_covariates
FROM cov;
SELECT ate(y, t, x) = ate(y, t, x, 'HC1') AS with_nulls,
       interaction_test(y, t, x) = interaction_test(y, t, x, 'HC1') AS joint_with_nulls,
       (ate(y, t, x, 'HC2')).n_control + (ate(y, t, x, 'HC2')).n_treated AS used
FROM (SELECT y, t, CASE WHEN i = 2 THEN NULL WHEN i = 3 THEN ARRAY[x1, NULL] ELSE ARRAY[x1, x2] END AS x FROM cov
      UNION ALL SELECT NULL, true, ARRAY[1.0, 2.0] UNION ALL SELECT 1, NULL, ARRAY[1.0, 2.0]) s;
SELECT (ate(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int])) =
       (ate(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int], 'HC1')) AS star_hc1,
       (interaction_test(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int])) =
       (interaction_test(y, treated, ARRAY[experiencek, birth, (lunchk = 'free')::int, (gender = 'female')::int], 'HC1')) AS star_joint_hc1
FROM star;
-- The classical and HC0 variances are HC1's up to the factors R's give them:
-- HC1 = HC0 n / (n - rank)
SELECT abs((h1).std_error^2 - (h0).std_error^2 * ((h1).n_treated + (h1).n_control) / (h1).df)
       <= 1e-12 * (h1).std_error^2 AS hc1_is_scaled_hc0
FROM (SELECT ate(y, t, ARRAY[x1, x2], 'HC0') AS h0, ate(y, t, ARRAY[x1, x2], 'HC1') AS h1 FROM cov) q;

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
CREATE TEMP TABLE cov_serial4 AS
SELECT se, ate(y, t, ARRAY[x1, x2, x3], se) AS a, interaction_test(y, t, ARRAY[x1, x2, x3], se) AS j
FROM unnest(ARRAY['classical', 'HC2']) se, bigcov GROUP BY se;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM bigcov;
SELECT close_adj(p.a, s.a) AS ate_parallel, close_joint(p.j, s.j) AS joint_parallel
FROM (SELECT ate(y, t, ARRAY[x1, x2, x3]) AS a, interaction_test(y, t, ARRAY[x1, x2, x3]) AS j FROM bigcov) p, cov_serial s;
SELECT ate(y, t, ARRAY[x1, x2, x3]) IS NULL AS none_parallel FROM bigcov WHERE i < 0;
-- the four-argument forms: internal state, serialized by the workers (HC2:
-- with every row)
EXPLAIN (COSTS OFF) SELECT ate(y, t, ARRAY[x1, x2, x3], 'HC2'), interaction_test(y, t, ARRAY[x1, x2, x3], 'HC2') FROM bigcov;
SELECT se, close_adj(p.a, s.a) AS ate_parallel, close_joint(p.j, s.j) AS joint_parallel,
       (p.a).se_type = se AND (p.j).se_type = se AS se_type
FROM (SELECT 'HC2' AS se, ate(y, t, ARRAY[x1, x2, x3], 'HC2') AS a, interaction_test(y, t, ARRAY[x1, x2, x3], 'HC2') AS j FROM bigcov
      UNION ALL
      SELECT 'classical', ate(y, t, ARRAY[x1, x2, x3], 'classical'), interaction_test(y, t, ARRAY[x1, x2, x3], 'classical') FROM bigcov) p
JOIN cov_serial4 s USING (se) ORDER BY se;
SELECT ate(y, t, ARRAY[x1, x2, x3], 'HC3') IS NULL AS none4_parallel FROM bigcov WHERE i < 0;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT close_adj((SELECT ate(y, t, ARRAY[x1, x2, x3]) FROM (SELECT * FROM bigcov ORDER BY md5(i::text)) s),
                 (SELECT a FROM cov_serial)) AS permuted,
       close_joint((SELECT interaction_test(y, t, ARRAY[x1, x2, x3]) FROM (SELECT * FROM bigcov ORDER BY i DESC) s),
                   (SELECT j FROM cov_serial)) AS reversed;
SELECT se, close_adj((SELECT ate(y, t, ARRAY[x1, x2, x3], se) FROM (SELECT * FROM bigcov ORDER BY md5(i::text)) s), a) AS permuted,
       close_joint((SELECT interaction_test(y, t, ARRAY[x1, x2, x3], se) FROM (SELECT * FROM bigcov ORDER BY i DESC) s), j) AS reversed
FROM cov_serial4 ORDER BY se;
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
-- (the value itself is checked against R in test/r/check_adjusted.R)
SELECT estimate, (SELECT array_agg(round(v::numeric, 12) ORDER BY o) FROM unnest(i) WITH ORDINALITY u(v, o)) AS aliased_null, df1
FROM (SELECT (ate(y, t, ARRAY[x1, 2 * x1 + 1, 5])).estimate IS NOT NULL AS estimate,
             (interaction_test(y, t, ARRAY[x1, 2 * x1 + 1, 5])).interactions AS i,
             (interaction_test(y, t, ARRAY[x1, 2 * x1 + 1, 5])).df1 AS df1
      FROM cov) s;
-- One row per arm: no standard error
SELECT (ate(y, t, ARRAY[x1])).std_error AS se, (ate(y, t, ARRAY[x1])).estimate AS est
FROM (VALUES (1.0::float8, true, 1.0::float8), (3.0, false, 2.0)) v(y, t, x1);
-- ... nor with any se_type
SELECT se, (ate(y, t, ARRAY[x1], se)).std_error AS std_error, (ate(y, t, ARRAY[x1], se)).estimate AS est
FROM unnest(ARRAY['classical', 'HC0', 'HC1', 'HC2', 'HC3']) se,
     (VALUES (1.0::float8, true, 1.0::float8), (3.0, false, 2.0)) v(y, t, x1)
GROUP BY se ORDER BY se;
-- Empty input, or no row used: NULL
SELECT ate(y, t, ARRAY[x1], 'HC2') IS NULL AS ate4_empty, interaction_test(y, t, ARRAY[x1], 'classical') IS NULL AS joint4_empty
FROM cov WHERE false;
SELECT ate(y, t, NULL::float8[], 'HC3') IS NULL AS ate4_none_used, interaction_test(NULL::float8, t, ARRAY[x1], 'HC0') IS NULL AS joint4_none_used
FROM cov;
-- A leverage of 1 (the treated row at x = 5 is alone in its arm's
-- direction): HC2 and HC3 are undefined (sandwich::vcovHC's NaN), the
-- others are R's: ate SE 0.5628674 (classical), 0.3376086 (HC0),
-- 0.5157057 (HC1); interaction SE 0.3752777, 0.1903943, 0.2908321
CREATE TEMP TABLE lev1 AS
SELECT * FROM (VALUES (1.0::float8, false, 0.0::float8), (2.5, false, 1.0), (2.0, false, 2.0), (4.5, false, 3.0),
                      (3.0, true, 0.0), (3.5, true, 0.0), (9.0, true, 5.0)) v(y, t, x);
SELECT se, sig((a).estimate) AS estimate, sig((a).std_error) AS std_error, (a).p_value IS NULL AS no_p,
       (a).df, (j).interactions::numeric(12,6)[] AS interactions, sig((j).interaction_std_errors[1]) AS interaction_se,
       (j).interaction_std_errors IS NULL AS null_array, (j).f_statistic IS NULL AS no_f
FROM unnest(ARRAY['classical', 'HC0', 'HC1', 'HC2', 'HC3']) se,
     LATERAL (SELECT ate(y, t, ARRAY[x], se) AS a, interaction_test(y, t, ARRAY[x], se) AS j FROM lev1) q
ORDER BY se;

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
  ('text treatment joint', $$SELECT interaction_test(y, t::text, ARRAY[x1]) FROM cov$$),
  ('unknown se_type',     $$SELECT ate(y, t, ARRAY[x1], 'HC4') FROM cov$$),
  ('NULL se_type',        $$SELECT ate(y, t, ARRAY[x1], NULL) FROM cov$$),
  ('NULL se_type, no row', $$SELECT interaction_test(y, t, NULL::float8[], NULL) FROM cov$$),
  ('se_type varies',      $$SELECT interaction_test(y, t, ARRAY[x1], CASE WHEN i < 100 THEN 'HC1' ELSE 'HC2' END) FROM cov$$),
  ('same se_type, two cases', $$SELECT ate(y, t, ARRAY[x1], CASE WHEN i < 100 THEN 'hc3' ELSE 'HC3' END) FROM cov$$),
  ('length changes 4',    $$SELECT ate(y, t, CASE WHEN i < 10 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END, 'HC2') FROM cov$$),
  ('21 covariates 4',     $$SELECT interaction_test(y, t, array_fill(x1, ARRAY[21]), 'HC0') FROM cov$$),
  ('NaN covariate 4',     $$SELECT ate(y, t, ARRAY[x1, 'Infinity'], 'classical') FROM cov$$),
  ('treatment 2, 4',      $$SELECT ate(y, 2::int2, ARRAY[x1], 'HC1') FROM cov$$),
  ('text treatment 4',    $$SELECT ate(y, 'A', ARRAY[x1], 'HC2') FROM cov$$),
  ('text treatment joint 4', $$SELECT interaction_test(y, t::text, ARRAY[x1], 'HC2') FROM cov$$)
) c(label, stmt);
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT ate(y, t, CASE WHEN i < 10 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END) FROM cov;
SELECT ate(y, t, array_fill(x1, ARRAY[21])) FROM cov;
SELECT ate(y, t, ARRAY['NaN'::float8]) FROM cov;
SELECT ate(y, t, ARRAY[x1], 'HC4') FROM cov;
SELECT ate(y, t, ARRAY[x1], NULL) FROM cov;
SELECT interaction_test(y, t, ARRAY[x1], CASE WHEN i < 100 THEN 'HC1' ELSE 'HC2' END) FROM cov;
SELECT interaction_test(y, t::text, ARRAY[x1], 'HC2') FROM cov;

-- Serialized states (the four-argument forms' bytea, as a worker sends it):
-- the entry point hte_cov4_deserialize, declared here as a function of
-- bytea alone, answers true when it accepts the bytes; the bytes come from
-- hte_cov4_serialize as a final function.  Every forgery is an ERROR 22023,
-- whatever the byte order of the machine.
CREATE FUNCTION cov4_accepts(bytea) RETURNS boolean
    AS '$libdir/hte', 'hte_cov4_deserialize' LANGUAGE C STRICT;
CREATE AGGREGATE cov4_bytes(float8, boolean, float8[], text) (
    SFUNC = hte_cov4_trans, STYPE = internal, FINALFUNC = hte_cov4_serialize);
CREATE TEMP TABLE cov4_b AS
SELECT (SELECT cov4_bytes(y, t, ARRAY[x1, x2], 'HC1') FROM cov WHERE i <= 100) AS hc1,
       (SELECT cov4_bytes(y, t, ARRAY[x1, x2], 'HC2') FROM cov WHERE i <= 100) AS hc2,
       (SELECT cov4_bytes(y, t, NULL, 'HC0') FROM cov) AS empty;
SELECT cov4_accepts(hc1) AS hc1, cov4_accepts(hc2) AS hc2, cov4_accepts(empty) AS empty,
       length(empty) AS empty_bytes, length(hc2) - length(hc1) AS hc2_row_bytes
FROM cov4_b;
\set VERBOSITY terse
SELECT label, sqlstate_of(format('SELECT cov4_accepts(%L::bytea)', b)) AS sqlstate FROM cov4_b, LATERAL (VALUES
  ('no bytes',            '\x'::bytea),
  ('truncated header',    substring(empty FROM 1 FOR 15)),
  ('empty, trailing',     empty || '\x00'::bytea),
  ('truncated',           substring(hc1 FROM 1 FOR length(hc1) - 1)),
  ('truncated rows',      substring(hc2 FROM 1 FOR length(hc2) - 8)),
  ('trailing byte',       hc1 || '\x00'::bytea),
  ('magic',               set_byte(hc1, 0, 0)),
  ('version',             set_byte(hc1, 4, 7)),
  ('unknown se_type',     set_byte(hc1, 8, 99)),
  ('p out of range',      set_byte(hc1, 12, 99)),
  ('p not the state''s',  set_byte(hc1, 12, 2)),
  ('HC1 bytes as HC2',    set_byte(hc1, 8, 3)),
  ('HC2 bytes as HC1',    set_byte(hc2, 8, 2)),
  ('row count',           set_byte(hc2, 16, (get_byte(hc2, 16) + 1) % 256)),
  ('layout tag',          overlay(hc1 PLACING '\x0000000000000000'::bytea FROM 33)),
  ('pending count',       overlay(hc1 PLACING '\x3fe0000000000001'::bytea FROM 49)),
  ('NaN mean',            overlay(hc1 PLACING '\xffffffffffffffff'::bytea FROM 73)),
  ('NaN row',             overlay(hc2 PLACING '\xffffffffffffffff'::bytea FROM length(hc2) - 7))
) f(label, b);
\set VERBOSITY default
SELECT cov4_accepts(set_byte(hc1, 8, 99)) FROM cov4_b;
