#!/usr/bin/env bash
# Times qte's exact selection alone (no database): bash test/bench/select.sh [N]
# (default 10,000,000 values).  Prints a markdown table; best of 3 runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
core="$(cd "$here/../../src/core" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c99 -Wall -Wextra -ffp-contract=off -I"$core" "$core/hte_quantile.c" "$core/hte_dist.c" \
   "$here/select_bench.c" -o "$tmp/select_bench" -lm
"$tmp/select_bench" "$@"
