
-- Covariate adjustment (since 1.1) ---------------------------------------------

CREATE TYPE hte_ate_adjusted AS (
    estimate              float8,
    std_error             float8,
    ci_lower              float8,
    ci_upper              float8,
    p_value               float8,
    df                    float8,
    n_treated             bigint,
    n_control             bigint,
    covariates            integer,
    se_type               text,
    unadjusted_estimate   float8,
    unadjusted_std_error  float8,
    variance_reduction    float8
);

-- ate_cuped(y, treated, pre): interaction_test(y, treated, x)'s transition
-- function and float8[] state (per-arm co-moments of (pre, y)), its own
-- final function; PostgreSQL shares the state between the two in one query.
CREATE FUNCTION hte_cuped_final(float8[]) RETURNS hte_ate_adjusted
    AS 'MODULE_PATHNAME', 'hte_cuped_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_cuped(y float8, treated boolean, pre float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_cuped_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_cuped(y float8, treated smallint, pre float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_cuped_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_cuped(y float8, treated integer, pre float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_cuped_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_cuped(y float8, treated bigint, pre float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_cuped_final, PARALLEL = SAFE);

CREATE TYPE hte_interaction_joint AS (
    moderators                integer,
    f_statistic               float8,
    df1                       float8,
    df2                       float8,
    p_value                   float8,
    chisq_statistic           float8,
    chisq_p_value             float8,
    interactions              float8[],
    interaction_std_errors    float8[],
    interaction_p_values      float8[],
    interaction_p_adjusted    float8[],
    n_treated                 bigint,
    n_control                 bigint,
    se_type                   text
);

-- ate(y, treated, covariates) and interaction_test(y, treated, moderators):
-- one float8[] state of per-arm central moments up to fourth order (see
-- src/core/hte_lin.h), {3, 0, 0, 0} until the first row says how many
-- covariates there are.  The two aggregates share the transition function,
-- the state and the initial value, so PostgreSQL computes the state once
-- for a query that asks for both.

