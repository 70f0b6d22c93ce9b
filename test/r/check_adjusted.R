# Cross-check of the covariate-adjusted aggregates against R, every column,
# relative error <= 1e-9, for every se_type (classical, HC0, HC1, HC2, HC3)
# through the four-argument forms; the three-argument forms (HC1) must equal
# the four-argument HC1 exactly:
#   ate(y, treated, covariates, se_type) lm(y ~ t * Xc) (Xc = X - mean X) +
#                                        vcov (classical) or
#                                        sandwich::vcovHC(type) +
#                                        lmtest::coeftest/coefci, and
#                                        estimatr::lm_lin(se_type = type)
#                                        where nothing is aliased
#   interaction_test(y, treated, X,      the Wald statistic W = g' V^-1 g over
#                    se_type)
#                                        the identifiable t:X coefficients,
#                                        F = W / q and chi-square p-values,
#                                        and lmtest::waldtest (F and Chisq)
#                                        where nothing is aliased; per
#                                        moderator coeftest and p.adjust(holm)
#   ate_cuped(y, treated, pre)           t.test on y - theta (pre - mean pre)
# on STAR, NSW and generated data (heteroskedastic, unequal and tiny arms,
# aliased and constant covariates, NULLs in the array, offsets 1e6-1e9, 1 to
# 20 covariates).
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_adjusted.R <repo top>
# Ends with "r-adjusted: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(estimatr)
})

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_adjusted"
setup_db(top)
set.seed(20261201)

# R's answers for y ~ t * X on the complete rows (X a data frame); shift:
# constants subtracted from y and X in R only (exact shifts of offset data).
r_lin <- function(y, t, X, type = "HC1", level = 0.95, yshift = 0, xshift = rep(0, ncol(X))) {
  keep <- !is.na(y) & !is.na(t) & stats::complete.cases(X)
  y <- y[keep] - yshift; t <- as.numeric(t[keep])
  X <- as.data.frame(X[keep, , drop = FALSE])
  xs <- paste0("x", seq_len(ncol(X)))
  names(X) <- xs
  for (j in seq_along(xs)) X[[j]] <- X[[j]] - xshift[j]
  Xc <- as.data.frame(lapply(X, function(v) v - mean(v)))
  dd <- cbind(data.frame(y = y, t = t), Xc)
  f1 <- as.formula(paste("y ~ t * (", paste(xs, collapse = " + "), ")"))
  m1 <- lm(f1, data = dd)
  V <- if (type == "classical") vcov(m1) else vcovHC(m1, type = type)
  cf <- coef(m1)
  df2 <- m1$df.residual
  ct <- coeftest(m1, vcov. = V)
  ci <- coefci(m1, vcov. = V, df = df2, level = level)
  ate <- if (is.na(cf["t"])) rep(NA, 6) else
    c(ct["t", 1], ct["t", 2], ci["t", 1], ci["t", 2], ct["t", 4], df2)
  names(ate) <- c("estimate", "std_error", "ci_lower", "ci_upper", "p_value", "df")
  # unadjusted: Welch on the same rows
  tt <- t.test(y[t == 1], y[t == 0])
  ate["unadjusted_estimate"] <- unname(tt$estimate[1] - tt$estimate[2])
  ate["unadjusted_std_error"] <- tt$stderr
  ate["variance_reduction"] <- 1 - (ate[["std_error"]] / tt$stderr)^2
  ints <- paste0("t:", xs)
  J <- ints[!is.na(cf[ints])]
  q <- length(J)
  W <- if (q > 0) drop(t(cf[J]) %*% solve(V[J, J], cf[J])) else NA
  joint <- c(f_statistic = W / q, df1 = q, df2 = df2,
             p_value = pf(W / q, q, df2, lower.tail = FALSE),
             chisq_statistic = W, chisq_p_value = pchisq(W, q, lower.tail = FALSE))
  per <- matrix(NA_real_, length(xs), 4)
  per[match(J, ints), 1:3] <- ct[J, c(1, 2, 4)]
  per[, 4] <- p.adjust(per[, 3], "holm")
  wald <- NULL
  if (!anyNA(cf)) {
    m0 <- lm(as.formula(paste("y ~ t +", paste(xs, collapse = " + "))), data = dd)
    wF <- waldtest(m0, m1, vcov = V, test = "F")
    wC <- waldtest(m0, m1, vcov = V, test = "Chisq")
    wald <- c(f_statistic = wF$F[2], df1 = wF$Df[2], p_value = wF[2, 4],
              chisq_statistic = wC$Chisq[2], chisq_p_value = wC[2, 4])
    ll <- lm_lin(y ~ t, covariates = as.formula(paste("~", paste(xs, collapse = " + "))),
                 data = cbind(data.frame(y = y, t = t), X), se_type = type, alpha = 1 - level)
    lin <- c(estimate = coef(ll)[["t"]], std_error = ll$std.error[["t"]],
             ci_lower = ll$conf.low[["t"]], ci_upper = ll$conf.high[["t"]],
             p_value = ll$p.value[["t"]], df = ll$df[["t"]])
  } else lin <- NULL
  list(ate = ate, joint = joint, per = per, wald = wald, lin = lin,
       n_treated = sum(t == 1), n_control = sum(t == 0), p = ncol(X))
}

