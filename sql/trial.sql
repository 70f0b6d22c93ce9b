-- The trial measures (issue 17): risk_effects, late, allocation_check,
-- sample_size_interaction.  Values on the shipped data to ten significant
-- digits (checked against R in test/r/check_trial.R); edge cases; errors
-- with their SQLSTATEs; parallel plans equal serial ones.
SET extra_float_digits = 0;

-- NSW: the share with any 1978 earnings
SELECT events_treated, events_control, n_treated, n_control, sig(risk_difference) AS rd,
       sig(rd_ci_lower) AS rd_lo, sig(rd_ci_upper) AS rd_hi, sig(risk_ratio) AS rr,
       sig(rr_ci_lower) AS rr_lo, sig(rr_ci_upper) AS rr_hi, sig(odds_ratio) AS "or",
       sig(or_ci_lower) AS or_lo, sig(or_ci_upper) AS or_hi, sig(nnt) AS nnt,
       sig(nnt_ci_lower) AS nnt_lo, sig(nnt_ci_upper) AS nnt_hi, sig(p_value) AS p
FROM (SELECT (risk_effects(re78 > 0, treat)).* FROM nsw) r;
-- integer treatments give the same
SELECT (risk_effects(re78 > 0, treat)) = (risk_effects(re78 > 0, treat::int)) AS int4_same,
       (risk_effects(re78 > 0, treat)) = (risk_effects(re78 > 0, treat::int::smallint)) AS int2_same,
       (risk_effects(re78 > 0, treat)) = (risk_effects(re78 > 0, treat::int::bigint)) AS int8_same
FROM nsw;
-- zero events in an arm: RR and OR NULL, never Infinity; NNT from the RD
SELECT risk_treated, risk_control, risk_difference, risk_ratio, odds_ratio, nnt, sig(p_value) AS p
FROM (SELECT (risk_effects(y, t)).* FROM (VALUES (false, true), (false, true), (false, true),
      (true, false), (false, false), (false, false)) v(y, t)) r;
-- all events everywhere: no p-value, no RD interval, RR 1, OR NULL
SELECT risk_difference, rd_ci_lower, risk_ratio, rr_ci_lower, odds_ratio, nnt, p_value
FROM (SELECT (risk_effects(true, t)).* FROM (VALUES (true), (false), (true), (false)) v(t)) r;
-- one arm, NULLs skipped, no rows
SELECT n_treated, n_control, risk_treated, risk_control, risk_difference
FROM (SELECT (risk_effects(y, t)).* FROM (VALUES (true, true), (NULL, false), (false, NULL)) v(y, t)) r;
SELECT risk_effects(y, t) IS NULL AS no_rows FROM (SELECT true, true WHERE false) v(y, t);
-- a negative risk difference: 1/|RD| and the reciprocals of its limits
SELECT sig(risk_difference) AS rd, sig(rd_ci_lower) AS rd_lo, sig(rd_ci_upper) AS rd_hi, sig(nnt) AS nnt,
       sig(nnt_ci_lower) AS lo, sig(nnt_ci_upper) AS hi,
       abs(nnt_ci_lower * rd_ci_lower + 1) < 1e-12 AND abs(nnt_ci_upper * rd_ci_upper + 1) < 1e-12 AS reciprocals
FROM (SELECT (risk_effects(i % 10 < CASE WHEN i % 2 = 1 THEN 2 ELSE 4 END, i % 2 = 1)).*
      FROM generate_series(1, 2000) i) r;

-- LATE on NSW with non-compliance made from the ids (HC1, and every se_type)
CREATE TEMP VIEW nsw_nc AS
SELECT re78 AS y, treat AS z, (treat AND id % 5 <> 0) OR (NOT treat AND id % 7 = 0) AS d FROM nsw;
SELECT sig(estimate) AS estimate, sig(std_error) AS se, sig(ci_lower) AS lo, sig(ci_upper) AS hi,
       sig(p_value) AS p, df, sig(itt) AS itt, sig(itt_std_error) AS itt_se, sig(first_stage) AS fs,
       sig(first_stage_f) AS f, n_assigned, n_control, se_type
