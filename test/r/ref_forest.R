# Brute-force reference, in plain R (base only), of the trees and the small
# forests of hte's causal forest core, written from the specification
# (issue 15's design note: §1.2 regression trees, §2.2 honesty and pruning,
# §3 causal trees, §4 prediction and out-of-bag, §5.2 little-bags variance,
# §6.2 split-frequency importance), not from the C code.  Pure R: no
# database.  Sourced by test/r/check_forest_tree.R, which compares it with
# test/core/forest_driver.c (text interface: see rf_write_input and
# rf_parse_output).
#
# Deliberately simple: every split score is computed from direct sums over
# the members of each child (colSums of a node x thresholds membership
# matrix, no running sums, no "right = parent - left"), so it checks an
# incremental C scan independently.  All p variables are tried at every node,
# in ascending order; thresholds are the distinct observed values of the
# node's split samples except the largest, ascending; "x <= t goes left";
# the best candidate is the first maximum and must be > 0 (a scan that
# replaces the incumbent, starting at 0, only when strictly greater).
#
# Indices are 1-based inside R (rows, variables, nodes); the driver's text
# uses 0-based rows and variables.
#
#   rf_grow(mode, X, y, w, J1, mns, alpha, lambda)
#                          a tree grown on the split set J1, nodes in BFS
#                          order (root 1; children appended left, right);
#                          $diag has one row per node whose split was
#                          searched: the best and second-best admissible
#                          scores and the margins of every floating-point
#                          decision (see rf_node_search)
#   rf_build_tree(mode, X, y, w, J1, J2, mns, alpha, lambda, prune)
#                          grow, repopulate with J2, prune empty leaves
#                          (§2.2) or not, leaf statistics; a nested tree
#   rf_forest(case)        every tree of a case + predictions at the test
#                          points, OOB estimates, variable importance
#   rf_predict_causal(trees, x, l, valid)
#                          tau-hat (§4.2) and the little-bags SE (§5.2)
#   rf_variance(rho, groups_ok, l)
#                          §5.2's V_B, V_T, N, objective-Bayes correction
#   rf_vi(trees, p)        §6.2 (decay 2, max depth 4)
#   rf_margins(ref)        the smallest relative gaps of the whole forest
#   rf_write_input(case, file), rf_parse_output(file)
#                          the driver's text interface (input, output);
#   rf_read_input(file), rf_format_output(ref)
#                          their reverses, for a stand-in driver
#   rf_compare(ref, drv, label, ck)
#                          structure exactly, numbers at 1e-12
#   rf_selftest(ck)        hand cases for the reference itself

rf_eps <- .Machine$double.eps

## ------------------------------------------------------------ split search

# One node's split search.  mode "causal" (§3.1-3.6) or "regression"
# (§1.2).  P: the node's split members (row indices).  Returns
#   split: TRUE/FALSE; var, thr (when split); reason (why a leaf);
#   b1, b2: best and second-best admissible scores (NA if none);
#   gap: (b1 - b2) / max(|b1|, |b2|, scale) where scale is the node's
#        sum of squared responses (y; for rho the squared sum of the
#        magnitudes of its terms) - the size of the rounding error of any
#        score; Inf when b1 <= 0 (no split) or no b2;
#   gap0: |b1| / (scale + penalty at the best) - the distance of the best
#        score from the incumbent 0;
#   madm: the smallest relative margin of an admissibility comparison
#        that could change the decision (S(L) - alpha S(P) over
#        sum_L W~^2 + alpha sum_P W~^2, S(C) over sum_C W~^2 when lambda > 0,
#        |W~_i - m_P| over max |W~| for the low/high classes);
#   mD:  | |D_P| - 1e-10 | / (|P| eps sum_P W~^2): the distance of the
#        degeneracy test from its threshold in units of its rounding error.
rf_node_search <- function(mode, X, y, w, P, mns, alpha, lambda) {
  m <- length(P)
  out <- list(split = FALSE, var = NA_integer_, thr = NA_real_, reason = "",
              b1 = NA_real_, b2 = NA_real_, gap = Inf, gap0 = Inf, madm = Inf, mD = Inf,
              m = m, D = NA_real_)
  if (m <= mns) { out$reason <- "size"; return(out) }
  p <- ncol(X)
  yy <- y[P]
  if (mode == "causal") {
    ww <- w[P]
    Ybar <- sum(yy) / m
    Wbar <- sum(ww) / m
    dw <- ww - Wbar
    dy <- yy - Ybar
    N <- sum(dw * dy)
    D <- sum(dw * dw)
    out$D <- D
    qP <- sum(ww * ww)
    out$mD <- if (qP > 0) abs(abs(D) - 1e-10) / (m * rf_eps * qP) else Inf
    if (abs(D) < 1e-10) { out$reason <- "degenerate"; return(out) }
    tauP <- N / D
    resp <- dw * (dy - tauP * dw)                     # rho, §3.2
    mP <- Wbar
    low <- ww < mP
    SP <- qP - sum(ww)^2 / m
    out$madm <- min(abs(ww - mP)) / max(abs(ww))
  } else {
    resp <- yy
    kmin <- max(ceiling(alpha * m), 1)
  }
  # the size of the rounding error of a score: the squared magnitudes of
  # the terms of each response (rho = dw (dy - tau dw) cancels when the node
  # is nearly linear in W~; a raw y does not)
  scale <- if (mode == "causal") sum((abs(dw) * (abs(dy) + abs(tauP * dw)))^2) else sum(resp * resp)
  cand_score <- numeric(0); cand_var <- integer(0); cand_thr <- numeric(0); cand_pen <- numeric(0)
  for (v in seq_len(p)) {
    xv <- X[P, v]
    u <- sort(unique(xv))
    k <- length(u)
    if (k < 2) next
    th <- u[-k]
    M <- outer(xv, th, "<=")                           # m x (k-1): member goes left
    MR <- !M
    nL <- colSums(M)
    nR <- colSums(MR)
    sL <- colSums(resp * M)
    sR <- colSums(resp * MR)
    if (mode == "causal") {
      lowL <- colSums(M & low);  highL <- colSums(M & !low)
      lowR <- colSums(MR & low); highR <- colSums(MR & !low)
      cnt_ok <- lowL >= mns & highL >= mns & lowR >= mns & highR >= mns
      wL <- colSums(ww * M);  wR <- colSums(ww * MR)
      qL <- colSums(ww * ww * M); qR <- colSums(ww * ww * MR)
      SL <- qL - wL^2 / nL
      SR <- qR - wR^2 / nR
      # floating-point admissibility comparisons: value (>= 0 or > 0 passes), scale
      cmp_v <- cbind(SL - alpha * SP, SR - alpha * SP)
      cmp_s <- cbind(qL + alpha * qP, qR + alpha * qP)
      if (lambda > 0) {
        cmp_v <- cbind(cmp_v, SL, SR)
        cmp_s <- cbind(cmp_s, qL, qR)
      }
      pass <- cmp_v >= 0
      if (lambda > 0) pass[, 3:4] <- cmp_v[, 3:4] > 0
      rel <- abs(cmp_v) / cmp_s
      rel[cmp_s == 0] <- Inf
      ok <- cnt_ok & apply(pass, 1, all)
      # margins that matter: candidates passing the counts and not failing
      # a floating rule robustly
      robust_fail <- apply(!pass & rel >= 1e-9, 1, any)
      relevant <- cnt_ok & !robust_fail
      if (any(relevant)) out$madm <- min(out$madm, rel[relevant, ])
      pen <- if (lambda > 0) lambda * (1 / SL + 1 / SR) else rep(0, length(th))
      score <- sL^2 / nL + sR^2 / nR - pen
    } else {
      ok <- nL >= kmin & nR >= kmin
      pen <- lambda * (1 / nL + 1 / nR)
      score <- sL^2 / nL + sR^2 / nR - pen
    }
    cand_score <- c(cand_score, score[ok])
    cand_var <- c(cand_var, rep(v, sum(ok)))
    cand_thr <- c(cand_thr, th[ok])
    cand_pen <- c(cand_pen, pen[ok])
  }
  if (length(cand_score) == 0) { out$reason <- "no admissible split"; return(out) }
  ib <- which.max(cand_score)                           # the first maximum
  b1 <- cand_score[ib]
  out$b1 <- b1
  scale0 <- scale + abs(cand_pen[ib])
  out$gap0 <- if (scale0 > 0) abs(b1) / scale0 else Inf
  if (length(cand_score) >= 2) {
    b2 <- max(cand_score[-ib])
    out$b2 <- b2
    if (b1 > 0) out$gap <- (b1 - b2) / max(abs(b1), abs(b2), scale)
  }
  if (b1 > 0) {
    out$split <- TRUE
    out$var <- cand_var[ib]
    out$thr <- cand_thr[ib]
  } else out$reason <- "no positive score"
  out
}

