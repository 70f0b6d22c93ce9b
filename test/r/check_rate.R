# Cross-check of rate(y, treated, e_hat, mu0_hat, mu1_hat, priority
# [, target]) against R: the rank-weighted average treatment effect of a
# prioritization rule (Yadlowsky, Fleming, Shah, Brunskill & Wager; grf's
# rank_average_treatment_effect) from doubly robust scores
#   Gamma = mu1 - mu0 + T (y - mu1) / e - (1 - T)(y - mu0) / (1 - e).
# Estimate: a transcription of grf's estimate_rate (grf/R/
# rank_average_treatment.R, unit weights): sort by priority, highest first;
# replace each Gamma by the mean Gamma of its group of tied priorities;
# TOC_i = cumsum(sorted)_i / i - mean(Gamma); AUTOC = mean(TOC), QINI =
# sum((1:n) / n * TOC) / n.  (grf ranks the priorities with as.factor, whose
# labels keep 15 significant digits; here the ranks are exact: priorities
# tie only when equal as doubles, as in the database.)  Self-checks: the
# estimate = sum(c_k Gamma_sorted_k) with position weights n c_k =
# H_n - H_(k-1) - 1 (AUTOC) or (n - k + 1) / n - (n + 1) / (2n) (QINI).
# Standard error (hte's own; grf bootstraps): the influence function, with
# the groups g = 1..G of distinct priorities from the highest, p_g their
# shares, P_g the cumulative shares, m_g their mean Gamma, w(u) = -log u - 1
# (AUTOC) or 1/2 - u (QINI), omega_h the mean of n c_k over group h's
# positions; a unit j of group h has
#   psi_j = omega_h (Gamma_j - m_h)
#           + sum_(g < G) (1{h <= g} - P_g) w(P_g) (m_g - m_(g+1)),
# SE = sqrt(sum psi^2 / (n (n - 1))), computed vectorised in R (tail sums);
# self-checks: psi by the definition (unit by unit, n <= 500),
# sum(psi) = 0, two hand cases, and psi against the jackknife
# pseudo-values of grf's estimate (400 rows, 4 priority rules).  Normal
# interval at hte.confidence_level (0.95 and 0.9), p = 2 pnorm(-|estimate /
# SE|); interval and p NULL when the SE is 0, the SE NULL with one row.
# Compared at 1e-9 relative (the estimate absolutely near 0: 1e-12 of mean
# |Gamma|), for both targets:
#   (a) generated data (x ~ U(0,1)^3, a propensity 0.3 + 0.4 x2, an effect
#       2 max(x1 - 0.5, 0), heteroskedastic noise), n = 200 and 2000 with
#       three seeds, 20000 with one (the first two priorities below);
#       nuisances cross-fitted in R (5-fold: logistic e_hat clipped to
#       [0.02, 0.98], per-arm OLS for mu0 and mu1) and priorities: the
#       cross-fitted tau_hat = mu1_hat - mu0_hat
#       (continuous), its deciles (heavy ties), x1 > 0.5 (two groups),
#       round(x1 - 0.7, 2) (about 100 groups, negative and zero), and one
#       constant (estimate 0, SE 0, interval and p NULL); the boolean,
#       smallint, integer and bigint treatment forms give identical
#       results; the default target is AUTOC, the target is
#       case-insensitive;
#   (b) the shipped NSW data: re78 on treat, nuisances cross-fitted
#       (logistic e_hat, per-arm OLS) from age, educ, race, married,
#       nodegree, re74, re75, priorities: the cross-fitted T-learner
#       tau_hat (fitted on the other folds), educ (ties) and u75;
#   (c) edge cases: no rows and only rows with NULLs (NULL), n = 1
#       (estimate 0, SE NULL), n = 2 (hand values; equal priorities: SE 0),
#       n = 3 with every tie pattern, 0 and -0 tied, priorities one ulp
#       apart (distinct), ~1e-300 and ~1e+300, Gamma constant exactly and
#       up to rounding (SE 0 or within 1e-12 of mean |Gamma|; when 0 the
#       interval and p NULL), y ~ 1e8, values ~1e-8, NULLs in each argument
#       (skipped: the same doubles as without those rows), the default
#       level 0.95; as a window function (a running frame and a moving
#       frame of 5 rows) every row equals R on its frame;
#   (d) 60,000 rows (continuous, and rounded to 100 tied values): a
#       parallel plan (Gather over a Partial Aggregate, 2 workers launched,
#       each aggregating a part, the internal state serialized) equals the
#       serial result (1e-10; also GROUP BY and the bigint form), as do the
#       rows aggregated in permuted orders; all against R;
#   (e) errors: e_hat <= 0, >= 1, NaN, +-Infinity -> 22023; NaN, +-Infinity
#       in y, mu0_hat, mu1_hat, priority -> 22023 (as the only row, in row
#       1234 of 60000, and every 10000th row in a parallel plan); an integer
#       treatment other than 0/1 -> 22023; target unknown -> 22023, NULL ->
#       22004, differing between rows -> 22023; a bad row with another
#       argument NULL is skipped; an overflowing score -> class 22;
#   (f) calibration by simulation (deterministic seed): x ~ U(0,1)^2,
#       e(x) = 0.3 + 0.4 x2 known, tau(x) = 2 max(x1 - 0.5, 0) (and tau = 1,
#       the null: true RATE 0), Y = 1 + x1 + sin(2 pi x2) + (T - e) tau + N(0,1),
#       the true nuisances; priority rules S = x1 + x2 / 4 and its deciles
#       floor(10 x1); the true RATE by integration (continuous: a midpoint
#       grid over x of w(1 - F_S(S)) tau; deciles: exactly); 400
#       replications of n = 500 through the database: the coverage of the
#       95% interval within [0.90, 0.985] and mean SE / sd(estimates)
#       within [0.8, 1.2] in each of the 8 cells.
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_rate.R <repo top>
# Ends with "r-rate: N passed, M failed"; exits non-zero on failure.

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_rate"
setup_db(top)
set.seed(20261211)
t_start <- proc.time()[["elapsed"]]

rate_cols <- c("estimate", "std_error", "ci_lower", "ci_upper", "p_value", "n")
levels <- c(0.95, 0.9)
targets <- c("AUTOC", "QINI")

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

dr_score <- function(y, t, e, mu0, mu1) mu1 - mu0 + t * (y - mu1) / e - (1 - t) * (y - mu0) / (1 - e)

