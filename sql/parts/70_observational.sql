
-- Observational data: ATE, ATT and ATU (since 1.1) -------------------------------

CREATE TYPE hte_estimand AS (
    estimand          text,
    estimate          float8,
    std_error         float8,
    ci_lower          float8,
    ci_upper          float8,
    z_statistic       float8,
    p_value           float8,
    po_mean_treated   float8,
    po_mean_control   float8,
    n_treated         bigint,
    n_control         bigint,
    method            text,
    link              text
);

CREATE TYPE hte_propensity AS (
    coefficients      float8[],
    std_errors        float8[],
    z_values          float8[],
    p_values          float8[],
    log_likelihood    float8,
    iterations        integer,
    converged         boolean,
    n_treated         bigint,
    n_control         bigint,
    link              text
);

CREATE TYPE hte_overlap AS (
    ps_min_treated    float8,
    ps_max_treated    float8,
    ps_min_control    float8,
    ps_max_control    float8,
    n_below           bigint,
    n_above           bigint,
    crump_alpha       float8,
    n_outside_crump   bigint,
    ess_treated       float8,
    ess_control       float8,
    max_weight        float8,
    converged         boolean,
    iterations        integer
);

CREATE TYPE hte_balance AS (
    covariate                 integer,
    mean_treated              float8,
    mean_control              float8,
    smd                       float8,
    smd_weighted              float8,
    variance_ratio            float8,
    variance_ratio_weighted   float8
);

-- The aggregates keep their rows (8 (p + 2) bytes each) in an internal
-- state, serialized for parallel query (src/observational.c); the final
-- functions fit the models.
CREATE FUNCTION hte_obs_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_obs_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_obs_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_obs_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_obs_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_obs_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_estimands_final(internal) RETURNS hte_estimand[]
    AS 'MODULE_PATHNAME', 'hte_estimands_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_propensity_final(internal) RETURNS hte_propensity
    AS 'MODULE_PATHNAME', 'hte_propensity_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_overlap_final(internal) RETURNS hte_overlap
    AS 'MODULE_PATHNAME', 'hte_overlap_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_balance_final(internal) RETURNS hte_balance[]
    AS 'MODULE_PATHNAME', 'hte_balance_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION propensity_score(model hte_propensity, covariates float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'hte_propensity_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION hte_est_trans(internal, float8, boolean, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated boolean, covariates float8[]) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, boolean, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated boolean, covariates float8[], method text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, boolean, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated boolean, covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, boolean, float8[], float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated boolean, outcome_covariates float8[], treatment_covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, boolean, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated boolean, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated boolean, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, boolean, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated boolean, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated boolean, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, boolean, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated boolean, covariates float8[]) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, boolean, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated boolean, covariates float8[], estimand text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, boolean, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated boolean, covariates float8[], estimand text, link text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, smallint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated smallint, covariates float8[]) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, smallint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated smallint, covariates float8[], method text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, smallint, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated smallint, covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, smallint, float8[], float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated smallint, outcome_covariates float8[], treatment_covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, smallint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated smallint, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated smallint, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, smallint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated smallint, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated smallint, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, smallint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated smallint, covariates float8[]) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, smallint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated smallint, covariates float8[], estimand text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, smallint, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated smallint, covariates float8[], estimand text, link text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, integer, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated integer, covariates float8[]) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, integer, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated integer, covariates float8[], method text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, integer, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated integer, covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, integer, float8[], float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated integer, outcome_covariates float8[], treatment_covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, integer, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated integer, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated integer, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, integer, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated integer, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated integer, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, integer, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated integer, covariates float8[]) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, integer, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated integer, covariates float8[], estimand text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, integer, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated integer, covariates float8[], estimand text, link text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, bigint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated bigint, covariates float8[]) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, bigint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated bigint, covariates float8[], method text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, bigint, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated bigint, covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_est_trans(internal, float8, bigint, float8[], float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_est_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated bigint, outcome_covariates float8[], treatment_covariates float8[], method text, link text) (
    SFUNC = hte_est_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_estimands_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, bigint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated bigint, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated bigint, covariates float8[]) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ps_trans(internal, bigint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_ps_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE propensity_model(treated bigint, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_propensity_final, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated bigint, covariates float8[], link text) (
    SFUNC = hte_ps_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_overlap_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, bigint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated bigint, covariates float8[]) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, bigint, float8[], text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated bigint, covariates float8[], estimand text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);
