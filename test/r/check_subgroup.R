# Cross-check of cate_by(), heterogeneity_test() and p_adjust() against R:
# per subgroup t.test / estimatr::difference_in_means and p.adjust; Cochran's
# Q, I^2, the pooled estimate and tau^2 against metafor::rma (FE and DL); the
# Gail–Simon test against an independent implementation of its formula.
# Relative error <= 1e-9.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_subgroup.R <repo top>
# Ends with "r-subgroup: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages({
  library(estimatr)
  library(metafor)
})

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_subgroup"
setup_db(top)

methods <- c("none", "bonferroni", "holm", "hochberg", "BH", "BY")

# The ate columns of one subgroup by the definitions (t.test where defined).
r_subgroup <- function(y1, y0, level) {
  n1 <- length(y1); n0 <- length(y0)
  out <- list(n_treated = n1, n_control = n0,
              mean_treated = if (n1 >= 1) mean(y1) else NA,
              mean_control = if (n0 >= 1) mean(y0) else NA,
              sd_treated = if (n1 >= 2) sd(y1) else NA,
              sd_control = if (n0 >= 2) sd(y0) else NA,
              estimate = if (n1 >= 1 && n0 >= 1) mean(y1) - mean(y0) else NA,
              std_error = NA, df = NA, ci_lower = NA, ci_upper = NA, p_value = NA)
  if (n1 >= 2 && n0 >= 2) {
    out$std_error <- sqrt(var(y1) / n1 + var(y0) / n0)
    if (out$std_error > 0) {
      tt <- t.test(y1, y0, var.equal = FALSE, conf.level = level)
      out$df <- unname(tt$parameter)
      out$ci_lower <- tt$conf.int[1]
      out$ci_upper <- tt$conf.int[2]
      out$p_value <- tt$p.value
      stopifnot(abs(tt$stderr - out$std_error) <= 1e-12 * out$std_error)
    }
  }
  out
}

# Gail & Simon (1985), written from the paper's formula, independently of
# the C code: Q- over positive effects, Q+ over negative, binomial mixture.
gail_simon <- function(d, se) {
  k <- length(d)
  qneg <- sum((d[d > 0] / se[d > 0])^2)
  qpos <- sum((d[d < 0] / se[d < 0])^2)
  stat <- min(qpos, qneg)
  h <- seq_len(k - 1)
  # the weights in logs: 2^(k-1) overflows beyond about 1000 subgroups
  p <- sum(exp(lchoose(k - 1, h) - (k - 1) * log(2)) * pchisq(stat, df = h, lower.tail = FALSE))
  c(stat = stat, p = p)
}

compare <- function(label, y, t, g, table, ycol, tcol, gcol, level = 0.95) {
  keep <- !is.na(y) & !is.na(t)
  y <- y[keep]; t <- t[keep]; g <- g[keep]
  gkey <- ifelse(is.na(g), "<NULL>", as.character(g))
  groups <- unique(gkey)
  ref <- lapply(setNames(groups, groups), function(k)
    r_subgroup(y[gkey == k & t], y[gkey == k & !t], level))
  pv <- sapply(ref, function(r) r$p_value)
  cols <- c("estimate", "std_error", "ci_lower", "ci_upper", "p_value", "df", "n_treated",
            "n_control", "mean_treated", "mean_control", "sd_treated", "sd_control")
  for (m in c("default", methods)) {
    sql <- if (m == "default")
      sprintf("SELECT (unnest(cate_by(%s, %s, %s))).* FROM %s", ycol, tcol, gcol, table)
    else
      sprintf("SELECT (unnest(cate_by(%s, %s, %s, '%s'))).* FROM %s", ycol, tcol, gcol, m, table)
    res <- db_query(sql, level)
    res$key <- ifelse(is.na(res$subgroup), "<NULL>", as.character(res$subgroup))
    if (nrow(res) != length(groups) || !setequal(res$key, groups)) {
      failed <<- failed + 1L
      cat(sprintf("FAIL %s: subgroups %s vs R %s\n", label, paste(res$key, collapse = ","),
                  paste(groups, collapse = ",")))
      next
    }
    padj <- pv
    padj[!is.na(pv)] <- p.adjust(pv[!is.na(pv)], method = if (m == "default") "holm" else m)
    for (i in seq_len(nrow(res))) {
      k <- res$key[i]
      L <- function(col) sprintf("%s [%s] %s / %s", label, m, k, col)
      # R rounds each mean to double before subtracting: allow its error
      # (a few ulps of the means) on the columns that are differences
      ulp_means <- 4 * .Machine$double.eps * max(abs(c(ref[[k]]$mean_treated, ref[[k]]$mean_control)), na.rm = TRUE)
      if (m == "default")
        for (col in cols)
          check(L(col), res[[col]][i], ref[[k]][[col]],
                atol = if (col %in% c("estimate", "ci_lower", "ci_upper")) ulp_means else 0)
      check(L("p_adjusted"), res$p_adjusted[i], unname(padj[k]))
    }
    if (m == "default") {
      # estimatr for the subgroups where it is defined
      for (k in groups) {
        sel <- gkey == k
        if (sum(sel & t) >= 2 && sum(sel & !t) >= 2 && !is.na(ref[[k]]$p_value)) {
          dim <- difference_in_means(y ~ t, data = data.frame(y = y[sel], t = as.numeric(t[sel])),
                                     alpha = 1 - level)
          i <- which(res$key == k)
          check(sprintf("%s estimatr %s / std_error", label, k), res$std_error[i], unname(dim$std.error))
          check(sprintf("%s estimatr %s / p_value", label, k), res$p_value[i], unname(dim$p.value))
        }
      }
    }
  }

  # heterogeneity: subgroups whose SE is defined and positive
  use <- groups[sapply(groups, function(k) !is.na(ref[[k]]$std_error) && ref[[k]]$std_error > 0)]
  d <- sapply(use, function(k) ref[[k]]$estimate)
  se <- sapply(use, function(k) ref[[k]]$std_error)
  h <- db_query(sprintf("SELECT (heterogeneity_test(%s, %s, %s)).* FROM %s", ycol, tcol, gcol, table), level)
  L <- function(col) sprintf("%s heterogeneity %s", label, col)
  check(L("subgroups"), h$subgroups, length(use))
  fe <- rma(yi = d, sei = se, method = "FE")
  dl <- rma(yi = d, sei = se, method = "DL")
  check(L("q_statistic"), h$q_statistic, fe$QE)
  check(L("df"), h$df, length(use) - 1)
  check(L("p_value"), h$p_value, fe$QEp)
  check(L("i_squared (metafor FE, percent / 100)"), h$i_squared, fe$I2 / 100)
  check(L("tau_squared (metafor DL)"), h$tau_squared, dl$tau2)
  check(L("pooled_estimate"), h$pooled_estimate, as.numeric(fe$beta))
  check(L("pooled_std_error"), h$pooled_std_error, fe$se)
  gs <- gail_simon(d, se)
  check(L("crossover_statistic"), h$crossover_statistic, unname(gs["stat"]))
  check(L("crossover_p_value"), h$crossover_p_value, unname(gs["p"]))
}

