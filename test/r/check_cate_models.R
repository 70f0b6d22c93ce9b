# Cross-check of cate_projection and calibration_test against R.  With T the
# arm, e = e_hat, q = 1 - e, the doubly robust score is
#   Gamma = mu1 - mu0 + T (y - mu1) / e - (1 - T)(y - mu0) / q.
#   cate_projection(y, treated, e_hat, mu0_hat, mu1_hat, a [, se_type]):
#       lm(Gamma ~ A) (A the rows' arrays a; an empty a the intercept-only
#       lm(Gamma ~ 1)) and lmtest::coeftest(fit, vcov = sandwich::vcovHC(fit,
#       type)) (type "const" for se_type 'classical'); one element per term
#       in order (term 0 the intercept, j the j-th element of a): estimate,
#       std_error, t_statistic, two-sided p_value (t with n - rank df).
#       Aliased columns (NA in R, dropped by coeftest) NULL in every
#       statistic; R's NaN standard errors (HC2/HC3 with a leverage of 1)
#       NULL.  For covariates with a large offset (x + 1e6, 1e-3 x + 1) R
#       fits the exactly shifted columns (x + 1e6 - 1e6 is exact) and maps
#       the intercept back, beta0 = b0 - c'b, V = J V J' (J = I - e0 c'):
#       lm + vcovHC on the raw columns lose up to ~1e-2 of the standard
#       errors there (the largest such loss is printed, not checked).
#   calibration_test(y, treated, e_hat, m_hat, tau_hat): grf's
#       test_calibration: tbar = mean(tau_hat),
#       lm(y - m_hat ~ 0 + I((T - e) tbar) + I((T - e)(tau_hat - tbar))) with
#       vcovHC(type = "HC3") and coeftest; the p-values one-sided,
#       pt(t, df, lower.tail = FALSE) with df = fit$df.residual (n - 2, or
#       n - 1 when a coefficient is aliased); an aliased coefficient (tbar
#       = 0, a constant tau_hat) NULL.
# Every column of every element compared, 1e-9 relative, absolute near 0:
# the estimates 1e-9 of their classical standard error, the t statistics
# 1e-9, the p-values the change a 1e-9 relative change of t makes (far in
# the tail a p-value multiplies t's relative error by about t^2), at least
# 1e-300; the term numbers exactly.  The boolean, smallint, integer and
# bigint treatment forms give identical results, as do the six-argument
# form and se_type 'HC3' and 'hc3'.  Rows with a NULL argument or a NULL in
# a are dropped in R (skipped in the database).
#   (a) generated observational data, n = 200 and 2000 with three seeds,
#       50000 with one: a logistic propensity in x1, x2, x3 confounding an
#       effect tau(x) = 1 + x1, heteroskedastic noise; nuisances
#       cross-fitted in R (5-fold: a logistic glm for e_hat, clipped to
#       [0.01, 0.99]; per-arm OLS in x for mu0 and mu1), m_hat = e mu1 +
#       (1 - e) mu0, tau_hat = mu1 - mu0, a miscalibrated 3 tau_hat - 1 and
#       a noisy tau_hat + N(0, 1); a = {}, {x1}, {x1, x2, x3},
#       {1e6 x1, 1e-3 x2, x3} (scales) and {x1 + 1e6, 1e-3 x2 + 1, x3}
#       (offsets), every se_type (at 50000 rows each se_type in one or two
#       of the five: vcovHC's time); sanity: at n >= 2000 the projection on
#       x1 within 4 SEs of (1, 1), the calibrated tau_hat's two
#       coefficients within 4 SEs of 1;
#   (b) the shipped NSW data: re78 on treat with nuisances cross-fitted
#       (the same way) from age, age^2, educ, race, married, nodegree,
#       re74, re75, joined to the nsw table; a = {}, {age}, {age, educ,
#       re74} and eight covariates, every se_type and all four treatment
#       types; calibration of tau_hat and of 3 tau_hat - 1; sanity: the
#       intercept-only projection (the AIPW ATE) within 4 SEs of the
#       experimental 1794;
#   (c) edge cases: n = k + 1 and k + 2 (p = 0, 1, 3); aliased columns
#       ({a1, 2 a1}, {2 a1, a1}, {a1, a1}, {a1, a2, a1 + a2}, a constant 0.1
#       and 1e6 + 0.1 column, an all-zero column, only a constant);
#       leverage-1 rows (an indicator of one row, and of two rows; also
#       with an aliased column) and a high-leverage row (x = 1000 among
#       N(0, 1)); the empty array as ARRAY[]::float8[] and '{}'::float8[];
#       100 covariates (the maximum, one aliased) on 400 rows; NULLs in
#       each argument, a NULL array and a NULL inside a (skipped: the very
#       same doubles as without those rows); an array with a null bitmap
#       but no NULL element ((ARRAY[a1, a2, NULL])[1:2]) = ARRAY[a1, a2];
#       only rows with NULLs and no rows (NULL); calibration with tbar = 0
#       exactly, a constant tau_hat (0.3 and 1e6 + 0.1), two values of
#       tau_hat, tau_hat with an offset 1e3, a leverage-1 row, three rows,
#       NULLs;
#   (d) 60,000 rows: one scan computing cate_projection for every se_type
#       and calibration_test in a parallel plan (Gather over a Partial
#       Aggregate of all six, 2 workers launched, each aggregating a part)
#       equals the serial results (1e-10), as do the rows aggregated in
#       other orders (ORDER BY a random permutation, i DESC, y; classical,
#       HC3 and calibration_test); against R: classical and HC3 and the
#       calibration, and (HC3, calibration) in each group of a parallel
#       GROUP BY;
#   (e) errors: e_hat <= 0, >= 1, NaN, +-Infinity -> 22023; NaN, Infinity
#       and -Infinity in y, mu0_hat, mu1_hat, an element of a, m_hat,
#       tau_hat -> 22023 (as the only row, in row 1234 of 60000, and in a
#       parallel plan); an integer treatment other than 0/1 -> 22023; an
#       unknown se_type -> 22023, NULL -> 22004, different se_types on
#       different rows -> 22023 (the same in another case: none); arrays of
#       different lengths -> 2202E; 101 covariates -> 54000 (100: none); a
#       bad row with another argument NULL is skipped (none).
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_cate_models.R <repo top>
# Ends with "r-cate_models: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
})

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_cate_models"
setup_db(top)
set.seed(20261221)
t_start <- proc.time()[["elapsed"]]

se_types <- c("classical", "HC0", "HC1", "HC2", "HC3")
proj_cols <- c("estimate", "std_error", "t_statistic", "p_value")
calib_cols <- c("mean_prediction", "mean_prediction_se", "mean_prediction_p_value",
                "differential_prediction", "differential_prediction_se", "differential_prediction_p_value")
treat_forms <- c(smallint = "t::int::int2", integer = "t::int", bigint = "t::int::int8")

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

is_true <- function(x) x %in% c("t", "true", TRUE)

gamma_of <- function(y, t, e, m0, m1) {
  t <- as.numeric(t)
  m1 - m0 + t * (y - m1) / e - (1 - t) * (y - m0) / (1 - e)
}

