
-- Checks of a CATE model that keep rows (since 1.1): cate_projection,
-- calibration_test and rate.  The state is internal: a growable array of
-- one row of doubles per input row (src/core/hte_rows.h), serialized for
-- parallel workers; cate_projection with classical, HC0 or HC1 and 1 to 20
-- covariates keeps central moments instead (one pass, no rows).

CREATE TYPE hte_projection AS (
    term         int,
    estimate     float8,
    std_error    float8,
    t_statistic  float8,
    p_value      float8
);

CREATE TYPE hte_calibration AS (
    mean_prediction                  float8,
    mean_prediction_se               float8,
    mean_prediction_p_value          float8,
    differential_prediction          float8,
    differential_prediction_se       float8,
    differential_prediction_p_value  float8
);

CREATE TYPE hte_rate AS (
    target     text,
    estimate   float8,
    std_error  float8,
    ci_lower   float8,
    ci_upper   float8,
    p_value    float8,
    n          bigint
);

CREATE FUNCTION hte_cate_rows_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cate_rows_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_rows_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_cate_rows_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_cate_rows_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_cate_rows_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_proj_final(internal) RETURNS hte_projection[]
    AS 'MODULE_PATHNAME', 'hte_proj_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_calib_final(internal) RETURNS hte_calibration
    AS 'MODULE_PATHNAME', 'hte_calib_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_rate_final(internal) RETURNS hte_rate
    AS 'MODULE_PATHNAME', 'hte_rate_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_proj_trans(internal, float8, boolean, float8, float8, float8, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated boolean, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[]) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, boolean, float8, float8, float8, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated boolean, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[], se_type text) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_calib_trans(internal, float8, boolean, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_calib_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE calibration_test(y float8, treated boolean, e_hat float8, m_hat float8, tau_hat float8) (
    SFUNC = hte_calib_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_calib_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, boolean, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated boolean, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, boolean, float8, float8, float8, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated boolean, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8, target text) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, smallint, float8, float8, float8, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated smallint, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[]) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, smallint, float8, float8, float8, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated smallint, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[], se_type text) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_calib_trans(internal, float8, smallint, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_calib_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE calibration_test(y float8, treated smallint, e_hat float8, m_hat float8, tau_hat float8) (
    SFUNC = hte_calib_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_calib_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, smallint, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated smallint, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, smallint, float8, float8, float8, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated smallint, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8, target text) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, integer, float8, float8, float8, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated integer, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[]) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, integer, float8, float8, float8, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated integer, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[], se_type text) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_calib_trans(internal, float8, integer, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_calib_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE calibration_test(y float8, treated integer, e_hat float8, m_hat float8, tau_hat float8) (
    SFUNC = hte_calib_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_calib_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, integer, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated integer, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, integer, float8, float8, float8, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated integer, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8, target text) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, bigint, float8, float8, float8, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated bigint, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[]) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_proj_trans(internal, float8, bigint, float8, float8, float8, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_proj_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_projection(y float8, treated bigint, e_hat float8, mu0_hat float8, mu1_hat float8, a float8[], se_type text) (
    SFUNC = hte_proj_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_proj_final, PARALLEL = SAFE);
CREATE FUNCTION hte_calib_trans(internal, float8, bigint, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_calib_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE calibration_test(y float8, treated bigint, e_hat float8, m_hat float8, tau_hat float8) (
    SFUNC = hte_calib_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_calib_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, bigint, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated bigint, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);
CREATE FUNCTION hte_rate_trans(internal, float8, bigint, float8, float8, float8, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_rate_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(y float8, treated bigint, e_hat float8, mu0_hat float8, mu1_hat float8, priority float8, target text) (
    SFUNC = hte_rate_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_rate_final, PARALLEL = SAFE);

COMMENT ON TYPE hte_projection IS
    'one term of cate_projection(): the best linear projection of the CATE';
COMMENT ON COLUMN hte_projection.term IS
    'term: 0 the intercept, j the j-th element of a';
COMMENT ON COLUMN hte_projection.estimate IS
    'OLS coefficient of the doubly robust score on (1, a); NULL when aliased (as R''s NA)';
COMMENT ON COLUMN hte_projection.std_error IS
    'standard error of the se_type (default HC3, as sandwich::vcovHC); NULL when undefined';
COMMENT ON COLUMN hte_projection.t_statistic IS
    'estimate / std_error';
COMMENT ON COLUMN hte_projection.p_value IS
    'two-sided p-value, t with n − k degrees of freedom (lmtest::coeftest)';
COMMENT ON TYPE hte_calibration IS
    'result of calibration_test(): grf''s test_calibration of CATE predictions';
COMMENT ON COLUMN hte_calibration.mean_prediction IS
    'coefficient on (T − e_hat)·mean(tau_hat): 1 when the mean prediction is right';
COMMENT ON COLUMN hte_calibration.mean_prediction_se IS
    'HC3 standard error of mean_prediction';
COMMENT ON COLUMN hte_calibration.mean_prediction_p_value IS
    'one-sided p-value of mean_prediction > 0, t with n − 2 df (as grf)';
COMMENT ON COLUMN hte_calibration.differential_prediction IS
    'coefficient on (T − e_hat)(tau_hat − mean(tau_hat)): 1 when the heterogeneity is calibrated, > 0 when it is detected';
COMMENT ON COLUMN hte_calibration.differential_prediction_se IS
    'HC3 standard error of differential_prediction';
COMMENT ON COLUMN hte_calibration.differential_prediction_p_value IS
    'one-sided p-value of differential_prediction > 0 (an omnibus test of heterogeneity), t with n − 2 df';
COMMENT ON TYPE hte_rate IS
    'result of rate(): the rank-weighted average treatment effect of a prioritization';
COMMENT ON COLUMN hte_rate.target IS
    'AUTOC (area under the TOC curve) or QINI (weighted by the share treated)';
COMMENT ON COLUMN hte_rate.estimate IS
    'grf''s estimate: the TOC curve from cumulative means of the doubly robust scores sorted by priority (ties averaged), integrated';
COMMENT ON COLUMN hte_rate.std_error IS
    'influence-function standard error, scores taken as given (grf bootstraps instead); NULL with one row';
COMMENT ON COLUMN hte_rate.ci_lower IS
    'lower bound of the normal confidence interval at hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_rate.ci_upper IS
    'upper bound of the normal confidence interval; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_rate.p_value IS
    'two-sided normal p-value of RATE = 0; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_rate.n IS
    'number of rows used (no argument NULL)';
COMMENT ON FUNCTION hte_cate_rows_combine(internal, internal) IS
    'internal: combine function of cate_projection, calibration_test and rate';
COMMENT ON FUNCTION hte_cate_rows_serialize(internal) IS
    'internal: serialize function of cate_projection, calibration_test and rate';
COMMENT ON FUNCTION hte_cate_rows_deserialize(bytea, internal) IS
    'internal: deserialize function of cate_projection, calibration_test and rate';
COMMENT ON FUNCTION hte_proj_final(internal) IS
    'internal: final function of cate_projection';
COMMENT ON FUNCTION hte_calib_final(internal) IS
    'internal: final function of calibration_test';
COMMENT ON FUNCTION hte_rate_final(internal) IS
    'internal: final function of rate';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, boolean, float8, float8, float8, float8[]) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, boolean, float8, float8, float8, float8[]) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with HC3 standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, boolean, float8, float8, float8, float8[], text) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, boolean, float8, float8, float8, float8[], text) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with the given se_type''s standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_calib_trans(internal, float8, boolean, float8, float8, float8) IS
    'internal: transition function of calibration_test';
