
-- Reports over accumulating data: stored, mergeable states (since 1.1) --------
--
-- Three types hold the moments of ate(y, treated), of the three-argument
-- interaction_test(y, treated, x), and of the covariate-adjusted ate and
-- joint interaction_test (one state serves both).  Their values are the
-- stored form of those aggregates' float8[] states, so the aggregates over
-- rows (<name>_state(...)), over states (<name>_state(state), a merge) and
-- the finishing ones (<name>(state)) share the transition and combine
-- functions of the aggregates over rows (src/stored.c).  Text and binary
-- forms are the type's own, exact and versioned (src/core/hte_state_io.h).

CREATE TYPE hte_ate_state;
CREATE FUNCTION hte_ate_state_in(cstring) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_state_out(hte_ate_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_state_recv(internal) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_state_send(hte_ate_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE hte_ate_state (
    INPUT = hte_ate_state_in, OUTPUT = hte_ate_state_out, RECEIVE = hte_ate_state_recv, SEND = hte_ate_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main);
-- the stored form of a state (the final function of the aggregates that make one)
CREATE FUNCTION hte_ate_state_final(hte_ate_state) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE hte_interaction_state;
CREATE FUNCTION hte_interaction_state_in(cstring) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_interaction_state_out(hte_interaction_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_interaction_state_recv(internal) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_interaction_state_send(hte_interaction_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE hte_interaction_state (
    INPUT = hte_interaction_state_in, OUTPUT = hte_interaction_state_out, RECEIVE = hte_interaction_state_recv, SEND = hte_interaction_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main);
-- the stored form of a state (the final function of the aggregates that make one)
CREATE FUNCTION hte_interaction_state_final(hte_interaction_state) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE hte_adjusted_state;
CREATE FUNCTION hte_adjusted_state_in(cstring) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_adjusted_state_out(hte_adjusted_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_adjusted_state_recv(internal) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_adjusted_state_send(hte_adjusted_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE hte_adjusted_state (
    INPUT = hte_adjusted_state_in, OUTPUT = hte_adjusted_state_out, RECEIVE = hte_adjusted_state_recv, SEND = hte_adjusted_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = main);
-- the stored form of a state (the final function of the aggregates that make one)
CREATE FUNCTION hte_adjusted_state_final(hte_adjusted_state) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ate ------------------------------------------------------------------------
CREATE FUNCTION hte_ate_state_combine(hte_ate_state, hte_ate_state) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_ate_state_ate(hte_ate_state) RETURNS hte_ate
    AS 'MODULE_PATHNAME', 'hte_ate_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, float8, boolean) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated boolean) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, float8, smallint) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated smallint) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, float8, integer) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated integer) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, float8, bigint) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_f8_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated bigint) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, boolean, boolean) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y boolean, treated boolean) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, boolean, smallint) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y boolean, treated smallint) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, boolean, integer) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y boolean, treated integer) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_ate_state_trans(hte_ate_state, boolean, bigint) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_ate_trans_bool_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y boolean, treated bigint) (
    SFUNC = hte_ate_state_trans, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_state(state hte_ate_state) (
    SFUNC = hte_ate_state_combine, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(state hte_ate_state) (
    SFUNC = hte_ate_state_combine, STYPE = hte_ate_state, INITCOND = 'ate/1:{1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_ate_state_combine, FINALFUNC = hte_ate_state_ate, PARALLEL = SAFE);

-- interaction_test(y, treated, x) -------------------------------------------
CREATE FUNCTION hte_interaction_state_combine(hte_interaction_state, hte_interaction_state) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_it_stored_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_interaction_state_interaction(hte_interaction_state) RETURNS hte_interaction
    AS 'MODULE_PATHNAME', 'hte_it_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, boolean, float8) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_it_trans_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE interaction_test_state(y float8, treated boolean, x float8) (
    SFUNC = hte_interaction_state_trans, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, smallint, float8) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_it_trans_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE interaction_test_state(y float8, treated smallint, x float8) (
    SFUNC = hte_interaction_state_trans, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, integer, float8) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_it_trans_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE interaction_test_state(y float8, treated integer, x float8) (
    SFUNC = hte_interaction_state_trans, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, bigint, float8) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_it_trans_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE interaction_test_state(y float8, treated bigint, x float8) (
    SFUNC = hte_interaction_state_trans, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(state hte_interaction_state) (
    SFUNC = hte_interaction_state_combine, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(state hte_interaction_state) (
    SFUNC = hte_interaction_state_combine, STYPE = hte_interaction_state, INITCOND = 'interaction/1:{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_interaction_state_combine, FINALFUNC = hte_interaction_state_interaction, PARALLEL = SAFE);

-- ate(y, treated, covariates) and interaction_test(y, treated, moderators) ----
CREATE FUNCTION hte_adjusted_state_combine(hte_adjusted_state, hte_adjusted_state) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_cov_stored_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: they read hte.confidence_level.
CREATE FUNCTION hte_adjusted_state_ate(hte_adjusted_state) RETURNS hte_ate_adjusted
    AS 'MODULE_PATHNAME', 'hte_cov_ate_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_adjusted_state_joint(hte_adjusted_state) RETURNS hte_interaction_joint
    AS 'MODULE_PATHNAME', 'hte_cov_joint_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, boolean, float8[]) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_cov_trans_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated boolean, covariates float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated boolean, moderators float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, smallint, float8[]) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated smallint, covariates float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated smallint, moderators float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, integer, float8[]) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated integer, covariates float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated integer, moderators float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, bigint, float8[]) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_cov_trans_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated bigint, covariates float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated bigint, moderators float8[]) (
    SFUNC = hte_adjusted_state_trans, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE ate_state(state hte_adjusted_state) (
    SFUNC = hte_adjusted_state_combine, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(state hte_adjusted_state) (
    SFUNC = hte_adjusted_state_combine, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_final, PARALLEL = SAFE);
CREATE AGGREGATE ate(state hte_adjusted_state) (
    SFUNC = hte_adjusted_state_combine, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_ate, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(state hte_adjusted_state) (
    SFUNC = hte_adjusted_state_combine, STYPE = hte_adjusted_state, INITCOND = 'adjusted/1:{3,0,0,0}',
    COMBINEFUNC = hte_adjusted_state_combine, FINALFUNC = hte_adjusted_state_joint, PARALLEL = SAFE);

-- A text-coded treatment: hte's own error with the idiom (see 50_text_treatment.sql).
CREATE FUNCTION hte_text_treatment_ate_state(text) RETURNS hte_ate_state
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_interaction_state(text) RETURNS hte_interaction_state
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_adjusted_state(text) RETURNS hte_adjusted_state
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_state(y float8, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_state(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_ate_state, PARALLEL = SAFE);
CREATE AGGREGATE ate_state(y boolean, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_state(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_ate_state, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated text, x float8) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test_state(y, arm = ''A'', x)',
    FINALFUNC = hte_text_treatment_interaction_state, PARALLEL = SAFE);
CREATE AGGREGATE ate_state(y float8, treated text, covariates float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_state(y, arm = ''A'', covariates)',
    FINALFUNC = hte_text_treatment_adjusted_state, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test_state(y float8, treated text, moderators float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test_state(y, arm = ''A'', moderators)',
    FINALFUNC = hte_text_treatment_adjusted_state, PARALLEL = SAFE);

-- Comments -------------------------------------------------------------------

COMMENT ON TYPE hte_ate_state IS
    'stored, mergeable state: the moments of ate(y, treated): per arm the count, mean and sum of squared deviations (compensated); make it with ate_state(y, treated), merge with ate_state(state), finish with ate(state); text form "ate/1:{...}", exact whatever extra_float_digits is';
COMMENT ON FUNCTION hte_ate_state_in(cstring) IS 'internal: text input of hte_ate_state';
COMMENT ON FUNCTION hte_ate_state_out(hte_ate_state) IS 'internal: text output of hte_ate_state';
COMMENT ON FUNCTION hte_ate_state_recv(internal) IS 'internal: binary input of hte_ate_state';
COMMENT ON FUNCTION hte_ate_state_send(hte_ate_state) IS 'internal: binary output of hte_ate_state';
COMMENT ON FUNCTION hte_ate_state_final(hte_ate_state) IS 'internal: final function of the aggregates that make a hte_ate_state (its stored form)';
COMMENT ON FUNCTION hte_ate_state_combine(hte_ate_state, hte_ate_state) IS 'internal: merges two hte_ate_state values (transition function of the aggregates over states, and combine function)';
COMMENT ON TYPE hte_interaction_state IS
    'stored, mergeable state: the moments of interaction_test(y, treated, x): per arm the count, means and central co-moments of (x, y) to fourth order (compensated); make it with interaction_test_state(y, treated, x), merge with interaction_test_state(state), finish with interaction_test(state); text form "interaction/1:{...}", exact whatever extra_float_digits is';
COMMENT ON FUNCTION hte_interaction_state_in(cstring) IS 'internal: text input of hte_interaction_state';
COMMENT ON FUNCTION hte_interaction_state_out(hte_interaction_state) IS 'internal: text output of hte_interaction_state';
COMMENT ON FUNCTION hte_interaction_state_recv(internal) IS 'internal: binary input of hte_interaction_state';
COMMENT ON FUNCTION hte_interaction_state_send(hte_interaction_state) IS 'internal: binary output of hte_interaction_state';
COMMENT ON FUNCTION hte_interaction_state_final(hte_interaction_state) IS 'internal: final function of the aggregates that make a hte_interaction_state (its stored form)';
COMMENT ON FUNCTION hte_interaction_state_combine(hte_interaction_state, hte_interaction_state) IS 'internal: merges two hte_interaction_state values (transition function of the aggregates over states, and combine function)';
COMMENT ON TYPE hte_adjusted_state IS
    'stored, mergeable state: the moments of the covariate-adjusted ate and joint interaction_test: per arm the central co-moments of (x_1..x_p, y) to fourth order (compensated); make it with ate_state(y, treated, covariates) or interaction_test_state(y, treated, moderators), merge with ate_state(state), finish with ate(state) or interaction_test(state); text form "adjusted/1:{...}", exact whatever extra_float_digits is';
COMMENT ON FUNCTION hte_adjusted_state_in(cstring) IS 'internal: text input of hte_adjusted_state';
COMMENT ON FUNCTION hte_adjusted_state_out(hte_adjusted_state) IS 'internal: text output of hte_adjusted_state';
COMMENT ON FUNCTION hte_adjusted_state_recv(internal) IS 'internal: binary input of hte_adjusted_state';
COMMENT ON FUNCTION hte_adjusted_state_send(hte_adjusted_state) IS 'internal: binary output of hte_adjusted_state';
COMMENT ON FUNCTION hte_adjusted_state_final(hte_adjusted_state) IS 'internal: final function of the aggregates that make a hte_adjusted_state (its stored form)';
COMMENT ON FUNCTION hte_adjusted_state_combine(hte_adjusted_state, hte_adjusted_state) IS 'internal: merges two hte_adjusted_state values (transition function of the aggregates over states, and combine function)';
COMMENT ON FUNCTION hte_ate_state_ate(hte_ate_state) IS 'internal: final function of ate(hte_ate_state)';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, float8, boolean) IS 'internal: transition function of ate_state(float8, boolean)';
COMMENT ON AGGREGATE ate_state(float8, boolean) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, float8, smallint) IS 'internal: transition function of ate_state(float8, smallint)';
COMMENT ON AGGREGATE ate_state(float8, smallint) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, float8, integer) IS 'internal: transition function of ate_state(float8, integer)';
COMMENT ON AGGREGATE ate_state(float8, integer) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, float8, bigint) IS 'internal: transition function of ate_state(float8, bigint)';
COMMENT ON AGGREGATE ate_state(float8, bigint) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, boolean, boolean) IS 'internal: transition function of ate_state(boolean, boolean)';
COMMENT ON AGGREGATE ate_state(boolean, boolean) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, boolean, smallint) IS 'internal: transition function of ate_state(boolean, smallint)';
COMMENT ON AGGREGATE ate_state(boolean, smallint) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, boolean, integer) IS 'internal: transition function of ate_state(boolean, integer)';
COMMENT ON AGGREGATE ate_state(boolean, integer) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_ate_state_trans(hte_ate_state, boolean, bigint) IS 'internal: transition function of ate_state(boolean, bigint)';
COMMENT ON AGGREGATE ate_state(boolean, bigint) IS
    'the moments of ate(y, treated) over these rows as a stored, mergeable hte_ate_state, for rollup tables and Citus; ate(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate_state(hte_ate_state) IS
    'merges hte_ate_state values (days into months, sites into a trial) into one; NULL states are skipped';
COMMENT ON AGGREGATE ate(hte_ate_state) IS
    'ate() over the rows summarised by these hte_ate_state values (merged): the same result as ate(y, treated) over the rows, within 1e-12 relative; NULL when no state holds a row';
COMMENT ON FUNCTION hte_interaction_state_interaction(hte_interaction_state) IS 'internal: final function of interaction_test(hte_interaction_state)';
COMMENT ON FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, boolean, float8) IS 'internal: transition function of interaction_test_state(float8, boolean, float8)';
COMMENT ON AGGREGATE interaction_test_state(float8, boolean, float8) IS
    'the moments of interaction_test(y, treated, x) over these rows as a stored, mergeable hte_interaction_state; interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, smallint, float8) IS 'internal: transition function of interaction_test_state(float8, smallint, float8)';
COMMENT ON AGGREGATE interaction_test_state(float8, smallint, float8) IS
    'the moments of interaction_test(y, treated, x) over these rows as a stored, mergeable hte_interaction_state; interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, integer, float8) IS 'internal: transition function of interaction_test_state(float8, integer, float8)';
COMMENT ON AGGREGATE interaction_test_state(float8, integer, float8) IS
    'the moments of interaction_test(y, treated, x) over these rows as a stored, mergeable hte_interaction_state; interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_interaction_state_trans(hte_interaction_state, float8, bigint, float8) IS 'internal: transition function of interaction_test_state(float8, bigint, float8)';
COMMENT ON AGGREGATE interaction_test_state(float8, bigint, float8) IS
    'the moments of interaction_test(y, treated, x) over these rows as a stored, mergeable hte_interaction_state; interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test_state(hte_interaction_state) IS
    'merges hte_interaction_state values into one; NULL states are skipped';
COMMENT ON AGGREGATE interaction_test(hte_interaction_state) IS
    'interaction_test(y, treated, x) (HC1) over the rows summarised by these hte_interaction_state values (merged), within 1e-12 relative of the aggregate over the rows; NULL when no state holds a row';
COMMENT ON FUNCTION hte_adjusted_state_ate(hte_adjusted_state) IS 'internal: final function of ate(hte_adjusted_state)';
COMMENT ON FUNCTION hte_adjusted_state_joint(hte_adjusted_state) IS 'internal: final function of interaction_test(hte_adjusted_state)';
COMMENT ON FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, boolean, float8[]) IS 'internal: transition function of ate_state and interaction_test_state over (float8, boolean, float8[])';
COMMENT ON AGGREGATE ate_state(float8, boolean, float8[]) IS
    'the moments of ate(y, treated, covariates) over these rows as a stored, mergeable hte_adjusted_state; ate(state) finishes it (interaction_test(state) too); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test_state(float8, boolean, float8[]) IS
    'the moments of interaction_test(y, treated, moderators) over these rows as a stored, mergeable hte_adjusted_state (the same state as ate_state(y, treated, covariates)); interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, smallint, float8[]) IS 'internal: transition function of ate_state and interaction_test_state over (float8, smallint, float8[])';
COMMENT ON AGGREGATE ate_state(float8, smallint, float8[]) IS
    'the moments of ate(y, treated, covariates) over these rows as a stored, mergeable hte_adjusted_state; ate(state) finishes it (interaction_test(state) too); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test_state(float8, smallint, float8[]) IS
    'the moments of interaction_test(y, treated, moderators) over these rows as a stored, mergeable hte_adjusted_state (the same state as ate_state(y, treated, covariates)); interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, integer, float8[]) IS 'internal: transition function of ate_state and interaction_test_state over (float8, integer, float8[])';
COMMENT ON AGGREGATE ate_state(float8, integer, float8[]) IS
    'the moments of ate(y, treated, covariates) over these rows as a stored, mergeable hte_adjusted_state; ate(state) finishes it (interaction_test(state) too); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test_state(float8, integer, float8[]) IS
    'the moments of interaction_test(y, treated, moderators) over these rows as a stored, mergeable hte_adjusted_state (the same state as ate_state(y, treated, covariates)); interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_adjusted_state_trans(hte_adjusted_state, float8, bigint, float8[]) IS 'internal: transition function of ate_state and interaction_test_state over (float8, bigint, float8[])';
COMMENT ON AGGREGATE ate_state(float8, bigint, float8[]) IS
    'the moments of ate(y, treated, covariates) over these rows as a stored, mergeable hte_adjusted_state; ate(state) finishes it (interaction_test(state) too); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE interaction_test_state(float8, bigint, float8[]) IS
    'the moments of interaction_test(y, treated, moderators) over these rows as a stored, mergeable hte_adjusted_state (the same state as ate_state(y, treated, covariates)); interaction_test(state) finishes it; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON AGGREGATE ate_state(hte_adjusted_state) IS
    'merges hte_adjusted_state values (with the same covariates) into one; NULL states are skipped';
COMMENT ON AGGREGATE interaction_test_state(hte_adjusted_state) IS
    'merges hte_adjusted_state values (with the same moderators) into one; NULL states are skipped';
COMMENT ON AGGREGATE ate(hte_adjusted_state) IS
    'the covariate-adjusted ate (Lin, HC1) over the rows summarised by these hte_adjusted_state values (merged), within 1e-12 relative of ate(y, treated, covariates); NULL when no state holds a row';
COMMENT ON AGGREGATE interaction_test(hte_adjusted_state) IS
    'the joint interaction_test (HC1) over the rows summarised by these hte_adjusted_state values (merged), within 1e-12 relative of interaction_test(y, treated, moderators); NULL when no state holds a row';
COMMENT ON FUNCTION hte_text_treatment_ate_state(text) IS 'internal: final function of the text-treatment overloads returning hte_ate_state (raises the error)';
COMMENT ON FUNCTION hte_text_treatment_interaction_state(text) IS 'internal: final function of the text-treatment overloads returning hte_interaction_state (raises the error)';
COMMENT ON FUNCTION hte_text_treatment_adjusted_state(text) IS 'internal: final function of the text-treatment overloads returning hte_adjusted_state (raises the error)';
COMMENT ON AGGREGATE ate_state(float8, text) IS
    'a text-coded treatment is an error: compare it with the treated value, e.g. ate_state(y, arm = ''A'', ...)';
COMMENT ON AGGREGATE ate_state(boolean, text) IS
    'a text-coded treatment is an error: compare it with the treated value, e.g. ate_state(y, arm = ''A'', ...)';
COMMENT ON AGGREGATE interaction_test_state(float8, text, float8) IS
    'a text-coded treatment is an error: compare it with the treated value, e.g. interaction_test_state(y, arm = ''A'', ...)';
COMMENT ON AGGREGATE ate_state(float8, text, float8[]) IS
    'a text-coded treatment is an error: compare it with the treated value, e.g. ate_state(y, arm = ''A'', ...)';
COMMENT ON AGGREGATE interaction_test_state(float8, text, float8[]) IS
    'a text-coded treatment is an error: compare it with the treated value, e.g. interaction_test_state(y, arm = ''A'', ...)';
