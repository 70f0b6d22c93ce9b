#!/usr/bin/env bash
# hte benchmark: the one command
#
#   bash test/bench/run.sh
#
# Builds and installs hte (test/build.sh), starts a throwaway cluster
# (pg_virtualenv -t), generates one table of BENCH_ROWS rows
# (y float8, t boolean, x float8, g int with 50 levels) and times each hte
# aggregate against the built-in SQL that computes the same thing, serial and
# with 2 parallel workers, interleaved within each repetition; then the export
# route (COPY ... TO STDOUT piped into R).  Writes test/bench/RESULTS.md
# (medians, ratios, peak memory, machine, settings, load averages).
#
# Knobs (environment): BENCH_ROWS (10000000), BENCH_REPS (7), BENCH_R_REPS (3),
# BENCH_OUT (test/bench/RESULTS.md), BENCH_SKIP_BUILD=1 to use the installed hte.
# About 6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

bash test/deps.sh
# the export route reads with data.table::fread; the peak memory with GNU time
for p in r-cran-data.table time; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$p" >/dev/null
  fi
done
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || bash test/build.sh

export BENCH_ROWS=${BENCH_ROWS:-10000000}
export BENCH_REPS=${BENCH_REPS:-7}
export BENCH_R_REPS=${BENCH_R_REPS:-3}
export BENCH_OUT=${BENCH_OUT:-$top/test/bench/RESULTS.md}
export BENCH_WORK=$(mktemp -d)
chmod 755 "$BENCH_WORK"

# Server settings: defaults except work_mem, raised so that the built-in
# percentile_cont sorts in memory (its fastest case); jit stays on (default).
pg_virtualenv -t -o 'work_mem=1GB' -o 'max_parallel_workers_per_gather=2' \
  bash "$top/test/bench/bench.sh" 2>&1 | grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \['

Rscript "$top/test/bench/summarize.R" "$BENCH_WORK" "$BENCH_OUT"
echo "bench: wrote $BENCH_OUT (raw timings in $BENCH_WORK)"
