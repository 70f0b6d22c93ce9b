# Reference implementation, in plain R, of the repeated-looks functions of
# hte, written from the SPEC's definitions, not from the C code.  Pure R (base
# R + stats; rpact only for the comparison): no database.  Sourced by
# test/r/check_sequential.R; run on its own,
#   Rscript test/r/ref_sequential.R
# it prints the evidence: the half-width ratios of the SPEC, the bounds of the
# textbook designs, the grid-refinement study of the bounds and the comparison
# with rpact.
#
# ate_sequential(y, treated [, planned_n])  (Waudby-Smith, Arbour, Sinha,
# Kennedy & Ramdas 2024, Gaussian-mixture asymptotic confidence sequence)
#   ref_seq_rho2(alpha, planned_n)    rho^2 = (-2 ln a + ln(1 - 2 ln a)) / n*
#   ref_seq_factor(v, alpha)          sqrt((v + 1)/v ln((v + 1)/a^2)), v = n rho^2
#   ref_ate_sequential(y, t, planned_n, level)
#                                     the 11 columns of hte_ate_sequential on
#                                     one set of rows (NA rows dropped; zero
#                                     rows: every column NA, attribute
#                                     "null" TRUE), the SPEC's thin-data rules
#   ref_ate_sequential_prefixes(y, t, planned_n, level, rows)
#                                     the same on every prefix 1..k, k in rows
#                                     (the window form over a growing frame)
#   ref_seq_wsaks(...)                the half-width in the paper's own form
#                                     (sanity check of the closed form)
#   ref_seq_ratio_table(alpha)        the factor over z_{1 - a/2} at
#                                     n / n* = 0.01 ... 100 (SPEC identity)
#
# sequential_bounds(information_fractions, alpha, spending)
#   ref_alpha_spent(t, alpha, spending)
#                                     the Lan-DeMets closed forms
#   ref_bounds(t, alpha, spending, r, q)
#                                     the recursive numerical integration of
#                                     Armitage, McPherson & Rowe (Jennison &
#                                     Turnbull ch. 19) on the score scale
#                                     S_k = Z_k sqrt(t_k) (independent
#                                     N(0, t_k - t_{k-1}) increments), with
#                                     composite Gauss-Legendre quadrature:
#                                     panels of width min(sqrt(dt_j),
#                                     sqrt(dt_{j+1})) / r, q nodes each
#                                     (default r = 1, q = 12; the
#                                     integrands are analytic; the error
#                                     falls like (width/sd)^(2q)), and each
#                                     c_k by Brent's root of the log crossing
#                                     probability to 1e-15
#   ref_bounds_semi(t, alpha, spending)
#                                     an independent route for 2-4 looks:
#                                     the look-2 density in closed form
#                                     (phi(s/sqrt t2)/sqrt t2 times the
#                                     conditional probability that S_1 stayed
#                                     inside), adaptive integrate() for the
#                                     rest (nested for look 4)
#   ref_bounds_bracket(t, A)          bounds on c_k from the closed forms alone
#                                     (tight at O'Brien-Fleming's early looks)
#   ref_bounds_convergence(designs)   the grid-refinement study
#   ref_bounds_rpact(t, alpha, spending, tolerance)
#                                     rpact::getDesignGroupSequential(asOF /
#                                     asP, sided = 2)$criticalValues

ref_seq_cols <- c("estimate", "std_error", "cs_lower", "cs_upper", "always_valid_p_value",
                  "ci_lower", "ci_upper", "p_value", "n_treated", "n_control", "planned_n")

ref_seq_rho2 <- function(alpha, planned_n) (-2 * log(alpha) + log(1 - 2 * log(alpha))) / planned_n

ref_seq_factor <- function(v, alpha) sqrt((v + 1) / v * log((v + 1) / alpha^2))

