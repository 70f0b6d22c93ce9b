-- causal_forest, hte_forest, cate and forest_summary: behaviour and
-- invariances.  The numbers themselves are checked elsewhere: trees exactly
-- against a brute-force R reference (test/r/check_forest_tree.R), the whole
-- forest statistically against known effects (test/r/check_forest.R).
-- Small forests (200 trees) on NSW keep this quick.
CREATE TEMP TABLE fx AS
SELECT id, re78 AS y, treat, ARRAY[age, educ, married, nodegree, re74, re75]::float8[] AS x
FROM nsw;
CREATE TEMP TABLE fm AS
SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 7}') AS model FROM fx;

-- the same rows in any order give the identical model
SELECT (SELECT model::text FROM fm) =
       (SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 7}')::text
        FROM (SELECT * FROM fx ORDER BY md5(id::text)) s) AS permuted_identical;
-- an integer treatment: the same forest
SELECT (SELECT model::text FROM fm) =
       (SELECT causal_forest(y, treat::int, x, '{"num_trees": 200, "seed": 7}')::text FROM fx) AS int_identical;
-- parallel workers (the kept rows serialized) give the identical model
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
CREATE TABLE fpar AS SELECT * FROM fx;  -- temp tables are not scanned in parallel
ANALYZE fpar;
EXPLAIN (COSTS OFF) SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 7}') FROM fpar;
SELECT (SELECT model::text FROM fm) =
       (SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 7}')::text FROM fpar) AS parallel_identical;
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
-- another seed, another forest
SELECT (SELECT model::text FROM fm) <>
       (SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 8}')::text FROM fx) AS seed_matters;

-- the summary: sane ranges (NSW's experimental ATE is about 1,800 dollars)
SELECT num_trees, n, ate BETWEEN 500 AND 3000 AS ate_plausible,
       ate_std_error BETWEEN 400 AND 1200 AS se_plausible,
       att_std_error > 0 AND atu_std_error > 0 AS att_atu_se,
       array_length(variable_importance, 1) AS p,
       abs((SELECT sum(v) FROM unnest(variable_importance) v) - 1) < 1e-12 AS importance_sums_to_1,
       calibration_mean BETWEEN 0 AND 2 AS calibration_plausible,
       calibration_differential_p_value BETWEEN 0 AND 1 AS p_in_range
FROM fm, forest_summary(model);
-- cate at every row: finite, positive standard errors; its mean near the ATE
SELECT count(*) AS rows, count(c.estimate) AS estimates, bool_and(c.std_error > 0) AS se_positive,
       abs(avg(c.estimate) - (SELECT ate FROM fm, forest_summary(model))) < 500 AS mean_near_ate
FROM fm, fx, cate(fm.model, fx.x) c;
-- the model as a table column (TOASTed, read by its TOAST pointer) predicts the same
CREATE TABLE fstore (name text, model hte_forest);
INSERT INTO fstore SELECT 'nsw', model FROM fm;
SELECT pg_column_size(model) > 8192 AS out_of_line, model::text = (SELECT model::text FROM fm) AS same
FROM fstore;
SELECT bool_and(a.estimate = b.estimate AND a.std_error = b.std_error) AS stored_predicts_same
FROM fx, fm, fstore, cate(fm.model, fx.x) a, cate(fstore.model, fx.x) b;
-- text round trip (pg_dump's path) and binary COPY (send and receive)
SELECT (SELECT model::text::hte_forest::text FROM fm) = (SELECT model::text FROM fm) AS text_round_trip;
\copy (SELECT name, model FROM fstore) TO 'results/forest_model.bin' (FORMAT binary)
CREATE TABLE fstore2 (name text, model hte_forest);
\copy fstore2 FROM 'results/forest_model.bin' (FORMAT binary)
SELECT a.model::text = b.model::text AS binary_round_trip FROM fstore a, fstore2 b;

-- NULLs: rows with a NULL outcome, treatment, array or element are skipped;
-- cate of an array with a NULL is NULL
SELECT (SELECT model::text FROM fm) =
       (SELECT causal_forest(y, treat, x, '{"num_trees": 200, "seed": 7}')::text FROM
          (SELECT y, treat, x FROM fx UNION ALL
           SELECT NULL, true, ARRAY[1,2,3,4,5,6]::float8[] UNION ALL
           SELECT 1, NULL, ARRAY[1,2,3,4,5,6]::float8[] UNION ALL
           SELECT 1, true, NULL UNION ALL
           SELECT 1, true, ARRAY[1,2,NULL,4,5,6]::float8[]) s) AS nulls_skipped;
SELECT c IS NULL AS null_element FROM fm, cate(model, ARRAY[1,2,NULL,4,5,6]::float8[]) c;
-- no rows, one arm, too few rows for the honest halves: no model
SELECT causal_forest(y, treat, x) IS NULL AS no_rows FROM fx WHERE false;
SELECT causal_forest(y, treat, x, '{"num_trees": 50}') IS NULL AS one_arm FROM fx WHERE treat;
SELECT causal_forest(y, treat, x, '{"num_trees": 50}') IS NULL AS three_rows FROM (SELECT * FROM fx LIMIT 3) s;
-- the defaults: grf's (2000 trees; mtry = 6 for 6 covariates)
SELECT num_trees FROM (SELECT causal_forest(y, treat, x, '{"num_trees": 3}') AS m FROM fx) s, forest_summary(m);

-- errors
SELECT causal_forest(y, treat, x, '{"trees": 10}') FROM fx;
SELECT causal_forest(y, treat, x, '{"alpha": 0.3}') FROM fx;
SELECT causal_forest(y, treat, x, '{"num_trees": 10.5}') FROM fx;
SELECT causal_forest(y, treat, x, '{"honesty": 1}') FROM fx;
SELECT causal_forest(y, treat, x, '{"sample_fraction": 0.8}') FROM fx;
SELECT causal_forest(y, treat, x, '[1, 2]') FROM fx;
SELECT causal_forest(y, treat, x, NULL) FROM fx;
SELECT causal_forest(y, treat, x, jsonb_build_object('seed', id % 2)) FROM fx;
SELECT causal_forest(y, treat, x[1:2 + id % 2]) FROM fx;
SELECT causal_forest(y, treat, ARRAY[]::float8[]) FROM fx;
SELECT causal_forest(y, treat, ARRAY[y, 'NaN']) FROM fx;
SELECT causal_forest(y, treat::int * 2, x) FROM fx;
SELECT causal_forest(y, treat, x, '{"max_model_mb": 0.1}') FROM fx;
SELECT cate(model, ARRAY[1, 2]) FROM fm;
SELECT cate(model, ARRAY[1, 2, 3, 4, 5, 'Infinity'::float8]) FROM fm;
SELECT 'AAAA'::hte_forest;
SELECT 'not base64!'::hte_forest;
SELECT left(model::text, 2000)::hte_forest FROM fm;
SELECT sqlstate_of($$SELECT causal_forest(y, treat, x, '{"trees": 10}') FROM fx$$) AS unknown_option,
       sqlstate_of($$SELECT causal_forest(y, treat, x, '{"max_model_mb": 0.1}') FROM fx$$) AS too_large,
       sqlstate_of($$SELECT 'AAAA'::hte_forest$$) AS bad_model,
       sqlstate_of($$SELECT 'A!AA'::hte_forest$$) AS bad_text;
DROP TABLE fpar, fstore, fstore2;
