#!/usr/bin/env bash
# Every hte test, on a fresh Debian 12 machine or a developer's:
#   1. installs missing Debian packages (test/deps.sh),
#   2. builds with -Wall -Wextra -Werror and installs,
#   3. checks the distribution functions against R (test/dist),
#   4. in a throwaway cluster (pg_virtualenv): pg_regress and the R
#      cross-checks of every aggregate (test/r).
# Ends with "N passed, M failed" over all checks; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
log=$(mktemp -d)

bash test/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! bash test/build.sh; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

suites=0
bash test/dist/run.sh 2>&1 | tee "$log/dist.txt"

# pg_virtualenv runs the command against a new cluster and drops it after.
pg_virtualenv -t bash -c '
  bash test/regress.sh
  for f in test/r/check_*.R; do Rscript "$f" "'"$top"'"; done
' 2>&1 | grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[' | tee "$log/db.txt"

pass=0; fail=0
while read -r name p f; do
  suites=$((suites + 1))
  pass=$((pass + p)); fail=$((fail + f))
done < <(cat "$log"/*.txt | sed -nE 's/^([a-z-]+): ([0-9]+) passed, ([0-9]+) failed$/\1 \2 \3/p')
# every suite must have reported: dist, regress, and one per R script
expected=$((2 + $(ls test/r/check_*.R | wc -l)))
if [ "$suites" -ne "$expected" ]; then
  echo "only $suites of $expected test suites reported a result"
  fail=$((fail + expected - suites))
fi
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