# The half-width factor in the form of Waudby-Smith et al. (2024, Thm 2.2):
# sigma-hat sqrt(2 (n rho^2 + 1) / (n^2 rho^2) log(sqrt(n rho^2 + 1) / alpha)),
# over the standard error sigma-hat / sqrt(n).
ref_seq_wsaks <- function(n, alpha, planned_n) {
  rho2 <- ref_seq_rho2(alpha, planned_n)
  sqrt(n) * sqrt(2 * (n * rho2 + 1) / (n^2 * rho2) * log(sqrt(n * rho2 + 1) / alpha))
}

# the 11 columns on one set of rows: y numeric or logical, t logical or 0/1
ref_ate_sequential <- function(y, t, planned_n = 1000, level = 0.95) {
  out <- setNames(as.list(rep(NA_real_, length(ref_seq_cols))), ref_seq_cols)
  keep <- !is.na(y) & !is.na(t)
  y <- as.numeric(y[keep]); t <- as.numeric(t[keep])
  n <- length(y)
  if (n == 0) return(structure(out, null = TRUE))
  y1 <- y[t == 1]; y0 <- y[t == 0]
  n1 <- length(y1); n0 <- length(y0)
  out$n_treated <- n1; out$n_control <- n0; out$planned_n <- planned_n
  if (n1 == 0 || n0 == 0) return(structure(out, null = FALSE))
  alpha <- 1 - level
  est <- mean(y1) - mean(y0)
  out$estimate <- est
  if (n1 < 2 || n0 < 2) return(structure(out, null = FALSE))
  v1 <- var(y1) / n1; v0 <- var(y0) / n0
  se <- sqrt(v1 + v0)
  out$std_error <- se
  v <- n * ref_seq_rho2(alpha, planned_n)
  half <- se * ref_seq_factor(v, alpha)
  out$cs_lower <- est - half
  out$cs_upper <- est + half
  if (se > 0) {
    z <- est / se
    out$always_valid_p_value <- min(1, sqrt(v + 1) * exp(-v * z^2 / (2 * (v + 1))))
    # Welch (t.test(y1, y0, var.equal = FALSE)), written out
    df <- (v1 + v0)^2 / (v1^2 / (n1 - 1) + v0^2 / (n0 - 1))
    q <- qt(1 - alpha / 2, df)
    out$ci_lower <- est - q * se
    out$ci_upper <- est + q * se
    out$p_value <- 2 * pt(-abs(z), df)
  }
  structure(out, null = FALSE)
}

# The window form: the aggregate over rows 1..k for every k in rows (NA rows
# stay in place: they are skipped inside the prefix).
ref_ate_sequential_prefixes <- function(y, t, planned_n = 1000, level = 0.95, rows = seq_along(y)) {
  res <- lapply(rows, function(k) ref_ate_sequential(y[seq_len(k)], t[seq_len(k)], planned_n, level))
  d <- as.data.frame(do.call(rbind, lapply(res, function(r) unlist(r[ref_seq_cols]))))
  d$row <- rows
  d
}

# The SPEC's table: factor / z_{1 - a/2} at n / n* (depends on n / n* only).
ref_seq_ratio_table <- function(alpha = 0.05, fractions = c(0.01, 0.05, 0.1, 0.5, 1, 2, 10, 100)) {
  v <- fractions * (-2 * log(alpha) + log(1 - 2 * log(alpha)))
  data.frame(n_over_planned = fractions, ratio = ref_seq_factor(v, alpha) / qnorm(1 - alpha / 2))
}

## ------------------------------------------------ group-sequential bounds

ref_spendings <- c("obrien_fleming", "pocock")

ref_alpha_spent <- function(t, alpha = 0.05, spending = "obrien_fleming") {
  switch(spending,
         obrien_fleming = 4 * pnorm(qnorm(alpha / 4, lower.tail = FALSE) / sqrt(t), lower.tail = FALSE),
         pocock = alpha * log(1 + (exp(1) - 1) * t),
         stop("unknown spending"))
}

