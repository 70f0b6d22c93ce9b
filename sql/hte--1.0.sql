/* hte 1.0 — treatment-effect analysis as aggregates */

\echo Use "CREATE EXTENSION hte" to load this file. \quit

-- Built from sql/parts/*.sql by make (do not edit sql/hte--1.0.sql).
--
-- Every object below is created in the extension's schema, and every C
-- function is reached only through the aggregates or with arguments it
-- validates, so the script is safe as a trusted extension.  No function has
-- an SQL body: references resolve once, at CREATE EXTENSION, when the
-- search path is the extension's schema with pg_temp last.

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
COMMENT ON TYPE hte_ate IS 'result of ate(): difference in means with the Welch standard error';

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

COMMENT ON AGGREGATE ate(float8, boolean) IS
    'average treatment effect: difference in means, Welch standard error, t interval and p-value';
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
COMMENT ON TYPE hte_interaction IS 'result of interaction_test(): effect modification by a continuous moderator';

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

COMMENT ON AGGREGATE interaction_test(float8, boolean, float8) IS
    'effect modification by a continuous moderator: interacted OLS, HC1 standard errors';
COMMENT ON AGGREGATE interaction_test(float8, boolean, float8, text) IS
    'effect modification by a continuous moderator with se_type classical, HC0, HC1, HC2 or HC3';
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
COMMENT ON TYPE hte_subgroup IS 'one subgroup of cate_by(): the ate() columns and the adjusted p-value';

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
COMMENT ON TYPE hte_heterogeneity IS 'result of heterogeneity_test(): Cochran''s Q, I², DerSimonian–Laird τ², Gail–Simon crossover test';

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

COMMENT ON AGGREGATE cate_by(float8, boolean, anyelement) IS
    'treatment effect per subgroup: ate() columns per subgroup value, Holm-adjusted p-values';
COMMENT ON AGGREGATE cate_by(float8, boolean, anyelement, text) IS
    'treatment effect per subgroup, p-values adjusted by none, bonferroni, holm, hochberg, BH or BY';
COMMENT ON AGGREGATE heterogeneity_test(float8, boolean, anyelement) IS
    'does the effect differ across subgroups? Cochran Q, I², DerSimonian–Laird τ², Gail–Simon crossover test';
COMMENT ON FUNCTION p_adjust(float8[], text) IS 'R''s p.adjust: none, bonferroni, holm, hochberg, BH, BY; NULLs stay NULL';
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
COMMENT ON TYPE hte_qte IS 'result of qte(): quantile treatment effect with a Hall-Sheather standard error';

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
COMMENT ON TYPE hte_homogeneity IS 'result of homogeneity_test(): evidence against a constant treatment effect';

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

COMMENT ON AGGREGATE qte(float8, boolean, float8) IS
    'quantile treatment effect at level q: difference of the arms'' percentile_cont, Hall-Sheather standard error';
COMMENT ON AGGREGATE qte(float8, boolean, float8[]) IS
    'quantile treatment effects at several levels from one pass: an hte_qte per element of q';
COMMENT ON AGGREGATE homogeneity_test(float8, boolean) IS
    'evidence against a constant effect: variance-ratio F test, bounds on the SD of individual effects, QTE flatness Wald test';
