# Cross-check of aipw(y, treated, e_hat, mu0_hat, mu1_hat) against R: the
# doubly robust ATE, ATT, ATU and ATT - ATU from given nuisances with
# influence-function standard errors.  With T the arm, C = 1 - T, e = e_hat,
# q = 1 - e, n1 treated and n0 control rows, pi1 = n1 / n, pi0 = n0 / n:
#   Gamma = mu1 - mu0 + T (y - mu1) / e - C (y - mu0) / q,
#           ATE = mean(Gamma), SE = sd(Gamma) / sqrt(n);
#   A = T (y - mu0) - C (e / q)(y - mu0), ATT = sum(A) / n1,
#           psi_ATT = (A - T ATT) / pi1, SE = sd(psi_ATT) / sqrt(n);
#   B = C (mu1 - y) + T (q / e)(y - mu1), ATU = sum(B) / n0,
#           psi_ATU = (B - C ATU) / pi0, SE = sd(psi_ATU) / sqrt(n);
#   ATT-ATU = ATT - ATU, psi = psi_ATT - psi_ATU, SE = sd(psi) / sqrt(n);
# normal interval at hte.confidence_level (0.95 and 0.9), z = estimate / SE,
# p = 2 pnorm(-|z|) (interval, z and p NULL when the SE is 0); potential-
# outcome means: ATE mean(mu1 + T (y - mu1) / e) and that minus the ATE,
# ATT the treated mean of y and that minus the ATT, ATU the control mean of y
# and that plus the ATU, NULL for ATT-ATU; n_treated, n_control, method
# 'aipw', link NULL; the estimand order ATE, ATT, ATU, ATT-ATU.  The
# reference is the formulas computed directly in R (mean, sum, sd, qnorm,
# pnorm); the ATE's SE is also lm(Gamma ~ 1) with sandwich::vcovHC(HC0)
# times n / (n - 1): a self-check of the reference (1e-11) and a second
# comparison of the database's SE.  Every column of every row is compared,
# 1e-9 relative, absolute near 0: 1e-14 of the scale of the terms summed
# (about 100 times R's own rounding there); the boolean, smallint, integer
# and bigint treatment forms give identical results.
#   (a) generated observational data, n = 200 and 2000 with three seeds,
#       50000 with one: a logistic propensity in x confounding an effect
#       1 + x1 (ATT > ATU), the same with no effect, and a randomized arm
#       (e_hat the known 0.4); nuisances cross-fitted in R (5-fold: a
#       logistic glm for e_hat, clipped to [0.01, 0.99]; per-arm OLS on
#       (x, x^2) for mu0 and mu1, the outcome model misspecified); the true
#       ATE, ATT, ATU (by integration) and ATT-ATU within 4 SEs of the
#       estimates as a sanity check;
#   (b) the shipped NSW data: re78 on treat with nuisances cross-fitted from
#       age, educ, race, married, nodegree, re74, re75 (joined to the nsw
#       table; the ATE within 4 SEs of the experimental 1794), and with
#       e_hat = n1 / n, mu = 0 (every estimate the difference in means, =
#       ate());
#   (c) edge cases: no rows, only one arm, only rows with NULLs (NULL), one
#       row per arm, two per arm, one treated or one control row among 50,
#       e_hat at 0.01 and 0.99 (and 1e-9, 1 - 1e-9), ties, y ~ 1e8 with a
#       small effect (nuisances near y, constant, and 0), values ~1e-8,
#       ~1e-100 and ~1e+100; a constant Gamma (A and B constant in each
#       arm: every SE 0, so interval, z and p NULL; one row per arm with
#       equal Gammas: the ATE's SE 0); Gamma constant up to rounding with A
#       and B varying (300 rows, and twice 4): the SE 0 or within 1e-9 of
#       its scale, as r-dml's exact fits; a near-constant Gamma (noise
#       1e-2, 1e-4, 1e-6 of its size); NULLs in each argument (skipped: the
#       same doubles as without those rows); the default level is 0.95;
#   (d) 60,000 rows: a parallel plan (Gather over a Partial Aggregate, 2
#       workers launched, each aggregating a part) equals the serial result
#       (1e-12; also GROUP BY and the bigint form), as do three states
#       combined with the aggregate's own functions and the rows aggregated
#       in permuted orders; all against R;
#   (e) errors: e_hat <= 0, >= 1, NaN, +-Infinity -> 22023; NaN, Infinity,
#       -Infinity in y, mu0_hat, mu1_hat -> 22023 (as the only row, in row
#       1234 of 60000, and every 10000th row in a parallel plan); an
#       integer treatment other than 0/1 (2, -1, 65536, 2^32, 2^32 + 1) ->
#       22023; a bad row with another argument NULL is skipped; overflow of
#       a term, a sum, a sum of squares or a variance -> class 22.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_aipw.R <repo top>
# Ends with "r-aipw: N passed, M failed"; exits non-zero on failure.

suppressPackageStartupMessages(library(sandwich))

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_aipw"
setup_db(top)
set.seed(20261211)
t_start <- proc.time()[["elapsed"]]

est_names <- c("ATE", "ATT", "ATU", "ATT-ATU")
num_cols <- c("estimate", "std_error", "ci_lower", "ci_upper", "z_statistic", "p_value",
              "po_mean_treated", "po_mean_control")
all_cols <- c("estimand", num_cols, "n_treated", "n_control", "method", "link")
levels <- c(0.95, 0.9)
treat_forms <- c(smallint = "t::int::int2", integer = "t::int", bigint = "t::int::int8")

## ---------------------------------------------------------------- helpers

check_true <- function(label, cond) {
  if (!isTRUE(cond)) cat(sprintf("FAIL %s\n", label))
  check(label, as.numeric(isTRUE(cond)), 1, 0)
}
db_true <- function(x) as.character(x) %in% c("t", "true", "TRUE")
same_text <- function(label, ours, ref) {
  ok <- identical(as.character(ours), as.character(ref))
  if (!ok) cat(sprintf("FAIL %s: ours=%s R=%s\n", label, paste(ours, collapse = "|"), paste(ref, collapse = "|")))
  check(label, as.numeric(ok), 1, 0)
}

# db_query with settings before the COPY (e.g. a parallel plan).
db_query_set <- function(settings, select_sql) {
  out <- psql(c(settings, sprintf("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N');", select_sql)))
  read.csv(text = out, stringsAsFactors = FALSE, na.strings = "\\N")
}

# The rows of the aipw results of `inner` (a query with columns cs and r =
# the hte_estimand[]), one row with is_null for a NULL array.
rows_sql <- function(inner)
  sprintf(paste("SELECT s.cs, s.r IS NULL AS is_null, u.* FROM (%s) s",
                "LEFT JOIN LATERAL unnest(s.r) WITH ORDINALITY u ON true ORDER BY s.cs, u.ordinality"), inner)