# R's cate_projection for every se_type: the score Gamma on the matrix A
# (n x p, p >= 0), rows with an NA dropped; shift: constants subtracted from
# the columns of A in R only (exact), the intercept mapped back.  NULL when
# no row is left.  $ref[[type]]: (p + 1) x 4 (estimate, std_error,
# t_statistic, p_value); $scale: the classical SEs (absolute tolerance of the
# estimates); $raw_gap: with a shift, the largest relative difference of
# lm + vcovHC on the raw columns from the shifted reference.
ref_proj <- function(G, A, shift = rep(0, ncol(A)), types = se_types, raw = TRUE) {
  A <- as.matrix(A)
  p <- ncol(A)
  colnames(A) <- if (p > 0) paste0("a", seq_len(p))      # unique names: coeftest matches by name
  keep <- !is.na(G) & rowSums(is.na(A)) == 0
  G <- G[keep]
  A <- A[keep, , drop = FALSE]
  n <- length(G)
  if (n == 0) return(NULL)
  As <- A - rep(shift, each = n)
  if (!all(As + rep(shift, each = n) == A)) stop("ref_proj: the shift is not exact")
  fit <- if (p > 0) lm(G ~ As) else lm(G ~ 1)
  b <- coef(fit)
  kept <- !is.na(b)
  shifted <- any(shift != 0)
  J <- diag(sum(kept))
  if (shifted && sum(kept) > 1) J[1, -1] <- -shift[kept[-1]]
  est <- rep(NA_real_, p + 1)
  est[kept] <- drop(J %*% b[kept])
  scale <- rep(NA_real_, p + 1)
  scale[kept] <- sqrt(diag(J %*% vcov(fit, complete = FALSE) %*% t(J)))
  res <- list()
  raw_gap <- 0
  fit_raw <- if (shifted && raw) lm(G ~ A) else NULL
  for (ty in types) {
    vt <- if (ty == "classical") "const" else ty
    V0 <- suppressWarnings(vcovHC(fit, type = vt))
    ct <- coeftest(fit, vcov. = V0)
    if (nrow(ct) != sum(kept)) stop("ref_proj: coeftest rows")
    out <- matrix(NA_real_, p + 1, 4, dimnames = list(NULL, proj_cols))
    out[kept, ] <- ct[, 1:4]
    if (shifted) {
      V <- J %*% V0 %*% t(J)
      se0 <- sqrt(V[1, 1])
      t0 <- est[1] / se0
      out[1, ] <- c(est[1], se0, t0, 2 * pt(abs(t0), fit$df.residual, lower.tail = FALSE))
      if (raw) {
        ctr <- coeftest(fit_raw, vcov. = suppressWarnings(vcovHC(fit_raw, type = vt)))
        raw_gap <- max(raw_gap, abs(ctr[, 2] - out[kept, 2]) / out[kept, 2], na.rm = TRUE)
      }
    }
    res[[ty]] <- out
  }
  list(ref = res, scale = scale, n = n, p = p, df = fit$df.residual, raw_gap = raw_gap)
}

# R's calibration_test; NULL without rows.  $row: the six columns; $scale:
# the two classical SEs.
ref_calib <- function(y, t, e, m, tau) {
  keep <- !is.na(y) & !is.na(t) & !is.na(e) & !is.na(m) & !is.na(tau)
  if (!any(keep)) return(NULL)
  y <- y[keep]; t <- as.numeric(t[keep]); e <- e[keep]; m <- m[keep]; tau <- tau[keep]
  tb <- mean(tau)
  W <- t - e
  Y <- y - m
  X1 <- W * tb
  X2 <- W * (tau - tb)
  fit <- lm(Y ~ 0 + X1 + X2)
  kept <- !is.na(coef(fit))
  ct <- coeftest(fit, vcov. = suppressWarnings(vcovHC(fit, type = "HC3")))
  if (nrow(ct) != sum(kept)) stop("ref_calib: coeftest rows")
  out <- matrix(NA_real_, 2, 3)
  out[kept, 1:2] <- ct[, 1:2]
  out[kept, 3] <- pt(ct[, 3], fit$df.residual, lower.tail = FALSE)
  scale <- rep(NA_real_, 2)
  scale[kept] <- sqrt(diag(vcov(fit, complete = FALSE)))
  list(row = setNames(as.vector(t(out)), calib_cols), t = ct[, 3][match(c(1, 2), which(kept))], scale = scale,
       n = length(y), df = fit$df.residual)
}

# The change of a p-value a 1e-9 relative change of its t statistic makes
# (far in the tail a p-value amplifies the relative error of t about t^2
# times): the p-values' absolute tolerance, at least 1e-300.
p_tol <- function(t, df, two_sided = TRUE) {
  if (is.na(t) || is.na(df) || df <= 0) return(1e-300)
  d <- if (two_sided) 2 * abs(pt(-abs(t) * (1 + 1e-9), df) - pt(-abs(t), df))
       else abs(pt(t * (1 + 1e-9), df, lower.tail = FALSE) - pt(t, df, lower.tail = FALSE))
  max(d, 1e-300)
}

worst <- c(estimate = 0, std_error = 0, t_statistic = 0, p_value = 0)
note_worst <- function(col, ours, ref)
  if (!is.na(ref) && !is.na(ours) && ref != 0)
    worst[[col]] <<- max(worst[[col]], abs(ours - ref) / abs(ref))

# Compare the unnested elements of one cate_projection result (rows of a
# data frame: isnull, term, estimate, ...) with ref_proj's for `type`.
compare_proj <- function(label, got, R, type) {
  if (is.null(R)) {
    check_true(sprintf("%s: no rows -> NULL", label), nrow(got) == 1 && is_true(got$isnull[1]))
    return(invisible())
  }
  ref <- R$ref[[type]]
  if (nrow(got) != R$p + 1 || any(is_true(got$isnull))) {
    cat(sprintf("FAIL %s: %d elements, want %d\n", label, nrow(got), R$p + 1))
    return(check(label, 0, 1, 0))
  }
  check(sprintf("%s: terms 0..%d in order", label, R$p), as.numeric(identical(as.numeric(got$term), as.numeric(0:R$p))),
        1, 0)
  for (j in seq_len(R$p + 1)) {
    L <- function(col) sprintf("%s: term %d %s", label, j - 1, col)
    sc <- if (is.na(R$scale[j])) 0 else R$scale[j]
    check(L("estimate"), got$estimate[j], ref[j, "estimate"], atol = 1e-9 * sc)
    check(L("std_error"), got$std_error[j], ref[j, "std_error"])
    check(L("t_statistic"), got$t_statistic[j], ref[j, "t_statistic"], atol = 1e-9)
    check(L("p_value"), got$p_value[j], ref[j, "p_value"], atol = p_tol(ref[j, "t_statistic"], R$df))
    for (col in proj_cols) note_worst(col, got[[col]][j], ref[j, col])
  }
  invisible()
}

compare_calib <- function(label, got, R) {
  if (is.null(R)) {
    check_true(sprintf("%s: no rows -> NULL", label), nrow(got) == 1 && is_true(got$isnull[1]))
    return(invisible())
  }
  if (nrow(got) != 1 || is_true(got$isnull[1])) {
    cat(sprintf("FAIL %s: %d rows\n", label, nrow(got)))
    return(check(label, 0, 1, 0))
  }
  for (k in seq_along(calib_cols)) {
    col <- calib_cols[k]
    j <- (k - 1) %/% 3 + 1
    sc <- if (is.na(R$scale[j])) 0 else R$scale[j]
    atol <- switch((k - 1) %% 3 + 1, 1e-9 * sc, 0, p_tol(R$t[j], R$df, two_sided = FALSE))
    check(sprintf("%s: %s", label, col), got[[col]], R$row[[col]], atol = atol)
    note_worst(c("estimate", "std_error", "p_value")[(k - 1) %% 3 + 1], got[[col]], R$row[[col]])
  }
  invisible()
}

# The SELECT of cate_projection over every group ds of `from` with array
# expression arr (grouped = FALSE: all rows, ds 0); type NULL: the
# six-argument form; one row per element (a NULL result: one row with
# isnull true), labelled q.
proj_sql <- function(q, from, arr, type, treat = "t", agg_order = "", grouped = TRUE)
  sprintf(paste(
    "SELECT %d AS q, s.ds, s.r IS NULL AS isnull, u.term, u.estimate, u.std_error, u.t_statistic, u.p_value, u.ord",
    "FROM (SELECT %s, cate_projection(y, %s, e, m0, m1, %s%s%s) AS r FROM %s%s) s",
    "LEFT JOIN LATERAL unnest(s.r) WITH ORDINALITY AS u(term, estimate, std_error, t_statistic, p_value, ord) ON true"),
    q, if (grouped) "ds" else "0 AS ds", treat, arr, if (is.null(type)) "" else sprintf(", '%s'", type), agg_order,
    from, if (grouped) " GROUP BY ds" else "")
