# Writes RESULTS.md from the raw timings of bench.sh.
args <- commandArgs(TRUE)
W <- args[1]; out <- args[2]
rd <- function(f) read.delim(file.path(W, f), stringsAsFactors = FALSE)
meta <- read.delim(file.path(W, "meta.tsv"), header = FALSE, quote = "",
                   col.names = c("key", "value"), stringsAsFactors = FALSE)
m1 <- function(k) paste(meta$value[meta$key == k], collapse = "; ")
raw <- rd("raw.tsv"); mem <- rd("mem.tsv"); rr <- rd("r.tsv")

med <- function(q, w) median(raw$ms[raw$query == q & raw$workers == w])
cpu <- function(q, w) median(raw$cpu_ms[raw$query == q & raw$workers == w])
wk <- function(q, w) paste(unique(raw$planned[raw$query == q & raw$workers == w]), collapse = ",")
f0 <- function(x) formatC(x, format = "f", digits = 0, big.mark = ",")
f2 <- function(x) formatC(x, format = "f", digits = 2)
ok <- function(r, tgt, le = TRUE) if (is.na(tgt)) "" else if (if (le) r <= tgt else r >= tgt) "met" else "**missed**"

L <- c()
add <- function(...) L <<- c(L, paste0(...))
add("# hte benchmark results")
add("")
add("Command: `bash test/bench/run.sh` (", f0(as.numeric(m1("rows"))), " rows, medians of ",
    m1("reps"), " interleaved repetitions; the export route ", m1("r_reps"), " repetitions). ",
    "Generated ", format(Sys.time(), "%Y-%m-%d %H:%M %Z"), ".")
add("")
add("- Machine: ", m1("machine"))
add("- PostgreSQL: ", m1("postgres"))
add("- Settings: ", gsub("; ", ", ", m1("setting")), " (all else default; a throwaway `pg_virtualenv` cluster)")
add("- Table: `bench(y float8, t boolean, x float8, g int)`, g with 50 levels, ", m1("table_size"),
    " on disk, in the OS page cache (larger than shared_buffers / 4, so scans use a ring buffer); generated in ",
    f0(as.numeric(m1("gen_seconds"))), " s")
add("- Load averages (1, 5, 15 min): ", m1("load_start"), " at the start, ", m1("load_end"),
    " at the end; 1-minute load during the timed runs ", f2(min(raw$load1)), " to ", f2(max(raw$load1)),
    ". The machine has ", sub(".*, ([0-9]+) CPUs.*", "\\1", m1("machine")),
    " cores: a load above about 0.5 means other work shared them and the times are noisy.")
add("")

add("## Speed: hte against the built-in SQL computing the same")
add("")
add("Ratio = hte's median time / the other query's median time (lower is better).")
add("")
add("Serial CPU ratio = the same with the backend's CPU time (/proc/self/schedstat) instead of the wall time: ",
    "hardly moved by other work on the machine, so the better guide when the load was high.")
add("")
add("| comparison | target | serial ratio | serial ms (hte / other) | serial CPU ratio | 2 workers ratio | 2 workers ms (hte / other) | target (serial wall) |")
add("|---|---|---|---|---|---|---|---|")
cmp <- list(
  list("`ate(y, t)` / count, avg, var_samp with FILTER per arm", "ate", "ate_builtin", 0.8),
  list("`ate(y, t)` / `count(*)` (the scan floor)", "ate", "count", 1.5),
  list("`ate(y, t)` / `count(y) FILTER (WHERE t)` (the floor for reading y and t)", "ate", "count_yt", NA),
  list("`count(y) FILTER (WHERE t)` / `count(*)`: that floor against the scan floor", "count_yt", "count", NA),
  list("`interaction_test(y, t, x)` (HC1) / regr_* with FILTER per arm", "interaction", "interaction_builtin", 1.2),
  list("`cate_by(y, t, g)` / `GROUP BY g` with count, avg, var_samp per arm", "cate_by", "cate_by_builtin", 1.0),
  list("`qte(y, t, 5 quantiles)` / `percentile_cont(5 quantiles)` per arm", "qte", "qte_builtin", 0.3))
for (c in cmp) {
  rs <- med(c[[2]], 0) / med(c[[3]], 0); rp <- med(c[[2]], 2) / med(c[[3]], 2)
  rc <- cpu(c[[2]], 0) / cpu(c[[3]], 0)
  add("| ", c[[1]], " | ", if (is.na(c[[4]])) "" else paste("≤", c[[4]]), " | ", f2(rs), " | ", f0(med(c[[2]], 0)), " / ", f0(med(c[[3]], 0)),
      " | ", f2(rc), " | ", f2(rp), " | ", f0(med(c[[2]], 2)), " / ", f0(med(c[[3]], 2)), " | ", ok(rs, c[[4]]), " |")
}
add("")

