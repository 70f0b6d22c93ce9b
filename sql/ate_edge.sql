-- ate(): edge cases and errors, as the SQL contract's conventions say.
-- Exact values here follow from the definitions by hand (see the comments).

CREATE TABLE e (y float8, t boolean, ti int);

-- Zero input rows: NULL.
SELECT ate(y, t) IS NULL AS no_rows_is_null FROM e;
SELECT ate(y, t) IS NULL AS all_null_rows_is_null FROM (VALUES (NULL::float8, true), (1, NULL)) v(y, t);

-- NULLs in the outcome or the treatment are skipped.
INSERT INTO e VALUES (1, true, 1), (2, true, 1), (4, true, 1),
                     (10, false, 0), (13, false, 0),
                     (NULL, true, 1), (100, NULL, NULL);
-- treated 1,2,4: mean 7/3, var 7/3; control 10,13: mean 23/2, var 9/2
SELECT sig(estimate) AS estimate, sig(mean_treated) AS mean_treated, sig(mean_control) AS mean_control,
       sig(sd_treated^2) AS var_treated, sig(sd_control^2) AS var_control,
       sig(std_error^2) AS se_squared, n_treated, n_control
FROM (SELECT (ate(y, t)).* FROM e) r;
-- se^2 = 7/9 + 9/4 = 109/36 = 3.027777...; df = (109/36)^2 / ((7/9)^2/2 + (9/4)^2/1)
SELECT sig(df) AS df, sig((109.0/36)^2 / ((7.0/9)^2/2 + (9.0/4)^2)) AS df_by_hand
FROM (SELECT (ate(y, t)).* FROM e) r;

-- One empty arm: counts and that arm's statistics, NULL estimate.
SELECT * FROM (SELECT (ate(y, t)).* FROM e WHERE t) r;
SELECT * FROM (SELECT (ate(y, t)).* FROM e WHERE NOT t) r;

-- One row in an arm: the estimate exists, its standard error does not.
SELECT * FROM (SELECT (ate(y, t)).* FROM e WHERE y IN (1, 10, 13)) r;
-- One row in all.
SELECT * FROM (SELECT (ate(y, t)).* FROM e WHERE y = 1) r;

-- Zero variance in both arms: SE 0; df, CI and p-value undefined.
SELECT * FROM (SELECT (ate(y, t)).* FROM (VALUES (5.0, true), (5.0, true), (3.0, false), (3.0, false)) v(y, t)) r;
-- Zero variance in one arm: df = n - 1 of the other arm.
SELECT sig(estimate) AS estimate, sig(std_error^2) AS se_squared, df, sd_control
FROM (SELECT (ate(y, t)).* FROM (VALUES (1.0, true), (2.0, true), (6.0, true), (3.0, false), (3.0, false)) v(y, t)) r;

-- Large offsets, small differences: 1e9 + k/1024 (exact in binary).
-- treated k = 1,2,3,4 and control k = 0,1,2: estimate 1.5/1024,
-- variances (5/3)/1024^2 and 1/1024^2.
SELECT sig(estimate * 1024) AS estimate_x1024, sig(sd_treated^2 * 1024^2) AS var_treated_x1024sq,
       sig(sd_control^2 * 1024^2) AS var_control_x1024sq
FROM (SELECT (ate(1e9 + k / 1024.0, t)).* FROM
      (VALUES (1, true), (2, true), (3, true), (4, true), (0, false), (1, false), (2, false)) v(k, t)) r;
-- Tiny magnitudes: the same design scaled by 1e-150.
SELECT sig(estimate / 1e-150) AS estimate, sig(sd_treated^2 / 1e-300) AS var_treated
FROM (SELECT (ate(k * 1e-150, t)).* FROM
      (VALUES (1, true), (2, true), (3, true), (4, true), (0, false), (1, false), (2, false)) v(k, t)) r;
-- Huge magnitudes that stay in range: means near the top of double range,
-- and a spread whose squares stay in range (treated k = 1..4, control 0..2
-- scaled by 1e150).
SELECT estimate, mean_treated, std_error
FROM (SELECT (ate(y, t)).* FROM (VALUES (1.5e307, true), (1.5e307, true), (-1e307, false), (-1e307, false)) v(y, t)) r;
SELECT sig(estimate / 1e150) AS estimate, sig(sd_treated^2 / 1e300) AS var_treated
FROM (SELECT (ate(k * 1e150, t)).* FROM
      (VALUES (1, true), (2, true), (3, true), (4, true), (0, false), (1, false), (2, false)) v(k, t)) r;

\set VERBOSITY default
\set SHOW_CONTEXT never
-- Non-finite outcomes are errors with a hint.
SELECT ate(y, t) FROM (VALUES (1.0::float8, true), ('NaN', false)) v(y, t);
SELECT ate(y, t) FROM (VALUES (1.0::float8, true), ('Infinity', false)) v(y, t);
SELECT ate(y, t) FROM (VALUES (1.0::float8, true), ('-Infinity', true)) v(y, t);
-- Treatment coded other than 0/1.
SELECT ate(y, ti) FROM (VALUES (1.0, 1), (2.0, 2)) v(y, ti);
SELECT ate(y, ti) FROM (VALUES (1.0, 0::smallint), (2.0, -1::smallint)) v(y, ti);
SELECT ate(y, ti) FROM (VALUES (1.0, 0::bigint), (2.0, 9000000000::bigint)) v(y, ti);
SELECT ate(y > 1, ti) FROM (VALUES (1.0, 1), (2.0, 3)) v(y, ti);
-- Finite data whose statistics overflow double range.
SELECT ate(y, t) FROM (VALUES (1e308, true), (-1e308, true), (0, false)) v(y, t);
SELECT ate(y, t) FROM (VALUES (1e308, true), (1e308, true), (-1e308, false), (-1e308, false)) v(y, t);
-- The SQLSTATEs.
SELECT sqlstate_of($$SELECT ate(y, t) FROM (VALUES ('NaN'::float8, true)) v(y, t)$$) AS nan,
       sqlstate_of($$SELECT ate(y, ti) FROM (VALUES (1.0, 2)) v(y, ti)$$) AS bad_treatment,
       sqlstate_of($$SELECT ate(y, t) FROM (VALUES (1e308, true), (-1e308, true)) v(y, t)$$) AS overflow,
       sqlstate_of($$SET hte.confidence_level = 1$$) AS bad_level;

