
-- The trial analyst's measures (since 1.1; issue 17): risk_effects of a
-- binary outcome, late under non-compliance, allocation_check (sample-ratio
-- mismatch) and sample_size_interaction; src/core/hte_trial.c.  Their
-- states are float8[] (src/core/hte_trial.h), NULL until the first row.

CREATE TYPE hte_binary AS (
    events_treated   bigint,
    events_control   bigint,
    n_treated        bigint,
    n_control        bigint,
    risk_treated     float8,
    risk_control     float8,
    risk_difference  float8,
    rd_ci_lower      float8,
    rd_ci_upper      float8,
    risk_ratio       float8,
    rr_ci_lower      float8,
    rr_ci_upper      float8,
    odds_ratio       float8,
    or_ci_lower      float8,
    or_ci_upper      float8,
    nnt              float8,
    nnt_ci_lower     float8,
    nnt_ci_upper     float8,
    p_value          float8
);

CREATE TYPE hte_late AS (
    estimate       float8,
    std_error      float8,
    ci_lower       float8,
    ci_upper       float8,
    p_value        float8,
    df             float8,
    itt            float8,
    itt_std_error  float8,
    first_stage    float8,
    first_stage_f  float8,
    n_assigned     bigint,
    n_control      bigint,
    se_type        text
);

CREATE TYPE hte_allocation AS (
    n_treated  bigint,
    n_control  bigint,
    chisq      float8,
    p_value    float8
);

CREATE FUNCTION hte_risk_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_risk_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_risk_final(float8[]) RETURNS hte_binary
    AS 'MODULE_PATHNAME', 'hte_risk_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_late_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_late_final(float8[]) RETURNS hte_late
    AS 'MODULE_PATHNAME', 'hte_late_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_allocation_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_alloc_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_allocation_final(float8[]) RETURNS hte_allocation
    AS 'MODULE_PATHNAME', 'hte_alloc_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION hte_risk_trans(float8[], boolean, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_risk_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE risk_effects(y boolean, treated boolean) (
    SFUNC = hte_risk_trans, STYPE = float8[], COMBINEFUNC = hte_risk_combine,
    FINALFUNC = hte_risk_final, PARALLEL = SAFE);

CREATE FUNCTION hte_risk_trans(float8[], boolean, smallint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_risk_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE risk_effects(y boolean, treated smallint) (
    SFUNC = hte_risk_trans, STYPE = float8[], COMBINEFUNC = hte_risk_combine,
    FINALFUNC = hte_risk_final, PARALLEL = SAFE);

CREATE FUNCTION hte_risk_trans(float8[], boolean, integer) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_risk_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE risk_effects(y boolean, treated integer) (
    SFUNC = hte_risk_trans, STYPE = float8[], COMBINEFUNC = hte_risk_combine,
    FINALFUNC = hte_risk_final, PARALLEL = SAFE);

CREATE FUNCTION hte_risk_trans(float8[], boolean, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_risk_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE risk_effects(y boolean, treated bigint) (
    SFUNC = hte_risk_trans, STYPE = float8[], COMBINEFUNC = hte_risk_combine,
    FINALFUNC = hte_risk_final, PARALLEL = SAFE);

CREATE FUNCTION hte_late_trans(float8[], float8, boolean, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned boolean, received boolean) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);
CREATE FUNCTION hte_late_trans(float8[], float8, boolean, boolean, text) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_se_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned boolean, received boolean, se_type text) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);

CREATE FUNCTION hte_late_trans(float8[], float8, smallint, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned smallint, received boolean) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);
CREATE FUNCTION hte_late_trans(float8[], float8, smallint, boolean, text) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_se_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned smallint, received boolean, se_type text) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);

CREATE FUNCTION hte_late_trans(float8[], float8, integer, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned integer, received boolean) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);
CREATE FUNCTION hte_late_trans(float8[], float8, integer, boolean, text) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_se_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned integer, received boolean, se_type text) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);

CREATE FUNCTION hte_late_trans(float8[], float8, bigint, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned bigint, received boolean) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);
CREATE FUNCTION hte_late_trans(float8[], float8, bigint, boolean, text) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_late_trans_se_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE late(y float8, assigned bigint, received boolean, se_type text) (
    SFUNC = hte_late_trans, STYPE = float8[], COMBINEFUNC = hte_late_combine,
    FINALFUNC = hte_late_final, PARALLEL = SAFE);

