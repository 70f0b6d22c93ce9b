# Reference implementation, in plain R, of the observational-study functions
# of hte (estimands, propensity_model, propensity_score, overlap_check,
# balance_table), written from their definitions, not from the C code.
# Pure R: no database.  Sourced by test/r/check_observational.R.
#
#   ref_complete(...)             rows with no NA in y, t and the arrays
#   ref_link(link)                p(eta), p'(eta), p''(eta) of logit / probit
#   ref_ps_fit(t, X, link)        binomial GLM by maximum likelihood to full
#                                 convergence: glm(epsilon = 1e-15), then
#                                 Newton steps with the observed Hessian;
#                                 aliased columns (lm's qr rule = default
#                                 glm's NA) dropped
#   ref_propensity_model(t, X, link)
#                                 the hte_propensity columns: glm(epsilon =
#                                 1e-15, maxit = 100) restarted at the
#                                 maximum + summary.glm (model SEs from the
#                                 expected information), NA for an aliased
#                                 coefficient
#   ref_propensity_score(m, X)    the fitted probability of a covariate row
#   ref_crump_alpha(e)            Crump-Hotz-Imbens-Mitnik trimming alpha by
#                                 a scan of the sorted gamma = 1/(e(1-e))
#   ref_overlap(t, X, link)       the hte_overlap columns
#   ref_balance(t, X, estimand, link)
#                                 the hte_balance rows (one per covariate)
#   ref_estimands(y, t, Xo, Xt, method, link, level)
#                                 ATE, ATT, ATU, ATT-ATU with the stacked
#                                 M-estimation sandwich (Stata teffects
#                                 vce(robust)); the stack is built literally:
#   ref_stack_psi(theta, S)       the n x K matrix of estimating functions
#   ref_stack_A(theta, S)         their mean Jacobian, analytic (observed)
#   ref_A_numderiv(theta, S)      numDeriv::jacobian of colMeans(psi) (check)
#   ref_simple(y, t, Xo, Xt, link)
#                                 independent one-line computations of the
#                                 ra / ipw / aipw point estimates (lm,
#                                 predict, weighted.mean) for sanity checks
#   ref_ra_ate_se_if(...)         ra ATE standard error from its influence
#                                 function written out by hand (sanity check)
#   ref_info_compare(t, X, link)  observed vs expected information (equal
#                                 for logit: sanity check)
#   ref_crump_verify(e, alpha)    Crump's equation at alpha and a brute-force
#                                 search for a smaller alpha (sanity check)
#
# Estimating equations (n rows; T in {0,1}; e = e(gamma) the propensity,
# q = 1 - e; m0 = x_o'b0, m1 = x_o'b1):
#   gamma (ipw, aipw):  logit  x_t (T - e)
#                       probit x_t phi(eta) (T - e) / (e q)
#   b0 (ra, aipw):      (1 - T) x_o (y - m0)
#   b1 (ra, aipw):      T x_o (y - m1)
#   six POMs mu_k, each  a_k - b_k mu_k = 0  (order: mu1 ATE, mu0 ATE,
#   mu1 ATT, mu0 ATT, mu1 ATU, mu0 ATU):
#     ra:   a = s m_arm, b = s with s = 1, T, 1 - T for ATE, ATT, ATU
#     ipw:  a = w y, b = w with w1 = T/e, T, T q/e and
#                                w0 = (1-T)/q, (1-T) e/q, 1 - T
#     aipw: ATE mu1: a = m1 + T (y - m1)/e,              b = 1
#           ATE mu0: a = m0 + (1-T)(y - m0)/q,           b = 1
#           ATT mu1: a = T y,                            b = T
#           ATT mu0: a = T m0 + (1-T) (e/q) (y - m0),    b = T
#           ATU mu1: a = (1-T) m1 + T (q/e) (y - m1),    b = 1 - T
#           ATU mu0: a = (1-T) y,                        b = 1 - T
#   (the aipw ATT/ATU rows are the spec's formulas rearranged: n1 mu0 =
#   n1 (POM1 - ATT) = sum T m0 + sum (1-T) e/q (y - m0), and likewise ATU.)
# V = A^-1 B A^-T / n, B = sum psi psi' / n, A = sum dpsi/dtheta / n.