# grf's estimate_rate with unit sample weights (data: DR.scores * 1, 1,
# priority ranks), transcribed; the ranks are exact (see the header).
grf_rate <- function(gamma, priority, target) {
  n <- length(gamma)
  prio <- match(priority, sort(unique(priority)))        # ranks 1..G, increasing
  sort.idx <- order(prio, decreasing = TRUE)
  sample.weights <- rep(1, n)[sort.idx]
  num.ties <- tabulate(prio)
  num.ties <- num.ties[num.ties != 0]
  if (all(num.ties == 1)) {
    DR.scores.sorted <- gamma[sort.idx]
  } else {
    grp.sum <- rowsum(cbind(gamma, 1)[sort.idx, , drop = FALSE], prio[sort.idx], reorder = FALSE)
    DR.avg <- grp.sum[, 1] / grp.sum[, 2]
    DR.scores.sorted <- rep.int(DR.avg, rev(num.ties))
  }
  sample.weights.cumsum <- cumsum(sample.weights)
  sample.weights.sum <- sample.weights.cumsum[length(sample.weights)]
  ATE <- sum(DR.scores.sorted * sample.weights) / sample.weights.sum
  TOC <- cumsum(DR.scores.sorted * sample.weights) / sample.weights.cumsum - ATE
  wtd.mean <- if (target == "AUTOC") function(x, w) sum(x * w) / sum(w)
              else function(x, w) sum(cumsum(w) / sum(w) * w * x) / sum(w)
  wtd.mean(TOC, sample.weights)
}

# Position weights n c_k, k = 1..n (highest priority first).
pos_weights <- function(n, target) {
  k <- seq_len(n)
  if (target == "AUTOC") {
    H <- c(0, cumsum(1 / k))                 # H[k] = H_(k-1)
    H[n + 1] - H[k] - 1
  } else (n - k + 1) / n - (n + 1) / (2 * n)
}
w_fun <- function(u, target) if (target == "AUTOC") -log(u) - 1 else 0.5 - u

# The groups of a set: h (each unit's group, 1 = highest priority), their
# sizes, cumulative shares, mean Gamma and mean position weight.
rate_groups <- function(gamma, priority, target) {
  n <- length(gamma)
  lev <- sort(unique(priority), decreasing = TRUE)
  h <- match(priority, lev)
  G <- length(lev)
  ng <- tabulate(h, G)
  m <- as.vector(rowsum(gamma, h, reorder = TRUE)) / ng
  omega <- if (G == 1) 0 else as.vector(rowsum(pos_weights(n, target), rep.int(seq_len(G), ng), reorder = TRUE)) / ng
  list(n = n, h = h, G = G, ng = ng, P = cumsum(ng) / n, m = m, omega = omega)
}

# psi, vectorised: the rank term of group h is T_h - C with T_h the tail
# sum over g >= h of D_g = w(P_g) (m_g - m_(g+1)) and C = sum P_g D_g.
rate_psi <- function(gamma, priority, target) {
  g <- rate_groups(gamma, priority, target)
  rank_term <- 0
  if (g$G > 1) {
    G1 <- g$G - 1
    D <- w_fun(g$P[1:G1], target) * (g$m[1:G1] - g$m[2:g$G])
    rank_term <- c(rev(cumsum(rev(D))), 0) - sum(g$P[1:G1] * D)
  }
  g$omega[g$h] * (gamma - g$m[g$h]) + if (g$G > 1) rank_term[g$h] else 0
}

# psi by the definition, unit by unit, the sum over g spelt out (self-check).
rate_psi_loop <- function(gamma, priority, target) {
  g <- rate_groups(gamma, priority, target)
  psi <- numeric(g$n)
  k <- seq_len(g$G - 1)
  for (j in seq_len(g$n)) {
    hj <- g$h[j]
    psi[j] <- g$omega[hj] * (gamma[j] - g$m[hj]) +
      if (g$G > 1) sum(((hj <= k) - g$P[k]) * w_fun(g$P[k], target) * (g$m[k] - g$m[k + 1])) else 0
  }
  psi
}

# The expected hte_rate row of the rows given (rows with an NA skipped).
ref_rate <- function(y, t, e, m0, m1, s, target, level) {
  use <- !is.na(y) & !is.na(t) & !is.na(e) & !is.na(m0) & !is.na(m1) & !is.na(s)
  gamma <- dr_score(y[use], as.numeric(t[use]), e[use], m0[use], m1[use])
  prio <- s[use]
  n <- length(gamma)
  out <- setNames(as.list(rep(NA_real_, length(rate_cols))), rate_cols)
  if (n == 0) return(list(row = out, n = 0))
  out$n <- n
  out$estimate <- grf_rate(gamma, prio, target)
  scale <- mean(abs(gamma)); if (scale == 0) scale <- 1
  res <- list(row = out, n = n, gamma = gamma, prio = prio, scale = scale, G = length(unique(prio)))
  if (n == 1) return(res)
  psi <- rate_psi(gamma, prio, target)
  se <- sqrt(sum(psi^2) / (n * (n - 1)))
  res$psi <- psi
  # the SE is 0 in exact arithmetic: one group, or a constant Gamma (the
  # estimate and SE then rounding noise, compared absolutely)
  res$exact <- res$G == 1 || diff(range(gamma)) <= 1e-13 * scale
  if (res$G == 1) se <- 0
  res$row$std_error <- se
  if (se > 0) {
    z <- qnorm((1 + level) / 2)
    res$row$ci_lower <- out$estimate - z * se
    res$row$ci_upper <- out$estimate + z * se
    res$row$p_value <- 2 * pnorm(-abs(out$estimate / se))
  }
  res
}

worst <- list(estimate = 0, std_error = 0)   # the largest relative differences seen

compare_rate <- function(label, row, ref, level, target) {
  if (nrow(row) != 1) {
    cat(sprintf("FAIL %s: %d result rows\n", label, nrow(row)))
    return(check(label, 0, 1, 0))
  }
  if (ref$n == 0) {
    check_true(sprintf("%s: no rows -> NULL", label), all(is.na(unlist(row[c("target", rate_cols)]))))
    return(invisible())
  }
  r <- ref$row
  check_true(sprintf("%s: target %s", label, target), identical(row$target, target))
  check(sprintf("%s: n", label), row$n, r$n, rtol = 0)
  check(sprintf("%s: estimate", label), row$estimate, r$estimate, atol = 1e-12 * ref$scale)
  if (ref$n >= 2 && !ref$exact && r$estimate != 0)
    worst$estimate <<- max(worst$estimate, abs(row$estimate - r$estimate) / abs(r$estimate))
  if (ref$n == 1) {
    check_true(sprintf("%s: one row: std_error, ci, p NULL", label),
               all(is.na(unlist(row[c("std_error", "ci_lower", "ci_upper", "p_value")]))))
    return(invisible())
  }
  if (ref$exact) {
    se <- row$std_error
    if (ref$G == 1) {
      check(sprintf("%s: one priority group: std_error 0", label), se, 0, rtol = 0)
    } else {
      tiny <- isTRUE(se >= 0 && se <= 1e-12 * ref$scale)
      if (!tiny) cat(sprintf("FAIL %s: constant Gamma, std_error %.17g above 1e-12 of %.3g\n", label, se, ref$scale))
      check(sprintf("%s: constant Gamma: std_error 0 or tiny", label), as.numeric(tiny), 1, 0)
      if (level == levels[1])
        cat(sprintf("r-rate: %s: Gamma constant: estimate %.3g, std_error %.3g (R %.3g)\n", label, row$estimate, se,
                    ref$row$std_error))
    }
    if (isTRUE(se == 0)) {
      check_true(sprintf("%s: std_error 0: ci and p NULL", label),
                 all(is.na(unlist(row[c("ci_lower", "ci_upper", "p_value")]))))
    } else if (isTRUE(se > 0)) {
      z <- qnorm((1 + level) / 2)
      check(sprintf("%s: tiny std_error: ci_lower", label), row$ci_lower, row$estimate - z * se)
      check(sprintf("%s: tiny std_error: ci_upper", label), row$ci_upper, row$estimate + z * se)
      check(sprintf("%s: tiny std_error: p_value", label), row$p_value, 2 * pnorm(-abs(row$estimate / se)))
    }
    return(invisible())
  }
  check(sprintf("%s: std_error", label), row$std_error, r$std_error)
  worst$std_error <<- max(worst$std_error, abs(row$std_error - r$std_error) / r$std_error, na.rm = TRUE)
  ci_atol <- 1e-12 * (abs(r$estimate) + abs(r$ci_upper - r$estimate))
  check(sprintf("%s: ci_lower", label), row$ci_lower, r$ci_lower, atol = ci_atol)
  check(sprintf("%s: ci_upper", label), row$ci_upper, r$ci_upper, atol = ci_atol)
  check(sprintf("%s: p_value", label), row$p_value, r$p_value, atol = 1e-300)
  invisible()
}

