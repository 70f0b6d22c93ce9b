#!/usr/bin/env bash
# Benchmark of the observational aggregates (issue 11): time per row of
# estimands(y, t, x, method, link) for aipw, ipw and ra with the logit link and
# aipw with the probit link, propensity_model, overlap_check and balance_table
# on BENCH_ROWS rows (default 1M) with p = 10 covariates (ten float8 columns,
# passed as ARRAY[x1, ..., x10] as a user would), the backend's peak memory
# for aipw (the aggregates keep 8 (p + 2) bytes a row), the Fisher scoring
# iterations of the propensity model, aipw with 2 parallel workers, and the
# export route a user would otherwise take: COPY the rows out to a CSV file,
# then R reads it, fits glm(binomial) for the propensity and lm per arm, and
# computes the AIPW ATE with its influence-function SE (read time included).
# Medians of 3 runs.
#
#   bash test/bench/observational.sh         # writes test/bench/OBSERVATIONAL.md
#
# Needs the build and test packages (test/deps.sh) and r-cran-data.table (for
# the fread variant of the export route); runs in pg_virtualenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=1GB -o max_parallel_workers_per_gather=2 bash "$0" "$@"
fi
N=${BENCH_ROWS:-1000000}
P=10
start=$SECONDS
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
X="ARRAY[x1, x2, x3, x4, x5, x6, x7, x8, x9, x10]"
XS="x1, x2, x3, x4, x5, x6, x7, x8, x9, x10"

# Covariates: approximately standard normal (a sum of 3 uniforms, scaled;
# bounded by 3 in absolute value).  Treatment: logistic in x1..x4 with a
# linear predictor bounded by 3, so every propensity is in (0.047, 0.953).
# Outcome: linear per arm with a heterogeneous effect 2 + 0.5 x1 - 0.3 x6
# (ATE 2; ATT > ATE as the treated have larger x1), noise of sd 1.
"${PSQL[@]}" <<SQL
DROP EXTENSION IF EXISTS hte CASCADE;
CREATE EXTENSION hte;
DROP TABLE IF EXISTS ob;
SELECT setseed(0.11) \g /dev/null
CREATE TABLE ob AS
SELECT i, t, 1 + x1 + 0.5 * x2 - 0.5 * x3 + 0.3 * x5 + t::int * (2 + 0.5 * x1 - 0.3 * x6) + e AS y, $XS
FROM (SELECT *, random() < 1 / (1 + exp(-(0.35 * x1 - 0.3 * x2 + 0.25 * x3 + 0.1 * x4))) AS t,
             (random() + random() + random() - 1.5) * 2 AS e
      FROM (SELECT i,
                   (random() + random() + random() - 1.5) * 2 AS x1, (random() + random() + random() - 1.5) * 2 AS x2,
                   (random() + random() + random() - 1.5) * 2 AS x3, (random() + random() + random() - 1.5) * 2 AS x4,
                   (random() + random() + random() - 1.5) * 2 AS x5, (random() + random() + random() - 1.5) * 2 AS x6,
                   (random() + random() + random() - 1.5) * 2 AS x7, (random() + random() + random() - 1.5) * 2 AS x8,
                   (random() + random() + random() - 1.5) * 2 AS x9, (random() + random() + random() - 1.5) * 2 AS x10
            FROM generate_series(1, $N) i OFFSET 0) a OFFSET 0) b;
VACUUM ANALYZE ob;
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
nsrow() { awk -v a="$1" -v n="$N" 'BEGIN{printf "%.0f", a*1e6/n}'; }

out=test/bench/OBSERVATIONAL.md
{
  echo "# Observational estimands: benchmark"
  echo
  echo "\`bash test/bench/observational.sh\` on $(nproc) cores, $N rows, p = $P covariates"
  echo "(ten float8 columns passed as \`ARRAY[x1, ..., x10]\`), $(date -u +%Y-%m-%d);"
  echo "PostgreSQL $(pg_config --version | awk '{print $2}'). Medians of 3 runs, wall clock; serial unless stated."
  echo
  echo "| query | ms | ns / row |"
  echo "|---|---|---|"
} >"$out"
row() {  # row LABEL WORKERS SQL: time it, append a table row, print the ms
  local ms
  ms=$(time_ms "$2" "$3")
  echo "| $1 | $ms | $(nsrow "$ms") |" >>"$out"
  echo "observational: $1 $ms ms" >&2
  echo "$ms"
}
scan=$(row "\`count(*)\` (scan floor)" 0 "SELECT count(*) FROM ob")
arr=$(row "\`count($X)\` (scan + array)" 0 "SELECT count($X) FROM ob")
aipw=$(row "\`estimands(y, t, x, 'aipw', 'logit')\`" 0 "SELECT estimands(y, t, $X, 'aipw', 'logit') FROM ob")
ipw=$(row "\`estimands(y, t, x, 'ipw', 'logit')\`" 0 "SELECT estimands(y, t, $X, 'ipw', 'logit') FROM ob")
ra=$(row "\`estimands(y, t, x, 'ra', 'logit')\`" 0 "SELECT estimands(y, t, $X, 'ra', 'logit') FROM ob")
probit=$(row "\`estimands(y, t, x, 'aipw', 'probit')\`" 0 "SELECT estimands(y, t, $X, 'aipw', 'probit') FROM ob")
ps=$(row "\`propensity_model(t, x)\`" 0 "SELECT propensity_model(t, $X) FROM ob")
ov=$(row "\`overlap_check(t, x)\`" 0 "SELECT overlap_check(t, $X) FROM ob")
bal=$(row "\`balance_table(t, x)\`" 0 "SELECT balance_table(t, $X) FROM ob")
plan=$("${PSQL[@]}" <<SQL
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
EXPLAIN SELECT estimands(y, t, $X, 'aipw', 'logit') FROM ob;
SQL
)
aipwp=$(row "\`estimands(y, t, x, 'aipw', 'logit')\`, 2 parallel workers" 2 "SELECT estimands(y, t, $X, 'aipw', 'logit') FROM ob")
workers=$(sed -nE 's/.*Workers Planned: ([0-9]+).*/\1/p' <<<"$plan")