## ------------------------------------------------------------ growing

rf_grow <- function(mode, X, y, w, J1, mns, alpha, lambda) {
  members <- list(J1)
  var <- integer(0); thr <- numeric(0); left <- integer(0); right <- integer(0)
  diag <- list()
  k <- 1L
  while (k <= length(members)) {
    P <- members[[k]]
    s <- rf_node_search(mode, X, y, w, P, mns, alpha, lambda)
    if (s$reason != "size")
      diag[[length(diag) + 1]] <- data.frame(node = k, m = s$m, split = s$split, reason = s$reason,
                                             b1 = s$b1, b2 = s$b2, gap = s$gap, gap0 = s$gap0,
                                             madm = s$madm, mD = s$mD)
    if (s$split) {
      goes_left <- X[P, s$var] <= s$thr
      members[[length(members) + 1]] <- P[goes_left]
      left[k] <- length(members)
      members[[length(members) + 1]] <- P[!goes_left]
      right[k] <- length(members)
      var[k] <- s$var
      thr[k] <- s$thr
    } else {
      var[k] <- NA_integer_; thr[k] <- NA_real_; left[k] <- NA_integer_; right[k] <- NA_integer_
    }
    k <- k + 1L
  }
  list(var = var, thr = thr, left = left, right = right, members = members,
       diag = if (length(diag)) do.call(rbind, diag) else NULL)
}

# The BFS leaf reached by x.
rf_route_bfs <- function(g, x) {
  k <- 1L
  while (!is.na(g$var[k])) k <- if (x[g$var[k]] <= g$thr[k]) g$left[k] else g$right[k]
  k
}

# Nested tree from BFS arrays, with the estimation members of each leaf.
rf_nest <- function(g, k, est) {
  if (is.na(g$var[k])) return(list(leaf = TRUE, est = est[[k]], bfs = k))
  list(leaf = FALSE, var = g$var[k], thr = g$thr[k], bfs = k,
       l = rf_nest(g, g$left[k], est), r = rf_nest(g, g$right[k], est))
}

# §2.2 pruning, literally: internal nodes from the highest BFS index down to
# the root; a node with an empty-leaf child is replaced by its other child's
# subtree; with both children empty it becomes an empty leaf.  (Children
# have higher BFS indices than their parent, so this is a post-order pass.)
rf_prune <- function(t) {
  if (t$leaf) return(t)
  t$l <- rf_prune(t$l)
  t$r <- rf_prune(t$r)
  el <- t$l$leaf && length(t$l$est) == 0
  er <- t$r$leaf && length(t$r$est) == 0
  if (el && er) return(list(leaf = TRUE, est = integer(0), bfs = t$bfs))
  if (el) return(t$r)
  if (er) return(t$l)
  t
}