suppressPackageStartupMessages(library(numDeriv))

ref_estimand_names <- c("ATE", "ATT", "ATU", "ATT-ATU")

# A condition of class "hte_error" carrying the SQLSTATE the C side raises.
ref_error <- function(msg, sqlstate) {
  stop(structure(class = c("hte_error", "error", "condition"),
                 list(message = msg, call = NULL, sqlstate = sqlstate)))
}

as_matrix <- function(X) {
  if (is.null(X)) return(NULL)
  X <- as.matrix(X)
  storage.mode(X) <- "double"
  unname(X)
}

# Logical vector of usable rows: y (if given), t, every element of every array.
ref_complete <- function(y = NULL, t, ...) {
  keep <- !is.na(t)
  if (!is.null(y)) keep <- keep & !is.na(y)
  for (X in list(...)) if (!is.null(X)) keep <- keep & stats::complete.cases(X)
  keep
}

ref_link <- function(link) {
  switch(link,
    logit = list(p = function(e) plogis(e), q = function(e) plogis(-e),
                 d1 = function(e) dlogis(e),
                 d2 = function(e) { p <- plogis(e); q <- plogis(-e); p * q * (q - p) }),
    probit = list(p = function(e) pnorm(e), q = function(e) pnorm(-e),
                  d1 = function(e) dnorm(e), d2 = function(e) -e * dnorm(e)),
    ref_error(sprintf("unknown link \"%s\"", link), "22023"))
}

# Per-row score of the binomial log-likelihood in eta, h(eta) = p'(T - p)/(p q),
# and its derivative in eta (the observed information is -sum h' x x').
ref_score_h <- function(t, eta, link) {
  L <- ref_link(link)
  p <- L$p(eta); q <- L$q(eta)
  if (link == "logit") return(list(h = t - p, dh = -p * q))
  d1 <- L$d1(eta); d2 <- L$d2(eta)
  r <- t - p
  list(h = d1 * r / (p * q),
       dh = d2 * r / (p * q) - d1^2 / (p * q) - d1^2 * r * (q - p) / (p * q)^2)
}

ref_loglik <- function(t, eta, link) {
  L <- ref_link(link)
  lp <- if (link == "logit") plogis(eta, log.p = TRUE) else pnorm(eta, log.p = TRUE)
  lq <- if (link == "logit") plogis(-eta, log.p = TRUE) else pnorm(-eta, log.p = TRUE)
  sum(ifelse(t == 1, lp, lq))
}

# Columns of Z = (1, X) that are not aliased: lm's rule, qr(tol = 1e-7),
# later columns dropped first.  (glm with its default control gives NA for
# the same columns; glm with epsilon = 1e-15 does not, since its QR
# tolerance is min(1e-7, epsilon / 1000) = 1e-18: an exactly constant
# covariate then gets a coefficient of 1e13 instead of NA.)
ref_not_aliased <- function(Z) {
  qz <- qr(Z, tol = 1e-7)
  ok <- rep(FALSE, ncol(Z))
  ok[qz$pivot[seq_len(qz$rank)]] <- TRUE
  ok
}

