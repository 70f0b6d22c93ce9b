# Cross-check of dml_plr(y, d, y_hat, d_hat) against R: the partially linear
# model of double/debiased ML (DoubleML's "partialling out" score) from
# nuisance predictions given, with ytil = y - y_hat and vtil = d - d_hat,
#   theta = sum(vtil ytil) / sum(vtil^2),
#   SE    = sqrt(sum(vtil^2 (ytil - theta vtil)^2)) / sum(vtil^2)   (HC0),
# normal interval at hte.confidence_level (0.95 and 0.9), two-sided normal
# p-value.  The reference is lm(ytil ~ 0 + vtil) with
# sandwich::vcovHC(fit, type = "HC0"), qnorm and pnorm, 1e-9 relative
# (absolute near 0); the reference is itself checked against the formulas
# computed directly in R (residuals accurate even for near-exact fits),
# 1e-11 (looser as lm's residuals lose digits in near-exact fits).
#   (a) generated partially linear data, n = 200 and 2000 with three seeds,
#       50000 with one:
#       a continuous d, a randomized binary d (d_hat its known propensity),
#       a confounded binary d (d_hat a cross-fitted logistic propensity),
#       and theta = 0; nuisances cross-fitted in R (5-fold OLS on a
#       polynomial of x); theta within 4 SEs of the truth as a sanity check;
#   (b) the shipped NSW data: re78 on treat, nuisances cross-fitted (5-fold
#       OLS, and a logistic propensity) from age, educ, race, married,
#       nodegree, re74, re75, joined to the nsw table;
#   (c) edge cases: no rows (NULL), one row, two rows, all vtil = 0 (NULL
#       estimate, n reported), exact fits (ytil = 2 vtil exactly: SE 0 and
#       interval and p-value NULL; ytil = vtil / 3 and 1000 vtil / 7
#       rounded: SE within 1e-9 of its scale, NULLs when 0), near-exact fits
#       (R^2 = 1 - 1e-6, 1 - 1e-8, 1 - 1e-10), NULLs in each argument
#       (skipped, the result equals that without those rows), y ~ 1e8 and
#       d ~ 1e8, all values ~ 1e-8, ~1e-60 and ~1e+60 (residuals below 1e-70
#       are ERROR 22003: their fourth powers would underflow),
#       rows with y_hat = y (and all of them); the default confidence level
#       is 0.95;
#   (d) 60,000 rows: a parallel plan (Gather over a Partial Aggregate, 2
#       workers launched, each aggregating a part) equals the serial result
#       (1e-12), as do three states combined with the aggregate's own
#       functions and the rows aggregated in permuted orders; all against R;
#   (e) NaN, Infinity and -Infinity in each of the four arguments -> 22023
#       (also as the only row and in a parallel worker's part); a NaN in a
#       row with a NULL argument is skipped; y - y_hat overflowing -> class 22.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_dml.R <repo top>
# Ends with "r-dml: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages(library(sandwich))

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_dml"
setup_db(top)
set.seed(20261201)
t_start <- proc.time()[["elapsed"]]

dml_cols <- c("estimate", "std_error", "ci_lower", "ci_upper", "p_value", "n")
levels <- c(0.95, 0.9)

## ---------------------------------------------------------------- helpers

check_true <- function(label, cond) {
  if (!isTRUE(cond)) cat(sprintf("FAIL %s\n", label))
  check(label, as.numeric(isTRUE(cond)), 1, 0)
}

# db_query with settings before the COPY (e.g. a parallel plan).
db_query_set <- function(settings, select_sql) {
  out <- psql(c(settings, sprintf("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N');", select_sql)))
  read.csv(text = out, stringsAsFactors = FALSE, na.strings = "\\N")
}

