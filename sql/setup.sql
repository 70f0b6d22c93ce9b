-- Shared fixtures for the regression tests: the shipped real trial data.
-- Paths are relative to the directory pg_regress runs in (the source tree).
\set ECHO none
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
ANALYZE star;
ANALYZE nsw;
-- Significant-digit rounding for stable output: 10 significant digits.
CREATE FUNCTION sig(x float8, digits int DEFAULT 10) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN x = 0 THEN 0::numeric
           ELSE round(x::numeric, digits - 1 - floor(log(abs(x)::numeric))::int) END $$;
-- SQLSTATE of a statement, to check error codes under any verbosity.
CREATE FUNCTION sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
\set ECHO all
SELECT count(*) AS star_rows, count(*) FILTER (WHERE treated) AS star_small FROM star;
SELECT count(*) AS nsw_rows, count(*) FILTER (WHERE treat) AS nsw_trained FROM nsw;
