-- Bad-input matrix: every aggregate and p_adjust against NULLs, non-finite
-- and extreme values, empty and one-row inputs, bad treatment codes, bad
-- quantile levels and methods, methods that vary across rows, and bad
-- confidence levels.  Each case gives its documented result or an ERROR
-- with the SQLSTATE shown (sqlstate_of: 'no error' when it succeeds).
\set VERBOSITY terse
CREATE TEMP TABLE rb AS
SELECT g AS id, (g % 7)::float8 + g * 0.01 AS y, (g % 2 = 0) AS tr,
       (g % 2)::int AS ti, (g % 3) AS s, g * 0.1 AS x
FROM generate_series(1, 40) g;
CREATE TEMP TABLE rb_empty AS SELECT * FROM rb WHERE false;

-- Errors, by SQLSTATE.  22023 invalid_parameter_value, 22004
-- null_value_not_allowed, 22003 numeric_value_out_of_range, 2202E
-- array_subscript_error.
CREATE TEMP TABLE cases (n serial, label text, stmt text);
INSERT INTO cases (label, stmt) VALUES
-- NaN / ±Infinity in an outcome or moderator
('ate y NaN',              $$SELECT ate('NaN'::float8, true)$$),
('ate y Inf int treat',    $$SELECT ate('Infinity'::float8, 1)$$),
('ate y -Inf',             $$SELECT ate(y, tr) FROM (VALUES (1::float8, true), ('-Infinity', false)) v(y, tr)$$),
('it3 y NaN',              $$SELECT interaction_test('NaN'::float8, true, 1)$$),
('it3 x Inf',              $$SELECT interaction_test(1, true, 'Infinity'::float8)$$),
('it4 x -Inf',             $$SELECT interaction_test(1, true, '-Infinity'::float8, 'HC2')$$),
('it4 y NaN',              $$SELECT interaction_test('NaN'::float8, 0, 1, 'classical')$$),
('cate_by y NaN',          $$SELECT cate_by('NaN'::float8, true, 1)$$),
('cate_by4 y Inf',         $$SELECT cate_by('Infinity'::float8, true, 'a'::text, 'BH')$$),
('heterogeneity y -Inf',   $$SELECT heterogeneity_test('-Infinity'::float8, true, 1)$$),
('qte y NaN',              $$SELECT qte('NaN'::float8, true, 0.5)$$),
('qte[] y Inf',            $$SELECT qte('Infinity'::float8, true, ARRAY[0.5])$$),
('homogeneity y NaN',      $$SELECT homogeneity_test('NaN'::float8, true)$$),
('p_adjust NaN',           $$SELECT p_adjust('{0.1,NaN}')$$),
('p_adjust Inf',           $$SELECT p_adjust('{Infinity}')$$),
('p_adjust negative',      $$SELECT p_adjust('{-0.1}')$$),
('p_adjust above 1',       $$SELECT p_adjust('{1.5}', 'BH')$$),
-- NULL where a value is required
('it4 se_type NULL',       $$SELECT interaction_test(y, tr, x, NULL) FROM rb$$),
('cate_by method NULL',    $$SELECT cate_by(y, tr, s, NULL) FROM rb$$),
('qte q NULL',             $$SELECT qte(y, tr, NULL::float8) FROM rb$$),
('qte q[] NULL',           $$SELECT qte(y, tr, NULL::float8[]) FROM rb$$),
('qte q[] NULL element',   $$SELECT qte(y, tr, ARRAY[0.5, NULL]) FROM rb$$),
('qte q NULL, y NULL',     $$SELECT qte(NULL::float8, true, NULL::float8)$$),
-- treatment coded other than 0/1
('ate treat 2',            $$SELECT ate(1, 2)$$),
('ate treat -1 smallint',  $$SELECT ate(1, (-1)::smallint)$$),
('ate bool y treat 2 int8', $$SELECT ate(true, 2::bigint)$$),
('it3 treat 5',            $$SELECT interaction_test(1, 5, 1)$$),
('it4 treat 7',            $$SELECT interaction_test(1, 7::smallint, 1, 'HC1')$$),
('cate_by treat 2',        $$SELECT cate_by(1, 2, 'a'::text)$$),
('heterogeneity treat 3',  $$SELECT heterogeneity_test(1, 3::bigint, 1)$$),
('qte treat 3',            $$SELECT qte(1, 3, 0.5)$$),
('homogeneity treat -9',   $$SELECT homogeneity_test(1, -9)$$),
-- quantile levels
('qte q 1.5',              $$SELECT qte(1, true, 1.5)$$),
('qte q -0.01',            $$SELECT qte(1, true, -0.01)$$),
('qte q NaN',              $$SELECT qte(1, true, 'NaN'::float8)$$),
('qte q Inf',              $$SELECT qte(1, true, 'Infinity'::float8)$$),
('qte q[] element 2',      $$SELECT qte(1, true, ARRAY[0.5, 2])$$),
('qte q[] empty',          $$SELECT qte(1, true, '{}'::float8[])$$),
('qte q[] 2-D',            $$SELECT qte(1, true, '{{0.5}}'::float8[])$$),
-- unknown method names
('it4 se_type HC4',        $$SELECT interaction_test(y, tr, x, 'HC4') FROM rb$$),
('it4 se_type empty',      $$SELECT interaction_test(y, tr, x, '') FROM rb$$),
('cate_by method hommel',  $$SELECT cate_by(y, tr, s, 'hommel') FROM rb$$),
('p_adjust method nope',   $$SELECT p_adjust('{0.5}', 'nope')$$),
-- a method argument that varies across rows
('it4 se_type varies',     $$SELECT interaction_test(y, tr, x, CASE WHEN id < 20 THEN 'HC1' ELSE 'HC2' END) FROM rb$$),
('cate_by method varies',  $$SELECT cate_by(y, tr, s, CASE WHEN id < 20 THEN 'BH' ELSE 'holm' END) FROM rb$$),
('qte q varies',           $$SELECT qte(y, tr, CASE WHEN id < 20 THEN 0.5 ELSE 0.25 END) FROM rb$$),
('qte q[] varies',         $$SELECT qte(y, tr, CASE WHEN id < 20 THEN ARRAY[0.5] ELSE ARRAY[0.5, 0.25] END) FROM rb$$),
-- a spelling that varies but names one method is the same method
('it4 se_type case varies', $$SELECT interaction_test(y, tr, x, CASE WHEN id < 20 THEN 'HC1' ELSE 'hc1' END) FROM rb$$),
('cate_by method case varies', $$SELECT cate_by(y, tr, s, CASE WHEN id < 20 THEN 'BH' ELSE 'bh' END) FROM rb$$),
-- results beyond the double range of finite inputs: overflow
('ate overflow',           $$SELECT ate(y, tr) FROM (VALUES (1e308::float8, true), (-1e308, false)) v(y, tr)$$),
('ate variance overflow',  $$SELECT ate(y, tr) FROM (VALUES (1e308::float8, true), (-1e308, true), (1, false), (2, false)) v(y, tr)$$),
('it3 overflow',           $$SELECT interaction_test(y, t, x) FROM (VALUES (1e308::float8, true, 1e308::float8), (1, true, 2), (3, true, 5), (1, false, 1), (2, false, 2), (4, false, 3)) v(y, t, x)$$),
('it4 HC3 overflow',       $$SELECT interaction_test(y, t, x, 'HC3') FROM (VALUES (1e308::float8, true, 1e308::float8), (1, true, 2), (3, true, 5), (1, false, 1), (2, false, 2), (4, false, 3)) v(y, t, x)$$),
('cate_by overflow',       $$SELECT cate_by(y, t, 1) FROM (VALUES (1e308::float8, true), (-1e308, true), (1, false), (2, false)) v(y, t)$$),
('heterogeneity overflow', $$SELECT heterogeneity_test(y, t, 1) FROM (VALUES (1e308::float8, true), (-1e308, true), (1, false), (2, false)) v(y, t)$$),
('qte overflow',           $$SELECT qte(y, t, 0.5) FROM (VALUES (1.7e308::float8, true), (1.7e308, true), (-1.7e308, false), (-1.7e308, false)) v(y, t)$$),
('homogeneity overflow',   $$SELECT homogeneity_test(y, t) FROM (VALUES (1e308::float8, true), (-1e308, true), (1, false), (2, false)) v(y, t)$$),
('homogeneity wald overflow', $$SELECT homogeneity_test(y * 1e160, g % 2 = 0) FROM (SELECT g, g::float8 AS y FROM generate_series(1, 100) g) z$$),
-- confidence levels outside (0, 1)
('confidence 1.5',         $$SET hte.confidence_level = 1.5$$),
('confidence 0',           $$SET hte.confidence_level = 0$$),
('confidence 1',           $$SET hte.confidence_level = 1$$),
('confidence -0.5',        $$SET hte.confidence_level = -0.5$$),
('confidence NaN',         $$SET hte.confidence_level = 'NaN'$$),
('confidence text',        $$SET hte.confidence_level = 'high'$$);
SELECT n, label, sqlstate_of(stmt) FROM cases ORDER BY n;