# Self-checks of the reference (once per set and target).
self_check <- function(label, ref, target) {
  if (ref$n < 2) return(invisible())
  g <- ref$gamma
  grp <- rate_groups(g, ref$prio, target)
  by_weights <- sum(grp$omega * grp$ng * grp$m) / ref$n
  check(sprintf("%s: R self-check: grf estimate = sum of position weights x group means", label),
        ref$row$estimate, by_weights, rtol = 1e-10, atol = 1e-13 * ref$scale * log(ref$n + 1))
  check(sprintf("%s: R self-check: sum(psi) = 0", label), sum(ref$psi), 0, atol = 1e-11 * ref$scale * sqrt(ref$n))
  if (ref$n <= 500 && !ref$exact) {
    lp <- rate_psi_loop(g, ref$prio, target)
    check(sprintf("%s: R self-check: psi vectorised = psi by the definition (max diff)", label),
          max(abs(lp - ref$psi)), 0, atol = 1e-11 * max(abs(lp)))
  }
}

# Cross-fitted predictions (K-fold): a logistic propensity, clipped; an
# OLS outcome model fitted to one arm of the other folds.
crossfit_logit <- function(t, X, folds, clip = 0.02) {
  X <- cbind(1, X)
  pred <- numeric(length(t))
  for (k in sort(unique(folds))) {
    tr <- folds != k
    fit <- suppressWarnings(glm.fit(X[tr, , drop = FALSE], as.numeric(t[tr]), family = binomial()))
    b <- fit$coefficients
    b[is.na(b)] <- 0
    pred[!tr] <- plogis(drop(X[!tr, , drop = FALSE] %*% b))
  }
  pmin(pmax(pred, clip), 1 - clip)
}
crossfit_arm <- function(y, t, X, folds, arm) {
  X <- cbind(1, X)
  pred <- numeric(length(y))
  for (k in sort(unique(folds))) {
    tr <- folds != k & t == arm
    b <- lm.fit(X[tr, , drop = FALSE], y[tr])$coefficients
    b[is.na(b)] <- 0
    pred[folds == k] <- drop(X[folds == k, , drop = FALSE] %*% b)
  }
  pred
}

# Load a data frame (double and logical columns, no NAs) as table `name`
# through COPY's binary format: the very same doubles, and much faster than
# load_set's text for the simulation's 400,000 rows.
load_binary <- function(name, d) {
  stopifnot(!anyNA(d))
  nr <- nrow(d)
  be <- function(x, size) matrix(writeBin(x, raw(), size = size, endian = "big"), size)
  parts <- list(be(rep(ncol(d), nr), 2))                       # the field count of each tuple
  for (col in d)
    parts <- c(parts, if (is.logical(col)) list(be(rep(1L, nr), 4), matrix(as.raw(col), 1))
                      else list(be(rep(8L, nr), 4), be(as.double(col), 8)))
  f <- file.path(work, paste0(name, ".bin"))
  con <- file(f, "wb")
  writeBin(c(charToRaw("PGCOPY\n"), as.raw(c(0xff, 0x0d, 0x0a, 0x00)), raw(8)), con)   # signature, flags, extension
  writeBin(as.vector(do.call(rbind, parts)), con)               # tuple after tuple
  writeBin(as.raw(c(0xff, 0xff)), con)                          # the trailer: -1
  close(con)
  types <- vapply(d, function(col) if (is.logical(col)) "boolean" else "float8", "")
  psql(c(sprintf("CREATE TABLE %s (%s);", name, paste(names(d), types, collapse = ", ")),
         sprintf("\\copy %s FROM '%s' (FORMAT binary)", name, f)))
  invisible(d)
}

# Sets of rows: every set in one table (column cs), queried with GROUP BY.
sets <- list()
add_set <- function(name, y, t, e, m0, m1, s) {
  sets[[length(sets) + 1]] <<- list(name = name, y = y, t = t, e = e, m0 = m0, m1 = m1, s = s)
}
run_sets <- function(table) {
  all <- do.call(rbind, lapply(seq_along(sets), function(k) {
    s <- sets[[k]]
    data.frame(cs = k, i = seq_along(s$y), y = s$y, t = as.logical(s$t), e = s$e, m0 = s$m0, m1 = s$m1, s = s$s)
  }))
  load_set(table, all)
  res <- list()
  for (tg in targets) for (lv in levels)
    res[[paste(tg, lv)]] <- db_query(sprintf("SELECT cs, (rate(y, t, e, m0, m1, s, '%s')).* FROM %s GROUP BY cs ORDER BY cs",
                                             tg, table), lv)
  for (k in seq_along(sets)) {
    s <- sets[[k]]
    for (tg in targets) for (lv in levels) {
      ref <- ref_rate(s$y, s$t, s$e, s$m0, s$m1, s$s, tg, lv)
      if (lv == levels[1]) self_check(sprintf("%s, %s", s$name, tg), ref, tg)
      r <- res[[paste(tg, lv)]]
      compare_rate(sprintf("%s, %s [%g]", s$name, tg, lv), r[r$cs == k, , drop = FALSE], ref, lv, tg)
    }
  }
  sets <<- list()
  invisible(res)
}

## ------------------------------------------------------ (a) generated data