# Leaf statistics (§3.7; regression: the mean), by direct sums.
rf_leafstats <- function(t, mode, y, w) {
  if (!t$leaf) {
    t$l <- rf_leafstats(t$l, mode, y, w)
    t$r <- rf_leafstats(t$r, mode, y, w)
    return(t)
  }
  E <- t$est
  c <- length(E)
  t$c <- c
  # scale: the mean magnitude of the summed terms (the size of the rounding
  # error of a mean whose terms cancel)
  if (mode == "causal") {
    t$stats <- if (c == 0) rep(NA_real_, 4)
               else c(sum(y[E]) / c, sum(w[E]) / c, sum(y[E] * w[E]) / c, sum(w[E] * w[E]) / c)
    t$scale <- if (c == 0) rep(0, 4)
               else c(sum(abs(y[E])), sum(abs(w[E])), sum(abs(y[E] * w[E])), sum(w[E] * w[E])) / c
  } else {
    t$stats <- if (c == 0) NA_real_ else sum(y[E]) / c
    t$scale <- if (c == 0) 0 else sum(abs(y[E])) / c
  }
  t
}

rf_build_tree <- function(mode, X, y, w, J1, J2, mns, alpha, lambda, prune) {
  g <- rf_grow(mode, X, y, w, J1, mns, alpha, lambda)
  nn <- length(g$var)
  est <- vector("list", nn)
  for (k in seq_len(nn)) est[[k]] <- integer(0)
  for (j in J2) {
    k <- rf_route_bfs(g, X[j, ])
    est[[k]] <- c(est[[k]], j)
  }
  nested <- rf_nest(g, 1L, est)
  n_empty <- sum(vapply(seq_len(nn), function(k) is.na(g$var[k]) && length(est[[k]]) == 0, TRUE))
  # nodes whose two children are both empty leaves (the cascading case)
  n_both <- sum(vapply(seq_len(nn), function(k)
    !is.na(g$var[k]) && is.na(g$var[g$left[k]]) && is.na(g$var[g$right[k]]) &&
      length(est[[g$left[k]]]) == 0 && length(est[[g$right[k]]]) == 0, TRUE))
  tr <- if (prune) rf_prune(nested) else nested
  tr <- rf_leafstats(tr, mode, y, w)
  list(tree = tr, grown = g, J1 = J1, J2 = J2, drawn = union(J1, J2),
       n_empty_before = n_empty, n_both_empty = n_both)
}

# The leaf of a nested tree reached by x.
rf_route <- function(t, x) {
  while (!t$leaf) t <- if (x[t$var] <= t$thr) t$l else t$r
  t
}

# Preorder records of a nested tree: kind, var (0-based), thr string, c, stats.
rf_preorder <- function(t) {
  out <- list()
  walk <- function(t) {
    if (t$leaf) {
      out[[length(out) + 1]] <<- list(kind = "L", c = t$c, stats = t$stats, scale = t$scale, bfs = t$bfs)
    } else {
      out[[length(out) + 1]] <<- list(kind = "N", v = t$var - 1L, t = sprintf("%.17g", t$thr), thr = t$thr,
                                        bfs = t$bfs)
      walk(t$l)
      walk(t$r)
    }
  }
  walk(t)
  out
}

## ------------------------------------------------------------ prediction

# §5.2, literally.  rho: per-tree pseudo-estimates (NA for trees not in
# T(x)); l: group size; trees 1..B form groups of l consecutive trees.
rf_variance <- function(rho, l) {
  if (l <= 1) return(list(var = NA_real_, s0 = NA_real_, G = 0))
  B <- length(rho)
  G <- B %/% l
  Rm <- matrix(rho, nrow = l)                            # column g = group g
  good <- colSums(is.na(Rm)) == 0
  Gs <- sum(good)
  if (Gs == 0) return(list(var = NA_real_, s0 = NA_real_, G = 0))
  Rg <- Rm[, good, drop = FALSE]
  rbar <- colSums(Rg) / l
  VB <- sum(rbar^2) / Gs
  VT <- sum(Rg^2) / (Gs * l)
  Nse <- (VT - VB) / (l - 1)
  V0 <- VB - Nse
  s0 <- max(VB, Nse) * sqrt(2 / Gs)
  v <- if (abs(s0) < 1e-10) 0 else {
    r <- V0 / s0
    V0 + s0 * dnorm(r) / pnorm(r)
  }
  if (!is.finite(v)) v <- NA_real_
  list(var = v, s0 = s0, G = Gs, VB = VB, VT = VT, N = Nse)
}

# Causal prediction at x over the trees flagged valid (§4.1-4.2, §5.2).
rf_predict_causal <- function(trees, x, l, valid = rep(TRUE, length(trees)), want_se = TRUE) {
  B <- length(trees)
  S <- matrix(NA_real_, B, 4)
  M <- matrix(NA_real_, B, 4)                            # the leaves' term magnitudes
  for (b in seq_len(B)) {
    if (!valid[b]) next
    lf <- rf_route(trees[[b]]$tree, x)
    if (lf$c > 0) { S[b, ] <- lf$stats; M[b, ] <- lf$scale }
  }
  inT <- !is.na(S[, 1])
  res <- list(est = NA_real_, se = NA_real_, D = NA_real_, cond = NA_real_, s0 = NA_real_, Bx = sum(inT),
              scale = 0)
  if (sum(inT) == 0) return(res)
  A <- colSums(S[inT, , drop = FALSE]) / sum(inT)
  Am <- colSums(M[inT, , drop = FALSE]) / sum(inT)
  D <- A[4] - A[2]^2
  res$D <- D
  res$cond <- (A[4] + A[2]^2) / abs(D)
  if (D == 0) return(res)
  tau <- (A[3] - A[1] * A[2]) / D
  mu <- A[1] - A[2] * tau
  res$est <- tau
  # the size of tau-hat's rounding error in units of the relative rounding
  # of the leaf means (their terms' magnitudes propagated through tau-hat)
  res$scale <- (Am[3] + abs(A[2]) * Am[1] + abs(A[1]) * Am[2] + abs(tau) * (Am[4] + 2 * abs(A[2]) * Am[2])) / D
  if (!want_se) return(res)
  psi1 <- S[, 3] - tau * S[, 4] - mu * S[, 2]
  psi2 <- S[, 1] - tau * S[, 2] - mu
  rho <- (psi1 - A[2] * psi2) / D
  res$rho <- rho
  v <- rf_variance(rho, l)
  res$s0 <- v$s0
  res$G <- v$G
  res$se <- if (is.na(v$var)) NA_real_ else sqrt(v$var)
  res
}

