# Comparison of hte's causal forest with grf (DESIGN_forest.md §8.3).  Not
# run by CI: it needs grf, built by hand (GRF_LIB, default /work/grf/lib),
# and takes about 40 minutes on 2 shared cores (grf: ~21 s per default fit
# of n = 2000, hte: ~4 s).  It documents how the comparison numbers were
# made; it asserts nothing.
#
# 1. Exact, where the computation is deterministic (§8.3.1).  grf's
#    causal_forest(X, Y, W, Y.hat = yh, W.hat = wh, honesty = FALSE,
#    sample.fraction = 1, ci.group.size = 1, mtry = 10000, num.trees = 1..3,
#    min.node.size, alpha, imbalance.penalty) against test/core/forest_driver.c
#    in "given" mode (built here: cc -O2 -ffp-contract=off -Isrc/core ...
#    src/core/*.c -lm) on y = Y - yh, w = W - wh with split set = estimation
#    set = all rows; likewise regression_forest(X, Y, ...) against the
#    driver's regression mode.  With sample.fraction 1 every grf tree is
#    grown on all n rows (shuffled: only the summation order changes) and
#    with mtry = 10000 the Poisson draw is >= p with probability 1 - 1e-4000,
#    so grf tries every variable at every node, as the driver does.  X is
#    continuous (one case has x1 rounded to 0.1: ties inside a variable).
#    Compared: the trees (grf's get_tree(forest, b) in preorder: split
#    variables and thresholds bit for bit; leaf statistics of grf's leaf
#    samples against the driver's leaf means), predict()$predictions at
#    test points (random and training rows, which sit exactly on
#    thresholds), variable_importance (grf's get_tree leaf_stats are
#    rounded display values of the uncentred Y and W, so they are not
#    compared; the driver's leaf means are compared with R sums over grf's
#    leaf samples); and, as a third opinion, the
#    brute-force R reference test/r/ref_forest.R (its smallest relative gap
#    between the best and second-best split score shows whether a near-tie
#    could make the two disagree).
# 2. In distribution (§8.3.3).  One data set per design, n = 2000, p = 10
#    (grf's generate_causal_data formulas without its rescaling, as in
#    test/r/check_forest.R: "simple" and Wager-Athey's aw2), 20 fixed test
#    points from the design; S seeds (default 30) for grf's causal_forest
#    (defaults, num.trees 2000, num.threads 1, seed = 1000003 s: grf seeds
#    group g's generator from the seed plus g, so nearby seeds give nearly
#    the same forest, shown at the end of part 1) and for hte's
#    SQL causal_forest(y, t, x, '{"seed": s}').  The driver's train mode is
#    run with the same seed too: it must give SQL's summary and cate bit for
#    bit, and it prints the out-of-bag tau-hat, Y-hat and W-hat that SQL
#    does not expose (for the OOB MSE against the truth).  Reported: per
#    test point the mean and sd over seeds of tau-hat for each, the mean
#    difference over the sd (pooled) and as a z (Welch), the sd ratio
#    hte/grf, the ratio of the mean std_errors; ATE/ATT/ATU and SEs,
#    calibration, importance, OOB MSE of tau-hat, Y-hat, W-hat against the
#    truth; the time per fit (wall clock; informational).
# 2b. Where hte's W-hat differs from grf's: ties between split candidates
#    (0/1 responses make exact score ties common; grf keeps the first in its
#    random draw order, hte the lowest variable index).  See the section.
# 3. STAR (test/data/star.csv, the README's covariates girl, afam, free
#    lunch, birth; rows with a missing one skipped, as hte skips them): 10
#    seeds each, the same summaries at 24 points (the 8 binary profiles x
#    birth 1979.5, 1980.0, 1980.5).
#
# Usage (PG* variables pointing at a cluster with hte installed):
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres Rscript test/r/compare_grf.R <repo top>
# Environment: GRF_LIB (grf's library), HTE_GRF_DB (database, default
# gc_compare_grf; created and dropped), GC_SEEDS (30), GC_STAR_SEEDS (10),
# GC_TREES (2000; smaller only for trying the script out), GC_TIE_TREES
# (200, part 2b), GC_SAVE (a file: save the results as RData).
#
# Measured (grf 2.6.1, 1 December 2026; "a|b" = hte|grf):
#   1. Trees, predictions (<= 1.9e-15 relative) and importance (equal) agree
#      exactly in the 6 cases without ties; in the 4 with small nodes
#      (min.node.size 1-5, alpha 0) they differ only at exact ties, where
#      two variables send the same rows left or right (predictions at the
#      training rows still agree to 2.8e-15; at other points they differ).
#   2. simple / aw2, 30 seeds: tau-hat at 20 points within Monte-Carlo
#      noise (mean z^2 1.38 / 0.90), sd over seeds ratio 1.05 / 1.02, mean
#      std_error ratio 0.975 / 0.999; ATE 0.4306|0.4327 (z -3.0) /
#      2.7394|2.7389; SE ratios 1.00; calibration and importance within
#      noise; OOB MSE of tau-hat 0.0228|0.0226 / 0.0482|0.0485; but OOB
#      W-hat differs per row (mean squared difference of the seed means
#      6.2 / 3.1 times its noise) and its MSE against e(x) is larger:
#      0.00182|0.00178 (z 2.4) / 0.000748|0.000699 (z 7.0).
#   2b. 0/1 response, noise covariates, every variable tried: hte puts 43 %
#      of its splits on x1 (grf 10 % on each); with the columns reversed
#      hte's nuisance MSEs move (simple Y-hat 0.0855 -> 0.0880, grf 0.0874).
#   3. STAR, 10 seeds: all within noise; mean std_error ratio 0.969.

