
-- cate_by and heterogeneity_test with a subgroup of a common type (since 1.1)
--
-- The same aggregates as in 30_subgroup.sql, for subgroups of type text,
-- integer, bigint, smallint, boolean and date with concrete argument types
-- instead of anyelement: PostgreSQL prefers them for columns of those
-- types, and they work where the subgroup's type cannot be read from the
-- call — Citus checks the argument types it ships against the aggregate's
-- declared ones, and calls the transition and final functions without a
-- call expression.  Their final functions take the state alone (no
-- FINALFUNC_EXTRA: the result types are fixed).  Other types use the
-- anyelement forms.
CREATE FUNCTION hte_cate_by_final(internal) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_cate_by_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_heterogeneity_final(internal) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_heterogeneity_final' LANGUAGE C STABLE PARALLEL SAFE;

-- subgroup text
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup text, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup text, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup text, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup text, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

-- subgroup integer
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup integer, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup integer, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup integer, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup integer, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup integer) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

-- subgroup bigint
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, bigint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup bigint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, bigint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup bigint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, bigint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup bigint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, bigint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup bigint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup bigint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

-- subgroup smallint
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, smallint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, smallint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup smallint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, smallint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, smallint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup smallint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, smallint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, smallint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup smallint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, smallint) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, smallint, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup smallint, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup smallint) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

-- subgroup boolean
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, boolean, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup boolean, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, boolean, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup boolean, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, boolean, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup boolean, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, boolean, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup boolean, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup boolean) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

-- subgroup date
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, boolean, date, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated boolean, subgroup date, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated boolean, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, smallint, date, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated smallint, subgroup date, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated smallint, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, integer, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, integer, date, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated integer, subgroup date, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated integer, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_sg_trans(internal, float8, bigint, date, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_sg4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated bigint, subgroup date, p_adjust_method text) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_cate_by_final, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated bigint, subgroup date) (
    SFUNC = hte_sg_trans, STYPE = internal, COMBINEFUNC = hte_sg_combine,
    SERIALFUNC = hte_sg_serialize, DESERIALFUNC = hte_sg_deserialize,
    FINALFUNC = hte_heterogeneity_final, PARALLEL = SAFE);