gen_rate <- function(n) {
  x <- matrix(runif(n * 3), n, 3)
  tau <- 2 * pmax(x[, 1] - 0.5, 0)
  e <- 0.3 + 0.4 * x[, 2]
  t <- runif(n) < e
  y <- 1 + x[, 1] + sin(2 * pi * x[, 2]) + x[, 3] + (t - e) * tau + rnorm(n, sd = 0.5 + x[, 3])
  basis <- cbind(x, x^2, x[, 1] * x[, 2])
  folds <- sample(rep_len(1:5, n))
  m0 <- crossfit_arm(y, t, basis, folds, FALSE)
  m1 <- crossfit_arm(y, t, basis, folds, TRUE)
  list(x = x, y = y, t = t, e = crossfit_logit(t, x, folds), m0 = m0, m1 = m1, tau_hat = m1 - m0)
}
prio_rules <- list(
  "continuous tau_hat" = function(g) g$tau_hat,
  "deciles of tau_hat" = function(g) findInterval(g$tau_hat, quantile(g$tau_hat, seq(0.1, 0.9, 0.1))),
  "x1 > 0.5" = function(g) as.numeric(g$x[, 1] > 0.5),
  "round(x1 - 0.7, 2)" = function(g) round(g$x[, 1] - 0.7, 2),
  "constant" = function(g) rep(3.5, length(g$y)))
for (seed in c(11, 22, 33)) {
  set.seed(20261211 + seed)
  for (n in if (seed == 11) c(200, 2000, 20000) else c(200, 2000)) {
    g <- gen_rate(n)
    for (pr in if (n > 2000) names(prio_rules)[1:2] else names(prio_rules))   # test time
      add_set(sprintf("generated n %d seed %d, priority %s", n, seed, pr), g$y, g$t, g$e, g$m0, g$m1, prio_rules[[pr]](g))
  }
}
gen_res <- run_sets("gen_cases")
# the treatment forms and the default and case-insensitive targets: the same doubles
gen10 <- function(tform, target_arg)
  db_query(sprintf("SELECT cs, (rate(y, %s, e, m0, m1, s%s)).* FROM gen_cases WHERE cs <= 10 GROUP BY cs ORDER BY cs",
                   tform, target_arg))
forms <- c(boolean = "t", smallint = "t::int::int2", integer = "t::int", bigint = "t::int::int8")
tf <- lapply(forms, function(f) gen10(f, ", 'QINI'"))
for (f in names(forms)[-1])
  check_true(sprintf("generated, QINI: treated %s = boolean (identical)", f), identical(tf[[f]], tf$boolean))
dflt <- gen10("t::int::int8", "")
check_true("generated: the default target is AUTOC (identical)", identical(dflt, gen10("t", ", 'AUTOC'")))
for (spelling in c("qini", "Qini", "QiNi"))
  check_true(sprintf("generated: target '%s' = 'QINI' (identical)", spelling),
             identical(gen10("t::int::int2", sprintf(", '%s'", spelling)), tf$boolean))
