# Size of the QTE flatness test of homogeneity_test() under a pure location
# shift (constant effect, so every QTE is equal and H0 holds): the share of
# seeds with p < 0.05 should be near 0.05.  Slow; not run by run_all.sh.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/size_qte.R <repo top> [seeds] [rows per arm]
# Prints the rejection rate at 5% per design, with a binomial 95% interval.

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
seeds <- if (length(args) >= 2) as.integer(args[2]) else 200L
n_arm <- if (length(args) >= 3) as.integer(args[3]) else 1000L
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_size_qte"
setup_db(top)

designs <- list(
  normal = function(n) rnorm(n),
  exponential = function(n) rexp(n),
  t3 = function(n) rt(n, 3))

for (name in names(designs)) {
  gen <- designs[[name]]
  d <- do.call(rbind, lapply(seq_len(seeds), function(s) {
    set.seed(1000 + s)
    t <- rep(c(TRUE, FALSE), each = n_arm)
    data.frame(seed = s, y = gen(2 * n_arm) + 0.5 * t, t = t)
  }))
  tab <- paste0("size_", name)
  load_set(tab, d)
  res <- db_query(sprintf(paste(
    "SELECT seed, (h).qte_flatness_p_value AS p, (h).variance_ratio_p_value AS pv",
    "FROM (SELECT seed, homogeneity_test(y, t) AS h FROM %s GROUP BY seed) s ORDER BY seed"), tab))
  for (col in c("p", "pv")) {
    rej <- sum(res[[col]] < 0.05, na.rm = TRUE)
    ci <- binom.test(rej, sum(!is.na(res[[col]])))$conf.int
    cat(sprintf("%-12s %-22s %d seeds, %d rows per arm: rejection rate at 5%% = %.3f (%d/%d; 95%% CI %.3f-%.3f), %d NULL\n",
                name, if (col == "p") "QTE flatness (chi2(8))" else "variance ratio (F)",
                seeds, n_arm, rej / sum(!is.na(res[[col]])), rej, sum(!is.na(res[[col]])),
                ci[1], ci[2], sum(is.na(res[[col]]))))
  }
}
invisible(system2("dropdb", db))