# Parse a float8[] column's text form ({1,NULL,3}) into numbers.
parse_arr <- function(s) {
  v <- strsplit(gsub("[{}]", "", s), ",")[[1]]
  suppressWarnings(as.numeric(ifelse(v == "NULL", NA, v)))
}

se_types <- c("classical", "HC0", "HC1", "HC2", "HC3")

# ref: function(type) giving r_lin's answers for that se_type.
compare <- function(label, ref, table, y, t, xs_sql, level = 0.95) {
  arr <- sprintf("ARRAY[%s]::float8[]", paste(xs_sql, collapse = ", "))
  cols <- c("interactions", "interaction_std_errors", "interaction_p_values", "interaction_p_adjusted")
  for (type in se_types) {
    R <- ref(type)
    a <- db_query(sprintf("SELECT (ate(%s, %s, %s, '%s')).* FROM %s", y, t, arr, type, table), level)
    j <- db_query(sprintf("SELECT (interaction_test(%s, %s, %s, '%s')).* FROM %s", y, t, arr, type, table),
                  level)
    L <- function(what) sprintf("%s %s %s", label, type, what)
    check(L("ate se_type"), as.numeric(a$se_type == type), 1, 0)
    check(L("joint se_type"), as.numeric(j$se_type == type), 1, 0)
    for (col in names(R$ate)) check(L(paste("ate", col)), a[[col]], R$ate[[col]])
    check(L("ate n_treated"), a$n_treated, R$n_treated, 0)
    check(L("ate n_control"), a$n_control, R$n_control, 0)
    check(L("ate covariates"), a$covariates, R$p, 0)
    if (!is.null(R$lin))
      for (col in names(R$lin)) check(L(paste("ate vs lm_lin", col)), a[[col]], R$lin[[col]])
    for (col in names(R$joint)) check(L(paste("joint", col)), j[[col]], R$joint[[col]])
    if (!is.null(R$wald))
      for (col in names(R$wald)) check(L(paste("joint vs waldtest", col)), j[[col]], R$wald[[col]])
    check(L("joint moderators"), j$moderators, R$p, 0)
    for (k in 1:4) {
      ours <- parse_arr(j[[cols[k]]])
      for (m in seq_len(R$p)) check(L(sprintf("%s[%d]", cols[k], m)), ours[m], R$per[m, k])
    }
    if (type == "HC1") {
      # the three-argument forms are the four-argument HC1, to the bit
      a3 <- db_query(sprintf("SELECT (ate(%s, %s, %s)).* FROM %s", y, t, arr, table), level)
      j3 <- db_query(sprintf("SELECT (interaction_test(%s, %s, %s)).* FROM %s", y, t, arr, table), level)
      same <- identical(a3, a) && identical(j3, j)
      check(sprintf("%s three-argument forms = HC1", label), as.numeric(same), 1, 0)
    }
  }
}

star <- read_star(top)
Xs <- data.frame(exp = star$experiencek, birth = star$birth,
                 free = as.numeric(star$lunchk == "free"), female = as.numeric(star$gender == "female"))
star_sql <- c("experiencek", "birth", "(lunchk = 'free')::int", "(gender = 'female')::int")
compare("STAR 4 covariates", function(type) r_lin(star$y, star$treated, Xs, type), "star", "y", "treated", star_sql)
compare("STAR 4 covariates 90%", function(type) r_lin(star$y, star$treated, Xs, type, level = 0.9), "star", "y", "treated",
        star_sql, level = 0.9)
compare("STAR experience", function(type) r_lin(star$y, star$treated, Xs[, 1, drop = FALSE], type), "star", "y", "treated",
        star_sql[1])

nsw <- read_nsw(top)
Xn <- nsw[, c("age", "educ", "re74", "re75", "married", "nodegree")]
compare("NSW 6 covariates", function(type) r_lin(nsw$re78, nsw$treat, Xn, type), "nsw", "re78", "treat",
        c("age", "educ", "re74", "re75", "married", "nodegree"))
compare("NSW int treatment", function(type) r_lin(nsw$re78, nsw$treat, Xn[, 1:2], type), "nsw", "re78", "treat::int",
        c("age", "educ"))

