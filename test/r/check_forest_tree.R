# Cross-check of the causal forest core's trees (src/core, through the test
# driver test/core/forest_driver.c) against the brute-force R reference
# test/r/ref_forest.R (issue 15's design note §8.1).  Needs no database: it
# compiles the driver with
#   cc -O2 -ffp-contract=off -Isrc/core -o <tmp>/forest_driver \
#      test/core/forest_driver.c src/core/*.c -lm
# in the repository top, writes each case as the driver's text input (given
# split and estimation index sets per tree, every variable tried in
# ascending order), and compares the driver's output with R:
#   * every tree's preorder listing exactly: node kinds, split variables,
#     thresholds as identical doubles (the %.17g strings), which leaves are
#     empty (the model keeps no counts);
#   * leaf statistics, predictions (tau-hat or the regression mean), the
#     little-bags standard errors, the OOB estimates and the split-frequency
#     variable importance at 1e-12 relative (1e-12 absolute near 0).
# The reference is first checked on hand cases (rf_selftest).
#
# Cases (causal unless marked; continuous data unless marked: X ~ U(0,1)^p,
# W ~ Bernoulli(e(x)), W~ = W - e(x), Y~ = tau(x) W~ + N(0,1); n 30..400,
# p 1..5):
#   honesty off (J2 = J1) and on (disjoint halves); pruning on and off,
#   including constructed estimation sets that leave leaves and whole
#   subtrees empty (the cascade of §2.2); alpha 0, 0.05, 0.2 (one case where
#   the information-units alpha rule changes the tree); lambda 0, 0.5, 2;
#   min_node_size 1, 5, 10; integer covariates (ties) with a constant
#   covariate; p = 1; W~ in {-0.5, 0, 0.5} with node means exactly 0 (rows
#   with W~ = m_P count as high); a node with D_P ~ 3e-11 below the 1e-10
#   tolerance (W~ = 0.01 +- 1e-6 in a region) and roots with D_P = 0
#   exactly (W~ = 0.5: every estimate NA); 10% treated; ci_group_size 1, 2,
#   4 with 4-8 trees, the trees of a group sharing its half-sample as grf
#   does, and sample fractions below 0.5 so a tree can be out-of-bag while
#   its group partner is not; test points with 0 < G* < G good groups
#   (empty leaves kept); regression trees (§1.2: counts, raw sums) with the
#   same variations, and a binary response whose exact score ties must
#   break by scan order (variables ascending, thresholds ascending).
#   Small nodes split on another variable into the same two sets are exact
#   ties that C's running sums may break either way, so cases with
#   min_node_size 1 (causal) or 1 and 5 (regression, which favours end
#   cuts) have p = 1, and the regression cases with p > 1 have
#   min_node_size 10 and alpha 0.2 (or integer covariates).
#
# Near-ties: the reference records for every searched node the best and
# second-best admissible scores and the margin of every floating-point
# decision (alpha and lambda rules in information units, low/high classes,
# the 1e-10 degeneracy test).  A generated case whose relative gap is below
# 1e-9 could legitimately be decided differently by C's incremental sums
# and R's direct sums, so it is regenerated with another seed (as is one
# that lacks the feature the case is for).  Estimates whose local Var(W~)
# (A_WW - A_W^2) is 0 or below 1e-8 of A_WW + A_W^2 are ill-conditioned (a
# leaf region where W~ is constant up to rounding) and are not compared,
# except in the exactly representable case.  Leaf means are compared to
# 1e-12 of the mean magnitude of their terms when these cancel.
#
# Usage: Rscript test/r/check_forest_tree.R <repo top>
# Ends with "r-forest_tree: N passed, M failed"; stops (non-zero exit) on
# any failure.

args <- commandArgs(trailingOnly = TRUE)
top <- normalizePath(if (length(args) >= 1) args[1] else ".")
source(file.path(top, "test/r/ref_forest.R"))
t_start <- proc.time()[["elapsed"]]
suite <- "r-forest_tree"