# The expected hte_dml row of the rows given (rows with an NA skipped), by
# lm + sandwich::vcovHC(HC0), qnorm and pnorm; $direct holds estimate and SE
# from the formulas (a self-check of the reference).  $exact: the fit is
# exact in real arithmetic (every residual 0), so the SE is 0 up to
# rounding.  No rows: every column NA.
#
# ytil and vtil are first scaled by powers of 2 (exactly) to a largest
# magnitude near 1, and the results scaled back: sandwich's meatHC sets to 0 the
# residual of every row whose estimating-function entries are all below
# .Machine$double.eps in absolute value, so at magnitudes ~1e-8 vcovHC
# would drop most rows (SE 0.034 for 0.047), and the sums of fourth powers
# of the formulas underflow below ~1e-77.
ref_dml <- function(y, d, yh, dh, level, exact = FALSE) {
  use <- !is.na(y) & !is.na(d) & !is.na(yh) & !is.na(dh)
  ytil <- y[use] - yh[use]
  vtil <- d[use] - dh[use]
  n <- length(ytil)
  out <- setNames(as.list(rep(NA_real_, length(dml_cols))), dml_cols)
  if (n == 0) return(list(row = out, n = 0))
  out$n <- n
  if (all(vtil == 0)) return(list(row = out, n = n, svv = 0))
  p2 <- function(x) if (all(x == 0)) 1 else 2^-round(log2(max(abs(x))))
  sy <- p2(ytil); sv <- p2(vtil)
  Y <- ytil * sy; V <- vtil * sv                    # exact
  back <- sv / sy                                   # theta and SE scale back by this
  svv <- sum(V^2)
  fit <- lm(Y ~ 0 + V)
  theta <- unname(coef(fit)[1]) * back
  # (without the warning "essentially perfect fit" of an exact fit)
  lm_se <- sqrt(unname(suppressWarnings(vcovHC(fit, type = "HC0"))[1, 1])) * back
  # the formulas directly, with residuals accurate to a few ulps of
  # themselves even when the fit is near exact: th * V split so that
  # th_hi * V is exact in two pieces (Veltkamp), then theta refined by the
  # residuals' own regression
  split <- function(x) { c <- x * 134217729; hi <- c - (c - x); list(hi = hi, lo = x - hi) }
  th <- sum(V * Y) / svv
  th_hi <- split(th)$hi
  th_lo <- th - th_hi
  Vs <- split(V)
  e <- ((Y - th_hi * Vs$hi) - th_hi * Vs$lo) - th_lo * V
  dth <- sum(V * e) / svv
  e <- e - dth * V
  th <- th + dth
  se_direct <- sqrt(sum((V * e)^2)) / svv * back
  se <- if (exact) 0 else lm_se
  out$estimate <- theta
  out$std_error <- se
  if (se > 0) {
    z <- qnorm((1 + level) / 2)
    out$ci_lower <- theta - z * se
    out$ci_upper <- theta + z * se
    out$p_value <- 2 * pnorm(-abs(theta / se))
  }
  # scales for the absolute tolerances near 0: of theta (the estimate of
  # regressing ytil on vtil when the two were unrelated) and of the SE
  list(row = out, n = n, svv = svv, direct = c(estimate = th * back, std_error = se_direct),
       theta_scale = sqrt(sum(Y^2) / svv) * back, se_scale = sqrt(sum(V^2 * Y^2)) / svv * back,
       lm_se = lm_se)
}

worst <- list(estimate = 0, std_error = 0)   # the largest relative differences seen

# Compare one result row (a data frame row from the database) with ref_dml.
compare_dml <- function(label, row, ref, level) {
  if (nrow(row) != 1) {
    cat(sprintf("FAIL %s: %d result rows\n", label, nrow(row)))
    return(check(label, 0, 1, 0))
  }
  r <- ref$row
  if (ref$n == 0) {
    check_true(sprintf("%s: no rows -> NULL", label), all(is.na(unlist(row[dml_cols]))))
    return(invisible())
  }
  check(sprintf("%s: n", label), row$n, r$n, rtol = 0)
  if (ref$svv == 0) {
    check_true(sprintf("%s: sum vtil^2 = 0 -> estimate, std_error, ci, p NULL", label),
               all(is.na(unlist(row[dml_cols[1:5]]))))
    return(invisible())
  }
  check(sprintf("%s: estimate", label), row$estimate, r$estimate, atol = 1e-13 * ref$theta_scale)
  if (r$std_error == 0) {
    # an exact fit: SE 0 up to rounding (R's lm + vcovHC give ~1e-16 of
    # the scale below), compared absolutely at 1e-9 of the SE's scale
    # sqrt(sum vtil^2 ytil^2) / sum vtil^2; the interval and p-value NULL
    # when it is 0, else consistent with it
    se <- row$std_error
    tiny <- isTRUE(se >= 0 && se <= 1e-9 * ref$se_scale)
    if (!tiny)
      cat(sprintf("FAIL %s: exact fit, std_error %.17g, above 1e-9 of its scale %.17g (R: %.3g)\n", label, se,
                  ref$se_scale, ref$lm_se))
    check(sprintf("%s: exact fit: std_error 0 or tiny", label), as.numeric(tiny), 1, 0)
    if (level == levels[1])
      cat(sprintf("r-dml: %s: exact fit: std_error %.3g (%.2g of its scale; R %.3g)\n", label, se,
                  if (ref$se_scale > 0) se / ref$se_scale else 0, ref$lm_se))
    if (isTRUE(se == 0)) {
      check_true(sprintf("%s: exact fit, std_error 0: ci and p NULL", label),
                 all(is.na(unlist(row[c("ci_lower", "ci_upper", "p_value")]))))
    } else if (isTRUE(se > 0)) {
      z <- qnorm((1 + level) / 2)
      check(sprintf("%s: exact fit, tiny std_error: ci_lower", label), row$ci_lower, row$estimate - z * se)
      check(sprintf("%s: exact fit, tiny std_error: ci_upper", label), row$ci_upper, row$estimate + z * se)
      check(sprintf("%s: exact fit, tiny std_error: p_value", label), row$p_value, 2 * pnorm(-abs(row$estimate / se)),
            atol = 1e-300)
    }
    return(invisible())
  }
  check(sprintf("%s: std_error", label), row$std_error, r$std_error)
  rel <- abs(row$std_error - r$std_error) / r$std_error
  worst$std_error <<- max(worst$std_error, rel, na.rm = TRUE)
  worst$estimate <<- max(worst$estimate, abs(row$estimate - r$estimate) / abs(r$estimate), na.rm = TRUE)
  if (grepl("near-exact", label) && level == levels[1])
    cat(sprintf("r-dml: %s: std_error %.17g, R %.17g, relative difference %.2g\n", label, row$std_error,
                r$std_error, rel))
  ci_atol <- 1e-12 * (abs(r$estimate) + abs(r$ci_upper - r$estimate))
  check(sprintf("%s: ci_lower", label), row$ci_lower, r$ci_lower, atol = ci_atol)
  check(sprintf("%s: ci_upper", label), row$ci_upper, r$ci_upper, atol = ci_atol)
  check(sprintf("%s: p_value", label), row$p_value, r$p_value, atol = 1e-300)
  invisible()
}