args <- commandArgs(trailingOnly = TRUE)
top <- normalizePath(if (length(args) >= 1) args[1] else ".")
source(file.path(top, "test/r/common.R"))
source(file.path(top, "test/r/ref_forest.R"))
grf_lib <- Sys.getenv("GRF_LIB", "/work/grf/lib")
suppressPackageStartupMessages(
  if (dir.exists(grf_lib)) library(grf, lib.loc = grf_lib) else library(grf))
db <- Sys.getenv("HTE_GRF_DB", "gc_compare_grf")
S <- as.integer(Sys.getenv("GC_SEEDS", "30"))
S_star <- as.integer(Sys.getenv("GC_STAR_SEEDS", "10"))
n_trees <- as.integer(Sys.getenv("GC_TREES", "2000"))
options(width = 160)
t_start <- proc.time()[["elapsed"]]
elapsed <- function() proc.time()[["elapsed"]] - t_start
say <- function(...) cat(sprintf(...), "\n", sep = "")
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
num <- function(s) suppressWarnings(as.numeric(s))
say("compare_grf: grf %s, hte at %s, seeds %d (STAR %d), %d trees", as.character(packageVersion("grf")), top, S,
    S_star, n_trees)

drv <- file.path(work, "forest_driver")
old_wd <- setwd(top)
st <- system2("cc", c("-O2", "-ffp-contract=off", "-Isrc/core", "-o", drv, "test/core/forest_driver.c",
                      sort(Sys.glob("src/core/*.c")), "-lm"))
setwd(old_wd)
if (st != 0) stop("cannot build test/core/forest_driver.c")
say("compare_grf: driver built (%.0f s)", elapsed())

# psql: SQL lines in, stdout lines out (stderr apart; stop on error).
psql_lines <- function(sql) {
  f <- file.path(work, "q.sql")
  ef <- file.path(work, "q.err")
  writeLines(c("SET client_min_messages = warning;", sql), f)
  out <- system2("psql", c("-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", f),
                 stdout = TRUE, stderr = ef)
  if (!is.null(attr(out, "status"))) {
    cat(readLines(ef), sep = "\n")
    stop("psql failed")
  }
  out
}

## =========================================================== 1. exact

# Trees as nested lists: list(leaf = TRUE, stats) or list(leaf = FALSE, v
# (1-based), thr, t (the threshold as %.17g), l, r), from grf's get_tree,
# from the driver's preorder records and from the R reference.
grf_nested <- function(forest, b) {
  nodes <- get_tree(forest, b)$nodes
  mk <- function(k) {
    nd <- nodes[[k]]
    if (nd$is_leaf) return(list(leaf = TRUE))
    list(leaf = FALSE, v = as.integer(nd$split_variable), thr = nd$split_value, t = f17(nd$split_value),
         l = mk(nd$left_child), r = mk(nd$right_child))
  }
  mk(1L)
}
drv_nested <- function(recs) {
  pos <- 0L
  mk <- function() {
    pos <<- pos + 1L
    r <- recs[[pos]]
    if (r$kind == "L") return(list(leaf = TRUE, stats = r$stats))
    list(leaf = FALSE, v = r$v + 1L, thr = num(r$t), t = r$t, l = mk(), r = mk())
  }
  mk()
}
ref_nested <- function(t) {
  if (t$leaf) return(list(leaf = TRUE, stats = t$stats))
  list(leaf = FALSE, v = t$var, thr = t$thr, t = f17(t$thr), l = ref_nested(t$l), r = ref_nested(t$r))
}
tree_sig <- function(t) if (t$leaf) "L" else paste(t$v, t$t, tree_sig(t$l), tree_sig(t$r))

# The split score of DESIGN §3.3 / §1.2 for node members P and left set L,
# by direct sums.
node_score <- function(mode, y, w, P, L, lam) {
  if (mode == "causal") {
    ww <- w[P]; yy <- y[P]
    dw <- ww - mean(ww); dy <- yy - mean(yy)
    rho <- dw * (dy - sum(dw * dy) / sum(dw * dw) * dw)
    S <- function(C) sum(ww[C]^2) - sum(ww[C])^2 / sum(C)
    sum(rho[L])^2 / sum(L) + sum(rho[!L])^2 / sum(!L) - lam * (1 / S(L) + 1 / S(!L))
  } else {
    yy <- y[P]
    sum(yy[L])^2 / sum(L) + sum(yy[!L])^2 / sum(!L) - lam * (1 / sum(L) + 1 / sum(!L))
  }
}

# Compare two trees grown on all rows (honesty off): walk both from the
# root with the node's members P (the training rows that reach it).  A node
# that splits on another variable or threshold but sends the very same
# members left is a "tie"; one that sends exactly the other members left is
# a "mirrored tie" (the same partition, children swapped; the walk goes on
# crosswise); anything else is a real difference.  When b has leaf
# statistics they are checked against R sums over the leaf's members.
tree_cmp <- function(a, b, mode, X, y, w, lam) {
  st <- new.env()
  st$ties <- 0L; st$mirror <- 0L; st$real <- character(0); st$leaf <- 0; st$detail <- character(0)
  walk <- function(a, b, P) {
    if (a$leaf && b$leaf) {
      if (!is.null(b$stats)) {
        want <- if (mode == "causal") c(mean(y[P]), mean(w[P]), mean(y[P] * w[P]), mean(w[P]^2)) else mean(y[P])
        scale <- if (mode == "causal") c(mean(abs(y[P])), mean(abs(w[P])), mean(abs(y[P] * w[P])), mean(w[P]^2))
                 else mean(abs(y[P]))
        st$leaf <- max(st$leaf, abs(b$stats - want) / scale)
      }
      return(invisible())
    }
    if (a$leaf != b$leaf) {
      st$real <- c(st$real, sprintf("%d members: a leaf in one tree, a split in the other", length(P)))
      return(invisible())
    }
    La <- X[P, a$v] <= a$thr
    Lb <- X[P, b$v] <= b$thr
    if (identical(La, Lb)) {
      if (a$v != b$v || a$t != b$t) {
        st$ties <- st$ties + 1L
        st$detail <- c(st$detail, sprintf("x%d/x%d@%d:%d", a$v, b$v, length(P), sum(La)))
      }
      walk(a$l, b$l, P[La]); walk(a$r, b$r, P[!La])
    } else if (identical(La, !Lb)) {
      st$mirror <- st$mirror + 1L
      st$detail <- c(st$detail, sprintf("x%d/x%d@%d:%d|%d(mirror)", a$v, b$v, length(P), sum(La), sum(Lb)))
      walk(a$l, b$r, P[La]); walk(a$r, b$l, P[!La])
    } else {
      st$real <- c(st$real, sprintf("%d members: x%d <= %s (%d left, score %.17g) vs x%d <= %s (%d left, score %.17g)",
                                    length(P), a$v, a$t, sum(La), node_score(mode, y, w, P, La, lam), b$v, b$t,
                                    sum(Lb), node_score(mode, y, w, P, Lb, lam)))
    }
  }
  walk(a, b, seq_len(nrow(X)))
  as.list(st)
}

