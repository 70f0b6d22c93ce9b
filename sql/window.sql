-- Every aggregate as a window function equals the plain aggregate over the
-- same frame: running (ORDER BY) and sliding (ROWS ... PRECEDING) frames,
-- which call the final function on a state that later takes more rows.
CREATE TEMP TABLE w AS
SELECT i, (i * 7919 % 101)::float8 AS y, i % 3 = 0 AS t FROM generate_series(1, 60) i;
SELECT 'ate' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, ate(y, t) OVER (ORDER BY i) a, (SELECT ate(y, t) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'qte' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, qte(y, t, 0.5) OVER (ORDER BY i) a, (SELECT qte(y, t, 0.5) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'qte' AS fn, bool_and(a::text IS NOT DISTINCT FROM b::text) FROM (SELECT i, qte(y, t, ARRAY[0.25,0.5]) OVER (ORDER BY i) a, (SELECT qte(y, t, ARRAY[0.25,0.5]) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'interaction_test' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, interaction_test(y, t, i) OVER (ORDER BY i) a, (SELECT interaction_test(y, t, i) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'interaction_test' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, interaction_test(y, t, i, 'HC3') OVER (ORDER BY i) a, (SELECT interaction_test(y, t, i, 'HC3') FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'cate_by' AS fn, bool_and(a::text IS NOT DISTINCT FROM b::text) FROM (SELECT i, cate_by(y, t, i % 2) OVER (ORDER BY i) a, (SELECT cate_by(y, t, i % 2) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'heterogeneity_test' AS fn, bool_and(a::text IS NOT DISTINCT FROM b::text) FROM (SELECT i, heterogeneity_test(y, t, i % 2) OVER (ORDER BY i) a, (SELECT heterogeneity_test(y, t, i % 2) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'homogeneity_test' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, homogeneity_test(y, t) OVER (ORDER BY i) a, (SELECT homogeneity_test(y, t) FROM w w2 WHERE w2.i <= w.i) b FROM w) s;
SELECT 'ate' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, ate(y, t) OVER (ORDER BY i ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) a, (SELECT ate(y, t) FROM w w2 WHERE w2.i BETWEEN w.i - 5 AND w.i) b FROM w) s;
SELECT 'qte' AS fn, bool_and(a IS NOT DISTINCT FROM b) FROM (SELECT i, qte(y, t, 0.5) OVER (ORDER BY i ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) a, (SELECT qte(y, t, 0.5) FROM w w2 WHERE w2.i BETWEEN w.i - 5 AND w.i) b FROM w) s;
-- and the values are real: the running ate and median effect at rows 30 and 60
-- (R: t.test(y[t], y[!t]) and quantile(..., 0.5) over the first 30 and 60 rows)
SELECT i, sig((a).estimate) AS ate, sig((q).estimate) AS median_effect
FROM (SELECT i, ate(y, t) OVER (ORDER BY i) a, qte(y, t, 0.5) OVER (ORDER BY i) q FROM w) s
WHERE i IN (30, 60) ORDER BY i;
