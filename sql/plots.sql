-- Pictures (issue 16): forest_plot / forest_plot_text over result rows and
-- over cate_by's array, qte_plot / qte_plot_text over qte's array.
-- The text plots are shown; the SVG is checked for well-formedness and
-- content here (test/pictures.sh renders it in a browser and checks the
-- pixels).  The numbers a plot prints are compared with the aggregates that
-- made them, not with the plot's own output.
SET extra_float_digits = 0;

-- STAR by ethnicity, as text: counts, estimates, the overall effect
SELECT forest_plot_text(cate_by(y, treated, ethnicity),
                        '{"title": "Project STAR: small classes by ethnicity"}') FROM star;
-- ASCII, narrower, no overall row
SELECT forest_plot_text(cate_by(y, treated, gender),
                        '{"ascii": true, "width": 72, "overall": false}') FROM star;

-- the overall row is ate(y, treated) over all the subgroups' rows, rebuilt
-- from their arms: compare its printed numbers with ate's, at 6 decimals
WITH p AS (SELECT forest_plot_text(cate_by(y, treated, schoolk), '{"digits": 6}') AS t FROM star),
     line AS (SELECT substring(t FROM '\nOverall +[0-9]+  ([^\n]*?\))') AS est FROM p),
     a AS (SELECT ate(y, treated) AS r FROM star)
SELECT est = format('%s (%s, %s)', round(((r).estimate)::numeric, 6), round(((r).ci_lower)::numeric, 6),
                    round(((r).ci_upper)::numeric, 6)) AS overall_is_ate, est
FROM line, a;

-- every subgroup row prints cate_by's numbers (digits 4)
WITH p AS (SELECT forest_plot_text(cate_by(y, treated, lunchk), '{"digits": 4, "overall": false}') AS t,
                  cate_by(y, treated, lunchk) AS c FROM star)
SELECT bool_and(strpos(t, format('%s (%s, %s)', round(s.estimate::numeric, 4), round(s.ci_lower::numeric, 4),
                                 round(s.ci_upper::numeric, 4))) > 0) AS rows_printed,
       count(*) AS subgroups
FROM p, unnest(c) s;

-- the aggregate over GROUP BY results, in cate_by's order, draws the very
-- same SVG as the array form (cate_by sorts by the subgroup, NULL last)
WITH g AS (SELECT schoolk, ate(y, treated) AS r FROM star GROUP BY schoolk),
     agg AS (SELECT forest_plot(schoolk, (r).estimate, (r).ci_lower, (r).ci_upper,
                                (r).n_treated + (r).n_control, '{"overall": false}'
                                ORDER BY schoolk NULLS LAST) AS svg FROM g),
     arr AS (SELECT forest_plot(cate_by(y, treated, schoolk), '{"overall": false}') AS svg FROM star)
SELECT agg.svg = arr.svg AS aggregate_equals_array, xml_is_well_formed_document(agg.svg) AS well_formed
FROM agg, arr;

-- the pooled row of the aggregate is the inverse-variance pooled estimate:
-- with normal intervals est ± z·se it equals heterogeneity_test(estimate,
-- std_error)'s pooled estimate and interval
CREATE TEMP TABLE studies (study text, est float8, se float8);
INSERT INTO studies VALUES ('A', 1.2, 0.5), ('B', 0.4, 0.3), ('C', 2.0, 0.9), ('D', -0.3, 0.6);
WITH z AS (SELECT 1.959963984540054 AS z),
     p AS (SELECT forest_plot_text(study, est, est - z * se, est + z * se, '{"digits": 6}' ORDER BY study) AS t
           FROM studies, z),
     h AS (SELECT heterogeneity_test(est, se) AS r FROM studies)
SELECT substring(t FROM 'Pooled \(fixed effect\) +([^\n]*?\))') =
       format('%s (%s, %s)', round(((r).pooled_estimate)::numeric, 6),
              round(((r).pooled_estimate - z * (r).pooled_std_error)::numeric, 6),
              round(((r).pooled_estimate + z * (r).pooled_std_error)::numeric, 6)) AS pooled_is_meta
