#!/usr/bin/env bash
# The upgrade path, against the cluster in the PG* environment (run it under
# pg_virtualenv, after `make install`):
#   1. a database with hte 1.0 (the frozen script, sql/hte--1.0.sql) computes
#      every aggregate on generated data, and keeps a view over ate();
#   2. ALTER EXTENSION hte UPDATE takes it to the default version;
#   3. its catalog, object by object (signature, kind, volatility,
#      strictness, parallel safety, C symbol, aggregate support functions
#      and initial states, result type columns, owner, ACL, comment), equals
#      that of a fresh CREATE EXTENSION hte in another database;
#   4. the results of step 1, the view, and a fresh install's results agree;
#   5. a rollup table of stored states survives pg_dump and restore bit for bit.
# Prints one line per check and "upgrade: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
old=hte_upgrade_from_1_0
new=hte_upgrade_fresh
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; for d in "$old" "$new" hte_upgrade_dump; do dropdb --if-exists "$d" 2>/dev/null; done' EXIT
check() {  # check NAME COMMAND...: a passing command counts as passed
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok   $name"; pass=$((pass + 1))
  else
    echo "FAIL $name"; sed 's/^/     /' "$tmp/out" | head -40; fail=$((fail + 1))
  fi
}
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$@"; }

default=$(sed -nE "s/^default_version *= *'([^']+)'.*/\1/p" hte.control)