calib_sql <- function(q, from, tau, treat = "t", agg_order = "", grouped = TRUE)
  sprintf(paste("SELECT %d AS q, ds, c IS NULL AS isnull, (c).*, 0 AS ord FROM",
                "(SELECT %s, calibration_test(y, %s, e, mh, %s%s) AS c FROM %s%s) s"),
          q, if (grouped) "ds" else "0 AS ds", treat, tau, agg_order, from, if (grouped) " GROUP BY ds" else "")
# Several such statements in one query (UNION ALL, one psql call): specs a
# named list of argument lists of proj_sql (calib = TRUE: of calib_sql);
# returns the results by the same names, without q and ord.
db_many <- function(specs, calib = FALSE, settings = NULL, sql_only = FALSE) {
  f <- if (calib) calib_sql else proj_sql
  sels <- vapply(seq_along(specs), function(k) do.call(f, c(list(q = k), specs[[k]])), "")
  sql <- sprintf("SELECT * FROM (%s) z ORDER BY q, ds, ord", paste(sels, collapse = " UNION ALL "))
  if (sql_only) return(sql)
  r <- if (is.null(settings)) db_query(sql) else db_query_set(settings, sql)
  out <- lapply(seq_along(specs), function(k) {
    x <- r[r$q == k, setdiff(names(r), c("q", "ord")), drop = FALSE]
    rownames(x) <- NULL
    x
  })
  setNames(out, names(specs))
}
db_proj <- function(from, arr, type, ..., settings = NULL, sql_only = FALSE)
  db_many(list(list(from = from, arr = arr, type = type, ...)), settings = settings, sql_only = sql_only)[[1]]
db_calib <- function(from, tau, ..., settings = NULL, sql_only = FALSE)
  db_many(list(list(from = from, tau = tau, ...)), calib = TRUE, settings = settings, sql_only = sql_only)[[1]]
same_result <- function(label, a, b) {
  rownames(a) <- NULL
  rownames(b) <- NULL
  ok <- identical(dim(a), dim(b)) && isTRUE(all.equal(a, b, tolerance = 0))
  if (!ok) cat(sprintf("FAIL %s\n", label))
  check(label, as.numeric(ok), 1, 0)
}

# Cross-fitted predictions: K-fold, each fold predicted from a fit to the
# others (OLS, or a logistic regression for a propensity); arm: OLS on the
# training rows of that arm only.
crossfit <- function(resp, X, folds, logistic = FALSE, arm = NULL, t = NULL) {
  X <- cbind(1, X)
  pred <- numeric(length(resp))
  for (k in sort(unique(folds))) {
    tr <- folds != k
    if (!is.null(arm)) tr <- tr & t == arm
    if (logistic) {
      fit <- suppressWarnings(glm.fit(X[tr, , drop = FALSE], resp[tr], family = binomial()))
      b <- fit$coefficients
      b[is.na(b)] <- 0
      pred[folds == k] <- plogis(drop(X[folds == k, , drop = FALSE] %*% b))
    } else {
      fit <- lm.fit(X[tr, , drop = FALSE], resp[tr])
      b <- fit$coefficients
      b[is.na(b)] <- 0
      pred[folds == k] <- drop(X[folds == k, , drop = FALSE] %*% b)
    }
  }
  pred
}

# Nuisances of y on arm t (logical) from covariates X, cross-fitted.
nuisances <- function(y, t, X) {
  n <- length(y)
  folds <- sample(rep_len(1:5, n))
  e <- pmin(pmax(crossfit(as.numeric(t), X, folds, logistic = TRUE), 0.01), 0.99)
  m0 <- crossfit(y, X, folds, arm = FALSE, t = t)
  m1 <- crossfit(y, X, folds, arm = TRUE, t = t)
  list(e = e, m0 = m0, m1 = m1, mh = e * m1 + (1 - e) * m0, tau = m1 - m0)
}

# Generated observational data: tau(x) = 1 + x1.
gen_obs <- function(n) {
  x <- matrix(rnorm(n * 3), n, 3)
  ps <- plogis(-0.2 + 0.8 * x[, 1] - 0.5 * x[, 2] + 0.3 * x[, 3])
  t <- runif(n) < ps
  mu0 <- 0.5 + x[, 1] - 0.7 * x[, 2] + 0.4 * x[, 3]
  y <- mu0 + t * (1 + x[, 1]) + rnorm(n, sd = 1 + 0.5 * abs(x[, 2]))
  nu <- nuisances(y, t, x)
  data.frame(y = y, t = t, e = nu$e, m0 = nu$m0, m1 = nu$m1, mh = nu$mh, tau = nu$tau,
             tau_mis = 3 * nu$tau - 1, tau_noise = nu$tau + rnorm(n),
             x1 = x[, 1], x2 = x[, 2], x3 = x[, 3],
             s1 = 1e6 * x[, 1], s2 = 1e-3 * x[, 2], s3 = x[, 3],
             o1 = x[, 1] + 1e6, o2 = 1e-3 * x[, 2] + 1, o3 = x[, 3])
}

sanity <- function(label, est, se, truth) {
  z <- (est - truth) / se
  if (!isTRUE(abs(z) < 4))
    cat(sprintf("FAIL %s: estimate %.6g, truth %g, SE %.3g: %.2f SEs off\n", label, est, truth, se, z))
  check(sprintf("%s: sanity: within 4 SEs of %g", label, truth), as.numeric(isTRUE(abs(z) < 4)), 1, 0)
}

## ------------------------------------------------ (a) generated data

# big: the se_types compared on the 50,000-row set, each in some variant
# (test time: sandwich's vcovHC takes ~0.3 s there)
variants <- list(
  list(name = "a = {}", sql = "ARRAY[]::float8[]", cols = character(), shift = numeric(), big = "HC3"),
  list(name = "a = {x1}", sql = "ARRAY[x1]", cols = "x1", shift = 0, big = "HC3"),
  list(name = "a = {x1, x2, x3}", sql = "ARRAY[x1, x2, x3]", cols = c("x1", "x2", "x3"), shift = c(0, 0, 0),
       big = c("classical", "HC1")),
  list(name = "a = {1e6 x1, 1e-3 x2, x3}", sql = "ARRAY[x1 * 1e6::float8, x2 * 1e-3::float8, x3]",
       cols = c("s1", "s2", "s3"), shift = c(0, 0, 0), big = "HC0"),
  list(name = "a = {x1 + 1e6, 1e-3 x2 + 1, x3}", sql = "ARRAY[x1 + 1e6::float8, x2 * 1e-3::float8 + 1::float8, x3]",
       cols = c("o1", "o2", "o3"), shift = c(1e6, 1, 0), big = c("HC2", "HC3")))
# (the scaled and offset columns computed in SQL: the same IEEE operations
# on the same doubles as R's; tau_mis likewise)
gen_sets <- list()
for (seed in c(11, 22, 33)) {
  set.seed(20261221 + seed)
  for (n in if (seed == 11) c(200, 2000, 50000) else c(200, 2000))
    gen_sets[[length(gen_sets) + 1]] <- list(name = sprintf("generated n %d seed %d", n, seed), n = n, d = gen_obs(n))
}
gen_all <- do.call(rbind, lapply(seq_along(gen_sets), function(k)
  cbind(ds = k, gen_sets[[k]]$d[, c("y", "t", "e", "m0", "m1", "mh", "tau", "tau_noise", "x1", "x2", "x3")])))
load_set("gen", gen_all)
cat(sprintf("r-cate_models: generated data loaded: %.0f s\n", proc.time()[["elapsed"]] - t_start))
specs <- list()
for (vi in seq_along(variants)) for (ty in se_types)
  specs[[sprintf("%d %s", vi, ty)]] <- list(from = "gen", arr = variants[[vi]]$sql, type = ty)
