-- interaction_test(): values on the shipped data (checked against R's
-- lm(y ~ t * x) with sandwich::vcovHC and lmtest::coeftest; test/r compares
-- every column to 1e-9 relative), edge cases and errors.

-- STAR: does the small-class effect change with the teacher's experience?
SELECT sig(interaction) AS interaction, sig(std_error) AS std_error, sig(ci_lower) AS ci_lower,
       sig(ci_upper) AS ci_upper, sig(p_value) AS p_value, sig(effect_at_zero) AS effect_at_zero,
       sig(effect_at_zero_se) AS effect_at_zero_se, sig(effect_at_mean) AS effect_at_mean,
       sig(effect_at_mean_se) AS effect_at_mean_se, df, n_treated, n_control, se_type
FROM (SELECT (interaction_test(y, treated, experiencek)).* FROM star) r;

-- NSW: does the training effect on earnings change with age?  All five variance types.
SELECT se_type, sig(interaction) AS interaction, sig(std_error) AS std_error, sig(p_value) AS p_value,
       sig(effect_at_mean) AS effect_at_mean, sig(effect_at_mean_se) AS effect_at_mean_se
FROM (SELECT (interaction_test(re78, treat, age, m)).* FROM nsw,
      (VALUES ('classical'), ('HC0'), ('HC1'), ('HC2'), ('HC3')) v(m) GROUP BY m) r
ORDER BY se_type;

-- The three-argument form is HC1.
SELECT (SELECT interaction_test(re78, treat, age) FROM nsw) = (SELECT interaction_test(re78, treat, age, 'HC1') FROM nsw) AS three_arg_is_hc1;
-- Variance type names are case-insensitive; the result names it canonically.
SELECT se_type FROM (SELECT (interaction_test(re78, treat, age, 'hc2')).* FROM nsw) r;
-- Integer treatments.
SELECT (SELECT interaction_test(re78, treat, age) FROM nsw) = (SELECT interaction_test(re78, treat::int, age) FROM nsw) AS int4_same,
       (SELECT interaction_test(re78, treat, age) FROM nsw) = (SELECT interaction_test(re78, treat::int::smallint, age) FROM nsw) AS int2_same,
       (SELECT interaction_test(re78, treat, age, 'HC3') FROM nsw) = (SELECT interaction_test(re78, treat::int::bigint, age, 'HC3') FROM nsw) AS int8_same;

-- Exact small case: treated y = 1 + 2x exactly, control y = 3 - x exactly:
-- interaction 3, effect at zero -2, zero residuals so SE 0 and p NULL.
SELECT sig(interaction) AS interaction, std_error, sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper,
       p_value, sig(effect_at_zero) AS effect_at_zero, effect_at_zero_se, df
FROM (SELECT (interaction_test(y, t, x, 'classical')).* FROM
      (VALUES (1.0, true, 0.0), (3.0, true, 1.0), (5.0, true, 2.0),
              (3.0, false, 0.0), (2.0, false, 1.0), (1.0, false, 2.0)) v(y, t, x)) r;

-- Edge cases: no rows, fewer than 5 rows, an empty arm, no spread in x.
CREATE TABLE it (y float8, t boolean, x float8);
SELECT interaction_test(y, t, x) IS NULL AS no_rows_3, interaction_test(y, t, x, 'HC2') IS NULL AS no_rows_4 FROM it;
INSERT INTO it VALUES (1, true, 1), (2, true, 2), (2, false, 1), (3, false, 3);
SELECT * FROM (SELECT (interaction_test(y, t, x)).* FROM it) r;
SELECT * FROM (SELECT (interaction_test(y, t, x)).* FROM it WHERE t) r;
INSERT INTO it VALUES (7, true, 2), (NULL, true, 5), (4, NULL, 5), (4, true, NULL);
-- five usable rows, df = 1 (R: lm(y ~ t * x) on those rows, vcovHC HC1)
SELECT sig(interaction) AS interaction, sig(std_error) AS std_error, sig(ci_lower) AS ci_lower,
       sig(ci_upper) AS ci_upper, sig(p_value) AS p_value, sig(effect_at_zero) AS effect_at_zero,
       sig(effect_at_zero_se) AS effect_at_zero_se, sig(effect_at_mean) AS effect_at_mean,
       sig(effect_at_mean_se) AS effect_at_mean_se, df, n_treated, n_control