passed <- 0L
failed <- 0L
fail_msgs <- character(0)
ck <- function(label, ok, detail = "") {
  if (isTRUE(ok)) { passed <<- passed + 1L; return(TRUE) }
  failed <<- failed + 1L
  msg <- sprintf("FAIL %s: %s", label, detail)
  fail_msgs <<- c(fail_msgs, msg)
  if (failed <= 200) cat(msg, "\n", sep = "")
  FALSE
}
finish <- function() {
  cat(sprintf("%s: %d passed, %d failed\n", suite, passed, failed))
  if (failed > 0) stop(sprintf("%s: %d checks failed; first: %s", suite, failed, fail_msgs[1]), call. = FALSE)
  quit(status = 0)
}

## ---------------------------------------------------------------- the reference itself

rf_selftest(ck)

## ---------------------------------------------------------------- build the driver

work <- tempfile("hte-forest-")
dir.create(work)
driver <- Sys.getenv("HTE_FOREST_DRIVER")                # another executable (for testing this script)
if (driver == "") {
  driver <- file.path(work, "forest_driver")
  old_wd <- setwd(top)
  cc_out <- suppressWarnings(system2("cc", c("-O2", "-ffp-contract=off", "-Isrc/core", "-o", driver,
                                             "test/core/forest_driver.c", Sys.glob("src/core/*.c"), "-lm"),
                                     stdout = TRUE, stderr = TRUE))
  setwd(old_wd)
  if (!ck("the driver compiles", file.exists(driver) && is.null(attr(cc_out, "status")),
          paste(cc_out, collapse = "\n"))) finish()
}

run_driver <- function(cs, name) {
  inp <- file.path(work, paste0(name, ".in"))
  out <- file.path(work, paste0(name, ".out"))
  err <- file.path(work, paste0(name, ".err"))
  rf_write_input(cs, inp)
  st <- system2(driver, stdin = inp, stdout = out, stderr = err)
  if (st != 0) return(list(error = sprintf("exit status %d: %s", st, paste(readLines(err), collapse = " "))))
  tryCatch(rf_parse_output(out), error = function(e) list(error = conditionMessage(e)))
}

## ---------------------------------------------------------------- data and index sets

# Trees in groups of l as grf draws them (§2.1-2.2): l = 1: a subsample of
# floor(n sf) rows per tree; l >= 2: a half-sample of floor(n / 2) rows per
# group and per tree a subsample of it of ceiling(|H| 2 sf) rows; honesty:
# J1 = the first ceiling(|S| / 2) of the shuffled subsample, J2 the rest;
# no honesty: J2 = J1.
draw_trees <- function(n, T, l, sf, honesty) {
  trees <- list()
  for (g in seq_len(T / l)) {
    H <- if (l == 1) sample(n, floor(n * sf)) else sample(n, floor(n / 2))
    for (j in seq_len(l)) {
      S <- if (l == 1) H else H[sample(length(H), ceiling(length(H) * 2 * sf))]
      S <- S[sample(length(S))]
      trees[[length(trees) + 1]] <- if (honesty) {
        k <- ceiling(length(S) / 2)
        list(J1 = S[seq_len(k)], J2 = S[-seq_len(k)])
      } else list(J1 = S, J2 = S)
    }
  }
  trees
}

gen_x <- function(n, p, int_x = FALSE, const_col = 0) {
  X <- if (int_x) matrix(as.numeric(sample(0:4, n * p, TRUE)), n, p) else matrix(runif(n * p), n, p)
  if (const_col > 0) X[, const_col] <- 0.7
  X
}

# Test points: uniform, or the integer values of an integer covariate, the
# constant of a constant one; the first three are training rows (they tie
# with thresholds).
test_points <- function(m, p, X) {
  Xt <- matrix(runif(m * p), m, p)
  for (j in seq_len(p)) {
    if (length(unique(X[, j])) == 1) Xt[, j] <- X[1, j]
    else if (all(X[, j] == round(X[, j]))) Xt[, j] <- as.numeric(sample(0:4, m, TRUE))
  }
  Xt[1:3, ] <- X[1:3, ]
  Xt
}

