-- hte demo: real trial data, real answers, in SQL.  Each analysis is printed
-- with its query (\set ECHO queries), then its result.
\set ON_ERROR_STOP on
\pset null '(null)'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hte;

\echo
\echo 'Loading the shipped data (test/data/): Project STAR, the Tennessee class-size experiment'
\echo '(kindergarten, 3,743 pupils), and NSW, a job-training experiment (445 people).'
CREATE TEMP TABLE star (
    id int, y float8, treated boolean, stark text, readk float8, mathk float8,
    gender text, ethnicity text, birth float8, lunchk text, schoolk text,
    degreek text, ladderk text, experiencek float8, tethnicityk text,
    systemk int, schoolidk int);
\copy star FROM 'test/data/star.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE nsw (
    id int, treat boolean, age int, educ int, race text, married int,
    nodegree int, re74 float8, re75 float8, re78 float8, u74 int, u75 int);
\copy nsw FROM 'test/data/nsw.csv' (FORMAT csv, HEADER)
CREATE TEMP TABLE nsw_psid (
    id text, treat boolean, age int, educ int, race text, married int,
    nodegree int, re74 float8, re75 float8, re78 float8);
\copy nsw_psid FROM 'test/data/nsw_psid.csv' (FORMAT csv, HEADER)

-- From here on psql prints each query before its result.
\set ECHO queries

\echo
\echo '1. Do small classes raise kindergarten test scores (reading + maths)?'
\echo
\x on
SELECT (ate(y, treated)).* FROM star;
\x off

\echo '2. The same effect by school type: one aggregate per group, one scan'
\echo
SELECT schoolk AS school,
       round(estimate::numeric, 2) AS effect, round(std_error::numeric, 2) AS se,
       round(ci_lower::numeric, 2) AS ci_lower, round(ci_upper::numeric, 2) AS ci_upper,
       to_char(p_value, '9.99EEEE') AS p_value, n_treated, n_control
FROM (SELECT schoolk, (ate(y, treated)).* FROM star GROUP BY schoolk) r
ORDER BY schoolk;

\echo '3. For whom? Effects by background, Holm-adjusted (cate_by)'
\echo '   Thin subgroups get NULLs, not errors: hispanic has no control pupil.'
\echo
SELECT subgroup AS ethnicity, round(estimate::numeric, 1) AS effect, round(std_error::numeric, 1) AS se,
       to_char(p_value, '9.99EEEE') AS p_value, to_char(p_adjusted, '9.99EEEE') AS p_holm,
       n_treated, n_control
FROM (SELECT (unnest(cate_by(y, treated, ethnicity))).* FROM star) r;
SELECT subgroup AS free_lunch, round(estimate::numeric, 1) AS effect, round(std_error::numeric, 1) AS se,
       to_char(p_value, '9.99EEEE') AS p_value, to_char(p_adjusted, '9.99EEEE') AS p_holm
FROM (SELECT (unnest(cate_by(y, treated, lunchk))).* FROM star) r;

\echo '4. Does the effect really differ across the 79 schools (78 with a standard error)?'
\echo
\x on
SELECT (heterogeneity_test(y, treated, schoolidk)).* FROM star;
\x off
\echo '   In how many schools is the effect significant, one by one and after a'
\echo '   false-discovery-rate adjustment (fdr, as R calls Benjamini-Hochberg)?'
\echo
SELECT count(p_value) AS schools_with_p, count(*) FILTER (WHERE p_value < 0.05) AS p_below_5pct,
       count(*) FILTER (WHERE p_adjusted < 0.05) AS fdr_below_5pct
FROM (SELECT (unnest(cate_by(y, treated, schoolidk, 'fdr'))).* FROM star) r;

\echo '5. Does the effect change with the teacher''s experience? (interaction_test, HC2)'
\echo
\x on
SELECT (interaction_test(y, treated, experiencek, 'HC2')).* FROM star;
\x off

\echo '6. A treatment stored as text: hte does not guess which arm is treated ...'
\echo
\set ON_ERROR_STOP off
SELECT (ate(y, stark)).* FROM star;
\set ON_ERROR_STOP on
\echo
\echo '   ... compare it with the treated arm''s value instead: the same numbers as in 1.'
\echo
SELECT round(estimate::numeric, 2) AS effect, round(std_error::numeric, 2) AS se, n_treated, n_control
FROM (SELECT (ate(y, stark = 'small')).* FROM star) r;

\echo '7. Job training (NSW experiment): effect on 1978 earnings, US dollars'
\echo
SELECT round(estimate::numeric, 2) AS effect, round(std_error::numeric, 2) AS se,
       round(ci_lower::numeric, 2) AS ci_lower, round(ci_upper::numeric, 2) AS ci_upper,
       round(p_value::numeric, 4) AS p_value, round(df::numeric, 1) AS df, n_treated, n_control
