-- cate_projection, calibration_test and rate: the checks of a CATE model
-- that keep rows.  The numbers are checked against R in
-- test/r/check_cate_models.R (lm, sandwich::vcovHC, lmtest::coeftest) and
-- test/r/check_rate.R (grf's estimate, the influence-function SE, its
-- coverage by simulation); here: small cases with values from R or by
-- hand, special cases equal to aipw, thin data, errors, parallel = serial.
SET extra_float_digits = 0;

-- With e_hat = 0.5 and mu0_hat = mu1_hat = 0 a treated row's score is 2y.
-- Scores Γ = (4, 2, 0, -2, 3, 1) on a = (1, 2, 3, 4, 0.5, 1.5); R:
-- lm(G ~ a) with coeftest(vcov = vcovHC(type = )):
--   HC3:   4.392156863 (0.9790560409, t 4.486113848, p 0.01093837924),
--         -1.529411765 (0.3347636779, t -4.568631145, p 0.01027143179)
--   HC0:   SEs 0.6574286542, 0.1975788983; classical: 0.7414772706, 0.3185897414
CREATE TEMP TABLE proj_hand (y float8, t boolean, a float8);
INSERT INTO proj_hand VALUES (2, true, 1), (1, true, 2), (0, true, 3), (-1, true, 4), (1.5, true, 0.5), (0.5, true, 1.5);
SELECT term, sig(estimate) AS estimate, sig(std_error) AS std_error, sig(t_statistic) AS t, sig(p_value) AS p
FROM unnest((SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a]) FROM proj_hand));
-- HC0, HC1 and classical with 1 to 20 covariates make one pass over the
-- central moments of (a, Γ) up to degree 4 and keep no rows
SELECT term, sig(std_error) AS hc0 FROM unnest((SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a], 'hc0') FROM proj_hand));
SELECT term, sig(std_error) AS classical FROM unnest((SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a], 'classical') FROM proj_hand));
-- the treatment's integer codings give the same
SELECT (SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a]) FROM proj_hand)
     = (SELECT cate_projection(y, t::int, 0.5, 0, 0, ARRAY[a]) FROM proj_hand) AS int4_same,
       (SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a]) FROM proj_hand)
     = (SELECT cate_projection(y, t::int::int8, 0.5, 0, 0, ARRAY[a]) FROM proj_hand) AS int8_same;

-- no covariates: the intercept is aipw's ATE, and with HC1 its SE too
-- (HC1's n/(n − 1) Σe²/n² is sd²/n); HC3's is that times √(n/(n − 1))
CREATE TEMP TABLE cate_rows AS
SELECT i, (i % 3 = 0) AS t, 0.2 + 0.6 * (0.5 + 0.5 * sin(i * 0.37)) AS e,
       sin(i) * 2 + (i % 3 = 0)::int * (1 + cos(i * 0.11)) + 0.5 * sin(i * 1.9) AS y,
       sin(i) * 2 AS m0, 1 + sin(i) * 2 + cos(i * 0.11) AS m1, cos(i * 0.11) AS x1, sin(i * 0.05) AS x2
FROM generate_series(1, 3000) i;
SELECT abs(p.estimate - a.estimate) <= 1e-12 * abs(a.estimate) AS intercept_is_ate,
       abs(p.std_error - a.std_error) <= 1e-12 * a.std_error AS hc1_se_is_aipw,
       abs(p3.std_error - a.std_error * sqrt(3000.0 / 2999)) <= 1e-12 * a.std_error AS hc3_se
FROM unnest((SELECT cate_projection(y, t, e, m0, m1, ARRAY[]::float8[], 'HC1') FROM cate_rows)) p,
     unnest((SELECT cate_projection(y, t, e, m0, m1, '{}') FROM cate_rows)) p3,
     unnest((SELECT aipw(y, t, e, m0, m1) FROM cate_rows)) a
WHERE a.estimand = 'ATE';
-- an aliased covariate (2·x1) is NULL, as R's NA, and the others are the
-- fit without it; an offset of 1e6 changes only the intercept
SELECT p.term, p.estimate IS NULL AS aliased,
       abs(p.estimate - q.estimate) <= 1e-9 * abs(q.estimate) AS same_estimate,
       abs(p.std_error - q.std_error) <= 1e-9 * q.std_error AS same_se
FROM unnest((SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2, 2 * x1]) FROM cate_rows)) p
LEFT JOIN unnest((SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2]) FROM cate_rows)) q USING (term)
ORDER BY term;
SELECT p.term, abs(p.estimate - q.estimate) <= 1e-8 * abs(q.estimate) AS slope_same,
       abs(p.std_error - q.std_error) <= 1e-8 * q.std_error AS se_same