# Binomial GLM of t on (1, X) without its aliased columns: glm to 1e-15,
# then Newton with the observed Hessian until every step is below 1e-14 of
# |coefficient| + its SE (at most 20 steps).  The coefficient vector has NA for the
# aliased columns.
ref_ps_fit <- function(t, X, link = "logit") {
  L <- ref_link(link)
  t <- as.numeric(t)
  X <- as_matrix(X)
  Z <- cbind(1, X)
  ok <- ref_not_aliased(Z)
  Zk <- Z[, ok, drop = FALSE]
  fit <- suppressWarnings(glm(t ~ 0 + Zk, family = binomial(link),
                              control = glm.control(epsilon = 1e-15, maxit = 100)))
  gk <- unname(coef(fit))
  if (anyNA(gk)) stop("glm found more aliasing than qr(tol = 1e-7)")
  newton_ok <- FALSE
  for (it in 1:20) {
    eta <- drop(Zk %*% gk)
    s <- ref_score_h(t, eta, link)
    H <- crossprod(Zk, Zk * s$dh)
    step <- tryCatch(drop(solve(H, crossprod(Zk, s$h))), error = function(e) NULL)
    if (is.null(step) || any(!is.finite(step))) break
    gk <- gk - step
    se <- tryCatch(sqrt(pmax(diag(solve(-H)), 0)), error = function(e) rep(0, length(gk)))
    if (max(abs(step) / (abs(gk) + se)) < 1e-14) { newton_ok <- TRUE; break }
  }
  g <- rep(NA_real_, ncol(Z))
  g[ok] <- gk
  eta <- drop(Zk %*% gk)
  p <- L$p(eta); q <- L$q(eta)
  # separation: no convergence, or fitted probabilities (numerically) 0 or 1
  sep <- !fit$converged || !newton_ok || any(p == 0) || any(q == 0) || any(p == 1) ||
    max(abs(gk)) > 1e8
  list(coef = g, ok = ok, eta = eta, p = p, q = q, glm = fit, link = link,
       converged = isTRUE(fit$converged) && newton_ok, separated = sep,
       loglik = ref_loglik(t, eta, link))
}

# hte_propensity from glm(epsilon = 1e-15, maxit = 100) and summary.glm,
# aliased columns (ref_not_aliased) given NA.
# glm's stopping rule is on the deviance, quadratic in the coefficients'
# error: for probit (Fisher scoring, linear convergence) even epsilon = 1e-15
# stops ~3e-9 (relative) short of the maximum on NSW-PSID, and the SEs ~4e-9.
# So glm is restarted from the Newton-polished maximum of ref_ps_fit (one
# IRLS step there moves nothing) and summary.glm taken from that fit; the
# first glm fit is kept as $glm_plain for a sanity comparison.
ref_propensity_model <- function(t, X, link = "logit") {
  X <- as_matrix(X)
  keep <- ref_complete(NULL, t, X)
  t <- as.numeric(t[keep]); X <- X[keep, , drop = FALSE]
  f <- ref_ps_fit(t, X, link)
  Zk <- cbind(1, X)[, f$ok, drop = FALSE]
  fit <- suppressWarnings(glm(t ~ 0 + Zk, family = binomial(link), start = f$coef[f$ok],
                              control = glm.control(epsilon = 1e-15, maxit = 100)))
  k <- length(f$ok)
  sm <- summary(fit)$coefficients
  cf <- se <- zv <- pv <- plain <- rep(NA_real_, k)
  cf[f$ok] <- sm[, 1]; se[f$ok] <- sm[, 2]; zv[f$ok] <- sm[, 3]; pv[f$ok] <- sm[, 4]
  plain[f$ok] <- coef(f$glm)
  list(coefficients = cf, std_errors = se, z_values = zv, p_values = pv,
       log_likelihood = as.numeric(logLik(fit)), converged = f$converged && !f$separated,
       iterations = fit$iter, n_treated = sum(t == 1), n_control = sum(t == 0),
       link = link, fitted = unname(fitted(fit)), glm = fit, plain_coefficients = plain)
}

# Fitted probability for covariate rows X under a ref_propensity_model
# (NA coefficients, i.e. aliased columns, count as zero).
ref_propensity_score <- function(m, X) {
  X <- as_matrix(X)
  cf <- m$coefficients
  cf[is.na(cf)] <- 0
  ref_link(m$link)$p(drop(cbind(1, X) %*% cf))
}

# Crump et al. (2009) alpha.  gamma = 1/(e(1-e)).  0 when max gamma <= 2 mean
# gamma; else, with lambda = 1/(alpha(1-alpha)), the largest lambda (smallest
# alpha) solving lambda = 2 mean(gamma | gamma <= lambda).  On [g(k), g(k+1))
# of the sorted gammas the right side is the constant 2 S_k / k, so a root
# there is lambda = 2 S_k / k when it falls in the interval; the intervals
# are scanned from the top.  alpha = 2 / (lambda (1 + sqrt(1 - 4/lambda))).
ref_crump_alpha <- function(e) {
  g <- 1 / (e * (1 - e))
  if (max(g) <= 2 * mean(g)) return(0)
  gs <- sort(g)
  n <- length(gs)
  S <- cumsum(gs)
  for (k in (n - 1):1) {
    if (gs[k] == gs[k + 1]) next          # {gamma <= lambda} is never the first k
    lam <- 2 * S[k] / k
    if (lam >= gs[k] && lam < gs[k + 1]) return(2 / (lam * (1 + sqrt(1 - 4 / lam))))
  }
  stop("no Crump root")
}