# the driver in given mode, every tree on all rows (split = estimation set)
run_given <- function(mode, y, w, X, T, mns, alpha, lam, xt) {
  n <- nrow(X); p <- ncol(X)
  all_rows <- paste(n, paste(0:(n - 1), collapse = " "))
  rows <- do.call(paste, c(list(f17(y), f17(w)), lapply(seq_len(p), function(j) f17(X[, j]))))
  f_in <- file.path(work, "given.txt")
  f_out <- file.path(work, "given.out")
  writeLines(c(mode, paste(n, p), paste(mns, f17(alpha), f17(lam), 1, 1), rows, T, rep(all_rows, 2 * T),
               nrow(xt), do.call(paste, lapply(seq_len(p), function(j) f17(xt[, j])))), f_in)
  if (system2(drv, stdin = f_in, stdout = f_out) != 0) stop("forest_driver (given) failed")
  rf_parse_output(f_out)
}

short <- function(v, k = 10)
  paste(c(head(v, k), if (length(v) > k) sprintf("... (%d more)", length(v) - k)), collapse = " ")
rel_diff <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300))

# One exact case: returns a one-row data frame for the table.
exact_case <- function(cs) {
  set.seed(cs$data_seed)
  n <- cs$n; p <- cs$p
  X <- matrix(runif(n * p), n, p)
  if (isTRUE(cs$ties)) X[, 1] <- round(X[, 1], 1)
  e <- plogis(qlogis(cs$share) + X[, 2] - 0.5)
  W <- as.numeric(runif(n) < e)
  Y <- sin(3 * X[, 1]) + X[, 2] + (W - e) * (1 + 2 * X[, 3]) + rnorm(n)
  xt <- rbind(matrix(runif(200 * p), 200, p), X[sample(n, 50), ])   # 50 training rows: on thresholds
  if (cs$mode == "causal") {
    yh <- sin(3 * X[, 1]) + X[, 2] + rnorm(n, 0, 0.2)               # given nuisance estimates
    wh <- pmin(pmax(e + runif(n, -0.05, 0.05), 0.02), 0.98)
    y <- Y - yh                                                     # what grf computes inside
    w <- W - wh
    forest <- causal_forest(X, Y, W, Y.hat = yh, W.hat = wh, num.trees = cs$T, honesty = FALSE,
                            sample.fraction = 1, ci.group.size = 1, mtry = 10000, min.node.size = cs$mns,
                            alpha = cs$alpha, imbalance.penalty = cs$lam, compute.oob.predictions = FALSE,
                            seed = cs$seed, num.threads = 1)
  } else {
    y <- Y
    w <- rep(0, n)
    forest <- regression_forest(X, Y, num.trees = cs$T, honesty = FALSE, sample.fraction = 1, ci.group.size = 1,
                                mtry = 10000, min.node.size = cs$mns, alpha = cs$alpha,
                                imbalance.penalty = cs$lam, compute.oob.predictions = FALSE, seed = cs$seed,
                                num.threads = 1)
  }
  pg <- predict(forest, xt)$predictions
  vg <- as.vector(variable_importance(forest))
  d <- run_given(cs$mode, y, w, X, cs$T, cs$mns, cs$alpha, cs$lam, xt)
  # the R reference (third opinion; margins of near-ties)
  ref <- rf_build_tree(cs$mode, X, y, w, seq_len(n), seq_len(n), cs$mns, cs$alpha, cs$lam, TRUE)
  gap <- min(c(ref$grown$diag$gap, Inf))
  gt <- lapply(seq_len(cs$T), function(b) grf_nested(forest, b))
  dt <- lapply(seq_len(cs$T), function(b) drv_nested(d$trees[[b]]))
  rt <- ref_nested(ref$tree)
  equal <- all(vapply(seq_len(cs$T), function(b) tree_sig(gt[[b]]) == tree_sig(dt[[b]]), TRUE))
  cg <- lapply(seq_len(cs$T), function(b) tree_cmp(gt[[b]], dt[[b]], cs$mode, X, y, w, cs$lam))
  cr <- tree_cmp(rt, dt[[1]], cs$mode, X, y, w, cs$lam)
  for (b in seq_len(cs$T)) {
    z <- cg[[b]]
    if (length(z$real)) say("  %s tree %d: REAL DIFFERENCE grf vs hte at %s", cs$label, b, paste(z$real, collapse = "; "))
    if (length(z$detail)) say("  %s tree %d grf vs hte: %d ties, %d mirrored (grf var/hte var@members:left): %s",
                              cs$label, b, z$ties, z$mirror, short(z$detail))
  }
  if (length(cr$real)) say("  %s: REAL DIFFERENCE R reference vs hte at %s", cs$label, paste(cr$real, collapse = "; "))
  if (length(cr$detail)) say("  %s R reference vs hte: %d ties, %d mirrored: %s", cs$label, cr$ties, cr$mirror,
                             short(cr$detail))
  tr <- 201:250                                               # the training rows among the test points
  data.frame(case = cs$label, mode = cs$mode, n = n, p = p, T = cs$T, mns = cs$mns, alpha = cs$alpha,
             lambda = cs$lam, nodes = length(d$trees[[1]]), equal = equal,
             ties = sum(vapply(cg, function(z) z$ties + z$mirror, 0L)),
             real = sum(vapply(cg, function(z) length(z$real), 0L)),
             grf_T_same = length(unique(vapply(gt, tree_sig, ""))) == 1,
             ref_equal = tree_sig(rt) == tree_sig(dt[[1]]), ref_ties = cr$ties + cr$mirror, ref_real = length(cr$real),
             ref_gap = gap,
             pred_rel = rel_diff(d$pred$est[-tr], pg[-tr]), pred_rel_train = rel_diff(d$pred$est[tr], pg[tr]),
             pred_abs = max(abs(d$pred$est - pg)) / max(abs(pg)), vi_abs = max(abs(d$vi - vg)),
             leaf = max(vapply(cg, function(z) z$leaf, 0)), stringsAsFactors = FALSE)
}

