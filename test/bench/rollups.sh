#!/usr/bin/env bash
# Benchmark of the stored, mergeable states (hte_ate_state,
# hte_interaction_state, hte_adjusted_state):
#
# 1. Building a state costs at most 1.1x the plain aggregate over the same
#    rows: ate_state(y, t), interaction_test_state(y, t, x) and the daily
#    GROUP BY of ate_state(y, t) on BENCH_ROWS rows (default 5M), and
#    ate_state(y, t, ARRAY[x, x2, x3]) on BENCH_COV_ROWS rows (default 1M),
#    each against its plain aggregate.  Serial; within each of BENCH_REPS
#    repetitions (default 7) every pair is run back to back, plain first in
#    odd repetitions and state first in even ones; medians of wall-clock
#    time (psql \timing, a fresh session per query, as in sequential.sh).
# 2. Finishing from 365 daily states takes under a millisecond: ate(s_ate),
#    interaction_test(s_it), ate(s_adj) and interaction_test(s_adj) over a
#    365-row table of states.  Timed server-side: a plpgsql loop of
#    BENCH_LOOPS (default 200) EXECUTEs (parse + plan + execute each time)
#    and of PERFORMs (cached plan), divided by the count, and EXPLAIN
#    (ANALYZE, TIMING OFF) "Execution Time"; psql \timing is shown for
#    contrast.  The four queries alternated within each repetition; medians.
#
#   bash test/bench/rollups.sh           # writes test/bench/ROLLUPS.md
#
# Needs the build packages and an installed hte; runs in pg_virtualenv.
# shellcheck disable=SC2028  # the backslashes echoed (psql's \timing) are meant literally
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=1GB bash "$0" "$@"
fi
N=${BENCH_ROWS:-5000000}
NC=${BENCH_COV_ROWS:-1000000}
R=${BENCH_REPS:-7}
L=${BENCH_LOOPS:-200}
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

"${PSQL[@]}" <<SQL
DROP EXTENSION IF EXISTS hte CASCADE;
CREATE EXTENSION hte;
DROP TABLE IF EXISTS b, bc, daily;
CREATE TABLE b AS
SELECT i, i % 365 AS day, t, x, x2, x3,
       1 + 0.5 * t::int + x + 0.3 * t::int * x + 0.5 * x2 - 0.2 * x3 + sin(i * 1.7) * 3 AS y
FROM (SELECT i, i % 2 = 0 AS t, cos(i * 0.11) AS x, sin(i * 0.23 + 1) AS x2, 2 * cos(i * 0.071) AS x3
      FROM generate_series(1, $N) i) s;
CREATE TABLE bc AS SELECT * FROM b WHERE i <= $NC;
VACUUM ANALYZE b;
VACUUM ANALYZE bc;
SQL

one() {  # one SQL: wall-clock ms
  "${PSQL[@]}" <<SQL | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'
SET max_parallel_workers_per_gather = 0;
\o /dev/null
\timing on
$1;
SQL
}

# part 1: building a state against the plain aggregate
keys=(ate it adj day)
declare -A plain state rows
plain[ate]="SELECT ate(y, t) FROM b";                    state[ate]="SELECT ate_state(y, t) FROM b";                    rows[ate]=$N
plain[it]="SELECT interaction_test(y, t, x) FROM b";     state[it]="SELECT interaction_test_state(y, t, x) FROM b";     rows[it]=$N
plain[adj]="SELECT ate(y, t, ARRAY[x, x2, x3]) FROM bc"; state[adj]="SELECT ate_state(y, t, ARRAY[x, x2, x3]) FROM bc"; rows[adj]=$NC
plain[day]="SELECT day, ate(y, t) FROM b GROUP BY day";  state[day]="SELECT day, ate_state(y, t) FROM b GROUP BY day";  rows[day]=$N
for r in $(seq "$R"); do
  for k in "${keys[@]}"; do
    if [ $((r % 2)) -eq 1 ]; then
      p=$(one "${plain[$k]}"); s=$(one "${state[$k]}")
    else
      s=$(one "${state[$k]}"); p=$(one "${plain[$k]}")
    fi
    { echo "p_$k $p"; echo "s_$k $s"; echo "q_$k $(awk -v a="$p" -v b="$s" 'BEGIN{printf "%.4f", b/a}')"; } >>"$raw"
    echo "rollups: rep $r $k plain $p ms, state $s ms" >&2
  done
