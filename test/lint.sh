#!/usr/bin/env bash
# Static analysis of every C file: cppcheck (warning, performance and
# portability checks) on the plain-C core, and clang-tidy (its default
# checks: the clang static analyzer and the compiler's diagnostics) on the
# core and on the glue, which is read with the installed server headers.
#
#   bash test/lint.sh
#
# Ends with "lint: N passed, M failed", one check per tool and file.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0; fail=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
inc=$(pg_config --includedir-server)

if cppcheck --quiet --enable=warning,performance,portability --std=c99 --error-exitcode=1 \
     --inline-suppr -Isrc/core src/core/*.c 2>"$out/cppcheck"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "lint: cppcheck found:"; cat "$out/cppcheck"
fi

tidy() {  # tidy FILE: clang-tidy with the flags its layer needs
  local f=$1 flags
  case "$f" in
    src/core/*) flags=(-std=c99 -Isrc/core) ;;
    *) flags=(-std=gnu99 -D_GNU_SOURCE -Isrc -I"$inc") ;;
  esac
  clang-tidy -quiet --warnings-as-errors='*' "$f" -- "${flags[@]}" >"$out/$(basename "$f").log" 2>&1
}
export -f tidy; export out inc
for f in src/core/*.c src/*.c; do echo "$f"; done |
  xargs -P "$(nproc)" -I{} bash -c 'tidy {} || echo {} >>"$out/failed"'
for f in src/core/*.c src/*.c; do
  if grep -qx "$f" "$out/failed" 2>/dev/null; then
    fail=$((fail + 1)); echo "lint: clang-tidy $f:"; grep -E "warning:|error:" "$out/$(basename "$f").log" | head -20
  else
    pass=$((pass + 1))
  fi
done
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
