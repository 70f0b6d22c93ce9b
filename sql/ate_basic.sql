-- ate() on the shipped real data.  Every number here was checked against R
-- (t.test(var.equal = FALSE) and estimatr::difference_in_means); the test
-- suite's R cross-check (test/r) compares all columns to 1e-9 relative.

-- Project STAR: kindergarten reading + maths score, small vs regular class.
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error,
       sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper,
       sig(p_value) AS p_value, sig(df) AS df, n_treated, n_control,
       sig(mean_treated) AS mean_treated, sig(mean_control) AS mean_control,
       sig(sd_treated) AS sd_treated, sig(sd_control) AS sd_control
FROM (SELECT (ate(y, treated)).* FROM star) r;

-- NSW: 1978 earnings, job training vs control (experimental benchmark ~ $1,794).
SELECT sig(estimate) AS estimate, sig(std_error) AS std_error,
       sig(ci_lower) AS ci_lower, sig(ci_upper) AS ci_upper,
       sig(p_value) AS p_value, sig(df) AS df, n_treated, n_control
FROM (SELECT (ate(re78, treat)).* FROM nsw) r;

-- Boolean outcome: risk difference of any earnings in 1978.
SELECT sig(estimate) AS risk_difference, sig(std_error) AS std_error,
       sig(p_value) AS p_value, sig(mean_treated) AS p_treated, sig(mean_control) AS p_control
FROM (SELECT (ate(re78 > 0, treat)).* FROM nsw) r;

-- Integer-coded treatments give the same result as boolean ones.
SELECT (SELECT ate(y, treated) FROM star) = (SELECT ate(y, treated::int) FROM star) AS int4_same,
       (SELECT ate(y, treated) FROM star) = (SELECT ate(y, treated::int::smallint) FROM star) AS int2_same,
       (SELECT ate(y, treated) FROM star) = (SELECT ate(y, treated::int::bigint) FROM star) AS int8_same,
       (SELECT ate(re78 > 0, treat) FROM nsw) = (SELECT ate(re78 > 0, treat::int) FROM nsw) AS bool_outcome_int4_same;

-- Integer and numeric outcomes reach float8 by implicit cast.
SELECT sig(estimate) AS estimate FROM (SELECT (ate(mathk::int, treated)).* FROM star) r;
SELECT sig(estimate) AS estimate FROM (SELECT (ate(mathk::numeric, treated)).* FROM star) r;

-- The confidence level is read when the result is computed.
SET hte.confidence_level = 0.90;
SELECT sig(ci_lower) AS ci90_lower, sig(ci_upper) AS ci90_upper FROM (SELECT (ate(y, treated)).* FROM star) r;
SET hte.confidence_level = 0.99;
SELECT sig(ci_lower) AS ci99_lower, sig(ci_upper) AS ci99_upper FROM (SELECT (ate(y, treated)).* FROM star) r;
RESET hte.confidence_level;
SHOW hte.confidence_level;

-- GROUP BY: the effect of small classes by school type.
SELECT schoolk, sig(estimate, 6) AS estimate, sig(std_error, 6) AS std_error,
       sig(p_value, 6) AS p_value, n_treated, n_control
FROM (SELECT schoolk, (ate(y, treated)).* FROM star GROUP BY schoolk) r
ORDER BY schoolk;

-- The result is a composite: to_jsonb works and has the contract's keys.
SELECT jsonb_object_keys(to_jsonb(ate(y, treated))) AS key FROM star;