COMMENT ON AGGREGATE calibration_test(float8, boolean, float8, float8, float8) IS
    'calibration test of CATE predictions tau_hat, as grf''s test_calibration: OLS of y − m_hat on (T − e_hat)·mean(tau_hat) and (T − e_hat)(tau_hat − mean(tau_hat)) without intercept, HC3 standard errors, one-sided t p-values; coefficients near 1 mean a calibrated mean and calibrated heterogeneity';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, boolean, float8, float8, float8, float8) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, boolean, float8, float8, float8, float8) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: AUTOC, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, boolean, float8, float8, float8, float8, text) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, boolean, float8, float8, float8, float8, text) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: target AUTOC or QINI, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, smallint, float8, float8, float8, float8[]) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, smallint, float8, float8, float8, float8[]) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with HC3 standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, smallint, float8, float8, float8, float8[], text) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, smallint, float8, float8, float8, float8[], text) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with the given se_type''s standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_calib_trans(internal, float8, smallint, float8, float8, float8) IS
    'internal: transition function of calibration_test';
COMMENT ON AGGREGATE calibration_test(float8, smallint, float8, float8, float8) IS
    'calibration test of CATE predictions tau_hat, as grf''s test_calibration: OLS of y − m_hat on (T − e_hat)·mean(tau_hat) and (T − e_hat)(tau_hat − mean(tau_hat)) without intercept, HC3 standard errors, one-sided t p-values; coefficients near 1 mean a calibrated mean and calibrated heterogeneity';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, smallint, float8, float8, float8, float8) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, smallint, float8, float8, float8, float8) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: AUTOC, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, smallint, float8, float8, float8, float8, text) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, smallint, float8, float8, float8, float8, text) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: target AUTOC or QINI, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, integer, float8, float8, float8, float8[]) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, integer, float8, float8, float8, float8[]) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with HC3 standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, integer, float8, float8, float8, float8[], text) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, integer, float8, float8, float8, float8[], text) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with the given se_type''s standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_calib_trans(internal, float8, integer, float8, float8, float8) IS
    'internal: transition function of calibration_test';