# A causal data set: W ~ Bernoulli(e(x)), W~ = W - e(x), Y~ = tau(x) W~ + noise.
gen_causal <- function(n, p, treated = NULL, int_x = FALSE, const_col = 0) {
  X <- gen_x(n, p, int_x, const_col)
  u <- runif(n)                                          # keeps e continuous with integer X
  e <- if (is.null(treated)) 0.25 + 0.5 * (0.6 * X[, 1] / max(1, max(X[, 1])) + 0.4 * u)
       else treated * (0.5 + u)
  W <- rbinom(n, 1, e)
  wt <- W - e
  tau <- 1 + 2 * (X[, 1] > median(X[, 1])) + if (p >= 2) X[, 2] else 0
  list(X = X, y = tau * wt + rnorm(n), w = wt)
}

gen_regression <- function(n, p, binary = FALSE, int_x = FALSE) {
  X <- gen_x(n, p, int_x)
  y <- if (binary) as.numeric(runif(n) < 0.3 + 0.4 * X[, 1]) else 5 + 2 * X[, 1] + (X[, p] > 0.5) + rnorm(n)
  list(X = X, y = y, w = NULL)
}

make_case <- function(mode, d, mns, alpha, lambda, prune, l, trees, m = 12, exact = FALSE, exact_w = FALSE) {
  list(mode = mode, X = d$X, y = d$y, w = d$w, mns = mns, alpha = alpha, lambda = lambda, prune = prune,
       l = l, trees = trees, Xtest = test_points(m, ncol(d$X), d$X), exact = exact, exact_w = exact_w)
}

std_case <- function(mode, n, p, mns, alpha, lambda, prune, l, T, sf = 0.5, honesty = TRUE, ...) {
  function() {
    d <- if (mode == "causal") gen_causal(n, p, ...) else gen_regression(n, p, ...)
    make_case(mode, d, mns, alpha, lambda, prune, l, draw_trees(n, T, l, sf, honesty))
  }
}

# Estimation sets that miss the region x1 < 0.35: its leaves (and whole
# subtrees) get no estimation members.
empty_case <- function(prune) function() {
  n <- 240
  d <- gen_causal(n, 2)
  d$X[, 1] <- runif(n)
  trees <- draw_trees(n, 4, 2, 0.5, TRUE)
  for (b in seq_along(trees)) trees[[b]]$J2 <- trees[[b]]$J2[d$X[trees[[b]]$J2, 1] >= 0.35]
  make_case("causal", d, 5, 0.05, 0, prune, 2, trees)
}

# D_P ~ 3e-11 < 1e-10 at a non-root node.  Rows with x1 < 0.5 ("region")
# have W~ = 0.01 + s 1e-6 (s = +-1, balanced) and Y~ = 1e6 s (so their rho is
# about 1 and the split that isolates them scores well); the other rows come
# in pairs W~ = 0.01 +- 0.4, so each root (region rows with balanced s, whole
# pairs) has mean W~ = 0.01 up to rounding and the region rows are low and
# high around it.  The other rows have rho ~ -0.5 (little noise), so the
# root splits at the region's edge, and the child inside the region has
# D_P = 30e-12.  alpha = 0: with alpha > 0 the region child would fail
# S(L) >= alpha S(P).  (The 0.01 keeps sum W~^2 of the region small, so
# S(L) = 3e-11 is far above the rounding error of any formula for it.)
dp0_case <- function() {
  nr <- 80; np <- 60                                     # region rows, pairs
  n <- nr + 2 * np
  X <- cbind(c(runif(nr, 0, 0.5), runif(2 * np, 0.5, 1)), runif(n))
  s <- rep(c(-1, 1), nr / 2)[sample(nr)]
  w <- c(0.01 + s * 1e-6, rep(0.01 + 0.4, np), rep(0.01 - 0.4, np))
  y <- c(1e6 * s + rnorm(nr), 0.1 * rnorm(2 * np) + 2 * (w[-(1:nr)] - 0.01))
  d <- list(X = X, y = y, w = w)
  pos <- which(s > 0); neg <- which(s < 0)
  trees <- lapply(1:4, function(b) {
    pr <- sample(np, np / 2)
    rp <- c(sample(pos, 15), sample(neg, 15))
    J1 <- c(rp, nr + pr, nr + np + pr)
    list(J1 = J1[sample(length(J1))], J2 = setdiff(seq_len(n), J1))
  })
  make_case("causal", d, 5, 0, 0, TRUE, 2, trees)
}