rf_predict_regression <- function(trees, x, valid = rep(TRUE, length(trees))) {
  vals <- numeric(0); sc <- numeric(0)
  for (b in seq_along(trees)) {
    if (!valid[b]) next
    lf <- rf_route(trees[[b]]$tree, x)
    if (lf$c > 0) { vals <- c(vals, lf$stats); sc <- c(sc, lf$scale) }
  }
  list(est = if (length(vals)) sum(vals) / length(vals) else NA_real_, se = NA_real_, Bx = length(vals),
       scale = if (length(vals)) sum(sc) / length(sc) else 0)
}

# §6.2: split frequencies by depth 1..4 in the (pruned) trees.
rf_vi <- function(trees, p, max_depth = 4, decay = 2) {
  cnt <- matrix(0, max_depth, p)
  walk <- function(t, d) {
    if (t$leaf || d > max_depth) return()
    cnt[d, t$var] <<- cnt[d, t$var] + 1
    walk(t$l, d + 1)
    walk(t$r, d + 1)
  }
  for (tr in trees) walk(tr$tree, 1)
  f <- cnt / pmax(1, rowSums(cnt))
  wd <- (1:max_depth)^(-decay)
  as.vector(colSums(f * wd)) / sum(wd)
}

## ------------------------------------------------------------ a forest

# case: list(mode, X, y, w, mns, alpha, lambda, prune, l, trees = list of
# list(J1, J2) (1-based), Xtest, exact (TRUE: exactly representable W~, so
# zero denominators are exact and compared))
rf_forest <- function(cs) {
  n <- nrow(cs$X)
  trees <- lapply(cs$trees, function(t)
    rf_build_tree(cs$mode, cs$X, cs$y, cs$w, t$J1, t$J2, cs$mns, cs$alpha, cs$lambda, cs$prune))
  B <- length(trees)
  pred <- vector("list", nrow(cs$Xtest))
  for (k in seq_len(nrow(cs$Xtest))) {
    pred[[k]] <- if (cs$mode == "causal") rf_predict_causal(trees, cs$Xtest[k, ], cs$l)
                 else rf_predict_regression(trees, cs$Xtest[k, ])
  }
  oob <- vector("list", n)
  for (i in seq_len(n)) {
    valid <- vapply(trees, function(t) !(i %in% t$drawn), TRUE)
    oob[[i]] <- if (cs$mode == "causal") rf_predict_causal(trees, cs$X[i, ], cs$l, valid, want_se = FALSE)
                else rf_predict_regression(trees, cs$X[i, ], valid)
  }
  list(trees = trees, pred = pred, oob = oob, vi = rf_vi(trees, ncol(cs$X)))
}

# The smallest gaps over the whole forest (see rf_node_search).
rf_margins <- function(ref) {
  d <- do.call(rbind, lapply(ref$trees, function(t) t$grown$diag))
  if (is.null(d)) return(list(gap = Inf, gap0 = Inf, madm = Inf, mD = Inf))
  list(gap = min(d$gap, Inf), gap0 = min(d$gap0, Inf), madm = min(d$madm, Inf), mD = min(d$mD, Inf))
}
rf_margins_ok <- function(mg, thr = 1e-9) mg$gap >= thr && mg$gap0 >= thr && mg$madm >= thr && mg$mD >= 1e3

## ------------------------------------------------------------ driver I/O

f17 <- function(x) sprintf("%.17g", x)

rf_write_input <- function(cs, file) {
  n <- nrow(cs$X); p <- ncol(cs$X)
  w <- if (cs$mode == "causal") cs$w else rep(0, n)
  rows <- do.call(paste, c(list(f17(cs$y), f17(w)), lapply(seq_len(p), function(j) f17(cs$X[, j]))))
  tl <- unlist(lapply(cs$trees, function(t)
    c(paste(c(length(t$J1), t$J1 - 1L), collapse = " "), paste(c(length(t$J2), t$J2 - 1L), collapse = " "))))
  xt <- do.call(paste, lapply(seq_len(p), function(j) f17(cs$Xtest[, j])))
  writeLines(c(cs$mode, paste(n, p),
               paste(cs$mns, f17(cs$alpha), f17(cs$lambda), as.integer(cs$prune), cs$l),
               rows, length(cs$trees), tl, nrow(cs$Xtest), xt), file)
}

# The reverse of both (to test this file's I/O with a stand-in driver):
# read an input file into a case; format R's results as the driver would.
rf_read_input <- function(file) {
  tk <- scan(file, what = "", quiet = TRUE)
  pos <- 0L
  nx <- function(k = 1L) { r <- tk[pos + seq_len(k)]; pos <<- pos + k; r }
  cs <- list(mode = nx())
  n <- as.integer(nx()); p <- as.integer(nx())
  cs$mns <- as.numeric(nx()); cs$alpha <- as.numeric(nx()); cs$lambda <- as.numeric(nx())
  cs$prune <- nx() == "1"; cs$l <- as.integer(nx())
  D <- matrix(as.numeric(nx(n * (p + 2))), n, p + 2, byrow = TRUE)
  cs$y <- D[, 1]; cs$w <- D[, 2]; cs$X <- D[, -(1:2), drop = FALSE]
  T <- as.integer(nx())
  cs$trees <- lapply(seq_len(T), function(b) {
    s1 <- as.integer(nx()); J1 <- as.integer(nx(s1)) + 1L
    s2 <- as.integer(nx()); J2 <- as.integer(nx(s2)) + 1L
    list(J1 = J1, J2 = J2)
  })
  m <- as.integer(nx())
  cs$Xtest <- matrix(as.numeric(nx(m * p)), m, p, byrow = TRUE)
  cs
}

