# Cross-check of qte() and homogeneity_test() against R, every column,
# relative error <= 1e-9:
#   - quantiles: R quantile(type = 7), and bit for bit the formula of
#     PostgreSQL's percentile_cont (lo + (pos - floor(pos)) * (hi - lo));
#   - standard errors: the spec's Hall-Sheather sparsity, written here
#     independently (quantreg's bandwidth.rq "hs" formula);
#   - variance ratio: var.test (and its two tails taken directly);
#   - QTE flatness: the Wald statistic through a Helmert contrast matrix
#     (the extension uses successive differences: the statistic does not
#     depend on the choice) and solve().
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_qte.R <repo top>
# Ends with "r-qte: N passed, M failed"; exits non-zero on failure.

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_qte"
setup_db(top)

q7 <- function(x, p) unname(quantile(x, p, type = 7, names = FALSE))

# percentile_cont's own arithmetic, for the bit-for-bit check
pc <- function(x, p) {
  x <- sort(x); n <- length(x)
  pos <- p * (n - 1); lo <- floor(pos); hi <- ceiling(pos)
  if (hi > lo) x[lo + 1] + (pos - lo) * (x[hi + 1] - x[lo + 1]) else x[lo + 1]
}

# Hall-Sheather bandwidth (quantreg::bandwidth.rq, hs = TRUE)
hs <- function(p, n, alpha) {
  x0 <- qnorm(p)
  f0 <- dnorm(x0)
  n^(-1/3) * qnorm(1 - alpha/2)^(2/3) * ((1.5 * f0^2)/(2 * x0^2 + 1))^(1/3)
}

sparsity <- function(x, p, alpha) {
  n <- length(x)
  if (n < 2) return(NA_real_)
  h <- hs(p, n, alpha)
  if (!is.finite(h) || h == 0) return(NA_real_)
  lo <- max(p - h, 0); hi <- min(p + h, 1)
  (q7(x, hi) - q7(x, lo)) / (hi - lo)
}

ref_qte <- function(y1, y0, p, level) {
  alpha <- 1 - level
  n1 <- length(y1); n0 <- length(y0)
  Q1 <- if (n1 > 0) q7(y1, p) else NA_real_
  Q0 <- if (n0 > 0) q7(y0, p) else NA_real_
  est <- Q1 - Q0
  se <- sqrt(p * (1 - p) * sparsity(y1, p, alpha)^2 / n1 +
             p * (1 - p) * sparsity(y0, p, alpha)^2 / n0)
  z <- qnorm(1 - alpha/2)
  pv <- if (!is.na(se) && se > 0) 2 * pnorm(-abs(est) / se) else NA_real_
  list(quantile = p, estimate = est, quantile_treated = Q1, quantile_control = Q0,
       std_error = se, ci_lower = est - z * se, ci_upper = est + z * se, p_value = pv,
       n_treated = n1, n_control = n0,
       pc_treated = if (n1 > 0) pc(y1, p) else NA_real_,
       pc_control = if (n0 > 0) pc(y0, p) else NA_real_)
}

ref_homogeneity <- function(y1, y0, level) {
  alpha <- 1 - level
  n1 <- length(y1); n0 <- length(y0)
  v1 <- if (n1 >= 2) var(y1) else NA_real_
  v0 <- if (n0 >= 2) var(y0) else NA_real_
  ratio <- if (!is.na(v0) && v0 > 0) v1 / v0 else NA_real_
  pv <- if (!is.na(ratio)) 2 * min(pf(ratio, n1 - 1, n0 - 1),
                                   pf(ratio, n1 - 1, n0 - 1, lower.tail = FALSE)) else NA_real_
  vt <- if (!is.na(ratio)) var.test(y1, y0) else NULL
  W <- NA_real_; pW <- NA_real_
  if (n1 >= 2 && n0 >= 2) {
    p <- (1:9) / 10
    d <- q7(y1, p) - q7(y0, p)
    s1 <- sapply(p, function(pp) sparsity(y1, pp, alpha))
    s0 <- sapply(p, function(pp) sparsity(y0, pp, alpha))
    K <- outer(p, p, pmin) - outer(p, p)
    S <- K * outer(s1, s1) / n1 + K * outer(s0, s0) / n0
    C <- t(contr.helmert(9))
    M <- C %*% S %*% t(C)
    if (rcond(M) > 1e-12) {
      e <- C %*% d
      W <- drop(t(e) %*% solve(M, e))
      pW <- pchisq(W, 8, lower.tail = FALSE)
    }
  }
  list(variance_treated = v1, variance_control = v0, variance_ratio = ratio,
       variance_ratio_p_value = pv,
       ite_sd_lower = abs(sqrt(v1) - sqrt(v0)), ite_sd_upper = sqrt(v1) + sqrt(v0),
       qte_flatness_statistic = W, qte_flatness_df = 8, qte_flatness_p_value = pW,
       var_test = vt)
}

levels_q <- sort(unique(c(0, 0.01, (1:9) / 10, 0.25, 0.37, 0.75, 0.99, 1)))
qte_cols <- c("quantile", "estimate", "quantile_treated", "quantile_control", "std_error",
              "ci_lower", "ci_upper", "p_value", "n_treated", "n_control")