COMMENT ON AGGREGATE calibration_test(float8, integer, float8, float8, float8) IS
    'calibration test of CATE predictions tau_hat, as grf''s test_calibration: OLS of y − m_hat on (T − e_hat)·mean(tau_hat) and (T − e_hat)(tau_hat − mean(tau_hat)) without intercept, HC3 standard errors, one-sided t p-values; coefficients near 1 mean a calibrated mean and calibrated heterogeneity';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, integer, float8, float8, float8, float8) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, integer, float8, float8, float8, float8) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: AUTOC, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, integer, float8, float8, float8, float8, text) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, integer, float8, float8, float8, float8, text) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: target AUTOC or QINI, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, bigint, float8, float8, float8, float8[]) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, bigint, float8, float8, float8, float8[]) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with HC3 standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_proj_trans(internal, float8, bigint, float8, float8, float8, float8[], text) IS
    'internal: transition function of cate_projection';
COMMENT ON AGGREGATE cate_projection(float8, bigint, float8, float8, float8, float8[], text) IS
    'best linear projection of the CATE on the covariates a: OLS of the doubly robust score on (1, a) with the given se_type''s standard errors and t tests (n − k df), as grf''s best_linear_projection; term 0 is the intercept; the nuisance predictions must be cross-fitted';
COMMENT ON FUNCTION hte_calib_trans(internal, float8, bigint, float8, float8, float8) IS
    'internal: transition function of calibration_test';
COMMENT ON AGGREGATE calibration_test(float8, bigint, float8, float8, float8) IS
    'calibration test of CATE predictions tau_hat, as grf''s test_calibration: OLS of y − m_hat on (T − e_hat)·mean(tau_hat) and (T − e_hat)(tau_hat − mean(tau_hat)) without intercept, HC3 standard errors, one-sided t p-values; coefficients near 1 mean a calibrated mean and calibrated heterogeneity';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, bigint, float8, float8, float8, float8) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, bigint, float8, float8, float8, float8) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: AUTOC, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
COMMENT ON FUNCTION hte_rate_trans(internal, float8, bigint, float8, float8, float8, float8, text) IS
    'internal: transition function of rate';
COMMENT ON AGGREGATE rate(float8, bigint, float8, float8, float8, float8, text) IS
    'rank-weighted average treatment effect of ranking by priority (highest first), as grf''s rank_average_treatment_effect: target AUTOC or QINI, from doubly robust scores; standard error from the influence function (rows kept and sorted)';