rf_format_output <- function(ref) {
  g <- function(x) ifelse(is.na(x), "NA", f17(x))
  out <- character(0)
  for (b in seq_along(ref$trees)) {
    out <- c(out, sprintf("tree %d", b - 1))
    for (r in rf_preorder(ref$trees[[b]]$tree))
      out <- c(out, if (r$kind == "N") sprintf("  N %d %s", r$v, r$t)
                    else paste("  L", r$c, paste(g(r$stats), collapse = " ")))
    out <- c(out, "end")
  }
  for (k in seq_along(ref$pred)) out <- c(out, sprintf("pred %d %s %s", k - 1, g(ref$pred[[k]]$est), g(ref$pred[[k]]$se)))
  for (i in seq_along(ref$oob)) out <- c(out, sprintf("oob %d %s", i - 1, g(ref$oob[[i]]$est)))
  c(out, paste("vi", paste(g(ref$vi), collapse = " ")))
}

rf_num <- function(s) ifelse(s == "NA", NA_real_, suppressWarnings(as.numeric(s)))

# Parse the driver's output: list(trees = list of preorder record lists,
# pred = data.frame(k, est, se), oob = data.frame(i, est), vi = numeric).
rf_parse_output <- function(file) {
  lines <- readLines(file)
  toks <- lapply(strsplit(trimws(lines), "[[:space:]]+"), function(t) t[t != ""])
  toks <- toks[lengths(toks) > 0]
  trees <- list(); pred <- list(); oob <- list(); vi <- NULL
  cur <- NULL
  for (t in toks) {
    key <- t[1]
    if (key == "tree") { cur <- list(); curb <- as.integer(t[2]) }
    else if (key == "end") { trees[[length(trees) + 1]] <- cur; cur <- NULL }
    else if (key == "N") cur[[length(cur) + 1]] <- list(kind = "N", v = as.integer(t[2]), t = t[3])
    else if (key == "L") cur[[length(cur) + 1]] <- list(kind = "L", c = as.integer(t[2]), stats = rf_num(t[-(1:2)]))
    else if (key == "pred") pred[[length(pred) + 1]] <- c(as.numeric(t[2]), rf_num(t[3:4]))
    else if (key == "oob") oob[[length(oob) + 1]] <- c(as.numeric(t[2]), rf_num(t[3]))
    else if (key == "vi") vi <- rf_num(t[-1])
    else stop(sprintf("driver output: unexpected line '%s'", paste(t, collapse = " ")))
  }
  if (!is.null(cur)) stop("driver output: a tree without 'end'")
  pm <- if (length(pred)) do.call(rbind, pred) else matrix(numeric(0), 0, 3)
  om <- if (length(oob)) do.call(rbind, oob) else matrix(numeric(0), 0, 2)
  list(trees = trees, pred = data.frame(k = pm[, 1], est = pm[, 2], se = pm[, 3]),
       oob = data.frame(i = om[, 1], est = om[, 2]), vi = vi)
}

## ------------------------------------------------------------ comparison

# 1e-12 relative, 1e-12 absolute near 0; NA must match NA.
# rf_worst$d: the largest |a - b| / max(atol / rtol, |b|) seen (in units
# of the relative tolerance's scale), for the report.
rf_worst <- new.env()
rf_worst$d <- 0
rf_worst$what <- ""
rf_close <- function(a, b, rtol = 1e-12, atol = 1e-12, what = "") {
  if (is.na(b)) return(is.na(a))
  if (is.na(a)) return(FALSE)
  d <- abs(a - b) / max(atol / rtol, abs(b))
  if (is.finite(d) && d > rf_worst$d) { rf_worst$d <- d; rf_worst$what <- what }
  abs(a - b) <= max(atol, rtol * abs(b))
}