FROM (SELECT (late(y, z, d)).* FROM nsw_nc) r;
SELECT se_type, sig(std_error) AS se FROM (
  SELECT (late(y, z, d, 'classical')).* FROM nsw_nc UNION ALL
  SELECT (late(y, z, d, 'HC0')).* FROM nsw_nc UNION ALL
  SELECT (late(y, z, d, 'hc1')).* FROM nsw_nc UNION ALL
  SELECT (late(y, z, d, 'HC2')).* FROM nsw_nc UNION ALL
  SELECT (late(y, z, d, 'HC3')).* FROM nsw_nc) r;
-- full compliance: LATE = ITT = ate(y, z)
SELECT (late(re78, treat, treat)).estimate = (ate(re78, treat)).estimate AS late_is_ate,
       abs((late(re78, treat, treat)).itt_std_error / (ate(re78, treat)).std_error - 1) < 1e-14 AS itt_se_is_welch,
       abs((late(re78, treat, treat)).std_error / (ate(re78, treat)).std_error - 1) < 1e-2 AS se_close_to_welch
FROM nsw;
-- a first stage of 0: NULL estimate, the F shown
SELECT estimate, std_error, first_stage, first_stage_f, itt IS NOT NULL AS itt_shown
FROM (SELECT (late(y, z, d)).* FROM (VALUES (1.0, true, true), (2.0, true, false), (3.0, false, true),
      (5.0, false, false)) v(y, z, d)) r;
-- an empty arm, no rows
SELECT estimate, itt, n_assigned, n_control FROM (SELECT (late(re78, treat, treat)).* FROM nsw WHERE treat) r;
SELECT late(y, z, d) IS NULL AS no_rows FROM nsw_nc WHERE false;

-- the allocation check
SELECT n_treated, n_control, sig(chisq) AS chisq, sig(p_value) AS p
FROM (SELECT (allocation_check(treat, 0.5)).* FROM nsw) r;
SELECT n_treated, n_control, sig(chisq) AS chisq, sig(p_value)::float8 AS p
FROM (SELECT (allocation_check(treated::int, 1 / 3.0)).* FROM star) r;

-- planning: the article's "an interaction needs about four times the sample"
SELECT sig(sample_size_interaction(0.4, 1, 0.5, 0.05, 0.8)) AS n_interaction,
       sig(sample_size_interaction(0.4, 1, 0.5, 0.05, 0.8) / sample_size_interaction(0.4, 1, 1, 0.05, 0.8)) AS ratio_to_sd_x_1,
       sample_size_interaction(0, 1, 0.5, 0.05, 0.8) AS no_interaction;

-- power and sample size of the two-sample t test (power.t.test)
SELECT sig(power_ate(64, 0.5, 1, 0.05)) AS power_64, sig(sample_size_ate(0.5, 1, 0.05, 0.8)) AS n_per_arm,
       sig(power_ate(sample_size_ate(0.5, 1, 0.05, 0.8), 0.5, 1, 0.05)) AS power_at_n,
       sig(sample_size_ate(-0.5, 1, 0.05, 0.8)) AS negative_delta, sample_size_ate(0, 1, 0.05, 0.8) AS no_effect;
-- the article's rule with these functions: a subgroup difference as large
-- as the main effect needs about four times the trial
SELECT sig(2 * sample_size_ate(0.4, 1, 0.05, 0.8)) AS n_main_effect,
       sig(sample_size_interaction(0.4, 1, 0.5, 0.05, 0.8)) AS n_interaction,
       round((sample_size_interaction(0.4, 1, 0.5, 0.05, 0.8) / (2 * sample_size_ate(0.4, 1, 0.05, 0.8)))::numeric, 2) AS ratio;

