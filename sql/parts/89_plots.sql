
-- Pictures (since 1.1): forest plots of subgroup effects and QTE profiles,
-- as standalone SVG and as text for psql (src/core/hte_plot.c).
-- forest_plot / forest_plot_text aggregate result rows (label, estimate,
-- ci_lower, ci_upper [[, n], options]) in their ORDER BY (counts come with
-- options, '{}' for none: a five-argument form with n would make a literal
-- options argument ambiguous); the array forms
-- take cate_by's and qte's results as they are.  Options are a jsonb
-- object (README: "Pictures").

CREATE FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_plot_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8, jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_plot_trans_o' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8, bigint, jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_plot_trans_no' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_plot_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'hte_forest_plot_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'hte_forest_plot_deserial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: the headings and the pooled interval read hte.confidence_level
CREATE FUNCTION hte_forest_plot_final(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'hte_forest_plot_final' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION hte_forest_plot_text_final(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'hte_forest_plot_text_final' LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE forest_plot(label text, estimate float8, ci_lower float8, ci_upper float8) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_final, PARALLEL = SAFE);
CREATE AGGREGATE forest_plot(label text, estimate float8, ci_lower float8, ci_upper float8, options jsonb) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_final, PARALLEL = SAFE);
CREATE AGGREGATE forest_plot(label text, estimate float8, ci_lower float8, ci_upper float8, n bigint, options jsonb) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_final, PARALLEL = SAFE);
CREATE AGGREGATE forest_plot_text(label text, estimate float8, ci_lower float8, ci_upper float8) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_text_final, PARALLEL = SAFE);
CREATE AGGREGATE forest_plot_text(label text, estimate float8, ci_lower float8, ci_upper float8, options jsonb) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_text_final, PARALLEL = SAFE);
CREATE AGGREGATE forest_plot_text(label text, estimate float8, ci_lower float8, ci_upper float8, n bigint, options jsonb) (
    SFUNC = hte_forest_plot_trans, STYPE = internal, COMBINEFUNC = hte_forest_plot_combine,
    SERIALFUNC = hte_forest_plot_serialize, DESERIALFUNC = hte_forest_plot_deserialize,
    FINALFUNC = hte_forest_plot_text_final, PARALLEL = SAFE);

CREATE FUNCTION forest_plot(subgroups hte_subgroup[], options jsonb DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME', 'hte_forest_plot_subgroups' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forest_plot_text(subgroups hte_subgroup[], options jsonb DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME', 'hte_forest_plot_subgroups_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION qte_plot(effects hte_qte[], options jsonb DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME', 'hte_qte_plot_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION qte_plot_text(effects hte_qte[], options jsonb DEFAULT '{}') RETURNS text
    AS 'MODULE_PATHNAME', 'hte_qte_plot_text_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8) IS
    'internal: transition function of forest_plot and forest_plot_text; not for direct use';
COMMENT ON FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8, jsonb) IS
    'internal: transition function of forest_plot and forest_plot_text with options; not for direct use';
COMMENT ON FUNCTION hte_forest_plot_trans(internal, text, float8, float8, float8, bigint, jsonb) IS
    'internal: transition function of forest_plot and forest_plot_text with counts and options; not for direct use';
COMMENT ON FUNCTION hte_forest_plot_combine(internal, internal) IS
    'internal: combine function of forest_plot and forest_plot_text (appends the kept rows); not for direct use';
COMMENT ON FUNCTION hte_forest_plot_serialize(internal) IS
    'internal: serializes the kept rows of forest_plot and forest_plot_text; not for direct use';
COMMENT ON FUNCTION hte_forest_plot_deserialize(bytea, internal) IS
    'internal: deserializes (and validates) the kept rows of forest_plot and forest_plot_text; not for direct use';
COMMENT ON FUNCTION hte_forest_plot_final(internal) IS
    'internal: final function of forest_plot (draws the SVG); not for direct use';
COMMENT ON FUNCTION hte_forest_plot_text_final(internal) IS
    'internal: final function of forest_plot_text (draws the text plot); not for direct use';
COMMENT ON AGGREGATE forest_plot(text, float8, float8, float8) IS
    'forest plot of result rows as standalone SVG: one row per input row in the aggregate''s ORDER BY (label, estimate and interval; NULL estimate: "not estimable"), a line at no effect and the inverse-variance pooled estimate';
COMMENT ON AGGREGATE forest_plot(text, float8, float8, float8, jsonb) IS
    'forest plot of result rows as SVG, with options: title, xlabel, width, height, digits, max_label, log_scale, reference, overall, counts';
COMMENT ON AGGREGATE forest_plot(text, float8, float8, float8, bigint, jsonb) IS
    'forest plot of result rows as SVG, with each row''s count n in a column, and options (''{}'' for none)';
COMMENT ON AGGREGATE forest_plot_text(text, float8, float8, float8) IS
    'forest plot of result rows as text for psql: one line per input row in the aggregate''s ORDER BY, an axis with ticks, the pooled estimate';
COMMENT ON AGGREGATE forest_plot_text(text, float8, float8, float8, jsonb) IS
    'forest plot of result rows as text, with options: title, xlabel, width (characters), digits, max_label, log_scale, reference, overall, counts, ascii';
COMMENT ON AGGREGATE forest_plot_text(text, float8, float8, float8, bigint, jsonb) IS
    'forest plot of result rows as text, with each row''s count n in a column, and options (''{}'' for none)';
COMMENT ON FUNCTION forest_plot(hte_subgroup[], jsonb) IS
    'forest plot of cate_by''s subgroups as SVG, in the array''s order, with counts and the overall effect (ate over all the subgroups'' rows, rebuilt from their arms)';
COMMENT ON FUNCTION forest_plot_text(hte_subgroup[], jsonb) IS
    'forest plot of cate_by''s subgroups as text for psql, with counts and the overall effect';
COMMENT ON FUNCTION qte_plot(hte_qte[], jsonb) IS
    'QTE profile as SVG: the quantile treatment effects against q with their confidence band, a line at no effect and, with the overall option, e.g. the ATE';
COMMENT ON FUNCTION qte_plot_text(hte_qte[], jsonb) IS
    'QTE profile as text for psql: one line per quantile with its interval on a common axis';