# ck(label, ok, detail): the caller's counter.  Per tree one structure
# check (preorder node kinds, split variables, threshold strings); then per
# leaf its estimation count and statistics (absolutely to 1e-12 of the mean
# magnitude of the averaged terms when they cancel); every prediction, SE,
# OOB value and VI entry (estimates absolutely to 1e-12 of the leaf terms'
# magnitudes propagated through tau-hat, when that is larger).
# skip(k) / skip_oob(i): TRUE for values not to compare (ill-conditioned).
rf_compare <- function(ref, drv, label, ck, skip_pred = function(k) FALSE, skip_oob = function(i) FALSE) {
  B <- length(ref$trees)
  if (!ck(sprintf("%s: %d trees", label, B), length(drv$trees) == B,
          sprintf("driver printed %d trees, R has %d", length(drv$trees), B))) return(invisible())
  for (b in seq_len(B)) {
    rp <- rf_preorder(ref$trees[[b]]$tree)
    dp <- drv$trees[[b]]
    msg <- ""
    for (j in seq_len(max(length(rp), length(dp)))) {
      if (j > length(rp) || j > length(dp)) {
        msg <- sprintf("preorder lengths differ: R %d records, C %d", length(rp), length(dp)); break
      }
      r <- rp[[j]]; d <- dp[[j]]
      if (r$kind != d$kind) {
        msg <- sprintf("preorder record %d (R's BFS node %d): R %s, C %s", j - 1, r$bfs - 1, rf_desc(r), rf_desc(d))
        break
      }
      if (r$kind == "N" && (r$v != d$v || r$t != d$t)) {
        msg <- sprintf("preorder record %d (R's BFS node %d): R %s, C %s", j - 1, r$bfs - 1, rf_desc(r), rf_desc(d))
        break
      }
    }
    if (!ck(sprintf("%s: tree %d structure", label, b - 1), msg == "", msg)) next
    for (j in seq_along(rp)) {
      r <- rp[[j]]; d <- dp[[j]]
      if (r$kind != "L") next
      # the model stores whether a leaf has estimation rows, not how many:
      # the driver prints 1 for a non-empty leaf, 0 for an empty one
      ck(sprintf("%s: tree %d record %d (R's BFS node %d) leaf empty or not", label, b - 1, j - 1, r$bfs - 1),
         identical(as.integer(r$c) > 0L, as.integer(d$c) > 0L), sprintf("C %s, R %d", d$c, r$c))
      if (length(d$stats) != length(r$stats)) {
        ck(sprintf("%s: tree %d record %d", label, b - 1, j - 1), FALSE,
           sprintf("%d leaf statistics, R has %d", length(d$stats), length(r$stats)))
        next
      }
      nm <- if (length(r$stats) == 4) c("aY", "aW", "aYW", "aWW") else "mean"
      for (s in seq_along(r$stats)) {
        lab <- sprintf("%s: tree %d record %d (R's BFS node %d) %s", label, b - 1, j - 1, r$bfs - 1, nm[s])
        ck(lab, rf_close(d$stats[s], r$stats[s], atol = max(1e-12, 1e-12 * r$scale[s]), what = lab),
           sprintf("C %.17g, R %.17g", d$stats[s], r$stats[s]))
      }
    }
  }
  m <- length(ref$pred)
  if (ck(sprintf("%s: %d predictions", label, m), nrow(drv$pred) == m && all(drv$pred$k == seq_len(m) - 1),
         sprintf("driver printed %d pred lines", nrow(drv$pred)))) {
    for (k in seq_len(m)) {
      if (skip_pred(k)) next
      r <- ref$pred[[k]]
      lab <- sprintf("%s: pred %d est", label, k - 1)
      ck(lab, rf_close(drv$pred$est[k], r$est, atol = max(1e-12, 1e-12 * r$scale), what = lab),
         sprintf("C %.17g, R %.17g", drv$pred$est[k], r$est))
      lab <- sprintf("%s: pred %d se", label, k - 1)
      ck(lab, rf_close(drv$pred$se[k], r$se, what = lab),
         sprintf("C %.17g, R %.17g", drv$pred$se[k], r$se))
    }
  }
  n <- length(ref$oob)
  if (ck(sprintf("%s: %d OOB values", label, n), nrow(drv$oob) == n && all(drv$oob$i == seq_len(n) - 1),
         sprintf("driver printed %d oob lines", nrow(drv$oob)))) {
    for (i in seq_len(n)) {
      if (skip_oob(i)) next
      lab <- sprintf("%s: oob %d", label, i - 1)
      ck(lab, rf_close(drv$oob$est[i], ref$oob[[i]]$est, atol = max(1e-12, 1e-12 * ref$oob[[i]]$scale), what = lab),
         sprintf("C %.17g, R %.17g", drv$oob$est[i], ref$oob[[i]]$est))
    }
  }
  if (ck(sprintf("%s: vi length", label), length(drv$vi) == length(ref$vi),
         sprintf("driver printed %d vi values, p = %d", length(drv$vi), length(ref$vi))))
    for (v in seq_along(ref$vi)) {
      lab <- sprintf("%s: vi %d", label, v - 1)
      ck(lab, rf_close(drv$vi[v], ref$vi[v], what = lab),
         sprintf("C %.17g, R %.17g", drv$vi[v], ref$vi[v]))
    }
  invisible()
}

rf_desc <- function(r) {
  if (r$kind == "N") sprintf("N v=%d t=%s", r$v, r$t)
  else sprintf("L c=%d", r$c)
}

## ------------------------------------------------------------ self-tests