cases1 <- list(
  list(label = "C1", mode = "causal", n = 500, p = 5, share = 0.5, T = 1, mns = 5, alpha = 0.05, lam = 0,
       seed = 11, data_seed = 101),
  list(label = "C2", mode = "causal", n = 500, p = 5, share = 0.5, T = 1, mns = 1, alpha = 0, lam = 0,
       seed = 12, data_seed = 102),
  list(label = "C3", mode = "causal", n = 1000, p = 10, share = 0.5, T = 3, mns = 10, alpha = 0.2, lam = 0,
       seed = 13, data_seed = 103),
  list(label = "C4", mode = "causal", n = 500, p = 5, share = 0.5, T = 3, mns = 3, alpha = 0.1, lam = 0.5,
       seed = 14, data_seed = 104),
  list(label = "C5", mode = "causal", n = 400, p = 3, share = 0.15, T = 2, mns = 5, alpha = 0.05, lam = 0,
       seed = 15, data_seed = 105),
  list(label = "C6", mode = "causal", n = 600, p = 4, share = 0.5, T = 2, mns = 2, alpha = 0.05, lam = 0,
       seed = 16, data_seed = 106, ties = TRUE),
  list(label = "R1", mode = "regression", n = 500, p = 5, share = 0.5, T = 1, mns = 5, alpha = 0.05, lam = 0,
       seed = 21, data_seed = 201),
  list(label = "R2", mode = "regression", n = 500, p = 5, share = 0.5, T = 3, mns = 1, alpha = 0, lam = 0,
       seed = 22, data_seed = 202),
  list(label = "R3", mode = "regression", n = 1000, p = 10, share = 0.5, T = 2, mns = 10, alpha = 0.2, lam = 1,
       seed = 23, data_seed = 203),
  list(label = "R4", mode = "regression", n = 600, p = 4, share = 0.5, T = 1, mns = 3, alpha = 0.05, lam = 0,
       seed = 24, data_seed = 204, ties = TRUE))
res1 <- do.call(rbind, lapply(cases1, exact_case))
say("\n== 1. Exact: grf (honesty FALSE, sample.fraction 1, ci.group.size 1, mtry 10000) vs driver 'given' mode ==")
say("   equal: every tree (split variables, thresholds bit for bit) equal to grf's get_tree; ties: nodes")
say("   where the two split on another variable/threshold that sends the same rows left (or, mirrored,")
say("   right); real: other differences; grf_T_same: grf's T trees identical among themselves; ref_*: the")
say("   same for the driver's tree 1 vs the R reference; ref_gap: smallest relative best/second-best score")
say("   gap in the reference (0 = an exact tie in real arithmetic);")
say("   pred_rel / pred_rel_train: max |hte - grf| / |grf| at 200 random points / 50 training rows;")
say("   pred_abs: max |hte - grf| / max |grf| over all 250; vi_abs: max |importance difference|;")
say("   leaf: driver's leaf means vs R sums over grf's leaf samples (relative to the terms' magnitude)")
pf <- res1
for (k in c("ref_gap", "pred_rel", "pred_rel_train", "pred_abs", "vi_abs", "leaf")) pf[[k]] <- sprintf("%.2g", pf[[k]])
print(pf, row.names = FALSE)
# grf seeds group (tree) g's generator from seed + g (ForestTrainer, grf >=
# 2.4, DESIGN §7.1), so forests with nearby seeds share most of their
# trees: shown here on a small regression forest of 10 trees.  With
# consecutive seeds grf's spread over seeds would be almost nil; part 2
# therefore gives grf the seeds 1000003 s (their streams never overlap:
# 1000003 apart, more than the 1000 groups); hte's streams are keyed by
# splitmix64(seed), independent for consecutive seeds.
grf_seed <- function(s) 1000003 * s
local({
  set.seed(7)
  Xs <- matrix(runif(300 * 3), 300, 3)
  ys <- Xs[, 1] + rnorm(300)
  sig10 <- function(seed) {
    f <- regression_forest(Xs, ys, num.trees = 10, seed = seed, num.threads = 1)
    vapply(1:10, function(b) tree_sig(grf_nested(f, b)), "")
  }
  s1 <- sig10(1)
  say("\ngrf's seeds: of the 10 trees grown with seed 2 / 3 / 1000004, %d / %d / %d are trees of the seed-1 forest",
      sum(sig10(2) %in% s1), sum(sig10(3) %in% s1), sum(sig10(1000004) %in% s1))
})
say("compare_grf: part 1 done (%.0f s)", elapsed())

## =========================================================== 2. in distribution