FROM unnest((SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1 + 1e6, x2]) FROM cate_rows)) p
JOIN unnest((SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2]) FROM cate_rows)) q USING (term)
WHERE term > 0;

-- calibration_test: y − m̂ = (1, -1, 2, 0, -2, 1), T − ê = ±0.5, 0.3, -0.7,
-- τ̂ = (1, 2, 3, 1, 2, 4); R: lm(r ~ 0 + I(tt * tb) + I(tt * (tau - tb))),
-- HC3: 0.2747677780 (0.7047922798, one-sided p 0.3582555666),
-- -0.5156179146 (1.7663908000, p 0.6075636027)
SELECT sig(mean_prediction) AS mean_prediction, sig(mean_prediction_se) AS se,
       sig(mean_prediction_p_value) AS p, sig(differential_prediction) AS differential,
       sig(differential_prediction_se) AS dse, sig(differential_prediction_p_value) AS dp
FROM (SELECT (calibration_test(y, t, e, 0, tau)).*
      FROM (VALUES (1.0::float8, true, 0.5::float8, 1.0::float8), (-1, false, 0.5, 2), (2, true, 0.5, 3),
                   (0, false, 0.5, 1), (-2, true, 0.7, 2), (1, false, 0.7, 4)) v(y, t, e, tau)) r;
-- a constant prediction has no differential part (aliased: NULL)
SELECT differential_prediction IS NULL AS aliased, mean_prediction IS NOT NULL AS has_mean
FROM (SELECT (calibration_test(y, t, e, m0, 1.0)).* FROM cate_rows) r;

-- rate: scores (4, 2, 0, -2) with priorities (4, 3, 2, 1): TOC = (3, 2, 1,
-- 0), AUTOC = 1.5, QINI = (0.75 + 1 + 0.75) / 4 = 0.625; by hand from
-- hte_rate.h's ψ: AUTOC's SE = √(2.196332 / 12) = 0.4278...
SELECT target, sig(estimate) AS estimate, sig(std_error, 6) AS std_error, n
FROM (SELECT (rate(y, true, 0.5, 0, 0, s)).* FROM (VALUES (2.0::float8, 4.0::float8), (1, 3), (0, 2), (-1, 1)) v(y, s)) r;
SELECT target, sig(estimate) AS estimate
FROM (SELECT (rate(y, true, 0.5, 0, 0, s, 'qini')).* FROM (VALUES (2.0::float8, 4.0::float8), (1, 3), (0, 2), (-1, 1)) v(y, s)) r;
-- one priority for all: nothing is ranked, RATE 0 with SE 0
SELECT estimate, std_error, ci_lower IS NULL AS no_interval FROM (SELECT (rate(y, t, e, m0, m1, 1.0)).* FROM cate_rows) r;
-- ties are averaged: the order of tied rows does not matter (but for the
-- rounding of sums in another order)
SELECT abs((a.r).estimate - (b.r).estimate) <= 1e-12 * abs((b.r).estimate) AS ties_same,
       abs((a.r).std_error - (b.r).std_error) <= 1e-12 * (b.r).std_error AS ties_se_same
FROM (SELECT rate(y, t, e, m0, m1, round(x1 * 3)) AS r FROM (SELECT * FROM cate_rows ORDER BY i) s) a,
     (SELECT rate(y, t, e, m0, m1, round(x1 * 3)) AS r FROM (SELECT * FROM cate_rows ORDER BY i DESC) s) b;

-- thin data: no rows (NULL); one row; NULLs skip the row
SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[1.0]) IS NULL AS projection_no_rows,
       calibration_test(1, true, 0.5, 0, 1) IS NULL AS calibration_no_rows,
       rate(1, true, 0.5, 0, 0, 1) IS NULL AS rate_no_rows
