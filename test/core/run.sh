#!/usr/bin/env bash
# Unit tests of the statistics core that need no database: exact selection
# (test_select.c) against a full sort, built with ASan and UBSan when clang
# is there.  Ends with "select: N passed, M failed".
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