# The catalog, one sorted line per property, with names instead of OIDs.
describe_sql=$(cat <<'EOF'
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'hte'),
m AS (
  SELECT d.classid, d.objid FROM pg_depend d, ext
  WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT line FROM (
  -- every member: what it is, its comment and its owner
  SELECT pg_describe_object(m.classid, m.objid, 0) || ' | comment ' ||
         coalesce(quote_literal(obj_description(m.objid, c.relname::name)), 'NULL') AS line
  FROM m JOIN pg_class c ON c.oid = m.classid
  UNION ALL
  SELECT format('function %s | kind %s | returns %s | args %s | volatility %s | parallel %s | strict %s | secdef %s | leakproof %s | cost %s | rows %s | lang %s | bin %s | src %s | config %s | owner %s | acl %s',
                p.oid::regprocedure, p.prokind, pg_get_function_result(p.oid),
                pg_get_function_arguments(p.oid), p.provolatile, p.proparallel, p.proisstrict,
                p.prosecdef, p.proleakproof, p.procost, p.prorows, l.lanname, p.probin, p.prosrc,
                p.proconfig, p.proowner::regrole, p.proacl)
  FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
         JOIN pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT format('aggregate %s | kind %s | direct %s | trans %s | final %s | combine %s | serial %s | deserial %s | mtrans %s | minvtrans %s | mfinal %s | finalextra %s | mfinalextra %s | finalmodify %s | mfinalmodify %s | sortop %s | stype %s | space %s | mstype %s | mspace %s | init %s | minit %s',
                a.aggfnoid::regprocedure, a.aggkind, a.aggnumdirectargs,
                a.aggtransfn::oid::regprocedure, nullif(a.aggfinalfn::oid, 0)::regprocedure,
                nullif(a.aggcombinefn::oid, 0)::regprocedure, nullif(a.aggserialfn::oid, 0)::regprocedure,
                nullif(a.aggdeserialfn::oid, 0)::regprocedure, nullif(a.aggmtransfn::oid, 0)::regprocedure,
                nullif(a.aggminvtransfn::oid, 0)::regprocedure, nullif(a.aggmfinalfn::oid, 0)::regprocedure,
                a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                nullif(a.aggsortop, 0)::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                nullif(a.aggmtranstype, 0)::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
  FROM m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
  UNION ALL
  SELECT format('type %s | kind %s | len %s | category %s | owner %s | acl %s | array %s',
                t.oid::regtype, t.typtype, t.typlen, t.typcategory, t.typowner::regrole, t.typacl,
                nullif(t.typarray, 0)::regtype)
  FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  UNION ALL
  SELECT format('column %s.%s | position %s | type %s | collation %s | comment %s',
                t.oid::regtype, att.attname, att.attnum, format_type(att.atttypid, att.atttypmod),
                nullif(att.attcollation, 0)::regcollation,
                coalesce(quote_literal(col_description(t.typrelid, att.attnum)), 'NULL'))
  FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
         JOIN pg_attribute att ON att.attrelid = t.typrelid AND att.attnum > 0 AND NOT att.attisdropped
  UNION ALL
  SELECT format('extension %s | version %s | relocatable %s | schema %s | config %s | owner %s',
                e.extname, e.extversion, e.extrelocatable, e.extnamespace::regnamespace, e.extconfig,
                e.extowner::regrole)
  FROM pg_extension e WHERE e.extname = 'hte'
) s ORDER BY line COLLATE "C";
EOF
)

# Results of every family on generated data (and the data itself).
setup_sql=$(cat <<'EOF'
CREATE TABLE d AS
SELECT g AS id, 50 + (g % 17) * 1.5 + (g % 2) * (3 + (g % 5)) + sin(g) * 4 AS y,
       g % 2 = 1 AS t, (g % 2)::int AS ti, (g % 5) AS s, (g % 11) * 0.7 AS x
FROM generate_series(1, 500) g;
CREATE VIEW effect AS SELECT (ate(y, t)).* FROM d;
EOF
)
results_sql=$(cat <<'EOF'
SELECT 'ate ' || ate(y, t)::text FROM d;
SELECT 'ate int ' || ate(y, ti)::text FROM d;
SELECT 'ate boolean ' || ate(y > 55, t)::text FROM d;
SELECT 'interaction ' || interaction_test(y, t, x)::text FROM d;
SELECT 'interaction HC2 ' || interaction_test(y, t, x, 'HC2')::text FROM d;
SELECT 'cate_by ' || cate_by(y, t, s)::text FROM d;
SELECT 'cate_by BY ' || cate_by(y, ti, s::text, 'BY')::text FROM d;
SELECT 'heterogeneity ' || heterogeneity_test(y, t, s)::text FROM d;
SELECT 'qte ' || qte(y, t, 0.5)::text FROM d;
SELECT 'qte[] ' || qte(y, t, ARRAY[0.1, 0.5, 0.9])::text FROM d;
SELECT 'homogeneity ' || homogeneity_test(y, t)::text FROM d;
SELECT 'p_adjust ' || p_adjust(ARRAY[0.01, 0.02, NULL, 0.5], 'hochberg')::text;
SELECT 'view ' || e::text FROM effect e;
EOF
)

for db in "$old" "$new"; do dropdb --if-exists "$db" 2>/dev/null; createdb "$db" || exit 1; done

check "CREATE EXTENSION hte VERSION '1.0'" q "$old" -c "CREATE EXTENSION hte VERSION '1.0'"
check "1.0 is installed" test "$(q "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")" = "1.0"
q "$old" -c "$setup_sql" && q "$old" -c "$results_sql" >"$tmp/results-1.0"
check "1.0 computes every aggregate" test "$(wc -l <"$tmp/results-1.0")" -eq 13
check "no 1.0 result is NULL" bash -c "! grep -q '^\$' '$tmp/results-1.0'"
q "$old" -c "$describe_sql" >"$tmp/catalog-1.0"
check "ALTER EXTENSION hte UPDATE" q "$old" -c "ALTER EXTENSION hte UPDATE"
check "updated to the default version $default" \
  test "$(q "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")" = "$default"
q "$old" -c "$describe_sql" >"$tmp/catalog-updated"
q "$old" -c "$results_sql" >"$tmp/results-updated"

check "CREATE EXTENSION hte (fresh $default)" q "$new" -c "CREATE EXTENSION hte"
q "$new" -c "$describe_sql" >"$tmp/catalog-fresh"
q "$new" -c "$setup_sql" && q "$new" -c "$results_sql" >"$tmp/results-fresh"

check "the catalog describes objects ($(wc -l <"$tmp/catalog-fresh") lines)" \
  test "$(wc -l <"$tmp/catalog-fresh")" -gt 100
check "updated catalog equals a fresh install's" diff "$tmp/catalog-fresh" "$tmp/catalog-updated"
check "1.0 results unchanged after the update (and the view still works)" \
  diff "$tmp/results-1.0" "$tmp/results-updated"
check "fresh install's results equal 1.0's" diff "$tmp/results-1.0" "$tmp/results-fresh"
# every 1.0 object is still there, unchanged but for its comment
check "every 1.0 object survives the update unchanged" \
  bash -c "comm -23 <(grep -v ' | comment ' '$tmp/catalog-1.0' | grep -v '^extension ') \
                    <(grep -v ' | comment ' '$tmp/catalog-updated' | grep -v '^extension ') | diff /dev/null -"
# the update script changes something: the updated catalog is not 1.0's
check "1.0 and $default catalogs differ" bash -c "! diff -q '$tmp/catalog-1.0' '$tmp/catalog-updated'"
# the check itself can fail: a comment changed after the update is caught
q "$old" -c "COMMENT ON AGGREGATE ate(float8, boolean) IS 'changed'"
q "$old" -c "$describe_sql" >"$tmp/catalog-changed"
check "a changed comment is detected" bash -c "! diff -q '$tmp/catalog-fresh' '$tmp/catalog-changed'"

# pg_dump and restore of a rollup table of stored states (custom format,
# and plain SQL, which goes through the types' text forms), under
# extra_float_digits = 0 on both sides: the states and the results come back
# bit for bit
dump=hte_upgrade_dump
rollup_sql=$(cat <<'EOF'
CREATE TABLE daily AS
SELECT s AS site, ate_state(y, t) AS s_ate, interaction_test_state(y, t, x) AS s_it,
       ate_state(y, t, ARRAY[x, x * x]) AS s_adj
FROM d GROUP BY s;
EOF
)
rollup_results=$(cat <<'EOF'
SET extra_float_digits = 3;
SELECT site, s_ate, s_it, s_adj FROM daily ORDER BY site;
SELECT ate(s_ate ORDER BY site), interaction_test(s_it ORDER BY site),
       ate(s_adj ORDER BY site), interaction_test(s_adj ORDER BY site) FROM daily;
EOF
)
q "$new" -c "$rollup_sql" && q "$new" -c "$rollup_results" >"$tmp/rollup-before"
for fmt in custom plain; do
  dropdb --if-exists "$dump" 2>/dev/null; createdb "$dump"
  if [ "$fmt" = custom ]; then
    PGOPTIONS="-c extra_float_digits=0" pg_dump -Fc -t d -t daily "$new" >"$tmp/dump.$fmt" &&
      q "$dump" -c "CREATE EXTENSION hte" &&
      PGOPTIONS="-c extra_float_digits=0" pg_restore -d "$dump" "$tmp/dump.$fmt" 2>"$tmp/restore.log"
  else
    PGOPTIONS="-c extra_float_digits=0" pg_dump -Fp --inserts -t d -t daily "$new" >"$tmp/dump.$fmt" &&
      q "$dump" -c "CREATE EXTENSION hte" &&
      PGOPTIONS="-c extra_float_digits=0" psql -X -q -v ON_ERROR_STOP=1 -d "$dump" -f "$tmp/dump.$fmt" >/dev/null 2>"$tmp/restore.log"
  fi
  q "$dump" -c "$rollup_results" >"$tmp/rollup-after-$fmt" 2>&1
  check "pg_dump ($fmt) and restore of a rollup table: states and results bit for bit" \
    diff "$tmp/rollup-before" "$tmp/rollup-after-$fmt"
done
dropdb --if-exists "$dump" 2>/dev/null
check "the rollup comparison has the states and the results" test "$(wc -l <"$tmp/rollup-before")" -eq 6

echo "upgrade: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
