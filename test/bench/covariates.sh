#!/usr/bin/env bash
# Benchmark of the covariate-adjusted aggregates (issue 10): time per row and
# state size of ate(y, t, covariates) for p = 1, 2, 5, 10, 20 on BENCH_ROWS
# rows (default 1M), serial and with 2 parallel workers at p = 5, the
# joint interaction_test and both together (one shared state), and the export
# route a user would otherwise take at p = 5: COPY the rows out to a file and
# fit estimatr::lm_lin in R (read time included).  Medians of 3 runs.
#
#   bash test/bench/covariates.sh            # writes test/bench/COVARIATES.md
#
# Needs the build and test packages (test/deps.sh); runs in pg_virtualenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=1GB -o max_parallel_workers_per_gather=2 bash "$0" "$@"
fi
N=${BENCH_ROWS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<SQL
DROP EXTENSION IF EXISTS hte CASCADE;
CREATE EXTENSION hte;
DROP TABLE IF EXISTS cb;
CREATE TABLE cb AS
SELECT i, g % 2 = 0 AS t,
       100 + (g % 2) * 2.5 + x[1] * 1.5 + x[2] - x[3] * 0.5 + (g % 2) * x[1] * 0.4 + sin(i * 1.7) * 3 AS y, x
FROM (SELECT i, hashint4(i) AS g,
             ARRAY(SELECT sin(i * 0.37 + j * 1.1) * (1 + j % 3) + (hashint4(i * 31 + j) % 1000) / 500.0
                   FROM generate_series(1, 20) j)::float8[] AS x
      FROM generate_series(1, $N) i) s;
VACUUM ANALYZE cb;
CREATE AGGREGATE cov_state(float8, boolean, float8[]) (SFUNC = hte_cov_trans, STYPE = float8[], INITCOND = '{3,0,0,0}');
SQL

time_ms() {  # time_ms WORKERS SQL: median of 3 wall-clock ms
  local w=$1 sql=$2
  for r in 1 2 3; do
    "${PSQL[@]}" <<SQL | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'
SET max_parallel_workers_per_gather = $w;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
\o /dev/null
\timing on
$sql;
SQL
  done | sort -g | sed -n 2p
}

out=test/bench/COVARIATES.md
{
  echo "# Covariate adjustment: benchmark"
  echo
  echo "\`bash test/bench/covariates.sh\` on $(nproc) cores, $N rows, $(date -u +%Y-%m-%d);"
  echo "PostgreSQL $(pg_config --version | awk '{print $2}'). Medians of 3 runs, wall clock."
  echo
  echo "| p | query | ms | ns / row | state bytes |"
  echo "|---|---|---|---|---|"
} >"$out"
scan=$(time_ms 0 "SELECT count(*) FROM cb")
echo "| – | \`count(*)\` (scan floor) | $scan | $(awk -v a="$scan" -v n="$N" 'BEGIN{printf "%.0f", a*1e6/n}') | – |" >>"$out"
for p in 1 2 5 10 20; do
  arr="x[1:$p]"
  # p = 20 on a tenth of the rows (its time per row is what is reported)
  rows=$N; where=""
  [ "$p" -eq 20 ] && { rows=$((N / 10)); where="WHERE i <= $rows"; }
  ms=$(time_ms 0 "SELECT ate(y, t, $arr) FROM cb $where")
  size=$("${PSQL[@]}" -c "SELECT pg_column_size(cov_state(y, t, $arr)) FROM cb WHERE i <= 1000")
  echo "| $p | \`ate(y, t, x[1:$p])\`${where:+ on $rows rows} | $ms | $(awk -v a="$ms" -v n="$rows" 'BEGIN{printf "%.0f", a*1e6/n}') | $size |" >>"$out"
  echo "covariates: p=$p $ms ms" >&2
done
ms5=$(time_ms 0 "SELECT ate(y, t, x[1:5]) FROM cb")
ms5p=$(time_ms 2 "SELECT ate(y, t, x[1:5]) FROM cb")
msj=$(time_ms 0 "SELECT interaction_test(y, t, x[1:5]) FROM cb")
msb=$(time_ms 0 "SELECT ate(y, t, x[1:5]), interaction_test(y, t, x[1:5]) FROM cb")
size_big=$("${PSQL[@]}" -c "SELECT pg_column_size(cov_state(y, t, x[1:5])) FROM cb")
{
  echo "| 5 | \`interaction_test(y, t, x[1:5])\` | $msj | | |"
  echo "| 5 | both in one query (shared state) | $msb | | |"
  echo "| 5 | \`ate(y, t, x[1:5])\`, 2 parallel workers | $ms5p | | |"
  echo
  echo "State size at p = 5 after 1,000 rows and after $N rows: $("${PSQL[@]}" -c "SELECT pg_column_size(cov_state(y, t, x[1:5])) FROM cb WHERE i <= 1000") and $size_big bytes (independent of the rows)."
  echo "Parallel speed-up at p = 5 with 2 workers: $(awk -v a="$ms5" -v b="$ms5p" 'BEGIN{printf "%.2f", a/b}')x."
} >>"$out"

# the export route at p = 5: COPY out, then R reads the file and fits lm_lin
t0=$(date +%s.%N)
"${PSQL[@]}" -c "\\copy (SELECT y, t::int, x[1], x[2], x[3], x[4], x[5] FROM cb) TO '$work/cb.csv' (FORMAT csv)"
t1=$(date +%s.%N)
rt=$(Rscript -e 'suppressMessages(library(estimatr)); t0 <- Sys.time(); d <- read.csv(commandArgs(TRUE)[1], header = FALSE, col.names = c("y", "t", paste0("x", 1:5))); f <- lm_lin(y ~ t, covariates = ~ x1 + x2 + x3 + x4 + x5, data = d, se_type = "HC1"); cat(as.numeric(difftime(Sys.time(), t0, units = "secs")) * 1000)' "$work/cb.csv")
copy_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", (b-a)*1000}')
export_ms=$(awk -v a="$copy_ms" -v b="$rt" 'BEGIN{printf "%.0f", a+b}')
{
  echo
  echo "Export route at p = 5: COPY to CSV $copy_ms ms + R read.csv and estimatr::lm_lin(se_type = \"HC1\") $(printf %.0f "$rt") ms = $export_ms ms;"
  echo "\`ate(y, t, x[1:5])\` serial is $(awk -v a="$export_ms" -v b="$ms5" 'BEGIN{printf "%.1f", a/b}')x faster, with 2 workers $(awk -v a="$export_ms" -v b="$ms5p" 'BEGIN{printf "%.1f", a/b}')x."
} >>"$out"
cat "$out"
