#!/usr/bin/env bash
# pg_regress against the cluster in the PG* environment (run it under
# pg_virtualenv).  Prints "regress: N passed, M failed" and the diffs on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(make -s installcheck 2>&1)
rc=$?
echo "$out" | grep -E '^(test|ok|not ok) |^ *[0-9]+ +- |\.\.\. '
pass=$(echo "$out" | grep -cE '\.\.\. ok|^ok ')
fail=$(echo "$out" | grep -cE '\.\.\. FAILED|^not ok ')
if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ]; then
  [ -f regression.diffs ] && cat regression.diffs
  [ "$fail" -eq 0 ] && fail=1
fi
echo "regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