## ------------------------------------------------------------- real data
star <- read_star(top)
nsw <- read_nsw(top)
compare("STAR by ethnicity", star$y, star$treated, star$ethnicity, "star", "y", "treated", "ethnicity")
compare("STAR by free lunch", star$y, star$treated, star$lunchk, "star", "y", "treated", "lunchk")
compare("STAR by school type (90%)", star$y, star$treated, star$schoolk, "star", "y", "treated",
        "schoolk", level = 0.90)
compare("STAR by school (78 subgroups, int)", star$y, star$treated, star$schoolidk, "star", "y",
        "treated", "schoolidk")
compare("NSW by race", nsw$re78, nsw$treat, nsw$race, "nsw", "re78", "treat", "race")
compare("NSW by degree (int4 treatment)", nsw$re78, nsw$treat, nsw$nodegree, "nsw", "re78",
        "treat::int", "nodegree")

## -------------------------------------------------------- generated data
set.seed(20261125)
# a crossover: the effect is positive in some subgroups, negative in others
n <- 6000
g <- sample(1:6, n, replace = TRUE)
t <- runif(n) < 0.5
effect <- c(1.2, 0.8, 0.5, 0, -0.6, -1.0)[g]
y <- 3 + effect * t + rnorm(n, sd = 1 + 0.3 * g)
load_set("gen_crossover", data.frame(y = y, t = t, g = g))
compare("generated crossover", y, t, g, "gen_crossover", "y", "t", "g")
# thousands of small subgroups, some with a single row or zero variance
n <- 20000
g <- sample(1:2500, n, replace = TRUE)
t <- runif(n) < 0.5
y <- round(rnorm(n, 10 + 0.2 * t), 1)
y[g %% 97 == 0] <- 5
load_set("gen_many", data.frame(y = y, t = t, g = g))
compare("generated 2500 subgroups", y, t, g, "gen_many", "y", "t", "g")

## -------------------------------------------------------------- p_adjust
for (trial in 1:20) {
  k <- sample(c(1, 2, 5, 17, 100), 1)
  p <- runif(k)^3
  if (k > 2) p[sample(k, 2)] <- p[1]                 # ties
  if (k > 3) p[sample(k, 1)] <- NA                   # NULLs stay NULL, do not count
  lit <- paste0("ARRAY[", paste(ifelse(is.na(p), "NULL", sprintf("%.17g", p)), collapse = ","),
                "]::float8[]")
  for (m in methods) {
    out <- psql(sprintf("COPY (SELECT unnest(p_adjust(%s, '%s'))) TO STDOUT;", lit, m))
    ours <- suppressWarnings(as.numeric(ifelse(out == "\\N", NA, out)))
    ref <- p.adjust(p, method = m)
    for (i in seq_along(p)) check(sprintf("p_adjust trial %d %s [%d]", trial, m, i), ours[i], ref[i])
  }
}

finish("r-subgroup")