-- The confidence level must be strictly between 0 and 1.
SET hte.confidence_level = 0;
SET hte.confidence_level = 1;
SET hte.confidence_level = 1.5;
SET hte.confidence_level = -0.1;
SET hte.confidence_level = 'high';
SHOW hte.confidence_level;
SET hte.confidence_levle = 0.9;

-- The state is checked wherever it is read: a state no data could give is an error.
SELECT hte_ate_final('{1,0,0,0,0,0,0,0,0,0,0}') IS NULL AS empty_state_is_null;
SELECT hte_ate_final('{1,2,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{2,0,0,0,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,-1,0,0,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,1.5,0,0,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,2,0,0,-1,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,0,5,0,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,1,5,0,3,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,2,NaN,0,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,2,1,0.5,0,0,0,0,0,0,0}');
SELECT hte_ate_final('{1,0,0,0,0,0,9007199254740994,0,0,0,0}');
SELECT hte_ate_final('{1,2,0,0,0,0,0,0,0,0,NULL}');
SELECT hte_ate_final('{{1,2,0},{0,0,0},{0,0,0}}');
SELECT hte_ate_combine('{1,0,0,0,0,0,0,0,0,0,0}', '{1,2,0,0,-1,0,0,0,0,0,0}');
-- Counts beyond 2^53 (no longer exact in float8): merging two valid states
-- that get there, and one more row into a full arm, are errors.
SELECT hte_ate_combine('{1,4294967296,570,0,0,0,9007199254740992,581,0,0,0}', '{1,0,0,0,0,0,4294967296,570,0,0,0}');
SELECT hte_ate_combine('{1,4294967296,570,0,0,0,9007199254740990,581,0,0,0}', '{1,0,0,0,0,0,2,570,0,0,0}') IS NOT NULL AS at_the_limit;
-- (2^53 - 1) + 2 rounds to 2^53 in float8: still an error
SELECT hte_ate_combine('{1,9007199254740991,570,0,0,0,0,0,0,0,0}', '{1,2,570,0,0,0,0,0,0,0,0}');
SELECT hte_ate_trans('{1,0,0,0,0,0,9007199254740992,581,0,0,0}', 3.0, true);
SELECT (hte_ate_trans('{1,0,0,0,0,0,9007199254740991,581,0,0,0}', 3.0, true))[7] AS at_the_limit;
-- The buffered form: elements 12 and 13 count the rows pending in the
-- control and treated buffers (elements 14-29 and 30-45).  Control {5} with
-- 6 and 8 pending, treated {7} with 9 pending: estimate 8 - 19/3, sd_control
-- sqrt(7/3), sd_treated sqrt(2).
CREATE FUNCTION buffered(arms float8[], pending float8[], c float8[], t float8[]) RETURNS float8[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT arms || pending || c || array_fill(0::float8, ARRAY[16 - cardinality(c)])
                           || t || array_fill(0::float8, ARRAY[16 - cardinality(t)]) $$;
SELECT sig(estimate) AS estimate, n_control, n_treated, sig(mean_control) AS mean_control,
       sig(sd_control) AS sd_control, sig(sd_treated) AS sd_treated
FROM hte_ate_final(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{2,1}', '{6,8}', '{9}'));
SELECT hte_ate_final(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{16,0}', '{}', '{}'));
SELECT hte_ate_final(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{1.5,0}', '{1,2}', '{}'));
SELECT hte_ate_final(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{0,-1}', '{}', '{}'));
SELECT hte_ate_final(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{0,1}', '{}', '{NaN}'));
SELECT hte_ate_final(buffered('{1,9007199254740991,5,0,0,0,1,7,0,0,0}', '{2,0}', '{1,2}', '{}'));
SELECT hte_ate_final(array_fill(0::float8, ARRAY[44]));
SELECT hte_ate_trans(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{NaN,0}', '{}', '{}'), 1.0, false);
-- A direct call on the buffered form fills the buffer, then folds it in.
SELECT s[12] AS pending, s[14:16] AS buffer, s[2] AS n_control
FROM (SELECT hte_ate_trans(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{1,0}', '{6}', '{}'), 8.0, false) AS s) v;
SELECT s[12] AS pending, s[2] AS n_control, sig(s[3] + s[4]) AS mean_control
FROM (SELECT hte_ate_trans(buffered('{1,1,5,0,0,0,1,7,0,0,0}', '{15,0}', '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}', '{}'), 16.0, false) AS s) v;
-- Called outside an aggregate, the transition function does not change its input.
SELECT hte_ate_trans(s, 3.0, true) AS after, s AS before FROM (SELECT '{1,0,0,0,0,0,0,0,0,0,0}'::float8[] AS s) v;
