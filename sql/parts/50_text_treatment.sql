
-- A text-coded treatment (since 1.1) ------------------------------------------
--
-- A treatment stored as text ('A'/'B', 'treated'/'control') does not say
-- which arm is the treated one.  Without these overloads PostgreSQL answers
-- "function ate(double precision, text) does not exist" with a cast hint
-- that leads to a second error; with them the call reaches hte, which
-- raises its own error showing the idiom that works: ate(y, arm = 'A').
-- They never compute anything: the transition function raises the error at
-- the first row and the final function at an empty input.  The state is the
-- example call the hint shows.

CREATE FUNCTION hte_text_treatment_trans(text, "any", "any") RETURNS text
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_trans(text, "any", "any", "any") RETURNS text
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_trans(text, "any", "any", "any", "any") RETURNS text
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_ate(text) RETURNS hte_ate
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_interaction(text) RETURNS hte_interaction
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_subgroups(text) RETURNS hte_subgroup[]
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_heterogeneity(text) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_qte(text) RETURNS hte_qte
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_qtes(text) RETURNS hte_qte[]
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_text_treatment_homogeneity(text) RETURNS hte_homogeneity
    AS 'MODULE_PATHNAME', 'hte_text_treatment' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE ate(y float8, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_ate, PARALLEL = SAFE);
CREATE AGGREGATE ate(y boolean, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'ate(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_ate, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated text, x float8) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test(y, arm = ''A'', x)',
    FINALFUNC = hte_text_treatment_interaction, PARALLEL = SAFE);
CREATE AGGREGATE interaction_test(y float8, treated text, x float8, se_type text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'interaction_test(y, arm = ''A'', x, se_type)',
    FINALFUNC = hte_text_treatment_interaction, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated text, subgroup anyelement) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'cate_by(y, arm = ''A'', subgroup)',
    FINALFUNC = hte_text_treatment_subgroups, PARALLEL = SAFE);
CREATE AGGREGATE cate_by(y float8, treated text, subgroup anyelement, p_adjust_method text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'cate_by(y, arm = ''A'', subgroup, p_adjust_method)',
    FINALFUNC = hte_text_treatment_subgroups, PARALLEL = SAFE);
CREATE AGGREGATE heterogeneity_test(y float8, treated text, subgroup anyelement) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'heterogeneity_test(y, arm = ''A'', subgroup)',
    FINALFUNC = hte_text_treatment_heterogeneity, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated text, q float8) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'qte(y, arm = ''A'', q)',
    FINALFUNC = hte_text_treatment_qte, PARALLEL = SAFE);
CREATE AGGREGATE qte(y float8, treated text, q float8[]) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'qte(y, arm = ''A'', q)',
    FINALFUNC = hte_text_treatment_qtes, PARALLEL = SAFE);
CREATE AGGREGATE homogeneity_test(y float8, treated text) (
    SFUNC = hte_text_treatment_trans, STYPE = text, INITCOND = 'homogeneity_test(y, arm = ''A'')',
    FINALFUNC = hte_text_treatment_homogeneity, PARALLEL = SAFE);