CREATE FUNCTION hte_bal_trans(internal, bigint, float8[], text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_bal_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE balance_table(treated bigint, covariates float8[], estimand text, link text) (
    SFUNC = hte_bal_trans, STYPE = internal, COMBINEFUNC = hte_obs_combine,
    SERIALFUNC = hte_obs_serialize, DESERIALFUNC = hte_obs_deserialize,
    FINALFUNC = hte_balance_final, PARALLEL = SAFE);

-- A text-coded treatment: hte's own error with the idiom (see 50_text_treatment.sql).
CREATE FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any", "any") RETURNS text
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any", "any", "any") RETURNS text
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_estimands(text) RETURNS hte_estimand[]
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_propensity(text) RETURNS hte_propensity
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_overlap(text) RETURNS hte_overlap
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_balance(text) RETURNS hte_balance[]
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE estimands(y float8, treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'estimands(y, arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_estimands, PARALLEL = SAFE);
CREATE AGGREGATE estimands(y float8, treated text, covariates float8[], method text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'estimands(y, arm = ''A'', covariates, method)',
    FINALFUNC = hte_text_treatment_estimands, PARALLEL = SAFE);
CREATE AGGREGATE estimands(y float8, treated text, covariates float8[], method text, link text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'estimands(y, arm = ''A'', covariates, method, link)',
    FINALFUNC = hte_text_treatment_estimands, PARALLEL = SAFE);
CREATE AGGREGATE estimands(y float8, treated text, outcome_covariates float8[], treatment_covariates float8[], method text, link text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'estimands(y, arm = ''A'', outcome_covariates, treatment_covariates, method, link)',
    FINALFUNC = hte_text_treatment_estimands, PARALLEL = SAFE);
CREATE AGGREGATE propensity_model(treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'propensity_model(arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_propensity, PARALLEL = SAFE);
CREATE AGGREGATE propensity_model(treated text, covariates float8[], link text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'propensity_model(arm = ''A'', covariates, link)',
    FINALFUNC = hte_text_treatment_propensity, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'overlap_check(arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_overlap, PARALLEL = SAFE);
CREATE AGGREGATE overlap_check(treated text, covariates float8[], link text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'overlap_check(arm = ''A'', covariates, link)',
    FINALFUNC = hte_text_treatment_overlap, PARALLEL = SAFE);
CREATE AGGREGATE balance_table(treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'balance_table(arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_balance, PARALLEL = SAFE);
CREATE AGGREGATE balance_table(treated text, covariates float8[], estimand text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'balance_table(arm = ''A'', covariates, estimand)',
    FINALFUNC = hte_text_treatment_balance, PARALLEL = SAFE);
CREATE AGGREGATE balance_table(treated text, covariates float8[], estimand text, link text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'balance_table(arm = ''A'', covariates, estimand, link)',
    FINALFUNC = hte_text_treatment_balance, PARALLEL = SAFE);

COMMENT ON FUNCTION hte_est_trans(internal, float8, boolean, float8[]) IS
    'internal: transition function of estimands(float8, boolean, float8[]); not for direct use';
COMMENT ON AGGREGATE estimands(float8, boolean, float8[]) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, boolean, float8[], text) IS
    'internal: transition function of estimands(float8, boolean, float8[], text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, boolean, float8[], text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, boolean, float8[], text, text) IS
    'internal: transition function of estimands(float8, boolean, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, boolean, float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, boolean, float8[], float8[], text, text) IS
    'internal: transition function of estimands(float8, boolean, float8[], float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, boolean, float8[], float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data, with separate outcome and treatment covariates; method aipw, ipw or ra; link logit or probit; stacked sandwich SEs; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, boolean, float8[]) IS
    'internal: transition function of propensity_model(boolean, float8[]) and overlap_check(boolean, float8[]); not for direct use';
COMMENT ON AGGREGATE propensity_model(boolean, float8[]) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(boolean, float8[]) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, boolean, float8[], text) IS
    'internal: transition function of propensity_model(boolean, float8[], text) and overlap_check(boolean, float8[], text); not for direct use';
COMMENT ON AGGREGATE propensity_model(boolean, float8[], text) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(boolean, float8[], text) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, boolean, float8[]) IS
    'internal: transition function of balance_table(boolean, float8[]); not for direct use';
COMMENT ON AGGREGATE balance_table(boolean, float8[]) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, boolean, float8[], text) IS
    'internal: transition function of balance_table(boolean, float8[], text); not for direct use';
COMMENT ON AGGREGATE balance_table(boolean, float8[], text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, boolean, float8[], text, text) IS
    'internal: transition function of balance_table(boolean, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE balance_table(boolean, float8[], text, text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, smallint, float8[]) IS
    'internal: transition function of estimands(float8, smallint, float8[]); not for direct use';
COMMENT ON AGGREGATE estimands(float8, smallint, float8[]) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, smallint, float8[], text) IS
    'internal: transition function of estimands(float8, smallint, float8[], text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, smallint, float8[], text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, smallint, float8[], text, text) IS
    'internal: transition function of estimands(float8, smallint, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, smallint, float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, smallint, float8[], float8[], text, text) IS
    'internal: transition function of estimands(float8, smallint, float8[], float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, smallint, float8[], float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data, with separate outcome and treatment covariates; method aipw, ipw or ra; link logit or probit; stacked sandwich SEs; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, smallint, float8[]) IS
    'internal: transition function of propensity_model(smallint, float8[]) and overlap_check(smallint, float8[]); not for direct use';