FROM p, h, z;
SELECT forest_plot_text(study, est, est - 1.96 * se, est + 1.96 * se ORDER BY est DESC) FROM studies;

-- a log scale for ratios, with counts, a given overall and a reference line
SELECT forest_plot_text(s, rr, lo, hi, n,
         '{"log_scale": true, "xlabel": "Risk ratio", "overall": {"label": "All", "estimate": 0.8, "ci_lower": 0.6, "ci_upper": 1.05, "n": 900}}'
         ORDER BY s)
FROM (VALUES ('age < 50', 0.7, 0.45, 1.1, 400::bigint), ('age >= 50', 0.9, 0.62, 1.3, 500)) v(s, rr, lo, hi, n);

-- not estimable rows are shown, not dropped; NULL labels read NULL
SELECT forest_plot_text(l, e, lo, hi ORDER BY l NULLS LAST)
FROM (VALUES ('a', 1.0, 0.5, 1.5), ('b', NULL, NULL, NULL), ('c', 2.0, NULL, NULL),
             (NULL, 0.5, 0.0, 1.0)) v(l, e, lo, hi);

-- QTE profile of the NSW experiment, as text; the quantiles in any order
SELECT qte_plot_text(qte(re78, treat, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]),
                     '{"overall": {"label": "ATE", "estimate": 1794.34}}') FROM nsw;
SELECT qte_plot(qte(re78, treat, ARRAY[0.9, 0.5, 0.1])) = qte_plot(qte(re78, treat, ARRAY[0.1, 0.5, 0.9]))
       AS order_free,
       xml_is_well_formed_document(qte_plot(qte(re78, treat, ARRAY[0.05, 0.1, 0.5, 0.95]))) AS well_formed
FROM nsw;
-- its points and band: one circle per estimable quantile
SELECT (SELECT count(*) FROM regexp_matches(qte_plot(qte(re78, treat, ARRAY[0.1, 0.3, 0.5, 0.7, 0.9])),
                                            '<circle class="point"', 'g')) AS points,
       (SELECT count(*) FROM regexp_matches(qte_plot(qte(re78, treat, ARRAY[0.1, 0.3, 0.5, 0.7, 0.9])),
                                            '<polygon class="band"', 'g')) AS bands
FROM nsw;

-- labels stay text: markup is escaped, non-ASCII becomes character references
SELECT xml_is_well_formed_document(svg) AS well_formed,
       strpos(svg, '<script') = 0 AS no_script_element,
       strpos(svg, '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;') > 0 AS escaped,
       strpos(svg, 'K&#xF6;ln') > 0 AS non_ascii_referenced,
       svg ~ '^[\x01-\x7f]*$' AS ascii_only
FROM (SELECT forest_plot(l, 1.0, 0.0, 2.0, '{"title": "<b>T</b>"}' ORDER BY l) AS svg
      FROM (VALUES ('<script>alert(1)</script> & "q"'), ('Köln')) v(l)) s;
-- a long label is cut with an ellipsis and kept whole in a tooltip
SELECT strpos(svg, 'aaaaaaaaaa&#x2026;</text>') > 0 AS cut, strpos(svg, '<title>' || repeat('a', 60) || '</title>') > 0 AS tooltip
FROM (SELECT forest_plot(repeat('a', 60), 1.0, 0.0, 2.0) AS svg) s;