# The reference against the formulas computed directly (once per set).
self_check <- function(label, ref, exact = FALSE) {
  if (ref$n == 0 || ref$svv == 0) return(invisible())
  check(sprintf("%s: R self-check: lm estimate = formula", label), ref$row$estimate, ref$direct[["estimate"]],
        rtol = 1e-11, atol = 1e-14 * ref$theta_scale)
  # lm's residuals are accurate to ~1e-16 of ytil, so its SE to ~1e-16
  # se_scale / SE (1e-11 for residuals 1e-5 of ytil)
  if (!exact)
    check(sprintf("%s: R self-check: vcovHC SE = formula", label), ref$lm_se, ref$direct[["std_error"]],
          rtol = 1e-11 + 1e-15 * ref$se_scale / ref$lm_se)
}

# Cross-fitted predictions: K-fold, each fold predicted from a fit to the
# others (OLS, or a logistic regression for a propensity).
crossfit <- function(resp, X, folds, logistic = FALSE) {
  X <- cbind(1, X)
  pred <- numeric(length(resp))
  for (k in sort(unique(folds))) {
    tr <- folds != k
    if (logistic) {
      fit <- suppressWarnings(glm.fit(X[tr, , drop = FALSE], resp[tr], family = binomial()))
      b <- fit$coefficients
      b[is.na(b)] <- 0
      pred[!tr] <- plogis(drop(X[!tr, , drop = FALSE] %*% b))
    } else {
      fit <- lm.fit(X[tr, , drop = FALSE], resp[tr])
      b <- fit$coefficients
      b[is.na(b)] <- 0
      pred[!tr] <- drop(X[!tr, , drop = FALSE] %*% b)
    }
  }
  pred
}

# Sets of rows: every set in one table (column cs), queried with GROUP BY.
sets <- list()
add_set <- function(name, y, d, yh, dh, exact = FALSE, truth = NA) {
  sets[[length(sets) + 1]] <<- list(name = name, y = y, d = d, yh = yh, dh = dh, exact = exact, truth = truth)
}
run_sets <- function(table) {
  all <- do.call(rbind, lapply(seq_along(sets), function(k) {
    s <- sets[[k]]
    data.frame(cs = k, i = seq_along(s$y), y = s$y, d = s$d, yh = s$yh, dh = s$dh)
  }))
  load_set(table, all)
  res <- list()
  for (lv in levels) {
    r <- db_query(sprintf("SELECT cs, (dml_plr(y, d, yh, dh)).* FROM %s GROUP BY cs ORDER BY cs", table), lv)
    res[[as.character(lv)]] <- r
  }
  for (k in seq_along(sets)) {
    s <- sets[[k]]
    for (lv in levels) {
      ref <- ref_dml(s$y, s$d, s$yh, s$dh, lv, s$exact)
      if (lv == levels[1]) self_check(s$name, ref, s$exact)
      compare_dml(sprintf("%s [%g]", s$name, lv), res[[as.character(lv)]][res[[as.character(lv)]]$cs == k, , drop = FALSE],
                  ref, lv)
    }
    if (!is.na(s$truth)) {
      row <- res[["0.95"]][res[["0.95"]]$cs == k, ]
      z <- (row$estimate - s$truth) / row$std_error
      if (!isTRUE(abs(z) < 4))
        cat(sprintf("FAIL %s: estimate %.6g, truth %.6g, SE %.3g: %.2f SEs off\n", s$name, row$estimate, s$truth,
                    row$std_error, z))
      check(sprintf("%s: sanity: estimate within 4 SEs of the truth %g", s$name, s$truth), as.numeric(isTRUE(abs(z) < 4)),
            1, 0)
    }
  }
  sets <<- list()
  invisible(res)
}

## ------------------------------------------- (a) generated partially linear