COMMENT ON AGGREGATE propensity_model(smallint, float8[]) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(smallint, float8[]) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, smallint, float8[], text) IS
    'internal: transition function of propensity_model(smallint, float8[], text) and overlap_check(smallint, float8[], text); not for direct use';
COMMENT ON AGGREGATE propensity_model(smallint, float8[], text) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(smallint, float8[], text) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, smallint, float8[]) IS
    'internal: transition function of balance_table(smallint, float8[]); not for direct use';
COMMENT ON AGGREGATE balance_table(smallint, float8[]) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, smallint, float8[], text) IS
    'internal: transition function of balance_table(smallint, float8[], text); not for direct use';
COMMENT ON AGGREGATE balance_table(smallint, float8[], text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, smallint, float8[], text, text) IS
    'internal: transition function of balance_table(smallint, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE balance_table(smallint, float8[], text, text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, integer, float8[]) IS
    'internal: transition function of estimands(float8, integer, float8[]); not for direct use';
COMMENT ON AGGREGATE estimands(float8, integer, float8[]) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, integer, float8[], text) IS
    'internal: transition function of estimands(float8, integer, float8[], text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, integer, float8[], text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, integer, float8[], text, text) IS
    'internal: transition function of estimands(float8, integer, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, integer, float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, integer, float8[], float8[], text, text) IS
    'internal: transition function of estimands(float8, integer, float8[], float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, integer, float8[], float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data, with separate outcome and treatment covariates; method aipw, ipw or ra; link logit or probit; stacked sandwich SEs; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, integer, float8[]) IS
    'internal: transition function of propensity_model(integer, float8[]) and overlap_check(integer, float8[]); not for direct use';
COMMENT ON AGGREGATE propensity_model(integer, float8[]) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(integer, float8[]) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, integer, float8[], text) IS
    'internal: transition function of propensity_model(integer, float8[], text) and overlap_check(integer, float8[], text); not for direct use';