ref_overlap <- function(t, X, link = "logit") {
  X <- as_matrix(X)
  keep <- ref_complete(NULL, t, X)
  t <- as.numeric(t[keep]); X <- X[keep, , drop = FALSE]
  f <- ref_ps_fit(t, X, link)
  e <- f$p
  tr <- t == 1
  alpha <- ref_crump_alpha(e)
  w1 <- 1 / e[tr]
  w0 <- 1 / f$q[!tr]
  list(ps_min_treated = min(e[tr]), ps_max_treated = max(e[tr]),
       ps_min_control = min(e[!tr]), ps_max_control = max(e[!tr]),
       n_below = sum(e < 0.1), n_above = sum(e > 0.9),
       crump_alpha = alpha,
       n_outside_crump = if (alpha > 0) sum(e < alpha | e > 1 - alpha) else 0L,
       ess_treated = sum(w1)^2 / sum(w1^2), ess_control = sum(w0)^2 / sum(w0^2),
       max_weight = max(c(w1, w0)), converged = f$converged,
       n_treated = sum(tr), n_control = sum(!tr))
}

# IPW weights of an estimand (the same for balance_table and ipw).
ref_ipw_weights <- function(t, e, q, estimand) {
  switch(estimand,
    ATE = ifelse(t == 1, 1 / e, 1 / q),
    ATT = ifelse(t == 1, 1, e / q),
    ATU = ifelse(t == 1, q / e, 1),
    ref_error(sprintf("unknown estimand \"%s\"", estimand), "22023"))
}

wmean <- function(x, w) sum(w * x) / sum(w)
# reliability-weighted variance sum w (x - xw)^2 / (sum w - sum w^2 / sum w)
wvar <- function(x, w) {
  sw <- sum(w)
  sum(w * (x - wmean(x, w))^2) / (sw - sum(w^2) / sw)
}
nan_na <- function(x) ifelse(is.finite(x), x, NA_real_)

ref_balance <- function(t, X, estimand = "ATE", link = "logit") {
  X <- as_matrix(X)
  keep <- ref_complete(NULL, t, X)
  t <- as.numeric(t[keep]); X <- X[keep, , drop = FALSE]
  f <- ref_ps_fit(t, X, link)
  w <- ref_ipw_weights(t, f$p, f$q, estimand)
  tr <- t == 1
  out <- data.frame()
  for (j in seq_len(ncol(X))) {
    x1 <- X[tr, j]; x0 <- X[!tr, j]
    m1 <- mean(x1); m0 <- mean(x0)
    s1 <- var(x1); s0 <- var(x0)
    den <- sqrt((s1 + s0) / 2)
    wm1 <- wmean(x1, w[tr]); wm0 <- wmean(x0, w[!tr])
    row <- data.frame(
      covariate = j, mean_treated = m1, mean_control = m0,
      smd = nan_na((m1 - m0) / den), smd_weighted = nan_na((wm1 - wm0) / den),
      variance_ratio = nan_na(s1 / s0),
      variance_ratio_weighted = nan_na(wvar(x1, w[tr]) / wvar(x0, w[!tr])))
    # constant in both arms: 0/0 for all four, whatever rounding does to a
    # weighted mean of equal values
    if (all(X[, j] == X[1, j]))
      row[c("smd", "smd_weighted", "variance_ratio", "variance_ratio_weighted")] <- NA_real_
    out <- rbind(out, row)
  }
  out
}

## ---------------------------------------------------------------- estimands