gen <- function(name, n, p, prob = 0.5, hetero = TRUE) {
  X <- matrix(rnorm(n * p), n, p)
  t <- runif(n) < prob
  y <- 1 + 2 * t + X %*% seq(1, 0.2, length.out = p) + 0.5 * t * X[, 1] +
    rnorm(n) * (if (hetero) 1 + abs(X[, 1]) else 1)
  d <- data.frame(y = drop(y), t = t)
  for (j in 1:p) d[[paste0("x", j)]] <- X[, j]
  load_set(name, d)
  d
}
for (p in c(1, 2, 5, 10, 20)) {
  d <- gen(sprintf("gen_p%d", p), 2000, p)
  compare(sprintf("generated p=%d", p), function(type) r_lin(d$y, d$t, d[, -(1:2), drop = FALSE], type),
          sprintf("gen_p%d", p),
          "y", "t", paste0("x", 1:p))
}
d <- gen("gen_unequal", 3000, 3, prob = 0.03)
compare("generated unequal arms 3%", function(type) r_lin(d$y, d$t, d[, 3:5], type), "gen_unequal", "y", "t", paste0("x", 1:3))
d <- gen("gen_tiny", 12, 2, prob = 0.4)
compare("generated 12 rows", function(type) r_lin(d$y, d$t, d[, 3:4], type), "gen_tiny", "y", "t", paste0("x", 1:2))

# aliased: x2 = 2 x1 + 1, x3 constant, x4 constant in the treated arm
n <- 400
x1 <- rnorm(n); t <- runif(n) < 0.5
d <- data.frame(y = 1 + t + x1 + rnorm(n), t = t, x1 = x1, x2 = 2 * x1 + 1, x3 = rep(5, n),
                x4 = ifelse(t, 3, rnorm(n)))
load_set("gen_alias", d)
compare("generated aliased", function(type) r_lin(d$y, d$t, d[, 3:6], type), "gen_alias", "y", "t", paste0("x", 1:4))

# NULLs: in the outcome, the treatment and elements of the array
d <- gen("gen_nulls_src", 500, 3)
d$y[3] <- NA; d$t[7] <- NA; d$x2[11] <- NA; d$x3[19] <- NA
load_set("gen_nulls", d)
compare("generated NULLs", function(type) r_lin(d$y, d$t, d[, 3:5], type), "gen_nulls", "y", "t", paste0("x", 1:3))

# offsets: y near 1e9, x near 1e6 and a year near 1980; R on exactly shifted data
n <- 3000
xo <- rnorm(n); yr <- round(rnorm(n) * 10); t <- runif(n) < 0.5
yo <- 0.3 * t + 0.5 * xo + 0.1 * yr + 0.2 * t * xo + rnorm(n, sd = 0.1)
d <- data.frame(y = 1e9 + yo, t = t, x1 = 1e6 + xo, x2 = 1980 + yr)
load_set("gen_offset", d)
compare("generated offsets 1e9/1e6/1980",
        function(type) r_lin(d$y, d$t, d[, 3:4], type, yshift = 1e9, xshift = c(1e6, 1980)), "gen_offset", "y", "t",
        c("x1", "x2"))

# CUPED against t.test on the adjusted outcome
cuped_ref <- function(y, t, pre, level = 0.95) {
  keep <- !is.na(y) & !is.na(t) & !is.na(pre)
  y <- y[keep]; t <- t[keep]; pre <- pre[keep]
  theta <- cov(pre, y) / var(pre)
  ycv <- y - theta * (pre - mean(pre))
  a <- t.test(ycv[t], ycv[!t], conf.level = level)
  u <- t.test(y[t], y[!t])
  c(estimate = unname(a$estimate[1] - a$estimate[2]), std_error = a$stderr,
    ci_lower = a$conf.int[1], ci_upper = a$conf.int[2], p_value = a$p.value, df = unname(a$parameter),
    unadjusted_estimate = unname(u$estimate[1] - u$estimate[2]), unadjusted_std_error = u$stderr,
    variance_reduction = 1 - (a$stderr / u$stderr)^2)
}
cuped_cmp <- function(label, ref, sql, level = 0.95) {
  r <- db_query(sql, level)
  for (col in names(ref)) check(sprintf("%s %s", label, col), r[[col]], ref[[col]])
}
cuped_cmp("CUPED STAR experience", cuped_ref(star$y, star$treated, star$experiencek),
          "SELECT (ate_cuped(y, treated, experiencek)).* FROM star")
cuped_cmp("CUPED NSW re75", cuped_ref(nsw$re78, nsw$treat, nsw$re75),
          "SELECT (ate_cuped(re78, treat, re75)).* FROM nsw")
cuped_cmp("CUPED NSW re74 80%", cuped_ref(nsw$re78, nsw$treat, nsw$re74, 0.8),
          "SELECT (ate_cuped(re78, treat, re74)).* FROM nsw", 0.8)
d <- read.csv(file.path(work, "gen_offset.csv"))
d$t <- d$t == "true"
ref <- cuped_ref(d$y - 1e9, d$t, d$x1 - 1e6)
ref["unadjusted_estimate"] <- ref[["unadjusted_estimate"]]
cuped_cmp("CUPED offsets", ref, "SELECT (ate_cuped(y, t, x1)).* FROM gen_offset")

finish("r-adjusted")