# D_P = 0 exactly: two trees whose split and estimation sets lie where
# W~ = 0.5; the root is a degenerate leaf, every leaf has Var(W~) = 0, so
# every estimate, SE and OOB value is NA.
dp_exact_case <- function() {
  n <- 60
  X <- matrix(runif(n * 2), n)
  w <- ifelse(X[, 1] < 0.5, 0.5, runif(n, -0.5, 0.5))
  d <- list(X = X, y = rnorm(n), w = w)
  R <- which(X[, 1] < 0.5)
  trees <- lapply(1:2, function(b) { S <- sample(R, 20); list(J1 = S[1:10], J2 = S[11:20]) })
  make_case("causal", d, 1, 0.05, 0, TRUE, 2, trees, exact = TRUE)
}

# W~ in {-0.5, 0, 0.5} (exactly representable: every sum of W~ and W~^2 is
# exact, so the node means and S(.) are the same doubles in C and R), each
# root balanced so its mean W~ is exactly 0; rows with W~ = 0 = m_P are
# "high" (W~ < m_P is low).  Many zeros, so the classes matter.
wexact_case <- function() {
  n <- 200
  X <- matrix(runif(n * 2), n)
  w <- sample(c(-0.5, 0, 0.5), n, TRUE, prob = c(0.3, 0.4, 0.3))
  y <- (1 + 2 * X[, 1]) * w + rnorm(n)
  trees <- lapply(1:4, function(b) {
    neg <- which(w < 0); pos <- which(w > 0); zer <- which(w == 0)
    J1 <- c(sample(neg, 25), sample(pos, 25), sample(zer, 40))
    J1 <- J1[sample(length(J1))]
    list(J1 = J1, J2 = sample(setdiff(seq_len(n), J1), 90))
  })
  make_case("causal", list(X = X, y = y, w = w), 5, 0.05, 0, TRUE, 2, trees, exact_w = TRUE)
}

## ---------------------------------------------------------------- requirements of some cases

# the alpha rule changes some tree (grown again with alpha 0)
alpha_binds <- function(ref, cs) any(vapply(seq_along(cs$trees), function(b) {
  g0 <- rf_grow(cs$mode, cs$X, cs$y, cs$w, cs$trees[[b]]$J1, cs$mns, 0, cs$lambda)
  g <- ref$trees[[b]]$grown
  !identical(g0$var, g$var) || !identical(g0$thr, g$thr)
}, TRUE))
has_empty <- function(ref) any(vapply(ref$trees, function(t) t$n_empty_before > 0, TRUE))
has_cascade <- function(ref) any(vapply(ref$trees, function(t) t$n_both_empty > 0, TRUE))
has_partial_groups <- function(ref, l) any(vapply(ref$pred, function(p) !is.null(p$G) && p$G > 0 &&
                                                    p$G < length(ref$trees) %/% l, TRUE))
has_degenerate_inner <- function(ref) any(vapply(ref$trees, function(t) {
  dg <- t$grown$diag
  any(dg$reason == "degenerate" & dg$node > 1)
}, TRUE))
has_degenerate_root <- function(ref) all(vapply(ref$trees, function(t) t$grown$diag$reason[1] == "degenerate", TRUE))
# a row valid for one tree of a group but not for another
has_split_oob <- function(cs) {
  drawn <- lapply(cs$trees, function(t) union(t$J1, t$J2))
  G <- length(cs$trees) / cs$l
  for (g in seq_len(G)) {
    idx <- (g - 1) * cs$l + seq_len(cs$l)
    inb <- sapply(idx, function(b) seq_len(nrow(cs$X)) %in% drawn[[b]])
    if (any(rowSums(inb) > 0 & rowSums(inb) < cs$l)) return(TRUE)
  }
  FALSE
}
## ---------------------------------------------------------------- the cases