# Setup of the stack: data and which blocks are in it.
ref_stack_setup <- function(y, t, Xo, Xt, method, link) {
  y <- as.numeric(y); t <- as.numeric(t)
  Zo <- cbind(1, as_matrix(Xo)); Zt <- cbind(1, as_matrix(Xt))
  kt <- ncol(Zt); ko <- ncol(Zo)
  use_g <- method %in% c("ipw", "aipw")
  use_b <- method %in% c("ra", "aipw")
  idx <- list(); pos <- 0
  if (use_g) { idx$g <- pos + seq_len(kt); pos <- pos + kt }
  if (use_b) { idx$b0 <- pos + seq_len(ko); idx$b1 <- pos + ko + seq_len(ko); pos <- pos + 2 * ko }
  idx$mu <- pos + 1:6
  list(y = y, t = t, Zo = Zo, Zt = Zt, method = method, link = link, idx = idx,
       K = pos + 6, n = length(y))
}

# The pieces a_k, b_k of the six POM equations and their derivatives in e,
# m0 and m1 (each an n x 6 matrix), at propensity e (q = 1 - e) and fitted
# outcome means m0, m1.
ref_pom_pieces <- function(S, e, q, m0, m1) {
  y <- S$y; T1 <- S$t; T0 <- 1 - S$t; n <- S$n
  Z <- matrix(0, n, 6)
  a <- b <- da_de <- db_de <- da_m0 <- da_m1 <- Z
  one <- rep(1, n)
  if (S$method == "ra") {
    s <- cbind(one, one, T1, T1, T0, T0)
    b <- s
    a <- s * cbind(m1, m0, m1, m0, m1, m0)
    da_m1[, c(1, 3, 5)] <- s[, c(1, 3, 5)]
    da_m0[, c(2, 4, 6)] <- s[, c(2, 4, 6)]
  } else if (S$method == "ipw") {
    w <- cbind(T1 / e, T0 / q, T1, T0 * e / q, T1 * q / e, T0)
    dw <- cbind(-T1 / e^2, T0 / q^2, 0, T0 / q^2, -T1 / e^2, 0)
    a <- w * y; b <- w
    da_de <- dw * y; db_de <- dw
  } else if (S$method == "aipw") {
    r1 <- y - m1; r0 <- y - m0
    a <- cbind(m1 + T1 * r1 / e, m0 + T0 * r0 / q, T1 * y, T1 * m0 + T0 * (e / q) * r0,
               T0 * m1 + T1 * (q / e) * r1, T0 * y)
    b <- cbind(one, one, T1, T1, T0, T0)
    da_de <- cbind(-T1 * r1 / e^2, T0 * r0 / q^2, 0, T0 * r0 / q^2, -T1 * r1 / e^2, 0)
    da_m1[, 1] <- 1 - T1 / e
    da_m0[, 2] <- 1 - T0 / q
    da_m0[, 4] <- T1 - T0 * e / q
    da_m1[, 5] <- T0 - T1 * q / e
  } else ref_error(sprintf("unknown method \"%s\"", S$method), "22023")
  list(a = a, b = b, da_de = da_de, db_de = db_de, da_m0 = da_m0, da_m1 = da_m1)
}

# Unpack theta into e, q, eta, m0, m1, mu.
ref_unpack <- function(theta, S) {
  i <- S$idx
  L <- ref_link(S$link)
  if (!is.null(i$g)) {
    eta <- drop(S$Zt %*% theta[i$g]); e <- L$p(eta); q <- L$q(eta)
  } else eta <- e <- q <- rep(NA_real_, S$n)
  if (!is.null(i$b0)) {
    m0 <- drop(S$Zo %*% theta[i$b0]); m1 <- drop(S$Zo %*% theta[i$b1])
  } else m0 <- m1 <- rep(NA_real_, S$n)
  list(eta = eta, e = e, q = q, m0 = m0, m1 = m1, mu = theta[i$mu])
}

