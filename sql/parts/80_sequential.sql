
-- Repeated looks at accumulating data (since 1.1) ------------------------------

CREATE TYPE hte_ate_sequential AS (
    estimate               float8,
    std_error              float8,
    cs_lower               float8,
    cs_upper               float8,
    always_valid_p_value   float8,
    ci_lower               float8,
    ci_upper               float8,
    p_value                float8,
    n_treated              bigint,
    n_control              bigint,
    planned_n              bigint
);

-- ate_sequential: ate's float8[] state after a header {4, planned_n}
-- (src/ate.c); {4, 0, ...} until the first row sets planned_n.  The
-- transition functions are not strict: a NULL planned_n is an error.
CREATE FUNCTION hte_seq_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: it reads hte.confidence_level.
CREATE FUNCTION hte_seq_final(float8[]) RETURNS hte_ate_sequential
    AS 'MODULE_PATHNAME', 'hte_seq_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_seq_trans(float8[], float8, boolean, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated boolean, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated boolean) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, smallint, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated smallint, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, smallint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated smallint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, integer, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated integer, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, integer) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated integer) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, bigint, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated bigint, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], float8, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_f8_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, boolean, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated boolean, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, boolean) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated boolean) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, smallint, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated smallint, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, smallint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated smallint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, integer, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated integer, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, integer) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated integer) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, bigint, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated bigint, planned_n bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);