CREATE FUNCTION hte_allocation_trans(float8[], boolean, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_alloc_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE allocation_check(treated boolean, expected_share float8) (
    SFUNC = hte_allocation_trans, STYPE = float8[], COMBINEFUNC = hte_allocation_combine,
    FINALFUNC = hte_allocation_final, PARALLEL = SAFE);

CREATE FUNCTION hte_allocation_trans(float8[], smallint, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_alloc_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE allocation_check(treated smallint, expected_share float8) (
    SFUNC = hte_allocation_trans, STYPE = float8[], COMBINEFUNC = hte_allocation_combine,
    FINALFUNC = hte_allocation_final, PARALLEL = SAFE);

CREATE FUNCTION hte_allocation_trans(float8[], integer, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_alloc_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE allocation_check(treated integer, expected_share float8) (
    SFUNC = hte_allocation_trans, STYPE = float8[], COMBINEFUNC = hte_allocation_combine,
    FINALFUNC = hte_allocation_final, PARALLEL = SAFE);

CREATE FUNCTION hte_allocation_trans(float8[], bigint, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_alloc_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE allocation_check(treated bigint, expected_share float8) (
    SFUNC = hte_allocation_trans, STYPE = float8[], COMBINEFUNC = hte_allocation_combine,
    FINALFUNC = hte_allocation_final, PARALLEL = SAFE);

CREATE FUNCTION sample_size_interaction(gamma float8, sd float8, sd_x float8, alpha float8, power float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'hte_sample_size_interaction_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE hte_binary IS
    'result of risk_effects(): risks, risk difference, risk ratio, odds ratio and number needed to treat of a binary outcome, with intervals';
COMMENT ON COLUMN hte_binary.events_treated IS 'treated rows whose outcome is true';
COMMENT ON COLUMN hte_binary.events_control IS 'control rows whose outcome is true';
COMMENT ON COLUMN hte_binary.n_treated IS 'treated rows used (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_binary.n_control IS 'control rows used (outcome and treatment not NULL)';
COMMENT ON COLUMN hte_binary.risk_treated IS 'events_treated / n_treated; NULL without treated rows';
COMMENT ON COLUMN hte_binary.risk_control IS 'events_control / n_control; NULL without control rows';
COMMENT ON COLUMN hte_binary.risk_difference IS 'risk_treated − risk_control; NULL when an arm is empty';
COMMENT ON COLUMN hte_binary.rd_ci_lower IS 'lower Wald limit, RD − z·sqrt(p1(1 − p1)/n1 + p0(1 − p0)/n0), not clipped to −1; NULL when that standard error is 0';
COMMENT ON COLUMN hte_binary.rd_ci_upper IS 'upper Wald limit of the risk difference, not clipped to 1; NULL when its standard error is 0';
COMMENT ON COLUMN hte_binary.risk_ratio IS 'risk_treated / risk_control; NULL when an arm has no events (never Infinity)';
COMMENT ON COLUMN hte_binary.rr_ci_lower IS 'lower log-scale Wald limit, exp(log RR − z·sqrt(1/e1 − 1/n1 + 1/e0 − 1/n0))';
COMMENT ON COLUMN hte_binary.rr_ci_upper IS 'upper log-scale Wald limit of the risk ratio';
COMMENT ON COLUMN hte_binary.odds_ratio IS 'odds ratio e1(n0 − e0) / ((n1 − e1)e0); NULL when an arm has no events or no non-events';
COMMENT ON COLUMN hte_binary.or_ci_lower IS 'lower log-scale Wald limit, exp(log OR − z·sqrt(1/e1 + 1/(n1 − e1) + 1/e0 + 1/(n0 − e0)))';
COMMENT ON COLUMN hte_binary.or_ci_upper IS 'upper log-scale Wald limit of the odds ratio';
COMMENT ON COLUMN hte_binary.nnt IS 'number needed to treat (to harm when the risk difference is negative): 1/|risk_difference|; NULL when it is 0';
COMMENT ON COLUMN hte_binary.nnt_ci_lower IS 'the smaller reciprocal of the risk difference''s limits (Altman 1998); NULL when that interval contains 0';
COMMENT ON COLUMN hte_binary.nnt_ci_upper IS 'the larger reciprocal of the risk difference''s limits (Altman 1998); NULL when that interval contains 0';
COMMENT ON COLUMN hte_binary.p_value IS 'Pearson χ² test of equal risks without continuity correction, as prop.test(correct = FALSE); NULL when all or no rows are events';
COMMENT ON TYPE hte_late IS
    'result of late(): the complier average causal effect (instrumental-variable Wald estimate) with the intention-to-treat effect and the first stage';
COMMENT ON COLUMN hte_late.estimate IS 'itt / first_stage: the effect of receiving the treatment on those who take it when assigned (compliers); NULL when the first stage is 0';
COMMENT ON COLUMN hte_late.std_error IS 'the 2SLS standard error of estimatr::iv_robust(y ~ received | assigned) of type se_type';
COMMENT ON COLUMN hte_late.ci_lower IS 'lower limit, estimate − t(df, 1 − α/2)·std_error; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_late.ci_upper IS 'upper limit, estimate + t(df, 1 − α/2)·std_error; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_late.p_value IS 'two-sided p-value of estimate = 0, Student t with df';
COMMENT ON COLUMN hte_late.df IS 'n − 2';
COMMENT ON COLUMN hte_late.itt IS 'intention-to-treat effect: mean outcome of the assigned minus that of the others, ate(y, assigned)';
COMMENT ON COLUMN hte_late.itt_std_error IS 'Welch standard error of itt';
COMMENT ON COLUMN hte_late.first_stage IS 'share receiving the treatment among the assigned minus among the others, ate(received, assigned)';
COMMENT ON COLUMN hte_late.first_stage_f IS 'the first stage''s Welch t statistic squared: below about 10 the instrument is weak and the estimate unreliable';
COMMENT ON COLUMN hte_late.n_assigned IS 'rows assigned to treatment (outcome, assignment and receipt not NULL)';
COMMENT ON COLUMN hte_late.n_control IS 'rows not assigned to treatment (outcome, assignment and receipt not NULL)';
COMMENT ON COLUMN hte_late.se_type IS 'the standard error''s type: classical, HC0, HC1 (the default), HC2 or HC3';
COMMENT ON TYPE hte_allocation IS
    'result of allocation_check(): the sample-ratio-mismatch test of the arms'' sizes against the planned share, chisq.test';
COMMENT ON COLUMN hte_allocation.n_treated IS 'treated rows (treatment not NULL)';
COMMENT ON COLUMN hte_allocation.n_control IS 'control rows (treatment not NULL)';
COMMENT ON COLUMN hte_allocation.chisq IS 'Pearson''s χ² of the counts against n·share and n·(1 − share), 1 degree of freedom';
COMMENT ON COLUMN hte_allocation.p_value IS 'upper tail of χ²(1): a small value says the randomisation or the data pipeline lost or added rows in one arm';
COMMENT ON FUNCTION hte_risk_combine(float8[], float8[]) IS 'internal: combine function of risk_effects; not for direct use';
COMMENT ON FUNCTION hte_risk_final(float8[]) IS 'internal: final function of risk_effects; not for direct use';
COMMENT ON FUNCTION hte_late_combine(float8[], float8[]) IS 'internal: combine function of late; not for direct use';
COMMENT ON FUNCTION hte_late_final(float8[]) IS 'internal: final function of late; not for direct use';
COMMENT ON FUNCTION hte_allocation_combine(float8[], float8[]) IS 'internal: combine function of allocation_check; not for direct use';
COMMENT ON FUNCTION hte_allocation_final(float8[]) IS 'internal: final function of allocation_check; not for direct use';

COMMENT ON FUNCTION hte_risk_trans(float8[], boolean, boolean) IS 'internal: transition function of risk_effects; not for direct use';
COMMENT ON AGGREGATE risk_effects(boolean, boolean) IS
    'risk difference, risk ratio, odds ratio and number needed to treat of a boolean outcome between the arms, with Wald intervals and Pearson''s χ² p-value';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, boolean, boolean) IS 'internal: transition function of late; not for direct use';
COMMENT ON AGGREGATE late(float8, boolean, boolean) IS
    'local average treatment effect under non-compliance: ITT / first stage, with the HC1 2SLS standard error of estimatr::iv_robust';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, boolean, boolean, text) IS 'internal: transition function of late with se_type; not for direct use';
COMMENT ON AGGREGATE late(float8, boolean, boolean, text) IS
    'local average treatment effect with the 2SLS standard error of the named type: classical, HC0, HC1, HC2 or HC3';
COMMENT ON FUNCTION hte_allocation_trans(float8[], boolean, float8) IS 'internal: transition function of allocation_check; not for direct use';
COMMENT ON AGGREGATE allocation_check(boolean, float8) IS
    'sample-ratio-mismatch test: are the arms'' sizes what the planned share of treated rows predicts? (chisq.test)';

COMMENT ON FUNCTION hte_risk_trans(float8[], boolean, smallint) IS 'internal: transition function of risk_effects; not for direct use';
COMMENT ON AGGREGATE risk_effects(boolean, smallint) IS
    'risk difference, risk ratio, odds ratio and number needed to treat of a boolean outcome between the arms, with Wald intervals and Pearson''s χ² p-value';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, smallint, boolean) IS 'internal: transition function of late; not for direct use';
COMMENT ON AGGREGATE late(float8, smallint, boolean) IS
    'local average treatment effect under non-compliance: ITT / first stage, with the HC1 2SLS standard error of estimatr::iv_robust';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, smallint, boolean, text) IS 'internal: transition function of late with se_type; not for direct use';
COMMENT ON AGGREGATE late(float8, smallint, boolean, text) IS
    'local average treatment effect with the 2SLS standard error of the named type: classical, HC0, HC1, HC2 or HC3';
COMMENT ON FUNCTION hte_allocation_trans(float8[], smallint, float8) IS 'internal: transition function of allocation_check; not for direct use';
COMMENT ON AGGREGATE allocation_check(smallint, float8) IS
    'sample-ratio-mismatch test: are the arms'' sizes what the planned share of treated rows predicts? (chisq.test)';

COMMENT ON FUNCTION hte_risk_trans(float8[], boolean, integer) IS 'internal: transition function of risk_effects; not for direct use';
COMMENT ON AGGREGATE risk_effects(boolean, integer) IS
    'risk difference, risk ratio, odds ratio and number needed to treat of a boolean outcome between the arms, with Wald intervals and Pearson''s χ² p-value';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, integer, boolean) IS 'internal: transition function of late; not for direct use';