done

# part 2: finishing from 365 daily states
daily_ms=$("${PSQL[@]}" <<SQL | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'
SET max_parallel_workers_per_gather = 0;
\timing on
CREATE TABLE daily AS
SELECT i % 365 AS day, ate_state(y, t) s_ate, interaction_test_state(y, t, x) s_it,
       ate_state(y, t, ARRAY[x, x2, x3]) s_adj
FROM b GROUP BY 1;
SQL
)
"${PSQL[@]}" -c "VACUUM ANALYZE daily"
read -r ndaily sz_ate sz_it sz_adj < <("${PSQL[@]}" -F ' ' -c "SELECT count(*), round(avg(pg_column_size(s_ate))), round(avg(pg_column_size(s_it))), round(avg(pg_column_size(s_adj))) FROM daily")

fkeys=(ate_f it_f adj_f joint_f)
declare -A fin
fin[ate_f]="SELECT ate(s_ate) FROM daily"
fin[it_f]="SELECT interaction_test(s_it) FROM daily"
fin[adj_f]="SELECT ate(s_adj) FROM daily"
fin[joint_f]="SELECT interaction_test(s_adj) FROM daily"
{
  cat <<'SQL'
-- ms per run of q: n EXECUTEs (parse, plan and execute each time)
CREATE FUNCTION bench_exec(q text, n int) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE t0 timestamptz; r record;
BEGIN
  EXECUTE q INTO r;
  t0 := clock_timestamp();
  FOR k IN 1 .. n LOOP EXECUTE q INTO r; END LOOP;
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1e3 / n;
END $f$;
-- EXPLAIN (ANALYZE, TIMING OFF) Execution Time of q, ms
CREATE FUNCTION bench_explain(q text) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF) ' || q LOOP
    IF l LIKE 'Execution Time:%' THEN RETURN substring(l FROM '([0-9.]+) ms')::float8; END IF;
  END LOOP;
  RETURN NULL;
END $f$;
SQL
  for k in "${fkeys[@]}"; do  # ms per run: n PERFORMs of a cached plan
    cat <<SQL