p3 <- variants[[3]]$sql
specs[["six"]] <- list(from = "gen", arr = p3, type = NULL)
specs[["hc3"]] <- list(from = "gen", arr = p3, type = "hc3")
specs[["Classical"]] <- list(from = "gen", arr = p3, type = "Classical")
for (tf in names(treat_forms)) {
  specs[[paste("HC3", tf)]] <- list(from = "gen", arr = p3, type = "HC3", treat = treat_forms[[tf]])
  specs[[paste("six", tf)]] <- list(from = "gen", arr = p3, type = NULL, treat = treat_forms[[tf]])
}
gres <- db_many(specs)
raw_gap <- 0
for (vi in seq_along(variants)) {
  v <- variants[[vi]]
  refs <- lapply(gen_sets, function(s)
    ref_proj(with(s$d, gamma_of(y, t, e, m0, m1)), as.matrix(s$d[, v$cols, drop = FALSE]), v$shift,
             types = if (s$n > 2000) v$big else se_types, raw = s$n <= 2000))
  raw_gap <- max(raw_gap, vapply(refs, function(r) r$raw_gap, 0))
  for (ty in se_types) {
    res <- gres[[sprintf("%d %s", vi, ty)]]
    for (k in seq_along(gen_sets)) if (ty %in% names(refs[[k]]$ref))
      compare_proj(sprintf("%s, %s, %s", gen_sets[[k]]$name, v$name, ty), res[res$ds == k, , drop = FALSE], refs[[k]], ty)
    if (v$name == "a = {x1}" && ty == "HC3")
      for (k in seq_along(gen_sets)) if (gen_sets[[k]]$n >= 2000) {
        r <- res[res$ds == k, ]
        sanity(sprintf("%s, a = {x1}, HC3, intercept", gen_sets[[k]]$name), r$estimate[1], r$std_error[1], 1)
        sanity(sprintf("%s, a = {x1}, HC3, slope", gen_sets[[k]]$name), r$estimate[2], r$std_error[2], 1)
      }
  }
}
cat(sprintf("r-cate_models: offset covariates: lm + vcovHC on the raw columns differ from the exactly shifted fit by up to %.2g in the SEs (not checked)\n",
            raw_gap))
# the six-argument form = 'HC3' = 'hc3'; the four treatment types identical
base <- gres[["3 HC3"]]
same_result("generated, a = {x1, x2, x3}: the six-argument form = se_type 'HC3'", gres[["six"]], base)
same_result("generated, a = {x1, x2, x3}: se_type 'hc3' = 'HC3'", gres[["hc3"]], base)
same_result("generated, a = {x1, x2, x3}: se_type 'Classical' = 'classical'", gres[["Classical"]], gres[["3 classical"]])
for (tf in names(treat_forms)) {
  same_result(sprintf("generated, a = {x1, x2, x3}, HC3: %s treatment = boolean", tf), gres[[paste("HC3", tf)]], base)
  same_result(sprintf("generated, a = {x1, x2, x3}, six arguments: %s treatment = boolean", tf), gres[[paste("six", tf)]],
              base)
}
# calibration
taus <- c(tau = "tau", tau_mis = "3::float8 * tau - 1::float8", tau_noise = "tau_noise")
cspecs <- lapply(taus, function(tau) list(from = "gen", tau = tau))
for (tf in names(treat_forms)) cspecs[[tf]] <- list(from = "gen", tau = "tau", treat = treat_forms[[tf]])
cgres <- db_many(cspecs, calib = TRUE)
for (tau in names(taus)) {
  res <- cgres[[tau]]
  for (k in seq_along(gen_sets)) {
    d <- gen_sets[[k]]$d
    R <- ref_calib(d$y, d$t, d$e, d$mh, d[[tau]])
    got <- res[res$ds == k, , drop = FALSE]
    compare_calib(sprintf("%s, calibration_test, tau_hat %s", gen_sets[[k]]$name, tau), got, R)
    if (tau == "tau" && gen_sets[[k]]$n >= 2000) {
      sanity(sprintf("%s, calibration of tau_hat: mean_prediction", gen_sets[[k]]$name), got$mean_prediction,
             got$mean_prediction_se, 1)
      sanity(sprintf("%s, calibration of tau_hat: differential_prediction", gen_sets[[k]]$name),
             got$differential_prediction, got$differential_prediction_se, 1)
    }
  }
}
for (tf in names(treat_forms))
  same_result(sprintf("generated, calibration_test: %s treatment = boolean", tf), cgres[[tf]], cgres[["tau"]])