-- edge cases: no rows, one row, zero-width intervals, huge and tiny magnitudes
SELECT forest_plot(l, e, lo, hi) IS NULL AS no_rows FROM (SELECT 'a', 1.0::float8, 0.0::float8, 1.0::float8 WHERE false) v(l, e, lo, hi);
SELECT forest_plot_text('only', 2.5, 2.5, 2.5);
SELECT forest_plot_text(l, e, e - abs(e) * 0.1, e + abs(e) * 0.1 ORDER BY l)
FROM (VALUES ('a', 1e300), ('b', 2e300), ('c', -1e300)) v(l, e);
SELECT forest_plot_text(l, e, e - 1e-300, e + 1e-300 ORDER BY l)
FROM (VALUES ('a', 1e-299), ('b', 3e-299)) v(l, e);
SELECT xml_is_well_formed_document(forest_plot(l, e, lo, hi)) AS all_not_estimable
FROM (VALUES ('a', NULL::float8, NULL::float8, NULL::float8)) v(l, e, lo, hi);
SELECT forest_plot(NULL::hte_subgroup[]) IS NULL AS null_array, forest_plot_text(NULL::hte_subgroup[]) IS NULL AS null_array_text,
       qte_plot(NULL::hte_qte[]) IS NULL AS null_qte, forest_plot('{}'::hte_subgroup[]) IS NULL AS empty_array;
-- a subgroup with an empty arm: not estimable, the overall still there
SELECT forest_plot_text(cate_by(y, treated, g), '{"width": 80}')
FROM (VALUES (1.0, true, 'x'), (2.0, false, 'x'), (3.0, true, 'x'), (1.5, false, 'x'), (5.0, true, 'y')) v(y, treated, g);

-- errors, with their SQLSTATEs
SELECT forest_plot('a', 'NaN', 0, 1);
SELECT forest_plot('a', 1, 2, 0);
SELECT forest_plot('a', 1, -1, 2, '{"log_scale": true}');
SELECT forest_plot('a', 1, 0, 2, '{"colour": "red"}');
SELECT forest_plot('a', 1, 0, 2, '{"width": 10}');
SELECT forest_plot('a', 1, 0, 2, '[1]');
SELECT forest_plot_text('a', 1, 0, 2, '{"height": 300}');
SELECT qte_plot(qte(re78, treat, ARRAY[0.5]), '{"log_scale": true}') FROM nsw;
SELECT forest_plot(l, 1, 0, 2, o) FROM (VALUES ('a', '{}'::jsonb), ('b', '{"width": 800}')) v(l, o);
SELECT forest_plot('a', 1, 0, 2, -1::bigint, '{}');
SELECT sqlstate_of($$SELECT forest_plot('a', 'Infinity', 0, 1)$$) AS infinite,
       sqlstate_of($$SELECT forest_plot('a', 1, 2, 0)$$) AS reversed,
       sqlstate_of($$SELECT forest_plot('a', 1, 0, 2, '{"nope": 1}')$$) AS unknown_option,
       sqlstate_of($$SELECT forest_plot(i::text, 1, 0, 2) FROM generate_series(1, 5001) i$$) AS too_many_rows,
       sqlstate_of($$SELECT forest_plot('a', 1, 0, 2, '{"height": 130}')$$) AS too_short;

-- parallel: workers' kept rows serialized and combined (the rows alike, as
-- their order across workers is the scan's); with the rows' scan order
-- unspecified, as for array_agg
CREATE TABLE plot_rows AS SELECT 'same'::text AS l, 1.5::float8 AS e, 0.5::float8 AS lo, 2.5::float8 AS hi, 10::bigint AS n
FROM generate_series(1, 4000);
ANALYZE plot_rows;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE plot_serial AS SELECT forest_plot(l, e, lo, hi, n, '{}') AS svg, forest_plot_text(l, e, lo, hi) AS txt FROM plot_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT forest_plot(l, e, lo, hi, n, '{}') FROM plot_rows;
SELECT p.svg = s.svg AS svg_parallel_equals_serial, p.txt = s.txt AS text_parallel_equals_serial
FROM (SELECT forest_plot(l, e, lo, hi, n, '{}') AS svg, forest_plot_text(l, e, lo, hi) AS txt FROM plot_rows) p, plot_serial s;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE plot_rows;