sig <- function(u) 1 + 1 / (1 + exp(-20 * (u - 1 / 3)))
gen_design <- function(design, n, p) {
  if (design == "simple") {
    X <- matrix(rnorm(n * p), n, p)
    tau <- pmax(X[, 1], 0)
    e <- 0.4 + 0.2 * (X[, 1] > 0)
    base <- X[, 2] + pmin(X[, 3], 0)
  } else if (design == "aw2") {
    X <- matrix(runif(n * p), n, p)
    tau <- sig(X[, 1]) * sig(X[, 2])
    e <- rep(0.5, n)
    base <- 0
  }
  w <- rbinom(n, 1, e)
  m <- base + e * tau
  y <- m + (w - e) * tau + rnorm(n)
  list(X = X, w = w, y = y, tau = tau, m = m, e = e)
}

arr_sql <- function(X)
  sprintf("ARRAY[%s]::float8[]", apply(X, 1, function(r) paste(sprintf("'%.17g'", r), collapse = ",")))
load_rows <- function(name, y, w, X) {
  f <- file.path(work, paste0(name, ".csv"))
  arr <- sprintf("\"{%s}\"", do.call(paste, c(lapply(seq_len(ncol(X)), function(j) sprintf("%.17g", X[, j])),
                                             sep = ",")))
  writeLines(do.call(paste, c(list(sprintf("%.17g", y), ifelse(w == 1, "true", "false"), arr), sep = ",")), f)
  psql_lines(c(sprintf("CREATE TABLE %s (y float8, t boolean, x float8[]);", name),
               sprintf("\\copy %s FROM '%s' (FORMAT csv)", name, f)))
}
load_points <- function(name, xt)
  psql_lines(c(sprintf("CREATE TABLE %s (k int, x float8[]);", name),
               sprintf("INSERT INTO %s VALUES %s;", name,
                       paste(sprintf("(%d, %s)", seq_len(nrow(xt)), arr_sql(xt)), collapse = ", "))))

sum_cols <- c("ate", "ate_std_error", "att", "att_std_error", "atu", "atu_std_error", "calibration_mean",
              "calibration_mean_std_error", "calibration_differential", "calibration_differential_std_error",
              "calibration_differential_p_value")

# hte through SQL: one fit, its summary and cate at the points.
hte_sql_fit <- function(rows_from, points, seed) {
  out <- psql_lines(c(
    "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset",
    sprintf("CREATE TEMP TABLE m AS SELECT causal_forest(%s, '%s') AS model %s;", rows_from$args,
            if (n_trees == 2000) sprintf("{\"seed\": %d}", seed) else sprintf("{\"seed\": %d, \"num_trees\": %d}", seed, n_trees),
            rows_from$from),
    "SELECT extract(epoch FROM clock_timestamp()) - :t0 AS dt \\gset",
    "\\echo TIME :dt",
    sprintf("SELECT 'S', %s, array_to_string(s.variable_importance, ' '), s.n, s.num_trees FROM m, forest_summary(m.model) s;",
            paste0("s.", sum_cols, collapse = ", ")),
    sprintf("SELECT 'P', p.k, c.estimate, c.std_error FROM m, %s p, LATERAL cate(m.model, p.x) c ORDER BY p.k;",
            points)))
  tm <- num(sub("^TIME ", "", out[grepl("^TIME ", out)]))
  s <- strsplit(out[grepl("^S\\|", out)], "|", fixed = TRUE)[[1]]
  pr <- do.call(rbind, strsplit(out[grepl("^P\\|", out)], "|", fixed = TRUE))
  list(time = tm, summary = setNames(num(s[2:12]), sum_cols), vi = num(strsplit(s[13], " ")[[1]]),
       n = as.integer(s[14]), num_trees = as.integer(s[15]), est = num(pr[, 3]), se = num(pr[, 4]))
}

# the driver's train mode with the same options (default + seed)
hte_driver_fit <- function(y, w, X, xt, seed) {
  n <- length(y); p <- ncol(X)
  f_in <- file.path(work, "train.txt")
  rows <- do.call(paste, c(list(f17(y), f17(w)), lapply(seq_len(p), function(j) f17(X[, j]))))
  writeLines(c("train", paste(n, p), sprintf("%d 0.5 0 5 1 0.5 1 0.05 0 2 %d", n_trees, seed), rows, nrow(xt),
               do.call(paste, lapply(seq_len(p), function(j) f17(xt[, j])))), f_in)
  out <- system2(drv, stdin = f_in, stdout = TRUE)
  if (length(out) == 0 || out[1] != "status 0") stop("forest_driver train failed")
  tok <- strsplit(out, " ", fixed = TRUE)
  kind <- vapply(tok, `[`, "", 1)
  rw <- do.call(rbind, tok[kind == "row"])
  ord <- as.integer(rw[, 3]) + 1L
  sm <- num(tok[kind == "summary"][[1]][-1])
  pr <- do.call(rbind, tok[kind == "pred"])
  tau <- yhat <- what <- numeric(n)
  tau[ord] <- num(rw[, 6]); yhat[ord] <- num(rw[, 4]); what[ord] <- num(rw[, 5])
  list(summary = sm[-9], vi = num(tok[kind == "vi"][[1]][-1]), est = num(pr[, 3]), se = num(pr[, 4]),
       tau = tau, yhat = yhat, what = what)
}

grf_fit <- function(X, y, w, xt, seed) {
  t0 <- proc.time()
  cf <- causal_forest(X, y, w, num.trees = n_trees, seed = seed, num.threads = 1)
  tm <- (proc.time() - t0)[["elapsed"]]
  pp <- predict(cf, xt, estimate.variance = TRUE)
  a <- lapply(c("all", "treated", "control"), function(ts) average_treatment_effect(cf, target.sample = ts))
  tc <- test_calibration(cf)
  list(time = tm,
       summary = setNames(c(a[[1]][1], a[[1]][2], a[[2]][1], a[[2]][2], a[[3]][1], a[[3]][2], tc[1, 1], tc[1, 2],
                            tc[2, 1], tc[2, 2], tc[2, 4]), sum_cols),
       vi = as.vector(variable_importance(cf)), est = pp$predictions, se = sqrt(pp$variance.estimates),
       tau = as.vector(cf$predictions), yhat = cf$Y.hat, what = cf$W.hat)
}