FROM (SELECT (interaction_test(y, t, x)).* FROM it) r;
SELECT * FROM (SELECT (interaction_test(y, t, 5.0)).* FROM it) r;
-- a one-row-per-x arm: leverage 1 leaves HC2 and HC3 undefined (R: NaN)
SELECT se_type, std_error IS NULL AS se_null
FROM (SELECT (interaction_test(y, t, x, m)).* FROM
      (VALUES (1.0, true, 0.0), (3.0, true, 1.0), (3.0, false, 0.0), (2.5, false, 1.0), (1.0, false, 2.0), (1.5, false, 3.0)) v(y, t, x),
      (VALUES ('HC1'), ('HC2'), ('HC3')) w(m) GROUP BY m) r
ORDER BY se_type;

\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT interaction_test(y, t, x) FROM (VALUES (1.0, true, 'NaN'::float8)) v(y, t, x);
SELECT interaction_test(y, t, x, 'HC2') FROM (VALUES ('Infinity'::float8, true, 1.0)) v(y, t, x);
SELECT interaction_test(y, t, x) FROM (VALUES (1.0, 2, 1.0)) v(y, t, x);
SELECT interaction_test(y, t, x, 'HC4') FROM (VALUES (1.0, true, 1.0)) v(y, t, x);
SELECT interaction_test(y, t, x, NULL) FROM (VALUES (1.0, true, 1.0)) v(y, t, x);
SELECT interaction_test(y, t, x, m) FROM (VALUES (1.0, true, 1.0, 'HC1'), (2.0, false, 2.0, 'HC2')) v(y, t, x, m);
SELECT sqlstate_of($$SELECT interaction_test(y, t, x, 'white') FROM (VALUES (1.0, true, 1.0)) v(y, t, x)$$) AS unknown_type,
       sqlstate_of($$SELECT interaction_test(y, t, x) FROM (VALUES (1.0, true, 'NaN'::float8)) v(y, t, x)$$) AS nan_moderator;
