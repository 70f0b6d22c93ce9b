#!/usr/bin/env bash
# On demand (slow: several minutes): the pg_regress suite against a server
# running under valgrind (memcheck), every backend and parallel worker
# included.  Reports the valgrind errors whose stack passes through hte.so.
#   bash test/reliability/valgrind.sh        (as root or a user that can run postgres)
#   VG_TESTS="interaction subgroup" bash test/reliability/valgrind.sh   (a subset)
# Prints "valgrind: N passed, M failed" (N: regression tests passed; M:
# failed tests plus valgrind errors in hte's code).
# Debian's PostgreSQL is not built with USE_VALGRIND, so misuse inside a
# palloc chunk is not seen, only reads of uninitialized or unallocated memory
# at the malloc level and uninitialized values that reach a branch or a
# system call.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
bin=$(pg_config --bindir)
tmp=$(mktemp -d /tmp/hte-valgrind.XXXXXX)
chmod 777 "$tmp"
port=${VG_PORT:-54329}
RUN=()
[ "$(id -u)" -eq 0 ] && RUN=(su postgres -s /bin/bash -c)
as_pg() { if [ ${#RUN[@]} -gt 0 ]; then "${RUN[@]}" "$*"; else bash -c "$*"; fi; }

as_pg "$bin/initdb -D $tmp/data -A trust -U postgres" >/dev/null || exit 1
as_pg "nice -n 10 valgrind --quiet --trace-children=yes --leak-check=no --track-origins=yes \
  --read-var-info=yes --num-callers=30 --error-limit=no --log-file=$tmp/vg.%p.log \
  $bin/postgres -D $tmp/data -p $port -k $tmp -c max_worker_processes=8 \
  -c statement_timeout=0 >$tmp/server.log 2>&1 &"
for i in $(seq 1 120); do pg_isready -q -h "$tmp" -p "$port" && break; sleep 1; done
# pg_regress directly, its output in $tmp (not the source tree's results/)
# VG_TESTS="interaction qte" runs only those (after setup)
tests=${VG_TESTS:-$(ls sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | grep -vE '^(setup|hte--.*)$' | sort)}
out=$(PGHOST=$tmp PGPORT=$port PGUSER=postgres \
      "$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" --inputdir=. \
      --outputdir="$tmp/out" --bindir="$bin" --load-extension=hte \
      --dbname=contrib_regression setup $tests 2>&1)
echo "$out" | grep -E '^(test|ok|not ok) |\.\.\. '
pass=$(echo "$out" | grep -cE '\.\.\. ok|^ok ')
fail=$(echo "$out" | grep -cE '\.\.\. FAILED|^not ok ')
as_pg "$bin/pg_ctl -D $tmp/data -m fast stop" >/dev/null 2>&1
sleep 2
# valgrind error records that mention hte.so
hte_errors=0
for f in "$tmp"/vg.*.log; do
  if grep -q 'hte.so' "$f"; then
    awk '/^==[0-9]+== [A-Z]/{rec=$0; next} {rec=rec"\n"$0} /^==[0-9]+== $/{if (rec ~ /hte\.so/) print rec; rec=""}' "$f"
  fi
done > "$tmp/hte_errors.txt"
hte_errors=$(grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Source and destination)' "$tmp/hte_errors.txt")
total=$(cat "$tmp"/vg.*.log | grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Source and destination)')
echo "valgrind: $total error records in all, $hte_errors through hte.so (logs in $tmp)"
[ "$hte_errors" -gt 0 ] && head -80 "$tmp/hte_errors.txt"
echo "valgrind: $pass passed, $((fail + hte_errors)) failed"
[ $((fail + hte_errors)) -eq 0 ]