FROM (SELECT 1 WHERE false) q;
SELECT (rate(1, true, 0.5, 0, 0, 1)).*;
SELECT (rate(y, t, e, m0, m1, s)).n FROM (VALUES (1.0::float8, true, 0.5::float8, 0.0::float8, 0.0::float8, 1.0::float8),
    (NULL, true, 0.5, 0, 0, 1), (1, NULL, 0.5, 0, 0, 1), (1, true, NULL, 0, 0, 1), (1, true, 0.5, NULL, 0, 1),
    (1, true, 0.5, 0, NULL, 1), (1, true, 0.5, 0, 0, NULL), (2, false, 0.5, 0, 0, 2)) v(y, t, e, m0, m1, s);
SELECT term, estimate FROM unnest((SELECT cate_projection(y, true, 0.5, 0, 0, a)
    FROM (VALUES (1.0::float8, ARRAY[1.0::float8]), (2, NULL), (3, ARRAY[NULL::float8]), (2, ARRAY[2.0])) v(y, a)));

-- an array with a null bitmap but no NULL element (a slice of one that had
-- a NULL) is used like any other, here and in the other covariate arrays
CREATE TEMP TABLE slice_rows AS
SELECT y, t, a FROM (VALUES (1.0::float8, true, 1.0::float8), (2, false, 3), (4, true, 2), (0.5, false, -1),
                            (3, true, 0), (1, false, 2)) v(y, t, a);
SELECT (SELECT cate_projection(y, t, 0.5, 0, 0, (ARRAY[a, NULL]::float8[])[1:1]) FROM slice_rows)
     = (SELECT cate_projection(y, t, 0.5, 0, 0, ARRAY[a]) FROM slice_rows) AS projection_slice,
       (SELECT ate(y, t, (ARRAY[a, NULL]::float8[])[1:1]) FROM slice_rows)
     = (SELECT ate(y, t, ARRAY[a]) FROM slice_rows) AS ate_slice,
       (SELECT estimands(y, t, (ARRAY[a, NULL]::float8[])[1:1], 'ra') FROM slice_rows)
     = (SELECT estimands(y, t, ARRAY[a], 'ra') FROM slice_rows) AS estimands_slice;

-- errors
\set VERBOSITY terse
SELECT sqlstate_of('SELECT cate_projection(1, true, 0, 0, 0, ARRAY[1.0])') AS e_zero,
       sqlstate_of('SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[''NaN''::float8])') AS a_nan,
       sqlstate_of('SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[1.0], ''HC4'')') AS se_unknown,
       sqlstate_of('SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[1.0], NULL)') AS se_null,
       sqlstate_of('SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[[1.0]])') AS a_2d,
       sqlstate_of('SELECT cate_projection(y, true, 0.5, 0, 0, a) FROM (VALUES (1.0::float8, ARRAY[1.0::float8]), (2, ARRAY[1.0, 2.0])) v(y, a)') AS a_lengths,
       sqlstate_of('SELECT cate_projection(1, true, 0.5, 0, 0, array_fill(1.0::float8, ARRAY[101]))') AS a_101,
       sqlstate_of('SELECT cate_projection(y, true, 0.5, 0, 0, ARRAY[1.0], s) FROM (VALUES (1.0::float8, ''HC0''), (2, ''HC3'')) v(y, s)') AS se_differs;
SELECT sqlstate_of('SELECT calibration_test(1, true, 1, 0, 0)') AS e_one,
       sqlstate_of('SELECT calibration_test(1, 2, 0.5, 0, 0)') AS t_two,
       sqlstate_of('SELECT calibration_test(1, true, 0.5, ''Infinity'', 0)') AS m_inf,
       sqlstate_of('SELECT calibration_test(1, true, 0.5, 0, ''NaN'')') AS tau_nan,
       sqlstate_of('SELECT rate(1, true, ''NaN'', 0, 0, 1)') AS e_nan,
       sqlstate_of('SELECT rate(1, true, 0.5, 0, 0, ''Infinity'')') AS priority_inf,
       sqlstate_of('SELECT rate(1, true, 0.5, 0, 0, 1, ''AUC'')') AS target_unknown,
       sqlstate_of('SELECT rate(1, true, 0.5, 0, 0, 1, NULL)') AS target_null,
       sqlstate_of('SELECT rate(y, true, 0.5, 0, 0, 1, s) FROM (VALUES (1.0::float8, ''AUTOC''), (2, ''QINI'')) v(y, s)') AS target_differs;