COMMENT ON FUNCTION hte_cate_by_final(internal) IS 'internal: final function of cate_by with a subgroup of a common type';
COMMENT ON FUNCTION hte_heterogeneity_final(internal) IS 'internal: final function of heterogeneity_test with a subgroup of a common type';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, text) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, text)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, text, text) IS 'internal: transition function of cate_by over (float8, boolean, text, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, text, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, text) IS
    'does the effect differ across subgroups (text)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, text) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, text)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, text, text) IS 'internal: transition function of cate_by over (float8, smallint, text, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, text, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, text) IS
    'does the effect differ across subgroups (text)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, text) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, text)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, text, text) IS 'internal: transition function of cate_by over (float8, integer, text, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, text, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, text) IS
    'does the effect differ across subgroups (text)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, text) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, text)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, text, text) IS 'internal: transition function of cate_by over (float8, bigint, text, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, text, text) IS
    'treatment effect per subgroup (text): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, text) IS
    'does the effect differ across subgroups (text)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, integer) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, integer)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, integer, text) IS 'internal: transition function of cate_by over (float8, boolean, integer, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, integer) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, integer, text) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, integer) IS
    'does the effect differ across subgroups (integer)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, integer) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, integer)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, integer, text) IS 'internal: transition function of cate_by over (float8, smallint, integer, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, integer) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, integer, text) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, integer) IS
    'does the effect differ across subgroups (integer)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, integer) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, integer)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, integer, text) IS 'internal: transition function of cate_by over (float8, integer, integer, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, integer) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, integer, text) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, integer) IS
    'does the effect differ across subgroups (integer)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, integer) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, integer)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, integer, text) IS 'internal: transition function of cate_by over (float8, bigint, integer, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, integer) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, integer, text) IS
    'treatment effect per subgroup (integer): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, integer) IS
    'does the effect differ across subgroups (integer)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, bigint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, bigint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, bigint, text) IS 'internal: transition function of cate_by over (float8, boolean, bigint, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, bigint) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, bigint, text) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, bigint) IS
    'does the effect differ across subgroups (bigint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, bigint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, bigint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, bigint, text) IS 'internal: transition function of cate_by over (float8, smallint, bigint, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, bigint) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, bigint, text) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, bigint) IS
    'does the effect differ across subgroups (bigint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, bigint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, bigint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, bigint, text) IS 'internal: transition function of cate_by over (float8, integer, bigint, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, bigint) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, bigint, text) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, bigint) IS
    'does the effect differ across subgroups (bigint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, bigint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, bigint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, bigint, text) IS 'internal: transition function of cate_by over (float8, bigint, bigint, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, bigint) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, bigint, text) IS
    'treatment effect per subgroup (bigint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, bigint) IS
    'does the effect differ across subgroups (bigint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, smallint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, smallint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, smallint, text) IS 'internal: transition function of cate_by over (float8, boolean, smallint, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, smallint) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, smallint, text) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, smallint) IS
    'does the effect differ across subgroups (smallint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, smallint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, smallint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, smallint, text) IS 'internal: transition function of cate_by over (float8, smallint, smallint, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, smallint) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, smallint, text) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, smallint) IS
    'does the effect differ across subgroups (smallint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, smallint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, smallint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, smallint, text) IS 'internal: transition function of cate_by over (float8, integer, smallint, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, smallint) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, smallint, text) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, smallint) IS
    'does the effect differ across subgroups (smallint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, smallint) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, smallint)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, smallint, text) IS 'internal: transition function of cate_by over (float8, bigint, smallint, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, smallint) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, smallint, text) IS
    'treatment effect per subgroup (smallint): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, smallint) IS
    'does the effect differ across subgroups (smallint)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, boolean) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, boolean)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, boolean, text) IS 'internal: transition function of cate_by over (float8, boolean, boolean, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, boolean) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, boolean, text) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, boolean) IS
    'does the effect differ across subgroups (boolean)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, boolean) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, boolean)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, boolean, text) IS 'internal: transition function of cate_by over (float8, smallint, boolean, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, boolean) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, boolean, text) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, boolean) IS
    'does the effect differ across subgroups (boolean)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, boolean) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, boolean)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, boolean, text) IS 'internal: transition function of cate_by over (float8, integer, boolean, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, boolean) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, boolean, text) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, boolean) IS
    'does the effect differ across subgroups (boolean)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, boolean) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, boolean)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, boolean, text) IS 'internal: transition function of cate_by over (float8, bigint, boolean, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, boolean) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, boolean, text) IS
    'treatment effect per subgroup (boolean): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, boolean) IS
    'does the effect differ across subgroups (boolean)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, date) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, boolean, date)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, boolean, date, text) IS 'internal: transition function of cate_by over (float8, boolean, date, text)';
COMMENT ON AGGREGATE cate_by(float8, boolean, date) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, boolean, date, text) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, date) IS
    'does the effect differ across subgroups (date)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, date) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, smallint, date)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, smallint, date, text) IS 'internal: transition function of cate_by over (float8, smallint, date, text)';
COMMENT ON AGGREGATE cate_by(float8, smallint, date) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, smallint, date, text) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, smallint, date) IS
    'does the effect differ across subgroups (date)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, date) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, integer, date)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, integer, date, text) IS 'internal: transition function of cate_by over (float8, integer, date, text)';
COMMENT ON AGGREGATE cate_by(float8, integer, date) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, integer, date, text) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, integer, date) IS
    'does the effect differ across subgroups (date)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, date) IS 'internal: transition function of cate_by and heterogeneity_test over (float8, bigint, date)';
COMMENT ON FUNCTION hte_sg_trans(internal, float8, bigint, date, text) IS 'internal: transition function of cate_by over (float8, bigint, date, text)';
COMMENT ON AGGREGATE cate_by(float8, bigint, date) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with Holm-adjusted p-values; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE cate_by(float8, bigint, date, text) IS
    'treatment effect per subgroup (date): one hte_subgroup (the ate() columns) per subgroup value, in the type''s order, NULL last, with p-values adjusted by p_adjust_method; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE heterogeneity_test(float8, bigint, date) IS
    'does the effect differ across subgroups (date)? Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test; treated: boolean, or 0/1 smallint/integer/bigint';