# comparison of a quantity over seeds: h, g vectors (one value per seed)
cmp_row <- function(name, h, g) {
  mh <- mean(h); mg <- mean(g); sh <- sd(h); sg <- sd(g)
  sp <- sqrt((sh^2 + sg^2) / 2)
  data.frame(quantity = name, hte_mean = mh, grf_mean = mg, hte_sd = sh, grf_sd = sg,
             diff_over_sd = (mh - mg) / sp, z = (mh - mg) / sqrt(sh^2 / length(h) + sg^2 / length(g)),
             sd_ratio = sh / sg, stringsAsFactors = FALSE)
}
fmt_tab <- function(d, digits = 4) {
  for (k in names(d)) if (is.numeric(d[[k]])) d[[k]] <- formatC(d[[k]], digits = digits, format = "g")
  d
}

# One data set, many seeds for each; prints the tables, returns the summary.
compare_dist <- function(label, X, y, w, xt, tau_test, truth, rows_from, points, n_seeds, driver) {
  H <- G <- list()
  for (s in seq_len(n_seeds)) {
    H[[s]] <- hte_sql_fit(rows_from, points, s)
    if (driver) {
      dr <- hte_driver_fit(y, w, X, xt, s)
      H[[s]]$same <- identical(unname(dr$summary), unname(H[[s]]$summary)) && identical(dr$vi, H[[s]]$vi) &&
                     identical(dr$est, H[[s]]$est) && identical(dr$se, H[[s]]$se)
      H[[s]]$tau <- dr$tau; H[[s]]$yhat <- dr$yhat; H[[s]]$what <- dr$what
    }
    G[[s]] <- grf_fit(X, y, w, xt, grf_seed(s))
    if (s %% 5 == 0) say("compare_grf: %s: %d seeds (%.0f s)", label, s, elapsed())
  }
  col <- function(L, f) sapply(L, f)
  eh <- col(H, function(r) r$est); eg <- col(G, function(r) r$est)    # points x seeds
  sh <- col(H, function(r) r$se); sg <- col(G, function(r) r$se)
  K <- nrow(eh)
  pt <- do.call(rbind, lapply(seq_len(K), function(k) cmp_row(sprintf("x%d", k), eh[k, ], eg[k, ])))
  pt$se_ratio <- rowMeans(sh) / rowMeans(sg)
  pt$diff_over_se <- (pt$hte_mean - pt$grf_mean) / rowMeans(sg)
  if (!is.null(tau_test)) pt <- cbind(data.frame(tau = tau_test), pt)
  say("\n== %s: tau-hat at %d test points over %d seeds (z = mean difference / its Monte-Carlo SE;", label, K,
      n_seeds)
  say("   se_ratio = mean std_error hte / grf; diff_over_se = mean difference / grf's mean std_error) ==")
  print(fmt_tab(pt, 3), row.names = FALSE)
  gl <- rbind(
    do.call(rbind, lapply(seq_along(sum_cols), function(j)
      cmp_row(sum_cols[j], col(H, function(r) r$summary[j]), col(G, function(r) r$summary[j])))),
    do.call(rbind, lapply(seq_along(H[[1]]$vi), function(j)
      cmp_row(sprintf("importance x%d", j), col(H, function(r) r$vi[j]), col(G, function(r) r$vi[j])))))
  if (!is.null(truth)) {
    mse <- function(a, b) mean((a - b)^2)
    gl <- rbind(gl,
      cmp_row("OOB MSE tau-hat", col(H, function(r) mse(r$tau, truth$tau)), col(G, function(r) mse(r$tau, truth$tau))),
      cmp_row("OOB MSE Y-hat vs m(x)", col(H, function(r) mse(r$yhat, truth$m)),
              col(G, function(r) mse(r$yhat, truth$m))),
      cmp_row("OOB MSE W-hat vs e(x)", col(H, function(r) mse(r$what, truth$e)),
              col(G, function(r) mse(r$what, truth$e))),
      cmp_row("test-point MSE tau-hat", colMeans((eh - tau_test)^2), colMeans((eg - tau_test)^2)))
  }
  gl <- rbind(gl, cmp_row("time per fit, s", col(H, function(r) r$time), col(G, function(r) r$time)))
  say("\n== %s: global summaries over %d seeds ==", label, n_seeds)
  print(fmt_tab(gl, 4), row.names = FALSE)
  n_h <- unique(col(H, function(r) r$n))
  say("%s: hte n = %s (grf n = %d), num_trees %s", label, paste(n_h, collapse = ","), length(y),
      paste(unique(col(H, function(r) r$num_trees)), collapse = ","))
  if (driver) say("%s: driver train mode = SQL (summary, importance, cate) bit for bit in %d of %d fits", label,
                  sum(col(H, function(r) isTRUE(r$same))), n_seeds)
  list(label = label, pt = pt, gl = gl, H = H, G = G)
}