# The expected result of the rows given (rows with an NA skipped), from the
# formulas: $null when an arm is empty; else $rows (a data frame in the
# result's layout), the scales for absolute tolerances near 0 ($est_scale,
# $se_scale, $po_scale: the magnitudes of the summed terms), $se_hc0 (the
# ATE SE from lm + vcovHC(HC0)) and $atol_hc0 (its self-check tolerance).
ref_aipw <- function(y, t, e, m0, m1, level) {
  use <- !is.na(y) & !is.na(t) & !is.na(e) & !is.na(m0) & !is.na(m1)
  y <- y[use]; Tr <- as.numeric(t[use]); e <- e[use]; m0 <- m0[use]; m1 <- m1[use]
  n <- length(y); n1 <- sum(Tr); n0 <- n - n1
  if (n1 == 0 || n0 == 0) return(list(null = TRUE))
  Cr <- 1 - Tr; q <- 1 - e
  G <- m1 - m0 + Tr * (y - m1) / e - Cr * (y - m0) / q
  A <- Tr * (y - m0) - Cr * (e / q) * (y - m0)
  B <- Cr * (m1 - y) + Tr * (q / e) * (y - m1)
  ate <- mean(G); att <- sum(A) / n1; atu <- sum(B) / n0
  p1 <- n1 / n; p0 <- n0 / n
  psi_att <- (A - Tr * att) / p1
  psi_atu <- (B - Cr * atu) / p0
  est <- c(ate, att, atu, att - atu)
  se <- c(sd(G), sd(psi_att), sd(psi_atu), sd(psi_att - psi_atu)) / sqrt(n)
  po_ate <- mean(m1 + Tr * (y - m1) / e)
  ybar1 <- mean(y[Tr == 1]); ybar0 <- mean(y[Tr == 0])
  zc <- qnorm((1 + level) / 2)
  pos <- se > 0
  z <- ifelse(pos, est / se, NA_real_)
  rows <- data.frame(estimand = est_names, estimate = est, std_error = se,
                     ci_lower = ifelse(pos, est - zc * se, NA_real_), ci_upper = ifelse(pos, est + zc * se, NA_real_),
                     z_statistic = z, p_value = ifelse(pos, 2 * pnorm(-abs(z)), NA_real_),
                     po_mean_treated = c(po_ate, ybar1, ybar0 + atu, NA), po_mean_control = c(po_ate - ate, ybar1 - att, ybar0, NA),
                     n_treated = n1, n_control = n0, method = "aipw", link = NA_character_, stringsAsFactors = FALSE)
  # magnitudes: of the terms summed for each estimate, and the SE that the
  # influence function would have without cancellation
  g_terms <- abs(m1 - m0) + Tr * abs(y - m1) / e + Cr * abs(y - m0) / q + abs(A) + abs(B)
  est_scale <- c(mean(g_terms), sum(abs(A)) / n1, sum(abs(B)) / n0, sum(abs(A)) / n1 + sum(abs(B)) / n0)
  mag <- list(g_terms + abs(ate), (abs(A) + Tr * abs(att)) / p1, (abs(B) + Cr * abs(atu)) / p0,
              (abs(A) + Tr * abs(att)) / p1 + (abs(B) + Cr * abs(atu)) / p0)
  se_scale <- vapply(mag, function(m) sqrt(sum(m^2) / (n - 1) / n), 0)
  po_scale <- c(mean(abs(m1) + Tr * abs(y - m1) / e), mean(abs(y[Tr == 1])), mean(abs(y[Tr == 0])), 0) + est_scale
  # the ATE SE again: lm(Gamma ~ 1) + vcovHC(HC0), rescaled to the n - 1
  # sd; Gamma first scaled exactly by a power of 2 to deviations near 1
  # (vcovHC's meatHC drops rows whose estimating function is below
  # .Machine$double.eps)
  dev <- G - ate
  s2 <- if (all(dev == 0)) 1 else 2^-round(log2(max(abs(dev))))
  Gs <- G * s2
  fit <- lm(Gs ~ 1)
  se_hc0 <- sqrt(unname(suppressWarnings(vcovHC(fit, type = "HC0"))[1, 1]) * n / (n - 1)) / s2
  # lm's residuals carry ~1e-16 of |Gamma| each: its SE ~1e-16 mean |Gamma| / sqrt(n)
  atol_hc0 <- 1e-14 * mean(abs(G)) / sqrt(n)
  list(null = FALSE, rows = rows, est_scale = est_scale, se_scale = se_scale, po_scale = po_scale,
       se_hc0 = se_hc0, atol_hc0 = atol_hc0, level = level)
}

# the largest relative differences seen (estimates not near 0: above 1e-6
# of their scale), and where
# absolute tolerances near 0: this fraction of the scale of the terms
near0 <- 1e-14
worst <- list(estimate = 0, std_error = 0, estimate_at = "", std_error_at = "")
note_worst <- function(what, label, ours, ref) {
  rel <- abs(ours - ref) / abs(ref)
  if (isTRUE(rel > worst[[what]])) {
    worst[[what]] <<- rel
    worst[[paste0(what, "_at")]] <<- label
  }
}