COMMENT ON AGGREGATE late(float8, integer, boolean) IS
    'local average treatment effect under non-compliance: ITT / first stage, with the HC1 2SLS standard error of estimatr::iv_robust';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, integer, boolean, text) IS 'internal: transition function of late with se_type; not for direct use';
COMMENT ON AGGREGATE late(float8, integer, boolean, text) IS
    'local average treatment effect with the 2SLS standard error of the named type: classical, HC0, HC1, HC2 or HC3';
COMMENT ON FUNCTION hte_allocation_trans(float8[], integer, float8) IS 'internal: transition function of allocation_check; not for direct use';
COMMENT ON AGGREGATE allocation_check(integer, float8) IS
    'sample-ratio-mismatch test: are the arms'' sizes what the planned share of treated rows predicts? (chisq.test)';

COMMENT ON FUNCTION hte_risk_trans(float8[], boolean, bigint) IS 'internal: transition function of risk_effects; not for direct use';
COMMENT ON AGGREGATE risk_effects(boolean, bigint) IS
    'risk difference, risk ratio, odds ratio and number needed to treat of a boolean outcome between the arms, with Wald intervals and Pearson''s χ² p-value';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, bigint, boolean) IS 'internal: transition function of late; not for direct use';
COMMENT ON AGGREGATE late(float8, bigint, boolean) IS
    'local average treatment effect under non-compliance: ITT / first stage, with the HC1 2SLS standard error of estimatr::iv_robust';
