
-- Analyses over rows that hold results (since 1.1) ---------------------------

-- heterogeneity_test(estimate, std_error): a float8[8] state {6, k, sum w,
-- weighted mean, Q, sum of products of pairs of weights, Gail–Simon's two sums} (src/core/hte_heterogeneity.h),
-- mergeable, so it runs in parallel and Citus pushes it down.
CREATE FUNCTION hte_meta_trans(float8[], float8, float8) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_meta_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_meta_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'hte_meta_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hte_meta_final(float8[]) RETURNS hte_heterogeneity
    AS 'MODULE_PATHNAME', 'hte_meta_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE heterogeneity_test(estimate float8, std_error float8) (
    SFUNC = hte_meta_trans, STYPE = float8[], INITCOND = '{6,0,0,0,0,0,0,0}',
    COMBINEFUNC = hte_meta_combine, FINALFUNC = hte_meta_final, PARALLEL = SAFE);

-- p_adjusted(p, method) OVER (...): p_adjust across the window partition.
CREATE FUNCTION p_adjusted(p float8, method text DEFAULT 'holm') RETURNS float8
    AS 'MODULE_PATHNAME', 'hte_p_adjusted' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION hte_meta_trans(float8[], float8, float8) IS
    'internal: transition function of heterogeneity_test(estimate, std_error)';
COMMENT ON FUNCTION hte_meta_combine(float8[], float8[]) IS
    'internal: combine function of heterogeneity_test(estimate, std_error)';
COMMENT ON FUNCTION hte_meta_final(float8[]) IS
    'internal: final function of heterogeneity_test(estimate, std_error)';
COMMENT ON AGGREGATE heterogeneity_test(float8, float8) IS
    'the tests of heterogeneity_test(y, treated, subgroup) over rows that hold estimates (GROUP BY results, rollups, published studies): Cochran''s Q, I², the DerSimonian–Laird τ², the fixed-effect pooled estimate and the Gail–Simon crossover test, as metafor::rma (FE, DL); rows with a NULL or non-positive std_error are skipped';
COMMENT ON FUNCTION p_adjusted(float8, text) IS
    'window function: each row''s p-value adjusted across all rows of its window partition (any frame or ORDER BY), as p.adjust; NULL p stays NULL and does not count; methods as p_adjust (default holm)';