-- NULL arguments that skip a row: the row is not counted
SELECT (ate(y, tr)).n_control AS n0, (ate(y, tr)).n_treated AS n1,
       (ate(CASE WHEN id <= 10 THEN NULL ELSE y END, tr)).n_control AS n0_y_null,
       (ate(y, CASE WHEN id <= 10 THEN NULL ELSE tr END)).n_treated AS n1_t_null,
       (ate(CASE WHEN id <= 10 THEN NULL ELSE y > 3 END, ti)).n_control AS n0_bool_y_null
FROM rb;
SELECT (interaction_test(y, tr, CASE WHEN id <= 10 THEN NULL ELSE x END)).n_control AS it3_x_null,
       (interaction_test(CASE WHEN id <= 10 THEN NULL ELSE y END, tr, x, 'HC2')).n_control AS it4_y_null,
       (interaction_test(y, CASE WHEN id <= 10 THEN NULL ELSE ti END, x, 'HC3')).n_treated AS it4_t_null,
       (qte(CASE WHEN id <= 10 THEN NULL ELSE y END, tr, 0.5)).n_control AS qte_y_null,
       (qte(y, CASE WHEN id <= 10 THEN NULL ELSE tr END, ARRAY[0.5]))[1].n_treated AS qtea_t_null
FROM rb;
-- a NULL subgroup is a subgroup of its own, last; NULL y or treated skip
SELECT c.subgroup, c.n_treated, c.n_control
FROM (SELECT cate_by(CASE WHEN id <= 4 THEN NULL ELSE y END, tr,
                     CASE WHEN s = 0 THEN NULL ELSE s END) AS a FROM rb) z,
     unnest(a) c;