-- parallel plans equal serial ones
CREATE TABLE trial_big AS
SELECT i % 3 = 0 AS z, (i % 3 = 0 AND i % 7 <> 0) OR (i % 3 <> 0 AND i % 11 = 0) AS d,
       (i % 13)::float8 + (i % 3 = 0)::int * 0.5 AS y, i % 4 = 1 AS b
FROM generate_series(1, 60000) i;
ANALYZE trial_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE trial_serial AS
SELECT risk_effects(b, z) AS r, late(y, z, d, 'HC2') AS l, allocation_check(z, 1 / 3.0) AS a FROM trial_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT risk_effects(b, z), late(y, z, d, 'HC2'), allocation_check(z, 1 / 3.0) FROM trial_big;
SELECT p.r = s.r AS risk_same, abs((p.l).estimate / (s.l).estimate - 1) < 1e-12 AS late_same,
       abs((p.l).std_error / (s.l).std_error - 1) < 1e-12 AS late_se_same, p.a = s.a AS allocation_same
FROM (SELECT risk_effects(b, z) AS r, late(y, z, d, 'HC2') AS l, allocation_check(z, 1 / 3.0) AS a FROM trial_big) p,
     trial_serial s;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE trial_big;

-- errors
SELECT risk_effects(true, 2);
SELECT late('NaN', true, true);
SELECT late(1.0, true, true, 'HC4');
SELECT late(y, z, d, CASE WHEN y > 5000 THEN 'HC1' ELSE 'HC2' END) FROM nsw_nc;
SELECT late(1.0, true, true, NULL);
SELECT allocation_check(true, 1.5);
SELECT allocation_check(t, s) FROM (VALUES (true, 0.5), (false, 0.6)) v(t, s);
SELECT allocation_check(true, NULL);
SELECT sample_size_interaction(1, -1, 0.5, 0.05, 0.8);
SELECT sample_size_interaction(1, 1, 0.5, 0.05, 1);
SELECT power_ate(1, 0.5, 1, 0.05);
SELECT sample_size_ate(0.5, 0, 0.05, 0.8);
SELECT hte_risk_final('{6,1,0,0,0}');
SELECT hte_late_final('{7,9}');
SELECT sqlstate_of($$SELECT risk_effects(true, 2)$$) AS bad_treatment,
       sqlstate_of($$SELECT late('Infinity', true, true)$$) AS infinite,
       sqlstate_of($$SELECT late(1.0, true, true, 'HC4')$$) AS unknown_se,
       sqlstate_of($$SELECT allocation_check(true, 0)$$) AS share_0,
       sqlstate_of($$SELECT hte_risk_final('{6,1,0,0,0}')$$) AS bad_state;

