-- Throws random and mutated float8[] states at every SQL-callable function
-- that takes one (any user can call them directly): hte_ate_final,
-- hte_ate_combine, hte_ate_trans (8 forms), hte_it_final, hte_it_combine,
-- hte_it_trans (4 forms).  Each call must return or raise a clean ERROR of
-- class 22 (data exception) or 54 (program limit); a returned row must
-- not lie (p-values in [0, 1], standard errors >= 0).  Prints
-- "arrays: N passed, M failed" (N counts calls).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hte;
SET client_min_messages = notice;
SELECT setseed(:seed);

-- a random double: ordinary, special and extreme values
CREATE FUNCTION pg_temp.rnd_double() RETURNS float8 LANGUAGE sql VOLATILE AS $$
  SELECT (ARRAY[random() * 10, -random() * 10, 0, '-0', 1, 2, 3, 'NaN', 'Infinity', '-Infinity',
                1e308, -1e308, 1.7976931348623157e308, 5e-324, 1e-310, 9007199254740992,
                9007199254740994, 0.5, -1, floor(random() * 1000),
                power(10::float8, floor(random() * 600 - 300)),
                -power(10::float8, floor(random() * 600 - 300))]::float8[])[1 + floor(random() * 22)::int] $$;

-- a random array: length 0..60, sometimes NULL elements, sometimes 2-D
CREATE FUNCTION pg_temp.rnd_array() RETURNS float8[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE n int := CASE WHEN random() < 0.5 THEN (ARRAY[11, 45, 47, 177])[1 + floor(random() * 4)::int]
                      ELSE floor(random() * 61)::int END;
        a float8[] := '{}';
BEGIN
  FOR i IN 1..n LOOP
    a := a || CASE WHEN random() < 0.02 THEN NULL ELSE pg_temp.rnd_double() END;
  END LOOP;
  IF random() < 0.3 AND n > 0 THEN a[1] := (ARRAY[1, 2])[1 + floor(random() * 2)::int]; END IF;
  IF random() < 0.03 AND n > 0 THEN RETURN ARRAY[a, a]; END IF;
  RETURN a;
END $$;

-- a valid state built by the transition functions, then mutated at 0..3 places
CREATE FUNCTION pg_temp.mutated(base float8[]) RETURNS float8[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE a float8[] := base;
BEGIN
  FOR i IN 1..floor(random() * 4)::int LOOP
    BEGIN
      a[1 + floor(random() * array_length(a, 1))::int] :=
        CASE WHEN random() < 0.5 THEN pg_temp.rnd_double()
             ELSE a[1 + floor(random() * array_length(a, 1))::int] * (ARRAY[-1, 2, 0.5, 1e300, 1 + 1e-15])[1 + floor(random() * 5)::int] END;
    EXCEPTION WHEN numeric_value_out_of_range THEN
      NULL;   -- the product overflowed: leave the element
    END;
  END LOOP;
  RETURN a;
END $$;

CREATE TEMP TABLE bases (kind text, s float8[]);
DO $$
DECLARE a float8[]; b float8[]; c float8[]; d float8[];
BEGIN
  FOR k IN 1..40 LOOP
    a := '{1,0,0,0,0,0,0,0,0,0,0}';
    b := array_fill(0::float8, ARRAY[47]); b[1] := 2;
    -- the buffered form an aggregate keeps (45 elements, rows pending)
    c := a || array_fill(0::float8, ARRAY[34]);
    d := b || array_fill(0::float8, ARRAY[130]);
    FOR r IN 1..floor(random() * 6)::int LOOP
      a := hte_ate_trans(a, random() * 100 - 50, random() < 0.5);
      b := hte_it_trans(b, random() * 100 - 50, random() < 0.5, random() * 10);
    END LOOP;
    FOR r IN 1..floor(random() * 40)::int LOOP
      c := hte_ate_trans(c, random() * 100 - 50, random() < 0.5);
    END LOOP;
    FOR r IN 1..floor(random() * 80)::int LOOP
      d := hte_it_trans(d, random() * 100 - 50, random() < 0.5, random() * 10);
    END LOOP;
    INSERT INTO bases VALUES ('ate', a), ('it', b), ('ate', c), ('it', d);
  END LOOP;
END $$;

CREATE TEMP TABLE outcome (fn text, state text, n int);
DO $$
DECLARE
  ok int := 0; bad int := 0; st text; a float8[]; b float8[]; r hte_ate; ri hte_interaction;
  iters int := current_setting('hte_test.iters')::int;
  fns text[] := ARRAY['ate_final', 'ate_combine', 'ate_trans', 'it_final', 'it_combine', 'it_trans'];
  fn text;
BEGIN
  FOR i IN 1..iters LOOP
    fn := fns[1 + (i % 6)];
    IF random() < 0.5 THEN
      a := pg_temp.rnd_array(); b := pg_temp.rnd_array();
    ELSE
      SELECT s INTO a FROM bases WHERE kind = CASE WHEN fn LIKE 'ate%' THEN 'ate' ELSE 'it' END ORDER BY random() LIMIT 1;
      SELECT s INTO b FROM bases WHERE kind = CASE WHEN fn LIKE 'ate%' THEN 'ate' ELSE 'it' END ORDER BY random() LIMIT 1;
      a := pg_temp.mutated(a);
      IF random() < 0.5 THEN b := pg_temp.mutated(b); END IF;
    END IF;
    BEGIN
      CASE fn
        WHEN 'ate_final' THEN
          r := hte_ate_final(a);
          IF r.p_value NOT BETWEEN 0 AND 1 OR r.std_error < 0 OR r.n_treated < 0 OR r.n_control < 0
             OR r.sd_treated < 0 OR r.sd_control < 0 OR r.ci_lower > r.ci_upper THEN
            RAISE WARNING 'ate_final lies: % -> %', a, r; bad := bad + 1; CONTINUE;
          END IF;
        WHEN 'ate_combine' THEN
          PERFORM hte_ate_combine(a, b);
        WHEN 'ate_trans' THEN
          CASE i % 8
            WHEN 0 THEN PERFORM hte_ate_trans(a, pg_temp.rnd_double(), random() < 0.5);
            WHEN 1 THEN PERFORM hte_ate_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int2);
            WHEN 2 THEN PERFORM hte_ate_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int4);
            WHEN 3 THEN PERFORM hte_ate_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int8);
            WHEN 4 THEN PERFORM hte_ate_trans(a, random() < 0.5, random() < 0.5);
            WHEN 5 THEN PERFORM hte_ate_trans(a, random() < 0.5, floor(random() * 3)::int2);
            WHEN 6 THEN PERFORM hte_ate_trans(a, random() < 0.5, floor(random() * 3)::int4);
            ELSE PERFORM hte_ate_trans(a, random() < 0.5, floor(random() * 3)::int8);
          END CASE;
          -- the result of a transition on a valid state is valid or an ERROR
          PERFORM hte_ate_final(hte_ate_trans(a, 1.0, true)) WHERE (SELECT true FROM bases WHERE s = a LIMIT 1);
        WHEN 'it_final' THEN
          ri := hte_it_final(a);
          IF ri.p_value NOT BETWEEN 0 AND 1 OR ri.std_error < 0 OR ri.effect_at_zero_se < 0
             OR ri.effect_at_mean_se < 0 OR ri.n_treated < 0 OR ri.ci_lower > ri.ci_upper THEN
            RAISE WARNING 'it_final lies: % -> %', a, ri; bad := bad + 1; CONTINUE;
          END IF;
        WHEN 'it_combine' THEN
          PERFORM hte_it_final(hte_it_combine(a, b));
        ELSE
          CASE i % 4
            WHEN 0 THEN PERFORM hte_it_trans(a, pg_temp.rnd_double(), random() < 0.5, pg_temp.rnd_double());
            WHEN 1 THEN PERFORM hte_it_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int2, pg_temp.rnd_double());
            WHEN 2 THEN PERFORM hte_it_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int4, pg_temp.rnd_double());
            ELSE PERFORM hte_it_trans(a, pg_temp.rnd_double(), floor(random() * 3)::int8, pg_temp.rnd_double());
          END CASE;
      END CASE;
      st := 'returned';
    EXCEPTION WHEN OTHERS THEN
      st := SQLSTATE;
      IF left(st, 2) NOT IN ('22', '54') THEN
        RAISE WARNING '% raised % (%) on %, %', fn, SQLSTATE, SQLERRM, a, b;
        bad := bad + 1;
        INSERT INTO outcome VALUES (fn, st, 1);
        CONTINUE;
      END IF;
    END;
    ok := ok + 1;
    INSERT INTO outcome VALUES (fn, st, 1);
  END LOOP;
  RAISE NOTICE 'arrays: % passed, % failed', ok, bad;
END $$;
SELECT fn, state, sum(n) AS calls FROM outcome GROUP BY 1, 2 ORDER BY 1, 2;
