#!/usr/bin/env bash
# Concurrent load: CLIENTS pgbench clients (default 4) for SECONDS (default
# 20) run every aggregate over one shared table, each query checking its
# result against the one computed first by a single client (exact
# equality: serial plans).  A wrong result raises an ERROR, which aborts
# the client.  Run it under pg_virtualenv.  Prints
# "concurrency: N passed, M failed" (N: checked queries).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clients="${CLIENTS:-4}"
secs="${SECONDS_LOAD:-${1:-20}}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
since=$(bash "$here/log_check.sh" 0 --lines 2>/dev/null || echo 0)

PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || { echo "concurrency: setup failed"; echo "concurrency: 0 passed, 1 failed"; exit 1; }
CREATE EXTENSION IF NOT EXISTS hte;
DROP TABLE IF EXISTS rel_load, rel_expected;
SELECT setseed(0.3);
CREATE TABLE rel_load AS
SELECT g, random() * 10 + (g % 2) AS y, g % 2 = 0 AS t, random() * 5 AS x, g % 50 AS s
FROM generate_series(1, 100000) g;
ANALYZE rel_load;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE rel_expected AS
SELECT 'ate' AS k, (SELECT ate(y, t)::text FROM rel_load) AS v
UNION ALL SELECT 'it3', (SELECT interaction_test(y, t, x)::text FROM rel_load)
UNION ALL SELECT 'it4', (SELECT interaction_test(y, t, x, 'HC2')::text FROM rel_load)
UNION ALL SELECT 'cate', (SELECT cate_by(y, t, s, 'BH')::text FROM rel_load)
UNION ALL SELECT 'het', (SELECT heterogeneity_test(y, t, s)::text FROM rel_load)
UNION ALL SELECT 'qte', (SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9])::text FROM rel_load)
UNION ALL SELECT 'hom', (SELECT homogeneity_test(y, t)::text FROM rel_load);
SQL

# one script per aggregate; pgbench picks one at random per transaction
mk() {  # name, query
  cat > "$tmp/$1.sql" <<SQL
DO \$\$ BEGIN
  IF ($2) IS DISTINCT FROM (SELECT v FROM rel_expected WHERE k = '$1') THEN
    RAISE EXCEPTION 'concurrent $1 differs from the single-client result';
  END IF;
END \$\$;
SQL
}
mk ate  "SELECT ate(y, t)::text FROM rel_load"
mk it3  "SELECT interaction_test(y, t, x)::text FROM rel_load"
mk it4  "SELECT interaction_test(y, t, x, 'HC2')::text FROM rel_load"
mk cate "SELECT cate_by(y, t, s, 'BH')::text FROM rel_load"
mk het  "SELECT heterogeneity_test(y, t, s)::text FROM rel_load"
mk qte  "SELECT qte(y, t, ARRAY[0.1, 0.5, 0.9])::text FROM rel_load"
mk hom  "SELECT homogeneity_test(y, t)::text FROM rel_load"

args=()
for s in ate it3 it4 cate het qte hom; do args+=(-f "$tmp/$s.sql"); done
out=$(PGOPTIONS="-c max_parallel_workers_per_gather=0" \
      pgbench -n -c "$clients" -j "$clients" -T "$secs" "${args[@]}" 2>&1)
rc=$?
done_tx=$(echo "$out" | sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p')
failed_tx=$(echo "$out" | sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p')
aborted=$(echo "$out" | grep -c 'aborted')
echo "$out" | grep -E 'aborted|ERROR|differs|^number of|^tps|^latency average' | sed 's/^/  /' | head -20
fail=$(( ${failed_tx:-0} + aborted ))
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
if ! crash=$(bash "$here/log_check.sh" "$since" 2>/dev/null); then
  [ -n "$crash" ] && { echo "$crash"; fail=$((fail + 1)); }
fi
psql -X -q -c "DROP TABLE rel_load, rel_expected"
echo "concurrency: ${done_tx:-0} passed, $fail failed"
[ "$fail" -eq 0 ]