SELECT (heterogeneity_test(y, CASE WHEN id <= 4 THEN NULL ELSE tr END, CASE WHEN s = 0 THEN NULL ELSE s END)).subgroups FROM rb;
-- all rows skipped: NULL (the state exists but holds no rows)
SELECT ate(NULL::float8, tr) IS NULL AS ate, interaction_test(y, tr, NULL::float8) IS NULL AS it3,
       interaction_test(y, NULL::boolean, x, 'HC2') IS NULL AS it4,
       cate_by(NULL::float8, tr, s) IS NULL AS cate_by,
       heterogeneity_test(y, NULL::int, s) IS NULL AS heterogeneity,
       qte(NULL::float8, tr, 0.5) IS NULL AS qte, qte(y, NULL::int, ARRAY[0.1]) IS NULL AS qtea,
       homogeneity_test(NULL::float8, tr) IS NULL AS homogeneity
FROM rb;
-- p_adjust: NULL elements stay NULL and do not count; NULL arguments give NULL (strict)
SELECT p_adjust('{NULL,0.01,0.04}') AS holm, p_adjust('{NULL,0.01,0.04}', 'bonferroni') AS bonf,
       p_adjust(NULL) IS NULL AS null_p, p_adjust('{0.1}', NULL) IS NULL AS null_method,
       p_adjust('{}') AS empty, p_adjust('{NULL}', 'BY') AS all_null,
       p_adjust('{0.5}', 'bh') AS case_insensitive, p_adjust('[0:1]={0.01,0.02}', 'none') AS bounds_kept;