COMMENT ON AGGREGATE propensity_model(integer, float8[], text) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(integer, float8[], text) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, integer, float8[]) IS
    'internal: transition function of balance_table(integer, float8[]); not for direct use';
COMMENT ON AGGREGATE balance_table(integer, float8[]) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, integer, float8[], text) IS
    'internal: transition function of balance_table(integer, float8[], text); not for direct use';
COMMENT ON AGGREGATE balance_table(integer, float8[], text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, integer, float8[], text, text) IS
    'internal: transition function of balance_table(integer, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE balance_table(integer, float8[], text, text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, bigint, float8[]) IS
    'internal: transition function of estimands(float8, bigint, float8[]); not for direct use';
COMMENT ON AGGREGATE estimands(float8, bigint, float8[]) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, bigint, float8[], text) IS
    'internal: transition function of estimands(float8, bigint, float8[], text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, bigint, float8[], text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, bigint, float8[], text, text) IS
    'internal: transition function of estimands(float8, bigint, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, bigint, float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data by AIPW (default), IPW or regression adjustment with a logit (default) or probit propensity model and per-arm OLS outcome models, with the stacked M-estimation sandwich SEs of Stata teffects; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_est_trans(internal, float8, bigint, float8[], float8[], text, text) IS
    'internal: transition function of estimands(float8, bigint, float8[], float8[], text, text); not for direct use';
COMMENT ON AGGREGATE estimands(float8, bigint, float8[], float8[], text, text) IS
    'ATE, ATT, ATU and ATT−ATU from observational data, with separate outcome and treatment covariates; method aipw, ipw or ra; link logit or probit; stacked sandwich SEs; keeps the rows; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, bigint, float8[]) IS
    'internal: transition function of propensity_model(bigint, float8[]) and overlap_check(bigint, float8[]); not for direct use';
COMMENT ON AGGREGATE propensity_model(bigint, float8[]) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(bigint, float8[]) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ps_trans(internal, bigint, float8[], text) IS
    'internal: transition function of propensity_model(bigint, float8[], text) and overlap_check(bigint, float8[], text); not for direct use';
COMMENT ON AGGREGATE propensity_model(bigint, float8[], text) IS
    'the propensity model: binomial GLM of the treatment on 1 and the covariates, logit (default) or probit link, fitted by Fisher scoring to full convergence, with summary(glm)''s standard errors; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE overlap_check(bigint, float8[], text) IS
    'overlap of the propensity scores: ranges by arm, counts below 0.1 and above 0.9, Crump et al.''s trimming alpha, effective sample sizes and the largest ATE weight; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, bigint, float8[]) IS
    'internal: transition function of balance_table(bigint, float8[]); not for direct use';
COMMENT ON AGGREGATE balance_table(bigint, float8[]) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, bigint, float8[], text) IS
    'internal: transition function of balance_table(bigint, float8[], text); not for direct use';
