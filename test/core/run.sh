#!/usr/bin/env bash
# Unit tests of the statistics core that need no database: exact selection
# (test_select.c) against a full sort, and the multivariate moments and
# linear algebra of the covariate adjustment (test_lin.c) against a
# __float128 reference, and the causal forest's portable random numbers
# (test_rng.c) against published vectors and chi-square tests, and the
# forest core (test_forest.c: stored form, invariances, validator), built with
# ASan and UBSan when clang is there.  Prints "select: N passed, M failed",
# "moments: N passed, M failed", "rng: N passed, M failed" and
# "forest: N passed, M failed", and the pictures' core (test_plot.c: axes,
# escaping, text widths, the kept-row state): "plot: N passed, M failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
core="$(cd "$here/../../src/core" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
CC="${CC:-clang}"
san=(-fsanitize=address,undefined -fno-sanitize-recover=all)
command -v "$CC" >/dev/null || { CC=cc; san=(); }
if ! "$CC" -O1 -g -std=c99 -Wall -Wextra -Werror -ffp-contract=off "${san[@]}" -I"$core" \
     "$core/hte_quantile.c" "$core/hte_dist.c" "$here/test_select.c" -o "$tmp/test_select" -lm; then
  echo "select: 0 passed, 1 failed"
  exit 1
fi
"$tmp/test_select"
# moments and linear algebra (needs __float128: gcc or clang on x86-64)
if ! "$CC" -O1 -g -std=gnu99 -Wall -Wextra -Werror -ffp-contract=off "${san[@]}" -I"$core" \
     "$core/hte_mvmoments.c" "$core/hte_linalg.c" "$here/test_lin.c" -o "$tmp/test_lin" -lm; then
  echo "moments: 0 passed, 1 failed"
  exit 1
fi
"$tmp/test_lin"
if ! "$CC" -O1 -g -std=c99 -Wall -Wextra -Werror -ffp-contract=off "${san[@]}" -I"$core" \
     "$core/hte_rng.c" "$here/test_rng.c" -o "$tmp/test_rng" -lm; then
  echo "rng: 0 passed, 1 failed"
  exit 1
fi
"$tmp/test_rng"
# the causal forest: stored form, invariances, validator, options
if ! "$CC" -O1 -g -std=c99 -Wall -Wextra -Werror -ffp-contract=off "${san[@]}" -I"$core" \
     "$core"/*.c "$here/test_forest.c" -o "$tmp/test_forest" -lm; then
  echo "forest: 0 passed, 1 failed"
  exit 1
fi
"$tmp/test_forest"
# the pictures: axes, escaping, text widths, the forest_plot state
if ! "$CC" -O1 -g -std=c99 -Wall -Wextra -Werror -ffp-contract=off "${san[@]}" -I"$core" \
     "$core/hte_plot.c" "$core/hte_dist.c" "$here/test_plot.c" -o "$tmp/test_plot" -lm; then
  echo "plot: 0 passed, 1 failed"
  exit 1
fi
"$tmp/test_plot"
