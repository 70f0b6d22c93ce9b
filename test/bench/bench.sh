#!/usr/bin/env bash
# Runs inside pg_virtualenv (called by run.sh): generates the table, times the
# queries, writes raw tab-separated results to $BENCH_WORK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
W=$BENCH_WORK
N=$BENCH_ROWS
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
Q5='ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]'

log() { echo "bench: $*" >&2; }

# name <TAB> SQL.  Pairs are hte vs built-in; count is the scan floor, and
# count_yt the floor of any aggregate that reads both y and t.
queries() {
  local tb=$1
  cat <<SQL
count	SELECT count(*) FROM $tb
count_yt	SELECT count(y) FILTER (WHERE t) FROM $tb
ate	SELECT ate(y, t) FROM $tb
ate_builtin	SELECT count(y) FILTER (WHERE t), avg(y) FILTER (WHERE t), var_samp(y) FILTER (WHERE t), count(y) FILTER (WHERE NOT t), avg(y) FILTER (WHERE NOT t), var_samp(y) FILTER (WHERE NOT t) FROM $tb
interaction	SELECT interaction_test(y, t, x) FROM $tb
interaction_builtin	SELECT regr_count(y, x) FILTER (WHERE t), regr_avgx(y, x) FILTER (WHERE t), regr_avgy(y, x) FILTER (WHERE t), regr_sxx(y, x) FILTER (WHERE t), regr_sxy(y, x) FILTER (WHERE t), regr_syy(y, x) FILTER (WHERE t), regr_count(y, x) FILTER (WHERE NOT t), regr_avgx(y, x) FILTER (WHERE NOT t), regr_avgy(y, x) FILTER (WHERE NOT t), regr_sxx(y, x) FILTER (WHERE NOT t), regr_sxy(y, x) FILTER (WHERE NOT t), regr_syy(y, x) FILTER (WHERE NOT t) FROM $tb
cate_by	SELECT cate_by(y, t, g) FROM $tb
cate_by_builtin	SELECT g, count(y) FILTER (WHERE t), avg(y) FILTER (WHERE t), var_samp(y) FILTER (WHERE t), count(y) FILTER (WHERE NOT t), avg(y) FILTER (WHERE NOT t), var_samp(y) FILTER (WHERE NOT t) FROM $tb GROUP BY g
qte	SELECT qte(y, t, $Q5) FROM $tb
qte_builtin	SELECT percentile_cont($Q5) WITHIN GROUP (ORDER BY y) FILTER (WHERE t), percentile_cont($Q5) WITHIN GROUP (ORDER BY y) FILTER (WHERE NOT t) FROM $tb
SQL
}

# One timed run in a fresh backend: prints
#   ms <TAB> VmHWM before (kB) <TAB> VmHWM after (kB) <TAB> workers planned
#   <TAB> the backend's CPU ms (/proc/self/schedstat; the leader's alone when
#   parallel): unlike the wall time, hardly moved by other work on the machine
#   <TAB> its peak private memory growth (kB): VmHWM counts the shared buffers
#   the scan touched (RssShmem, tens of MB, varying), so this is VmHWM minus
#   RssShmem and RssFile after the query (both only grow), minus RssAnon
#   before it: the growth of anonymous memory, i.e. the query's own.
# The EXPLAIN first loads the catalogs and the library (untimed) and tells the
# workers planned; VmHWM is the backend's peak resident size (leader only).
run_one() {
  local workers=$1 sql=$2 extra=${3:-} out
  out=$("${PSQL[@]}" <<SQL
SET max_parallel_workers_per_gather = $workers;
$extra
EXPLAIN (COSTS OFF) $sql;
SELECT 'HWM0', substring(st from 'VmHWM:\s*(\d+)'), split_part(pg_read_file('/proc/self/schedstat'), ' ', 1), substring(st from 'RssAnon:\s*(\d+)'), substring(st from 'RssFile:\s*(\d+)'), substring(st from 'RssShmem:\s*(\d+)') FROM pg_read_file('/proc/self/status') st;
\o /dev/null
\timing on
$sql;
\timing off
\o
SELECT 'HWM1', substring(st from 'VmHWM:\s*(\d+)'), split_part(pg_read_file('/proc/self/schedstat'), ' ', 1), substring(st from 'RssAnon:\s*(\d+)'), substring(st from 'RssFile:\s*(\d+)'), substring(st from 'RssShmem:\s*(\d+)') FROM pg_read_file('/proc/self/status') st;
SQL
)
  echo "$out" | awk '
    /Workers Planned:/ { wk = $NF }
    /^HWM0\|/ { split($0, a, "|"); h0 = a[2]; c0 = a[3]; anon0 = a[4] }
    /^HWM1\|/ { split($0, a, "|"); h1 = a[2]; c1 = a[3]; file1 = a[5]; shm1 = a[6] }
    /^Time: / { ms = $2 }
    END { printf "%s\t%s\t%s\t%s\t%.1f\t%d\n", ms, h0, h1, wk + 0, (c1 - c0) / 1e6, h1 - file1 - shm1 - anon0 }'
}

