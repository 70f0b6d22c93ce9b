
-- The causal forest (since 1.1): causal_forest(y, treated, covariates
-- [, options]) trains a generalized random forest for the CATE in its final
-- function from kept rows (y, T, x; the kept-row state of src/core/hte_rows.h
-- with the options ahead of the rows); hte_forest is the stored model
-- (src/core/hte_forest.c's validated form); cate() predicts at a row and
-- forest_summary() returns what training stored.

CREATE TYPE hte_forest;
CREATE FUNCTION hte_forest_in(cstring) RETURNS hte_forest
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_forest_out(hte_forest) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_forest_recv(internal) RETURNS hte_forest
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_forest_send(hte_forest) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE hte_forest (
    INPUT = hte_forest_in, OUTPUT = hte_forest_out, RECEIVE = hte_forest_recv, SEND = hte_forest_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = external);

CREATE TYPE hte_cate AS (
    estimate   float8,
    std_error  float8
);

CREATE TYPE hte_forest_summary AS (
    ate                                   float8,
    ate_std_error                         float8,
    att                                   float8,
    att_std_error                         float8,
    atu                                   float8,
    atu_std_error                         float8,
    variable_importance                   float8[],
    calibration_mean                      float8,
    calibration_mean_std_error            float8,
    calibration_differential              float8,
    calibration_differential_std_error    float8,
    calibration_differential_p_value      float8,
    num_trees                             integer,
    n                                     bigint
);

CREATE FUNCTION hte_forest_final(internal) RETURNS hte_forest
    AS 'MODULE_PATHNAME', 'hte_forest_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION hte_forest_trans(internal, float8, boolean, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated boolean, covariates float8[]) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, boolean, float8[], jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated boolean, covariates float8[], options jsonb) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, smallint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated smallint, covariates float8[]) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, smallint, float8[], jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated smallint, covariates float8[], options jsonb) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, integer, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated integer, covariates float8[]) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, integer, float8[], jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated integer, covariates float8[], options jsonb) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, bigint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated bigint, covariates float8[]) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);
CREATE FUNCTION hte_forest_trans(internal, float8, bigint, float8[], jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE causal_forest(y float8, treated bigint, covariates float8[], options jsonb) (
    SFUNC = hte_forest_trans,
    STYPE = internal, COMBINEFUNC = hte_cate_rows_combine,
    SERIALFUNC = hte_cate_rows_serialize, DESERIALFUNC = hte_cate_rows_deserialize,
    FINALFUNC = hte_forest_final, PARALLEL = SAFE);

CREATE FUNCTION cate(model hte_forest, covariates float8[]) RETURNS hte_cate
    AS 'MODULE_PATHNAME', 'hte_cate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forest_summary(model hte_forest) RETURNS hte_forest_summary
    AS 'MODULE_PATHNAME', 'hte_forest_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE hte_forest IS
    'a trained causal forest (causal_forest()): its trees with four leaf means each, the options and the out-of-bag summary; a validated, versioned value (text form: base64)';
COMMENT ON FUNCTION hte_forest_in(cstring) IS
    'internal: text input of hte_forest (base64 of the model, validated); not for direct use';
COMMENT ON FUNCTION hte_forest_out(hte_forest) IS
    'internal: text output of hte_forest (base64 of the model); not for direct use';
COMMENT ON FUNCTION hte_forest_recv(internal) IS
    'internal: binary input of hte_forest (the model''s bytes, validated); not for direct use';
COMMENT ON FUNCTION hte_forest_send(hte_forest) IS
    'internal: binary output of hte_forest (the model''s bytes); not for direct use';
COMMENT ON TYPE hte_cate IS
    'result of cate(): the causal forest''s CATE at a row and its standard error';
COMMENT ON COLUMN hte_cate.estimate IS
    'the CATE at the covariates: the local regression of the centred outcome on the centred treatment with the forest''s weights (grf''s causal forest prediction); NULL when undefined';
COMMENT ON COLUMN hte_cate.std_error IS
    'standard error by the bootstrap of little bags (half-sample groups of ci_group_size trees) with grf''s objective-Bayes correction; NULL when ci_group_size is 1';
COMMENT ON TYPE hte_forest_summary IS
    'result of forest_summary(): what causal_forest() computed from its out-of-bag predictions';
COMMENT ON COLUMN hte_forest_summary.ate IS
    'average treatment effect by AIPW on the out-of-bag CATEs and nuisance predictions (grf''s average_treatment_effect, target.sample = "all"); NULL when undefined';
COMMENT ON COLUMN hte_forest_summary.ate_std_error IS
    'standard error of ate: the standard deviation of the doubly robust scores over sqrt(n)';
COMMENT ON COLUMN hte_forest_summary.att IS
    'average treatment effect on the treated (grf''s average_treatment_effect, target.sample = "treated")';
COMMENT ON COLUMN hte_forest_summary.att_std_error IS
    'standard error of att (grf''s formula)';
COMMENT ON COLUMN hte_forest_summary.atu IS
    'average treatment effect on the untreated (grf''s average_treatment_effect, target.sample = "control")';
COMMENT ON COLUMN hte_forest_summary.atu_std_error IS
    'standard error of atu (grf''s formula)';
COMMENT ON COLUMN hte_forest_summary.variable_importance IS
    'per covariate: share of splits on it at depths 1 to 4, weighted by depth^-2 (grf''s variable_importance)';
COMMENT ON COLUMN hte_forest_summary.calibration_mean IS
    'coefficient of the mean forest prediction in grf''s test_calibration (1: the average prediction is correct)';
COMMENT ON COLUMN hte_forest_summary.calibration_mean_std_error IS
    'HC3 standard error of calibration_mean';
COMMENT ON COLUMN hte_forest_summary.calibration_differential IS
    'coefficient of the differential forest prediction in grf''s test_calibration (1: the heterogeneity is well calibrated; > 0 significantly: heterogeneity is detected)';
COMMENT ON COLUMN hte_forest_summary.calibration_differential_std_error IS
    'HC3 standard error of calibration_differential';
COMMENT ON COLUMN hte_forest_summary.calibration_differential_p_value IS
    'one-sided p-value of calibration_differential > 0, t with n − 2 degrees of freedom';
COMMENT ON COLUMN hte_forest_summary.num_trees IS
    'number of causal trees (num_trees rounded up to whole groups of ci_group_size)';
COMMENT ON COLUMN hte_forest_summary.n IS
    'number of training rows';
COMMENT ON FUNCTION hte_forest_final(internal) IS
    'internal: final function of causal_forest(); trains the forest on the kept rows; not for direct use';
COMMENT ON FUNCTION cate(hte_forest, float8[]) IS
    'the causal forest''s CATE at one row of covariates (in training order) and its little-bags standard error; the model is parsed once per query';
COMMENT ON FUNCTION forest_summary(hte_forest) IS
    'the causal forest''s out-of-bag summary: ATE, ATT, ATU by AIPW, variable importance, calibration test (as grf)';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, boolean, float8[]) IS
    'internal: transition function of causal_forest(float8, boolean, float8[]); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, boolean, float8[]) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), grf''s defaults: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, boolean, float8[], jsonb) IS
    'internal: transition function of causal_forest(float8, boolean, float8[], jsonb); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, boolean, float8[], jsonb) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), options as grf: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, smallint, float8[]) IS
    'internal: transition function of causal_forest(float8, smallint, float8[]); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, smallint, float8[]) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), grf''s defaults: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, smallint, float8[], jsonb) IS
    'internal: transition function of causal_forest(float8, smallint, float8[], jsonb); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, smallint, float8[], jsonb) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), options as grf: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, integer, float8[]) IS
    'internal: transition function of causal_forest(float8, integer, float8[]); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, integer, float8[]) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), grf''s defaults: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, integer, float8[], jsonb) IS
    'internal: transition function of causal_forest(float8, integer, float8[], jsonb); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, integer, float8[], jsonb) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), options as grf: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, bigint, float8[]) IS
    'internal: transition function of causal_forest(float8, bigint, float8[]); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, bigint, float8[]) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), grf''s defaults: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
COMMENT ON FUNCTION hte_forest_trans(internal, float8, bigint, float8[], jsonb) IS
    'internal: transition function of causal_forest(float8, bigint, float8[], jsonb); keeps the row; not for direct use';
COMMENT ON AGGREGATE causal_forest(float8, bigint, float8[], jsonb) IS
    'a causal forest for the CATE (generalized random forest, as grf''s causal_forest), options as grf: out-of-bag centring, honest subsampled trees, little-bags variance; the same rows in any order give the identical model for a seed';