# Peak memory of the backend (VmHWM, which counts the shared buffers it has
# touched): after a count(*) that touches every page of the table, then after
# the aipw query, in the same session; serial and with 2 workers (leader).
hwm() {  # hwm WORKERS: "before after" VmHWM in kB
  "${PSQL[@]}" <<SQL | awk '/^VmHWM/ {printf "%s ", $2}'
SET max_parallel_workers_per_gather = $1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
\o /dev/null
SELECT count(*) FROM ob;
\o
\! grep VmHWM /proc/\$BPID/status
\o /dev/null
SELECT estimands(y, t, $X, 'aipw', 'logit') FROM ob;
\o
\! grep VmHWM /proc/\$BPID/status
SQL
}
read -r h0 h1 <<<"$(hwm 0)"
read -r hp0 hp1 <<<"$(hwm 2)"
expect_mb=$(awk -v n="$N" -v p="$P" 'BEGIN{printf "%.1f", 8*(p+2)*n/1048576}')
mb() { awk -v a="$1" 'BEGIN{printf "%.1f", a/1024}'; }
dmb() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", (b-a)/1024}'; }

# Iterations, and the results (for the comparison with R below)
its=$("${PSQL[@]}" -F ' ' -c "SELECT (propensity_model(t, $X)).iterations, (propensity_model(t, $X, 'probit')).iterations FROM ob")
read -r it_logit it_probit <<<"$its"
ovl=$("${PSQL[@]}" -F ' ' -c "SELECT round(least((o).ps_min_treated, (o).ps_min_control)::numeric, 3), round(greatest((o).ps_max_treated, (o).ps_max_control)::numeric, 3), round((o).crump_alpha::numeric, 4), (o).iterations FROM (SELECT overlap_check(t, $X) AS o FROM ob) s")
read -r ps_lo ps_hi crump it_ov <<<"$ovl"
est=$("${PSQL[@]}" -F ' ' -c "SELECT (e).estimand, round((e).estimate::numeric, 4), round((e).std_error::numeric, 5) FROM (SELECT unnest(estimands(y, t, $X, 'aipw', 'logit')) e FROM ob) s WHERE (e).estimand IN ('ATE', 'ATT')")
read -r _ ate_h se_h _ att_h att_se_h <<<"$(tr '\n' ' ' <<<"$est")"

# The export route: COPY out, then R reads the file, fits the propensity by
# glm and the outcome by lm per arm, and computes the AIPW ATE and its SE.
cat >"$work/aipw.R" <<'R'
t0 <- Sys.time()
d <- read.csv(commandArgs(TRUE)[1], header = FALSE, col.names = c("y", "t", paste0("x", 1:10)))
t1 <- Sys.time()
rhs <- paste(paste0("x", 1:10), collapse = " + ")
ps <- glm(as.formula(paste("t ~", rhs)), family = binomial, data = d)
e <- fitted(ps)
m1 <- lm(as.formula(paste("y ~", rhs)), data = d, subset = t == 1)
m0 <- lm(as.formula(paste("y ~", rhs)), data = d, subset = t == 0)
mu1 <- predict(m1, newdata = d)
mu0 <- predict(m0, newdata = d)
psi <- mu1 - mu0 + d$t * (d$y - mu1) / e - (1 - d$t) * (d$y - mu0) / (1 - e)
ate <- mean(psi)
se <- sd(psi) / sqrt(nrow(d))
t2 <- Sys.time()
ms <- function(a, b) as.numeric(difftime(b, a, units = "secs")) * 1000
t3 <- Sys.time()
d2 <- data.table::fread(commandArgs(TRUE)[1], header = FALSE)
t4 <- Sys.time()
cat(ms(t0, t1), ms(t1, t2), format(ate, digits = 8), format(se, digits = 6), ps$iter, ms(t3, t4),
    data.table::getDTthreads(), "\n")