add("## Parallel scaling")
add("")
add("Speed-up = serial median / median with `max_parallel_workers_per_gather = 2` (the leader also scans, so up to 3 processes share the cores). Target for the hte aggregates: ≥ 1.7.")
add("")
add("| query | serial ms | 2 workers ms | workers planned | speed-up | target |")
add("|---|---|---|---|---|---|")
for (q in unique(raw$query)) {
  s <- med(q, 0) / med(q, 2)
  hte <- q %in% c("ate", "interaction", "cate_by", "qte")
  add("| ", q, " | ", f0(med(q, 0)), " | ", f0(med(q, 2)), " | ", wk(q, 2), " | ", f2(s), " | ",
      if (hte) ok(s, 1.7, FALSE) else "", " |")
}
add("")

add("## The export route: COPY ... TO STDOUT piped into R")
add("")
add("`psql -c \"COPY (SELECT y, t FROM bench) TO STDOUT\" | Rscript test/bench/export_route.R ate|qte`: ",
    "`data.table::fread`, then `t.test(y[t], y[!t])` or `quantile(y[arm], p, type = 7)` per arm; end to end wall time.")
add("")
add("| route | median ms | ratio to hte serial | ratio to hte, 2 workers | R peak RSS (MB) |")
add("|---|---|---|---|---|")
for (w in c("ate", "qte")) {
  r <- median(rr$ms[rr$query == w])
  add("| R `", if (w == "ate") "t.test" else "quantile", "` vs `", w, "` | ", f0(r), " | ", f2(r / med(w, 0)),
      " | ", f2(r / med(w, 2)), " | ", f0(median(rr$maxrss_kb[rr$query == w]) / 1024), " |")
}
agree <- function(a, b) {
  x <- suppressWarnings(as.numeric(strsplit(trimws(paste(readLines(file.path(W, a)), collapse = " ")), "[ |\t]+")[[1]]))
  x[!is.na(x)]
}
add("")
ra <- agree("r_ate.out"); ha <- agree("hte_ate.out"); rq <- agree("r_qte.out"); hq <- agree("hte_qte.out")
relerr <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300))
ate_err <- tryCatch(relerr(ha[c(1, 2, 6)], ra[c(1, 2, 4)]), error = function(e) NA)
hq <- matrix(hq, ncol = 3, byrow = TRUE)
qte_err <- tryCatch(relerr(c(hq[, 2], hq[, 3]), rq), error = function(e) NA)
add("Same answers: largest relative difference between R and hte ", format(ate_err, digits = 2),
    " for the estimate, standard error and df of `ate`, ", format(qte_err, digits = 2), " for the ten arm quantiles of `qte`.")
add("")

add("## Peak memory")
add("")
add("The backend's peak private memory during the query, serial, in MB: its peak resident size (`VmHWM` of /proc/<pid>/status) ",
    "less the shared memory and mapped files it holds after the query (`RssShmem`, `RssFile`; the scan's shared buffers are ",
    "tens of MB and vary), less its private memory before the query (`RssAnon`); with jit on it includes LLVM's. ",
    "Parallel workers are separate processes and not counted here: each holds a state of the same fixed size, ",
    "except `qte`'s, which hold their share of the values, all of which the leader then gathers.")
add("")
priv <- function(q, w) median(raw$priv_kb[raw$query == q & raw$workers == w]) / 1024
add("| query | 10M rows: peak private MB (serial, median) |")
add("|---|---|")
for (q in unique(raw$query)) add("| ", q, " | ", f2(priv(q, 0)), " |")
add("")
n1 <- f0(as.numeric(m1("rows")) / 10); n2 <- f0(as.numeric(m1("rows")))
add("Against the number of rows (one run each, serial, jit off so that LLVM's memory does not blur it), peak private MB:")
add("")
add("| query | ", n1, " rows | ", n2, " rows |")
add("|---|---|---|")
mm <- function(q, tb) mem$priv_kb[mem$query == q & mem$table == tb] / 1024
for (q in unique(mem$query)) add("| ", q, " | ", f2(mm(q, "bench_1m")), " | ", f2(mm(q, "bench")), " |")
add("")
add("`ate`, `interaction_test` (HC1) and `cate_by` keep fixed-size summaries (per arm, and per subgroup for cate_by): their memory does not grow with the rows. `qte` keeps 8 bytes per row (the exact quantiles need every value): 10M rows are 76 MB.")
add("")

add("## All medians (ms)")
add("")
add("| query | serial | 2 workers |")
add("|---|---|---|")
for (q in unique(raw$query)) add("| ", q, " | ", f0(med(q, 0)), " | ", f0(med(q, 2)), " |")
add("")
add("The queries are in `test/bench/bench.sh`; each timed run is a fresh connection (an untimed EXPLAIN first loads the catalogs and the library), timed with psql's `\\timing`.")
writeLines(L, out)