cat(sprintf("r-cate_models: generated data done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (b) NSW

nsw <- read_nsw(top)
nsw_x <- with(nsw, cbind(age, age^2, educ, as.numeric(race == "black"), as.numeric(race == "hispan"),
                         married, nodegree, re74, re75))
set.seed(20261222)
nu <- nuisances(nsw$re78, nsw$treat, nsw_x)
load_set("nsw_pred", data.frame(id = nsw$id, e = nu$e, m0 = nu$m0, m1 = nu$m1, mh = nu$mh, tau = nu$tau,
                                tau_mis = 3 * nu$tau - 1))
nsw_from <- "(SELECT 1 AS ds, n.*, n.re78 AS y, n.treat AS t, p.e, p.m0, p.m1, p.mh, p.tau, p.tau_mis FROM nsw n JOIN nsw_pred p USING (id)) j"
nsw_G <- gamma_of(nsw$re78, nsw$treat, nu$e, nu$m0, nu$m1)
nsw_A <- with(nsw, cbind(age = age, educ = educ, black = as.numeric(race == "black"), hispan = as.numeric(race == "hispan"),
                         married = married, nodegree = nodegree, re74 = re74, re75 = re75))
nsw_variants <- list("{}" = character(), "{age}" = "age", "{age, educ, re74}" = c("age", "educ", "re74"),
                     "{age, educ, black, hispan, married, nodegree, re74, re75}" = colnames(nsw_A))
nsw_sql <- c(black = "(race = 'black')::int", hispan = "(race = 'hispan')::int")
nsw_arr <- lapply(nsw_variants, function(cols) {
  sql_cols <- vapply(cols, function(c) if (c %in% names(nsw_sql)) nsw_sql[[c]] else c, "")
  sprintf("ARRAY[%s]::float8[]", paste(sql_cols, collapse = ", "))
})
specs <- list()
for (vn in names(nsw_variants)) {
  for (ty in se_types) specs[[paste(vn, ty)]] <- list(from = nsw_from, arr = nsw_arr[[vn]], type = ty)
  for (tf in names(treat_forms))
    specs[[paste(vn, tf)]] <- list(from = nsw_from, arr = nsw_arr[[vn]], type = "HC3", treat = treat_forms[[tf]])
}
nres <- db_many(specs)
for (vn in names(nsw_variants)) {
  R <- ref_proj(nsw_G, nsw_A[, nsw_variants[[vn]], drop = FALSE])
  for (ty in se_types)
    compare_proj(sprintf("NSW, a = %s, %s", vn, ty), nres[[paste(vn, ty)]], R, ty)
  for (tf in names(treat_forms))
    same_result(sprintf("NSW, a = %s, HC3: %s treatment = boolean", vn, tf), nres[[paste(vn, tf)]],
                nres[[paste(vn, "HC3")]])
}
res <- nres[[paste("{}", "HC3")]]
cat(sprintf("r-cate_models: NSW: the intercept-only projection (AIPW ATE) %.2f, HC3 SE %.2f\n", res$estimate, res$std_error))
sanity("NSW, a = {}, HC3: the AIPW ATE vs the experimental 1794", res$estimate, res$std_error, 1794.34)
cspecs <- list()
for (tau in c("tau", "tau_mis")) {
  cspecs[[tau]] <- list(from = nsw_from, tau = tau)
  for (tf in names(treat_forms)) cspecs[[paste(tau, tf)]] <- list(from = nsw_from, tau = tau, treat = treat_forms[[tf]])
}
ncres <- db_many(cspecs, calib = TRUE)
for (tau in c("tau", "tau_mis")) {
  compare_calib(sprintf("NSW, calibration_test, tau_hat %s", tau), ncres[[tau]],
                ref_calib(nsw$re78, nsw$treat, nu$e, nu$mh, if (tau == "tau") nu$tau else 3 * nu$tau - 1))
  for (tf in names(treat_forms))
    same_result(sprintf("NSW, calibration_test, tau_hat %s: %s treatment = boolean", tau, tf), ncres[[paste(tau, tf)]],
                ncres[[tau]])
}
cat(sprintf("r-cate_models: NSW done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ---------------------------------------------------------- (c) edge cases

# Sets of rows, each its group ds in one table: columns y, t, e, m0, m1, mh,
# tau, a1..a3 (NA beyond p), p, anull (the whole array NULL); the array is
# ARRAY[a1, ..., ap] (not a slice: see the null-bitmap check below).
edge <- list()
add_edge <- function(name, y, t, e, m0, m1, A, tau = m1 - m0, anull = rep(FALSE, length(y)), calib = TRUE) {
  A <- as.matrix(A)
  if (nrow(A) == 0 && length(y) > 0) A <- matrix(0, length(y), 0)
  edge[[length(edge) + 1]] <<- list(name = name, y = y, t = t, e = e, m0 = m0, m1 = m1, A = A, tau = tau,
                                    anull = anull, calib = calib)
}
# a set of n rows with nuisances from gen_obs's design, p covariates given
base_rows <- function(n) {
  d <- gen_obs(max(n, 40))[seq_len(n), ]
  d
}
for (pk in list(c(0, 2), c(1, 3), c(3, 5), c(3, 6), c(0, 3), c(1, 4))) {
  p <- pk[1]; n <- pk[2]
  d <- base_rows(n)
  add_edge(sprintf("n = %d, p = %d (k = %d)", n, p, p + 1), d$y, d$t, d$e, d$m0, d$m1,
           matrix(rnorm(n * p), n, p), calib = FALSE)
}
d <- base_rows(50)
a1 <- rnorm(50); a2 <- runif(50)
add_edge("aliased {a1, 2 a1}", d$y, d$t, d$e, d$m0, d$m1, cbind(a1, 2 * a1))
add_edge("aliased {2 a1, a1}", d$y, d$t, d$e, d$m0, d$m1, cbind(2 * a1, a1))
add_edge("aliased {a1, a1}", d$y, d$t, d$e, d$m0, d$m1, cbind(a1, a1))
add_edge("aliased {a1, a2, a1 + a2}", d$y, d$t, d$e, d$m0, d$m1, cbind(a1, a2, a1 + a2))
add_edge("aliased {a1, 0.1, a2} (a constant column)", d$y, d$t, d$e, d$m0, d$m1, cbind(a1, 0.1, a2))
add_edge("aliased {1e6 + 0.1, a1} (a constant column)", d$y, d$t, d$e, d$m0, d$m1, cbind(1e6 + 0.1, a1))
add_edge("aliased {0, a1} (an all-zero column)", d$y, d$t, d$e, d$m0, d$m1, cbind(0, a1))
add_edge("aliased {0.1} (only a constant)", d$y, d$t, d$e, d$m0, d$m1, cbind(rep(0.1, 50)))
d <- base_rows(20)
x <- rnorm(20)
ind1 <- c(1, rep(0, 19)); ind2 <- c(0, 0, 0, 1, rep(0, 16))
add_edge("leverage 1: {x, indicator of row 1}", d$y, d$t, d$e, d$m0, d$m1, cbind(x, ind1))
add_edge("leverage 1: {x, indicators of rows 1 and 4}", d$y, d$t, d$e, d$m0, d$m1, cbind(x, ind1, ind2))
add_edge("leverage 1 and aliased: {ind1, x, 2 ind1}", d$y, d$t, d$e, d$m0, d$m1, cbind(ind1, x, 2 * ind1))
add_edge("high leverage: {x} with x = 1000 in row 1", d$y, d$t, d$e, d$m0, d$m1, cbind(c(1000, x[-1])))
# NULLs: a base set of 300 rows, then rows with a NULL in one argument
d <- base_rows(300)
A0 <- cbind(rnorm(300), rnorm(300))
add_edge("NULL base set (300 rows, p = 2)", d$y, d$t, d$e, d$m0, d$m1, A0, tau = d$tau)
null_base <- length(edge)
for (arg in c("y", "t", "e", "m0", "m1", "a1", "a2", "anull", "tau", "mh")) {
  at <- sort(sample(300, 25))
  ins <- function(v, extra) append(v, extra, after = 150)
  ex <- list(y = d$y[at] + 1.7, t = !d$t[at], e = pmin(d$e[at] + 0.05, 0.99), m0 = d$m0[at] - 1, m1 = d$m1[at] + 1,
             tau = d$tau[at] * 2, mh = d$mh[at] - 0.5)
  exA <- A0[at, ] + 0.3
  an <- rep(FALSE, 25)
  if (arg %in% names(ex)) ex[[arg]][] <- NA
  if (arg == "a1") exA[, 1] <- NA
  if (arg == "a2") exA[, 2] <- NA
  if (arg == "anull") an[] <- TRUE
  edge[[length(edge) + 1]] <- list(
    name = sprintf("25 rows with a NULL %s among 300", arg),
    y = ins(d$y, ex$y), t = ins(d$t, ex$t), e = ins(d$e, ex$e), m0 = ins(d$m0, ex$m0), m1 = ins(d$m1, ex$m1),
    mh = ins(d$mh, ex$mh), tau = ins(d$tau, ex$tau),
    A = rbind(A0[1:150, ], exA, A0[151:300, ]), anull = c(rep(FALSE, 150), an, rep(FALSE, 150)),
    calib = TRUE, null_of = null_base, null_arg = arg)
}
add_edge("only rows with NULLs", c(NA, 1, 2, 3, 4), c(TRUE, NA, FALSE, TRUE, FALSE), c(0.5, 0.5, NA, 0.5, 0.5),
         c(1, 1, 1, NA, 1), c(2, 2, 2, 2, NA), cbind(c(1, 2, 3, 4, 5)), tau = c(1, NA, 1, 1, NA))
# calibration-specific: tbar = 0 exactly (dyadic tau_hat, sums exact), a
# constant tau_hat, two values, a leverage-1 row, three rows
d <- base_rows(200)
dy <- sample(rep(c(-1.5, -0.25, 0.25, 1.5), 50))
add_edge("calibration: tbar = 0 exactly", d$y, d$t, d$e, d$m0, d$m1, cbind(dy), tau = dy)
add_edge("calibration: constant tau_hat 0.3", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 200, 0), tau = rep(0.3, 200))
add_edge("calibration: constant tau_hat 1e6 + 0.1", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 200, 0), tau = rep(1e6 + 0.1, 200))
add_edge("calibration: tau_hat 0.5 or 2", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 200, 0),
         tau = ifelse(seq_len(200) %% 3 == 0, 2, 0.5))
add_edge("calibration: tau_hat 0 but one row 1 (leverage 1)", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 200, 0),
         tau = c(rep(0, 199), 1))
add_edge("calibration: tau_hat with offset 1e3", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 200, 0), tau = 1e3 + d$tau)
d <- base_rows(3)
add_edge("calibration: three rows", d$y, d$t, d$e, d$m0, d$m1, matrix(0, 3, 0), tau = c(0.5, 1.25, 2))

edge_df <- do.call(rbind, lapply(seq_along(edge), function(k) {
  s <- edge[[k]]
  n <- length(s$y)
  if (ncol(s$A) > 3) stop("edge sets: at most 3 covariates")
  A <- matrix(NA_real_, n, 3)
  if (ncol(s$A) > 0) A[, seq_len(ncol(s$A))] <- s$A
  mh <- if (!is.null(s$mh)) s$mh else s$e * s$m1 + (1 - s$e) * s$m0
  df <- data.frame(ds = k, i = seq_len(n), y = s$y, t = s$t, e = s$e, m0 = s$m0, m1 = s$m1, mh = mh, tau = s$tau,
                   p = ncol(s$A), anull = s$anull)
  cbind(df, setNames(as.data.frame(A), paste0("a", 1:3)))
}))
load_set("edge", edge_df)
edge_arr <- paste("CASE WHEN anull THEN NULL WHEN p = 0 THEN '{}'::float8[] WHEN p = 1 THEN ARRAY[a1]",
                  "WHEN p = 2 THEN ARRAY[a1, a2] WHEN p = 3 THEN ARRAY[a1, a2, a3] END")
