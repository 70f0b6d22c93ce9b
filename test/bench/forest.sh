#!/usr/bin/env bash
# Benchmark of the causal forest (issue 15): training time of
# causal_forest(y, t, x) with grf's defaults (2,000 trees) at n = 4,000 and
# 100,000 rows, p = 10, against grf's causal_forest(X, Y, W) with the same
# options and 1 and 2 threads on the same data (when grf can be loaded:
# HTE_GRF_LIB=<R library> or R's default library); cate() per row over
# 1,000 new rows (a fresh session: the model is read once, then each row
# walks the trees) against grf's predict(..., estimate.variance = TRUE) on the
# same rows; the model's size in the table.
#
# Data: Wager & Athey's heterogeneous design, x ~ U(0,1)^10, e = 0.5,
# τ(x) = ς(x1) ς(x2), ς(u) = 1 + 1/(1 + exp(−20(u − 1/3))), y = (t − 0.5) τ + N(0,1).
# hte trains in one backend (one core; max_parallel_workers_per_gather = 0);
# medians of BENCH_REPS runs (default 3; 1 at 100,000 rows).
#
#   bash test/bench/forest.sh            # writes test/bench/FOREST.md
#   BENCH_FOREST_SIZES="4000" bash test/bench/forest.sh
#
# Needs an installed hte and R; runs in pg_virtualenv.
# shellcheck disable=SC2028  # psql's \timing is echoed literally
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=1GB bash "$0" "$@"
fi
SIZES=${BENCH_FOREST_SIZES:-4000 100000}
R=${BENCH_REPS:-3}
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=test/bench/FOREST.md
grf_ok=0
Rscript -e "suppressMessages(library(grf, lib.loc = c(Sys.getenv('HTE_GRF_LIB'), .libPaths())))" \
  >/dev/null 2>&1 && grf_ok=1

ms() {  # ms SQL: wall-clock milliseconds of one statement in a fresh session
  "${PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" -c '\timing on' -c "$1" |
    sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p' | tail -1
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

"${PSQL[@]}" -c "DROP EXTENSION IF EXISTS hte CASCADE" -c "CREATE EXTENSION hte"
{
  echo "# Causal forest benchmark"
  echo
  echo "\`bash test/bench/forest.sh\` on $(nproc) cores, $(date -u +%Y-%m-%d), PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version' | cut -d' ' -f1)."
  echo "Defaults (2,000 trees), p = 10, Wager & Athey's heterogeneous design; medians of $R runs (1 at 100,000 rows)."
  [ "$grf_ok" = 1 ] && echo "grf $(Rscript -e "cat(as.character(packageVersion('grf', lib.loc = c(Sys.getenv('HTE_GRF_LIB'), .libPaths()))))" 2>/dev/null) on the same data."
  echo
  echo "| n | hte training (1 core) | grf 1 thread | grf 2 threads | hte cate() per row | grf predict per row | model size |"
  echo "|---|---|---|---|---|---|---|"
} >"$tmp/md"

for n in $SIZES; do
  reps=$R; [ "$n" -ge 50000 ] && reps=1
  Rscript -e "
    set.seed(42); n <- $n; p <- 10
    sig <- function(u) 1 + 1 / (1 + exp(-20 * (u - 1/3)))
    mk <- function(n) { x <- matrix(runif(n * p), n, p); t <- rbinom(n, 1, 0.5)
      data.frame(y = (t - 0.5) * sig(x[, 1]) * sig(x[, 2]) + rnorm(n), t = t, x) }
    d <- mk(n); te <- mk(1000)
    f <- function(v) sprintf('%.17g', v)
    w <- function(d, file) writeLines(paste(f(d\$y), d\$t, apply(d[, 3:12], 1, function(r) paste0('\"{', paste(f(r), collapse = ','), '}\"')), sep = ','), file)
    w(d, '$tmp/train.csv'); w(te, '$tmp/test.csv')"
  "${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS ftrain, ftest, fmodel;
CREATE TABLE ftrain (y float8, t int, x float8[]);
CREATE TABLE ftest (y float8, t int, x float8[]);
\copy ftrain FROM '$tmp/train.csv' (FORMAT csv)
\copy ftest FROM '$tmp/test.csv' (FORMAT csv)
VACUUM ANALYZE ftrain;
SQL
  for _ in $(seq "$reps"); do
    "${PSQL[@]}" -c "DROP TABLE IF EXISTS fmodel"
    ms "CREATE TABLE fmodel AS SELECT causal_forest(y, t, x) AS m FROM ftrain" >>"$tmp/train.$n"
  done
  for _ in $(seq "$R"); do
    ms "SELECT sum((cate(fmodel.m, ftest.x)).estimate) FROM fmodel, ftest" >>"$tmp/cate.$n"
  done
  size=$("${PSQL[@]}" -c "SELECT round(pg_column_size(m) / 1e6, 1) FROM fmodel")
  train=$(median <"$tmp/train.$n")
  cate=$(median <"$tmp/cate.$n")
  g1="—"; g2="—"; gp="—"
  if [ "$grf_ok" = 1 ]; then
    read -r g1 g2 gp < <(Rscript -e "
      suppressMessages(library(grf, lib.loc = c(Sys.getenv('HTE_GRF_LIB'), .libPaths())))
      rd <- function(f) { d <- read.csv(f, header = FALSE, quote = '\"')
        x <- t(sapply(gsub('[{}]', '', d[[3]]), function(s) as.numeric(strsplit(s, ',')[[1]])))
        list(y = d[[1]], t = d[[2]], x = unname(x)) }
      tr <- rd('$tmp/train.csv'); te <- rd('$tmp/test.csv')
      el <- function(e) system.time(e)[['elapsed']]
      t1 <- median(replicate($reps, el(causal_forest(tr\$x, tr\$y, tr\$t, num.threads = 1, seed = 1))))
      t2s <- numeric(0)
      for (i in seq_len($reps)) t2s[i] <- el(cf <- causal_forest(tr\$x, tr\$y, tr\$t, num.threads = 2, seed = 1))
      t2 <- median(t2s)
      tp <- median(replicate($R, el(predict(cf, te\$x, estimate.variance = TRUE, num.threads = 1))))
      cat(sprintf('%.1f', t1), sprintf('%.1f', t2), sprintf('%.0f', tp / nrow(te\$x) * 1e6), '\n')" 2>"$tmp/grf.err") ||
      { echo "grf failed: $(tail -3 "$tmp/grf.err")" >&2; g1=—; g2=—; gp=—; }
    [ "$g1" != — ] && { g1="$g1 s"; g2="$g2 s"; gp="$gp µs"; }
  fi
  # cate: the query's milliseconds over 1,000 rows are microseconds per row
  printf '| %s | %.1f s | %s | %s | %.0f µs | %s | %s MB |\n' "$n" "$(echo "$train / 1000" | bc -l)" \
    "$g1" "$g2" "$cate" "$gp" "$size" >>"$tmp/md"
done
cp "$tmp/md" "$out"
cat "$out"