COMMENT ON FUNCTION hte_late_trans(float8[], float8, bigint, boolean, text) IS 'internal: transition function of late with se_type; not for direct use';
COMMENT ON AGGREGATE late(float8, bigint, boolean, text) IS
    'local average treatment effect with the 2SLS standard error of the named type: classical, HC0, HC1, HC2 or HC3';
COMMENT ON FUNCTION hte_allocation_trans(float8[], bigint, float8) IS 'internal: transition function of allocation_check; not for direct use';
COMMENT ON AGGREGATE allocation_check(bigint, float8) IS
    'sample-ratio-mismatch test: are the arms'' sizes what the planned share of treated rows predicts? (chisq.test)';

COMMENT ON FUNCTION sample_size_interaction(float8, float8, float8, float8, float8) IS
    'total n of a 1:1 trial to detect the interaction gamma of a moderator with standard deviation sd_x, outcome sd, two-sided alpha and power: 4 sd² (z(1 − alpha/2) + z(power))² / (gamma² sd_x²)';

CREATE FUNCTION power_ate(n_per_arm float8, delta float8, sd float8, alpha float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'hte_power_ate_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sample_size_ate(delta float8, sd float8, alpha float8, power float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'hte_sample_size_ate_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION power_ate(float8, float8, float8, float8) IS
    'power of the two-sided two-sample t test with n_per_arm rows in each arm to detect a difference delta with outcome sd at level alpha, exactly power.t.test(n =, delta =, sd =, sig.level =)$power';
COMMENT ON FUNCTION sample_size_ate(float8, float8, float8, float8) IS
    'rows per arm (not rounded) for the two-sided two-sample t test to reach the power, exactly power.t.test(delta =, sd =, sig.level =, power =)$n; NULL for delta = 0';
