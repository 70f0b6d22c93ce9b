-- dml_plr: the partially linear model from nuisance predictions.  The
-- numbers are checked against lm + sandwich::vcovHC in R
-- (test/r/check_dml.R); here: a small case by hand, thin data, errors,
-- parallel = serial.
SET extra_float_digits = 0;

-- by hand: ỹ = (1, 2, 3), ṽ = (1, 1, 2): Σṽỹ = 9, Σṽ² = 6, θ = 1.5;
-- residuals (−0.5, 0.5, 0): Σṽ²e² = 0.5, SE = √0.5 / 6 = 0.1178511302
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error, n,
       sig(ci_lower) AS ci_lower, to_char(p_value, '9.999EEEE') AS p_value
FROM (SELECT (dml_plr(y, d, 0, 0)).* FROM (VALUES (1.0::float8, 1.0::float8), (2, 1), (3, 2)) v(y, d)) r;
-- the predictions are subtracted: the same with y_hat and d_hat
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error
FROM (SELECT (dml_plr(y + 10, d - 3, 10, -3)).* FROM (VALUES (1.0::float8, 1.0::float8), (2, 1), (3, 2)) v(y, d)) r;

-- thin data: no rows; one row (no spread: SE 0, no interval); ṽ all 0
SELECT dml_plr(1, 1, 0, 0) IS NULL AS no_rows FROM (SELECT 1 WHERE false) q;
SELECT (dml_plr(2, 1, 0, 0)).* ;
SELECT (dml_plr(y, 1, 0, 1)).* FROM generate_series(1, 5) y;
-- NULL arguments skip the row
SELECT (dml_plr(y, d, yh, dh)).n FROM (VALUES (1.0::float8, 1.0::float8, 0.0::float8, 0.0::float8),
    (NULL, 1, 0, 0), (1, NULL, 0, 0), (1, 1, NULL, 0), (1, 1, 0, NULL), (2, 1, 0, 0)) v(y, d, yh, dh);

-- errors: non-finite values (22023); a forged state (22023)
\set VERBOSITY terse
SELECT sqlstate_of('SELECT dml_plr(''NaN''::float8, 1, 0, 0)') AS nan_y,
       sqlstate_of('SELECT dml_plr(1, ''Infinity''::float8, 0, 0)') AS inf_d,
       sqlstate_of('SELECT dml_plr(1, 1, ''NaN''::float8, 0)') AS nan_y_hat,
       sqlstate_of('SELECT dml_plr(1, 1, 0, ''-Infinity''::float8)') AS inf_d_hat,
       sqlstate_of('SELECT dml_plr(1e-80, 1, 0, 0)') AS tiny_residual;
-- a near-exact fit keeps its digits: ỹ = 2ṽ + 1e-6 ε; the SE by hand
-- (θ and the residuals computed exactly: ṽ = 1, 2, 3, 4, ε = 1, -1, 1, -1)
SELECT sig(estimate, 12) AS estimate, sig(std_error, 9) AS std_error
FROM (SELECT (dml_plr(2 * v + 1e-6 * e, v, 0, 0)).*
      FROM (VALUES (1.0::float8, 1.0::float8), (2, -1), (3, 1), (4, -1)) x(v, e)) r;
SELECT v AS forged_state, sqlstate_of(format('SELECT hte_dml_final(%L::float8[])', v)) AS sqlstate
FROM (VALUES ('{7,0,0,0,0,0,0,0,0,0,0,0}'), ('{6,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{7,1.5,0,1,0,0,0,0,0,0,0,0,0}'), ('{7,0,0,1,0,0,0,0,0,0,0,0,0}'),
             ('{7,0,1,0,0,0,0,0,0,0,0,0,0}'), ('{7,1,0,-1,0,0,0,0,0,0,0,0,0}'),
             ('{7,1,0,1,1,0,0,0,0,0,0,0,0}'), ('{7,1,NaN,1,0,1,0,1,0,1,0,1,0}'),
             ('{7,1,0,1,0,1,0,1,0,1,0,-1,0}')) f(v);
\set VERBOSITY default

-- parallel = serial, and the same as through the combine of two halves
CREATE TABLE dml_rows AS
SELECT i, sin(i) * 2 + cos(i * 0.3) AS d, 0.8 * sin(i) * 2 + cos(i * 0.7) + 0.5 * sin(i * 1.9) AS y,
       cos(i * 0.3) AS d_hat, cos(i * 0.7) AS y_hat
FROM generate_series(1, 60000) i;
ANALYZE dml_rows;
CREATE TEMP TABLE dml_serial AS SELECT (dml_plr(y, d, y_hat, d_hat)).* FROM dml_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT dml_plr(y, d, y_hat, d_hat) FROM dml_rows;
CREATE TEMP TABLE dml_parallel AS SELECT (dml_plr(y, d, y_hat, d_hat)).* FROM dml_rows;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT abs(p.estimate - s.estimate) <= 1e-12 * abs(s.estimate) AS estimate_same,
       abs(p.std_error - s.std_error) <= 1e-12 * s.std_error AS se_same, p.n = s.n AS n_same,
       round(s.estimate::numeric, 6) AS estimate
