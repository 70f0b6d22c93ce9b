#!/usr/bin/env bash
# Runs every ```sql block of README.md, in order, as one psql script in a
# fresh database, from the repository root (the README's \copy paths are
# relative to it), and checks that
#   (a) no statement fails, except in a block the README marks as failing on
#       purpose with the line <!-- expect error --> just before it: that
#       block must raise an ERROR (and print the output block shown after
#       it, if any, as in (b));
#   (b) a block immediately followed by an output block (``` or ```text)
#       prints exactly that output (whitespace at line ends and blank lines
#       at the start and end ignored; psql's "psql:file:line: " prefix of
#       errors and notices removed).
# A ```sql block preceded by <!-- not run: reason --> is skipped (use it
# sparingly: a preview that needs tables loaded further down, a statement
# that only makes sense in the reader's own database).
# Other blocks (```sh, ```python, ```java, ...) are not SQL and are ignored.
#
# Run it against the cluster in the PG* environment (pg_virtualenv, as
# test/run_all.sh does) with hte installed; without PGHOST/PGPORT set it
# starts a throwaway cluster itself.  Prints one line per block and ends with
# "readme: N passed, M failed"; exits non-zero on failure.
# HTE_README_FILE=path checks another file (a copy being edited).
# HTE_README_ACTUAL=dir keeps each block's actual output as dir/<line>.out
# (the README line of the block), to regenerate an output block from.
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8

if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ] && [ -z "${HTE_README_NESTED:-}" ]; then
  export HTE_README_NESTED=1
  log=$(mktemp)
  pg_virtualenv -t bash test/readme.sh "$@" 2>&1 |
    grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[|^(Creating new|Dropping) .*cluster' | tee "$log"
  rc=${PIPESTATUS[0]}
  # pg_virtualenv itself failed (no cluster): still end with the summary line
  grep -qE '^readme: [0-9]+ passed, [0-9]+ failed$' "$log" || { echo "readme: 0 passed, 1 failed"; rc=1; }
  rm -f "$log"
  exit "$rc"
fi

readme=${HTE_README_FILE:-README.md}
tmp=$(mktemp -d)
db="hte_readme_$$"
cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

# Split the README: $tmp/N.sql (the block), $tmp/N.exp (the output block that
# follows it, if any), and one line per sql block in $tmp/blocks:
#   N <line of the block> run|skip|error
awk -v dir="$tmp" '
  /^```/ {
    if (!infence) {
      lang = substr($0, 4); gsub(/[ \t]/, "", lang)
      infence = 1; target = ""
      if (lang == "sql") {
        n++
        mode = "run"
        if (prev ~ /^<!--[ \t]*not run/) mode = "skip"
        else if (prev ~ /^<!--[ \t]*expect error/) mode = "error"
        printf "%d %d %s\n", n, NR, mode > (dir "/blocks")
        target = dir "/" n ".sql"
        printf "" > target
        kind = "sql"
      } else if ((lang == "" || lang == "text") && after_sql) {
        target = dir "/" n ".exp"
        printf "" > target
        kind = "out"
      } else {
        kind = "other"
      }
      after_sql = 0
    } else {
      infence = 0
      if (target != "") close(target)
      after_sql = (kind == "sql")
    }
    prev = $0
    next
  }
  {
    if (infence) {
      if (target != "") print > target
      next
    }
    if ($0 ~ /[^ \t]/) { prev = $0; after_sql = 0 }
  }
' "$readme"

if [ ! -s "$tmp/blocks" ]; then
  echo "no \`\`\`sql block found in $readme"
  echo "readme: 0 passed, 1 failed"
  exit 1
fi

# One psql script: a marker line before each block, so that the output can be
# cut back into blocks.  A block marked as failing runs with ON_ERROR_STOP off.
script="$tmp/readme.psql"
while read -r n line mode; do
  [ "$mode" = skip ] && continue
  echo "\\echo '@@hte-readme-block $n@@'"
  [ "$mode" = error ] && echo '\set ON_ERROR_STOP 0'
  cat "$tmp/$n.sql"
  [ "$mode" = error ] && echo '\set ON_ERROR_STOP 1'
done < "$tmp/blocks" > "$script"
echo "\\echo '@@hte-readme-block end@@'" >> "$script"

if ! psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null; then
  echo "cannot create the database $db"
  echo "readme: 0 passed, 1 failed"
  exit 1
fi
PGDATABASE=$db psql -X -v ON_ERROR_STOP=1 -f "$script" > "$tmp/all.out" 2>&1
rc=$?

# Cut the output at the markers: $tmp/N.act.
awk -v dir="$tmp" '
  /^@@hte-readme-block [0-9a-z]+@@$/ {
    if (f != "") close(f)
    b = $2; sub(/@@$/, "", b)
    f = dir "/" b ".act"; printf "" > f
    next
  }
  { if (f != "") print > f }
' "$tmp/all.out"

# Normalise: no "psql:file:line: " prefix, no trailing whitespace, no blank
# lines at the start or the end.
norm() {
  sed -E 's/^psql:[^:]*:[0-9]+: //; s/[[:space:]]+$//' "$1" |
    awk '{ line[NR] = $0 } END {
      s = 1; while (s <= NR && line[s] == "") s++
      e = NR; while (e >= s && line[e] == "") e--
      for (i = s; i <= e; i++) print line[i]
    }'
}

pass=0; fail=0; skipped=0
while read -r n line mode; do
  where="$readme:$line"
  if [ "$mode" = skip ]; then
    skipped=$((skipped + 1))
    echo "skip $where (marked not run)"
    continue
  fi
  act="$tmp/$n.act"
  if [ ! -f "$act" ]; then
    echo "FAIL $where: not reached (an earlier block stopped the script)"
    fail=$((fail + 1)); continue
  fi
  norm "$act" > "$act.n"
  [ -n "${HTE_README_ACTUAL:-}" ] && mkdir -p "$HTE_README_ACTUAL" && cp "$act.n" "$HTE_README_ACTUAL/$line.out"
  what="ran"
  problem=""
  has_error=0
  grep -qE '^ERROR:' "$act.n" && has_error=1
  if [ "$mode" = error ]; then
    what="failed as shown"
    [ "$has_error" -eq 1 ] || problem="expected an ERROR, none raised"
  elif [ "$has_error" -eq 1 ]; then
    problem="$(grep -m1 -E '^ERROR:' "$act.n")"
  fi
  if [ -z "$problem" ] && [ -f "$tmp/$n.exp" ]; then
    what="$what, output as shown"
    norm "$tmp/$n.exp" > "$tmp/$n.exp.n"
    if ! diff -q "$tmp/$n.exp.n" "$act.n" >/dev/null; then
      problem="output differs from the README (- README, + actual):"
    fi
  fi
  if [ -z "$problem" ]; then
    echo "ok   $where: $what"
    pass=$((pass + 1))
  else
    echo "FAIL $where: $problem"
    if [ -f "$tmp/$n.exp.n" ] && [ "$problem" = "output differs from the README (- README, + actual):" ]; then
      diff -u "$tmp/$n.exp.n" "$act.n" | tail -n +3 | sed 's/^/    /'
    else
      sed 's/^/    /' "$act.n" | tail -20
    fi
    fail=$((fail + 1))
  fi
done < "$tmp/blocks"

if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
  echo "FAIL psql exited with status $rc"
  tail -20 "$tmp/all.out" | sed 's/^/    /'
  fail=$((fail + 1))
fi
[ "$skipped" -gt 0 ] && echo "($skipped block(s) marked not run)"
echo "readme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