# Compare the result rows of one set (a data frame from rows_sql) with
# ref_aipw.  zero_se: estimands whose SE is 0 in real arithmetic though the
# inputs are rounded (R's is then ~1e-16 of the scale): the database's must
# be 0 (interval, z and p NULL) or within 1e-9 of se_scale, the rest
# consistent with it.
compare_aipw <- function(label, res, ref, zero_se = integer()) {
  if (isTRUE(ref$null)) {
    check_true(sprintf("%s: an arm is empty -> NULL", label),
               nrow(res) == 1 && db_true(res$is_null) && is.na(res$estimand))
    return(invisible())
  }
  if (nrow(res) != 4 || any(db_true(res$is_null))) {
    cat(sprintf("FAIL %s: %d result rows (NULL: %s)\n", label, nrow(res), paste(res$is_null, collapse = ",")))
    return(check(label, 0, 1, 0))
  }
  r <- ref$rows
  same_text(sprintf("%s: estimand order", label), res$estimand, r$estimand)
  same_text(sprintf("%s: method", label), res$method, r$method)
  check_true(sprintf("%s: link NULL", label), all(is.na(res$link)))
  zc <- qnorm((1 + ref$level) / 2)
  for (k in 1:4) {
    L <- function(what) sprintf("%s: %s %s", label, r$estimand[k], what)
    check(L("n_treated"), res$n_treated[k], r$n_treated[k], rtol = 0)
    check(L("n_control"), res$n_control[k], r$n_control[k], rtol = 0)
    est_atol <- near0 * ref$est_scale[k]
    check(L("estimate"), res$estimate[k], r$estimate[k], atol = est_atol)
    po_atol <- near0 * ref$po_scale[k]
    check(L("po_mean_treated"), res$po_mean_treated[k], r$po_mean_treated[k], atol = po_atol)
    check(L("po_mean_control"), res$po_mean_control[k], r$po_mean_control[k], atol = po_atol)
    if (abs(r$estimate[k]) > 1e-6 * ref$est_scale[k]) note_worst("estimate", L(""), res$estimate[k], r$estimate[k])
    se <- res$std_error[k]
    if (k %in% zero_se) {
      tiny <- isTRUE(se >= 0 && se <= 1e-9 * ref$se_scale[k])
      if (ref$level == levels[1])
        cat(sprintf("r-aipw: %s: SE 0 up to rounding: database %.3g (%.2g of its scale), R %.3g\n", L(""), se,
                    se / ref$se_scale[k], r$std_error[k]))
      if (!tiny)
        cat(sprintf("FAIL %s: std_error %.17g above 1e-9 of its scale %.17g (R: %.3g)\n", L(""), se, ref$se_scale[k],
                    r$std_error[k]))
      check(L("std_error 0 or tiny (SE 0 up to rounding)"), as.numeric(tiny), 1, 0)
      if (isTRUE(se == 0)) {
        check_true(L("std_error 0: ci, z and p NULL"),
                   all(is.na(unlist(res[k, c("ci_lower", "ci_upper", "z_statistic", "p_value")]))))
      } else if (isTRUE(se > 0)) {
        e <- res$estimate[k]
        check(L("tiny std_error: ci_lower"), res$ci_lower[k], e - zc * se)
        check(L("tiny std_error: ci_upper"), res$ci_upper[k], e + zc * se)
        check(L("tiny std_error: z_statistic"), res$z_statistic[k], e / se)
        check(L("tiny std_error: p_value"), res$p_value[k], 2 * pnorm(-abs(e / se)), atol = 1e-300)
      }
      next
    }
    check(L("std_error"), se, r$std_error[k], atol = near0 * ref$se_scale[k])
    if (r$std_error[k] > 0) note_worst("std_error", L(""), se, r$std_error[k])
    if (k == 1 && grepl("noise", label) && ref$level == levels[1])
      cat(sprintf("r-aipw: %s: std_error %.17g, R %.17g, relative difference %.2g\n", L(""), se, r$std_error[k],
                  abs(se - r$std_error[k]) / r$std_error[k]))
    if (k == 1 && r$std_error[k] > 0)
      check(L("std_error = lm + vcovHC(HC0) * n / (n - 1)"), se, ref$se_hc0, atol = near0 * ref$se_scale[k])
    # errors of the estimate and SE carried into the interval, z and p
    s <- r$std_error[k]
    ci_atol <- est_atol + 1e-12 * (abs(r$estimate[k]) + zc * s) + zc * near0 * ref$se_scale[k]
    check(L("ci_lower"), res$ci_lower[k], r$ci_lower[k], atol = ci_atol)
    check(L("ci_upper"), res$ci_upper[k], r$ci_upper[k], atol = ci_atol)
    z_atol <- if (s > 0) (est_atol + abs(r$z_statistic[k]) * near0 * ref$se_scale[k]) / s else 0
    check(L("z_statistic"), res$z_statistic[k], r$z_statistic[k], atol = z_atol)
    p_atol <- if (s > 0) 2 * dnorm(r$z_statistic[k]) * z_atol + 1e-300 else 0
    check(L("p_value"), res$p_value[k], r$p_value[k], rtol = tol * (1 + r$z_statistic[k]^2), atol = p_atol)
  }
  invisible()
}

# The reference's own consistency (once per set): vcovHC = the formula.
self_check <- function(label, ref) {
  if (isTRUE(ref$null)) return(invisible())
  check(sprintf("%s: R self-check: ATE SE, vcovHC(HC0) = sd / sqrt(n)", label), ref$se_hc0, ref$rows$std_error[1],
        rtol = 1e-11, atol = ref$atol_hc0)
}

# Cross-fitted predictions, K-fold, each fold predicted from a fit to the
# others: a logistic regression, or OLS on one arm's rows.
crossfit_logit <- function(t, X, folds) {
  X <- cbind(1, X)
  pred <- numeric(length(t))
  for (k in sort(unique(folds))) {
    tr <- folds != k
    fit <- suppressWarnings(glm.fit(X[tr, , drop = FALSE], as.numeric(t[tr]), family = binomial()))
    b <- fit$coefficients
    b[is.na(b)] <- 0
    pred[!tr] <- plogis(drop(X[!tr, , drop = FALSE] %*% b))
  }
  pred
}
crossfit_arm <- function(y, t, X, folds, arm) {
  X <- cbind(1, X)
  pred <- numeric(length(y))
  for (k in sort(unique(folds))) {
    tr <- folds != k & t == arm
    fit <- lm.fit(X[tr, , drop = FALSE], y[tr])
    b <- fit$coefficients
    b[is.na(b)] <- 0
    pred[folds == k] <- drop(X[folds == k, , drop = FALSE] %*% b)
  }
  pred
}

# Sets of rows: every set in one table (column cs), queried with GROUP BY.
sets <- list()
add_set <- function(name, y, t, e, m0, m1, truth = NULL, zero_se = integer()) {
  stopifnot(length(y) == length(t), length(y) == length(e), length(y) == length(m0), length(y) == length(m1))
  sets[[length(sets) + 1]] <<- list(name = name, y = y, t = t, e = e, m0 = m0, m1 = m1, truth = truth,
                                    zero_se = zero_se)
}
run_sets <- function(table) {
  all <- do.call(rbind, lapply(seq_along(sets), function(k) {
    s <- sets[[k]]
    data.frame(cs = k, i = seq_along(s$y), y = s$y, t = as.logical(s$t), e = s$e, m0 = s$m0, m1 = s$m1)
  }))
  load_set(table, all)
  q <- function(tform) rows_sql(sprintf("SELECT cs, aipw(y, %s, e, m0, m1) AS r FROM %s GROUP BY cs", tform, table))
  res <- list()
  for (lv in levels) res[[as.character(lv)]] <- db_query(q("t"), lv)
  # the integer forms: identical to the boolean one, column by column
  int_res <- lapply(treat_forms, function(f) db_query(q(f), levels[1]))
  for (k in seq_along(sets)) {
    s <- sets[[k]]
    for (lv in levels) {
      ref <- ref_aipw(s$y, s$t, s$e, s$m0, s$m1, lv)
      if (lv == levels[1]) self_check(s$name, ref)
      r <- res[[as.character(lv)]]
      compare_aipw(sprintf("%s [%g]", s$name, lv), r[r$cs == k, , drop = FALSE], ref, s$zero_se)
    }
    b <- res[["0.95"]]; b <- b[b$cs == k, , drop = FALSE]
    for (f in names(treat_forms)) {
      r <- int_res[[f]]; r <- r[r$cs == k, , drop = FALSE]
      same <- nrow(r) == nrow(b) && all(vapply(c("is_null", all_cols), function(col)
        identical(r[[col]], b[[col]]), TRUE))
      check_true(sprintf("%s: a %s treatment gives the boolean's result, identical", s$name, f), same)
    }
    if (!is.null(s$truth)) {
      for (j in 1:4) {
        z <- (b$estimate[j] - s$truth[j]) / b$std_error[j]
        ok <- isTRUE(abs(z) < 4)
        if (!ok)
          cat(sprintf("FAIL %s: %s estimate %.6g, truth %.6g, SE %.3g: %.2f SEs off\n", s$name, est_names[j],
                      b$estimate[j], s$truth[j], b$std_error[j], z))
        check(sprintf("%s: sanity: %s within 4 SEs of the truth %.4g", s$name, est_names[j], s$truth[j]),
              as.numeric(ok), 1, 0)
      }
    }
  }
  sets <<- list()
  invisible(res)
}

