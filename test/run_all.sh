#!/usr/bin/env bash
# Every hte test, on a fresh Debian 12 machine or a developer's:
#   1. installs missing Debian packages (test/deps.sh),
#   2. builds with -Wall -Wextra -Werror and installs, and runs cppcheck and
#      clang-tidy on every C file (test/lint.sh),
#   3. checks the distribution functions against R (test/dist) and the
#      exact selection against a full sort (test/core),
#   4. fuzzes the core's byte parsers with libFuzzer (test/fuzz, 20 s each),
#   5. in a throwaway cluster (pg_virtualenv): pg_regress, the upgrade
#      from 1.0 against a fresh install (test/upgrade.sh), every SQL
#      example of the README with its shown output (test/readme.sh), its
#      Python and Java client examples (test/clients.sh), the internal-state
#      aggregates called as Citus's coordinator calls them (test/citus_sim.sh),
#      the pictures rendered by headless Chromium and checked pixel by
#      pixel (test/pictures.sh),
#      the R cross-checks of every aggregate (test/r), and the reliability suites
#      (test/reliability: random float8[] states, concurrent load,
#      cancellation),
#   6. builds the Debian package and installs and uses it (test/package.sh),
#   7. runs the build and the suites on PostgreSQL 17, 18 and 19 in Debian
#      13, unstable and experimental roots (test/majors.sh; HTE_MAJORS picks
#      the majors, HTE_MAJORS="" skips them; needs root).
# Ends with "N passed, M failed" over all checks; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# The locale every Debian has: a LANG the machine lacks (e.g. sent over ssh)
# makes pg_createcluster refuse, and test output must not depend on it.
export LC_ALL=C.UTF-8
top=$(pwd)
log=$(mktemp -d)
t0=$SECONDS
stage() {  # the time of the stage that just ended, as "stage NAME: N s"
  echo "stage $1: $((SECONDS - t0)) s"
  t0=$SECONDS
}

bash test/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
stage deps
if ! bash test/build.sh; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
stage build

suites=0
bash test/lint.sh 2>&1 | tee "$log/lint.txt"
stage lint
bash test/dist/run.sh 2>&1 | tee "$log/dist.txt"
stage dist
bash test/core/run.sh 2>&1 | tee "$log/select.txt"
stage core
bash test/fuzz/run.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee "$log/fuzz.txt"
stage fuzz

# pg_virtualenv runs the command against a new cluster and drops it after.
pg_virtualenv -t bash -c '
  bash test/regress.sh
  bash test/upgrade.sh
  bash test/readme.sh
  bash test/clients.sh
  bash test/citus_sim.sh
  bash test/pictures.sh
  for f in test/r/check_*.R; do Rscript "$f" "'"$top"'"; done
  bash test/reliability/arrays.sh
  bash test/reliability/concurrency.sh
  bash test/reliability/cancel.sh
' 2>&1 | grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[' | tee "$log/db.txt"
stage "database suites (PostgreSQL 15)"

# the Debian package: dpkg-buildpackage, its contents, installed and used
bash test/package.sh 2>&1 | tee "$log/package.txt"
stage package

# the newer PostgreSQL majors, each in a Debian root (HTE_MAJORS="" skips)
majors=${HTE_MAJORS-17 18 19}
if [ -n "$majors" ]; then
  HTE_MAJORS="$majors" bash test/majors.sh 2>&1 | tee "$log/majors.txt"
  stage "majors ($majors)"
fi

pass=0; fail=0
while read -r name p f; do
  suites=$((suites + 1))
  pass=$((pass + p)); fail=$((fail + f))
done < <(cat "$log"/*.txt | sed -nE 's/^([a-z_-]+): ([0-9]+) passed, ([0-9]+) failed$/\1 \2 \3/p')
# every suite must have reported: lint, dist, select, moments, rng, forest, plot, regress,
# upgrade, readme, clients, citus_sim, pictures, one
# per R script, and the reliability suites: fuzz, arrays, concurrency, cancel
# and the package, and the majors
expected=$((13 + $(ls test/r/check_*.R | wc -l) + 4 + 1))
[ -n "$majors" ] && expected=$((expected + 1))
if [ "$suites" -ne "$expected" ]; then
  echo "only $suites of $expected test suites reported a result"
  fail=$((fail + expected - suites))
fi
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
