-- Fixtures of test/pictures.sh (run from the source tree's top).
CREATE EXTENSION IF NOT EXISTS hte;
CREATE TABLE star (
    id int, y float8, treated boolean, stark text, readk float8, mathk float8,
    gender text, ethnicity text, birth float8, lunchk text, schoolk text,
    degreek text, ladderk text, experiencek float8, tethnicityk text,
    systemk int, schoolidk int);
\copy star FROM 'test/data/star.csv' (FORMAT csv, HEADER)
CREATE TABLE nsw (
    id int, treat boolean, age int, educ int, race text, married int,
    nodegree int, re74 float8, re75 float8, re78 float8, u74 int, u75 int);
\copy nsw FROM 'test/data/nsw.csv' (FORMAT csv, HEADER)
-- cate_by's subgroups of STAR by a column, in its order
CREATE FUNCTION star_cate(col text) RETURNS TABLE (subgroup text, estimate float8, ci_lower float8, ci_upper float8)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'SELECT s.subgroup, s.estimate, s.ci_lower, s.ci_upper FROM (SELECT cate_by(y, treated, %I) AS c FROM star) t, unnest(t.c) s', col);
END $$;
-- risk ratios with counts and labels of every length
CREATE TABLE ratios (k int, label text, rr float8, lo float8, hi float8, n bigint);
INSERT INTO ratios VALUES
    (1, 'A', 0.70, 0.45, 1.10, 400),
    (2, 'a much longer subgroup label than the others', 0.90, 0.62, 1.30, 12345),
    (3, 'Women, 65 and over, with diabetes', 1.45, 1.02, 2.06, 87),
    (4, 'not estimable here', NULL, NULL, NULL, 3),
    (5, 'x', 0.35, 0.12, 1.02, 1000000);
CREATE TABLE studies (study text, est float8, se float8);
INSERT INTO studies VALUES ('A', 1.2, 0.5), ('B', 0.4, 0.3), ('C', 2.0, 0.9), ('D', -0.3, 0.6);
