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
