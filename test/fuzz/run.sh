#!/usr/bin/env bash
# Fuzzes every byte parser of hte's statistics core with libFuzzer, ASan and
# UBSan (clang): the serialized states of qte/homogeneity_test (qstate),
# interaction_test with se_type (it4), ate/interaction_test with covariates
# and se_type (cov4), cate_by/heterogeneity_test (sg), the float8[]
# state validators of ate and interaction_test (float8), and the kept rows
# of estimands/propensity_model/overlap_check/balance_table (obs), the
# text and binary forms of the stored state types and the sums of
# heterogeneity_test(estimate, std_error) (stored), aipw's float8[]
# state and the kept rows of cate_projection/calibration_test/rate (cate),
# and the causal forest's stored model (hte_forest), options and kept rows
# (forest).
#
#   bash test/fuzz/run.sh [SECONDS]     # per harness; default 20
#   FUZZ_JOBS=2 bash test/fuzz/run.sh 3600   # longer, two harnesses at a time
#   FUZZ_HARNESSES="sg float8" bash test/fuzz/run.sh 600   # some of them
#
# The corpus (seeded with valid states from gen_seeds.c) grows in
# $FUZZ_DIR/corpus (default /tmp/hte-fuzz), so later runs resume from it;
# a crash, leak, UB report, invariant failure or hang (> 10 s) is written to
# $FUZZ_DIR/artifacts/<harness>-crash-* and its path printed.  Reproduce:
#   $FUZZ_DIR/bin/fuzz_<harness> $FUZZ_DIR/artifacts/<file>
# Once fixed, copy the input to test/fuzz/regress/<harness>/, which every
# run reads along with the corpus.
# Ends with "fuzz: N passed, M failed" (one per harness).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
core="$(cd "$here/../../src/core" && pwd)"
secs="${1:-20}"
dir="${FUZZ_DIR:-/tmp/hte-fuzz}"
jobs="${FUZZ_JOBS:-1}"
harnesses=(${FUZZ_HARNESSES:-qstate it4 cov4 sg float8 obs stored cate forest plot})
mkdir -p "$dir/bin" "$dir/corpus" "$dir/artifacts" "$dir/logs"

CC="${CC:-clang}"
command -v "$CC" >/dev/null || CC=clang
flags=(-g -O1 -std=c99 -Wall -Wextra -ffp-contract=off -I"$core" -I"$here"
       -fsanitize=address,undefined -fno-sanitize-recover=all)
pass=0; fail=0
# the core once, instrumented for coverage; then each harness links it
mkdir -p "$dir/obj"
rm -f "$dir/obj"/*.o
built=1
for c in "$core"/*.c; do
  "$CC" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$c" -o "$dir/obj/$(basename "$c" .c).o" &
done
wait
for c in "$core"/*.c; do [ -f "$dir/obj/$(basename "$c" .c).o" ] || built=0; done
if [ "$built" -eq 0 ] ||
   ! "$CC" "${flags[@]}" "$dir"/obj/*.o "$here/gen_seeds.c" -o "$dir/bin/gen_seeds" -lm ||
   ! "$dir/bin/gen_seeds" "$dir/corpus"; then
  echo "fuzz: building the core or generating the seeds failed"
  echo "fuzz: 0 passed, ${#harnesses[@]} failed"
  exit 1
fi

run_one() {
  local h=$1 log="$dir/logs/$1.log"
  if ! "$CC" "${flags[@]}" -fsanitize=fuzzer "$dir"/obj/*.o "$here/fuzz_$h.c" \
       -o "$dir/bin/fuzz_$h" -lm >"$log" 2>&1; then
    echo "fuzz $h: build failed"; cat "$log"; return 1
  fi
  # test/fuzz/regress/<harness>: inputs that once failed, replayed every run
  local extra=()
  [ -d "$here/regress/$h" ] && extra=("$here/regress/$h")
  # -use_value_profile: helps libFuzzer through the magic numbers and checks
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$dir/bin/fuzz_$h" "$dir/corpus/$h" "${extra[@]}" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -use_value_profile=1 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$h-" >"$log" 2>&1
  local rc=$?
  local execs
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
  if [ "$rc" -ne 0 ]; then
    echo "fuzz $h: FAILED after ${execs:-?} runs (exit $rc); log $log"
    grep -E 'ERROR: |invariant failed|runtime error|SUMMARY' "$log" | head -5
    grep -E 'Test unit written to' "$log" | sed 's/^.*written to/  reproducer:/'
    return 1
  fi
  echo "fuzz $h: ok, ${execs:-?} runs in ${secs} s, corpus $(ls "$dir/corpus/$h" | wc -l) inputs"
}

if [ "$jobs" -gt 1 ]; then
  # parallel: each harness's result in a file
  for h in "${harnesses[@]}"; do
    ( run_one "$h" > "$dir/logs/$h.result" 2>&1; echo $? >> "$dir/logs/$h.result" ) &
    while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do sleep 1; done
  done
  wait
  for h in "${harnesses[@]}"; do
    head -n -1 "$dir/logs/$h.result"
    if [ "$(tail -1 "$dir/logs/$h.result")" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  done
else
  for h in "${harnesses[@]}"; do
    if run_one "$h"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  done
fi
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