k0 <- which(vapply(edge, function(s) s$name, "") == "n = 3, p = 0 (k = 1)")
specs <- lapply(setNames(se_types, se_types), function(ty) list(from = "edge", arr = edge_arr, type = ty))
# the literal empty array ARRAY[]::float8[] = '{}'::float8[] (edge_arr's)
specs[["literal"]] <- list(from = sprintf("(SELECT * FROM edge WHERE ds = %d) s", k0), arr = "ARRAY[]::float8[]", type = "HC1")
# an array with a null bitmap but no NULL element (a slice of an array with
# a NULL) is a row like any other
specs[["bitmap"]] <- list(from = sprintf("(SELECT * FROM edge WHERE ds = %d) s", null_base),
                          arr = "(ARRAY[a1, a2, NULL])[1:2]", type = "HC3")
edge_res <- db_many(specs)
for (k in seq_along(edge)) {
  s <- edge[[k]]
  A <- s$A
  A[s$anull, ] <- NA                                        # a NULL array: the row dropped
  R <- ref_proj(gamma_of(s$y, s$t, s$e, s$m0, s$m1), A)
  for (ty in se_types) {
    res <- edge_res[[ty]]
    compare_proj(sprintf("%s, %s", s$name, ty), res[res$ds == k, , drop = FALSE], R, ty)
  }
}
# the rows with NULLs change nothing: the very same doubles as the base set
for (k in seq_along(edge)) if (!is.null(edge[[k]]$null_of) && !edge[[k]]$null_arg %in% c("tau", "mh")) {
  b <- edge[[k]]$null_of
  for (ty in c("classical", "HC3")) {
    r <- edge_res[[ty]]
    same_result(sprintf("%s, %s: = the base set", edge[[k]]$name, ty), r[r$ds == k, -1], r[r$ds == b, -1])
  }
}
same_result("ARRAY[]::float8[] = '{}'::float8[], n = 3", edge_res[["literal"]],
            edge_res[["HC1"]][edge_res[["HC1"]]$ds == k0, ])
same_result("a = (ARRAY[a1, a2, NULL])[1:2] (a null bitmap, no NULL element) = ARRAY[a1, a2], 300 rows", edge_res[["bitmap"]],
            edge_res[["HC3"]][edge_res[["HC3"]]$ds == null_base, ])
cres <- db_calib("edge", "tau")
for (k in seq_along(edge)) {
  s <- edge[[k]]
  if (!s$calib) next
  mh <- if (!is.null(s$mh)) s$mh else s$e * s$m1 + (1 - s$e) * s$m0
  compare_calib(sprintf("%s, calibration_test", s$name), cres[cres$ds == k, , drop = FALSE],
                ref_calib(s$y, s$t, s$e, mh, s$tau))
  if (!is.null(s$null_of) && s$null_arg %in% c("y", "t", "e", "mh", "tau"))
    same_result(sprintf("%s, calibration_test: = the base set", s$name), cres[cres$ds == k, -1],
                cres[cres$ds == s$null_of, -1])
}
# no rows at all: NULL (not an array of NULLs)
none <- db_query(paste("SELECT cate_projection(y, t, e, m0, m1, ARRAY[a1]) IS NULL AS p_null,",
                       "calibration_test(y, t, e, mh, tau) IS NULL AS c_null FROM edge WHERE false"))
check_true("no rows: cate_projection is NULL", nrow(none) == 1 && is_true(none$p_null))
check_true("no rows: calibration_test is NULL", nrow(none) == 1 && is_true(none$c_null))
# 100 covariates, the maximum, on 400 rows
d <- base_rows(400)
W <- matrix(rnorm(400 * 100), 400, 100)
W[, 100] <- W[, 1] * 0.5 + W[, 2]                                 # one aliased (exact up to rounding)
wide <- cbind(data.frame(ds = 1, y = d$y, t = d$t, e = d$e, m0 = d$m0, m1 = d$m1), setNames(as.data.frame(W), paste0("c", 1:100)))
load_set("wide", wide)
Rw <- ref_proj(gamma_of(d$y, d$t, d$e, d$m0, d$m1), W)
warr <- sprintf("ARRAY[%s]", paste0("c", 1:100, collapse = ", "))
wres <- db_many(lapply(setNames(se_types, se_types), function(ty) list(from = "wide", arr = warr, type = ty)))
for (ty in se_types)
  compare_proj(sprintf("100 covariates (one aliased), 400 rows, %s", ty), wres[[ty]], Rw, ty)