SELECT hte_it_final('{2,0,0}');
SELECT hte_it_final(array_fill(0::float8, ARRAY[47]));
SELECT hte_it_final('{2,1,0,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT hte_it_final('{2,3,0,0,0,0,1,0,0,0,-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
-- A control arm of 2^53 rows (the largest exact count): merging more rows
-- into it, or pushing one more, is an error.
SELECT hte_it_combine(s, s) FROM (SELECT ('{2,9007199254740992' || repeat(',0', 45) || '}')::float8[] AS s) v;
SELECT hte_it_trans(s, 1.0, false, 2.0) FROM (SELECT ('{2,9007199254740992' || repeat(',0', 45) || '}')::float8[] AS s) v;

-- Parallel: both forms (the four-argument one serializes its state, with
-- the (x, y) pairs for HC2) equal the serial result.  A modest interaction
-- keeps |t| moderate: a p-value's relative error is about t^2 times that
-- of t, which would make a far-tail p-value measure nothing.
SELECT setseed(0.5);
CREATE TABLE bigx AS
SELECT i, t, x, 2 + 0.1 * x + CASE WHEN t THEN 0.5 + 0.008 * x ELSE 0 END + (1 + abs(x)) * (random() - 0.5) AS y
FROM (SELECT i, random() < 0.5 AS t, 10 * (random() - 0.5) AS x FROM generate_series(1, 200000) i) s;
ANALYZE bigx;
CREATE FUNCTION close_it(a hte_interaction, b hte_interaction, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT bool_and(CASE WHEN u IS NULL AND v IS NULL THEN true
                         WHEN u IS NULL OR v IS NULL THEN false
                         ELSE abs(u - v) <= tol * greatest(abs(u), abs(v)) END) AND a.se_type = b.se_type
    FROM unnest(ARRAY[a.interaction, a.std_error, a.ci_lower, a.ci_upper, a.p_value, a.effect_at_zero,
                      a.effect_at_zero_se, a.effect_at_mean, a.effect_at_mean_se, a.df, a.n_treated, a.n_control],
                ARRAY[b.interaction, b.std_error, b.ci_lower, b.ci_upper, b.p_value, b.effect_at_zero,
                      b.effect_at_zero_se, b.effect_at_mean, b.effect_at_mean_se, b.df, b.n_treated, b.n_control]) u(u, v) $$;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE it_serial AS
SELECT interaction_test(y, t, x) AS r3, interaction_test(y, t, x, 'HC2') AS r2, interaction_test(y, t, x, 'classical') AS rc FROM bigx;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT interaction_test(y, t, x, 'HC2') FROM bigx;
SELECT close_it(p.r3, s.r3) AS hc1_parallel, close_it(p.r2, s.r2) AS hc2_parallel, close_it(p.rc, s.rc) AS classical_parallel
FROM (SELECT interaction_test(y, t, x) AS r3, interaction_test(y, t, x, 'HC2') AS r2, interaction_test(y, t, x, 'classical') AS rc FROM bigx) p, it_serial s;
-- workers that see few or no rows
SELECT interaction_test(y, t, x, 'HC3') IS NULL AS none_parallel FROM bigx WHERE i < 0;
SELECT close_it((SELECT interaction_test(y, t, x, 'HC3') FROM bigx WHERE i <= 20),
                (SELECT interaction_test(y, t, x, 'HC3') FROM (SELECT * FROM bigx WHERE i <= 20 ORDER BY i) s)) AS sparse_parallel;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
-- permutation invariance
SELECT close_it((SELECT interaction_test(y, t, x) FROM (SELECT * FROM bigx ORDER BY md5(i::text)) s), (SELECT r3 FROM it_serial)) AS permuted_hc1,
       close_it((SELECT interaction_test(y, t, x, 'HC2') FROM (SELECT * FROM bigx ORDER BY i DESC) s), (SELECT r2 FROM it_serial)) AS reversed_hc2;
RESET max_parallel_workers_per_gather;

-- The three-argument form's state: 47 elements for its first 64 rows, then
-- the 177-element buffered form (up to 31 pending (x, y) rows per arm);
-- split and merged states, and the fold of pending rows, equal the whole.
CREATE AGGREGATE it_state(float8, boolean, float8) (SFUNC = hte_it_trans, STYPE = float8[],
    INITCOND = '{2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT array_length(it_state(y, t, x), 1) AS len_63 FROM bigx WHERE i <= 63;
SELECT array_length(s, 1) AS len_1000, s[48] + s[49] > 0 AS pending,
       close_it(hte_it_final(s), (SELECT interaction_test(y, t, x) FROM bigx WHERE i <= 1000)) AS equals_whole,
       hte_it_final(s) IS NOT DISTINCT FROM hte_it_final(hte_it_combine(s, e)) AS fold_equals,
       hte_it_combine(e, hte_it_combine(s, e)) = (hte_it_combine(s, e))[1:47] AS left_empty
FROM (SELECT it_state(y, t, x) AS s, ('{2' || repeat(',0', 46) || '}')::float8[] AS e FROM bigx WHERE i <= 1000) v;
SELECT close_it(hte_it_final(hte_it_combine(a.s, b.s)), (SELECT interaction_test(y, t, x) FROM bigx)) AS split_merge_equals
FROM (SELECT it_state(y, t, x) AS s FROM bigx WHERE i % 3 = 0) a, (SELECT it_state(y, t, x) AS s FROM bigx WHERE i % 3 <> 0) b;
-- a hand-made buffered state: empty arms and all rows pending equal the
-- aggregate over those rows
CREATE FUNCTION it_buffered(pending float8[], cx float8[], cy float8[], tx float8[], ty float8[]) RETURNS float8[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ('{2' || repeat(',0', 46) || '}')::float8[] || pending
           || cx || array_fill(0::float8, ARRAY[32 - cardinality(cx)]) || cy || array_fill(0::float8, ARRAY[32 - cardinality(cy)])
           || tx || array_fill(0::float8, ARRAY[32 - cardinality(tx)]) || ty || array_fill(0::float8, ARRAY[32 - cardinality(ty)]) $$;
SELECT close_it(hte_it_final(it_buffered('{4,4}', '{1,2,3,5}', '{2,3,7,8}', '{1,2,4,6}', '{5,6,12,15}')),
                (SELECT interaction_test(y, t, x) FROM (VALUES (1,2,false),(2,3,false),(3,7,false),(5,8,false),
                                                               (1,5,true),(2,6,true),(4,12,true),(6,15,true)) v(x, y, t))) AS pending_fold;
-- (R: lm(y ~ t * x) and sandwich::vcovHC(type = "HC1") on these rows give
-- 0.535593220339 and 0.304088091712)
SELECT sig(interaction) AS interaction, sig(std_error) AS std_error
FROM hte_it_final(it_buffered('{4,4}', '{1,2,3,5}', '{2,3,7,8}', '{1,2,4,6}', '{5,6,12,15}'));
SELECT hte_it_final(it_buffered('{32,0}', '{}', '{}', '{}', '{}'));
SELECT hte_it_final(it_buffered('{1.5,0}', '{1,2}', '{1,2}', '{}', '{}'));
SELECT hte_it_final(it_buffered('{0,1}', '{}', '{}', '{1}', '{NaN}'));
SELECT hte_it_final(array_fill(0::float8, ARRAY[176]));
SELECT hte_it_trans(it_buffered('{-1,0}', '{}', '{}', '{}', '{}'), 1.0, false, 2.0);
CREATE AGGREGATE it_forged(float8, boolean, float8) (SFUNC = hte_it_trans, STYPE = float8[], FINALFUNC = hte_it_final,
    INITCOND = '{2,1,0,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT it_forged(y, false, x) FROM bigx WHERE i <= 3;