# x: 5 covariates; m(x) = E[d | x] in the span of the OLS basis (x, x^2),
# g(x) outside it (sin, |x|), so that the product of the nuisance errors,
# the only bias left by the orthogonal score, vanishes.
gen_plr <- function(n, design, theta) {
  x <- matrix(rnorm(n * 5), n, 5)
  basis <- cbind(x, x^2, x[, 1] * x[, 2])
  g <- 1 + sin(2 * x[, 1]) + abs(x[, 3]) + 0.5 * x[, 4]^2 - x[, 5]
  lin <- 0.6 * x[, 1] - 0.4 * x[, 2] + 0.3 * x[, 3]^2 - 0.3
  folds <- sample(rep_len(1:5, n))
  if (design == "continuous") {
    d <- lin + 0.5 * x[, 2]^2 + rnorm(n)
    dh <- crossfit(d, basis, folds)
  } else if (design == "randomized") {
    d <- as.numeric(runif(n) < 0.4)
    dh <- rep(0.4, n)                                  # the known propensity
  } else {
    d <- as.numeric(runif(n) < plogis(lin))            # confounded by x
    dh <- crossfit(d, basis, folds, logistic = TRUE)
  }
  y <- theta * d + g + rnorm(n, sd = 1 + 0.5 * abs(x[, 1]))   # heteroskedastic
  yh <- crossfit(y, basis, folds)
  list(y = y, d = d, yh = yh, dh = dh)
}
for (seed in c(11, 22, 33)) {
  set.seed(20261201 + seed)
  for (n in if (seed == 11) c(200, 2000, 50000) else c(200, 2000))   # one large set: test time
    for (design in c("continuous", "randomized", "confounded"))
      for (theta in if (design == "continuous") c(0.5, 0) else 0.5) {
        g <- gen_plr(n, design, theta)
        add_set(sprintf("generated %s d, theta %g, n %d, seed %d", design, theta, n, seed),
                g$y, g$d, g$yh, g$dh, truth = theta)
      }
}
run_sets("gen_cases")
cat(sprintf("r-dml: generated data done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (b) NSW

nsw <- read_nsw(top)
nsw_x <- with(nsw, cbind(age, age^2, educ, as.numeric(race == "black"), as.numeric(race == "hispan"),
                         married, nodegree, re74, re75))
nsw_d <- as.numeric(nsw$treat)
set.seed(20261202)
nsw_folds <- sample(rep_len(1:5, nrow(nsw)))
nsw_pred <- data.frame(id = nsw$id,
                       yh = crossfit(nsw$re78, nsw_x, nsw_folds),
                       dh_ols = crossfit(nsw_d, nsw_x, nsw_folds),
                       dh_logit = crossfit(nsw_d, nsw_x, nsw_folds, logistic = TRUE),
                       dh_const = rep(mean(nsw_d), nrow(nsw)))
load_set("nsw_pred", nsw_pred)
for (dh in c("dh_ols", "dh_logit", "dh_const"))
  for (lv in levels) {
    row <- db_query(sprintf(paste("SELECT (dml_plr(n.re78, n.treat::int::float8, p.yh, p.%s)).*",
                                  "FROM nsw n JOIN nsw_pred p ON p.id = n.id"), dh), lv)
    ref <- ref_dml(nsw$re78, nsw_d, nsw_pred$yh, nsw_pred[[dh]], lv)
    if (lv == levels[1]) {
      self_check(sprintf("NSW, d_hat %s", dh), ref)
      cat(sprintf("r-dml: NSW, cross-fitted OLS y_hat, d_hat %s: estimate %.2f, SE %.2f, n %d\n", dh,
                  row$estimate, row$std_error, row$n))
    }
    compare_dml(sprintf("NSW re78 on treat, d_hat %s [%g]", dh, lv), row, ref, lv)
  }
check_true("NSW: the earnings effect is positive and within 4 SEs of the experimental 1794",
           {
             r <- db_query("SELECT (dml_plr(n.re78, n.treat::int::float8, p.yh, p.dh_ols)).* FROM nsw n JOIN nsw_pred p USING (id)")
             r$estimate > 0 && abs(r$estimate - 1794.34) < 4 * r$std_error
           })

## ---------------------------------------------------------- (c) edge cases

add_set("one row, ytil = 2 = 2 vtil (exact)", 3, 2, 1, 1, exact = TRUE)
add_set("one row, ytil = 0.3 - 0, vtil = 0.7 (fits exactly)", 0.3, 0.7, 0, 0, exact = TRUE)
add_set("one row, y_hat = y (ytil 0)", 1.5, 0.25, 1.5, -1, exact = TRUE)
add_set("one row, vtil = 0", 1, 0.5, 0, 0.5)
add_set("two rows", c(1.25, -3.5), c(0.7, 0.2), c(0.1, 0.4), c(0.3, 0.6))
add_set("two rows, one vtil = 0 (the other fits exactly)", c(1.25, -3.5), c(0.7, 0.2), c(0.1, 0.4), c(0.3, 0.2),
        exact = TRUE)
add_set("two rows, proportional (exact)", c(2, -1), c(1, -0.5), c(0, 0), c(0, 0), exact = TRUE)
v <- rnorm(50)
add_set("all vtil = 0 (d = d_hat)", rnorm(50), v, rnorm(50), v)
add_set("all vtil = 0, constant d", rnorm(20), rep(1, 20), rnorm(20), rep(1, 20))
# exact fit, theta = 2: vtil is the double d - d_hat, y = 2 vtil exactly
d <- runif(300); dh <- runif(300)
vt <- d - dh
add_set("exact fit ytil = 2 vtil (y_hat 0)", 2 * vt, d, rep(0, 300), dh, exact = TRUE)
# ytil = c vtil rounded: the residuals are ~1e-16 of ytil, so is the SE
# relative to its scale (three sets each: the C side's SE is 0 in some)
for (rep in 1:3) {
  d <- runif(300); dh <- runif(300)
  vt <- d - dh
  add_set(sprintf("exact fit ytil = vtil / 3 (rounded), set %d", rep), vt / 3, d, rep(0, 300), dh, exact = TRUE)
  add_set(sprintf("exact fit ytil = 1000 vtil / 7 (rounded), set %d", rep), 1000 * vt / 7, d, rep(0, 300), dh,
          exact = TRUE)
}
# near-exact fits: ytil = 2 vtil + e, sd(e) / sd(2 vtil) ~ 1e-3, 1e-4, 1e-5
# (R^2 = 1 - 1e-6, 1 - 1e-8, 1 - 1e-10), three sets each; R's lm + vcovHC
# and the refined formulas agree to ~1e-12 there
for (r in c(1e-3, 1e-4, 1e-5))
  for (rep in 1:3) {
    d <- rnorm(1000); dh <- 0.3 * rnorm(1000)
    add_set(sprintf("near-exact fit, noise %g of the signal, set %d", r, rep), 2 * (d - dh) + rnorm(1000, sd = 2 * r), d,
            rep(0, 1000), dh)
  }
# four rows, ytil = 2 vtil + ~1e-4 (R^2 = 1 - 5e-11); in rational
# arithmetic theta = 2.0000310735780754, SE = 8.5395737981792913e-07
add_set("four rows, near-exact fit (residuals ~1e-4)", c(0.27999, -1.660022, 5.760089, 0.100133),
        c(0.14, -0.83, 2.88, 0.05), rep(0, 4), rep(0, 4))
# three rows (ytil, vtil) = (1, 1), (-1, 2), (3, 1): theta 1/3, SE
# sqrt(168) / 18 = 0.72008229982309558; scaled by 1e-80 and 1e-100 the same
for (sc in c(1, 1e-60))
  add_set(sprintf("three rows (1, 1), (-1, 2), (3, 1) times %g", sc), c(1, -1, 3) * sc, c(1, 2, 1) * sc, rep(0, 3),
          rep(0, 3))
# NULLs in each argument: the base set plus rows with NULLs
base <- gen_plr(300, "continuous", 1.5)
add_set("NULL base set (300 rows)", base$y, base$d, base$yh, base$dh, truth = 1.5)
for (arg in c("y", "d", "yh", "dh", "all")) {
  b <- base
  at <- sort(sample(300, 25))
  extra <- lapply(b, function(v) v[at] + 1.7)          # new rows, one argument NULL
  if (arg == "all") for (a in names(extra)) extra[[a]][] <- NA else extra[[arg]][] <- NA
  b <- lapply(names(b), function(a) append(b[[a]], extra[[a]], after = 150))
  names(b) <- names(base)
  add_set(sprintf("25 rows with a NULL %s among 300", arg), b$y, b$d, b$yh, b$dh)
}
add_set("only rows with NULLs (NULL result)", c(NA, 1, 2, 3), c(1, NA, 2, 3), c(1, 2, NA, 3), c(1, 2, 3, NA))
# huge and tiny magnitudes
g <- gen_plr(2000, "continuous", 0.5)
add_set("y, y_hat ~ 1e8 (+ the generated y), d, d_hat ~ 1e8 (+ d)", 1e8 + g$y, 1e8 + g$d, 1e8 + g$yh, 1e8 + g$dh)
add_set("y and d ~ 1e8 (scaled by 1e8)", 1e8 * g$y, 1e8 * g$d, 1e8 * g$yh, 1e8 * g$dh)
add_set("y ~ 1e8, d ~ 1", 1e8 * g$y, g$d, 1e8 * g$yh, g$dh)
add_set("all ~ 1e-8", 1e-8 * g$y, 1e-8 * g$d, 1e-8 * g$yh, 1e-8 * g$dh)
add_set("y ~ 1e-8, d ~ 1e8", 1e-8 * g$y, 1e8 * g$d, 1e-8 * g$yh, 1e8 * g$dh)
# far magnitudes: the estimate and SE are representable, though vtil^4 is
# not below ~1e-77
add_set("all ~ 1e-60", 1e-60 * g$y, 1e-60 * g$d, 1e-60 * g$yh, 1e-60 * g$dh)
add_set("all ~ 1e+60", 1e60 * g$y, 1e60 * g$d, 1e60 * g$yh, 1e60 * g$dh)
# rows with y_hat = y
yh <- g$yh; yh[seq(1, 2000, by = 3)] <- g$y[seq(1, 2000, by = 3)]
add_set("a third of the rows with y_hat = y", g$y, g$d, yh, g$dh)
add_set("every row y_hat = y (theta 0, SE 0)", g$y, g$d, g$y, g$dh, exact = TRUE)
# binary d with d_hat at 0 or 1 on some rows (vtil = 0 there)
g <- gen_plr(500, "confounded", 0.5)
dh <- g$dh; dh[1:40] <- g$d[1:40]
add_set("binary d, d_hat = d on 40 rows", g$y, g$d, g$yh, dh)
run_sets("edge_cases")

# no rows at all: NULL, not a row of NULLs
none <- db_query("SELECT dml_plr(y, d, yh, dh) IS NULL AS is_null, (dml_plr(y, d, yh, dh)).n FROM edge_cases WHERE false")
check_true("no rows: the result is NULL", nrow(none) == 1 && none$is_null %in% c("t", "true", TRUE) && is.na(none$n))
# the NULL rows change nothing: the same doubles as without them
nul <- db_query(paste(
  "SELECT 0 AS k, (dml_plr(y, d, yh, dh)).* FROM edge_cases WHERE cs = 1",
  "UNION ALL SELECT 1, (dml_plr(y, d, yh, dh)).* FROM (SELECT y, d, yh, dh FROM edge_cases WHERE cs = 1",
  "  UNION ALL VALUES (NULL::float8, 1::float8, 2::float8, 3::float8), (1, NULL, 2, 3), (1, 2, NULL, 3),",
  "  (1, 2, 3, NULL), (NULL, NULL, NULL, NULL)) s ORDER BY 1"))
for (col in dml_cols)
  check(sprintf("one row plus rows with NULLs: %s unchanged", col), nul[[col]][2], nul[[col]][1], rtol = 0)
# default level 0.95 (no SET)
dflt <- db_query_set(character(), "SELECT (dml_plr(y, d, yh, dh)).* FROM edge_cases WHERE cs = 5")
set95 <- db_query("SELECT (dml_plr(y, d, yh, dh)).* FROM edge_cases WHERE cs = 5", 0.95)
check_true("default hte.confidence_level: the 0.95 interval",
           identical(unlist(dflt), unlist(set95)) && !any(is.na(unlist(dflt))))
cat(sprintf("r-dml: edge cases done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------- (d) parallel and order

n_par <- 60000
set.seed(20261203)
gp <- gen_plr(n_par, "continuous", 0.75)
par_set <- data.frame(i = seq_len(n_par), y = gp$y, d = gp$d, yh = gp$yh, dh = gp$dh,
                      grp = seq_len(n_par) %% 3, perm = sample(n_par))
par_set$y[sample(n_par, 30)] <- NA
par_set$dh[sample(n_par, 30)] <- NA
load_set("par_dml", par_set)
psql(c("VACUUM ANALYZE par_dml;",
       "CREATE FUNCTION busy(i float8) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$",
       "DECLARE x float8 := i; BEGIN FOR j IN 1..50 LOOP x := x + j; END LOOP; RETURN x > 0; END $f$;"))
par_on <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
            "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = on;")
serial <- "SET max_parallel_workers_per_gather = 0;"
par_q <- c(all = "SELECT 0 AS g, (dml_plr(y, d, yh, dh)).* FROM par_dml WHERE busy(i)",
           by_group = "SELECT grp AS g, (dml_plr(y, d, yh, dh)).* FROM par_dml WHERE busy(i) GROUP BY grp ORDER BY grp")
plan <- psql(c(par_on, sprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) %s;", par_q[["all"]])))
check_true("the parallel plan is a Gather over a Partial Aggregate with 2 workers launched",
           any(grepl("Partial Aggregate", plan)) && any(grepl("Gather", plan)) &&
           any(grepl("Workers Launched: 2", plan)))
scan <- grep("Parallel Seq Scan", plan)
worker_rows <- as.numeric(sub(".*rows=([0-9]+).*", "\\1",
                              grep("Worker [0-9]+: +actual.*rows=", plan[seq(scan[1], length(plan))], value = TRUE)))
split3 <- c(leader = n_par - sum(worker_rows), worker = worker_rows)
cat(sprintf("r-dml: parallel plan: rows scanned by each participant: %s\n",
            paste(names(split3), split3, sep = " ", collapse = ", ")))
check_true("the parallel plan splits the rows into 3 parts (leader and 2 workers, each some)",
           length(worker_rows) == 2 && all(split3 > 0))
plan_g <- psql(c(par_on, sprintf("EXPLAIN (COSTS OFF) %s;", par_q[["by_group"]])))
check_true("the GROUP BY plan is parallel (Partial Aggregate)", any(grepl("Partial .*Aggregate", plan_g)))
ser <- lapply(par_q, function(q) db_query_set(serial, q))
par_res <- lapply(par_q, function(q) db_query_set(par_on, q))
for (nm in names(par_q))
  for (col in dml_cols)
    for (k in seq_len(nrow(ser[[nm]])))
      check(sprintf("parallel = serial (1e-12), %s, row %d: %s", nm, k, col), par_res[[nm]][[col]][k], ser[[nm]][[col]][k],
            rtol = 1e-12)
# three states combined with the aggregate's own functions
agg <- db_query_set(character(), paste(
  "SELECT aggtransfn::text AS trans, aggcombinefn::text AS comb, aggfinalfn::text AS fin, agginitval AS init",
  "FROM pg_aggregate WHERE aggfnoid = 'dml_plr(float8, float8, float8, float8)'::regprocedure"))
psql(sprintf("CREATE AGGREGATE dml_state_(float8, float8, float8, float8) (SFUNC = %s, STYPE = float8[], INITCOND = '%s');",
             agg$trans, agg$init))
split_q <- sprintf(paste(
  "SELECT (%s(%s(%s(p1.s, p2.s), p3.s))).*",
  "FROM (SELECT dml_state_(y, d, yh, dh ORDER BY i) s FROM par_dml WHERE i <= 1000) p1,",
  "     (SELECT dml_state_(y, d, yh, dh ORDER BY i) s FROM par_dml WHERE i > 1000 AND i <= 31000) p2,",
  "     (SELECT dml_state_(y, d, yh, dh ORDER BY i) s FROM par_dml WHERE i > 31000) p3"), agg$fin, agg$comb, agg$comb)
split_q2 <- sprintf(paste(
  "SELECT (%s(%s(p3.s, %s(p2.s, p1.s)))).*",
  "FROM (SELECT dml_state_(y, d, yh, dh ORDER BY perm) s FROM par_dml WHERE grp = 0) p1,",
  "     (SELECT dml_state_(y, d, yh, dh ORDER BY perm) s FROM par_dml WHERE grp = 1) p2,",
  "     (SELECT dml_state_(y, d, yh, dh ORDER BY perm) s FROM par_dml WHERE grp = 2) p3"), agg$fin, agg$comb, agg$comb)
perm_q <- c("3 states combined: rows 1-1000, 1001-31000, 31001-60000" = split_q,
            "3 states combined: i mod 3, permuted, merged 3 + (2 + 1)" = split_q2,
            "rows in a random order (ORDER BY perm)" = "SELECT (dml_plr(y, d, yh, dh ORDER BY perm)).* FROM par_dml",
            "rows in reverse order (ORDER BY i DESC)" = "SELECT (dml_plr(y, d, yh, dh ORDER BY i DESC)).* FROM par_dml",
            "rows sorted by ytil (ORDER BY y - yh)" = "SELECT (dml_plr(y, d, yh, dh ORDER BY y - yh)).* FROM par_dml",
            "a table loaded in a random order" =
              "SELECT (dml_plr(y, d, yh, dh)).* FROM (SELECT * FROM par_dml ORDER BY md5(i::text) OFFSET 0) s")
for (nm in names(perm_q)) {
  r <- db_query_set(serial, perm_q[[nm]])
  for (col in dml_cols)
    check(sprintf("%s = serial (1e-12): %s", nm, col), r[[col]], ser$all[[col]][1], rtol = 1e-12)
}
for (lv in levels) {
  ref <- ref_dml(par_set$y, par_set$d, par_set$yh, par_set$dh, lv)
  if (lv == levels[1]) self_check("60000 rows (the parallel set)", ref)
  compare_dml(sprintf("60000 rows, parallel [%g]", lv),
              db_query_set(c(par_on, sprintf("SET hte.confidence_level = %g;", lv)), par_q[["all"]]), ref, lv)
  pg <- db_query_set(c(par_on, sprintf("SET hte.confidence_level = %g;", lv)), par_q[["by_group"]])
  for (g in 0:2) {
    s <- par_set$grp == g
    compare_dml(sprintf("60000 rows, parallel GROUP BY, group %d [%g]", g, lv), pg[pg$g == g, , drop = FALSE],
                ref_dml(par_set$y[s], par_set$d[s], par_set$yh[s], par_set$dh[s], lv), lv)
  }
}
cat(sprintf("r-dml: parallel and order done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (e) errors

# SQLSTATE, message, detail and hint of the error a statement raises ("none"
# if it succeeds), through a PL/pgSQL catcher; all cases in one query.
psql(c("CREATE FUNCTION state_of(q text) RETURNS text LANGUAGE plpgsql AS $f$",
       "DECLARE m text; d text; h text;",
       "BEGIN",
       "  EXECUTE q;",
       "  RETURN 'none';",
       "EXCEPTION WHEN OTHERS THEN",
       "  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;",
       "  RETURN SQLSTATE || ' ' || coalesce(m, '') || ' | ' || coalesce(d, '') || ' | ' || coalesce(h, '');",
       "END $f$;"))
error_cases <- list()
expect_error <- function(label, sql, want)
  error_cases[[length(error_cases) + 1]] <<- list(label = label, sql = sql, want = want)
run_error_cases <- function() {
  sels <- vapply(seq_along(error_cases), function(k)
    sprintf("SELECT %d AS k, state_of($hteq$%s$hteq$) AS s", k, error_cases[[k]]$sql), "")
  res <- db_query_set(character(), sprintf("SELECT * FROM (%s) u ORDER BY k", paste(sels, collapse = " UNION ALL ")))
  for (k in seq_along(error_cases)) {
    e <- error_cases[[k]]
    got <- res$s[res$k == k]
    state <- substr(got, 1, 5)
    ok <- if (e$want == "none") state == "none"
          else if (nchar(e$want) == 2) substr(state, 1, 2) == e$want && state != "none"
          else state == e$want
    if (!ok) cat(sprintf("FAIL %s: got %s, want %s\n", e$label, got, e$want))
    check(e$label, as.numeric(ok), 1, 0)
  }
  error_cases <<- list()
}
args4 <- c("y", "d", "yh", "dh")
bad_i <- par_set$i[complete.cases(par_set)][1234]      # a row without NULLs
for (bad in c("NaN", "Infinity", "-Infinity")) for (a in args4) {
  vals <- c(y = "1.5", d = "0.7", yh = "0.2", dh = "0.4")
  one <- vals; one[a] <- sprintf("'%s'", bad)
  expect_error(sprintf("%s as %s, the only row -> 22023", bad, a),
               sprintf("SELECT dml_plr(%s::float8, %s::float8, %s::float8, %s::float8)", one[1], one[2], one[3], one[4]),
               "22023")
  cols <- args4; cols[args4 == a] <- sprintf("CASE WHEN i = %d THEN '%s'::float8 ELSE %s END", bad_i, bad, a)
  expect_error(sprintf("%s as %s in row %d of 60000 -> 22023", bad, a, bad_i),
               sprintf("SELECT dml_plr(%s) FROM par_dml", paste(cols, collapse = ", ")), "22023")
  # with another argument NULL the row is skipped before it is looked at
  other <- vals; other[a] <- sprintf("'%s'", bad); other[if (a == "y") "d" else "y"] <- "NULL"
  expect_error(sprintf("%s as %s with another argument NULL: the row is skipped, no error", bad, a),
               sprintf("SELECT dml_plr(y, d, yh, dh) FROM (VALUES (1::float8, 2::float8, 0::float8, 0.5::float8), (%s)) v(y, d, yh, dh)",
                       paste(other, collapse = ", ")), "none")
}
expect_error("y - y_hat overflows (1e308 - -1e308) -> class 22",
             "SELECT dml_plr(1e308::float8, 1::float8, -1e308::float8, 0::float8)", "22")
# residuals below 1e-70 would underflow in the fourth powers: refused, not
# silently wrong (the three rows above scaled by 1e-80 and 1e-100)
for (sc in c("1e-80", "1e-100"))
  expect_error(sprintf("residuals ~ %s (fourth powers underflow) -> 22003", sc),
               sprintf("SELECT dml_plr(y * %s, d * %s, 0, 0) FROM (VALUES (1::float8, 1::float8), (-1, 2), (3, 1)) v(y, d)", sc, sc),
               "22003")
expect_error("a valid call raises nothing", "SELECT dml_plr(y, d, yh, dh) FROM par_dml", "none")
run_error_cases()
# in a parallel plan (straight through psql: a statement run by the PL/pgSQL
# catcher is planned without parallelism), the bad row in some participant's part
sqlstate_set <- function(settings, sql) {
  f <- file.path(work, "e.sql")
  writeLines(c("\\set VERBOSITY verbose", settings, sql), f)
  out <- suppressWarnings(system2("psql", c("-X", "-q", "-d", db, "-f", f), stdout = TRUE, stderr = TRUE))
  m <- regmatches(out, regexpr("ERROR:  [0-9A-Z]{5}", out))
  if (length(m) == 0) "none" else sub("ERROR:  ", "", m[1])
}
for (a in args4) {
  cols <- args4; cols[args4 == a] <- sprintf("CASE WHEN i::int %% 10000 = 9999 THEN 'NaN'::float8 ELSE %s END", a)
  q <- sprintf("SELECT dml_plr(%s) FROM par_dml WHERE busy(i);", paste(cols, collapse = ", "))
  got <- sqlstate_set(par_on, q)
  lab <- sprintf("NaN as %s in a parallel plan (every 10000th row) -> 22023", a)
  if (got != "22023") cat(sprintf("FAIL %s: got %s\n", lab, got))
  check(lab, as.numeric(got == "22023"), 1, 0)
}
plan_err <- psql(c(par_on, "EXPLAIN (COSTS OFF) SELECT dml_plr(y, CASE WHEN i::int % 10000 = 9999 THEN 'NaN'::float8 ELSE d END, yh, dh) FROM par_dml WHERE busy(i);"))
check_true("the NaN statement's plan is parallel", any(grepl("Partial Aggregate", plan_err)))

cat(sprintf("r-dml: largest relative differences from R: estimate %.2g, std_error %.2g; %.0f s\n",
            worst$estimate, worst$std_error, proc.time()[["elapsed"]] - t_start))
finish("r-dml")