cases <- list(
  list(name = "causal, honesty off, prune, alpha 0.05, mns 5, p 3, l 2, T 4",
       gen = std_case("causal", 200, 3, 5, 0.05, 0, TRUE, 2, 4, honesty = FALSE), reps = 2),
  list(name = "causal, honesty on, prune, alpha 0.05, mns 5, p 5, l 2, T 8, n 400",
       gen = std_case("causal", 400, 5, 5, 0.05, 0, TRUE, 2, 8), reps = 2),
  list(name = "causal, honesty on, no pruning, alpha 0, mns 1, p 1, l 2, T 8 (0 < G* < G)",
       gen = std_case("causal", 160, 1, 1, 0, 0, FALSE, 2, 8),
       need = function(ref, cs) has_empty(ref) && has_partial_groups(ref, cs$l)),
  list(name = "causal, alpha 0.2, mns 10, p 3, l 2, T 4",
       gen = std_case("causal", 300, 3, 10, 0.2, 0, TRUE, 2, 4)),
  list(name = "causal, alpha 0.2 binding (the split changes with alpha 0), mns 1, p 1, l 2, T 4",
       gen = std_case("causal", 300, 1, 1, 0.2, 0, TRUE, 2, 4), need = alpha_binds),
  list(name = "causal, W~ in {-0.5, 0, 0.5}, root mean exactly 0 (W~ = m_P is high), mns 5, p 2",
       gen = wexact_case),
  list(name = "causal, lambda 0.5, alpha 0.05, mns 5, p 3, l 2, T 4",
       gen = std_case("causal", 250, 3, 5, 0.05, 0.5, TRUE, 2, 4)),
  list(name = "causal, lambda 2, alpha 0, mns 1, p 1, honesty off, l 2, T 4",
       gen = std_case("causal", 120, 1, 1, 0, 2, TRUE, 2, 4, honesty = FALSE)),
  list(name = "causal, integer covariates (ties), a constant covariate, mns 5, p 4, l 2, T 4",
       gen = std_case("causal", 200, 4, 5, 0.05, 0, TRUE, 2, 4, int_x = TRUE, const_col = 3)),
  list(name = "causal, p 1, n 30, mns 1, alpha 0.05, l 2, T 4",
       gen = std_case("causal", 30, 1, 1, 0.05, 0, TRUE, 2, 4)),
  list(name = "causal, 10% treated, honesty off, mns 5, p 3, l 2, T 4, n 400",
       gen = std_case("causal", 400, 3, 5, 0.05, 0, TRUE, 2, 4, honesty = FALSE, treated = 0.1)),
  list(name = "causal, l 4, T 8, sample fraction 0.5, mns 5, p 3",
       gen = std_case("causal", 240, 3, 5, 0.05, 0, TRUE, 4, 8), reps = 2),
  list(name = "causal, l 4, T 8, sample fraction 0.35 (OOB validity differs within a group), p 2",
       gen = std_case("causal", 200, 2, 5, 0.05, 0, TRUE, 4, 8, sf = 0.35),
       need = function(ref, cs) has_split_oob(cs)),
  list(name = "causal, l 2, T 6, sample fraction 0.3, no pruning, mns 1, p 1",
       gen = std_case("causal", 200, 1, 1, 0.05, 0, FALSE, 2, 6, sf = 0.3),
       need = function(ref, cs) has_split_oob(cs) && has_empty(ref)),
  list(name = "causal, l 1, T 5, sample fraction 0.5, mns 5, p 2",
       gen = std_case("causal", 150, 2, 5, 0.05, 0, TRUE, 1, 5)),
  list(name = "causal, estimation sets miss x1 < 0.35, pruning on",
       gen = empty_case(TRUE), need = function(ref, cs) has_empty(ref) && has_cascade(ref)),
  list(name = "causal, estimation sets miss x1 < 0.35, pruning off",
       gen = empty_case(FALSE), need = function(ref, cs) has_empty(ref)),
  list(name = "causal, D_P ~ 3e-11 at an inner node (W~ = 0.01 +- 1e-6 in a region), alpha 0",
       gen = dp0_case, need = function(ref, cs) has_degenerate_inner(ref)),
  list(name = "causal, D_P = 0 exactly at the root (W~ = 0.5): estimates NA",
       gen = dp_exact_case, need = function(ref, cs) has_degenerate_root(ref)),
  list(name = "regression, honesty on, prune, alpha 0.2, mns 10, p 3, T 4",
       gen = std_case("regression", 200, 3, 10, 0.2, 0, TRUE, 1, 4), reps = 2),
  list(name = "regression, honesty on, no pruning, alpha 0.05, mns 5, p 1, T 4",
       gen = std_case("regression", 150, 1, 5, 0.05, 0, FALSE, 1, 4), need = function(ref, cs) has_empty(ref)),
  list(name = "regression, honesty off, alpha 0, mns 1, p 1, T 4",
       gen = std_case("regression", 80, 1, 1, 0, 0, TRUE, 1, 4, honesty = FALSE)),
  list(name = "regression, no pruning, alpha 0.2, mns 10, lambda 5, p 2, T 4",
       gen = std_case("regression", 300, 2, 10, 0.2, 5, FALSE, 1, 4)),
  list(name = "regression, integer covariates, mns 5, alpha 0.05, p 3, T 4",
       gen = std_case("regression", 150, 3, 5, 0.05, 0, TRUE, 1, 4, int_x = TRUE)),
  list(name = "regression, binary response (exact ties break by scan order), mns 5, p 2, T 4",
       gen = std_case("regression", 200, 2, 5, 0.05, 0, TRUE, 1, 4, binary = TRUE), tie_ok = TRUE)
)