-- ate_blocked and ate_clustered (cate_by's keyed state)
-- one block is ate's estimate and standard error (df N − 2)
SELECT abs((ate_blocked(y, treated, 1)).estimate / (ate(y, treated)).estimate - 1) < 1e-12 AS one_block_estimate,
       abs((ate_blocked(y, treated, 1)).std_error / (ate(y, treated)).std_error - 1) < 1e-12 AS one_block_se,
       (ate_blocked(y, treated, 1)).df = count(*) - 2 AS one_block_df
FROM star;
-- singleton clusters: CR2 is HC2, which is ate's Welch standard error
SELECT abs((ate_clustered(y, treated, id)).std_error / (ate(y, treated)).std_error - 1) < 1e-12 AS singleton_clusters_se
FROM star;
-- STAR blocked by school, the schools with two pupils in each arm
SELECT sig(estimate) AS estimate, sig(std_error) AS se, df, n_treated, n_control, sig(mean_treated) AS mean_t,
       sd_treated, sd_control
FROM (SELECT (ate_blocked(y, treated, schoolidk)).* FROM star
      WHERE schoolidk IN (SELECT schoolidk FROM star GROUP BY schoolidk
                          HAVING count(*) FILTER (WHERE treated) >= 2 AND count(*) FILTER (WHERE NOT treated) >= 2)) r;
-- pairs, and pairs mixed with larger blocks (a WARNING, as estimatr's)
SELECT sig(estimate) AS estimate, sig(std_error) AS se, df
FROM (SELECT (ate_blocked(y, t, b)).* FROM (VALUES (1.0, true, 1), (0.2, false, 1), (2.0, true, 2), (1.1, false, 2),
      (0.7, true, 3), (0.9, false, 3)) v(y, t, b)) r;
SELECT sig(estimate) AS estimate, sig(std_error) AS se, df
FROM (SELECT (ate_blocked(y, t, b)).* FROM (VALUES (1.0, true, 1), (0.2, false, 1), (2.0, true, 2), (1.1, false, 2),
      (0.7, true, 3), (0.9, false, 3), (1.5, true, 3), (0.4, false, 3)) v(y, t, b)) r;
-- a NULL block is a block of its own; text and date keys
SELECT (ate_blocked(y, t, b)).n_treated, (ate_blocked(y, t, b::text)).estimate = (ate_blocked(y, t, b)).estimate AS text_key
FROM (VALUES (1.0, true, NULL), (0.2, false, NULL), (2.0, true, NULL), (1.1, false, NULL),
             (0.7, true, 3), (0.9, false, 3), (1.5, true, 3), (0.4, false, 3)) v(y, t, b);
-- a cluster-randomised trial: whole clusters treated
CREATE TEMP TABLE cl_trial AS
SELECT i AS id, i % 23 AS clinic, (i % 23) % 2 = 0 AS t, (i % 23) * 0.1 + ((i % 23) % 2 = 0)::int + (i % 7) * 0.3 AS y
FROM generate_series(1, 900) i;
SELECT sig(estimate) AS estimate, sig(std_error) AS se, sig(df) AS df, n_treated, n_control
FROM (SELECT (ate_clustered(y, t, clinic)).* FROM cl_trial) r;
-- one cluster in an arm: no CR2 standard error (estimatr reports one from the other arm alone)
SELECT estimate IS NOT NULL AS estimate_shown, std_error, df FROM (SELECT (ate_clustered(y, t, clinic)).* FROM cl_trial WHERE clinic IN (0, 1, 3)) r;
-- parallel plans (keyed states serialized and combined) equal serial ones
CREATE TABLE cl_big AS SELECT * FROM cl_trial, generate_series(1, 40) r;
ANALYZE cl_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE keyed_serial AS SELECT ate_clustered(y, t, clinic) AS s, ate_blocked(y, t, r % 5) AS sb FROM cl_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ate_clustered(y, t, clinic), ate_blocked(y, t, r % 5) FROM cl_big;
SELECT abs((p).std_error / (s).std_error - 1) < 1e-12 AS clustered_same, abs((pb).std_error / (sb).std_error - 1) < 1e-12 AS blocked_same,
       abs((pb).estimate / (sb).estimate - 1) < 1e-12 AS blocked_estimate_same
FROM (SELECT ate_clustered(y, t, clinic) AS p, ate_blocked(y, t, r % 5) AS pb FROM cl_big) a, keyed_serial b;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE cl_big;
-- errors naming the block or the cluster
SELECT ate_blocked(y, treated, schoolidk) FROM star;
SELECT ate_blocked(y, t, b) FROM (VALUES (1.0, true, 'a'), (2.0, false, 'a'), (3.0, true, 'b')) v(y, t, b);
SELECT ate_blocked(y, t, b) FROM (VALUES (1.0, true, 'a'), (2.0, false, 'a'), (3.0, true, 'a'),
                                         (1.0, true, 'b'), (2.0, false, 'b'), (3.0, true, 'b'), (4.0, false, 'b')) v(y, t, b);
SELECT ate_clustered(y, treated, schoolidk) FROM star;
SELECT sqlstate_of($$SELECT ate_blocked(y, treated, schoolidk) FROM star$$) AS empty_arm_block,
       sqlstate_of($$SELECT ate_clustered(y, treated, schoolidk) FROM star$$) AS mixed_cluster;
