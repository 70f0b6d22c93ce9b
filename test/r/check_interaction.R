# Cross-check of interaction_test() against R: lm(y ~ t * x) with
# sandwich::vcovHC(type = "HC0" ... "HC3") (vcov() for classical) and
# lmtest::coeftest/coefci with df = n - 4, plus estimatr::lm_robust, every
# column, relative error <= 1e-9.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_interaction.R <repo top>
# Ends with "r-interaction: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(estimatr)
})

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_interaction"
setup_db(top)

types <- c("classical", "HC0", "HC1", "HC2", "HC3")

# R's answer for y ~ t * x.  The fit is on x - centre (OLS and the HC
# variances are invariant to that reparametrization); effects at a point z
# are the linear combination (0, 1, 0, z - centre) of its coefficients.
# zero_at is the point, in x's coordinates, where the database's x is 0.
r_reference <- function(y, t, x, type, level, centre = 0, zero_at = 0) {
  keep <- !is.na(y) & !is.na(t) & !is.na(x)
  y <- y[keep]; t <- as.numeric(t[keep]); x <- x[keep]
  xc <- x - centre
  fit <- lm(y ~ t * xc)
  V <- if (type == "classical") vcov(fit) else vcovHC(fit, type = type)
  n <- length(y)
  ct <- coeftest(fit, vcov. = V, df = n - 4)
  ci <- coefci(fit, vcov. = V, df = n - 4, level = level)
  b <- coef(fit)
  at <- function(z) {
    L <- c(0, 1, 0, z - centre)
    c(est = sum(L * b), se = sqrt(drop(t(L) %*% V %*% L)))
  }
  zero <- at(zero_at)
  mean_x <- at(mean(x))
  list(interaction = unname(b["t:xc"]), std_error = ct["t:xc", 2],
       ci_lower = ci["t:xc", 1], ci_upper = ci["t:xc", 2], p_value = ct["t:xc", 4],
       effect_at_zero = unname(zero["est"]), effect_at_zero_se = unname(zero["se"]),
       effect_at_mean = unname(mean_x["est"]), effect_at_mean_se = unname(mean_x["se"]),
       df = n - 4, n_treated = sum(t == 1), n_control = sum(t == 0),
       robust = lm_robust(y ~ t * xc, se_type = type, alpha = 1 - level))
}

compare <- function(label, y, t, x, table, ycol, tcol, xcol, level = 0.95, centre = 0) {
  for (type in types) {
    res <- db_query(sprintf("SELECT (interaction_test(%s, %s, %s, '%s')).* FROM %s",
                            ycol, tcol, xcol, type, table), level)
    ref <- r_reference(y, t, x, type, level, centre)
    L <- function(col) sprintf("%s %s [%s] %s", label, type, level, col)
    for (col in c("interaction", "std_error", "ci_lower", "ci_upper", "p_value",
                  "effect_at_zero", "effect_at_zero_se", "effect_at_mean",
                  "effect_at_mean_se", "df", "n_treated", "n_control"))
      check(L(col), res[[col]], ref[[col]])
    if (res$se_type != type) {
      failed <<- failed + 1L
      cat(sprintf("FAIL %s se_type column says %s\n", L(""), res$se_type))
    } else passed <<- passed + 1L
    # estimatr, second reference for the interaction and its test
    rb <- ref$robust
    check(L("std_error (lm_robust)"), res$std_error, unname(rb$std.error["t:xc"]))
    check(L("p_value (lm_robust)"), res$p_value, unname(rb$p.value["t:xc"]))
    check(L("ci_lower (lm_robust)"), res$ci_lower, unname(rb$conf.low["t:xc"]))
    check(L("ci_upper (lm_robust)"), res$ci_upper, unname(rb$conf.high["t:xc"]))
    if (type == "HC1") {
      # the three-argument form is HC1 with a float8[] state: same numbers
      res3 <- db_query(sprintf("SELECT (interaction_test(%s, %s, %s)).* FROM %s",
                               ycol, tcol, xcol, table), level)
      for (col in c("interaction", "std_error", "p_value", "effect_at_zero_se", "effect_at_mean_se"))
        check(sprintf("%s 3-arg HC1 [%s] %s", label, level, col), res3[[col]], ref[[col]])
    }
  }
}