check_true("generated: target 'autoc' = 'AUTOC' (identical)", identical(gen10("t", ", 'autoc'"), dflt))
# The influence function against the jackknife of grf's estimate (an
# independent derivation of the SE from the estimator alone): on one set of
# 400 rows, the pseudo-values (n - 1)(estimate - estimate without row j)
# track psi_j (correlation > 0.998; ties make them equal up to O(1/n)), and
# the jackknife SE is within [0.99, 1.06] of the SE (about 1.0025 = n / (n - 1)
# with ties, up to 1.04 with continuous priorities under AUTOC's log weight).
set.seed(20261216)
g <- gen_rate(400)
gam <- dr_score(g$y, g$t, g$e, g$m0, g$m1)
for (pr in names(prio_rules)[1:4]) for (tg in targets) {
  s <- prio_rules[[pr]](g)
  loo <- vapply(seq_along(gam), function(j) grf_rate(gam[-j], s[-j], tg), 0)
  psi <- rate_psi(gam, s, tg)
  pseudo <- (400 - 1) * (grf_rate(gam, s, tg) - loo)
  ratio <- sqrt(399 / 400 * sum((loo - mean(loo))^2)) / sqrt(sum(psi^2) / (400 * 399))
  check_true(sprintf("R self-check: jackknife, priority %s, %s: cor(pseudo-values, psi) %.6f > 0.998", pr, tg,
                     cor(pseudo, psi)), cor(pseudo, psi) > 0.998)
  check_true(sprintf("R self-check: jackknife, priority %s, %s: jackknife SE / SE %.4f within [0.99, 1.06]", pr, tg, ratio),
             ratio >= 0.99 && ratio <= 1.06)
}
cat(sprintf("r-rate: generated data done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (b) NSW

nsw <- read_nsw(top)
nsw_x <- with(nsw, cbind(age, age^2, educ, as.numeric(race == "black"), as.numeric(race == "hispan"),
                         married, nodegree, re74, re75))
set.seed(20261212)
nsw_folds <- sample(rep_len(1:5, nrow(nsw)))
nsw_pred <- data.frame(id = nsw$id,
                       eh = crossfit_logit(nsw$treat, nsw_x, nsw_folds),
                       m0 = crossfit_arm(nsw$re78, nsw$treat, nsw_x, nsw_folds, FALSE),
                       m1 = crossfit_arm(nsw$re78, nsw$treat, nsw_x, nsw_folds, TRUE))
nsw_pred$tau_hat <- nsw_pred$m1 - nsw_pred$m0      # each row's from the fits to the other folds
load_set("nsw_pred", nsw_pred)
for (pr in c("p.tau_hat", "n.educ", "n.u75")) for (tg in targets) for (lv in levels) {
  row <- db_query(sprintf(paste("SELECT (rate(n.re78, n.treat, p.eh, p.m0, p.m1, %s::float8, '%s')).*",
                                "FROM nsw n JOIN nsw_pred p ON p.id = n.id"), pr, tg), lv)
  s <- if (pr == "p.tau_hat") nsw_pred$tau_hat else as.numeric(nsw[[sub("n.", "", pr, fixed = TRUE)]])
  ref <- ref_rate(nsw$re78, nsw$treat, nsw_pred$eh, nsw_pred$m0, nsw_pred$m1, s, tg, lv)
  if (lv == levels[1]) {
    self_check(sprintf("NSW, priority %s, %s", pr, tg), ref, tg)
    cat(sprintf("r-rate: NSW, priority %s: %s %.1f, SE %.1f, n %d (%d groups)\n", pr, tg, row$estimate,
                row$std_error, row$n, ref$G))
  }
  compare_rate(sprintf("NSW re78, priority %s, %s [%g]", pr, tg, lv), row, ref, lv, tg)
}

## ---------------------------------------------------------- (c) edge cases

add_set("one row", 2.5, TRUE, 0.4, 1, 2, 0.7)
add_set("two rows, distinct priorities", c(1.25, -3.5), c(TRUE, FALSE), c(0.3, 0.6), c(0.1, 0.4), c(0.5, 0.2), c(2, 1))
add_set("two rows, equal priorities", c(1.25, -3.5), c(TRUE, FALSE), c(0.3, 0.6), c(0.1, 0.4), c(0.5, 0.2), c(1, 1))
# the hand case: y = mu1_hat, so Gamma = mu1_hat - mu0_hat = (3, 1), sorted
add_set("two rows, Gamma 3 and 1 (hand case)", c(3, 1), c(TRUE, TRUE), c(0.5, 0.5), c(0, 0), c(3, 1), c(5, 4))
y3 <- c(1.5, -0.25, 4); t3 <- c(TRUE, FALSE, TRUE); e3 <- c(0.4, 0.55, 0.7); a3 <- c(0.2, -1, 0.3); b3 <- c(1, 0.1, 2)
for (pat in list(c(3, 2, 1), c(1, 2, 3), c(2, 2, 1), c(2, 1, 1), c(1, 2, 1), c(7, 7, 7)))
  add_set(sprintf("three rows, priorities (%s)", paste(pat, collapse = ", ")), y3, t3, e3, a3, b3, pat)
add_set("only rows with NULLs (NULL result)", c(NA, 1, 2, 3, 4, 5), c(TRUE, NA, TRUE, FALSE, TRUE, FALSE),
        c(0.5, 0.5, NA, 0.5, 0.5, 0.5), c(0, 0, 0, NA, 0, 0), c(1, 1, 1, 1, NA, 1), c(1, 2, 3, 4, 5, NA))
g <- gen_rate(400)
add_set("priorities 0 and -0 tie (with +-1)", g$y, g$t, g$e, g$m0, g$m1, sample(c(0, -0, 1, -1), 400, replace = TRUE))
base_s <- sample(c(1, 2, 3), 400, replace = TRUE)
add_set("priorities one ulp apart (1 and 1 + 2^-52, 3 groups each split)", g$y, g$t, g$e, g$m0, g$m1,
        base_s * (1 + 2^-52 * (runif(400) < 0.5)))
add_set("priorities ~1e-300 (distinct)", g$y, g$t, g$e, g$m0, g$m1, 1e-300 * g$tau_hat)
add_set("priorities ~1e+300", g$y, g$t, g$e, g$m0, g$m1, 1e300 * round(g$x[, 1], 1))
# Gamma constant up to rounding: y = mu of the arm, mu1 = mu0 + 1.5 rounded
# (the SE is rounding noise, equal to R's); exactly constant: mu0 dyadic
add_set("Gamma constant up to rounding (y = mu of the arm), distinct priorities", ifelse(g$t, g$m0 + 1.5, g$m0), g$t, g$e,
        g$m0, g$m0 + 1.5, g$tau_hat)
m0d <- round(g$m0 * 64) / 64
add_set("Gamma exactly constant (1.5), distinct priorities", ifelse(g$t, m0d + 1.5, m0d), g$t, g$e, m0d, m0d + 1.5, g$tau_hat)
add_set("Gamma exactly constant (1.5), 3 priority groups", ifelse(g$t, m0d + 1.5, m0d), g$t, g$e, m0d, m0d + 1.5, base_s)
add_set("y, mu ~ 1e8", 1e8 + g$y, g$t, g$e, 1e8 + g$m0, 1e8 + g$m1, g$tau_hat)
add_set("all ~ 1e-8", 1e-8 * g$y, g$t, g$e, 1e-8 * g$m0, 1e-8 * g$m1, base_s)
base_cs <- length(sets) + 1L
add_set("NULL base set (400 rows)", g$y, g$t, g$e, g$m0, g$m1, base_s)
base <- list(y = g$y, t = g$t, e = g$e, m0 = g$m0, m1 = g$m1, s = base_s)
for (arg in c(names(base), "all")) {
  b <- base
  at <- sort(sample(400, 25))
  extra <- lapply(b, function(v) if (is.logical(v)) v[at] else v[at] + 0.01)
  if (arg == "all") for (a in names(extra)) extra[[a]][] <- NA else extra[[arg]][] <- NA
  b <- lapply(names(b), function(a) append(b[[a]], extra[[a]], after = 200))
  names(b) <- names(base)
  add_set(sprintf("25 rows with a NULL %s among 400", if (arg == "t") "treated" else arg), b$y, b$t, b$e, b$m0, b$m1, b$s)
}
edge_res <- run_sets("edge_cases")
# the hand cases: Gamma (3, 1): AUTOC 0.5, SE 1 - log 2; QINI 0.25, SE 0
# (w(1/2) = 0); the reference agrees
hand <- ref_rate(c(3, 1), c(TRUE, TRUE), c(0.5, 0.5), c(0, 0), c(3, 1), c(5, 4), "AUTOC", 0.95)$row
check("R self-check: hand case AUTOC estimate 0.5", hand$estimate, 0.5)
check("R self-check: hand case AUTOC SE 1 - log 2", hand$std_error, 1 - log(2))
hand <- ref_rate(c(3, 1), c(TRUE, TRUE), c(0.5, 0.5), c(0, 0), c(3, 1), c(5, 4), "QINI", 0.95)$row
check("R self-check: hand case QINI estimate 0.25", hand$estimate, 0.25)
check("R self-check: hand case QINI SE 0", hand$std_error, 0, atol = 1e-16)
# no rows at all: NULL, not a row of NULLs
none <- db_query("SELECT rate(y, t, e, m0, m1, s) IS NULL AS is_null, (rate(y, t, e, m0, m1, s)).n FROM edge_cases WHERE false")
check_true("no rows: the result is NULL", nrow(none) == 1 && none$is_null %in% c("t", "true", TRUE) && is.na(none$n))
# the NULL rows change nothing: the same doubles as without them
nul <- db_query(sprintf(paste(
  "SELECT 0 AS k, (rate(y, t, e, m0, m1, s, 'QINI')).* FROM edge_cases WHERE cs = %d",
  "UNION ALL SELECT 1, (rate(y, t, e, m0, m1, s, 'QINI')).* FROM (SELECT y, t, e, m0, m1, s FROM edge_cases WHERE cs = %d",
  "  UNION ALL VALUES (NULL::float8, true, 0.5::float8, 0::float8, 0::float8, 1::float8), (1, NULL, 0.5, 0, 0, 1),",
  "  (1, true, NULL, 0, 0, 1), (1, true, 0.5, NULL, 0, 1), (1, true, 0.5, 0, NULL, 1), (1, true, 0.5, 0, 0, NULL),",
  "  (NULL, NULL, NULL, NULL, NULL, NULL)) s ORDER BY 1"), base_cs, base_cs))
check(sprintf("edge set %d is the NULL base set (n 400)", base_cs), nul$n[1], 400, rtol = 0)
for (col in rate_cols)
  check(sprintf("400 rows plus rows with NULLs: %s unchanged", col), nul[[col]][2], nul[[col]][1], rtol = 0)
# default level 0.95 (no SET)
dflt <- db_query_set(character(), sprintf("SELECT (rate(y, t, e, m0, m1, s)).* FROM edge_cases WHERE cs = %d", base_cs))
set95 <- db_query(sprintf("SELECT (rate(y, t, e, m0, m1, s)).* FROM edge_cases WHERE cs = %d", base_cs), 0.95)
check_true("default hte.confidence_level: the 0.95 interval", identical(dflt, set95) && !any(is.na(unlist(dflt))))

# as a window function: a running frame and a moving frame of 5 rows
set.seed(20261213)
gw <- gen_rate(40)
win <- data.frame(i = 1:40, y = gw$y, t = gw$t, e = gw$e, m0 = gw$m0, m1 = gw$m1, s = sample(c(1, 2, 3, 4), 40, replace = TRUE))
load_set("win_rate", win)
for (tg in targets) {
  frames <- c(running = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", moving = "ROWS BETWEEN 4 PRECEDING AND CURRENT ROW")
  for (fr in names(frames)) {
    wr <- db_query(sprintf(paste("SELECT i, (r).* FROM (SELECT i, rate(y, t, e, m0, m1, s, '%s') OVER (ORDER BY i %s) AS r",
                                 "FROM win_rate) q ORDER BY i"), tg, frames[[fr]]))
    for (i in 1:40) {
      lo <- if (fr == "running") 1 else max(1, i - 4)
      w <- win[lo:i, ]
      compare_rate(sprintf("window, %s frame, row %d, %s", fr, i, tg), wr[wr$i == i, , drop = FALSE],
                   ref_rate(w$y, w$t, w$e, w$m0, w$m1, w$s, tg, 0.95), 0.95, tg)
    }
  }
}
cat(sprintf("r-rate: NSW and edge cases done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------- (d) parallel and order

n_par <- 60000
set.seed(20261214)
gp <- gen_rate(n_par)
par_set <- data.frame(i = seq_len(n_par), y = gp$y, t = gp$t, e = gp$e, m0 = gp$m0, m1 = gp$m1,
                      s = gp$tau_hat, sd = round(gp$x[, 1], 2), grp = seq_len(n_par) %% 3, perm = sample(n_par))
par_set$y[sample(n_par, 30)] <- NA
par_set$s[sample(n_par, 30)] <- NA
par_set$sd[sample(n_par, 30)] <- NA
load_set("par_rate", par_set)
psql(c("VACUUM ANALYZE par_rate;",
       "CREATE FUNCTION busy(i float8) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$",
       "DECLARE x float8 := i; BEGIN FOR j IN 1..10 LOOP x := x + j; END LOOP; RETURN x > 0; END $f$;"))
par_on <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
            "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = on;")
serial <- "SET max_parallel_workers_per_gather = 0;"
par_q <- list()
for (tg in targets) for (pr in c("s", "sd")) {
  par_q[[sprintf("all, priority %s, %s", pr, tg)]] <-
    sprintf("SELECT 0 AS g, (rate(y, t, e, m0, m1, %s, '%s')).* FROM par_rate WHERE busy(i)", pr, tg)
  if (pr == "sd") par_q[[sprintf("by_group, priority %s, %s", pr, tg)]] <-
    sprintf("SELECT grp AS g, (rate(y, t::int::int8, e, m0, m1, %s, '%s')).* FROM par_rate WHERE busy(i) GROUP BY grp ORDER BY grp", pr, tg)
}
plan <- psql(c(par_on, sprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) %s;", par_q[[1]])))
check_true("the parallel plan is a Gather over a Partial Aggregate with 2 workers launched",
           any(grepl("Partial Aggregate", plan)) && any(grepl("Gather", plan)) &&
           any(grepl("Workers Launched: 2", plan)))
scan <- grep("Parallel Seq Scan", plan)
worker_rows <- as.numeric(sub(".*rows=([0-9]+).*", "\\1",
                              grep("Worker [0-9]+: +actual.*rows=", plan[seq(scan[1], length(plan))], value = TRUE)))
split3 <- c(leader = n_par - sum(worker_rows), worker = worker_rows)
cat(sprintf("r-rate: parallel plan: rows scanned by each participant: %s\n",
            paste(names(split3), split3, sep = " ", collapse = ", ")))
check_true("the parallel plan splits the rows into 3 parts (leader and 2 workers, each some)",
           length(worker_rows) == 2 && all(split3 > 0))
plan_g <- psql(c(par_on, sprintf("EXPLAIN (COSTS OFF) %s;", par_q[["by_group, priority sd, AUTOC"]])))
check_true("the GROUP BY plan is parallel (Partial Aggregate)", any(grepl("Partial .*Aggregate", plan_g)))
# the serial and permuted-order queries without busy(i) (it is true on every row)
ser <- lapply(par_q, function(q) db_query_set(serial, sub(" WHERE busy(i)", "", q, fixed = TRUE)))
par_res <- list()
for (lv in levels) for (nm in names(par_q))
  if (lv == levels[1] || startsWith(nm, "all"))
    par_res[[paste(nm, lv)]] <- db_query_set(c(par_on, sprintf("SET hte.confidence_level = %g;", lv)), par_q[[nm]])
for (nm in names(par_q))
  for (col in rate_cols)
    for (k in seq_len(nrow(ser[[nm]])))
      check(sprintf("parallel = serial (1e-10), %s, row %d: %s", nm, k, col), par_res[[paste(nm, levels[1])]][[col]][k],
            ser[[nm]][[col]][k], rtol = 1e-10)
for (tg in targets) for (pr in c("s", "sd")) {
  base_q <- sprintf("all, priority %s, %s", pr, tg)
  agg <- function(order_by) sprintf("(rate(y, t, e, m0, m1, %s, '%s'%s)).*", pr, tg, order_by)
  perm_q <- c("rows in a random order (ORDER BY perm)" = sprintf("SELECT %s FROM par_rate", agg(" ORDER BY perm")),
              "rows in reverse order (ORDER BY i DESC)" = sprintf("SELECT %s FROM par_rate", agg(" ORDER BY i DESC")),
              "rows sorted by priority (ORDER BY priority)" = sprintf("SELECT %s FROM par_rate", agg(paste(" ORDER BY", pr))),
              "a table read in a random order" =
                sprintf("SELECT %s FROM (SELECT * FROM par_rate ORDER BY md5(i::text) OFFSET 0) s", agg("")))
  for (nm in names(perm_q)) {
    r <- db_query_set(serial, perm_q[[nm]])
    for (col in rate_cols)
      check(sprintf("%s = serial (1e-10), priority %s, %s: %s", nm, pr, tg, col), r[[col]], ser[[base_q]][[col]][1], rtol = 1e-10)
  }
  for (lv in levels) {
    ref <- ref_rate(par_set$y, par_set$t, par_set$e, par_set$m0, par_set$m1, par_set[[pr]], tg, lv)
    if (lv == levels[1]) self_check(sprintf("60000 rows, priority %s, %s", pr, tg), ref, tg)
    compare_rate(sprintf("60000 rows, parallel, priority %s, %s [%g]", pr, tg, lv), par_res[[paste(base_q, lv)]], ref, lv, tg)
  }
  pg <- par_res[[paste(sprintf("by_group, priority %s, %s", pr, tg), levels[1])]]
  if (pr == "sd") for (gi in 0:2) {
    s <- par_set$grp == gi
    compare_rate(sprintf("60000 rows, parallel GROUP BY, group %d, priority %s, %s [%g]", gi, pr, tg, levels[1]),
                 pg[pg$g == gi, , drop = FALSE],
                 ref_rate(par_set$y[s], par_set$t[s], par_set$e[s], par_set$m0[s], par_set$m1[s], par_set[[pr]][s], tg,
                          levels[1]), levels[1], tg)
  }
}
cat(sprintf("r-rate: parallel and order done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

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
args6 <- c("y", "t", "e", "m0", "m1", "s")
vals <- c(y = "1.5::float8", t = "true", e = "0.4::float8", m0 = "0.2::float8", m1 = "0.9::float8", s = "2::float8")
one_row <- function(v, target = NULL)
  sprintf("SELECT rate(%s%s)", paste(v, collapse = ", "), if (is.null(target)) "" else paste0(", ", target))
bad_i <- par_set$i[complete.cases(par_set)][1234]      # a row without NULLs
for (bad in c("0", "1", "-0.5", "1.5", "'NaN'", "'Infinity'", "'-Infinity'")) {
  v <- vals; v["e"] <- sprintf("%s::float8", bad)
  expect_error(sprintf("e_hat = %s, the only row -> 22023", bad), one_row(v), "22023")
  expect_error(sprintf("e_hat = %s in row %d of 60000 -> 22023", bad, bad_i),
               sprintf("SELECT rate(y, t, CASE WHEN i = %d THEN %s::float8 ELSE e END, m0, m1, s, 'QINI') FROM par_rate", bad_i, bad),
               "22023")
}
for (bad in c("NaN", "Infinity", "-Infinity")) for (a in c("y", "m0", "m1", "s")) {
  v <- vals; v[a] <- sprintf("'%s'::float8", bad)
  expect_error(sprintf("%s as %s, the only row -> 22023", bad, a), one_row(v), "22023")
  cols <- args6; cols[args6 == a] <- sprintf("CASE WHEN i = %d THEN '%s'::float8 ELSE %s END", bad_i, bad, a)
  expect_error(sprintf("%s as %s in row %d of 60000 -> 22023", bad, a, bad_i),
               sprintf("SELECT rate(%s) FROM par_rate", paste(cols, collapse = ", ")), "22023")
  # with another argument NULL the row is skipped before it is looked at
  other <- v; other[if (a == "y") "m0" else "y"] <- "NULL::float8"
  expect_error(sprintf("%s as %s with another argument NULL: the row is skipped, no error", bad, a), one_row(other), "none")
}
v <- vals; v["e"] <- "0::float8"; v["s"] <- "NULL::float8"
expect_error("e_hat = 0 with the priority NULL: the row is skipped, no error", one_row(v), "none")
for (tv in c("2", "-1", "65536")) for (ty in c("int2", "int4", "int8")) {
  if (ty == "int2" && tv == "65536") next
  v <- vals; v["t"] <- sprintf("%s::%s", tv, ty)
  expect_error(sprintf("treated %s::%s -> 22023", tv, ty), one_row(v), "22023")
}
for (ty in c("int2", "int4", "int8")) for (tv in c("0", "1")) {
  v <- vals; v["t"] <- sprintf("%s::%s", tv, ty)
  expect_error(sprintf("treated %s::%s is valid", tv, ty), one_row(v), "none")
}
expect_error("target 'AUC' -> 22023", one_row(vals, "'AUC'"), "22023")
expect_error("target '' -> 22023", one_row(vals, "''"), "22023")
expect_error("target 'AUTOC ' (trailing space) -> 22023", one_row(vals, "'AUTOC '"), "22023")
expect_error("target NULL -> 22004", one_row(vals, "NULL::text"), "22004")
expect_error("target NULL in row 5 of 10 -> 22004",
             "SELECT rate(y, t, e, m0, m1, s, CASE WHEN i = 5 THEN NULL ELSE 'AUTOC' END) FROM par_rate WHERE i <= 10", "22004")
expect_error("target differing between rows (AUTOC, then QINI at row 5) -> 22023",
             "SELECT rate(y, t, e, m0, m1, s, CASE WHEN i = 5 THEN 'QINI' ELSE 'AUTOC' END) FROM par_rate WHERE i <= 10", "22023")
expect_error("target differing only in case between rows (qini, QINI): no error",
             "SELECT rate(y, t, e, m0, m1, s, CASE WHEN i = 5 THEN 'qini' ELSE 'QINI' END) FROM par_rate WHERE i <= 10", "none")
v <- vals; v["y"] <- "1e308::float8"; v["m1"] <- "-1e308::float8"
expect_error("y - mu1_hat overflows (1e308 - -1e308) -> class 22", one_row(v), "22")
v <- vals; v["y"] <- "1e308::float8"; v["e"] <- "1e-10::float8"
expect_error("(y - mu1_hat) / e_hat overflows -> class 22", one_row(v), "22")
expect_error("a valid call raises nothing", "SELECT rate(y, t, e, m0, m1, s) FROM par_rate", "none")
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
for (a in c("y", "e", "m0", "m1", "s")) {
  cols <- args6; cols[args6 == a] <- sprintf("CASE WHEN i::int %% 10000 = 9999 THEN 'NaN'::float8 ELSE %s END", a)
  q <- sprintf("SELECT rate(%s) FROM par_rate WHERE busy(i);", paste(cols, collapse = ", "))
  got <- sqlstate_set(par_on, q)
  lab <- sprintf("NaN as %s in a parallel plan (every 10000th row) -> 22023", a)
  if (got != "22023") cat(sprintf("FAIL %s: got %s\n", lab, got))
  check(lab, as.numeric(got == "22023"), 1, 0)
}
got <- sqlstate_set(par_on, paste("SELECT rate(y, t, e, m0, m1, s, CASE WHEN i::int % 10000 = 9999 THEN 'QINI' ELSE 'AUTOC' END)",
                                   "FROM par_rate WHERE busy(i);"))
if (got != "22023") cat(sprintf("FAIL target differing in a parallel plan: got %s\n", got))
check("target differing between rows in a parallel plan (every 10000th row QINI) -> 22023", as.numeric(got == "22023"), 1, 0)
plan_err <- psql(c(par_on, paste("EXPLAIN (COSTS OFF) SELECT rate(y, t, e, m0, m1,",
                                 "CASE WHEN i::int % 10000 = 9999 THEN 'NaN'::float8 ELSE s END) FROM par_rate WHERE busy(i);")))
check_true("the NaN statement's plan is parallel", any(grepl("Partial Aggregate", plan_err)))
cat(sprintf("r-rate: errors done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## --------------------------------------------- (f) calibration by simulation

# The data-generating process; S: the continuous rule x1 + x2 / 4 and its
# deciles floor(10 x1) (as priorities: larger first).
sim_a <- 0.25
sim_data <- function(n, het) {
  x1 <- runif(n); x2 <- runif(n)
  tau <- if (het) 2 * pmax(x1 - 0.5, 0) else rep(1, n)
  e <- 0.3 + 0.4 * x2
  t <- runif(n) < e
  m <- 1 + x1 + sin(2 * pi * x2)
  y <- m + (t - e) * tau + rnorm(n)
  data.frame(y = y, t = t, e = e, m0 = m - e * tau, m1 = m + (1 - e) * tau, sc = x1 + sim_a * x2, sd = floor(10 * x1))
}
# The true RATE.  Deciles: the group means of tau are exact (group g from
# the top: x1 in [1 - g/10, 1 - (g-1)/10)), RATE = sum m_g (W(P_g) -
# W(P_(g-1))), W(u) = -u log u (AUTOC) or u/2 - u^2/2 (QINI).  Continuous:
# E[w(U) tau(X)], U = 1 - F_S(S(X)) the top fraction (F_S of x1 + a x2 is
# trapezoidal), by a midpoint grid over x (tau = 0 below x1 = 0.5).
W_fun <- function(u, target) if (target == "AUTOC") ifelse(u > 0, -u * log(u), 0) else u / 2 - u^2 / 2
true_rate <- function(rule, target, het, grid = 2000) {
  if (!het) return(0)
  if (rule == "deciles") {
    g <- 1:10
    m <- 2 * pmax(1 - (g - 0.5) / 10 - 0.5, 0)
    return(sum(m * (W_fun(g / 10, target) - W_fun((g - 1) / 10, target))))
  }
  a <- sim_a
  F_S <- function(s) ifelse(s < a, s^2 / (2 * a), ifelse(s < 1, s - a / 2, 1 - (1 + a - s)^2 / (2 * a)))
  x1 <- 0.5 + (seq_len(grid) - 0.5) / (2 * grid)           # x1 in (0.5, 1): cells of 1 / (2 grid)
  x2 <- (seq_len(2 * grid) - 0.5) / (2 * grid)
  tot <- 0
  for (v in x2) {
    u <- 1 - F_S(x1 + a * v)
    tot <- tot + sum(w_fun(u, target) * 2 * (x1 - 0.5))
  }
  tot / (2 * grid)^2
}
set.seed(20261215)
sim_reps <- 400
sim_n <- 500
cells <- expand.grid(rule = c("continuous", "deciles"), target = targets, het = c(TRUE, FALSE), stringsAsFactors = FALSE)
# the replications' rows drawn at once (the draws are independent)
sim_rows <- rbind(cbind(het = TRUE, rep = rep(seq_len(sim_reps), each = sim_n), sim_data(sim_n * sim_reps, TRUE)),
                  cbind(het = FALSE, rep = rep(seq_len(sim_reps), each = sim_n), sim_data(sim_n * sim_reps, FALSE)))
load_binary("sim_rate", sim_rows)
sim_res <- db_query(paste(
  "SELECT het::int AS het, rep, (rate(y, t, e, m0, m1, sc, 'AUTOC')).estimate AS est_continuous_autoc,",
  "  (rate(y, t, e, m0, m1, sc, 'AUTOC')).std_error AS se_continuous_autoc,",
  "  (rate(y, t, e, m0, m1, sd, 'AUTOC')).estimate AS est_deciles_autoc,",
  "  (rate(y, t, e, m0, m1, sd, 'AUTOC')).std_error AS se_deciles_autoc,",
  "  (rate(y, t, e, m0, m1, sc, 'QINI')).estimate AS est_continuous_qini,",
  "  (rate(y, t, e, m0, m1, sc, 'QINI')).std_error AS se_continuous_qini,",
  "  (rate(y, t, e, m0, m1, sd, 'QINI')).estimate AS est_deciles_qini,",
  "  (rate(y, t, e, m0, m1, sd, 'QINI')).std_error AS se_deciles_qini",
  "FROM sim_rate GROUP BY het, rep ORDER BY het, rep"))
# the first replications also against R
for (hv in c(TRUE, FALSE)) for (r in 1:3) for (k in seq_len(4)) {
  cl <- cells[k, ]
  d <- sim_rows[sim_rows$het == hv & sim_rows$rep == r, ]
  ref <- ref_rate(d$y, d$t, d$e, d$m0, d$m1, if (cl$rule == "continuous") d$sc else d$sd, cl$target, 0.95)
  row <- sim_res[sim_res$het == as.integer(hv) & sim_res$rep == r, ]
  nm <- sprintf("%s_%s", cl$rule, tolower(cl$target))
  check(sprintf("simulation, het %s, rep %d, %s: estimate", hv, r, nm), row[[paste0("est_", nm)]], ref$row$estimate,
        atol = 1e-12 * ref$scale)
  check(sprintf("simulation, het %s, rep %d, %s: std_error", hv, r, nm), row[[paste0("se_", nm)]], ref$row$std_error)
}
z95 <- qnorm(0.975)
cat(sprintf("r-rate: calibration, %d replications of n = %d, true nuisances (hte's SE through the database):\n",
            sim_reps, sim_n))
cat(sprintf("r-rate:   %-10s %-5s %-4s %9s %9s %9s %9s %9s %14s\n", "rule", "RATE", "tau", "truth", "mean est",
            "sd est", "mean SE", "SE/sd", "coverage (MC)"))
for (k in seq_len(nrow(cells))) {
  cl <- cells[k, ]
  nm <- sprintf("%s_%s", cl$rule, tolower(cl$target))
  rs <- sim_res[sim_res$het == as.integer(cl$het), ]
  est <- rs[[paste0("est_", nm)]]; se <- rs[[paste0("se_", nm)]]
  truth <- true_rate(cl$rule, cl$target, cl$het, grid = 500)
  cover <- mean(abs(est - truth) <= z95 * se)
  ratio <- mean(se) / sd(est)
  cat(sprintf("r-rate:   %-10s %-5s %-4s %9.5f %9.5f %9.5f %9.5f %9.3f %7.3f (%.3f)\n", cl$rule, cl$target,
              if (cl$het) "het" else "1", truth, mean(est), sd(est), mean(se), ratio, cover,
              sqrt(cover * (1 - cover) / sim_reps)))
  lab <- sprintf("calibration, %s rule, %s, %s: ", cl$rule, cl$target, if (cl$het) "heterogeneous" else "null")
  check_true(sprintf("%scoverage of the 95%% interval %.3f within [0.90, 0.985]", lab, cover), cover >= 0.90 && cover <= 0.985)
  check_true(sprintf("%smean SE / sd of the estimates %.3f within [0.8, 1.2]", lab, ratio), ratio >= 0.8 && ratio <= 1.2)
}

cat(sprintf("r-rate: largest relative differences from R: estimate %.2g, std_error %.2g; %.0f s\n",
            worst$estimate, worst$std_error, proc.time()[["elapsed"]] - t_start))
finish("r-rate")
