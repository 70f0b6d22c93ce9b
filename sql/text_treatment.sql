-- A text-coded treatment ('A'/'B', 'treated'/'control') gets hte's own
-- error (42804 datatype_mismatch) whose hint shows the idiom that works,
-- from every aggregate, for text, varchar and char columns and for an
-- untyped literal, on rows and on an empty input; and the idiom itself
-- gives the same numbers as a boolean treatment.
CREATE TEMP TABLE arms AS
SELECT g AS id, (g % 7)::float8 + g * 0.25 AS y,
       CASE WHEN g % 2 = 0 THEN 'A' ELSE 'B' END AS arm,
       (CASE WHEN g % 2 = 0 THEN 'treated' ELSE 'control' END)::varchar(10) AS arm_v,
       (CASE WHEN g % 2 = 0 THEN 'T' ELSE 'C' END)::char(1) AS arm_c,
       g % 3 AS s, g * 0.5 AS x
FROM generate_series(1, 40) g;

\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT ate(y, arm) FROM arms;
SELECT interaction_test(y, arm, x, 'HC2') FROM arms;
SELECT cate_by(y, arm_v, s) FROM arms;
SELECT qte(y, arm_c, ARRAY[0.25, 0.5]) FROM arms;
-- an empty input: the same error, not a NULL that hides the mistake
SELECT homogeneity_test(y, arm) FROM arms WHERE false;
\set VERBOSITY terse

SELECT label, sqlstate_of(stmt) AS sqlstate FROM (VALUES
  ('ate float8',          $$SELECT ate(y, arm) FROM arms$$),
  ('ate boolean y',       $$SELECT ate(y > 5, arm) FROM arms$$),
  ('ate varchar',         $$SELECT ate(y, arm_v) FROM arms$$),
  ('ate char',            $$SELECT ate(y, arm_c) FROM arms$$),
  ('ate literal',         $$SELECT ate(y, 'A') FROM arms$$),
  ('ate NULL text',       $$SELECT ate(y, NULL::text) FROM arms$$),
  ('ate empty',           $$SELECT ate(y, arm) FROM arms WHERE false$$),
  ('interaction 3',       $$SELECT interaction_test(y, arm, x) FROM arms$$),
  ('interaction 4',       $$SELECT interaction_test(y, arm, x, 'HC1') FROM arms$$),
  ('interaction 4 empty', $$SELECT interaction_test(y, arm, x, 'HC1') FROM arms WHERE false$$),
  ('cate_by',             $$SELECT cate_by(y, arm, s) FROM arms$$),
  ('cate_by method',      $$SELECT cate_by(y, arm, s, 'BH') FROM arms$$),
  ('cate_by empty',       $$SELECT cate_by(y, arm, s) FROM arms WHERE false$$),
  ('heterogeneity',       $$SELECT heterogeneity_test(y, arm, s) FROM arms$$),
  ('heterogeneity empty', $$SELECT heterogeneity_test(y, arm, s) FROM arms WHERE false$$),
  ('qte',                 $$SELECT qte(y, arm, 0.5) FROM arms$$),
  ('qte array',           $$SELECT qte(y, arm, ARRAY[0.5]) FROM arms$$),
  ('qte empty',           $$SELECT qte(y, arm, 0.5) FROM arms WHERE false$$),
  ('homogeneity',         $$SELECT homogeneity_test(y, arm) FROM arms$$),
  ('window',              $$SELECT ate(y, arm) OVER (ORDER BY id) FROM arms$$),
  ('group by',            $$SELECT s, ate(y, arm) FROM arms GROUP BY s$$)
) c(label, stmt);

-- The idiom: arm = 'A' is the boolean treatment, with the same results.
SELECT ate(y, arm = 'A') = ate(y, id % 2 = 0) AS ate_same,
       interaction_test(y, arm = 'A', x, 'HC2') = interaction_test(y, id % 2 = 0, x, 'HC2') AS interaction_same,
       cate_by(y, arm_v = 'treated', s) = cate_by(y, id % 2 = 0, s) AS cate_by_same,
       qte(y, arm_c = 'T', ARRAY[0.25, 0.5]) = qte(y, id % 2 = 0, ARRAY[0.25, 0.5]) AS qte_same,
       (ate(y, arm = 'A')).n_treated AS n_treated
FROM arms;
-- ... and arm = 'B' swaps the arms: the opposite estimate
SELECT (ate(y, arm = 'B')).estimate = -(ate(y, arm = 'A')).estimate AS swapped FROM arms;
