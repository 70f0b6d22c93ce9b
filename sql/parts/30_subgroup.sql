-- cate_by(y, treated, subgroup [, p_adjust_method]), heterogeneity_test,
-- p_adjust -------------------------------------------------------------------

CREATE TYPE hte_subgroup AS (
    subgroup      text,
    estimate      float8,
    std_error     float8,
    ci_lower      float8,
    ci_upper      float8,
    p_value       float8,
    df            float8,
    n_treated     bigint,
    n_control     bigint,
    mean_treated  float8,
    mean_control  float8,
    sd_treated    float8,
    sd_control    float8,
    p_adjusted    float8
);

CREATE TYPE hte_heterogeneity AS (
    subgroups            integer,
    q_statistic          float8,
    df                   float8,
    p_value              float8,
    i_squared            float8,
    tau_squared          float8,
    pooled_estimate      float8,
    pooled_std_error     float8,
    crossover_statistic  float8,
    crossover_p_value    float8
);

-- State: internal, a hash table from subgroup value to per-arm moments
-- (src/subgroup.c).  cate_by and heterogeneity_test share the transition
-- function, so a query calling both with the same arguments scans once.
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, anyelement) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, anyelement) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, anyelement) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, anyelement) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, anyelement, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, anyelement, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, anyelement, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, anyelement, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_sg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_sg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- the final functions take the aggregate's arguments (FINALFUNC_EXTRA) so
-- that their result types are fixed while the subgroup is polymorphic
CREATE FUNCTION hte_cate_by_final(internal, float8, boolean, anyelement) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, boolean, anyelement, text) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_heterogeneity_final(internal, float8, boolean, anyelement) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_heterogeneity_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, smallint, anyelement) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, smallint, anyelement, text) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_heterogeneity_final(internal, float8, smallint, anyelement) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_heterogeneity_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, integer, anyelement) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, integer, anyelement, text) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_heterogeneity_final(internal, float8, integer, anyelement) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_heterogeneity_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, bigint, anyelement) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_cate_by_final(internal, float8, bigint, anyelement, text) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_heterogeneity_final(internal, float8, bigint, anyelement) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_heterogeneity_final' LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup anyelement, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup anyelement, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup anyelement, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup anyelement, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, FINALFUNC_EXTRA, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup anyelement) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, FINALFUNC_EXTRA, PARALLEL = SAFE);

CREATE FUNCTION p_adjust(p float8[], method text DEFAULT 'holm') RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_p_adjust' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