R
t0=$(date +%s.%N)
"${PSQL[@]}" -c "\\copy (SELECT y, t::int, $XS FROM ob) TO '$work/ob.csv' (FORMAT csv)"
t1=$(date +%s.%N)
rout=$(Rscript "$work/aipw.R" "$work/ob.csv")
t2=$(date +%s.%N)
read -r r_read r_fit ate_r se_r it_r r_fread dt_threads <<<"$rout"
copy_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", (b-a)*1000}')
rscript_ms=$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.0f", (b-a)*1000}')
r_ms=$(awk -v a="$r_read" -v b="$r_fit" 'BEGIN{printf "%.0f", a+b}')
export_ms=$(awk -v a="$copy_ms" -v b="$r_ms" 'BEGIN{printf "%.0f", a+b}')
export_fread_ms=$(awk -v a="$copy_ms" -v b="$r_fread" -v c="$r_fit" 'BEGIN{printf "%.0f", a+b+c}')
csv_mb=$(du -m "$work/ob.csv" | cut -f1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", a/b}'; }

{
  echo
  echo "Per row, \`estimands(... 'aipw', 'logit')\` costs $(nsrow "$aipw") ns against $(nsrow "$scan") ns for \`count(*)\` and"
  echo "$(nsrow "$arr") ns for building the array alone; ipw and ra cost $(ratio "$ipw" "$aipw") and $(ratio "$ra" "$aipw") times aipw, probit $(ratio "$probit" "$aipw") times logit."
  echo
  echo "Peak memory of the backend (VmHWM, including the shared buffers it touched) after a \`count(*)\` over the"
  echo "table and then after \`estimands(... 'aipw', 'logit')\` in the same session: $(mb "$h0") MB and $(mb "$h1") MB,"
  echo "a rise of $(dmb "$h0" "$h1") MB against 8 (p + 2) n = $expect_mb MB of kept rows (the state grows by doubling,"
  echo "to $(awk -v n="$N" -v p="$P" 'BEGIN{c=1024; while (c<n) c*=2; printf "%.1f", 8*(p+2)*c/1048576}') MB of capacity here)."
  echo "With 2 parallel workers the leader's VmHWM goes from $(mb "$hp0") MB to $(mb "$hp1") MB (a rise of $(dmb "$hp0" "$hp1") MB, which"
  echo "also counts the shared buffers the leader touches in its part of the scan: it receives the workers' serialized rows,"
  echo "deserializes them and combines them into its own state)."
  echo
  echo "Fisher scoring iterations of the propensity model: $it_logit with the logit link, $it_probit with the probit link"
  echo "(R's glm(binomial) took $it_r for the logit). Propensities from the logit fit lie in [$ps_lo, $ps_hi]; Crump's alpha $crump."
  echo
  echo "Export route: COPY to CSV ($csv_mb MB) $copy_ms ms + R $r_ms ms (read.csv $(printf %.0f "$r_read") ms, fitting $(printf %.0f "$r_fit") ms;"
  echo "Rscript wall clock with start-up $rscript_ms ms) = $export_ms ms. The R code timed, after \`read.csv\`:"
  echo "\`glm(t ~ x1 + ... + x10, family = binomial)\`, \`lm(y ~ x1 + ... + x10)\` on each arm, \`predict\` of both on"
  echo "all rows, \`psi <- mu1 - mu0 + t (y - mu1) / e - (1 - t) (y - mu0) / (1 - e)\`, ATE \`mean(psi)\`,"
  echo "SE \`sd(psi) / sqrt(n)\`. R: ATE $ate_r (SE $se_r); \`estimands\`: ATE $ate_h (SE $se_h), ATT $att_h (SE $att_se_h)."
  echo "\`estimands(... 'aipw', 'logit')\` serial is $(ratio "$export_ms" "$aipw")x faster than the export route (target: 5x),"
  echo "with 2 workers $(ratio "$export_ms" "$aipwp")x."
  echo "Reading the file with \`data.table::fread\` instead (timed separately, not part of the route above; data.table threads: $dt_threads)"
  echo "takes $(printf %.0f "$r_fread") ms: that route, $export_fread_ms ms, takes $(ratio "$export_fread_ms" "$aipw") times as long as \`estimands(... 'aipw', 'logit')\`."
  echo
  echo "Parallel: with max_parallel_workers_per_gather = 2 (parallel_setup_cost = parallel_tuple_cost = 0;"
  echo "${workers:-no} workers planned) aipw takes $aipwp ms against $aipw ms serial, a speed-up of"
  echo "$(awk -v a="$aipw" -v b="$aipwp" 'BEGIN{printf "%.2f", a/b}')x: the scan and the transition run in parallel, the fit in the final function is serial."
  echo
  echo "Script run time $((SECONDS - start)) s."
} >>"$out"
cat "$out"
