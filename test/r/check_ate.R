# Cross-check of ate() against R: t.test(var.equal = FALSE) and
# estimatr::difference_in_means, every column, relative error <= 1e-9.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_ate.R <repo top>
# Generates data in R, loads it and the shipped STAR/NSW data with psql,
# runs ate() in the database and compares.  Ends with a line
# "r-ate: N passed, M failed" and exits non-zero on any failure.

suppressPackageStartupMessages(library(estimatr))

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_ate"
setup_db(top)

## ---------------------------------------------------------------- data sets
set.seed(20261123)
sets <- list()
n1 <- 400; n0 <- 600
sets$gen_normal <- data.frame(y = c(rnorm(n1, 10.5, 3), rnorm(n0, 10, 2)),
                              t = rep(c(TRUE, FALSE), c(n1, n0)))
sets$gen_unequal <- data.frame(y = c(rnorm(5, 1, 1), rnorm(5000, 0, 1)),
                               t = rep(c(TRUE, FALSE), c(5, 5000)))
sets$gen_lognormal <- data.frame(y = c(rlnorm(9000, 0.3, 1.2), rlnorm(11000, 0, 1)),
                                 t = rep(c(TRUE, FALSE), c(9000, 11000)))
sets$gen_heavy <- data.frame(y = c(rt(700, 2) + 0.4, rt(900, 2)),
                             t = rep(c(TRUE, FALSE), c(700, 900)))
sets$gen_tiny_arms <- data.frame(y = c(1.25, 7.5, 2, 3.5, -1), t = c(TRUE, TRUE, FALSE, FALSE, FALSE))
sets$gen_tiny_scale <- data.frame(y = c(rnorm(300, 2, 1), rnorm(300, 1.7, 1)) * 1e-120,
                                  t = rep(c(TRUE, FALSE), c(300, 300)))
sets$gen_huge_scale <- data.frame(y = c(rnorm(300, 2, 1), rnorm(300, 1.7, 1)) * 1e120,
                                  t = rep(c(TRUE, FALSE), c(300, 300)))
# Outcomes around 1e9 with an effect of 1e-3: R is given the centred data
# (exact: the values are within a factor of two of 1e9), the database the raw.
offset <- 1e9
raw_big <- c(offset + rnorm(2000, 1e-3, 1e-3), offset + rnorm(3000, 0, 2e-3))
sets$gen_offset <- data.frame(y = raw_big, t = rep(c(TRUE, FALSE), c(2000, 3000)))
# NULLs in y and t are skipped, as R's na.omit
g <- data.frame(y = c(rnorm(50, 1), rnorm(60)), t = rep(c(TRUE, FALSE), c(50, 60)))
g$y[c(3, 70)] <- NA
g$t[c(10, 80)] <- NA
sets$gen_nulls <- g
for (nm in names(sets)) load_set(nm, sets[[nm]])

star <- read_star(top)
nsw <- read_nsw(top)

## ------------------------------------------------------------ the checking
# Run ate() over `from` in the database at confidence `level`.
db_ate <- function(y_sql, t_sql, from, level) {
  db_query(sprintf("SELECT (ate(%s, %s)).* FROM %s", y_sql, t_sql, from), level)
}