## --------------------------------------------- (a) generated observational

# x: 3 standard normal covariates; the propensity plogis(a + b'x); the
# effect tau(x) = 1 + x1 (so the treated, with larger x1, gain more: ATT >
# ATU), or 0; the control outcome has a sin term outside the OLS basis
# (x, x^2), so the outcome model is misspecified and the (correct) logistic
# propensity carries the double robustness.
ps_a <- -0.3
ps_b <- c(0.8, -0.5, 0.4)
# The true ATT and ATU of tau = 1 + x1: with s = b'x ~ N(0, |b|^2),
# E[x1 | s] = b1 s / |b|^2, so ATT = 1 + b1 / |b|^2 E[s e(s)] / E[e(s)] and
# ATU = 1 - b1 / |b|^2 E[s e(s)] / (1 - E[e(s)]).
sb <- sqrt(sum(ps_b^2))
integ <- function(f) integrate(function(s) f(s) * dnorm(s, 0, sb), -Inf, Inf, rel.tol = 1e-12)$value
Ee <- integ(function(s) plogis(ps_a + s))
Ese <- integ(function(s) s * plogis(ps_a + s))
true_att <- 1 + ps_b[1] / sb^2 * Ese / Ee
true_atu <- 1 - ps_b[1] / sb^2 * Ese / (1 - Ee)
truths <- list(confounded = c(1, true_att, true_atu, true_att - true_atu), "no effect" = c(0, 0, 0, 0),
               randomized = c(1, 1, 1, 0))
# the integrals against a million draws (their Monte Carlo error ~0.003)
local({
  x <- matrix(rnorm(3e6), ncol = 3)
  e <- plogis(ps_a + drop(x %*% ps_b))
  check("R self-check: the true ATT by integration = Monte Carlo", true_att, 1 + sum(e * x[, 1]) / sum(e), atol = 0.01)
  check("R self-check: the true ATU by integration = Monte Carlo", true_atu, 1 + sum((1 - e) * x[, 1]) / sum(1 - e),
        atol = 0.01)
})
cat(sprintf("r-aipw: truths of the confounded design: ATE 1, ATT %.6f, ATU %.6f\n", true_att, true_atu))

