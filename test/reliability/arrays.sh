#!/usr/bin/env bash
# Random and mutated float8[] states thrown at every SQL-callable function
# that takes one (arrays.sql), in the cluster of the PG* environment (run it
# under pg_virtualenv).  ITERS calls (default 20000), SEED in [-1, 1].
# Passes when every call returned or raised a clean ERROR, the session
# survived, and the server log shows no crash.  Prints
# "arrays: N passed, M failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
iters="${ITERS:-20000}"
seed="${SEED:-0.42}"
since=$(bash "$here/log_check.sh" 0 --lines 2>/dev/null || echo 0)
out=$(PGOPTIONS="-c hte_test.iters=$iters -c client_min_messages=notice" \
      psql -X -q -v seed="$seed" -f "$here/arrays.sql" 2>&1)
rc=$?
echo "$out" | grep -v 'NOTICE:  arrays:' | sed 's/^/  /' | head -60
line=$(echo "$out" | sed -nE 's/^(psql:[^ ]* )?NOTICE:  (arrays: [0-9]+ passed, [0-9]+ failed)$/\2/p' | tail -1)
if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
  echo "arrays: the session did not finish (exit $rc): a crash or an unexpected error"
  line="arrays: 0 passed, 1 failed"
fi
pass=$(echo "$line" | sed -E 's/arrays: ([0-9]+) passed.*/\1/')
fail=$(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')
if ! crash=$(bash "$here/log_check.sh" "$since" 2>/dev/null); then
  [ -n "$crash" ] && { echo "arrays: the server log shows a crash:"; echo "$crash"; }
  [ -n "$crash" ] && fail=$((fail + 1))
fi
echo "arrays: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