# Gauss-Legendre rule with q nodes on [-1, 1] (Golub-Welsch).
ref_gl_rule <- function(q) {
  i <- seq_len(q - 1)
  b <- i / sqrt(4 * i^2 - 1)
  J <- matrix(0, q, q)
  J[cbind(i, i + 1)] <- b
  J[cbind(i + 1, i)] <- b
  e <- eigen(J, symmetric = TRUE)
  o <- order(e$values)
  list(x = e$values[o], w = 2 * e$vectors[1, o]^2)
}

# composite rule on [-b, b]: panels no wider than `width`
ref_gl_grid <- function(b, width, rule) {
  P <- max(1L, as.integer(ceiling(2 * b / width)))
  h <- 2 * b / P
  mids <- -b + h * (seq_len(P) - 0.5)
  list(x = as.vector(outer(rule$x * h / 2, mids, "+")), w = rep(rule$w * h / 2, P))
}

# P0(S_{k-1} stayed inside at looks < k, |S_k| >= b), given the sub-density
# f at nodes x (weights w) of look k-1 and the increment's sd
ref_cross <- function(b, x, wf, sd) {
  sum(wf * (pnorm((b + x) / sd, lower.tail = FALSE) + pnorm((b - x) / sd, lower.tail = FALSE)))
}

# b with cross(b) = inc: Brent on the log (the increments may be 1e-20)
ref_solve_b <- function(cross, inc, t_k) {
  hi <- sqrt(t_k) * qnorm(inc / 2, lower.tail = FALSE)   # P(|S_k| >= hi) = inc >= cross(hi)
  g <- function(b) log(cross(b)) - log(inc)
  if (g(hi) >= 0) return(hi)
  uniroot(g, c(0, hi), tol = 1e-15, maxiter = 1000)$root
}

ref_bounds_finish <- function(t, alpha, spending, cz) {
  data.frame(look = seq_along(t), information_fraction = t, critical_z = cz,
             nominal_p = 2 * pnorm(cz, lower.tail = FALSE),
             alpha_spent = ref_alpha_spent(t, alpha, spending))
}

# sum_j wf_j phi((xout_i - x_j) / sd) / sd for sorted x, in blocks of
# outputs, over the inputs within 39 sd (beyond, phi underflows to 0).  The
# grids and the densities are symmetric about 0: the upper half is computed
# and mirrored.
ref_convolve <- function(xout, x, wf, sd, chunk = 256L) {
  reach <- 39 * sd
  N <- length(xout)
  out <- numeric(N)
  half <- (N %/% 2 + 1L):N
  for (s in seq(half[1], N, by = chunk)) {
    i <- s:min(N, s + chunk - 1L)
    lo <- findInterval(xout[i[1]] - reach, x) + 1L
    hi <- findInterval(xout[i[length(i)]] + reach, x)
    if (hi >= lo) {
      j <- lo:hi
      out[i] <- (dnorm(outer(xout[i], x[j], "-") / sd) / sd) %*% wf[j]
    }
  }
  out[N + 1L - half] <- out[half]
  out
}

ref_bounds <- function(t, alpha = 0.05, spending = "obrien_fleming", r = 1, q = 12) {
  K <- length(t)
  A <- ref_alpha_spent(t, alpha, spending)
  inc <- diff(c(0, A))
  sd <- sqrt(diff(c(0, t)))
  cz <- numeric(K)
  cz[1] <- qnorm(A[1] / 2, lower.tail = FALSE)
  rule <- ref_gl_rule(q)
  nodes <- integer(K)
  if (K > 1) {
    b <- cz[1] * sqrt(t[1])
    g <- ref_gl_grid(b, min(sd[1], sd[2]) / r, rule)
    f <- dnorm(g$x / sd[1]) / sd[1]
    nodes[1] <- length(g$x)
    for (k in 2:K) {
      wf <- g$w * f
      x <- g$x
      b <- ref_solve_b(function(b) ref_cross(b, x, wf, sd[k]), inc[k], t[k])
      cz[k] <- b / sqrt(t[k])
      if (k < K) {
        g <- ref_gl_grid(b, min(sd[k], sd[k + 1]) / r, rule)
        f <- ref_convolve(g$x, x, wf, sd[k])
        nodes[k] <- length(g$x)
      }
    }
  }
  structure(ref_bounds_finish(t, alpha, spending, cz), nodes = nodes)
}