cat(sprintf("r-cate_models: edge cases done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------- (d) parallel and order

n_par <- 60000
set.seed(20261223)
gp <- gen_obs(n_par)
par_set <- cbind(data.frame(i = seq_len(n_par)), gp[, c("y", "t", "e", "m0", "m1", "mh", "tau", "x1", "x2", "x3")],
                 data.frame(grp = seq_len(n_par) %% 3, perm = sample(n_par)))
par_set$y[sample(n_par, 30)] <- NA
par_set$x2[sample(n_par, 30)] <- NA
par_set$e[sample(n_par, 30)] <- NA
grp <- par_set$grp
load_set("par", par_set)
psql(c("VACUUM ANALYZE par;",
       "CREATE FUNCTION busy(i float8) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$",
       "DECLARE x float8 := i; BEGIN FOR j IN 1..20 LOOP x := x + j; END LOOP; RETURN x > 0; END $f$;"))
par_on <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
            "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = on;")
serial <- "SET max_parallel_workers_per_gather = 0;"
par_arr <- "ARRAY[x1, x2, x3]"
# One scan (busy(i), always true, makes it slow enough for the workers to
# take parts) computes cate_projection for every se_type and
# calibration_test, all in one Partial Aggregate node; ungrouped or by
# grp (i mod 3).  One row per projection element (q: the se_type), with the
# calibration columns repeated.
par_stmt <- function(grouped) sprintf(paste(
  "SELECT s.ds, v.q, false AS isnull, u.term, u.estimate, u.std_error, u.t_statistic, u.p_value, (s.c).*",
  "FROM (SELECT %s AS ds, %s, calibration_test(y, t, e, mh, tau) AS c FROM par WHERE busy(i)%s) s",
  "CROSS JOIN LATERAL (VALUES %s) v(q, r)",
  "CROSS JOIN LATERAL unnest(v.r) WITH ORDINALITY AS u(term, estimate, std_error, t_statistic, p_value, ord)",
  "ORDER BY s.ds, v.q, u.ord"),
  if (grouped) "grp" else "0",
  paste(sprintf("cate_projection(y, t, e, m0, m1, %s, '%s') AS r%d", par_arr, se_types, seq_along(se_types)),
        collapse = ", "),
  if (grouped) " GROUP BY 1" else "",
  paste(sprintf("(%d, s.r%d)", seq_along(se_types), seq_along(se_types)), collapse = ", "))
proj_part <- function(res, g, k) {
  x <- res[res$ds == g & res$q == k, c("ds", "isnull", "term", proj_cols), drop = FALSE]
  rownames(x) <- NULL
  x
}
calib_part <- function(res, g) {
  x <- res[res$ds == g, c("ds", "isnull", calib_cols), drop = FALSE][1, , drop = FALSE]
  rownames(x) <- NULL
  x
}
plan <- psql(c(par_on, sprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) %s;", par_stmt(FALSE))))
check_true("the parallel plan is a Gather over a Partial Aggregate with 2 workers launched",
           any(grepl("Partial Aggregate", plan)) && any(grepl("Gather", plan)) && any(grepl("Workers Launched: 2", plan)))
check_true("the Partial Aggregate computes partial cate_projection and calibration_test states",
           any(grepl("PARTIAL cate_projection", plan)) && any(grepl("PARTIAL calibration_test", plan)))
scan <- grep("Parallel Seq Scan", plan)
worker_rows <- if (length(scan) == 0) numeric() else
  as.numeric(sub(".*rows=([0-9]+).*", "\\1",
                 grep("Worker [0-9]+: +actual.*rows=", plan[seq(scan[1], length(plan))], value = TRUE)))
split3 <- c(leader = n_par - sum(worker_rows), worker = worker_rows)
cat(sprintf("r-cate_models: parallel plan: rows scanned by each participant: %s\n",
            paste(names(split3), split3, sep = " ", collapse = ", ")))
check_true("the parallel plan splits the rows into 3 parts (leader and 2 workers, each some)",
           length(worker_rows) == 2 && all(split3 > 0))
plan_g <- psql(c(par_on, sprintf("EXPLAIN (COSTS OFF) %s;", par_stmt(TRUE))))
check_true("the GROUP BY plan is parallel (Partial Aggregate)", any(grepl("Partial .*Aggregate", plan_g)))
par_all <- db_query_set(par_on, par_stmt(FALSE))
par_grp <- db_query_set(par_on, par_stmt(TRUE))
close_result <- function(label, a, b, cols) {
  if (!identical(dim(a), dim(b))) {
    cat(sprintf("FAIL %s: shapes differ\n", label))
    return(check(label, 0, 1, 0))
  }
  for (col in cols) for (r in seq_len(nrow(a)))
    check(sprintf("%s, row %d: %s", label, r, col), a[[col]][r], b[[col]][r], rtol = 1e-10)
}
G_par <- with(par_set, gamma_of(y, t, e, m0, m1))
A_par <- as.matrix(par_set[, c("x1", "x2", "x3")])
R_par <- ref_proj(G_par, A_par, types = c("classical", "HC3"))
R_grp <- lapply(0:2, function(g) ref_proj(G_par[grp == g], A_par[grp == g, ], types = "HC3"))
# serially: each se_type, and the rows in other orders
orders <- c("ORDER BY perm" = " ORDER BY perm", "ORDER BY i DESC" = " ORDER BY i DESC", "ORDER BY y" = " ORDER BY y")
specs <- list()
for (ty in se_types) {
  specs[[ty]] <- list(from = "par", arr = par_arr, type = ty, grouped = FALSE)
  if (ty %in% c("classical", "HC3"))
    for (o in names(orders))
      specs[[paste(ty, o)]] <- list(from = "par", arr = par_arr, type = ty, agg_order = orders[[o]], grouped = FALSE)
}
sres <- db_many(specs, settings = serial)
for (k in seq_along(se_types)) {
  ty <- se_types[k]
  ser <- sres[[ty]]
  par_r <- proj_part(par_all, 0, k)
  close_result(sprintf("cate_projection %s: parallel = serial (1e-10)", ty), par_r, ser, c("term", proj_cols))
  if (ty %in% names(R_par$ref)) compare_proj(sprintf("60000 rows, parallel, %s", ty), par_r, R_par, ty)
  if (ty %in% c("classical", "HC3"))
    for (o in names(orders))
      close_result(sprintf("cate_projection %s: rows %s = serial (1e-10)", ty, o), sres[[paste(ty, o)]], ser,
                   c("term", proj_cols))
  if (ty == "HC3")
    for (g in 0:2)
      compare_proj(sprintf("60000 rows, parallel GROUP BY grp, group %d, %s", g, ty), proj_part(par_grp, g, k),
                   R_grp[[g + 1]], ty)
}
cspecs <- list(serial = list(from = "par", tau = "tau", grouped = FALSE))
for (o in names(orders)) cspecs[[o]] <- list(from = "par", tau = "tau", agg_order = orders[[o]], grouped = FALSE)
csres <- db_many(cspecs, calib = TRUE, settings = serial)
ser <- csres[["serial"]]
par_r <- calib_part(par_all, 0)
close_result("calibration_test: parallel = serial (1e-10)", par_r, ser, calib_cols)
compare_calib("60000 rows, parallel, calibration_test", par_r,
              ref_calib(par_set$y, par_set$t, par_set$e, par_set$mh, par_set$tau))
for (o in names(orders))
  close_result(sprintf("calibration_test: rows %s = serial (1e-10)", o), csres[[o]], ser, calib_cols)
for (g in 0:2) {
  s <- grp == g
  compare_calib(sprintf("60000 rows, parallel GROUP BY grp, group %d, calibration_test", g), calib_part(par_grp, g),
                ref_calib(par_set$y[s], par_set$t[s], par_set$e[s], par_set$mh[s], par_set$tau[s]))
}
cat(sprintf("r-cate_models: parallel and order done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (e) errors

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
    ok <- if (e$want == "none") state == "none" else state == e$want
    if (!ok) cat(sprintf("FAIL %s: got %s, want %s\n", e$label, got, e$want))
    check(e$label, as.numeric(ok), 1, 0)
  }
  error_cases <<- list()
}
# one row: y, treated, e_hat, mu0_hat, mu1_hat, a (projection); m_hat, tau_hat (calibration)
vals <- c(y = "1.5", t = "true", e = "0.4", m0 = "0.2", m1 = "0.9", a1 = "0.3", a2 = "-1.2", mh = "0.5", tau = "0.7")
proj1 <- function(v, se = NULL)
  sprintf("SELECT cate_projection(%s::float8, %s::boolean, %s::float8, %s::float8, %s::float8, ARRAY[%s::float8, %s::float8]%s)",
          v[["y"]], v[["t"]], v[["e"]], v[["m0"]], v[["m1"]], v[["a1"]], v[["a2"]], if (is.null(se)) "" else sprintf(", %s", se))
calib1 <- function(v)
  sprintf("SELECT calibration_test(%s::float8, %s::boolean, %s::float8, %s::float8, %s::float8)",
          v[["y"]], v[["t"]], v[["e"]], v[["mh"]], v[["tau"]])
bad_i <- par_set$i[complete.cases(par_set)][1234]
proj_cols_sql <- c(y = "y", t = "t", e = "e", m0 = "m0", m1 = "m1", a1 = "x1", a2 = "x2")
calib_cols_sql <- c(y = "y", t = "t", e = "e", mh = "mh", tau = "tau")
proj_big <- function(cols) sprintf("SELECT cate_projection(%s, %s, %s, %s, %s, ARRAY[%s, %s, x3]) FROM par", cols[["y"]], cols[["t"]],
                                   cols[["e"]], cols[["m0"]], cols[["m1"]], cols[["a1"]], cols[["a2"]])
calib_big <- function(cols) sprintf("SELECT calibration_test(%s, %s, %s, %s, %s) FROM par", cols[["y"]], cols[["t"]],
                                    cols[["e"]], cols[["mh"]], cols[["tau"]])
expect_error("a valid row: cate_projection raises nothing", proj1(vals), "none")
expect_error("a valid row: calibration_test raises nothing", calib1(vals), "none")
for (bad in c("0", "1", "-0.5", "1.5", "'NaN'", "'Infinity'", "'-Infinity'")) {
  v <- vals; v[["e"]] <- bad
  expect_error(sprintf("cate_projection: e_hat = %s, the only row -> 22023", bad), proj1(v), "22023")
  expect_error(sprintf("calibration_test: e_hat = %s, the only row -> 22023", bad), calib1(v), "22023")
  cb <- proj_cols_sql; cb[["e"]] <- sprintf("CASE WHEN i = %d THEN %s::float8 ELSE e END", bad_i, bad)
  expect_error(sprintf("cate_projection: e_hat = %s in row %d of 60000 -> 22023", bad, bad_i), proj_big(cb), "22023")
  cb <- calib_cols_sql; cb[["e"]] <- sprintf("CASE WHEN i = %d THEN %s::float8 ELSE e END", bad_i, bad)
  expect_error(sprintf("calibration_test: e_hat = %s in row %d of 60000 -> 22023", bad, bad_i), calib_big(cb), "22023")
  v[["y"]] <- "NULL"
  expect_error(sprintf("cate_projection: e_hat = %s with y NULL: skipped, no error", bad), proj1(v), "none")
  expect_error(sprintf("calibration_test: e_hat = %s with y NULL: skipped, no error", bad), calib1(v), "none")
}
for (bad in c("'NaN'", "'Infinity'", "'-Infinity'")) {
  for (a in c("y", "m0", "m1", "a1", "a2")) {
    v <- vals; v[[a]] <- bad
    expect_error(sprintf("cate_projection: %s as %s, the only row -> 22023", bad, a), proj1(v), "22023")
    cb <- proj_cols_sql; cb[[a]] <- sprintf("CASE WHEN i = %d THEN %s::float8 ELSE %s END", bad_i, bad, cb[[a]])
    expect_error(sprintf("cate_projection: %s as %s in row %d of 60000 -> 22023", bad, a, bad_i), proj_big(cb), "22023")
    v[[if (a == "y") "m0" else "y"]] <- "NULL"
    expect_error(sprintf("cate_projection: %s as %s with another argument NULL: skipped", bad, a), proj1(v), "none")
  }
  v <- vals; v[["a1"]] <- bad; v[["a2"]] <- "NULL"
  expect_error(sprintf("cate_projection: %s in a with a NULL in a: skipped", bad), proj1(v), "none")
  for (a in c("y", "mh", "tau")) {
    v <- vals; v[[a]] <- bad
    expect_error(sprintf("calibration_test: %s as %s, the only row -> 22023", bad, a), calib1(v), "22023")
    cb <- calib_cols_sql; cb[[a]] <- sprintf("CASE WHEN i = %d THEN %s::float8 ELSE %s END", bad_i, bad, cb[[a]])
    expect_error(sprintf("calibration_test: %s as %s in row %d of 60000 -> 22023", bad, a, bad_i), calib_big(cb), "22023")
    v[[if (a == "y") "mh" else "y"]] <- "NULL"
    expect_error(sprintf("calibration_test: %s as %s with another argument NULL: skipped", bad, a), calib1(v), "none")
  }
}
for (ty in c("int2", "int4", "int8")) {
  for (tv in c("0", "1")) {
    v <- vals; v[["t"]] <- sprintf("%s::%s", tv, ty)
    expect_error(sprintf("cate_projection: %s treatment %s: no error", ty, tv),
                 sub("::boolean", "", proj1(v), fixed = TRUE), "none")
    expect_error(sprintf("calibration_test: %s treatment %s: no error", ty, tv),
                 sub("::boolean", "", calib1(v), fixed = TRUE), "none")
  }
  for (tv in c("2", "-1")) {
    v <- vals; v[["t"]] <- sprintf("(%s)::%s", tv, ty)
    expect_error(sprintf("cate_projection: %s treatment %s -> 22023", ty, tv), sub("::boolean", "", proj1(v), fixed = TRUE),
                 "22023")
    expect_error(sprintf("calibration_test: %s treatment %s -> 22023", ty, tv), sub("::boolean", "", calib1(v), fixed = TRUE),
                 "22023")
    v[["y"]] <- "NULL"
    expect_error(sprintf("cate_projection: %s treatment %s with y NULL: skipped", ty, tv),
                 sub("::boolean", "", proj1(v), fixed = TRUE), "none")
    expect_error(sprintf("calibration_test: %s treatment %s with y NULL: skipped", ty, tv),
                 sub("::boolean", "", calib1(v), fixed = TRUE), "none")
  }
}
for (se in c("'HC4'", "''", "'HC 3'", "'const'", "'stata'"))
  expect_error(sprintf("cate_projection: se_type %s -> 22023", se), proj1(vals, se), "22023")
expect_error("cate_projection: se_type NULL -> 22004", proj1(vals, "NULL::text"), "22004")
v <- vals; v[["y"]] <- "NULL"
expect_error("cate_projection: se_type NULL in a row with y NULL -> 22004", proj1(v, "NULL::text"), "22004")
for (se in c("'hc3'", "'Classical'", "'hC1'", "'HC0'", "'hc2'"))
  expect_error(sprintf("cate_projection: se_type %s: no error", se), proj1(vals, se), "none")
expect_error("cate_projection: se_type HC0 and HC3 on different rows -> 22023",
             sprintf("SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1], CASE WHEN i = %d THEN 'HC0' ELSE 'HC3' END) FROM par", bad_i),
             "22023")
expect_error("cate_projection: se_type classical and HC1 on different rows -> 22023",
             "SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1], CASE WHEN i > 2 THEN 'classical' ELSE 'HC1' END) FROM par WHERE i < 10",
             "22023")
expect_error("cate_projection: se_type 'hc3' and 'HC3' on different rows: no error",
             "SELECT cate_projection(y, t, e, m0, m1, ARRAY[x1], CASE WHEN i::int % 2 = 0 THEN 'hc3' ELSE 'HC3' END) FROM par WHERE i < 10",
             "none")
expect_error("cate_projection: arrays of lengths 2 and 1 -> 2202E",
             sprintf("SELECT cate_projection(y, t, e, m0, m1, CASE WHEN i = %d THEN ARRAY[x1] ELSE ARRAY[x1, x3] END) FROM par", bad_i),
             "2202E")
expect_error("cate_projection: arrays of lengths 0 and 1 -> 2202E",
             "SELECT cate_projection(y, t, e, m0, m1, CASE WHEN i = 3 THEN ARRAY[]::float8[] ELSE ARRAY[x1] END) FROM par WHERE i < 10",
             "2202E")
expect_error("cate_projection: 101 covariates -> 54000",
             "SELECT cate_projection(y, t, e, m0, m1, array_fill(x1, ARRAY[101])) FROM par WHERE i < 10", "54000")
expect_error("cate_projection: 100 covariates: no error",
             "SELECT cate_projection(y, t, e, m0, m1, array_fill(x1, ARRAY[100])) FROM par WHERE i < 10", "none")
expect_error("cate_projection: a valid 60000-row call raises nothing", proj_big(proj_cols_sql), "none")
expect_error("calibration_test: a valid 60000-row call raises nothing", calib_big(calib_cols_sql), "none")
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
nan_every <- function(col) sprintf("CASE WHEN i::int %% 10000 = 9999 THEN 'NaN'::float8 ELSE %s END", col)
par_err <- list()
for (a in c("y", "e", "m0", "m1", "a2")) {
  cb <- proj_cols_sql; cb[[a]] <- nan_every(cb[[a]])
  par_err[[sprintf("cate_projection: NaN as %s in a parallel plan (every 10000th row) -> 22023", a)]] <-
    sub("FROM par", "FROM par WHERE busy(i)", proj_big(cb), fixed = TRUE)
}
for (a in c("e", "mh", "tau")) {
  cb <- calib_cols_sql; cb[[a]] <- nan_every(cb[[a]])
  par_err[[sprintf("calibration_test: NaN as %s in a parallel plan (every 10000th row) -> 22023", a)]] <-
    sub("FROM par", "FROM par WHERE busy(i)", calib_big(cb), fixed = TRUE)
}
for (lab in names(par_err)) {
  got <- sqlstate_set(par_on, paste0(par_err[[lab]], ";"))
  if (got != "22023") cat(sprintf("FAIL %s: got %s\n", lab, got))
  check(lab, as.numeric(got == "22023"), 1, 0)
}
plan_err <- psql(c(par_on, paste0("EXPLAIN (COSTS OFF) ", par_err[[1]], ";")))
check_true("the NaN statement's plan is parallel", any(grepl("Partial Aggregate", plan_err)))

cat(sprintf("r-cate_models: largest relative differences from R: estimate %.2g, std_error %.2g, t_statistic %.2g, p_value %.2g; %.0f s\n",
            worst[["estimate"]], worst[["std_error"]], worst[["t_statistic"]], worst[["p_value"]],
            proc.time()[["elapsed"]] - t_start))
finish("r-cate_models")