## ---------------------------------------------------------------- run

set.seed(20260515)
n_regen <- 0L
n_skipped <- 0L
cases <- unlist(lapply(cases, function(cd) rep(list(cd), if (is.null(cd$reps)) 1 else cd$reps)), recursive = FALSE)
for (ci in seq_along(cases)) {
  cd <- cases[[ci]]
  label <- sprintf("case %d (%s)", ci, cd$name)
  accepted <- FALSE
  for (attempt in 1:25) {
    cs <- cd$gen()
    ref <- rf_forest(cs)
    mg <- rf_margins(ref)
    if (isTRUE(cd$tie_ok)) mg$gap <- Inf
    if (isTRUE(cs$exact_w)) mg$madm <- Inf              # W~ sums exact: same doubles in C and R
    need_ok <- is.null(cd$need) || cd$need(ref, cs)
    if (rf_margins_ok(mg) && need_ok) { accepted <- TRUE; break }
    n_regen <- n_regen + 1L
  }
  if (!ck(sprintf("%s: a data set without near-ties that has the case's features", label), accepted,
          sprintf("25 attempts; last margins gap %.3g gap0 %.3g admissibility %.3g degeneracy %.3g, features %s",
                  mg$gap, mg$gap0, mg$madm, mg$mD, need_ok))) next
  drv <- run_driver(cs, sprintf("case%02d", ci))
  if (!ck(sprintf("%s: driver runs", label), is.null(drv$error), drv$error)) next
  # ill-conditioned local Var(W~): not compared (except the exact case)
  illc <- function(p) cs$mode == "causal" && !cs$exact && !is.na(p$D) && (p$D == 0 || p$cond > 1e8)
  skp <- function(k) illc(ref$pred[[k]])
  sko <- function(i) illc(ref$oob[[i]])
  nsk <- sum(vapply(seq_along(ref$pred), skp, TRUE)) + sum(vapply(seq_along(ref$oob), sko, TRUE))
  n_skipped <- n_skipped + nsk
  rf_compare(ref, drv, label, ck, skp, sko)
  cat(sprintf("%s: case %2d: %-92s %d trees, %3d nodes%s\n", suite, ci, cd$name, length(ref$trees),
              sum(vapply(ref$trees, function(t) length(t$grown$var), 1L)),
              if (nsk > 0) sprintf(", %d ill-conditioned estimates not compared", nsk) else ""))
}
cat(sprintf("%s: %d data sets regenerated for near-ties or missing features; %d ill-conditioned estimates not compared\n",
            suite, n_regen, n_skipped))
cat(sprintf("%s: largest difference from R among the compared numbers, relative to each tolerance's scale, %.2g (%s); %.1f s\n", suite,
            rf_worst$d, rf_worst$what, proc.time()[["elapsed"]] - t_start))
unlink(work, recursive = TRUE)
finish()