COMMENT ON AGGREGATE balance_table(bigint, float8[], text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_bal_trans(internal, bigint, float8[], text, text) IS
    'internal: transition function of balance_table(bigint, float8[], text, text); not for direct use';
COMMENT ON AGGREGATE balance_table(bigint, float8[], text, text) IS
    'covariate balance before and after inverse probability weighting for the estimand (ATE default, ATT, ATU): standardized mean differences and variance ratios per covariate (cobalt''s conventions); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_text_treatment_estimands(text) IS
    'internal: final function of the text-treatment overloads of estimands; raises the error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_propensity(text) IS
    'internal: final function of the text-treatment overloads of propensity_model; raises the error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_overlap(text) IS
    'internal: final function of the text-treatment overloads of overlap_check; raises the error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_balance(text) IS
    'internal: final function of the text-treatment overloads of balance_table; raises the error; not for direct use';
COMMENT ON AGGREGATE estimands(float8, text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom estimands(y, arm = ''A'', covariates)';
COMMENT ON AGGREGATE estimands(float8, text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom estimands(y, arm = ''A'', covariates, method)';
COMMENT ON AGGREGATE estimands(float8, text, float8[], text, text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom estimands(y, arm = ''A'', covariates, method, link)';
COMMENT ON AGGREGATE estimands(float8, text, float8[], float8[], text, text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom estimands(y, arm = ''A'', outcome_covariates, treatment_covariates, method, link)';
COMMENT ON AGGREGATE propensity_model(text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom propensity_model(arm = ''A'', covariates)';
COMMENT ON AGGREGATE propensity_model(text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom propensity_model(arm = ''A'', covariates, link)';
COMMENT ON AGGREGATE overlap_check(text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom overlap_check(arm = ''A'', covariates)';
COMMENT ON AGGREGATE overlap_check(text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom overlap_check(arm = ''A'', covariates, link)';
COMMENT ON AGGREGATE balance_table(text, float8[]) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom balance_table(arm = ''A'', covariates)';
COMMENT ON AGGREGATE balance_table(text, float8[], text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom balance_table(arm = ''A'', covariates, estimand)';
COMMENT ON AGGREGATE balance_table(text, float8[], text, text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom balance_table(arm = ''A'', covariates, estimand, link)';
COMMENT ON FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any", "any") IS
    'internal: transition function of estimands(float8, text, float8[], text, text); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any", "any", "any") IS
    'internal: transition function of estimands(float8, text, float8[], float8[], text, text); raises the text-treatment error; not for direct use';
COMMENT ON FUNCTION hte_obs_combine(internal, internal) IS
    'internal: combine function of estimands, propensity_model, overlap_check and balance_table; not for direct use';
COMMENT ON FUNCTION hte_obs_serialize(internal) IS
    'internal: serialize function of estimands, propensity_model, overlap_check and balance_table; not for direct use';
COMMENT ON FUNCTION hte_obs_deserialize(bytea, internal) IS
    'internal: deserialize function of estimands, propensity_model, overlap_check and balance_table (validates every byte); not for direct use';
COMMENT ON FUNCTION hte_estimands_final(internal) IS
    'internal: final function of estimands; not for direct use';
COMMENT ON FUNCTION hte_propensity_final(internal) IS
    'internal: final function of propensity_model; not for direct use';
COMMENT ON FUNCTION hte_overlap_final(internal) IS
    'internal: final function of overlap_check; not for direct use';
COMMENT ON FUNCTION hte_balance_final(internal) IS
    'internal: final function of balance_table; not for direct use';
COMMENT ON FUNCTION propensity_score(hte_propensity, float8[]) IS
    'the fitted propensity of a covariate vector under a model from propensity_model (an aliased, NULL coefficient counts as 0)';
COMMENT ON TYPE hte_estimand IS 'one estimand of estimands(): ATE, ATT, ATU or ATT-ATU';
COMMENT ON COLUMN hte_estimand.estimand IS 'ATE, ATT, ATU or ATT-ATU (the difference: 0 when effects are homogeneous)';
COMMENT ON COLUMN hte_estimand.estimate IS 'the estimated effect';
COMMENT ON COLUMN hte_estimand.std_error IS 'standard error from the stacked M-estimation sandwich (Stata teffects vce(robust))';
COMMENT ON COLUMN hte_estimand.ci_lower IS 'lower normal confidence limit at hte.confidence_level';
COMMENT ON COLUMN hte_estimand.ci_upper IS 'upper normal confidence limit at hte.confidence_level';
COMMENT ON COLUMN hte_estimand.z_statistic IS 'estimate / std_error';
COMMENT ON COLUMN hte_estimand.p_value IS 'two-sided normal p-value for no effect';
COMMENT ON COLUMN hte_estimand.po_mean_treated IS 'mean potential outcome under treatment in the estimand''s population (NULL for ATT-ATU)';
COMMENT ON COLUMN hte_estimand.po_mean_control IS 'mean potential outcome under control in the estimand''s population (NULL for ATT-ATU)';
COMMENT ON COLUMN hte_estimand.n_treated IS 'treated rows used';
COMMENT ON COLUMN hte_estimand.n_control IS 'control rows used';
COMMENT ON COLUMN hte_estimand.method IS 'aipw, ipw or ra';
COMMENT ON COLUMN hte_estimand.link IS 'link of the propensity model: logit or probit (not used by ra)';
COMMENT ON TYPE hte_propensity IS 'a fitted propensity model: result of propensity_model(), input of propensity_score()';
COMMENT ON COLUMN hte_propensity.coefficients IS 'coefficients, intercept first, then the covariates in array order; NULL where a covariate is aliased';
COMMENT ON COLUMN hte_propensity.std_errors IS 'standard errors from the expected information (as summary(glm))';
COMMENT ON COLUMN hte_propensity.z_values IS 'coefficients / std_errors';
COMMENT ON COLUMN hte_propensity.p_values IS 'two-sided normal p-values';
COMMENT ON COLUMN hte_propensity.log_likelihood IS 'the maximized log-likelihood';
COMMENT ON COLUMN hte_propensity.iterations IS 'Fisher scoring iterations';
COMMENT ON COLUMN hte_propensity.converged IS 'whether the fit converged (a fit that does not is an error)';
COMMENT ON COLUMN hte_propensity.n_treated IS 'treated rows used';
COMMENT ON COLUMN hte_propensity.n_control IS 'control rows used';
COMMENT ON COLUMN hte_propensity.link IS 'logit or probit';
COMMENT ON TYPE hte_overlap IS 'overlap diagnostics of the propensity scores: result of overlap_check()';
COMMENT ON COLUMN hte_overlap.ps_min_treated IS 'smallest propensity among the treated';
COMMENT ON COLUMN hte_overlap.ps_max_treated IS 'largest propensity among the treated';
COMMENT ON COLUMN hte_overlap.ps_min_control IS 'smallest propensity among the controls';
COMMENT ON COLUMN hte_overlap.ps_max_control IS 'largest propensity among the controls';
COMMENT ON COLUMN hte_overlap.n_below IS 'rows (both arms) with propensity below 0.1';
COMMENT ON COLUMN hte_overlap.n_above IS 'rows (both arms) with propensity above 0.9';
COMMENT ON COLUMN hte_overlap.crump_alpha IS 'Crump, Hotz, Imbens and Mitnik (2009) optimal trimming threshold: keep rows with alpha <= propensity <= 1 - alpha (0: no trimming)';
COMMENT ON COLUMN hte_overlap.n_outside_crump IS 'rows with propensity below crump_alpha or above 1 - crump_alpha';
COMMENT ON COLUMN hte_overlap.ess_treated IS 'effective sample size of the treated under the ATE weights 1/e: (sum w)^2 / sum w^2';
COMMENT ON COLUMN hte_overlap.ess_control IS 'effective sample size of the controls under the ATE weights 1/(1 - e)';
COMMENT ON COLUMN hte_overlap.max_weight IS 'the largest unnormalized ATE weight, 1/e or 1/(1 - e)';
COMMENT ON COLUMN hte_overlap.converged IS 'whether the propensity model converged';
COMMENT ON COLUMN hte_overlap.iterations IS 'Fisher scoring iterations of the propensity model';
COMMENT ON TYPE hte_balance IS 'balance of one covariate: element of balance_table()';
COMMENT ON COLUMN hte_balance.covariate IS 'position of the covariate in the array, from 1';
COMMENT ON COLUMN hte_balance.mean_treated IS 'unweighted mean among the treated';
COMMENT ON COLUMN hte_balance.mean_control IS 'unweighted mean among the controls';
COMMENT ON COLUMN hte_balance.smd IS 'standardized mean difference (m1 - m0) / sqrt((s1^2 + s0^2) / 2), unweighted';
COMMENT ON COLUMN hte_balance.smd_weighted IS 'the same after weighting the means, over the unweighted denominator (cobalt)';
COMMENT ON COLUMN hte_balance.variance_ratio IS 'variance of the treated over that of the controls, unweighted';
COMMENT ON COLUMN hte_balance.variance_ratio_weighted IS 'the same with weighted (reliability-weight) variances';