## ------------------------------------------------------------- real data
star <- read_star(top)
nsw <- read_nsw(top)
compare("STAR y ~ small class x teacher experience", star$y, star$treated, star$experiencek,
        "star", "y", "treated", "experiencek")
compare("STAR (90%)", star$y, star$treated, star$experiencek,
        "star", "y", "treated", "experiencek", level = 0.90)
compare("NSW re78 ~ treat x age", nsw$re78, nsw$treat, nsw$age, "nsw", "re78", "treat", "age")
compare("NSW re78 ~ treat x educ (int4 treatment)", nsw$re78, nsw$treat, nsw$educ,
        "nsw", "re78", "treat::int", "educ")

## -------------------------------------------------------- generated data
set.seed(20261124)
n <- 3000
x <- rnorm(n, 50, 10)
t <- runif(n) < 0.5
y <- 1 + 0.5 * t + 0.02 * x + 0.03 * t * x + rnorm(n) * (0.5 + 0.05 * abs(x - 50))
load_set("gen_hetero", data.frame(y = y, t = t, x = x))
compare("generated: known interaction, heteroskedastic", y, t, x, "gen_hetero", "y", "t", "x")

x <- runif(2060, -3, 3)
t <- rep(c(TRUE, FALSE), c(60, 2000))
y <- ifelse(t, 2 - 0.7 * x, 0.1 * x) + rexp(2060) * (1 + abs(x))
load_set("gen_unequal", data.frame(y = y, t = t, x = x))
compare("generated: unequal arms 60 / 2000", y, t, x, "gen_unequal", "y", "t", "x")

# small: 7 rows (df = 3), a row with high leverage
d <- data.frame(y = c(1, 3, 2, 8, 0.5, 1.5, 4), t = c(TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE),
                x = c(0, 1, 2, 10, 0, 1, 3))
load_set("gen_small", d)
compare("generated: 7 rows", d$y, d$t, d$x, "gen_small", "y", "t", "x")

# NULLs in every position are skipped
x <- rnorm(200); t <- runif(200) < 0.4; y <- x * t + rnorm(200)
y[5] <- NA; t[17] <- NA; x[33] <- NA
load_set("gen_nulls", data.frame(y = y, t = t, x = x))
compare("generated: NULLs", y, t, x, "gen_nulls", "y", "t", "x")

# x around 1e6 +- 1, y around 1e9: R fits on x - 1e6 and y - 1e9 (exact
# shifts), the database gets the raw values
n <- 4000
xo <- rnorm(n)
t <- runif(n) < 0.5
yo <- 0.3 * t + 0.5 * xo + 0.2 * t * xo + rnorm(n, sd = 0.1)
load_set("gen_offset", data.frame(y = 1e9 + yo, t = t, x = 1e6 + xo))
raw <- data.frame(y = 1e9 + yo, x = 1e6 + xo)
for (type in types) {
  res <- db_query(sprintf("SELECT (interaction_test(y, t, x, '%s')).* FROM gen_offset", type))
  # the effect at raw x = 0 is the effect at -1e6 of the shifted data
  ref <- r_reference(raw$y - 1e9, t, raw$x - 1e6, type, 0.95, zero_at = -1e6)
  L <- function(col) sprintf("generated offset 1e6/1e9 %s %s", type, col)
  for (col in c("interaction", "std_error", "ci_lower", "ci_upper", "p_value",
                "effect_at_zero", "effect_at_zero_se", "effect_at_mean", "effect_at_mean_se", "df"))
    check(L(col), res[[col]], ref[[col]])
}

finish("r-interaction")