SELECT rate(1, true, 0.5, 0, 0, 1, 'AUC');
SELECT cate_projection(1, true, 0.5, 0, 0, ARRAY[1.0], 'HC4');
\set VERBOSITY default

-- parallel = serial (internal states: serialize and deserialize run)
CREATE TABLE cate_par AS
SELECT i, (i % 3 = 0) AS t, 0.2 + 0.6 * (0.5 + 0.5 * sin(i * 0.37)) AS e,
       sin(i) * 2 + (i % 3 = 0)::int * (1 + cos(i * 0.11)) + 0.5 * sin(i * 1.9) AS y,
       sin(i) * 2 AS m0, 1 + sin(i) * 2 + cos(i * 0.11) AS m1, cos(i * 0.11) AS x1, sin(i * 0.05) AS x2
FROM generate_series(1, 60000) i;
ANALYZE cate_par;
CREATE TEMP TABLE cate_serial AS
SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2]) AS p,
       cate_projection(y, t, e, m0, m1, ARRAY[x1, x2], 'HC0') AS p0,
       calibration_test(y, t, e, (1 - e) * m0 + e * m1, m1 - m0) AS c,
       rate(y, t, e, m0, m1, x1) AS r, rate(y, t, e, m0, m1, round(x1 * 5), 'QINI') AS q
FROM cate_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2]) FROM cate_par;
CREATE TEMP TABLE cate_parallel AS
SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1, x2]) AS p,
       cate_projection(y, t, e, m0, m1, ARRAY[x1, x2], 'HC0') AS p0,
       calibration_test(y, t, e, (1 - e) * m0 + e * m1, m1 - m0) AS c,
       rate(y, t, e, m0, m1, x1) AS r, rate(y, t, e, m0, m1, round(x1 * 5), 'QINI') AS q
FROM cate_par;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT bool_and(abs(a.estimate - b.estimate) <= 1e-10 * abs(b.estimate)
                AND abs(a.std_error - b.std_error) <= 1e-10 * b.std_error) AS projection_same
FROM unnest((SELECT p FROM cate_parallel)) WITH ORDINALITY a JOIN unnest((SELECT p FROM cate_serial)) WITH ORDINALITY b USING (ordinality);
-- HC0 (one pass over moments, no rows kept): parallel = serial, and the
-- coefficients are HC3's (kept rows) to rounding
SELECT bool_and(abs(a.estimate - b.estimate) <= 1e-10 * abs(b.estimate)
                AND abs(a.std_error - b.std_error) <= 1e-10 * b.std_error) AS hc0_same,
       bool_and(abs(a.estimate - h.estimate) <= 1e-10 * abs(h.estimate)) AS hc0_estimates_are_hc3s
FROM unnest((SELECT p0 FROM cate_parallel)) WITH ORDINALITY a
JOIN unnest((SELECT p0 FROM cate_serial)) WITH ORDINALITY b USING (ordinality)
JOIN unnest((SELECT p FROM cate_serial)) WITH ORDINALITY h USING (ordinality);
SELECT abs((a.c).mean_prediction - (b.c).mean_prediction) <= 1e-10 * abs((b.c).mean_prediction) AS calibration_same,
       abs((a.c).differential_prediction_se - (b.c).differential_prediction_se) <= 1e-10 * (b.c).differential_prediction_se AS calibration_se_same,
       abs((a.r).estimate - (b.r).estimate) <= 1e-10 * abs((b.r).estimate) AS autoc_same,
       abs((a.r).std_error - (b.r).std_error) <= 1e-10 * (b.r).std_error AS autoc_se_same,
       abs((a.q).estimate - (b.q).estimate) <= 1e-10 * abs((b.q).estimate) AS qini_same,
       abs((a.q).std_error - (b.q).std_error) <= 1e-10 * (b.q).std_error AS qini_se_same,
       round((b.r).estimate::numeric, 4) AS autoc, round((b.q).estimate::numeric, 4) AS qini
FROM cate_parallel a, cate_serial b;