# Compare every column with R for outcome y, treatment t (logical).
# R is run on y; the database's result is on shift + scale * y (R's own
# t.test loses df to underflow at 1e-120 and overflow at 1e120, and at 1e9
# it rounds the means to 1.2e-7: there it gets the exactly transformed data).
compare <- function(label, y, t, res, level, shift = 0, scale = 1) {
  keep <- !is.na(y) & !is.na(t)
  y <- y[keep]; t <- t[keep]
  y1 <- y[t]; y0 <- y[!t]
  tt <- t.test(y1, y0, var.equal = FALSE, conf.level = level)
  dim <- difference_in_means(y ~ t, data = data.frame(y = y, t = as.numeric(t)),
                             alpha = 1 - level)
  L <- function(col) sprintf("%s [%s] %s", label, level, col)
  for (col in c("estimate", "std_error", "ci_lower", "ci_upper", "sd_treated", "sd_control"))
    res[[col]] <- res[[col]] / scale
  res$mean_treated <- res$mean_treated / scale
  res$mean_control <- res$mean_control / scale
  shift <- shift / scale
  # t.test
  check(L("estimate (t.test)"), res$estimate, unname(tt$estimate[1] - tt$estimate[2]))
  check(L("std_error (t.test)"), res$std_error, tt$stderr)
  check(L("ci_lower (t.test)"), res$ci_lower, tt$conf.int[1])
  check(L("ci_upper (t.test)"), res$ci_upper, tt$conf.int[2])
  check(L("p_value (t.test)"), res$p_value, tt$p.value)
  check(L("df (t.test)"), res$df, unname(tt$parameter))
  # estimatr
  check(L("estimate (estimatr)"), res$estimate, unname(dim$coefficients))
  check(L("std_error (estimatr)"), res$std_error, unname(dim$std.error))
  check(L("ci_lower (estimatr)"), res$ci_lower, unname(dim$conf.low))
  check(L("ci_upper (estimatr)"), res$ci_upper, unname(dim$conf.high))
  check(L("p_value (estimatr)"), res$p_value, unname(dim$p.value))
  check(L("df (estimatr)"), res$df, unname(dim$df))
  # per-arm columns
  check(L("n_treated"), res$n_treated, length(y1))
  check(L("n_control"), res$n_control, length(y0))
  # (on the raw scale: a mean near 1e9 has an ulp of 1.2e-7)
  check(L("mean_treated"), res$mean_treated, mean(y1) + shift)
  check(L("mean_control"), res$mean_control, mean(y0) + shift)
  check(L("sd_treated"), res$sd_treated, sd(y1))
  check(L("sd_control"), res$sd_control, sd(y0))
}

for (level in c(0.95, 0.9, 0.99, 0.5)) {
  compare("STAR y ~ small class", star$y, star$treated,
          db_ate("y", "treated", "star", level), level)
  compare("NSW re78 ~ treat", nsw$re78, nsw$treat,
          db_ate("re78", "treat", "nsw", level), level)
}
compare("STAR readk ~ small class", star$readk, star$treated, db_ate("readk", "treated", "star", 0.95), 0.95)
compare("STAR mathk ~ small class (int4 treatment)", star$mathk, star$treated,
        db_ate("mathk", "treated::int", "star", 0.95), 0.95)
compare("NSW re78 > 0 (boolean outcome)", as.numeric(nsw$re78 > 0), nsw$treat,
        db_ate("re78 > 0", "treat", "nsw", 0.95), 0.95)
compare("NSW u75 (int outcome, bigint treatment)", nsw$u75, nsw$treat,
        db_ate("u75", "treat::int::bigint", "nsw", 0.95), 0.95)

for (nm in setdiff(names(sets), c("gen_offset", "gen_tiny_scale", "gen_huge_scale")))
  compare(nm, sets[[nm]]$y, sets[[nm]]$t, db_ate("y", "t", nm, 0.95), 0.95)
compare("gen_tiny_scale (R rescaled)", sets$gen_tiny_scale$y / 1e-120, sets$gen_tiny_scale$t,
        db_ate("y", "t", "gen_tiny_scale", 0.95), 0.95, scale = 1e-120)
compare("gen_huge_scale (R rescaled)", sets$gen_huge_scale$y / 1e120, sets$gen_huge_scale$t,
        db_ate("y", "t", "gen_huge_scale", 0.95), 0.95, scale = 1e120)
# the offset set: R on the centred data, the database on the raw data
compare("gen_offset (R centred)", sets$gen_offset$y - offset, sets$gen_offset$t,
        db_ate("y", "t", "gen_offset", 0.95), 0.95, shift = offset)

finish("r-ate")