CREATE FUNCTION bench_perform_$k(n int) RETURNS float8 LANGUAGE plpgsql AS \$f\$
DECLARE t0 timestamptz;
BEGIN
  PERFORM ${fin[$k]#SELECT };
  t0 := clock_timestamp();
  FOR k IN 1 .. n LOOP PERFORM ${fin[$k]#SELECT }; END LOOP;
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1e3 / n;
END \$f\$;
SQL
  done
} | "${PSQL[@]}"

for r in $(seq "$R"); do
  {
    echo "SET max_parallel_workers_per_gather = 0;"
    for k in "${fkeys[@]}"; do echo "SELECT 'e_$k ' || bench_exec(\$q\$${fin[$k]}\$q\$, $L);"; done
    for k in "${fkeys[@]}"; do echo "SELECT 'f_$k ' || bench_perform_$k($L);"; done
    for k in "${fkeys[@]}"; do echo "SELECT 'x_$k ' || bench_explain(\$q\$${fin[$k]}\$q\$);"; done
    echo '\o /dev/null'
    echo '\timing on'
    for k in "${fkeys[@]}"; do echo "${fin[$k]};"; done
  } | "${PSQL[@]}" | awk -v ks="${fkeys[*]}" '
      BEGIN { n = split(ks, key, " ") }
      /^Time: / { c++; printf "c_%s %s\n", key[c], $2; next }
      { print }' >>"$raw"
  echo "rollups: rep $r finishing done" >&2
done

med() { awk -v k="$1" '$1 == k {print $2}' "$raw" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fastest() { awk -v k="$1" '$1 == k {print $2}' "$raw" | sort -g | head -n 1; }
nsrow() { awk -v a="$1" -v n="$2" 'BEGIN{printf "%.0f", a*1e6/n}'; }
out=test/bench/ROLLUPS.md
cmd="bash test/bench/rollups.sh"  # with any BENCH_* settings it ran under
for v in BENCH_REPS BENCH_LOOPS BENCH_COV_ROWS BENCH_ROWS; do
  [ -n "${!v:-}" ] && cmd="$v=${!v} $cmd"
done
{
  echo "# Stored, mergeable states: benchmark"
  echo
  echo "\`$cmd\` on $(nproc) cores, $N rows ($NC for the covariate pair), $(date -u +%Y-%m-%d);"
  echo "PostgreSQL $(pg_config --version | awk '{print $2}'). Serial (max_parallel_workers_per_gather = 0); medians of $R runs."
  echo
  echo "Table \`b\`: \`t = i % 2 = 0\`, \`day = i % 365\`, \`y\`, \`x\`, \`x2\`, \`x3\` float8 from sin/cos of \`i\`;"
  echo "\`bc\` is its first $NC rows."
  echo
  echo "## Building a state against the plain aggregate (target: at most 1.1x)"
  echo
  echo "Each pair run back to back in every repetition (plain first in odd repetitions, state first in even ones);"
  echo "wall clock from psql \`\\timing\`, a fresh session per query."
  echo
  echo "| plain | ms | ns / row | state | ms | ns / row | ratio of medians | median of paired ratios | ratio of fastest runs | at most 1.1x (ratio of medians) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for k in "${keys[@]}"; do
    p=$(med "p_$k"); s=$(med "s_$k"); q=$(med "q_$k")
    ratio=$(awk -v a="$p" -v b="$s" 'BEGIN{printf "%.3f", b/a}')
    ok=$(awk -v x="$ratio" 'BEGIN{print (x <= 1.1) ? "yes" : "**no**"}')
    echo "| \`${plain[$k]#SELECT }\` | $p | $(nsrow "$p" "${rows[$k]}") | \`${state[$k]#SELECT }\` | $s | $(nsrow "$s" "${rows[$k]}") | $ratio | $(printf %.3f "$q") | $(awk -v a="$(fastest "p_$k")" -v b="$(fastest "s_$k")" 'BEGIN{printf "%.3f", b/a}') | $ok |"
  done
  echo
  echo "The paired ratio is state / plain within one repetition; the fastest runs are the least disturbed by other load."
  echo
  echo "## Finishing from $ndaily daily states (target: under 1 ms)"
  echo
  echo "\`CREATE TABLE daily AS SELECT i % 365 AS day, ate_state(y, t) s_ate, interaction_test_state(y, t, x) s_it,"
  echo "ate_state(y, t, ARRAY[x, x2, x3]) s_adj FROM b GROUP BY 1\` took $daily_ms ms (one run, $N rows);"
  echo "mean stored sizes: s_ate $sz_ate, s_it $sz_it, s_adj $sz_adj bytes."
  echo
  echo "ms per query, medians of $R repetitions, the four queries alternated within each. *EXECUTE loop*: a plpgsql"
  echo "function runs the query $L times with EXECUTE (parse, plan and execute each time) between two clock_timestamp()"
  echo "calls and divides; *PERFORM loop*: the same with PERFORM (a cached plan); *EXPLAIN*: EXPLAIN (ANALYZE, TIMING OFF)"
  echo "Execution Time (executor only, one run per repetition); *psql*: client \`\\timing\` of one run, round trip included, for contrast."
  echo "The criterion is judged on the EXECUTE loop, the largest server-side figure."
  echo
  echo "| query | EXECUTE loop | PERFORM loop | EXPLAIN | psql \\timing | under 1 ms |"
  echo "|---|---|---|---|---|---|"
  for k in "${fkeys[@]}"; do
    e=$(med "e_$k")
    ok=$(awk -v x="$e" 'BEGIN{print (x < 1) ? "yes" : "**no**"}')
    echo "| \`${fin[$k]#SELECT }\` | $(printf %.4f "$e") | $(printf %.4f "$(med "f_$k")") | $(printf %.4f "$(med "x_$k")") | $(med "c_$k") | $ok |"
  done
  echo
  echo "Script run time: ${SECONDS} s (cluster start-up and removal excluded)."
} >"$out"
cat "$out"