# n x K matrix of the estimating functions psi_i(theta).
ref_stack_psi <- function(theta, S) {
  u <- ref_unpack(theta, S)
  i <- S$idx
  P <- matrix(0, S$n, S$K)
  if (!is.null(i$g)) P[, i$g] <- S$Zt * ref_score_h(S$t, u$eta, S$link)$h
  if (!is.null(i$b0)) {
    P[, i$b0] <- S$Zo * ((1 - S$t) * (S$y - u$m0))
    P[, i$b1] <- S$Zo * (S$t * (S$y - u$m1))
  }
  pc <- ref_pom_pieces(S, u$e, u$q, u$m0, u$m1)
  P[, i$mu] <- pc$a - sweep(pc$b, 2, u$mu, "*")
  P
}

# Analytic mean Jacobian A = sum_i dpsi_i/dtheta / n (observed; for probit the
# observed Hessian of the log-likelihood).
ref_stack_A <- function(theta, S) {
  u <- ref_unpack(theta, S)
  i <- S$idx
  n <- S$n
  A <- matrix(0, S$K, S$K)
  if (!is.null(i$g)) {
    dh <- ref_score_h(S$t, u$eta, S$link)$dh
    A[i$g, i$g] <- crossprod(S$Zt, S$Zt * dh) / n
    dedeta <- ref_link(S$link)$d1(u$eta)
  }
  if (!is.null(i$b0)) {
    A[i$b0, i$b0] <- -crossprod(S$Zo, S$Zo * (1 - S$t)) / n
    A[i$b1, i$b1] <- -crossprod(S$Zo, S$Zo * S$t) / n
  }
  pc <- ref_pom_pieces(S, u$e, u$q, u$m0, u$m1)
  for (k in 1:6) {
    r <- i$mu[k]
    A[r, r] <- -mean(pc$b[, k])
    if (!is.null(i$g))
      A[r, i$g] <- colMeans(S$Zt * ((pc$da_de[, k] - u$mu[k] * pc$db_de[, k]) * dedeta))
    if (!is.null(i$b0)) {
      A[r, i$b0] <- colMeans(S$Zo * pc$da_m0[, k])
      A[r, i$b1] <- colMeans(S$Zo * pc$da_m1[, k])
    }
  }
  A
}

ref_A_numderiv <- function(theta, S) {
  numDeriv::jacobian(function(th) colMeans(ref_stack_psi(th, S)), theta)
}

ols <- function(Z, y) {
  b <- qr.coef(qr(Z), y)
  if (anyNA(b)) stop("aliased outcome covariates")
  b
}

# The estimates theta-hat: gamma by ML, b0/b1 by OLS per arm, each mu = sum a / sum b.
ref_stack_solve <- function(S, fit = NULL) {
  i <- S$idx
  theta <- numeric(S$K)
  if (!is.null(i$g)) {
    if (is.null(fit)) fit <- ref_ps_fit(S$t, S$Zt[, -1, drop = FALSE], S$link)
    if (fit$separated || !all(fit$ok))
      ref_error("the propensity model did not converge or gives a probability of 0 or 1", "22000")
    theta[i$g] <- fit$coef
  }
  if (!is.null(i$b0)) {
    c0 <- S$t == 0; c1 <- S$t == 1
    theta[i$b0] <- ols(S$Zo[c0, , drop = FALSE], S$y[c0])
    theta[i$b1] <- ols(S$Zo[c1, , drop = FALSE], S$y[c1])
  }
  u <- ref_unpack(theta, S)
  pc <- ref_pom_pieces(S, u$e, u$q, u$m0, u$m1)
  theta[i$mu] <- colSums(pc$a) / colSums(pc$b)
  theta
}

