#!/usr/bin/env bash
# Cancellation: statement_timeout stops every aggregate promptly on large
# inputs.  Each query runs once to completion (its time F), then with
# statement_timeout = 200 ms and at 85% of F (so that the timeout
# also lands in the final function: selection, sorting, leverages); every
# timed-out run must end with SQLSTATE 57014 at most SLACK_MS (default
# 1000) after its timeout.  Builds a 2M-row table once (300k subgroups); qte and
# homogeneity_test read 10M values.  Run it under pg_virtualenv.  Prints
# "cancel: N passed, M failed" (one per timed run).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
slack="${SLACK_MS:-1000}"
rows="${ROWS:-2000000}"
qrows="${QROWS:-10000000}"
since=$(bash "$here/log_check.sh" 0 --lines 2>/dev/null || echo 0)

PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || { echo "cancel: setup failed"; echo "cancel: 0 passed, 1 failed"; exit 1; }
CREATE EXTENSION IF NOT EXISTS hte;
DROP TABLE IF EXISTS rel_big;
SELECT setseed(0.7);
CREATE UNLOGGED TABLE rel_big AS
SELECT random() * 10 + (g % 2) AS y, g % 2 = 0 AS t, random() * 5 AS x,
       (g % 300000)::int AS s
FROM generate_series(1, $rows) g;
ANALYZE rel_big;
SQL

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
pass=0; fail=0
# run QUERY with statement_timeout TIMEOUT_MS (0: none); prints "ms sqlstate"
timed() {
  local t0 t1 st
  t0=$(now_ms)
  st=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate 2>&1 >/dev/null <<SQL
\set VERBOSITY sqlstate
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
SET statement_timeout = $1;
$2;
SQL
)
  t1=$(now_ms)
  st=$(echo "$st" | sed -nE 's/.*ERROR: +([0-9A-Z]{5}).*/\1/p' | head -1)
  echo "$((t1 - t0)) ${st:-ok}"
}

check() {  # name, query [, the SQLSTATE it ends with when not cancelled; default: success]
  local name=$1 q=$2 want=${3:-ok} full st ms
  read -r full st < <(timed 0 "$q")
  if [ "$st" != "$want" ]; then
    echo "cancel $name: without a timeout the query ends with $st, not $want"; fail=$((fail + 1)); return
  fi
  for to in 200 $((full * 85 / 100)); do
    [ "$to" -lt 200 ] && continue
    read -r ms st < <(timed "$to" "$q")
    if [ "$st" = "$want" ]; then
      echo "cancel $name: timeout ${to} ms: finished first (${ms} ms), not counted"
    elif [ "$st" = 57014 ] && [ "$ms" -le $((to + slack)) ]; then
      echo "cancel $name: timeout ${to} ms: stopped after ${ms} ms (full run ${full} ms)"
      pass=$((pass + 1))
    else
      echo "cancel $name: timeout ${to} ms: FAILED, ended after ${ms} ms with ${st} (full run ${full} ms)"
      fail=$((fail + 1))
    fi
  done
}

check ate          "SELECT ate(y, t) FROM rel_big"
check interaction  "SELECT interaction_test(y, t, x) FROM rel_big"
check it_hc2       "SELECT interaction_test(y, t, x, 'HC2') FROM rel_big"
check cate_by      "SELECT cardinality(cate_by(y, t, s)) FROM rel_big"
check heterogeneity "SELECT heterogeneity_test(y, t, s) FROM rel_big"
check qte          "SELECT qte(y, g % 2 = 0, ARRAY[0.1, 0.5, 0.9]) FROM (SELECT g, random() AS y FROM generate_series(1, $qrows) g) z"
check homogeneity  "SELECT homogeneity_test(y, g % 2 = 0) FROM (SELECT g, random() AS y FROM generate_series(1, $qrows) g) z"
check covariates   "SELECT ate(y, t, ARRAY[x, s / 300000.0]) FROM rel_big"
check cov_hc2      "SELECT ate(y, t, ARRAY[x, s / 300000.0], 'HC2') FROM rel_big"
check estimands    "SELECT estimands(y, t, ARRAY[x, s / 300000.0]) FROM rel_big"
# separation: the propensity model iterates until its limit in the final function
check separation   "SELECT propensity_model(x > 2.5, ARRAY[x]) FROM rel_big" 22000
# the causal forest: training (final function) on 20k rows, then cate() per row
check forest       "SELECT length(causal_forest(y, t, ARRAY[x, s / 300000.0], '{\"num_trees\": 300}')::text) FROM rel_big WHERE s < 3000"
check forest_cate  "WITH m AS MATERIALIZED (SELECT causal_forest(y, t, ARRAY[x, s / 300000.0], '{\"num_trees\": 100}') AS f FROM rel_big WHERE s < 100) SELECT sum((cate(m.f, ARRAY[x, s / 300000.0])).estimate) FROM m, rel_big WHERE s < 2000"
if ! crash=$(bash "$here/log_check.sh" "$since" 2>/dev/null); then
  [ -n "$crash" ] && { echo "$crash"; fail=$((fail + 1)); }
fi
psql -X -q -c "DROP TABLE rel_big"
echo "cancel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