# Independent route for up to 4 looks: the sub-density of S_2 in closed form,
#   f2(s) = phi(s / sqrt t2) / sqrt t2 * P(|S_1| < b1 | S_2 = s),
#   S_1 | S_2 = s ~ N(s t1 / t2, t1 (t2 - t1) / t2),
# the crossing probabilities by adaptive quadrature (QUADPACK), the look-3
# density for look 4 by a nested integrate().
ref_bounds_semi <- function(t, alpha = 0.05, spending = "obrien_fleming", rel.tol = 1e-13) {
  K <- length(t)
  stopifnot(K <= 4)
  A <- ref_alpha_spent(t, alpha, spending)
  inc <- diff(c(0, A))
  sd <- sqrt(diff(c(0, t)))
  cz <- numeric(K)
  cz[1] <- qnorm(A[1] / 2, lower.tail = FALSE)
  b <- cz * sqrt(t)
  tails <- function(s, b, sd) pnorm((b + s) / sd, lower.tail = FALSE) + pnorm((b - s) / sd, lower.tail = FALSE)
  f1 <- function(s) dnorm(s / sd[1]) / sd[1]
  f2 <- function(s) {
    m <- s * t[1] / t[2]; v <- sqrt(t[1] * (t[2] - t[1]) / t[2])
    dnorm(s / sqrt(t[2])) / sqrt(t[2]) *
      (pnorm((b[1] - m) / v) - pnorm((-b[1] - m) / v))
  }
  I <- function(fn, lo, hi) integrate(fn, lo, hi, rel.tol = rel.tol, abs.tol = 0, subdivisions = 2000L)$value
  solve <- function(fprev, bprev, k) {
    cross <- function(bk) I(function(s) fprev(s) * tails(s, bk, sd[k]), -bprev, bprev)
    ref_solve_b(cross, inc[k], t[k])
  }
  if (K >= 2) b[2] <- solve(f1, b[1], 2)
  if (K >= 3) b[3] <- solve(f2, b[2], 3)
  if (K >= 4) {
    f3 <- function(s) vapply(s, function(si) I(function(u) f2(u) * dnorm((si - u) / sd[3]) / sd[3], -b[2], b[2]), 0)
    b[4] <- solve(f3, b[3], 4)
  }
  ref_bounds_finish(t, alpha, spending, b / sqrt(t))
}

# A bracket for c_k from the closed forms alone: with inc_k = A(t_k) -
# A(t_{k-1}), inc_k <= P0(|Z_k| >= c_k) <= inc_k + A(t_{k-1}) (the crossing
# probability at look k is the nominal one less the paths already stopped),
# so qnorm((inc_k + A(t_{k-1}))/2, upper) <= c_k <= qnorm(inc_k/2, upper).
ref_bounds_bracket <- function(t, A) {
  prev <- c(0, A[-length(A)])
  inc <- A - prev
  data.frame(lo = qnorm((inc + prev) / 2, lower.tail = FALSE), hi = qnorm(inc / 2, lower.tail = FALSE))
}

# rpact's bounds (its alpha is the two-sided total with sided = 2)
ref_bounds_rpact <- function(t, alpha = 0.05, spending = "obrien_fleming", tolerance = 1e-8) {
  d <- rpact::getDesignGroupSequential(kMax = length(t), alpha = alpha, sided = 2,
                                       typeOfDesign = if (spending == "pocock") "asP" else "asOF",
                                       informationRates = t, tolerance = tolerance)
  list(critical_z = d$criticalValues, alpha_spent = d$alphaSpent)
}