# estimands(): one row per estimand (ATE, ATT, ATU, ATT-ATU).  The returned
# data frame carries attributes: theta, V, A (analytic), S, psi_means.
ref_estimands <- function(y, t, Xo, Xt = Xo, method = "aipw", link = "logit", level = 0.95,
                          numderiv = FALSE) {
  if (!method %in% c("aipw", "ipw", "ra")) ref_error(sprintf("unknown method \"%s\"", method), "22023")
  ref_link(link)
  Xo <- as_matrix(Xo); Xt <- as_matrix(Xt)
  keep <- ref_complete(y, t, Xo, Xt)
  y <- y[keep]; t <- as.numeric(t[keep])
  Xo <- Xo[keep, , drop = FALSE]; Xt <- Xt[keep, , drop = FALSE]
  S <- ref_stack_setup(y, t, Xo, Xt, method, link)
  theta <- ref_stack_solve(S)
  P <- ref_stack_psi(theta, S)
  n <- S$n
  A <- ref_stack_A(theta, S)
  B <- crossprod(P) / n
  Ai <- solve(A)
  V <- Ai %*% B %*% t(Ai) / n
  mu <- S$idx$mu
  C <- matrix(0, S$K, 4)
  C[mu[1], 1] <- 1; C[mu[2], 1] <- -1
  C[mu[3], 2] <- 1; C[mu[4], 2] <- -1
  C[mu[5], 3] <- 1; C[mu[6], 3] <- -1
  C[, 4] <- C[, 2] - C[, 3]
  est <- drop(crossprod(C, theta))
  se <- sqrt(diag(t(C) %*% V %*% C))
  zq <- qnorm((1 + level) / 2)
  z <- est / se
  out <- data.frame(estimand = ref_estimand_names, estimate = est, std_error = se,
                    ci_lower = est - zq * se, ci_upper = est + zq * se,
                    z_statistic = z, p_value = 2 * pnorm(-abs(z)),
                    po_mean_treated = c(theta[mu[c(1, 3, 5)]], NA),
                    po_mean_control = c(theta[mu[c(2, 4, 6)]], NA),
                    n_treated = sum(t == 1), n_control = sum(t == 0),
                    method = method, link = link, stringsAsFactors = FALSE)
  attr(out, "theta") <- theta
  attr(out, "V") <- V
  attr(out, "A") <- A
  attr(out, "S") <- S
  attr(out, "psi_means") <- colMeans(P)
  if (numderiv) {
    An <- ref_A_numderiv(theta, S)
    attr(out, "A_numderiv") <- An
    # agreement, row by row relative to the row's largest entry
    sc <- pmax(apply(abs(An), 1, max), 1e-300)
    attr(out, "A_agreement") <- max(abs(A - An) / sc)
    Vn <- solve(An) %*% B %*% t(solve(An)) / n
    attr(out, "se_numderiv") <- sqrt(diag(t(C) %*% Vn %*% C))
  }
  out
}

## ------------------------------------------------ independent sanity checks

# Point estimates by the most direct route: lm + predict, weighted.mean.
ref_simple <- function(y, t, Xo, Xt = Xo, link = "logit") {
  Xo <- as_matrix(Xo); Xt <- as_matrix(Xt)
  keep <- ref_complete(y, t, Xo, Xt)
  y <- y[keep]; t <- as.numeric(t[keep]); Xo <- Xo[keep, , drop = FALSE]; Xt <- Xt[keep, , drop = FALSE]
  do <- data.frame(y = y, Xo)
  f1 <- lm(y ~ ., data = do[t == 1, ]); f0 <- lm(y ~ ., data = do[t == 0, ])
  mu1 <- predict(f1, newdata = do); mu0 <- predict(f0, newdata = do)
  # glm restarted from its own answer until the coefficients settle (glm
  # alone stops short of the maximum for probit: see ref_propensity_model)
  ctl <- glm.control(epsilon = 1e-15, maxit = 100)
  fit <- glm(t ~ Xt, family = binomial(link), control = ctl)
  for (i in 1:50) {
    old <- coef(fit)
    fit <- glm(t ~ Xt, family = binomial(link), control = ctl, start = old)
    if (max(abs(coef(fit) - old) / abs(old)) < 1e-14) break
  }
  e <- fitted(fit)
  tr <- t == 1
  ra <- c(ATE = mean(mu1 - mu0), ATT = mean((mu1 - mu0)[tr]), ATU = mean((mu1 - mu0)[!tr]))
  ipw <- c(ATE = weighted.mean(y[tr], 1 / e[tr]) - weighted.mean(y[!tr], 1 / (1 - e[!tr])),
           ATT = mean(y[tr]) - weighted.mean(y[!tr], e[!tr] / (1 - e[!tr])),
           ATU = weighted.mean(y[tr], (1 - e[tr]) / e[tr]) - mean(y[!tr]))
  aipw <- c(ATE = mean(mu1 - mu0 + t * (y - mu1) / e - (1 - t) * (y - mu0) / (1 - e)),
            ATT = (sum(t * (y - mu0)) - sum((1 - t) * e / (1 - e) * (y - mu0))) / sum(tr),
            ATU = (sum((1 - t) * (mu1 - y)) + sum(t * (1 - e) / e * (y - mu1))) / sum(!tr))
  list(ra = ra, ipw = ipw, aipw = aipw, naive = mean(y[tr]) - mean(y[!tr]))
}

