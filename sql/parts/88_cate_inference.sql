
-- Inference from nuisance and CATE predictions made elsewhere (since 1.1) ----

CREATE TYPE hte_dml AS (
    estimate   float8,
    std_error  float8,
    ci_lower   float8,
    ci_upper   float8,
    p_value    float8,
    n          bigint
);

-- dml_plr: a float8[13] state {7, n, the running estimate θ, then Σṽ², Σṽỹ,
-- and about θ Σṽ²(ỹ − θṽ)², Σṽ³(ỹ − θṽ), Σṽ⁴ as
-- compensated pairs} (src/core/hte_dml.h), updated in place.
CREATE FUNCTION hte_dml_trans(float8[], float8, float8, float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_dml_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_dml_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_dml_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_dml_final(float8[]) RETURNS hte_dml
    AS 'MODULE_PATHNAME', 'hte_dml_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE dml_plr(y float8, d float8, y_hat float8, d_hat float8) (
    SFUNC = hte_dml_trans, STYPE = float8[], INITCOND = '{7,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_dml_combine, FINALFUNC = hte_dml_final, PARALLEL = SAFE);

COMMENT ON TYPE hte_dml IS
    'result of dml_plr(): the partially linear model''s effect of d on y from cross-fitted nuisance predictions';
COMMENT ON COLUMN hte_dml.estimate IS
    'θ = Σ ṽỹ / Σ ṽ², ỹ = y − y_hat, ṽ = d − d_hat (DoubleML''s partialling-out score); NULL when Σ ṽ² = 0';
COMMENT ON COLUMN hte_dml.std_error IS
    'HC0 sandwich standard error √(Σ ṽ²(ỹ − θṽ)²) / Σ ṽ², treating the nuisance predictions as given';
COMMENT ON COLUMN hte_dml.ci_lower IS
    'lower bound of the normal confidence interval, estimate − z(1 − α/2)·std_error, α = 1 − hte.confidence_level; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_dml.ci_upper IS
    'upper bound of the normal confidence interval, estimate + z(1 − α/2)·std_error; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_dml.p_value IS
    'two-sided normal p-value of estimate = 0; NULL when std_error is NULL or 0';
COMMENT ON COLUMN hte_dml.n IS
    'number of rows used (no argument NULL)';
COMMENT ON FUNCTION hte_dml_trans(float8[], float8, float8, float8, float8) IS
    'internal: transition function of dml_plr';
COMMENT ON FUNCTION hte_dml_combine(float8[], float8[]) IS
    'internal: combine function of dml_plr';
COMMENT ON FUNCTION hte_dml_final(float8[]) IS
    'internal: final function of dml_plr';
COMMENT ON AGGREGATE dml_plr(float8, float8, float8, float8) IS
    'double/debiased ML, partially linear model: the effect of a (continuous or binary) treatment d on y from out-of-fold predictions y_hat = E[y | x] and d_hat = E[d | x], with the HC0 sandwich standard error, as DoubleML''s DoubleMLPLR (score "partialling out"); the predictions must be cross-fitted for the standard error to hold';

-- aipw: a float8[37] state {8, control arm, treated arm, Σ μ̂₁ + T(y − μ̂₁)/ê
-- (hi, lo)}, each arm {n, then mean A, mean B, mean Γ, M_AA, M_AB, M_BB, M_ΓΓ,
-- Σy as compensated pairs} (src/core/hte_aipw.h); inside an aggregate a
-- longer form with a block of pending rows per arm, updated in place.
CREATE FUNCTION hte_aipw_trans(float8[], float8, boolean, float8, float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_aipw_trans_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_aipw_trans(float8[], float8, smallint, float8, float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_aipw_trans_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_aipw_trans(float8[], float8, integer, float8, float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_aipw_trans_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_aipw_trans(float8[], float8, bigint, float8, float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_aipw_trans_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_aipw_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_aipw_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_aipw_final(float8[]) RETURNS hte_estimand[]
    AS 'MODULE_PATHNAME', 'hte_aipw_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE aipw(y float8, treated boolean, e_hat float8, mu0_hat float8, mu1_hat float8) (
    SFUNC = hte_aipw_trans, STYPE = float8[], INITCOND = '{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_aipw_combine, FINALFUNC = hte_aipw_final, PARALLEL = SAFE);
CREATE AGGREGATE aipw(y float8, treated smallint, e_hat float8, mu0_hat float8, mu1_hat float8) (
    SFUNC = hte_aipw_trans, STYPE = float8[], INITCOND = '{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_aipw_combine, FINALFUNC = hte_aipw_final, PARALLEL = SAFE);
CREATE AGGREGATE aipw(y float8, treated integer, e_hat float8, mu0_hat float8, mu1_hat float8) (
    SFUNC = hte_aipw_trans, STYPE = float8[], INITCOND = '{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_aipw_combine, FINALFUNC = hte_aipw_final, PARALLEL = SAFE);
CREATE AGGREGATE aipw(y float8, treated bigint, e_hat float8, mu0_hat float8, mu1_hat float8) (
    SFUNC = hte_aipw_trans, STYPE = float8[], INITCOND = '{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_aipw_combine, FINALFUNC = hte_aipw_final, PARALLEL = SAFE);

COMMENT ON FUNCTION hte_aipw_trans(float8[], float8, boolean, float8, float8, float8) IS
    'internal: transition function of aipw';
COMMENT ON FUNCTION hte_aipw_trans(float8[], float8, smallint, float8, float8, float8) IS
    'internal: transition function of aipw';
COMMENT ON FUNCTION hte_aipw_trans(float8[], float8, integer, float8, float8, float8) IS
    'internal: transition function of aipw';
COMMENT ON FUNCTION hte_aipw_trans(float8[], float8, bigint, float8, float8, float8) IS
    'internal: transition function of aipw';
COMMENT ON FUNCTION hte_aipw_combine(float8[], float8[]) IS
    'internal: combine function of aipw';
COMMENT ON FUNCTION hte_aipw_final(float8[]) IS
    'internal: final function of aipw';
COMMENT ON AGGREGATE aipw(float8, boolean, float8, float8, float8) IS
    'doubly robust (AIPW) ATE, ATT, ATU and ATT − ATU from cross-fitted nuisance predictions e_hat = P(T = 1 | x), mu0_hat and mu1_hat = E[y | x, T = 0 or 1], with influence-function standard errors that treat them as given, as grf''s average_treatment_effect; 0 < e_hat < 1 required';
COMMENT ON AGGREGATE aipw(float8, smallint, float8, float8, float8) IS
    'doubly robust (AIPW) ATE, ATT, ATU and ATT − ATU from cross-fitted nuisance predictions e_hat = P(T = 1 | x), mu0_hat and mu1_hat = E[y | x, T = 0 or 1], with influence-function standard errors that treat them as given, as grf''s average_treatment_effect; 0 < e_hat < 1 required';
COMMENT ON AGGREGATE aipw(float8, integer, float8, float8, float8) IS
    'doubly robust (AIPW) ATE, ATT, ATU and ATT − ATU from cross-fitted nuisance predictions e_hat = P(T = 1 | x), mu0_hat and mu1_hat = E[y | x, T = 0 or 1], with influence-function standard errors that treat them as given, as grf''s average_treatment_effect; 0 < e_hat < 1 required';
COMMENT ON AGGREGATE aipw(float8, bigint, float8, float8, float8) IS
    'doubly robust (AIPW) ATE, ATT, ATU and ATT − ATU from cross-fitted nuisance predictions e_hat = P(T = 1 | x), mu0_hat and mu1_hat = E[y | x, T = 0 or 1], with influence-function standard errors that treat them as given, as grf''s average_treatment_effect; 0 < e_hat < 1 required';