res2 <- list()
for (dz in c("simple", "aw2")) {
  dk <- match(dz, c("simple", "aw2"))
  set.seed(20261700 + dk)
  d <- gen_design(dz, 2000, 10)
  set.seed(20261710 + dk)
  td <- gen_design(dz, 20, 10)
  invisible(system2("dropdb", c("--if-exists", db), stderr = FALSE))
  if (system2("createdb", db) != 0) stop("createdb failed")
  psql_lines("CREATE EXTENSION hte;")
  load_rows("rows_d", d$y, d$w, d$X)
  load_points("points_d", td$X)
  say("\n%s: n = 2000, p = 10, sample ATE %.4f, ATT %.4f, ATU %.4f, Var(tau) %.4f", dz, mean(d$tau),
      mean(d$tau[d$w == 1]), mean(d$tau[d$w == 0]), var(d$tau))
  res2[[dz]] <- compare_dist(dz, d$X, d$y, d$w, td$X, td$tau, d, list(args = "y, t, x", from = "FROM rows_d"),
                             "points_d", S, TRUE)
  res2[[dz]]$d <- d
  res2[[dz]]$td <- td
  invisible(system2("dropdb", db))
}

## ------------------------------------ 2b. where W-hat differs: split ties

# Part 2 finds hte's out-of-bag W-hat systematically different from grf's
# (per row, beyond the seeds' noise) and its MSE against e(x) larger.  The
# split score of a 0/1 response depends only on (n_left, sum_left), so
# different variables tie exactly and often; grf keeps the first in its
# random draw order, hte the lowest variable index (DESIGN §3.4, §11.5).
# (i) Regression trees on a 0/1 response and pure-noise covariates (n 2000,
# p 10), the driver in given mode (every variable tried; random halves of
# random half-samples drawn here) against grf's regression_forest (mtry
# 10000, honesty, sample.fraction 0.5), 200 trees, 8 seeds: the share of
# splits per variable and the OOB MSE against 1/2; then the same with the
# response jittered by 1e-6 U (no score ties between distinct partitions).
# (ii) hte with the covariate columns reversed (10 seeds, driver train
# mode): grf's results do not depend on the column order (in
# distribution); hte's nuisance MSEs should move if the ties matter.
say("\n== 2b. Ties between split candidates: hte (lowest variable index) vs grf (random draw order) ==")
local({
  B <- as.integer(Sys.getenv("GC_TIE_TREES", "200"))
  n_tie <- 8L
  set.seed(20261702)
  n <- 2000; p <- 10
  X <- matrix(runif(n * p), n, p)
  W <- rbinom(n, 1, 0.5)
  f_in <- file.path(work, "tie_in.txt"); f_out <- file.path(work, "tie_out.txt")
  run <- function(resp, seed) {
    set.seed(seed)
    sets <- lapply(seq_len(B), function(b) { S <- sample(n, n / 2) - 1L; list(S[1:500], S[501:1000]) })
    rows <- do.call(paste, c(list(f17(resp), "0"), lapply(1:p, function(j) f17(X[, j]))))
    tl <- unlist(lapply(sets, function(s) c(paste(500, paste(s[[1]], collapse = " ")),
                                            paste(500, paste(s[[2]], collapse = " ")))))
    writeLines(c("regression", paste(n, p), "5 0.05 0 1 1", rows, B, tl, 0), f_in)
    if (system2(drv, stdin = f_in, stdout = f_out) != 0) stop("forest_driver (ties) failed")
    d <- rf_parse_output(f_out)
    vh <- table(factor(unlist(lapply(d$trees, function(t)
      sapply(Filter(function(r) r$kind == "N", t), `[[`, "v"))) + 1, levels = 1:p))
    rf <- regression_forest(X, resp, num.trees = B, mtry = 10000, min.node.size = 5, honesty = TRUE,
                            sample.fraction = 0.5, ci.group.size = 1, seed = grf_seed(seed), num.threads = 1)
    vg <- table(factor(unlist(lapply(seq_len(B), function(b)
      sapply(Filter(function(z) !z$is_leaf, get_tree(rf, b)$nodes), `[[`, "split_variable"))), levels = 1:p))
    list(mse_h = mean((d$oob$est - 0.5)^2), mse_g = mean((rf$predictions[, 1] - 0.5)^2), vh = vh, vg = vg)
  }
  for (kind in c("0/1 response", "0/1 + 1e-6 U")) {
    resp <- if (kind == "0/1 response") W else W + 1e-6 * runif(n)
    r <- lapply(seq_len(n_tie), function(s) run(resp, s))
    mh <- sapply(r, `[[`, "mse_h"); mg <- sapply(r, `[[`, "mse_g")
    vh <- Reduce(`+`, lapply(r, `[[`, "vh")); vg <- Reduce(`+`, lapply(r, `[[`, "vg"))
    say("(i) %s, %d trees x %d seeds, all variables tried: OOB MSE vs 1/2 hte %.6f (sd %.6f), grf %.6f (sd %.6f),",
        kind, B, n_tie, mean(mh), sd(mh), mean(mg), sd(mg))
    say("    ratio %.3f, z %.2f; share of splits on x1..x10:", mean(mh) / mean(mg),
        (mean(mh) - mean(mg)) / sqrt(var(mh) / n_tie + var(mg) / n_tie))
    say("    hte %s", paste(sprintf("%.3f", vh / sum(vh)), collapse = " "))
    say("    grf %s", paste(sprintf("%.3f", vg / sum(vg)), collapse = " "))
  }
})
local({
  n_rev <- min(10L, S)
  for (dz in names(res2)) {
    r2 <- res2[[dz]]; d <- r2$d
    rv <- lapply(seq_len(n_rev), function(s) hte_driver_fit(d$y, d$w, d$X[, 10:1], r2$td$X[, 10:1], s))
    for (q in list(c("yhat", "m", "Y-hat"), c("what", "e", "W-hat"), c("tau", "tau", "tau-hat"))) {
      mse <- function(L) sapply(L, function(r) mean((r[[q[1]]] - d[[q[2]]])^2))
      h <- mse(r2$H); g <- mse(r2$G); r <- mse(rv)
      # per row: the squared difference of the seed means over its noise (1: no systematic difference)
      a <- sapply(r2$H, `[[`, q[1]); b <- sapply(r2$G, `[[`, q[1])
      sysd <- mean((rowMeans(a) - rowMeans(b))^2 / ((apply(a, 1, var) + apply(b, 1, var)) / ncol(a)))
      say("(ii) %-6s OOB MSE %-7s hte %.6f, hte with columns reversed %.6f (%d seeds), grf %.6f; z hte-grf %.1f, reversed-grf %.1f; per-row (mean diff)^2/noise %.2f",
          dz, q[3], mean(h), mean(r), n_rev, mean(g), (mean(h) - mean(g)) / sqrt(var(h) / length(h) + var(g) / length(g)),
          (mean(r) - mean(g)) / sqrt(var(r) / n_rev + var(g) / length(g)), sysd)
    }
  }
})
say("compare_grf: part 2b done (%.0f s)", elapsed())