{
  echo "machine	$(lscpu | sed -nE 's/^Model name: +//p' | head -1), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(uname -sr)"
  echo "postgres	$("${PSQL[@]}" -c 'SELECT version()')"
  for g in shared_buffers work_mem jit max_worker_processes max_parallel_workers max_parallel_workers_per_gather; do
    echo "setting	$g = $("${PSQL[@]}" -c "SHOW $g")"
  done
  echo "rows	$N"
  echo "reps	$BENCH_REPS"
  echo "r_reps	$BENCH_R_REPS"
  echo "load_start	$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$W/meta.tsv"

log "generating $N rows"
t0=$(date +%s.%N)
"${PSQL[@]}" <<SQL
CREATE EXTENSION hte;
SELECT setseed(0.2024);
-- y = 100 + 2x + T (3 + 0.5x) + 5 e,  e ~ N(0,1) by Box-Muller
CREATE TABLE bench AS
SELECT 100 + 2 * x + CASE WHEN t THEN 3 + 0.5 * x ELSE 0 END + 5 * e AS y, t, x, g
FROM (SELECT random() < 0.5 AS t, 10 * random() AS x, floor(50 * random())::int AS g,
             sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS e
      FROM generate_series(1, $N)) r;
CREATE TABLE bench_1m AS SELECT * FROM bench LIMIT $((N / 10));
VACUUM (FREEZE, ANALYZE) bench;
VACUUM (FREEZE, ANALYZE) bench_1m;
SQL
echo "gen_seconds	$(echo "$(date +%s.%N) - $t0" | bc)" >> "$W/meta.tsv"
echo "table_size	$("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_table_size('bench'))")" >> "$W/meta.tsv"
# warm the OS cache
"${PSQL[@]}" -c "SELECT count(*) FROM bench" >/dev/null

printf 'rep\tworkers\tquery\tms\thwm0_kb\thwm1_kb\tplanned\tcpu_ms\tpriv_kb\tload1\n' > "$W/raw.tsv"
mapfile -t QS < <(queries bench)
for ((rep = 1; rep <= BENCH_REPS; rep++)); do
  # alternate which mode goes first, so slow drift does not favour one
  if ((rep % 2)); then modes=(0 2); else modes=(2 0); fi
  for w in "${modes[@]}"; do
    for line in "${QS[@]}"; do
      name=${line%%$'\t'*}; sql=${line#*$'\t'}
      res=$(run_one "$w" "$sql")
      printf '%s\t%s\t%s\t%s\t%s\n' "$rep" "$w" "$name" "$res" "$(cut -d' ' -f1 /proc/loadavg)" >> "$W/raw.tsv"
    done
  done
  log "rep $rep/$BENCH_REPS done (load $(cut -d' ' -f1-3 /proc/loadavg))"
done

# Memory against rows: the same aggregates, serial, on the first N/10 rows
# and on all; jit off, since LLVM's own memory (~10-20 MB) would hide the states'.
printf 'table\tquery\tms\thwm0_kb\thwm1_kb\tpriv_kb\n' > "$W/mem.tsv"
for tb in bench_1m bench; do
  while IFS= read -r line; do
    name=${line%%$'\t'*}; sql=${line#*$'\t'}
    case $name in count|ate|interaction|cate_by|qte) ;; *) continue ;; esac
    res=$(run_one 0 "$sql" "SET jit = off;")
    printf '%s\t%s\t%s\n' "$tb" "$name" "$(echo "$res" | cut -f1-3,6)" >> "$W/mem.tsv"
  done < <(queries "$tb")
done
log "memory runs done"

# The export route: COPY to STDOUT piped into R (data.table::fread), timed
# end to end; GNU time gives R's peak resident size.
printf 'rep\tquery\tms\tmaxrss_kb\n' > "$W/r.tsv"
for ((rep = 1; rep <= BENCH_R_REPS; rep++)); do
  for what in ate qte; do
    t0=$(date +%s%N)
    psql -X -q -c "COPY (SELECT y, t FROM bench) TO STDOUT" |
      /usr/bin/time -f '%M' -o "$W/rtime" Rscript "$here/export_route.R" "$what" > "$W/r_$what.out"
    t1=$(date +%s%N)
    printf '%s\t%s\t%s\t%s\n' "$rep" "$what" "$(( (t1 - t0) / 1000000 ))" "$(tail -1 "$W/rtime")" >> "$W/r.tsv"
  done
done
log "export route done"

# hte's answers, to compare with R's
"${PSQL[@]}" -c "SELECT (ate(y, t)).* FROM bench" > "$W/hte_ate.out"
"${PSQL[@]}" -c "SELECT quantile, quantile_treated, quantile_control FROM (SELECT (unnest(qte(y, t, $Q5))).* FROM bench) s" > "$W/hte_qte.out"
echo "load_end	$(cut -d' ' -f1-3 /proc/loadavg)" >> "$W/meta.tsv"