# The designs of the comparison: 2-10 looks, equal and unequal spacing (and
# the last below 1), alpha 0.05 and 0.01, both spendings.
ref_bounds_designs <- function() {
  fr <- list()
  for (K in 2:10) fr[[sprintf("equal %d", K)]] <- seq_len(K) / K
  fr[["unequal 2"]] <- c(0.3, 1)
  fr[["unequal 3"]] <- c(0.2, 0.45, 1)
  fr[["unequal 4"]] <- c(0.1, 0.35, 0.8, 1)
  fr[["unequal 5"]] <- c(0.15, 0.2, 0.5, 0.9, 0.95)     # small increments, last < 1
  fr[["unequal 6"]] <- c(0.05, 0.1, 0.3, 0.6, 0.61, 1)
  fr[["unequal 7"]] <- c(0.1, 0.2, 0.25, 0.5, 0.7, 0.9, 1)
  fr[["unequal 8"]] <- c(0.125, 0.2, 0.33, 0.5, 0.52, 0.75, 0.999, 1)
  fr[["unequal 10"]] <- c(0.08, 0.17, 0.25, 0.33, 0.5, 0.58, 0.66, 0.75, 0.9, 1)
  d <- list()
  for (nm in names(fr)) for (a in c(0.05, 0.01)) for (s in ref_spendings)
    d[[length(d) + 1]] <- list(label = sprintf("%s %s alpha %g", nm, s, a), t = fr[[nm]], alpha = a, spending = s)
  d
}

# Grid refinement: max |c(r, q) - c(finest)| over the designs, per setting.
ref_bounds_convergence <- function(designs = ref_bounds_designs(),
                                   settings = list(c(1, 4), c(1, 6), c(1, 8), c(1, 12), c(2, 16)),
                                   finest = c(4, 24)) {
  best <- lapply(designs, function(d) ref_bounds(d$t, d$alpha, d$spending, finest[1], finest[2])$critical_z)
  rows <- lapply(settings, function(s) {
    dev <- vapply(seq_along(designs), function(i) {
      d <- designs[[i]]
      max(abs(ref_bounds(d$t, d$alpha, d$spending, s[1], s[2])$critical_z - best[[i]]))
    }, 0)
    data.frame(r = s[1], q = s[2], max_abs_diff_critical_z = max(dev), worst = designs[[which.max(dev)]]$label)
  })
  do.call(rbind, rows)
}

