-- qte(y, treated, q), qte(y, treated, q[]), homogeneity_test(y, treated) ------

CREATE TYPE hte_qte AS (
    quantile          float8,
    estimate          float8,
    quantile_treated  float8,
    quantile_control  float8,
    std_error         float8,
    ci_lower          float8,
    ci_upper          float8,
    p_value           float8,
    n_treated         bigint,
    n_control         bigint
);

CREATE TYPE hte_homogeneity AS (
    variance_treated        float8,
    variance_control        float8,
    variance_ratio          float8,
    variance_ratio_p_value  float8,
    ite_sd_lower            float8,
    ite_sd_upper            float8,
    qte_flatness_statistic  float8,
    qte_flatness_df         float8,
    qte_flatness_p_value    float8
);

-- State: internal, each arm's outcomes (8 bytes a row) and the quantile
-- levels; serialized for parallel query (at most 1 GB per worker): see
-- src/qte.c and src/core/hte_quantile.h.  The transition functions are not
-- strict: a NULL quantile level is an error, a NULL outcome or treatment
-- skips the row.
CREATE FUNCTION hte_qte_trans(internal, float8, boolean, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, smallint, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, integer, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, bigint, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, boolean, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qtea_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, smallint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qtea_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, integer, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qtea_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_trans(internal, float8, bigint, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qtea_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_homogeneity_trans(internal, float8, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_homog_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_homogeneity_trans(internal, float8, smallint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_homog_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_homogeneity_trans(internal, float8, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_homog_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_homogeneity_trans(internal, float8, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_homog_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION hte_qte_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_qte_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_qte_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_qte_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- STABLE: they read hte.confidence_level.  They reorder each arm's values
-- (selection), which leaves the multiset, all a later call reads, unchanged.
CREATE FUNCTION hte_qte_final(internal) RETURNS hte_qte
    AS 'MODULE_PATHNAME', 'hte_qte_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_qte_final_array(internal) RETURNS hte_qte[]
    AS 'MODULE_PATHNAME', 'hte_qte_final_array' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_homogeneity_final(internal) RETURNS hte_homogeneity
    AS 'MODULE_PATHNAME', 'hte_homog_final' LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE qte(y float8, treated boolean, q float8) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated smallint, q float8) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated integer, q float8) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated bigint, q float8) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated boolean, q float8[]) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final_array, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated smallint, q float8[]) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final_array, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated integer, q float8[]) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final_array, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated bigint, q float8[]) (
    SFUNC = hte_qte_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_qte_final_array, PARALLEL = SAFE);
CREATE AGGREGATE homogeneity_test(y float8, treated boolean) (
    SFUNC = hte_homogeneity_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_homogeneity_final, PARALLEL = SAFE);
CREATE AGGREGATE homogeneity_test(y float8, treated smallint) (
    SFUNC = hte_homogeneity_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_homogeneity_final, PARALLEL = SAFE);
CREATE AGGREGATE homogeneity_test(y float8, treated integer) (
    SFUNC = hte_homogeneity_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_homogeneity_final, PARALLEL = SAFE);
CREATE AGGREGATE homogeneity_test(y float8, treated bigint) (
    SFUNC = hte_homogeneity_trans, STYPE = internal, COMBINEFUNC = hte_qte_combine,
    SERIALFUNC = hte_qte_serialize, DESERIALFUNC = hte_qte_deserialize,
    FINALFUNC = hte_homogeneity_final, PARALLEL = SAFE);