FROM dml_parallel p, dml_serial s;
CREATE AGGREGATE dml_raw_state(float8, float8, float8, float8) (
    SFUNC = hte_dml_trans, STYPE = float8[], INITCOND = '{7,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT abs((hte_dml_final(hte_dml_combine(a.s, b.s))).estimate - (SELECT estimate FROM dml_serial))
         <= 1e-12 * (SELECT abs(estimate) FROM dml_serial) AS halves_merge
FROM (SELECT dml_raw_state(y, d, y_hat, d_hat) AS s FROM dml_rows WHERE i % 2 = 0) a,
     (SELECT dml_raw_state(y, d, y_hat, d_hat) AS s FROM dml_rows WHERE i % 2 = 1) b;
DROP AGGREGATE dml_raw_state(float8, float8, float8, float8);

-- aipw: the doubly robust estimands from given nuisances.  The numbers are
-- checked against the formulas in R (test/r/check_aipw.R); here: a case by
-- hand, special cases equal to ate and estimands, thin data, errors,
-- parallel = serial.
-- by hand (A, B per row: (2, 1), (1, -1), (1, 2), (-1, -1); Γ = A + B):
-- ATE 1, SE √(18/3/4) = 1.224744871; ATT 1.5, SE √(10/3/4) = 0.9128709292;
-- ATU 0.5, SE √(26/3/4) = 1.471960144; ATT − ATU 1, SE √(4/3/4) = 0.5773502692;
-- potential-outcome means 1.75/0.75, 2/0.5, 1.5/1
CREATE TEMP TABLE aipw_hand (y float8, t boolean, e float8, m0 float8, m1 float8);
INSERT INTO aipw_hand VALUES (3, true, 0.5, 1, 2), (1, true, 0.5, 0, 2), (0, false, 0.5, 1, 2), (2, false, 0.5, 1, 1);
SELECT estimand, sig(estimate) AS estimate, sig(std_error) AS std_error, sig(z_statistic) AS z,
       sig(po_mean_treated) AS po_t, sig(po_mean_control) AS po_c, n_treated, n_control, method, link
FROM unnest((SELECT aipw(y, t, e, m0, m1) FROM aipw_hand));
-- the treatment's integer codings give the same
SELECT (SELECT aipw(y, t, e, m0, m1) FROM aipw_hand) = (SELECT aipw(y, t::int, e, m0, m1) FROM aipw_hand) AS int4_same,
       (SELECT aipw(y, t, e, m0, m1) FROM aipw_hand) = (SELECT aipw(y, t::int::int2, e, m0, m1) FROM aipw_hand) AS int2_same,
       (SELECT aipw(y, t, e, m0, m1) FROM aipw_hand) = (SELECT aipw(y, t::int::int8, e, m0, m1) FROM aipw_hand) AS int8_same;

-- a randomised trial: ê = n₁/n and μ̂ = 0 make the ATE the difference in means
SELECT abs((SELECT (aipw(y, treated, (SELECT avg(treated::int) FROM star), 0, 0))[1].estimate FROM star)
           - (SELECT (ate(y, treated)).estimate FROM star)) < 1e-9 AS star_equals_ate;

-- fed estimands' own nuisances (logistic propensity, per-arm OLS), the
-- point estimates are estimands(..., 'aipw')'s (NSW, one covariate)
CREATE TEMP TABLE aipw_nsw AS
WITH m AS (SELECT propensity_model(treat, ARRAY[re75]) AS pm FROM nsw),
     o AS (SELECT treat AS arm, regr_intercept(re78, re75) AS b0, regr_slope(re78, re75) AS b1 FROM nsw GROUP BY treat)
SELECT n.re78 AS y, n.treat AS t, propensity_score(m.pm, ARRAY[n.re75]) AS e,
       o0.b0 + o0.b1 * n.re75 AS m0, o1.b0 + o1.b1 * n.re75 AS m1
FROM nsw n, m, o o0, o o1 WHERE NOT o0.arm AND o1.arm;
SELECT a.estimand, abs(a.estimate - b.estimate) <= 1e-9 * abs(b.estimate) AS same_estimate,
       abs(a.po_mean_treated - b.po_mean_treated) <= 1e-9 * abs(b.po_mean_treated) AS same_po_treated,
       abs(a.po_mean_control - b.po_mean_control) <= 1e-9 * abs(b.po_mean_control) AS same_po_control,
       round(a.estimate::numeric, 2) AS estimate
FROM unnest((SELECT aipw(y, t, e, m0, m1) FROM aipw_nsw)) WITH ORDINALITY a
JOIN unnest((SELECT estimands(re78, treat, ARRAY[re75], 'aipw') FROM nsw)) WITH ORDINALITY b USING (ordinality);

-- thin data: no rows, an empty arm (NULL); one row per arm; NULLs skip
SELECT aipw(1, true, 0.5, 0, 0) IS NULL AS no_rows FROM (SELECT 1 WHERE false) q;
SELECT aipw(y, true, 0.5, 0, 0) IS NULL AS one_arm FROM generate_series(1, 3) y;
SELECT estimand, estimate, std_error FROM unnest((SELECT aipw(y, t, 0.5, 0, 0)
    FROM (VALUES (1.0::float8, true), (0, false)) v(y, t)));
SELECT (aipw(y, t, e, m0, m1))[1].n_treated FROM (VALUES (1.0::float8, true, 0.5::float8, 0.0::float8, 0.0::float8),
    (NULL, true, 0.5, 0, 0), (1, NULL, 0.5, 0, 0), (1, true, NULL, 0, 0), (1, true, 0.5, NULL, 0),
    (1, true, 0.5, 0, NULL), (2, false, 0.5, 0, 0)) v(y, t, e, m0, m1);

-- errors: ê outside (0, 1) or NaN, non-finite values, a bad integer
-- treatment (22023); forged states (22023)
\set VERBOSITY terse
SELECT sqlstate_of('SELECT aipw(1, true, 0, 0, 0)') AS e_zero,
       sqlstate_of('SELECT aipw(1, true, 1, 0, 0)') AS e_one,
       sqlstate_of('SELECT aipw(1, true, ''NaN'', 0, 0)') AS e_nan,
       sqlstate_of('SELECT aipw(1, true, -0.1, 0, 0)') AS e_negative,
       sqlstate_of('SELECT aipw(''Infinity'', true, 0.5, 0, 0)') AS y_inf,
       sqlstate_of('SELECT aipw(1, true, 0.5, ''NaN'', 0)') AS mu0_nan,
       sqlstate_of('SELECT aipw(1, true, 0.5, 0, ''-Infinity'')') AS mu1_inf,
       sqlstate_of('SELECT aipw(1, 2, 0.5, 0, 0)') AS t_two,
       sqlstate_of('SELECT aipw(1e300, true, 1e-300, 0, 0)') AS overflow;
SELECT aipw(1, true, 0, 0, 0);
SELECT v AS forged_state, sqlstate_of(format('SELECT hte_aipw_final(%L::float8[])', v)) AS sqlstate
FROM (VALUES ('{8,0}'),
             ('{7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,1.5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,2,0,0,0,0,0,0,-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,2,0,0,0,0,0,0,0,0,0,0,0,0,-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,1,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'),
             ('{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,NaN,0}')) f(v);
\set VERBOSITY default

-- parallel = serial, and the same through the combine of two halves
CREATE TABLE aipw_rows AS
SELECT i, (i % 3 = 0) AS t, 0.2 + 0.6 * (0.5 + 0.5 * sin(i * 0.37)) AS e,
       1000 + sin(i) * 2 + (i % 3 = 0)::int * (1 + cos(i * 0.11)) + 0.5 * sin(i * 1.9) AS y,
       1000 + sin(i) * 2 AS m0, 1001 + sin(i) * 2 + cos(i * 0.11) AS m1
FROM generate_series(1, 60000) i;
ANALYZE aipw_rows;
CREATE TEMP TABLE aipw_serial AS SELECT a.* FROM unnest((SELECT aipw(y, t, e, m0, m1) FROM aipw_rows)) a;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT aipw(y, t, e, m0, m1) FROM aipw_rows;
CREATE TEMP TABLE aipw_parallel AS SELECT a.* FROM unnest((SELECT aipw(y, t, e, m0, m1) FROM aipw_rows)) a;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT s.estimand, abs(p.estimate - s.estimate) <= 1e-12 * abs(s.estimate) AS estimate_same,
       abs(p.std_error - s.std_error) <= 1e-12 * s.std_error AS se_same,
       abs(p.po_mean_treated - s.po_mean_treated) <= 1e-12 * abs(s.po_mean_treated) AS po_same,
       p.n_treated = s.n_treated AND p.n_control = s.n_control AS n_same,
       round(s.estimate::numeric, 6) AS estimate, round(s.std_error::numeric, 6) AS std_error
FROM aipw_parallel p JOIN aipw_serial s USING (estimand);
CREATE AGGREGATE aipw_raw_state(float8, boolean, float8, float8, float8) (
    SFUNC = hte_aipw_trans, STYPE = float8[], INITCOND = '{8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT bool_and(abs(m.estimate - s.estimate) <= 1e-12 * abs(s.estimate)
                AND abs(m.std_error - s.std_error) <= 1e-12 * s.std_error) AS halves_merge
FROM unnest((SELECT hte_aipw_final(hte_aipw_combine(a.s, b.s))
             FROM (SELECT aipw_raw_state(y, t, e, m0, m1) AS s FROM aipw_rows WHERE i % 2 = 0) a,
                  (SELECT aipw_raw_state(y, t, e, m0, m1) AS s FROM aipw_rows WHERE i % 2 = 1) b)) m
JOIN aipw_serial s USING (estimand);
DROP AGGREGATE aipw_raw_state(float8, boolean, float8, float8, float8);