## =========================================================== 3. STAR

setup_db(top)   # common.R: a fresh database with the star table
star <- read_star(top)
keep <- !is.na(star$y) & !is.na(star$treated) & !is.na(star$gender) & !is.na(star$ethnicity) &
        !is.na(star$lunchk) & !is.na(star$birth)
star <- star[keep, ]
Xs <- cbind(girl = as.numeric(star$gender == "female"), afam = as.numeric(star$ethnicity == "afam"),
            free_lunch = as.numeric(star$lunchk == "free"), birth = star$birth)
prof <- as.matrix(expand.grid(girl = 0:1, afam = 0:1, free_lunch = 0:1))
xt_star <- do.call(rbind, lapply(c(1979.5, 1980, 1980.5), function(b) cbind(prof, birth = b)))
invisible(load_points("points_star", xt_star))
say("\nSTAR: n = %d complete rows, 24 test points (8 profiles girl/afam/free lunch x birth 1979.5, 1980, 1980.5)",
    nrow(star))
res3 <- compare_dist("STAR", Xs, star$y, as.numeric(star$treated), xt_star, NULL, NULL,
                     list(args = paste("y, treated, ARRAY[(gender = 'female')::int, (ethnicity = 'afam')::int,",
                                       "(lunchk = 'free')::int, birth]"), from = "FROM star"),
                     "points_star", S_star, FALSE)
invisible(system2("dropdb", db))

## =========================================================== compact table

say("\n== Compact table ==")
ok1 <- res1$equal
say("Exact (part 1): %d cases; trees equal to grf's in %d (%s); the others (%s) differ at %d tied nodes",
    nrow(res1), sum(ok1), paste(res1$case[ok1], collapse = " "), paste(res1$case[!ok1], collapse = " "),
    sum(res1$ties))
say("  (same partition of the rows) and %d other nodes.  Where equal: largest pred_rel %.2g, vi_abs %.2g.",
    sum(res1$real), max(res1$pred_rel[ok1]), max(res1$vi_abs[ok1]))
say("  Everywhere: prediction at training rows %.2g (relative); at random points %.2g; leaf means %.2g.",
    max(res1$pred_rel_train), max(res1$pred_rel), max(res1$leaf))
summ <- function(r) {
  pt <- r$pt; gl <- r$gl
  g <- function(q, k) gl[gl$quantity == q, k]
  vi <- gl[grepl("^importance", gl$quantity), ]
  data.frame(
    data = r$label, seeds = length(r$H),
    pt_max_abs_z = max(abs(pt$z)), pt_n_abs_z_gt2 = sum(abs(pt$z) > 2), pt_mean_abs_diff_over_sd = mean(abs(pt$diff_over_sd)),
    pt_max_abs_diff_over_se = max(abs(pt$diff_over_se)),
    pt_sd_ratio_pooled = sqrt(sum(pt$hte_sd^2) / sum(pt$grf_sd^2)), pt_sd_ratio_range = sprintf("%.2f-%.2f",
      min(pt$sd_ratio), max(pt$sd_ratio)),
    pt_se_ratio = mean(pt$se_ratio), pt_se_ratio_range = sprintf("%.3f-%.3f", min(pt$se_ratio), max(pt$se_ratio)),
    ate = sprintf("%.4f|%.4f z%.1f", g("ate", 2), g("ate", 3), g("ate", 7)),
    ate_se_ratio = g("ate_std_error", 2) / g("ate_std_error", 3),
    att = sprintf("%.4f|%.4f z%.1f", g("att", 2), g("att", 3), g("att", 7)),
    att_se_ratio = g("att_std_error", 2) / g("att_std_error", 3),
    atu = sprintf("%.4f|%.4f z%.1f", g("atu", 2), g("atu", 3), g("atu", 7)),
    atu_se_ratio = g("atu_std_error", 2) / g("atu_std_error", 3),
    cal_mean = sprintf("%.3f|%.3f", g("calibration_mean", 2), g("calibration_mean", 3)),
    cal_diff = sprintf("%.3f|%.3f z%.1f", g("calibration_differential", 2), g("calibration_differential", 3),
                       g("calibration_differential", 7)),
    vi_max_abs_z = max(abs(vi$z)), vi_max_abs_diff = max(abs(vi$hte_mean - vi$grf_mean)),
    oob_mse = if (any(gl$quantity == "OOB MSE tau-hat"))
      sprintf("%.4f|%.4f", g("OOB MSE tau-hat", 2), g("OOB MSE tau-hat", 3)) else "-",
    time_s = sprintf("%.1f|%.1f", g("time per fit, s", 2), g("time per fit, s", 3)),
    stringsAsFactors = FALSE)
}
tab <- do.call(rbind, lapply(c(res2, list(STAR = res3)), summ))
print(fmt_tab(t(tab), 4), quote = FALSE)
say("(a|b = hte|grf means over seeds; z = Welch z of the mean difference; ratios hte/grf)")
if (nzchar(Sys.getenv("GC_SAVE"))) save(res1, res2, res3, file = Sys.getenv("GC_SAVE"))
say("compare_grf: done (%.0f s)", elapsed())