gen_obs <- function(n, design) {
  x <- matrix(rnorm(n * 3), n, 3)
  e <- if (design == "randomized") rep(0.4, n) else plogis(ps_a + drop(x %*% ps_b))
  t <- runif(n) < e
  tau <- if (design == "no effect") rep(0, n) else 1 + x[, 1]
  m0 <- 1 + x[, 1] + 0.5 * x[, 2] - 0.5 * x[, 3] + 0.5 * sin(2 * x[, 2])
  y <- m0 + t * tau + rnorm(n) * (1 + 0.5 * abs(x[, 2]))            # heteroskedastic
  folds <- sample(rep_len(1:5, n))
  basis <- cbind(x, x^2)
  eh <- if (design == "randomized") e else pmin(pmax(crossfit_logit(t, x, folds), 0.01), 0.99)
  list(y = y, t = t, e = eh, m0 = crossfit_arm(y, t, basis, folds, FALSE), m1 = crossfit_arm(y, t, basis, folds, TRUE),
       truth = truths[[design]])
}
for (seed in c(11, 22, 33)) {
  set.seed(20261211 + seed)
  for (n in c(200, 2000))
    for (design in c("confounded", "no effect", "randomized")) {
      g <- gen_obs(n, design)
      add_set(sprintf("generated %s, n %d, seed %d", design, n, seed), g$y, g$t, g$e, g$m0, g$m1, truth = g$truth)
    }
}
set.seed(20261211 + 44)
g <- gen_obs(50000, "confounded")
add_set("generated confounded, n 50000, seed 44", g$y, g$t, g$e, g$m0, g$m1, truth = g$truth)
run_sets("gen_cases")
cat(sprintf("r-aipw: generated data done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (b) NSW

nsw <- read_nsw(top)
nsw_x <- with(nsw, cbind(age, age^2, educ, as.numeric(race == "black"), as.numeric(race == "hispan"),
                         married, nodegree, re74, re75))
set.seed(20261212)
nsw_folds <- sample(rep_len(1:5, nrow(nsw)))
nsw_pred <- data.frame(id = nsw$id,
                       eh = crossfit_logit(nsw$treat, nsw_x, nsw_folds),
                       m0 = crossfit_arm(nsw$re78, nsw$treat, nsw_x, nsw_folds, FALSE),
                       m1 = crossfit_arm(nsw$re78, nsw$treat, nsw_x, nsw_folds, TRUE),
                       e_const = rep(mean(nsw$treat), nrow(nsw)), zero = rep(0, nrow(nsw)))
load_set("nsw_pred", nsw_pred)
nsw_q <- function(tform, e, m0, m1)
  rows_sql(sprintf("SELECT 0 AS cs, aipw(n.re78, %s, p.%s, p.%s, p.%s) AS r FROM nsw n JOIN nsw_pred p ON p.id = n.id",
                   tform, e, m0, m1))
for (nuis in list(c("eh", "m0", "m1"), c("e_const", "zero", "zero"))) {
  lab <- if (nuis[1] == "eh") "NSW re78 on treat, cross-fitted nuisances" else "NSW re78 on treat, e_hat = n1/n, mu = 0"
  for (lv in levels) {
    res <- db_query(nsw_q("n.treat", nuis[1], nuis[2], nuis[3]), lv)
    ref <- ref_aipw(nsw$re78, nsw$treat, nsw_pred[[nuis[1]]], nsw_pred[[nuis[2]]], nsw_pred[[nuis[3]]], lv)
    if (lv == levels[1]) self_check(lab, ref)
    compare_aipw(sprintf("%s [%g]", lab, lv), res, ref)
    if (lv == levels[1]) {
      cat(sprintf("r-aipw: %s: %s\n", lab, paste(sprintf("%s %.2f (SE %.2f)", res$estimand, res$estimate, res$std_error),
                                                   collapse = ", ")))
      for (f in names(treat_forms)) {
        r <- db_query(nsw_q(sub("^t", "n.treat", treat_forms[[f]]), nuis[1], nuis[2], nuis[3]), lv)
        check_true(sprintf("%s: a %s treatment gives the boolean's result, identical", lab, f),
                   all(vapply(all_cols, function(col) identical(r[[col]], res[[col]]), TRUE)))
      }
      if (nuis[1] == "eh") {
        z <- (res$estimate[1] - 1794.34) / res$std_error[1]
        check_true(sprintf("%s: the ATE is positive and within 4 SEs of the experimental 1794 (%.2f SEs)", lab, z),
                   res$estimate[1] > 0 && abs(z) < 4)
      } else {
        # with e_hat = n1/n and mu = 0, the ATE, ATT and ATU are the
        # difference in means: R's and ate()'s
        dm <- mean(nsw$re78[nsw$treat]) - mean(nsw$re78[!nsw$treat])
        a <- db_query("SELECT (ate(re78, treat)).estimate FROM nsw")$estimate
        for (k in 1:3) {
          check(sprintf("%s: %s = the difference in means", lab, est_names[k]), res$estimate[k], dm)
          check(sprintf("%s: %s = ate()", lab, est_names[k]), res$estimate[k], a)
        }
        check(sprintf("%s: ATT-ATU = 0", lab), res$estimate[4], 0, atol = 1e-12 * abs(dm))
      }
    }
  }
}
cat(sprintf("r-aipw: NSW done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ---------------------------------------------------------- (c) edge cases

set.seed(20261213)
add_set("one row per arm", c(1.25, -0.5), c(TRUE, FALSE), c(0.3, 0.6), c(0.2, -0.1), c(1.1, 0.4))
add_set("two rows per arm", c(1.25, -0.5, 3, 0.75), c(TRUE, FALSE, TRUE, FALSE), c(0.3, 0.6, 0.55, 0.2),
        c(0.2, -0.1, 1.5, 0), c(1.1, 0.4, 2.25, 1))
add_set("one treated row among 50", rnorm(50), c(TRUE, rep(FALSE, 49)), runif(50, 0.1, 0.9), rnorm(50), rnorm(50))
add_set("one control row among 50", rnorm(50), c(rep(TRUE, 49), FALSE), runif(50, 0.1, 0.9), rnorm(50), rnorm(50))
add_set("only treated rows (NULL)", rnorm(5), rep(TRUE, 5), rep(0.5, 5), rnorm(5), rnorm(5))
add_set("only control rows (NULL)", rnorm(5), rep(FALSE, 5), rep(0.5, 5), rnorm(5), rnorm(5))
add_set("only rows with NULLs (NULL)", c(NA, 1, 2, 3, 4), c(TRUE, NA, FALSE, TRUE, FALSE), c(0.5, 0.5, NA, 0.5, 0.5),
        c(0, 0, 0, NA, 0), c(1, 1, 1, 1, NA))
# propensities at the usual clipping bounds: e = plogis(4 x1) clipped to
# [0.01, 0.99] (a fifth of the rows at a bound), the true mu
x1 <- rnorm(600)
e <- pmin(pmax(plogis(4 * x1), 0.01), 0.99)
t <- runif(600) < e
y <- x1 + t * (1 + 0.5 * x1) + rnorm(600)
add_set("e_hat clipped to [0.01, 0.99] (many at the bounds)", y, t, e, x1, 1 + 1.5 * x1)
cat(sprintf("r-aipw: the clipped set: %d rows at 0.01, %d at 0.99\n", sum(e == 0.01), sum(e == 0.99)))
ee <- c(0.01, 0.99, 0.011, 0.985, 0.01, 0.99, 0.02, 0.98)
add_set("e_hat 0.01 and 0.99 on either arm", c(2.5, -1, 0.5, 3, 1.5, 0.25, -2, 4), rep(c(TRUE, FALSE), 4), ee,
        c(0, 0.5, 0, 1, 0.25, 0, -1, 2), c(1, 1.5, 1, 2, 1.25, 1, 0, 3))
add_set("e_hat 1e-9 and 1 - 1e-9", c(1.5, 2, -0.5, 0.25, 1, 3), c(TRUE, TRUE, FALSE, FALSE, FALSE, TRUE),
        c(1e-9, 0.5, 1 - 1e-9, 0.3, 1e-9, 1 - 1e-9), c(1, 1, 0, 0, 0.5, 2), c(1.25, 2.5, 0.5, 1, 0.5, 2.5))
# ties: few distinct values, every row five times
k <- 200
tie <- data.frame(y = sample(0:3, k, TRUE), t = sample(c(TRUE, FALSE), k, TRUE), e = sample(c(0.25, 0.5, 0.75), k, TRUE),
                  m0 = sample(0:1, k, TRUE))
tie <- tie[rep(seq_len(k), each = 5), ]
add_set("ties: integer y, three e_hat values, each row five times", tie$y, tie$t, tie$e, tie$m0, tie$m0 + 1)
add_set("ties: every row the same but the arm", rep(2, 40), rep(c(TRUE, FALSE), 20), rep(0.4, 40), rep(1, 40), rep(1.5, 40))
# magnitudes
set.seed(20261214)
g <- gen_obs(2000, "confounded")
add_set("y ~ 1e8 with a small effect, nuisances ~ 1e8", 1e8 + g$y, g$t, g$e, 1e8 + g$m0, 1e8 + g$m1)
add_set("y ~ 1e8 with a small effect, mu0 = mu1 = 1e8", 1e8 + g$y, g$t, g$e, rep(1e8, 2000), rep(1e8, 2000))
add_set("y ~ 1e8 with a small effect, mu0 = mu1 = 0 (ill-conditioned)", 1e8 + g$y, g$t, g$e, rep(0, 2000), rep(0, 2000))
add_set("all scaled by 1e8", 1e8 * g$y, g$t, g$e, 1e8 * g$m0, 1e8 * g$m1)
add_set("all ~ 1e-8", 1e-8 * g$y, g$t, g$e, 1e-8 * g$m0, 1e-8 * g$m1)
add_set("all ~ 1e-100", 1e-100 * g$y, g$t, g$e, 1e-100 * g$m0, 1e-100 * g$m1)
add_set("all ~ 1e+100", 1e100 * g$y, g$t, g$e, 1e100 * g$m0, 1e100 * g$m1)
# a constant Gamma, exactly: y the arm's own mu (dyadic), mu1 = mu0 + 2, so
# A and B are constant within each arm: every SE is 0
m0 <- sample(-16:16, 40, TRUE) / 8
t <- rep(c(TRUE, FALSE), 20)
add_set("constant Gamma = 2 (y = the arm's mu, mu1 - mu0 = 2): every SE 0", ifelse(t, m0 + 2, m0), t,
        sample(1:7, 40, TRUE) / 8, m0, m0 + 2)
# one row per arm with the same Gamma = 3: the ATE's SE is 0, not the rest
add_set("one row per arm, equal Gammas: the ATE SE 0", c(1.5, -1.5), c(TRUE, FALSE), c(0.5, 0.5), c(0, 0), c(0, 0))
# Gamma = 1.7 in real arithmetic (y = 1.7 e treated, -1.7 q control, mu 0),
# A and B varying: the ATE's SE is 0 up to rounding
e <- runif(300, 0.05, 0.95); t <- runif(300) < e
add_set("Gamma = 1.7 up to rounding (A and B varying)", ifelse(t, 1.7 * e, -1.7 * (1 - e)), t, e, rep(0, 300),
        rep(0, 300), zero_se = 1L)
# the same in four rows (the exact SEs of these doubles: 5.9e-17, 1.2e-17)
add_set("four rows, Gamma = 1.7 up to rounding", c(0.34, 1.36, -0.85, -0.51), c(TRUE, TRUE, FALSE, FALSE),
        c(0.2, 0.8, 0.5, 0.7), rep(0, 4), rep(0, 4), zero_se = 1L)
add_set("four rows, Gamma = 0.3 up to rounding", c(0.18, 0.27, -0.27, -0.06), c(TRUE, TRUE, FALSE, FALSE),
        c(0.6, 0.9, 0.1, 0.8), rep(0, 4), rep(0, 4), zero_se = 1L)
# near-constant Gamma: the same plus noise 1e-2, 1e-4, 1e-6 of its size
for (r in c(1e-2, 1e-4, 1e-6)) {
  e <- runif(300, 0.05, 0.95); t <- runif(300) < e
  add_set(sprintf("Gamma = 1.7 + noise %g (A and B varying)", r), ifelse(t, e, -(1 - e)) * (1.7 + rnorm(300, sd = r)),
          t, e, rep(0, 300), rep(0, 300))
}
# NULLs in each argument: the base set plus 25 rows with that argument NULL
base <- gen_obs(300, "confounded")
base$truth <- NULL
add_set("NULL base set (300 rows)", base$y, base$t, base$e, base$m0, base$m1)
nul_args <- c("y", "t", "e", "m0", "m1")
for (arg in c(nul_args, "all")) {
  extra <- gen_obs(25, "confounded")[nul_args]
  if (arg == "all") for (a in nul_args) extra[[a]][] <- NA else extra[[arg]][] <- NA
  b <- lapply(nul_args, function(a) append(base[[a]], extra[[a]], after = 150))
  names(b) <- nul_args
  add_set(sprintf("25 rows with a NULL %s among 300", arg), b$y, b$t, b$e, b$m0, b$m1)
}
run_sets("edge_cases")

# no rows at all: NULL
none <- db_query(rows_sql("SELECT 0 AS cs, aipw(y, t, e, m0, m1) AS r FROM edge_cases WHERE false"))
check_true("no rows: the result is NULL", nrow(none) == 1 && db_true(none$is_null))
# rows with NULLs change nothing: the same doubles as without them
cs1 <- "SELECT y, t, e, m0, m1 FROM edge_cases WHERE cs = 2"
nul <- db_query(rows_sql(sprintf(paste(
  "SELECT 0 AS cs, aipw(y, t, e, m0, m1) AS r FROM (%s) s UNION ALL",
  "SELECT 1, aipw(y, t, e, m0, m1) FROM (%s UNION ALL VALUES",
  "(NULL::float8, true, 0.5::float8, 0::float8, 1::float8), (1, NULL, 0.5, 0, 1), (1, true, NULL, 0, 1),",
  "(1, false, 0.5, NULL, 1), (1, true, 0.5, 0, NULL), (NULL, NULL, NULL, NULL, NULL)) s"), cs1, cs1)))
check_true("two rows per arm plus rows with NULLs: 4 + 4 result rows", nrow(nul) == 8)
for (col in c(num_cols, "n_treated", "n_control"))
  for (k in 1:4)
    check(sprintf("two rows per arm plus rows with NULLs: %s %s unchanged", est_names[k], col),
          nul[[col]][4 + k], nul[[col]][k], rtol = 0)
# default level 0.95 (no SET)
dq <- rows_sql("SELECT 0 AS cs, aipw(y, t, e, m0, m1) AS r FROM edge_cases WHERE cs = 3")
dflt <- db_query_set(character(), dq)
set95 <- db_query(dq, 0.95)
check_true("default hte.confidence_level: the 0.95 interval",
           identical(dflt, set95) && !any(is.na(dflt$ci_lower)))
cat(sprintf("r-aipw: edge cases done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------- (d) parallel and order

n_par <- 60000
set.seed(20261215)
gp <- gen_obs(n_par, "confounded")
par_set <- data.frame(i = seq_len(n_par), y = gp$y, t = gp$t, e = gp$e, m0 = gp$m0, m1 = gp$m1,
                      grp = seq_len(n_par) %% 3, perm = sample(n_par))
par_set$y[sample(n_par, 30)] <- NA
par_set$e[sample(n_par, 30)] <- NA
par_set$t[sample(n_par, 30)] <- NA
load_set("par_aipw", par_set)
psql(c("VACUUM ANALYZE par_aipw;",
       "CREATE FUNCTION busy(i float8) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$",
       "DECLARE x float8 := i; BEGIN FOR j IN 1..50 LOOP x := x + j; END LOOP; RETURN x > 0; END $f$;"))
par_on <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
            "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = on;")
serial <- "SET max_parallel_workers_per_gather = 0;"
par_q <- c(all = rows_sql("SELECT 0 AS cs, aipw(y, t, e, m0, m1) AS r FROM par_aipw WHERE busy(i)"),
           by_group = rows_sql("SELECT grp AS cs, aipw(y, t, e, m0, m1) AS r FROM par_aipw WHERE busy(i) GROUP BY grp"),
           bigint = rows_sql("SELECT 0 AS cs, aipw(y, t::int::int8, e, m0, m1) AS r FROM par_aipw WHERE busy(i)"))
plan <- psql(c(par_on, sprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) %s;", par_q[["all"]])))
check_true("the parallel plan is a Gather over a Partial Aggregate with 2 workers launched",
           any(grepl("Partial Aggregate", plan)) && any(grepl("Gather", plan)) &&
           any(grepl("Workers Launched: 2", plan)))
scan <- grep("Parallel Seq Scan", plan)
worker_rows <- as.numeric(sub(".*rows=([0-9]+).*", "\\1",
                              grep("Worker [0-9]+: +actual.*rows=", plan[seq(scan[1], length(plan))], value = TRUE)))
split3 <- c(leader = n_par - sum(worker_rows), worker = worker_rows)
cat(sprintf("r-aipw: parallel plan: rows scanned by each participant: %s\n",
            paste(names(split3), split3, sep = " ", collapse = ", ")))
check_true("the parallel plan splits the rows into 3 parts (leader and 2 workers, each some)",
           length(worker_rows) == 2 && all(split3 > 0))
plan_g <- psql(c(par_on, sprintf("EXPLAIN (COSTS OFF) %s;", par_q[["by_group"]])))
check_true("the GROUP BY plan is parallel (Partial Aggregate)", any(grepl("Partial .*Aggregate", plan_g)))
ser <- lapply(par_q, function(q) db_query_set(serial, q))
par_res <- lapply(par_q, function(q) db_query_set(par_on, q))
same_rows <- function(label, a, b, rtol) {
  if (nrow(a) != nrow(b)) {
    cat(sprintf("FAIL %s: %d rows, %d\n", label, nrow(a), nrow(b)))
    return(check(label, 0, 1, 0))
  }
  same_text(sprintf("%s: estimand, method, link, cs", label), unlist(a[c("cs", "estimand", "method", "link")]),
            unlist(b[c("cs", "estimand", "method", "link")]))
  for (col in c(num_cols, "n_treated", "n_control"))
    for (k in seq_len(nrow(a)))
      check(sprintf("%s, row %d (%s): %s", label, k, b$estimand[k], col), a[[col]][k], b[[col]][k],
            rtol = if (col %in% c("n_treated", "n_control")) 0 else rtol)
}
for (nm in names(par_q))
  same_rows(sprintf("parallel = serial (1e-12), %s", nm), par_res[[nm]], ser[[nm]], 1e-12)
same_rows("serial bigint treatment = boolean, identical", ser$bigint, ser$all, 0)
# three states combined with the aggregate's own functions
agg <- db_query_set(character(), paste(
  "SELECT aggtransfn::text AS trans, aggcombinefn::text AS comb, aggfinalfn::text AS fin, agginitval AS init",
  "FROM pg_aggregate WHERE aggfnoid = 'aipw(float8, boolean, float8, float8, float8)'::regprocedure"))
psql(sprintf(paste("CREATE AGGREGATE aipw_state_(float8, boolean, float8, float8, float8)",
                   "(SFUNC = %s, STYPE = float8[], INITCOND = '%s');"), agg$trans, agg$init))
split_q <- sprintf(paste(
  "SELECT 0 AS cs, %s(%s(%s(p1.s, p2.s), p3.s)) AS r",
  "FROM (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY i) s FROM par_aipw WHERE i <= 1000) p1,",
  "     (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY i) s FROM par_aipw WHERE i > 1000 AND i <= 31000) p2,",
  "     (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY i) s FROM par_aipw WHERE i > 31000) p3"), agg$fin, agg$comb, agg$comb)
split_q2 <- sprintf(paste(
  "SELECT 0 AS cs, %s(%s(p3.s, %s(p2.s, p1.s))) AS r",
  "FROM (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY perm) s FROM par_aipw WHERE grp = 0) p1,",
  "     (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY perm) s FROM par_aipw WHERE grp = 1) p2,",
  "     (SELECT aipw_state_(y, t, e, m0, m1 ORDER BY perm) s FROM par_aipw WHERE grp = 2) p3"), agg$fin, agg$comb, agg$comb)
perm_q <- c("3 states combined: rows 1-1000, 1001-31000, 31001-60000" = split_q,
            "3 states combined: i mod 3, permuted, merged 3 + (2 + 1)" = split_q2,
            "rows in a random order (ORDER BY perm)" = "SELECT 0 AS cs, aipw(y, t, e, m0, m1 ORDER BY perm) AS r FROM par_aipw",
            "rows in reverse order (ORDER BY i DESC)" = "SELECT 0 AS cs, aipw(y, t, e, m0, m1 ORDER BY i DESC) AS r FROM par_aipw",
            "rows sorted by y (ORDER BY y)" = "SELECT 0 AS cs, aipw(y, t, e, m0, m1 ORDER BY y) AS r FROM par_aipw",
            "rows by arm, controls first (ORDER BY t, i)" = "SELECT 0 AS cs, aipw(y, t, e, m0, m1 ORDER BY t, i) AS r FROM par_aipw",
            "a table loaded in a random order" =
              "SELECT 0 AS cs, aipw(y, t, e, m0, m1) AS r FROM (SELECT * FROM par_aipw ORDER BY md5(i::text) OFFSET 0) s")
for (nm in names(perm_q))
  same_rows(sprintf("%s = serial (1e-12)", nm), db_query_set(serial, rows_sql(perm_q[[nm]])), ser$all, 1e-12)
for (lv in levels) {
  ref <- ref_aipw(par_set$y, par_set$t, par_set$e, par_set$m0, par_set$m1, lv)
  if (lv == levels[1]) self_check("60000 rows (the parallel set)", ref)
  set_lv <- c(par_on, sprintf("SET hte.confidence_level = %g;", lv))
  compare_aipw(sprintf("60000 rows, parallel [%g]", lv), db_query_set(set_lv, par_q[["all"]]), ref)
  pg <- db_query_set(set_lv, par_q[["by_group"]])
  for (g in 0:2) {
    s <- par_set$grp == g
    compare_aipw(sprintf("60000 rows, parallel GROUP BY, group %d [%g]", g, lv), pg[pg$cs == g, , drop = FALSE],
                 ref_aipw(par_set$y[s], par_set$t[s], par_set$e[s], par_set$m0[s], par_set$m1[s], lv))
  }
}
cat(sprintf("r-aipw: parallel and order done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

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
args5 <- c(y = "y", t = "t", e = "e", m0 = "m0", m1 = "m1")
vals <- c(y = "1.5::float8", t = "true", e = "0.4::float8", m0 = "0.2::float8", m1 = "0.9::float8")
call_of <- function(v) sprintf("SELECT aipw(%s)", paste(v, collapse = ", "))
bad_i <- par_set$i[complete.cases(par_set)][1234]      # a row without NULLs
bad_args <- list(e = c("0", "1", "-0.1", "1.5", "'NaN'", "'Infinity'", "'-Infinity'", "-0.0"),
                 y = c("'NaN'", "'Infinity'", "'-Infinity'"), m0 = c("'NaN'", "'Infinity'", "'-Infinity'"),
                 m1 = c("'NaN'", "'Infinity'", "'-Infinity'"))
for (a in names(bad_args)) for (bad in bad_args[[a]]) {
  one <- vals; one[a] <- sprintf("%s::float8", bad)
  expect_error(sprintf("%s = %s, the only row -> 22023", a, bad), call_of(one), "22023")
  cols <- args5; cols[a] <- sprintf("CASE WHEN i = %d THEN %s::float8 ELSE %s END", bad_i, bad, a)
  expect_error(sprintf("%s = %s in row %d of 60000 -> 22023", a, bad, bad_i),
               sprintf("SELECT aipw(%s) FROM par_aipw", paste(cols, collapse = ", ")), "22023")
  # with another argument NULL the row is skipped before it is looked at
  for (other in setdiff(names(args5), a)) {
    v <- one; v[other] <- if (other == "t") "NULL::boolean" else "NULL::float8"
    expect_error(sprintf("%s = %s with %s NULL: the row is skipped, no error", a, bad, other),
                 sprintf("SELECT aipw(y, t, e, m0, m1) FROM (VALUES (1::float8, true, 0.5::float8, 0::float8, 1::float8), (0, false, 0.5, 0, 1), (%s)) v(y, t, e, m0, m1)",
                         paste(v, collapse = ", ")), "none")
  }
}
# a bad arm value in each integer form
for (f in c("smallint", "integer", "bigint"))
  for (bad in c("2", "-1", if (f != "smallint") "65536", if (f == "bigint") c("4294967296", "4294967297"))) {
    v <- vals; v["t"] <- sprintf("%s::%s", bad, f)
    expect_error(sprintf("a %s treatment %s, the only row -> 22023", f, bad), call_of(v), "22023")
    cols <- args5; cols["t"] <- sprintf("CASE WHEN i = %d THEN %s::%s ELSE t::int::%s END", bad_i, bad, f, f)
    expect_error(sprintf("a %s treatment %s in row %d of 60000 -> 22023", f, bad, bad_i),
                 sprintf("SELECT aipw(%s) FROM par_aipw", paste(cols, collapse = ", ")), "22023")
    v[c("e")] <- "NULL::float8"
    expect_error(sprintf("a %s treatment %s with e_hat NULL: skipped, no error", f, bad), call_of(v), "none")
  }
for (f in c("smallint", "integer", "bigint")) {
  v <- vals; v["t"] <- sprintf("1::%s", f)
  expect_error(sprintf("a %s treatment 1 raises nothing", f), call_of(v), "none")
  v["t"] <- sprintf("0::%s", f)
  expect_error(sprintf("a %s treatment 0 raises nothing", f), call_of(v), "none")
}
# overflow: of a term, a sum, a sum of squares, a variance (class 22)
expect_error("y / e_hat overflows (1e300 / 1e-300) -> class 22", "SELECT aipw(1e300::float8, true, 1e-300, 0, 0)", "22")
expect_error("(y - mu1) / e_hat overflows (1 / 5e-324) -> class 22", "SELECT aipw(1::float8, true, 5e-324, 0, 0)", "22")
expect_error("y - mu0 overflows, treated (1e308 - -1e308) -> class 22", "SELECT aipw(1e308::float8, true, 0.5, -1e308, 0)", "22")
expect_error("y - mu0 overflows, control (1e308 - -1e308) -> class 22", "SELECT aipw(1e308::float8, false, 0.5, -1e308, 0)", "22")
expect_error("mu1 - y overflows, control (1e308 - -1e308) -> class 22", "SELECT aipw(-1e308::float8, false, 0.5, 0, 1e308)", "22")
expect_error("y (1 - e) / e overflows (1e300, e 1e-10) -> class 22", "SELECT aipw(1e300::float8, true, 1e-10, 0, 1e-300)", "22")
expect_error("the sum of y overflows (two rows of 1e308) -> class 22",
             "SELECT aipw(y, t, 0.99, y, y) FROM (VALUES (1e308::float8, true), (1e308, true), (0, false)) v(y, t)", "22")
expect_error("a sum of squares overflows (A = +-1e200) -> class 22",
             "SELECT aipw(y, t, 0.5, 0, y) FROM (VALUES (1e200::float8, true), (-1e200, true), (0, false)) v(y, t)", "22")
expect_error("the ATT's variance exceeds 1e308 (1 treated, 99 controls +-1e153) -> class 22",
             "SELECT aipw(CASE WHEN i = 0 THEN 1 ELSE ((-1)^i * 1e153)::float8 END, i = 0, 0.5, 0, 0) FROM generate_series(0, 99) i", "22")
expect_error("values ~1e140 raise nothing", "SELECT aipw(y * 1e140, t, e, m0 * 1e140, m1 * 1e140) FROM par_aipw", "none")
expect_error("a valid call raises nothing", "SELECT aipw(y, t, e, m0, m1) FROM par_aipw", "none")
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
for (a in c("y", "e", "m0", "m1")) {
  cols <- args5; cols[a] <- sprintf("CASE WHEN i::int %% 10000 = 9999 THEN 'NaN'::float8 ELSE %s END", a)
  q <- sprintf("SELECT aipw(%s) FROM par_aipw WHERE busy(i);", paste(cols, collapse = ", "))
  got <- sqlstate_set(par_on, q)
  lab <- sprintf("NaN as %s in a parallel plan (every 10000th row) -> 22023", a)
  if (got != "22023") cat(sprintf("FAIL %s: got %s\n", lab, got))
  check(lab, as.numeric(got == "22023"), 1, 0)
}
got <- sqlstate_set(par_on, "SELECT aipw(y, CASE WHEN i::int % 10000 = 9999 THEN 2 ELSE t::int END, e, m0, m1) FROM par_aipw WHERE busy(i);")
if (got != "22023") cat(sprintf("FAIL treatment 2 in a parallel plan: got %s\n", got))
check("an integer treatment 2 in a parallel plan (every 10000th row) -> 22023", as.numeric(got == "22023"), 1, 0)
plan_err <- psql(c(par_on, "EXPLAIN (COSTS OFF) SELECT aipw(y, t, CASE WHEN i::int % 10000 = 9999 THEN 'NaN'::float8 ELSE e END, m0, m1) FROM par_aipw WHERE busy(i);"))
check_true("the NaN statement's plan is parallel", any(grepl("Partial Aggregate", plan_err)))

cat(sprintf("r-aipw: largest relative differences from R: estimate %.2g (%s), std_error %.2g (%s); %.0f s\n",
            worst$estimate, worst$estimate_at, worst$std_error, worst$std_error_at, proc.time()[["elapsed"]] - t_start))
finish("r-aipw")
