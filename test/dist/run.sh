#!/usr/bin/env bash
# Build the hte_dist test driver, evaluate the grid, compare against R.
# Usage: bash test/dist/run.sh      (ends with "dist: N passed, M failed")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cc -O2 -Wall -Wextra -std=c99 -I"$root/src/core" \
   "$root/src/core/hte_dist.c" "$here/test_dist.c" -o "$tmp/test_dist" -lm
"$tmp/test_dist" > "$tmp/grid.csv"
Rscript "$here/check_dist.R" "$tmp/grid.csv"
