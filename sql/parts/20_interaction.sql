-- interaction_test(y, treated, x [, se_type]) ------------------------------

CREATE TYPE hte_interaction AS (
    interaction        float8,
    std_error          float8,
    ci_lower           float8,
    ci_upper           float8,
    p_value            float8,
    effect_at_zero     float8,
    effect_at_zero_se  float8,
    effect_at_mean     float8,
    effect_at_mean_se  float8,
    df                 float8,
    n_treated          bigint,
    n_control          bigint,
    se_type            text
);

-- Three-argument form (HC1).  State: float8[47] = {layout tag 2, control arm,
-- treated arm}, each arm {n, mean x, mean y, M20, M11, M02, M30, M21, M12,
-- M40, M31, M22}, all but n compensated double-doubles (hi, lo); inside an
-- aggregate, once it has 64 rows, float8[177] with a buffer of pending
-- (x, y) rows per arm: see src/core/hte_comoments.h.
CREATE FUNCTION hte_it_trans(float8[], float8, boolean, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_it_trans_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it_trans(float8[], float8, smallint, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_it_trans_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it_trans(float8[], float8, integer, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_it_trans_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it_trans(float8[], float8, bigint, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_it_trans_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_it_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it_final(float8[]) RETURNS hte_interaction
    AS 'MODULE_PATHNAME', 'hte_it_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE interaction_test(y float8, treated boolean, x float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_it_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated smallint, x float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_it_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated integer, x float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_it_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated bigint, x float8) (
    SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_it_combine, FINALFUNC = hte_it_final, PARALLEL = SAFE);

-- Four-argument form: internal state (moments; plus the (x, y) pairs for
-- HC2 and HC3), serialized for parallel query.
CREATE FUNCTION hte_it4_trans(internal, float8, boolean, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_it4_trans(internal, float8, smallint, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_it4_trans(internal, float8, integer, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_it4_trans(internal, float8, bigint, float8, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_it4_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_it4_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_it4_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it4_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_it4_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_it4_final(internal) RETURNS hte_interaction
    AS 'MODULE_PATHNAME', 'hte_it4_final' LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE interaction_test(y float8, treated boolean, x float8, se_type text) (
    SFUNC = hte_it4_trans, STYPE = internal, COMBINEFUNC = hte_it4_combine,
    SERIALFUNC = hte_it4_serialize, DESERIALFUNC = hte_it4_deserialize,
    FINALFUNC = hte_it4_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated smallint, x float8, se_type text) (
    SFUNC = hte_it4_trans, STYPE = internal, COMBINEFUNC = hte_it4_combine,
    SERIALFUNC = hte_it4_serialize, DESERIALFUNC = hte_it4_deserialize,
    FINALFUNC = hte_it4_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated integer, x float8, se_type text) (
    SFUNC = hte_it4_trans, STYPE = internal, COMBINEFUNC = hte_it4_combine,
    SERIALFUNC = hte_it4_serialize, DESERIALFUNC = hte_it4_deserialize,
    FINALFUNC = hte_it4_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated bigint, x float8, se_type text) (
    SFUNC = hte_it4_trans, STYPE = internal, COMBINEFUNC = hte_it4_combine,
    SERIALFUNC = hte_it4_serialize, DESERIALFUNC = hte_it4_deserialize,
    FINALFUNC = hte_it4_final, PARALLEL = SAFE);