# Hand cases for the reference itself.  ck(label, ok, detail).
rf_selftest <- function(ck) {
  same <- function(a, b) isTRUE(all.equal(a, b, tolerance = 1e-14))
  pre_str <- function(t) paste(vapply(rf_preorder(t), function(r)
    if (r$kind == "N") sprintf("N%d@%s", r$v, r$t)
    else sprintf("L%d:%s", r$c, paste(vapply(r$stats, format, "", digits = 15), collapse = ",")), ""), collapse = " ")

  # (1) regression, 2 splits by hand: x = 1..8, y = 0,0,0,0,10,10,20,20,
  # min_node_size 2.  Root: x <= 4 scores 0 + 60^2/4 = 900 (x <= 5: 853.3,
  # x <= 6: 866.7, x <= 3: 720, x <= 7: 628.6); left {1..4} has only zeros
  # (every score 0, not > 0): leaf; right {5..8}: x <= 6 scores 200 + 800 =
  # 1000 (x <= 5: 933.3, x <= 7: 700); {5,6} and {7,8} have 2 <= 2: leaves.
  # The second covariate is constant: never a candidate.
  X <- cbind(1:8, rep(3, 8)); y <- c(0, 0, 0, 0, 10, 10, 20, 20)
  t1 <- rf_build_tree("regression", X, y, NULL, 1:8, 1:8, 2, 0, 0, TRUE)
  ck("selftest: 2-split regression tree", pre_str(t1$tree) == "N0@4 L4:0 N0@6 L2:10 L2:20", pre_str(t1$tree))
  d <- t1$grown$diag
  ck("selftest: root best and second-best scores 900, 866.67",
     same(d$b1[1], 900) && same(d$b2[1], 2600 / 3), sprintf("%.17g %.17g", d$b1[1], d$b2[1]))
  ck("selftest: all-zero node is a leaf with best score 0", d$reason[2] == "no positive score" && d$b1[2] == 0,
     d$reason[2])
  # alpha 0.3 on the root: kmin = ceiling(2.4) = 3, so x <= 1, 2 and 6, 7
  # are out; x <= 4 still wins
  t1a <- rf_build_tree("regression", X, y, NULL, 1:8, 1:8, 2, 0.3, 0, TRUE)
  ck("selftest: regression alpha 0.3", pre_str(t1a$tree) == "N0@4 L4:0 N0@6 L2:10 L2:20", pre_str(t1a$tree))
  # lambda 200: root x <= 4: 900 - 200 (1/4 + 1/4) = 800; x <= 6: 866.7 -
  # 200 (1/6 + 1/2) = 733.3: still x <= 4; right {5..8}: x <= 6: 1000 - 200
  # = 800 > x <= 5: 933.3 - 266.7 = 666.7
  t1l <- rf_build_tree("regression", X, y, NULL, 1:8, 1:8, 2, 0, 200, TRUE)
  ck("selftest: regression lambda 200", same(t1l$grown$diag$b1[1], 800) && same(t1l$grown$diag$b1[3], 800),
     paste(t1l$grown$diag$b1, collapse = " "))

  # (2) pruning the hand tree: estimation rows {1,2,3,4,7,8} leave {5,6}
  # empty -> the x <= 6 node is replaced by its right leaf; {1,2} leave
  # both {5,6} and {7,8} empty -> x <= 6 becomes an empty leaf -> the root
  # is replaced by its left leaf.
  t2 <- rf_build_tree("regression", X, y, NULL, 1:8, c(1, 2, 3, 4, 7, 8), 2, 0, 0, TRUE)
  ck("selftest: prune one empty leaf", pre_str(t2$tree) == "N0@4 L4:0 L2:20", pre_str(t2$tree))
  t2n <- rf_build_tree("regression", X, y, NULL, 1:8, c(1, 2, 3, 4, 7, 8), 2, 0, 0, FALSE)
  ck("selftest: no pruning keeps the empty leaf", pre_str(t2n$tree) == "N0@4 L4:0 N0@6 L0:NA L2:20",
     pre_str(t2n$tree))
  t3 <- rf_build_tree("regression", X, y, NULL, 1:8, c(1, 2), 2, 0, 0, TRUE)
  ck("selftest: cascading prune", pre_str(t3$tree) == "L2:0" && t3$n_both_empty == 1, pre_str(t3$tree))
  # estimation samples between observed values go right: x = 4.5 > 4
  X4 <- rbind(X, c(4.5, 3), c(6, 3)); y4 <- c(y, 7, 9)
  t4 <- rf_build_tree("regression", X4, y4, NULL, 1:8, 9:10, 2, 0, 0, FALSE)
  ck("selftest: repopulating by x <= t", pre_str(t4$tree) == "N0@4 L0:NA N0@6 L2:8 L0:NA", pre_str(t4$tree))

  # (3) importance of the hand tree: var 0 at depths 1 and 2:
  # (1 + 1/4) / (205/144) = 180/205
  vi <- rf_vi(list(t1), 2)
  ck("selftest: variable importance 180/205", same(vi, c(180 / 205, 0)), paste(vi, collapse = " "))
  vi2 <- rf_vi(list(t1, t3), 2)                          # t3 has no split: counts unchanged
  ck("selftest: variable importance over two trees", same(vi2, c(180 / 205, 0)), paste(vi2, collapse = " "))

  # (4) causal, by hand: x = 1..40, W~ = -0.5, +0.5 alternating, Y~ = tau W~
  # with tau = 1 (x <= 20), 3 (x > 20).  Root: means 0, N = 0.25 (20 + 60) =
  # 20, D = 10, tau_P = 2, rho = 0.25 (tau - 2) = -0.25 / +0.25; best x <= 20
  # with score 1.25 + 1.25 = 2.5; each child has tau_P = 1 or 3 exactly and
  # rho = 0 exactly: no positive score, leaves.  Leaf stats: left (0, 0,
  # 0.25, 0.25), right (0, 0, 0.75, 0.25); tau-hat(10) = 1, tau-hat(30) = 3.
  Xc <- matrix(1:40, ncol = 1); wc <- rep(c(-0.5, 0.5), 20); yc <- ifelse(1:40 <= 20, 1, 3) * wc
  tc <- rf_build_tree("causal", Xc, yc, wc, 1:40, 1:40, 5, 0.05, 0, TRUE)
  ck("selftest: causal hand tree", pre_str(tc$tree) == "N0@20 L20:0,0,0.25,0.25 L20:0,0,0.75,0.25",
     pre_str(tc$tree))
  ck("selftest: causal root score 2.5", same(tc$grown$diag$b1[1], 2.5), format(tc$grown$diag$b1[1], digits = 17))
  pc <- c(rf_predict_causal(list(tc), 10, 1)$est, rf_predict_causal(list(tc), 30, 1)$est)
  ck("selftest: causal hand predictions 1 and 3", same(pc, c(1, 3)), paste(pc, collapse = " "))
  # min_node_size 11: each child would need 11 low and 11 high: no split
  tc11 <- rf_build_tree("causal", Xc, yc, wc, 1:40, 1:40, 11, 0.05, 0, TRUE)
  ck("selftest: per-arm min_node_size blocks the split", tc11$tree$leaf, "")
  # alpha 0.2 in information units: S(L) for x <= 4 is 4 * 0.25 = 1 <
  # 0.2 * 10 = 2 -> inadmissible; x <= 20 still wins
  tca <- rf_build_tree("causal", Xc, yc, wc, 1:40, 1:40, 1, 0.2, 0, TRUE)
  ck("selftest: causal alpha 0.2", pre_str(tca$tree) == pre_str(tc$tree), pre_str(tca$tree))
  # constant W~ in the node: D_P = 0 -> leaf
  td <- rf_build_tree("causal", Xc, yc, rep(0.3, 40), 1:40, 1:40, 1, 0.05, 0, TRUE)
  ck("selftest: constant W~ is a degenerate leaf", td$tree$leaf && td$grown$diag$reason[1] == "degenerate", "")

  # (5) sum of rho = 0 at random nodes, and the split score equals the
  # between-group sum of squares of rho, (sum_L rho)^2 |P| / (|L||R|)
  set.seed(7)
  for (rep in 1:3) {
    n <- 60
    xr <- runif(n); wr <- rbinom(n, 1, 0.4) - 0.4 + runif(n, -0.05, 0.05); yr <- rnorm(n) + wr * xr
    Wb <- mean(wr); Yb <- mean(yr)
    tauP <- sum((wr - Wb) * (yr - Yb)) / sum((wr - Wb)^2)
    rho <- (wr - Wb) * ((yr - Yb) - tauP * (wr - Wb))
    ck(sprintf("selftest: sum rho = 0 (%d)", rep), abs(sum(rho)) <= 1e-13 * sum(abs(rho)), format(sum(rho)))
    s <- rf_node_search("causal", matrix(xr), yr, wr, 1:n, 1, 0, 0)
    L <- xr <= s$thr
    alt <- sum(rho[L])^2 * n / (sum(L) * sum(!L))
    ck(sprintf("selftest: score = between-group SS (%d)", rep), abs(s$b1 - alt) <= 1e-12 * alt,
       sprintf("%.17g %.17g", s$b1, alt))
    # and the best of an explicit double loop over all thresholds
    best <- 0; bt <- NA
    for (t in sort(unique(xr))[-length(unique(xr))]) {
      L <- xr <= t
      lo <- wr < Wb
      if (sum(L & lo) < 1 || sum(L & !lo) < 1 || sum(!L & lo) < 1 || sum(!L & !lo) < 1) next
      sc <- sum(rho[L])^2 / sum(L) + sum(rho[!L])^2 / sum(!L)
      if (sc > best) { best <- sc; bt <- t }
    }
    ck(sprintf("selftest: best threshold by an explicit loop (%d)", rep), identical(bt, s$thr), "")
  }

  # (6) the point estimate is the weighted least squares of Y~ on (1, W~)
  # with the forest weights alpha_i(x) (§4.1), and sum_b rho_b = 0
  set.seed(11)
  n <- 120
  Xr <- matrix(runif(n * 2), n); wr <- rbinom(n, 1, 0.5) - 0.5 + runif(n, -0.1, 0.1)
  yr <- rnorm(n) + 2 * wr * (Xr[, 1] > 0.5)
  trs <- lapply(1:4, function(b) {
    S <- sample(n, 60); rf_build_tree("causal", Xr, yr, wr, S[1:30], S[31:60], 2, 0.05, 0, TRUE)
  })
  x0 <- c(0.3, 0.6)
  alpha <- numeric(n)
  for (tr in trs) { lf <- rf_route(tr$tree, x0); alpha[lf$est] <- alpha[lf$est] + 1 / lf$c / 4 }
  fit <- lm.wfit(cbind(1, wr)[alpha > 0, ], yr[alpha > 0], alpha[alpha > 0])$coefficients
  pr <- rf_predict_causal(trs, x0, 2)
  ck("selftest: tau-hat = weighted least squares with forest weights", abs(pr$est - fit[2]) <= 1e-12 * abs(fit[2]),
     sprintf("%.17g %.17g", pr$est, fit[2]))
  ck("selftest: sum of rho_b = 0", abs(sum(pr$rho)) <= 1e-12 * sum(abs(pr$rho)), format(sum(pr$rho)))

  # (7) the little-bags variance on hand numbers: l = 2, rho = (1, 3, -1,
  # -3): group means 2, -2: V_B = 4; V_T = 5; N = 1; V0 = 3; s0 = 4 sqrt(2/2)
  # = 4; r = 0.75; var = 3 + 4 phi(0.75) / Phi(0.75)
  v <- rf_variance(c(1, 3, -1, -3), 2)
  ck("selftest: little bags by hand", same(v$var, 3 + 4 * dnorm(0.75) / pnorm(0.75)), format(v$var, digits = 17))
  v <- rf_variance(c(1, 3, -1, NA), 2)                   # one good group: V_B = 4, V_T = 5, N = 1, s0 = 4 sqrt 2
  ck("selftest: little bags with G* = 1", same(v$var, 3 + 4 * sqrt(2) * dnorm(3 / (4 * sqrt(2))) /
                                                pnorm(3 / (4 * sqrt(2)))), format(v$var, digits = 17))
  v <- rf_variance(c(1, 1, -1, -1, 2, 2, -2, -2) * 1e-8, 4) # V_B = 0, N = 2.5e-16 / 3: s0 < 1e-10 -> 0
  ck("selftest: little bags below 1e-10 -> 0", v$var == 0, format(v$var))
  ck("selftest: l = 1 -> NA", is.na(rf_variance(c(1, 2), 1)$var), "")
  ck("selftest: no good group -> NA", is.na(rf_variance(c(1, NA, NA, 2), 2)$var), "")
  # l = 4, rho = 1..8: group means 2.5, 6.5; V_B = (6.25 + 42.25)/2 = 24.25;
  # V_T = 204/8 = 25.5; N = 1.25/3; V0 = 24.25 - 1.25/3; s0 = 24.25
  v <- rf_variance(1:8, 4)
  V0 <- 24.25 - 1.25 / 3
  ck("selftest: little bags l = 4", same(v$var, V0 + 24.25 * dnorm(V0 / 24.25) / pnorm(V0 / 24.25)),
     format(v$var, digits = 17))
  invisible()
}