hom_cols <- c("variance_treated", "variance_control", "variance_ratio", "variance_ratio_p_value",
              "ite_sd_lower", "ite_sd_upper", "qte_flatness_statistic", "qte_flatness_df",
              "qte_flatness_p_value")

exact <- function(label, ours, ref) {
  ok <- (is.na(ref) && is.na(ours)) || (!is.na(ref) && !is.na(ours) && ours == ref)
  if (isTRUE(ok)) passed <<- passed + 1L
  else {
    failed <<- failed + 1L
    cat(sprintf("FAIL %-60s ours=%.17g want exactly %.17g\n", label, ours, ref))
  }
}

compare <- function(label, y, t, table, ycol, tcol) {
  keep <- !is.na(y) & !is.na(t)
  y1 <- y[keep & t]; y0 <- y[keep & !t]
  arr <- sprintf("ARRAY[%s]::float8[]", paste(format(levels_q, digits = 17), collapse = ","))
  for (level in c(0.95, 0.90)) {
    res <- db_query(sprintf("SELECT (unnest(qte(%s, %s, %s))).* FROM %s", ycol, tcol, arr, table), level)
    for (i in seq_along(levels_q)) {
      p <- levels_q[i]
      ref <- ref_qte(y1, y0, p, level)
      L <- function(col) sprintf("%s q=%s [%s] %s", label, p, level, col)
      for (col in qte_cols) check(L(col), res[[col]][i], ref[[col]])
      exact(L("quantile_treated = percentile_cont"), res$quantile_treated[i], ref$pc_treated)
      exact(L("quantile_control = percentile_cont"), res$quantile_control[i], ref$pc_control)
    }
    # the one-level form, at two levels
    for (p in c(0.25, 0.5)) {
      r1 <- db_query(sprintf("SELECT (qte(%s, %s, %s)).* FROM %s", ycol, tcol,
                             format(p, digits = 17), table), level)
      ref <- ref_qte(y1, y0, p, level)
      for (col in qte_cols)
        check(sprintf("%s scalar q=%s [%s] %s", label, p, level, col), r1[[col]], ref[[col]])
    }
    h <- db_query(sprintf("SELECT (homogeneity_test(%s, %s)).* FROM %s", ycol, tcol, table), level)
    ref <- ref_homogeneity(y1, y0, level)
    for (col in hom_cols) check(sprintf("%s [%s] %s", label, level, col), h[[col]], ref[[col]])
    if (!is.null(ref$var_test)) {
      # var.test forms the upper tail as 1 - P, good to about 1e-16 absolute
      check(sprintf("%s [%s] variance_ratio (var.test)", label, level), h$variance_ratio,
            unname(ref$var_test$statistic))
      vp <- ref$var_test$p.value
      if (vp < 1e-12) {
        # below that, R's 1 - P has no correct digits (it may be exactly 0)
        check(sprintf("%s [%s] variance_ratio_p_value < 1e-12 (var.test)", label, level),
              h$variance_ratio_p_value < 1e-12, TRUE)
      } else
        check(sprintf("%s [%s] variance_ratio_p_value (var.test)", label, level),
              h$variance_ratio_p_value, vp, rtol = max(tol, 1e-15 / vp))
    }
  }
}

## ------------------------------------------------------------- real data
star <- read_star(top)
nsw <- read_nsw(top)
compare("STAR y ~ small class", star$y, star$treated, "star", "y", "treated")
compare("NSW re78 ~ treat", nsw$re78, nsw$treat, "nsw", "re78", "treat")
compare("NSW re78 ~ treat (int2)", nsw$re78, nsw$treat, "nsw", "re78", "treat::int::smallint")

## -------------------------------------------------------- generated data
set.seed(20261125)
# lognormal with a rising QTE profile: the treated arm is more spread out
n1 <- 1300; n0 <- 1700
t <- rep(c(TRUE, FALSE), c(n1, n0))
y <- ifelse(t, exp(0.2 + 1.3 * rnorm(n1 + n0)), exp(rnorm(n1 + n0)))
load_set("gen_lognormal", data.frame(y = y, t = t))
compare("generated: lognormal, rising QTE", y, t, "gen_lognormal", "y", "t")

# location shift: constant effect 0.5
t <- runif(2500) < 0.45
y <- rnorm(2500) + 0.5 * t
load_set("gen_shift", data.frame(y = y, t = t))
compare("generated: location shift", y, t, "gen_shift", "y", "t")

# small: 2 and 3 rows, NULLs skipped
d <- data.frame(y = c(1, 4, NA, 2, 8, 3, 5), t = c(TRUE, TRUE, TRUE, FALSE, FALSE, FALSE, NA))
load_set("gen_small", d)
compare("generated: 2 + 3 rows", d$y, d$t, "gen_small", "y", "t")

# rounded outcomes: many ties (sparsities that are 0)
t <- runif(600) < 0.5
y <- round(rnorm(600, 10 + t, 2))
load_set("gen_ties", data.frame(y = y, t = t))
compare("generated: integer outcome with ties", y, t, "gen_ties", "y", "t")

finish("r-qte")