FROM (SELECT (ate(re78, treat)).* FROM nsw) r;

\echo '8. Where in the earnings distribution does training land? (qte at the deciles)'
\echo
SELECT q.quantile, round(q.quantile_treated::numeric, 0) AS trained, round(q.quantile_control::numeric, 0) AS control,
       round(q.estimate::numeric, 0) AS qte, round(q.std_error::numeric, 0) AS se,
       round(q.ci_lower::numeric, 0) AS ci_lower, round(q.ci_upper::numeric, 0) AS ci_upper,
       round(q.p_value::numeric, 3) AS p_value
FROM (SELECT qte(re78, treat, ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS r FROM nsw) s,
     unnest(s.r) q;

\echo '9. Is one constant effect for everyone plausible? (homogeneity_test)'
\echo
\x on
SELECT (homogeneity_test(re78, treat)).* FROM nsw;
\x off

\echo '10. A boolean outcome gives the risk difference: the share with any 1978 earnings'
\echo
SELECT round(mean_treated::numeric, 3) AS p_trained, round(mean_control::numeric, 3) AS p_control,
       round(estimate::numeric, 3) AS risk_difference,
       round(ci_lower::numeric, 3) AS ci_lower, round(ci_upper::numeric, 3) AS ci_upper,
       round(p_value::numeric, 4) AS p_value
FROM (SELECT (ate(re78 > 0, treat)).* FROM nsw) r;

\echo '11. The confidence level is a setting: 90% intervals'
\echo
SET hte.confidence_level = 0.90;
SELECT round(estimate::numeric, 2) AS effect,
       round(ci_lower::numeric, 2) AS ci90_lower, round(ci_upper::numeric, 2) AS ci90_upper
FROM (SELECT (ate(re78, treat)).* FROM nsw) r;
RESET hte.confidence_level;
\echo

\echo '12. Why randomization matters: the same trainees against observational (PSID) controls'
\echo
SELECT 'experimental controls (NSW)' AS comparison, round(estimate::numeric, 0) AS naive_effect,
       round(ci_lower::numeric, 0) AS ci_lower, round(ci_upper::numeric, 0) AS ci_upper
FROM (SELECT (ate(re78, treat)).* FROM nsw) r
UNION ALL
SELECT 'observational controls (PSID)', round(estimate::numeric, 0),
       round(ci_lower::numeric, 0), round(ci_upper::numeric, 0)
FROM (SELECT (ate(re78, treat)).* FROM nsw_psid) r;

\echo '13. Results are composite values: JSON for an API or a BI tool'
\echo
SELECT jsonb_pretty(to_jsonb(ate(re78, treat))) AS ate_json FROM nsw;

\echo '14. Pictures: a forest plot of the subgroups in psql ...'
\echo
SELECT forest_plot_text(cate_by(y, treated, schoolk),
                        '{"title": "Project STAR: small classes by school type"}') FROM star
\g (format=unaligned tuples_only=on)

\echo '... and as SVG files for a browser, a notebook or a report (the README shows these two)'
\echo
-- The README's images; test/pictures.sh checks that the files are what these queries draw.
-- star_by_school.svg: SELECT forest_plot(cate_by(y, treated, schoolk), '{"title": "Project STAR: effect of small classes by school type", "xlabel": "Test score points (reading + maths), 95% CI"}') FROM star
-- nsw_qte.svg: SELECT qte_plot(qte(re78, treat, ARRAY[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]), '{"title": "NSW job training: effect on 1978 earnings across the distribution", "ylabel": "Effect on earnings (US$)", "overall": {"label": "ATE (difference in means)", "estimate": 1794.34}}') FROM nsw
\pset format unaligned
\pset tuples_only on
\o test/pictures/star_by_school.svg
SELECT forest_plot(cate_by(y, treated, schoolk), '{"title": "Project STAR: effect of small classes by school type", "xlabel": "Test score points (reading + maths), 95% CI"}') FROM star;
\o test/pictures/nsw_qte.svg
SELECT qte_plot(qte(re78, treat, ARRAY[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]), '{"title": "NSW job training: effect on 1978 earnings across the distribution", "ylabel": "Effect on earnings (US$)", "overall": {"label": "ATE (difference in means)", "estimate": 1794.34}}') FROM nsw;
\o
\pset format aligned
\pset tuples_only off
\echo 'Wrote test/pictures/star_by_school.svg and test/pictures/nsw_qte.svg: open them in a browser.'