CREATE FUNCTION hte_cov_trans(float8[], float8, boolean, float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_cov_trans_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov_trans(float8[], float8, smallint, float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov_trans(float8[], float8, integer, float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov_trans(float8[], float8, bigint, float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_cov_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: they read hte.confidence_level.
CREATE FUNCTION hte_cov_ate_final(float8[]) RETURNS hte_ate_adjusted
    AS 'MODULE_PATHNAME', 'hte_cov_ate_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov_joint_final(float8[]) RETURNS hte_interaction_joint
    AS 'MODULE_PATHNAME', 'hte_cov_joint_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate(y float8, treated boolean, covariates float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated boolean, moderators float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated smallint, covariates float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated smallint, moderators float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated integer, covariates float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated integer, moderators float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated bigint, covariates float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated bigint, moderators float8[]) (
    SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}',
    COMBINEFUNC = hte_cov_combine, FINALFUNC = hte_cov_joint_final, PARALLEL = SAFE);

-- A text-coded treatment: hte's own error with the idiom (see 50_text_treatment.sql).
CREATE FUNCTION hte_text_treatment_ate_adjusted(text) RETURNS hte_ate_adjusted
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_joint(text) RETURNS hte_interaction_joint
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate(y float8, treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate(y, arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_ate_adjusted, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated text, moderators float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test(y, arm = ''A'', moderators)',
    FINALFUNC = hte_text_treatment_joint, PARALLEL = SAFE);
CREATE AGGREGATE ate_cuped(y float8, treated text, pre float8) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_cuped(y, arm = ''A'', pre)',
    FINALFUNC = hte_text_treatment_ate_adjusted, PARALLEL = SAFE);
COMMENT ON FUNCTION hte_text_treatment_ate_adjusted(text) IS
    'internal: final function of the text-treatment overloads of ate(y, treated, covariates [, se_type]) and ate_cuped; raises the error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_joint(text) IS
    'internal: final function of the text-treatment overloads of interaction_test(y, treated, moderators [, se_type]); raises the error; not for direct use';
COMMENT ON AGGREGATE ate(float8, text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate(y, arm = ''A'', covariates)';
COMMENT ON AGGREGATE interaction_test(float8, text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom interaction_test(y, arm = ''A'', moderators)';
COMMENT ON AGGREGATE ate_cuped(float8, text, float8) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate_cuped(y, arm = ''A'', pre)';

COMMENT ON TYPE hte_ate_adjusted IS
    'result of ate(y, treated, covariates) and ate_cuped(): a covariate-adjusted average treatment effect beside the unadjusted one';
COMMENT ON COLUMN hte_ate_adjusted.estimate IS
    'adjusted average treatment effect: the coefficient on treated in OLS of y on (1, T, Xc, T·Xc), Xc = X − mean over all rows (Lin 2013); for ate_cuped, the difference in means of y − θ(pre − mean pre); NULL when not identified';
COMMENT ON COLUMN hte_ate_adjusted.std_error IS
    'standard error of the estimate (se_type: classical, HC0–HC3 sandwich, or Welch for ate_cuped); NULL when undefined';
COMMENT ON COLUMN hte_ate_adjusted.ci_lower IS
    'lower bound of the t confidence interval at hte.confidence_level, df degrees of freedom';
COMMENT ON COLUMN hte_ate_adjusted.ci_upper IS
    'upper bound of the t confidence interval at hte.confidence_level, df degrees of freedom';
COMMENT ON COLUMN hte_ate_adjusted.p_value IS
    'two-sided p-value of the t test of estimate = 0; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_ate_adjusted.df IS
    'degrees of freedom: n − rank of the regression (n − 2(p + 1) when no covariate is aliased); Welch–Satterthwaite for ate_cuped';
COMMENT ON COLUMN hte_ate_adjusted.n_treated IS
    'number of treated rows used (outcome, treatment and every covariate not NULL)';
COMMENT ON COLUMN hte_ate_adjusted.n_control IS
    'number of control rows used (outcome, treatment and every covariate not NULL)';
COMMENT ON COLUMN hte_ate_adjusted.covariates IS
    'number of covariates p (1 for ate_cuped)';
COMMENT ON COLUMN hte_ate_adjusted.se_type IS
    'the variance estimator used: classical, HC0, HC1, HC2, HC3, or Welch (ate_cuped)';
COMMENT ON COLUMN hte_ate_adjusted.unadjusted_estimate IS
    'ate(y, treated) on the same rows: the difference in means';
COMMENT ON COLUMN hte_ate_adjusted.unadjusted_std_error IS
    'ate(y, treated) on the same rows: the Welch standard error';
COMMENT ON COLUMN hte_ate_adjusted.variance_reduction IS
    '1 − (std_error / unadjusted_std_error)², the share of the variance the adjustment removed; NULL when either is NULL or the unadjusted one is 0';

COMMENT ON TYPE hte_interaction_joint IS
    'result of interaction_test(y, treated, moderators float8[]): the joint Wald test that no moderator modifies the effect, and each interaction';
COMMENT ON COLUMN hte_interaction_joint.moderators IS
    'number of moderators p';
COMMENT ON COLUMN hte_interaction_joint.f_statistic IS
    'Wald F = W / df1, W = γ̂'' V̂(γ̂)⁻¹ γ̂ over the identifiable T·X coefficients of OLS y ~ T * X';
COMMENT ON COLUMN hte_interaction_joint.df1 IS
    'numerator degrees of freedom: the number of identifiable (not aliased) interactions';
COMMENT ON COLUMN hte_interaction_joint.df2 IS
    'denominator degrees of freedom: n − rank of the regression';
COMMENT ON COLUMN hte_interaction_joint.p_value IS
    'p-value of the F test on (df1, df2)';
COMMENT ON COLUMN hte_interaction_joint.chisq_statistic IS
    'the Wald statistic W';
COMMENT ON COLUMN hte_interaction_joint.chisq_p_value IS
    'p-value of W on χ²(df1)';
COMMENT ON COLUMN hte_interaction_joint.interactions IS
    'per moderator, in the order of the array: the T·X coefficient γ̂_j; NULL where aliased';
COMMENT ON COLUMN hte_interaction_joint.interaction_std_errors IS
    'per moderator: the standard error of γ̂_j (se_type)';
COMMENT ON COLUMN hte_interaction_joint.interaction_p_values IS
    'per moderator: two-sided t(df2) p-value of γ_j = 0';
COMMENT ON COLUMN hte_interaction_joint.interaction_p_adjusted IS
    'per moderator: Holm-adjusted p-value over the moderators that have one';
COMMENT ON COLUMN hte_interaction_joint.n_treated IS
    'number of treated rows used';
COMMENT ON COLUMN hte_interaction_joint.n_control IS
    'number of control rows used';
COMMENT ON COLUMN hte_interaction_joint.se_type IS
    'the variance estimator used: classical, HC0, HC1, HC2 or HC3';

COMMENT ON FUNCTION hte_cuped_final(float8[]) IS
    'internal: final function of ate_cuped (on the interaction_test(y, treated, x) state); not for direct use';
COMMENT ON FUNCTION hte_cov_combine(float8[], float8[]) IS
    'internal: combine function of ate(y, treated, covariates) and interaction_test(y, treated, moderators); not for direct use';
COMMENT ON FUNCTION hte_cov_ate_final(float8[]) IS
    'internal: final function of ate(y, treated, covariates); not for direct use';
COMMENT ON FUNCTION hte_cov_joint_final(float8[]) IS
    'internal: final function of interaction_test(y, treated, moderators); not for direct use';
COMMENT ON FUNCTION hte_cov_trans(float8[], float8, boolean, float8[]) IS
    'internal: transition function of ate(float8, boolean, float8[]) and interaction_test(float8, boolean, float8[]); not for direct use';
COMMENT ON AGGREGATE ate_cuped(float8, boolean, float8) IS
    'CUPED-adjusted average treatment effect: θ = cov(pre, y)/var(pre) over all rows, Welch difference in means of y − θ(pre − mean pre); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, boolean, float8[]) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X), HC1 standard error; covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, boolean, float8[]) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X (HC1), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_cov_trans(float8[], float8, smallint, float8[]) IS
    'internal: transition function of ate(float8, smallint, float8[]) and interaction_test(float8, smallint, float8[]); not for direct use';
COMMENT ON AGGREGATE ate_cuped(float8, smallint, float8) IS
    'CUPED-adjusted average treatment effect: θ = cov(pre, y)/var(pre) over all rows, Welch difference in means of y − θ(pre − mean pre); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, smallint, float8[]) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X), HC1 standard error; covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, smallint, float8[]) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X (HC1), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_cov_trans(float8[], float8, integer, float8[]) IS
    'internal: transition function of ate(float8, integer, float8[]) and interaction_test(float8, integer, float8[]); not for direct use';
COMMENT ON AGGREGATE ate_cuped(float8, integer, float8) IS
    'CUPED-adjusted average treatment effect: θ = cov(pre, y)/var(pre) over all rows, Welch difference in means of y − θ(pre − mean pre); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, integer, float8[]) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X), HC1 standard error; covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, integer, float8[]) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X (HC1), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_cov_trans(float8[], float8, bigint, float8[]) IS
    'internal: transition function of ate(float8, bigint, float8[]) and interaction_test(float8, bigint, float8[]); not for direct use';
COMMENT ON AGGREGATE ate_cuped(float8, bigint, float8) IS
    'CUPED-adjusted average treatment effect: θ = cov(pre, y)/var(pre) over all rows, Welch difference in means of y − θ(pre − mean pre); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, bigint, float8[]) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X), HC1 standard error; covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, bigint, float8[]) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X (HC1), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';

-- ate(y, treated, covariates, se_type) and interaction_test(y, treated,
-- moderators, se_type): one internal state — the moments above, the
-- se_type, and for HC2 and HC3 every row — serialized for parallel query
-- (src/core/hte_state_io.h).  The two aggregates share the transition,
-- combine, serialize and deserialize functions and have no initial value,
-- so PostgreSQL computes the state once for a query that asks for both.
CREATE FUNCTION hte_cov4_trans(internal, float8, boolean, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_trans(internal, float8, smallint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_trans(internal, float8, integer, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_trans(internal, float8, bigint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_cov4_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cov4_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cov4_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: they read hte.confidence_level.
CREATE FUNCTION hte_cov4_ate_final(internal) RETURNS hte_ate_adjusted
    AS 'MODULE_PATHNAME', 'hte_cov4_ate_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cov4_joint_final(internal) RETURNS hte_interaction_joint
    AS 'MODULE_PATHNAME', 'hte_cov4_joint_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE ate(y float8, treated boolean, covariates float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated boolean, moderators float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated smallint, covariates float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated smallint, moderators float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated integer, covariates float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated integer, moderators float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated bigint, covariates float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_ate_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated bigint, moderators float8[], se_type text) (
    SFUNC = hte_cov4_trans, STYPE = internal, COMBINEFUNC = hte_cov4_combine,
    SERIALFUNC = hte_cov4_serialize, DESERIALFUNC = hte_cov4_deserialize,
    FINALFUNC = hte_cov4_joint_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated text, covariates float8[], se_type text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate(y, arm = ''A'', covariates, se_type)',
    FINALFUNC = hte_text_treatment_ate_adjusted, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated text, moderators float8[], se_type text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test(y, arm = ''A'', moderators, se_type)',
    FINALFUNC = hte_text_treatment_joint, PARALLEL = SAFE);

COMMENT ON FUNCTION hte_cov4_trans(internal, float8, boolean, float8[], text) IS
    'internal: transition function of ate(float8, boolean, float8[], text) and interaction_test(float8, boolean, float8[], text); not for direct use';
COMMENT ON FUNCTION hte_cov4_trans(internal, float8, smallint, float8[], text) IS
    'internal: transition function of ate(float8, smallint, float8[], text) and interaction_test(float8, smallint, float8[], text); not for direct use';
COMMENT ON FUNCTION hte_cov4_trans(internal, float8, integer, float8[], text) IS
    'internal: transition function of ate(float8, integer, float8[], text) and interaction_test(float8, integer, float8[], text); not for direct use';
COMMENT ON FUNCTION hte_cov4_trans(internal, float8, bigint, float8[], text) IS
    'internal: transition function of ate(float8, bigint, float8[], text) and interaction_test(float8, bigint, float8[], text); not for direct use';
COMMENT ON FUNCTION hte_cov4_combine(internal, internal) IS
    'internal: combine function of ate(y, treated, covariates, se_type) and interaction_test(y, treated, moderators, se_type); not for direct use';
COMMENT ON FUNCTION hte_cov4_serialize(internal) IS
    'internal: serialize function of ate(y, treated, covariates, se_type) and interaction_test(y, treated, moderators, se_type); not for direct use';
COMMENT ON FUNCTION hte_cov4_deserialize(bytea, internal) IS
    'internal: deserialize function of ate(y, treated, covariates, se_type) and interaction_test(y, treated, moderators, se_type); not for direct use';
COMMENT ON FUNCTION hte_cov4_ate_final(internal) IS
    'internal: final function of ate(y, treated, covariates, se_type); not for direct use';
COMMENT ON FUNCTION hte_cov4_joint_final(internal) IS
    'internal: final function of interaction_test(y, treated, moderators, se_type); not for direct use';
COMMENT ON AGGREGATE ate(float8, boolean, float8[], text) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X) with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, boolean, float8[], text) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, smallint, float8[], text) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X) with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, smallint, float8[], text) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, integer, float8[], text) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X) with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, integer, float8[], text) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, bigint, float8[], text) IS
    'regression-adjusted average treatment effect (Lin 2013): OLS y ~ T * (X − mean X) with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows); covariates: the same float8[] length on every row; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test(float8, bigint, float8[], text) IS
    'joint test of several effect modifiers: Wald F and χ² for every T·X coefficient of OLS y ~ T * X with se_type classical, HC0, HC1, HC2 or HC3 (HC2 and HC3 keep the rows), with each interaction, its SE, p and Holm-adjusted p; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate(float8, text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate(y, arm = ''A'', covariates, se_type)';
COMMENT ON AGGREGATE interaction_test(float8, text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom interaction_test(y, arm = ''A'', moderators, se_type)';