## -------------------------------------------------------- run on its own
if (sys.nframe() == 0L) {
  cat("== ate_sequential: half-width factor / z_{1-a/2} (SPEC: 4.6 2.4 1.97 1.57 1.55 1.56 1.65 1.82)\n")
  print(ref_seq_ratio_table(0.05), digits = 4, row.names = FALSE)
  cat("the paper's form at n = 50, 1000, 50000 (n* = 1000) minus the closed form:",
      sapply(c(50, 1000, 50000), function(n)
        ref_seq_wsaks(n, 0.05, 1000) - ref_seq_factor(n * ref_seq_rho2(0.05, 1000), 0.05)), "\n")
  set.seed(1)
  y <- rnorm(200); t <- rep(c(TRUE, FALSE), 100)
  r <- ref_ate_sequential(y + 0.4 * t, t, 500)
  tt <- t.test((y + 0.4 * t)[t], (y + 0.4 * t)[!t])
  cat("example (n = 200, n* = 500):\n"); print(unlist(r))
  cat("t.test:", tt$conf.int, tt$p.value, " differences:",
      r$ci_lower - tt$conf.int[1], r$ci_upper - tt$conf.int[2], r$p_value / tt$p.value - 1, "\n")

  cat("\n== sequential_bounds, 4 equally spaced looks, alpha 0.05\n")
  for (s in ref_spendings) {
    b <- ref_bounds(c(0.25, 0.5, 0.75, 1), 0.05, s)
    cat(s, "\n"); print(b, digits = 12, row.names = FALSE)
    rp <- ref_bounds_rpact(c(0.25, 0.5, 0.75, 1), 0.05, s)
    cat("rpact critical values:", format(rp$critical_z, digits = 12),
        " max |diff|:", format(max(abs(rp$critical_z - b$critical_z)), digits = 3), "\n")
  }

  cat("\n== grid refinement (against r = 4, q = 24), over", length(ref_bounds_designs()), "designs\n")
  print(ref_bounds_convergence(), row.names = FALSE)

  cat("\n== the recursion (default r = 1, q = 12) against the semi-analytic route (2-4 looks)\n")
  semi <- list(c(0.5, 1), c(0.05, 1), c(0.2, 0.45, 1), c(0.5, 0.51, 0.52), c(0.25, 0.5, 0.75, 1),
               c(0.1, 0.35, 0.8, 1))
  for (tt in semi) for (a in c(0.05, 0.01)) for (s in ref_spendings) {
    d <- max(abs(ref_bounds(tt, a, s)$critical_z - ref_bounds_semi(tt, a, s)$critical_z))
    cat(sprintf("  %-22s %-15s alpha %.2f  max |diff| %.2e\n", paste(tt, collapse = ","), s, a, d))
  }

  cat("\n== against rpact, every look of", length(ref_bounds_designs()), "designs\n")
  rows <- lapply(ref_bounds_designs(), function(d) {
    ours <- ref_bounds(d$t, d$alpha, d$spending)
    rp8 <- ref_bounds_rpact(d$t, d$alpha, d$spending)
    rp10 <- ref_bounds_rpact(d$t, d$alpha, d$spending, 1e-10)
    inc <- diff(c(0, ours$alpha_spent))
    data.frame(design = d$label, look = seq_along(d$t), t = d$t, step = diff(c(0, d$t)), spent = inc,
               ours = ours$critical_z, diff_tol8 = rp8$critical_z - ours$critical_z,
               diff_tol10 = rp10$critical_z - ours$critical_z,
               accurate = cumprod(diff(c(0, d$t)) >= 0.05 & is.finite(rp10$critical_z)) == 1 & inc >= 1e-3)
  })
  x <- do.call(rbind, rows)
  for (v in c("diff_tol8", "diff_tol10"))
    cat(sprintf("rpact tolerance %s: looks where every step so far >= 0.05, rpact finite and the look spends >= 1e-3: %d, max |diff| %.3g; other looks: %d, of which %d differ by > 1e-6 (%d Inf), max finite |diff| %.3g\n",
                sub("diff_tol", "1e-", v), sum(x$accurate), max(abs(x[[v]][x$accurate])), sum(!x$accurate),
                sum(!x$accurate & !(abs(x[[v]]) <= 1e-6)), sum(!is.finite(x[[v]])),
                max(abs(x[[v]][!x$accurate & is.finite(x[[v]])]))))
  fin <- is.finite(x$diff_tol10)
  small_step <- ave(x$step < 0.05, x$design, FUN = cummax) == 1
  cat(sprintf(paste("by cause (tolerance 1e-10): Inf (bound above ~8.2) %d looks; finite, spending < 1e-3: max |diff| %.3g;",
                    "finite, spending >= 1e-3 after a step < 0.05: max |diff| %.3g\n"),
              sum(!fin), max(abs(x$diff_tol10[fin & x$spent < 1e-3])),
              max(abs(x$diff_tol10[fin & x$spent >= 1e-3 & small_step]))))
  print(x[fin & x$spent >= 1e-3 & small_step & abs(x$diff_tol10) > 1e-6, c("design", "look", "t", "step", "spent", "ours", "diff_tol10")],
        digits = 4, row.names = FALSE)
  cat("the 20 largest differences (tolerance 1e-10):\n")
  o <- order(-ifelse(is.finite(x$diff_tol10), abs(x$diff_tol10), Inf))
  print(x[o[1:20], c("design", "look", "t", "step", "spent", "ours", "diff_tol10")], digits = 4, row.names = FALSE)
}