CREATE FUNCTION hte_seq_trans(float8[], boolean, bigint) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_seq_trans_bool_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y boolean, treated bigint) (
    SFUNC = hte_seq_trans, STYPE = float8[], INITCOND = '{4,0,1,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_seq_combine, FINALFUNC = hte_seq_final, PARALLEL = SAFE);

-- A text-coded treatment: hte's own error with the idiom (see 50_text_treatment.sql).
CREATE FUNCTION hte_text_treatment_sequential(text) RETURNS hte_ate_sequential
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ate_sequential(y float8, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_sequential(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_sequential, PARALLEL = SAFE);
CREATE AGGREGATE ate_sequential(y float8, treated text, planned_n bigint) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_sequential(y, arm = ''A'', planned_n)',
    FINALFUNC = hte_text_treatment_sequential, PARALLEL = SAFE);
CREATE AGGREGATE ate_sequential(y boolean, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_sequential(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_sequential, PARALLEL = SAFE);
CREATE AGGREGATE ate_sequential(y boolean, treated text, planned_n bigint) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate_sequential(y, arm = ''A'', planned_n)',
    FINALFUNC = hte_text_treatment_sequential, PARALLEL = SAFE);

CREATE FUNCTION sequential_bounds(information_fractions float8[], alpha float8 DEFAULT 0.05,
                                  spending text DEFAULT 'obrien_fleming')
    RETURNS TABLE (look integer, information_fraction float8, critical_z float8,
                   nominal_p float8, alpha_spent float8)
    AS 'MODULE_PATHNAME', 'hte_sequential_bounds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION hte_seq_trans(float8[], float8, boolean, bigint) IS
    'internal: transition function of ate_sequential(float8, boolean, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, boolean, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, boolean) IS
    'internal: transition function of ate_sequential(float8, boolean); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, boolean) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, smallint, bigint) IS
    'internal: transition function of ate_sequential(float8, smallint, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, smallint, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, smallint) IS
    'internal: transition function of ate_sequential(float8, smallint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, smallint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, integer, bigint) IS
    'internal: transition function of ate_sequential(float8, integer, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, integer, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, integer) IS
    'internal: transition function of ate_sequential(float8, integer); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, integer) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, bigint, bigint) IS
    'internal: transition function of ate_sequential(float8, bigint, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, bigint, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], float8, bigint) IS
    'internal: transition function of ate_sequential(float8, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, boolean, bigint) IS
    'internal: transition function of ate_sequential(boolean, boolean, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, boolean, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, boolean) IS
    'internal: transition function of ate_sequential(boolean, boolean); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, boolean) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, smallint, bigint) IS
    'internal: transition function of ate_sequential(boolean, smallint, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, smallint, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, smallint) IS
    'internal: transition function of ate_sequential(boolean, smallint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, smallint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, integer, bigint) IS
    'internal: transition function of ate_sequential(boolean, integer, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, integer, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, integer) IS
    'internal: transition function of ate_sequential(boolean, integer); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, integer) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, bigint, bigint) IS
    'internal: transition function of ate_sequential(boolean, bigint, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, bigint, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n, its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_seq_trans(float8[], boolean, bigint) IS
    'internal: transition function of ate_sequential(boolean, bigint); not for direct use';
COMMENT ON AGGREGATE ate_sequential(boolean, bigint) IS
    'anytime-valid difference in means: the asymptotic Gaussian-mixture confidence sequence (Waudby-Smith et al. 2024) tuned to planned_n (1000 in this form), its always-valid p-value, and the fixed-n Welch interval; may be looked at after every row (a window aggregate charts it); y boolean: a risk difference; treated: boolean, or 0/1 smallint/integer/bigint';
COMMENT ON FUNCTION hte_text_treatment_sequential(text) IS
    'internal: final function of the text-treatment overloads of ate_sequential; raises the error; not for direct use';
COMMENT ON AGGREGATE ate_sequential(float8, text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate_sequential(y, arm = ''A'')';
COMMENT ON AGGREGATE ate_sequential(float8, text, bigint) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate_sequential(y, arm = ''A'', planned_n)';
COMMENT ON AGGREGATE ate_sequential(boolean, text) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate_sequential(y, arm = ''A'')';
COMMENT ON AGGREGATE ate_sequential(boolean, text, bigint) IS
    'not an analysis: a text-coded treatment raises error 42804 whose hint shows the idiom ate_sequential(y, arm = ''A'', planned_n)';
COMMENT ON FUNCTION hte_seq_combine(float8[], float8[]) IS
    'internal: combine function of ate_sequential; not for direct use';
COMMENT ON FUNCTION hte_seq_final(float8[]) IS
    'internal: final function of ate_sequential; not for direct use';
COMMENT ON FUNCTION sequential_bounds(float8[], float8, text) IS
    'two-sided group-sequential efficacy bounds with Lan–DeMets alpha spending (obrien_fleming or pocock) at the given information fractions, by recursive numerical integration (Jennison & Turnbull ch. 19): one row per look with its critical z, nominal p and cumulative alpha spent';
COMMENT ON TYPE hte_ate_sequential IS 'result of ate_sequential(): the difference in means with its anytime-valid confidence sequence';
COMMENT ON COLUMN hte_ate_sequential.estimate IS 'mean_treated - mean_control (as ate)';
COMMENT ON COLUMN hte_ate_sequential.std_error IS 'Welch / Neyman standard error (as ate)';
COMMENT ON COLUMN hte_ate_sequential.cs_lower IS 'lower limit of the anytime-valid confidence sequence at hte.confidence_level';
COMMENT ON COLUMN hte_ate_sequential.cs_upper IS 'upper limit of the anytime-valid confidence sequence at hte.confidence_level';
COMMENT ON COLUMN hte_ate_sequential.always_valid_p_value IS 'always-valid p-value: below alpha exactly when the sequence excludes 0; its running minimum over the looks is also valid';
COMMENT ON COLUMN hte_ate_sequential.ci_lower IS 'lower limit of the fixed-n Welch interval (as ate; not valid under repeated looks)';
COMMENT ON COLUMN hte_ate_sequential.ci_upper IS 'upper limit of the fixed-n Welch interval (as ate; not valid under repeated looks)';
COMMENT ON COLUMN hte_ate_sequential.p_value IS 'fixed-n Welch p-value (as ate; not valid under repeated looks)';
COMMENT ON COLUMN hte_ate_sequential.n_treated IS 'treated rows used';
COMMENT ON COLUMN hte_ate_sequential.n_control IS 'control rows used';
COMMENT ON COLUMN hte_ate_sequential.planned_n IS 'the planned number of rows the sequence is tuned to (1000 by default)';