# ra ATE standard error from its influence function written out by hand:
# tau = xbar'(b1 - b0);  phi_i = x_i'(b1 - b0) - tau
#   + xbar' Q1^-1 T_i x_i e1_i - xbar' Q0^-1 (1 - T_i) x_i e0_i,
# Q_a = sum over arm a of x x' / n;  Var = sum phi^2 / n^2.
ref_ra_ate_se_if <- function(y, t, X) {
  X <- as_matrix(X)
  keep <- ref_complete(y, t, X)
  y <- y[keep]; t <- as.numeric(t[keep]); Z <- cbind(1, X[keep, , drop = FALSE])
  n <- length(y)
  b1 <- lm.fit(Z[t == 1, , drop = FALSE], y[t == 1])$coefficients
  b0 <- lm.fit(Z[t == 0, , drop = FALSE], y[t == 0])$coefficients
  xbar <- colMeans(Z)
  tau <- sum(xbar * (b1 - b0))
  Q1 <- crossprod(Z * t, Z) / n; Q0 <- crossprod(Z * (1 - t), Z) / n
  e1 <- t * (y - Z %*% b1); e0 <- (1 - t) * (y - Z %*% b0)
  phi <- drop(Z %*% (b1 - b0)) - tau + drop(Z %*% solve(Q1, xbar)) * drop(e1) -
    drop(Z %*% solve(Q0, xbar)) * drop(e0)
  sqrt(sum(phi^2)) / n
}

# Observed (-sum h' x x') against expected (sum p'^2/(p q) x x') information
# at the maximum: the largest entry of their difference relative to the
# largest entry of the expected information.  0 up to rounding for logit.
ref_info_compare <- function(t, X, link = "logit") {
  X <- as_matrix(X)
  keep <- ref_complete(NULL, t, X)
  t <- as.numeric(t[keep]); X <- X[keep, , drop = FALSE]
  f <- ref_ps_fit(t, X, link)
  Z <- cbind(1, X)[, f$ok, drop = FALSE]
  L <- ref_link(link)
  obs <- -crossprod(Z, Z * ref_score_h(t, f$eta, link)$dh)
  expd <- crossprod(Z, Z * (L$d1(f$eta)^2 / (f$p * f$q)))
  max(abs(obs - expd)) / max(abs(expd))
}

# Crump's equation at alpha: |1/(alpha(1-alpha)) - 2 mean(gamma | gamma <=
# 1/(alpha(1-alpha)))| relative, and whether a larger lambda root exists on a
# brute-force grid of f(lambda) = 2 mean(gamma | gamma <= lambda) - lambda
# (evaluated at every sorted gamma above lambda and just below the next one).
ref_crump_verify <- function(e, alpha) {
  g <- 1 / (e * (1 - e))
  if (alpha == 0) return(c(residual = 0, larger_root = as.numeric(max(g) > 2 * mean(g))))
  lam <- 1 / (alpha * (1 - alpha))
  res <- abs(lam - 2 * mean(g[g <= lam])) / lam
  gs <- sort(unique(g[g > lam]))
  f <- function(l) 2 * mean(g[g <= l]) - l
  larger <- FALSE
  for (j in seq_along(gs)) {
    hi <- if (j < length(gs)) gs[j + 1] * (1 - 1e-15) else Inf
    # on [gs[j], hi) f decreases continuously: a root iff f(gs[j]) >= 0 > f(hi)
    if (f(gs[j]) >= 0 && (is.infinite(hi) || f(hi) < 0)) larger <- TRUE
  }
  c(residual = res, larger_root = as.numeric(larger))
}