-- Empty input: NULL, even with arguments that would be errors on a row
SELECT ate(y, tr) IS NULL AS ate, interaction_test(y, tr, x) IS NULL AS it3,
       interaction_test(y, tr, x, 'HC2') IS NULL AS it4,
       interaction_test(y, tr, x, 'bogus') IS NULL AS it4_bogus,
       cate_by(y, tr, s) IS NULL AS cate_by, cate_by(y, tr, s, 'hommel') IS NULL AS cate_by_bogus,
       heterogeneity_test(y, tr, s) IS NULL AS heterogeneity,
       qte(y, tr, 0.5) IS NULL AS qte, qte(y, tr, 7) IS NULL AS qte_bad_q,
       qte(y, tr, ARRAY[0.5]) IS NULL AS qtea, homogeneity_test(y, tr) IS NULL AS homogeneity
FROM rb_empty;
-- ... also with parallel workers that see no rows
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SELECT ate(y, tr) IS NULL AS ate, interaction_test(y, tr, x, 'HC3') IS NULL AS it4,
       cate_by(y, tr, s) IS NULL AS cate_by, qte(y, tr, 0.5) IS NULL AS qte,
       homogeneity_test(y, tr) IS NULL AS homogeneity
FROM rb_empty;
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;

-- One row: the counts, everything else NULL
SELECT (ate(1, true)).*;
SELECT (ate(false, 0)).*;
SELECT (interaction_test(1, true, 2)).*;
SELECT (interaction_test(1, 0, 2, 'HC3')).*;
SELECT (unnest(cate_by(1, true, 'a'::text))).*;
SELECT (heterogeneity_test(1, true, 'a'::text)).*;
SELECT (qte(1, true, 0.5)).*;
SELECT (unnest(qte(1, false, ARRAY[0, 1]))).*;
SELECT (homogeneity_test(1, true)).*;
-- One row per arm: estimates, no standard errors
SELECT (ate(y, t)).* FROM (VALUES (3::float8, true), (1, false)) v(y, t);
SELECT (qte(y, t, 0.5)).* FROM (VALUES (3::float8, true), (1, false)) v(y, t);

-- Extreme but representable magnitudes: exact where the result is representable
SELECT (ate(y, t)).* FROM (VALUES (1e308::float8, true), (1e308, true), (1e308, false), (1e308, false)) v(y, t);
SELECT (ate(y, t)).estimate, (ate(y, t)).sd_treated FROM (VALUES (1.7e308::float8, true), (1.7e308, true), (-1e-300, false), (1e-300, false)) v(y, t);
SELECT sig(variance_treated) AS v1, variance_control AS v0, ite_sd_lower, qte_flatness_statistic
FROM (SELECT (homogeneity_test(y, t)).* FROM (VALUES (1.7e308::float8, true), (1.7e308, true), (1.7e308, true), (1, false), (2, false), (3, false)) v(y, t)) h;
SELECT quantile, estimate, quantile_treated, quantile_control
FROM (SELECT (qte(y, t, 0.5)).* FROM (VALUES (1.7e308::float8, true), (1.7e308, true), (2e-300, false), (1e-300, false)) v(y, t)) q;
-- float8 subgroups: -0 and 0 are one subgroup, as GROUP BY has it
SELECT subgroup, estimate FROM unnest((SELECT cate_by(y, t, s) FROM (VALUES (1e300::float8, true, 1e300::float8), (1e300, false, 1e300), ('1e-300', true, '-0'), ('-1e-300', false, '0')) v(y, t, s)));
-- a constant moderator: the slopes are undefined, so is the interaction
SELECT interaction, std_error, n_treated, n_control
FROM (SELECT (interaction_test(y, tr, 1.5)).* FROM rb) i;
-- a subgroup type without a hash function: an error naming the remedy
SELECT sqlstate_of($$SELECT cate_by(1, true, point(1, 2))$$) AS no_hash;

-- the default confidence level after the rejected SETs above
SHOW hte.confidence_level;

-- A rejected value set before the library loaded (a placeholder) is not
-- silently replaced by the default: the aggregates refuse until it is fixed.
\c
SET hte.confidence_level = '1.5';
SELECT sqlstate_of($$SELECT ate(1, true)$$) AS placeholder_rejected;
SET hte.confidence_level = 0.9;
SELECT sig((ate(y, t)).ci_upper) FROM (VALUES (1::float8, true), (3, true), (1, false), (2, false)) v(y, t);
