-- ate(y, treated) ------------------------------------------------------------

CREATE TYPE hte_ate AS (
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
    sd_control    float8
);

-- State: float8[11] = {layout tag 1, control {n, mean, M2}, treated {n, mean, M2}},
-- mean and M2 each a compensated double-double (hi, lo); inside an aggregate,
-- once it has 64 rows, float8[45] with a buffer of pending rows per arm: see
-- src/core/hte_moments.h.

CREATE FUNCTION hte_ate_trans(float8[], float8, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], float8, smallint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], float8, integer) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], float8, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], boolean, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], boolean, smallint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], boolean, integer) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_trans(float8[], boolean, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION hte_ate_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_ate_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_ate_final(float8[]) RETURNS hte_ate
    AS 'MODULE_PATHNAME', 'hte_ate_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE ate(y float8, treated boolean) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated smallint) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated integer) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y float8, treated bigint) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y boolean, treated boolean) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y boolean, treated smallint) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y boolean, treated integer) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
CREATE AGGREGATE ate(y boolean, treated bigint) (
    SFUNC = hte_ate_trans, STYPE = float8[], INITCOND = '{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_combine, FINALFUNC = hte_ate_final,
    PARALLEL = SAFE);
