# Cross-check of the functions over rows that already hold results, against R:
#   heterogeneity_test(estimate, std_error)  every column against
#       metafor::rma(yi, sei = ..., method = "FE" | "DL") (Q = QE, p = QEp,
#       I^2 = I2 / 100, tau^2 of DL, pooled estimate and SE of FE) and the
#       Gail–Simon test against an independent implementation of its formula
#       (as in check_subgroup.R), 1e-9 relative; Q, p, I^2 and tau^2 also
#       against the SPEC's definitions computed without cancellation in R
#       (metafor's y'Py loses digits when one weight dominates: there its
#       check is left out with a NOTE, see ref_het):
#       (a) the BCG vaccine meta-analysis (metafor::dat.bcg, log risk ratios
#           by escalc; the shipped test/data/bcg.csv must hold the same
#           doubles), also with the log RR computed in SQL from the counts;
#       (b) generated studies: k = 2, 3, 10, 200, five seeds, mixed signs,
#           SEs over four orders of magnitude, with and without true
#           heterogeneity;
#       (c) edge cases: k = 1, k = 0 (NULL), skipped rows (NULL estimate,
#           NULL / zero / negative std_error), equal estimates (Q = 0),
#           estimates ~1e8 with SEs ~1e3 and ~1e-8 with SEs ~1e-9, one
#           dominant study;
#       (d) 4000 studies: a parallel plan whose leader and 2 workers each
#           aggregate a part, and an explicit 3-part combine with the
#           aggregate's own state functions, equal the serial result (1e-12);
#           both against R (the definitions; metafor per GROUP BY group);
#       (e) over the rows of unnest(cate_by(y, treated, g)) (and of GROUP BY
#           ate) it equals heterogeneity_test(y, treated, g) over the raw
#           rows (1e-12), on STAR, NSW and generated data; where no subgroup
#           has an SE the subgroup form gives subgroups = 0, this form NULL;
#       (f) error SQLSTATEs: NaN / Infinity (class 22), 1/se^2 or a sum
#           overflowing (22003).
#   p_adjusted(p, method) OVER (...)  against p.adjust for every method (and
#       "fdr", and the default holm), 1e-12 relative, over partitions of
#       random sizes 1..300 with NULLs and ties (p = 0, p = 1, repeats),
#       whatever the ORDER BY and frame (ROWS, GROUPS, RANGE with EXCLUDE,
#       OVER ()); equal to p_adjust(float8[]) of the partition; error
#       SQLSTATEs (unknown method 22023 listing the valid ones, p outside
#       [0, 1] 22023, NULL method 22004, different methods in one partition
#       22023).
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_meta.R <repo top>
# Prints the published BCG numbers; ends with "r-meta: N passed, M failed";
# exits non-zero on failure.

suppressPackageStartupMessages(library(metafor))

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
db <- "hte_rcheck_meta"
setup_db(top)
set.seed(20261201)
t_start <- proc.time()[["elapsed"]]

methods <- c("none", "bonferroni", "holm", "hochberg", "BH", "BY")
het_cols <- c("subgroups", "q_statistic", "df", "p_value", "i_squared", "tau_squared",
              "pooled_estimate", "pooled_std_error", "crossover_statistic", "crossover_p_value")

## ---------------------------------------------------------------- helpers

check_true <- function(label, cond) {
  if (!isTRUE(cond)) cat(sprintf("FAIL %s\n", label))
  check(label, as.numeric(isTRUE(cond)), 1, 0)
}

# One check over a vector: NULL (NA) must match NULL, a number must be within
# atol + rtol |ref|; the first failing positions are printed.
check_vec <- function(label, ours, ref, rtol = tol, atol = 0, at = seq_along(ref)) {
  ours <- suppressWarnings(as.numeric(ours)); ref <- as.numeric(ref)
  if (length(ours) != length(ref)) {
    cat(sprintf("FAIL %s: %d values, want %d\n", label, length(ours), length(ref)))
    return(check(label, 0, 1, 0))
  }
  atol <- rep_len(atol, length(ref)); atol[is.na(atol)] <- 0
  good <- ifelse(is.na(ref), is.na(ours),
                 !is.na(ours) & (ours == ref | abs(ours - ref) <= atol + rtol * abs(ref)))
  good[is.na(good)] <- FALSE
  if (all(good)) return(check(label, 1, 1, 0))
  bad <- which(!good)
  cat(sprintf("FAIL %s: %d of %d values\n", label, length(bad), length(ref)))
  for (i in head(bad, 5))
    cat(sprintf("     at %s: ours=%.17g R=%.17g rel=%.3g\n", format(at[i]), ours[i], ref[i],
                abs(ours[i] - ref[i]) / abs(ref[i])))
  check(label, 0, 1, 0)
}

# db_query with settings before the COPY (e.g. a parallel plan).
db_query_set <- function(settings, select_sql) {
  out <- psql(c(settings, sprintf("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N');", select_sql)))
  read.csv(text = out, stringsAsFactors = FALSE, na.strings = "\\N")
}

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
# want: a 5-character SQLSTATE, a 2-character class, or "none"; contains:
# strings the message, detail and hint together must hold.
expect_error <- function(label, sql, want, contains = character())
  error_cases[[length(error_cases) + 1]] <<- list(label = label, sql = sql, want = want, contains = contains)
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
    ok <- ok && all(vapply(e$contains, function(s) grepl(s, got, fixed = TRUE), TRUE))
    if (!ok) cat(sprintf("FAIL %s: got %s, want %s%s\n", e$label, got, e$want,
                         if (length(e$contains)) paste0(" containing ", paste(e$contains, collapse = ", ")) else ""))
    check(e$label, as.numeric(ok), 1, 0)
  }
  error_cases <<- list()
}

## ------------------------------------------------- heterogeneity references

# Gail & Simon (1985), written from the paper's formula, independently of
# the C code (as in check_subgroup.R): Q- over positive effects, Q+ over
# negative, binomial mixture.
gail_simon <- function(d, se) {
  k <- length(d)
  qneg <- sum((d[d > 0] / se[d > 0])^2)
  qpos <- sum((d[d < 0] / se[d < 0])^2)
  stat <- min(qpos, qneg)
  h <- seq_len(k - 1)
  # the weights in logs: 2^(k-1) overflows beyond about 1000 subgroups
  p <- sum(exp(lchoose(k - 1, h) - (k - 1) * log(2)) * pchisq(stat, df = h, lower.tail = FALSE))
  c(stat = stat, p = p)
}

# The expected hte_heterogeneity row of the usable rows (estimate and
# std_error not NULL, std_error > 0), all NA without any: $mf by metafor (and
# the Gail–Simon function above), $def from the SPEC's definitions computed
# without cancellation.
#
# metafor computes Q as y'Py with the k x k matrix P = W - w w' / sum w, i.e.
# sum w y^2 - (sum w y)^2 / sum w, and tau^2's denominator as tr(P) =
# sum w - sum w^2 / sum w.  The first cancels when the estimates are far from
# 0 against their spread (1e8 apart by 1e3: ten digits); that one is avoided
# by fitting d - m, m the fixed-effect pooled estimate (Q, I^2, tau^2 and the
# p-value do not change when every estimate moves by the same amount, and
# each d - m is correctly rounded).  Both also cancel inside P when one weight
# dominates the others (SEs 0.01 and 84 among 3 studies: metafor's Q is off by
# 2.5e-9); so $def holds Q summed around a refined weighted mean, and
# sum w - sum w^2 / sum w as 2 sum_{i<j} w_i w_j / sum w (no cancellation).
# Where metafor and the definitions differ by more than 1e-10, the metafor
# check of that column is left out with a NOTE; the check against $def stays.
# (rma_q: without the warning "Ratio of largest to smallest sampling variance
# extremely large")
rma_q <- function(yi, sei, method) suppressWarnings(rma(yi = yi, sei = sei, method = method))
def_cols <- c("q_statistic", "p_value", "i_squared", "tau_squared")
#   metafor = FALSE: the definitions alone (for thousands of studies, where
#   rma's k x k matrices take seconds), pooled estimate sum w d / sum w and
#   SE sqrt(1 / sum w).
ref_het <- function(d, se, metafor = TRUE) {
  use <- !is.na(d) & !is.na(se) & se > 0
  d <- d[use]; se <- se[use]
  k <- length(d)
  out <- setNames(as.list(rep(NA_real_, length(het_cols))), het_cols)
  if (k == 0) return(list(mf = out, def = out, w = numeric()))
  w <- 1 / se^2
  sw <- sum(w)
  mean_w <- sum(w * d) / sw
  mean_w <- mean_w + sum(w * (d - mean_w)) / sw
  gs <- gail_simon(d, se)
  out$subgroups <- k
  out$df <- k - 1
  if (metafor) {
    fe <- rma_q(yi = d, sei = se, method = "FE")
    out$pooled_estimate <- as.numeric(fe$beta)
    out$pooled_std_error <- fe$se
  } else {
    out$pooled_estimate <- mean_w
    out$pooled_std_error <- sqrt(1 / sw)
  }
  out$crossover_statistic <- unname(gs["stat"])
  if (k == 1) {
    # one estimate: Q = 0 exactly, I^2 = 0; no test, no tau^2
    out$q_statistic <- 0
    out$i_squared <- 0
    return(list(mf = if (metafor) out, def = out, w = w))
  }
  out$crossover_p_value <- unname(gs["p"])
  # the definitions
  def <- out
  q <- sum(w * (d - mean_w)^2)
  pairs <- sum(w[-k] * rev(cumsum(rev(w)))[-1])        # sum_{i<j} w_i w_j
  def$q_statistic <- q
  def$p_value <- pchisq(q, k - 1, lower.tail = FALSE)
  def$i_squared <- if (q > 0) max(0, (q - (k - 1)) / q) else 0
  def$tau_squared <- max(0, (q - (k - 1)) / (2 * pairs / sw))
  if (!metafor) return(list(mf = NULL, def = def, w = w))
  # metafor, on the estimates less their pooled estimate
  m <- as.numeric(fe$beta)
  fe_c <- rma_q(yi = d - m, sei = se, method = "FE")
  dl_c <- rma_q(yi = d - m, sei = se, method = "DL")
  out$q_statistic <- fe_c$QE
  out$p_value <- fe_c$QEp
  out$i_squared <- fe_c$I2 / 100
  out$tau_squared <- dl_c$tau2
  list(mf = out, def = def, w = w)
}

# Where (Q - df) cancels, I^2 and tau^2 are known only to about an ulp of Q
# relative to Q - df: an absolute floor for them (rtol of the terms).
het_atol <- function(ref, rtol) {
  a <- setNames(as.list(rep(0, length(het_cols))), het_cols)
  r <- ref$def
  if (is.na(r$q_statistic) || r$subgroups < 2) return(a)
  w <- ref$w
  qs <- max(r$q_statistic, r$df)
  pairs <- sum(w[-length(w)] * rev(cumsum(rev(w)))[-1])
  a$tau_squared <- rtol * qs / (2 * pairs / sum(w))
  if (r$q_statistic > 0) a$i_squared <- rtol * qs / r$q_statistic
  a
}

close_to <- function(x, ref, rtol, atol)
  if (is.na(ref)) is.na(x) else !is.na(x) && abs(x - ref) <= atol + rtol * abs(ref)

# Every column of a result row (a one-row data frame, or NULL for none)
# against metafor, and Q, p, I^2, tau^2 also against the definitions.
notes <- 0L
compare_het <- function(label, row, ref, rtol = tol) {
  atol <- het_atol(ref, rtol)
  for (col in het_cols) {
    ours <- if (is.null(row) || nrow(row) == 0) NA else row[[col]][1]
    def <- ref$def[[col]]
    if (is.null(ref$mf)) {
      check(sprintf("%s: %s (definitions)", label, col), ours, def, rtol = rtol, atol = atol[[col]])
      next
    }
    mf <- ref$mf[[col]]
    if (col %in% def_cols && !close_to(mf, def, 1e-10, atol[[col]] / 10)) {
      notes <<- notes + 1L
      cat(sprintf("NOTE %s: %s: metafor %.17g, by the definitions %.17g (rel %.3g): metafor's check left out\n",
                  label, col, mf, def, abs(mf - def) / abs(def)))
    } else
      check(sprintf("%s: %s (metafor)", label, col), ours, mf, rtol = rtol, atol = atol[[col]])
    if (col %in% def_cols)
      check(sprintf("%s: %s (definitions)", label, col), ours, def, rtol = rtol, atol = atol[[col]])
  }
}

## -------------------------------------------------- (a) BCG meta-analysis

bcg_r <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg_file <- read.csv(file.path(top, "test/data/bcg.csv"), stringsAsFactors = FALSE)
# the shipped file holds the published counts and escalc's very doubles
check_true("bcg.csv: the counts, years and latitudes of metafor::dat.bcg",
           nrow(bcg_file) == 13 &&
           all(sapply(c("trial", "year", "tpos", "tneg", "cpos", "cneg", "ablat"),
                      function(c) identical(as.numeric(bcg_file[[c]]), as.numeric(dat.bcg[[c]])))) &&
           identical(bcg_file$author, dat.bcg$author) && identical(bcg_file$alloc, dat.bcg$alloc))
check_true("bcg.csv: log_rr and se_log_rr are escalc's yi and sqrt(vi), bit for bit",
           identical(bcg_file$log_rr, as.numeric(bcg_r$yi)) &&
           identical(bcg_file$se_log_rr, sqrt(as.numeric(bcg_r$vi))))
psql(c("CREATE TABLE bcg (trial int, author text, year int, tpos int, tneg int, cpos int, cneg int,",
       " ablat int, alloc text, log_rr float8, se_log_rr float8);",
       sprintf("\\copy bcg FROM '%s' (FORMAT csv, HEADER)", file.path(top, "test/data/bcg.csv"))))

bcg_ref <- ref_het(as.numeric(bcg_r$yi), sqrt(as.numeric(bcg_r$vi)))
bcg_ours <- db_query("SELECT (heterogeneity_test(log_rr, se_log_rr)).* FROM bcg")
compare_het("BCG (metafor::dat.bcg, escalc RR)", bcg_ours, bcg_ref)
# the log risk ratios and their SEs computed in SQL from the counts, as
# escalc does: log(a/n1) - log(c/n2), 1/a - 1/n1 + 1/c - 1/n2
bcg_sql <- db_query(paste(
  "SELECT (heterogeneity_test(ln(tpos::float8 / (tpos + tneg)) - ln(cpos::float8 / (cpos + cneg)),",
  "  sqrt(1.0::float8 / tpos - 1.0::float8 / (tpos + tneg) + 1.0::float8 / cpos - 1.0::float8 / (cpos + cneg)))).*",
  "FROM bcg"))
compare_het("BCG, log RR computed in SQL from the counts", bcg_sql, bcg_ref)

bcg_fe <- rma_q(as.numeric(bcg_r$yi), sqrt(as.numeric(bcg_r$vi)), "FE")
bcg_dl <- rma_q(as.numeric(bcg_r$yi), sqrt(as.numeric(bcg_r$vi)), "DL")
cat(sprintf(paste0("r-meta BCG (metafor::dat.bcg, 13 trials, log RR): Q = %.4f (df 12, p = %.3g), I^2 = %.2f%%, ",
                   "tau^2 (DL) = %.4f\n"), bcg_fe$QE, bcg_fe$QEp, bcg_fe$I2, bcg_dl$tau2))
cat(sprintf(paste0("r-meta BCG fixed effect: log RR %.4f (SE %.4f, 95%% CI %.4f to %.4f), RR %.4f (%.4f to %.4f); ",
                   "random effects (DL): log RR %.4f (SE %.4f), RR %.4f (%.4f to %.4f)\n"),
            bcg_fe$beta, bcg_fe$se, bcg_fe$ci.lb, bcg_fe$ci.ub, exp(bcg_fe$beta), exp(bcg_fe$ci.lb), exp(bcg_fe$ci.ub),
            bcg_dl$beta, bcg_dl$se, exp(bcg_dl$beta), exp(bcg_dl$ci.lb), exp(bcg_dl$ci.ub)))
cat(sprintf("r-meta BCG, ours: %s\n", paste(sprintf("%s=%.10g", het_cols, unlist(bcg_ours[1, het_cols])), collapse = " ")))

## -------------------------------- (b) generated and (c) edge-case studies

cases <- list()
add_case <- function(name, d, se, ref = NULL)
  cases[[length(cases) + 1]] <<- list(name = name, d = d, se = se, ref = ref)

for (seed in 1:5) {
  set.seed(1000 + seed)
  for (k in c(2, 3, 10, 200)) {
    # SEs over four orders of magnitude; effects of both signs, with a true
    # heterogeneity tau of 0 (homogeneous), 0.3 or 3
    se <- 10^runif(k, -2, 2)
    tau <- c(0, 0.3, 3)[(seed %% 3) + 1]
    mu <- c(-0.5, 0, 0.8)[((seed + k) %% 3) + 1]
    d <- mu + rnorm(k, 0, tau) + rnorm(k, 0, se)
    add_case(sprintf("seed %d, k = %d, tau %g", seed, k, tau), d, se)
    # moderate SEs (one order of magnitude), a crossover of signs
    se2 <- 10^runif(k, -1, 0)
    d2 <- sample(c(-1, 1), k, replace = TRUE) * runif(k, 0, 1) + rnorm(k, 0, se2)
    add_case(sprintf("seed %d, k = %d, crossover", seed, k), d2, se2)
  }
}
add_case("k = 1", 0.7, 0.2)
add_case("k = 1, negative, with skipped rows", c(-1.25, NA, 3, 4, 5, NA), c(0.5, 0.1, NA, 0, -1, NA))
add_case("k = 2", c(0.1, -0.3), c(0.2, 0.4))
add_case("k = 10 with skipped rows (NULL estimate, NULL / 0 / negative std_error)",
         c(rnorm(10), NA, 2, 3, 4, NA), c(runif(10, 0.1, 1), 0.5, NA, 0, -0.3, NA))
add_case("all estimates equal (positive), SEs differ", rep(0.3, 7), c(0.1, 0.2, 0.3, 0.05, 1, 2, 0.01),
         ref = "equal")
add_case("all estimates equal (negative), SEs equal", rep(-2.5, 4), rep(0.7, 4), ref = "equal")
add_case("all estimates 0", rep(0, 5), c(1, 2, 3, 4, 5), ref = "equal")
add_case("one dominant study (SE 0.01 against 10 and 20)", c(0, 50, -40, 80), c(0.01, 10, 10, 20))
add_case("one very dominant study (SE 0.001 against 10 and 20: tau^2's denominator must not cancel)", c(0, 50, -40, 80), c(0.001, 10, 10, 20))
add_case("one estimate 0, others positive", c(0, 0.2, 0.5, 0.1), c(0.1, 0.1, 0.3, 0.2))
add_case("huge: estimates ~1e8, SEs ~1e3 (close)", 1e8 + rnorm(20, 0, 2e3), runif(20, 5e2, 2e3))
se_h <- runif(20, 5e2, 2e3)
add_case("huge: estimates ~1e8, SEs ~1e3 (homogeneous)", 1e8 + rnorm(20, 0, 1) * se_h, se_h)
add_case("huge: estimates +-1e8, SEs ~1e3", sample(c(-1, 1), 12, TRUE) * runif(12, 5e7, 2e8), runif(12, 5e2, 2e3))
add_case("tiny: estimates ~1e-8, SEs ~1e-9", 1e-8 + rnorm(20, 0, 3e-9), runif(20, 5e-10, 2e-9))
add_case("tiny: estimates +-1e-8, SEs ~1e-9", sample(c(-1, 1), 12, TRUE) * runif(12, 5e-9, 2e-8), runif(12, 5e-10, 2e-9))
add_case("all rows skipped (k = 0)", c(1, NA, 2, 3), c(NA, 0.5, 0, -1))

rows <- do.call(rbind, lapply(seq_along(cases), function(i)
  data.frame(cs = i, i = seq_along(cases[[i]]$d), d = cases[[i]]$d, se = cases[[i]]$se)))
load_set("studies", rows)
res <- db_query(paste("SELECT cs, (heterogeneity_test(d, se)).*, heterogeneity_test(d, se) IS NULL AS is_null",
                      "FROM studies GROUP BY cs ORDER BY cs"))
for (i in seq_along(cases)) {
  cs <- cases[[i]]
  row <- res[res$cs == i, , drop = FALSE]
  ref <- ref_het(cs$d, cs$se)
  if (identical(cs$ref, "equal")) {
    # equal estimates: the mean is each of them exactly, so Q = 0 exactly
    # (R's sums leave rounding noise); tau^2 = 0, I^2 = 0, p = 1
    for (r in names(ref)[names(ref) %in% c("mf", "def")]) {
      ref[[r]]$q_statistic <- 0; ref[[r]]$p_value <- 1; ref[[r]]$i_squared <- 0; ref[[r]]$tau_squared <- 0
    }
  }
  if (is.na(ref$mf$subgroups)) {
    check_true(sprintf("%s: the result is NULL", cs$name), nrow(row) == 1 && row$is_null %in% c("t", "true", TRUE))
    next
  }
  compare_het(cs$name, row, ref)
}
# no rows at all
none <- db_query(paste("SELECT heterogeneity_test(d, se) IS NULL AS is_null, (heterogeneity_test(d, se)).subgroups",
                       "FROM studies WHERE false"))
check_true("no rows: the result is NULL", nrow(none) == 1 && none$is_null %in% c("t", "true", TRUE) && is.na(none$subgroups))
# NULL and non-positive std_error rows change nothing (the same as without them)
skip_cmp <- db_query(paste(
  "SELECT (heterogeneity_test(d, se)).* FROM studies WHERE cs = 1",
  "UNION ALL SELECT (heterogeneity_test(d, se)).* FROM (SELECT d, se FROM studies WHERE cs = 1",
  "  UNION ALL VALUES (NULL::float8, 1::float8), (5, NULL), (5, 0), (5, -2), (-7, '-0')) s"))
for (col in het_cols)
  check(sprintf("skipped rows added to a set: %s unchanged", col), skip_cmp[[col]][2], skip_cmp[[col]][1], rtol = 0)
cat(sprintf("r-meta: heterogeneity_test over %d generated and edge-case sets: %.0f s\n", length(cases),
            proc.time()[["elapsed"]] - t_start))

## ---------------------------------------------------- (d) parallel plans

n_par <- 4000
par_d <- c(rnorm(n_par / 2, 0.2, 1), runif(n_par / 2, -3, 3))
par_se <- 10^runif(n_par, -2, 1)
par_d[sample(n_par, 20)] <- NA
par_se[sample(n_par, 20)] <- NA
par_se[sample(n_par, 10)] <- 0
par_set <- data.frame(i = seq_len(n_par), d = par_d, se = par_se, grp = (seq_len(n_par) %% 3))
load_set("par_studies", par_set)
# wide rows (a few hundred pages), and a little work per row (busy()), so
# that the leader and both workers each aggregate a part
psql(c("ALTER TABLE par_studies ADD COLUMN filler text;",
       "UPDATE par_studies SET filler = repeat(md5(i::text), 30);",
       "VACUUM ANALYZE par_studies;",
       "CREATE FUNCTION busy(i float8) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$",
       "DECLARE x float8 := i; BEGIN FOR j IN 1..400 LOOP x := x + j; END LOOP; RETURN x > 0; END $f$;"))
par_on <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
            "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = on;")
serial <- "SET max_parallel_workers_per_gather = 0;"
par_q <- c(all = "SELECT 0 AS g, (heterogeneity_test(d, se)).* FROM par_studies WHERE busy(i)",
           by_group = "SELECT grp AS g, (heterogeneity_test(d, se)).* FROM par_studies WHERE busy(i) GROUP BY grp ORDER BY grp")
plan <- psql(c(par_on, sprintf("EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) %s;", par_q[["all"]])))
check_true("the parallel plan is a Gather over a Partial Aggregate with 2 workers launched",
           any(grepl("Partial Aggregate", plan)) && any(grepl("Gather", plan)) &&
           any(grepl("Workers Launched: 2", plan)))
scan <- grep("Parallel Seq Scan", plan)
worker_rows <- as.numeric(sub(".*rows=([0-9]+).*", "\\1",
                              grep("Worker [0-9]+: +actual.*rows=", plan[seq(scan, length(plan))], value = TRUE)))
split3 <- c(leader = n_par - sum(worker_rows), worker = worker_rows)
cat(sprintf("r-meta: parallel plan: rows aggregated by each participant: %s\n",
            paste(names(split3), split3, sep = " ", collapse = ", ")))
check_true("the parallel plan splits the rows into 3 parts (leader and 2 workers, each some)",
           length(worker_rows) == 2 && all(split3 > 0))
# the split into three parts, built with the aggregate's own state functions
agg <- db_query_set(character(), paste(
  "SELECT aggtransfn::text AS trans, aggcombinefn::text AS comb, aggfinalfn::text AS fin, agginitval AS init",
  "FROM pg_aggregate WHERE aggfnoid = 'heterogeneity_test(float8, float8)'::regprocedure"))
psql(sprintf("CREATE AGGREGATE meta_state_(float8, float8) (SFUNC = %s, STYPE = float8[], INITCOND = '%s');",
             agg$trans, agg$init))
split_q <- sprintf(paste(
  "SELECT 0 AS g, (%s(%s(%s(p1.s, p2.s), p3.s))).*",
  "FROM (SELECT meta_state_(d, se ORDER BY i) s FROM par_studies WHERE i <= 1000) p1,",
  "     (SELECT meta_state_(d, se ORDER BY i) s FROM par_studies WHERE i > 1000 AND i <= 1300) p2,",
  "     (SELECT meta_state_(d, se ORDER BY i) s FROM par_studies WHERE i > 1300) p3"), agg$fin, agg$comb, agg$comb)
split_q2 <- sprintf(paste(
  "SELECT 0 AS g, (%s(%s(p3.s, %s(p2.s, p1.s)))).*",
  "FROM (SELECT meta_state_(d, se ORDER BY i DESC) s FROM par_studies WHERE grp = 0) p1,",
  "     (SELECT meta_state_(d, se ORDER BY i DESC) s FROM par_studies WHERE grp = 1) p2,",
  "     (SELECT meta_state_(d, se ORDER BY i DESC) s FROM par_studies WHERE grp = 2) p3"), agg$fin, agg$comb, agg$comb)
ser <- lapply(par_q, function(q) db_query_set(serial, q))
par_res <- lapply(par_q, function(q) db_query_set(par_on, q))
for (nm in names(par_q))
  for (col in het_cols)
    check_vec(sprintf("parallel = serial (1e-12), %s: %s", nm, col), par_res[[nm]][[col]], ser[[nm]][[col]], rtol = 1e-12)
for (sq in list(list("rows 1-1000, 1001-1300, 1301-4000", split_q), list("i mod 3, reversed, merged 3 + (2 + 1)", split_q2))) {
  sp <- db_query_set(character(), sq[[2]])
  for (col in het_cols)
    check_vec(sprintf("3 states combined = serial (1e-12), %s: %s", sq[[1]], col), sp[[col]], ser$all[[col]], rtol = 1e-12)
}
# and both against R
par_ref <- ref_het(par_d, par_se, metafor = FALSE)
compare_het("4000 studies (the parallel set), serial", ser$all, par_ref)
compare_het("4000 studies (the parallel set), parallel", par_res$all, par_ref)
for (g in 0:2) {
  sel <- par_set$grp == g
  r <- ref_het(par_d[sel], par_se[sel])
  compare_het(sprintf("parallel set, group %d, parallel GROUP BY", g), par_res$by_group[par_res$by_group$g == g, , drop = FALSE],
              r)
}

cat(sprintf("r-meta: parallel plans done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------- (e) over cate_by's rows = over the raw rows

consistency <- function(label, table, ycol, tcol, gcol) {
  raw <- db_query(sprintf("SELECT (heterogeneity_test(%s, %s, %s)).* FROM %s", ycol, tcol, gcol, table))
  via <- db_query(sprintf(paste("SELECT (heterogeneity_test(s.estimate, s.std_error)).*",
                                "FROM (SELECT (unnest(cate_by(%s, %s, %s))).* FROM %s) s"), ycol, tcol, gcol, table))
  grp <- db_query(sprintf(paste("SELECT (heterogeneity_test(s.estimate, s.std_error)).*",
                                "FROM (SELECT %s AS g, (ate(%s, %s)).* FROM %s GROUP BY %s) s"),
                          gcol, ycol, tcol, table, gcol))
  if (isTRUE(raw$subgroups == 0)) {
    # no subgroup has a standard error (e.g. every subgroup holds one arm):
    # the subgroup form gives a row with subgroups = 0, the estimate form
    # NULL (it has no estimates at all)
    check_true(sprintf("%s: no subgroup with an SE: over unnest(cate_by) and GROUP BY ate is NULL", label),
               all(is.na(unlist(via))) && all(is.na(unlist(grp))))
    return(invisible(raw))
  }
  for (col in het_cols) {
    check_vec(sprintf("%s: over unnest(cate_by) = over the raw rows (1e-12): %s", label, col),
              via[[col]], raw[[col]], rtol = 1e-12)
    check_vec(sprintf("%s: over GROUP BY ate = over the raw rows (1e-12): %s", label, col),
              grp[[col]], raw[[col]], rtol = 1e-12)
  }
  invisible(raw)
}
for (g in c("schoolk", "ethnicity", "lunchk", "gender", "schoolidk", "stark"))
  consistency(sprintf("STAR by %s", g), "star", "y", "treated", g)
consistency("NSW by race", "nsw", "re78", "treat", "race")
# generated: 40 subgroups of different effects (both signs), one of a single
# treated row (no SE), one constant (SE 0), a NULL subgroup
n <- 5000
g <- sample(c(1:40, NA), n, replace = TRUE)
t <- runif(n) < 0.5
eff <- seq(-1, 1.5, length.out = 41)
y <- 5 + eff[ifelse(is.na(g), 41, g)] * t + rnorm(n, sd = 1 + (ifelse(is.na(g), 0, g) %% 5))
g <- c(g, 99, 99, 99, 98, 98, 98, 98); t <- c(t, TRUE, FALSE, FALSE, TRUE, TRUE, FALSE, FALSE)
y <- c(y, 1, 2, 3, 4, 4, 4, 4)
load_set("gen_sub", data.frame(y = y, t = t, g = g))
consistency("generated, 42 subgroups and NULL", "gen_sub", "y", "t", "g")
# large effects of both signs (a crossover), few subgroups
n <- 3000
g <- sample(1:4, n, replace = TRUE); t <- runif(n) < 0.4
y <- 1e4 + c(-300, 200, 500, -50)[g] * t + rnorm(n, sd = 100 * g)
load_set("gen_sub2", data.frame(y = y, t = t, g = g))
consistency("generated, 4 subgroups, crossover, y ~ 1e4", "gen_sub2", "y", "t", "g")
cat(sprintf("r-meta: heterogeneity_test done: %.0f s\n", proc.time()[["elapsed"]] - t_start))

## ------------------------------------------------------------- (f) errors

for (bad in c("NaN", "Infinity", "-Infinity")) {
  expect_error(sprintf("estimate %s -> class 22", bad),
               sprintf("SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 0.5::float8), ('%s', 0.2)) v(d, se)", bad), "22")
  expect_error(sprintf("std_error %s -> class 22", bad),
               sprintf("SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 0.5::float8), (2, '%s')) v(d, se)", bad), "22")
  expect_error(sprintf("estimate %s, the only row -> class 22", bad),
               sprintf("SELECT heterogeneity_test('%s'::float8, 1::float8)", bad), "22")
}
expect_error("std_error 1e-200 (1/se^2 overflows) -> 22003",
             "SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 0.5::float8), (2, 1e-200)) v(d, se)", "22003")
expect_error("std_error 1e-200, the only row -> 22003", "SELECT heterogeneity_test(1::float8, 1e-200::float8)", "22003")
expect_error("std_error 1e-100 and 0.5 (1/se^2 and the product of the weights fit) -> no error",
             "SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 0.5::float8), (2, 1e-100)) v(d, se)", "none")
expect_error("std_error 1e-100 twice (the product of the two weights overflows) -> 22003",
             "SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 1e-100::float8), (2, 1e-100)) v(d, se)", "22003")
expect_error("estimate 1e300, std_error 1e-10 (estimate / se overflows) -> 22003",
             "SELECT heterogeneity_test(1e300::float8, 1e-10::float8)", "22003")
expect_error("a NULL estimate with std_error 1e-200 is skipped, no error",
             "SELECT heterogeneity_test(d, se) FROM (VALUES (1::float8, 0.5::float8), (NULL, 1e-200)) v(d, se)", "none")
expect_error("a valid call raises nothing", "SELECT heterogeneity_test(d, se) FROM studies", "none")
run_error_cases()
# in a parallel plan (straight through psql: a statement run by the PL/pgSQL
# catcher is planned without parallelism), the bad row in a worker's part
sqlstate_set <- function(settings, sql) {
  f <- file.path(work, "e.sql")
  writeLines(c("\\set VERBOSITY verbose", settings, sql), f)
  out <- suppressWarnings(system2("psql", c("-X", "-q", "-d", db, "-f", f), stdout = TRUE, stderr = TRUE))
  m <- regmatches(out, regexpr("ERROR:  [0-9A-Z]{5}", out))
  if (length(m) == 0) "none" else sub("ERROR:  ", "", m[1])
}
for (bad in c("NaN", "Infinity", "-Infinity")) for (col in c("d", "se")) {
  q <- sprintf("SELECT heterogeneity_test(%s) FROM par_studies WHERE busy(i);",
               if (col == "d") sprintf("CASE WHEN i::int %% 1000 = 999 THEN '%s'::float8 ELSE d END, se", bad)
               else sprintf("d, CASE WHEN i::int %% 1000 = 999 THEN '%s'::float8 ELSE se END", bad))
  got <- sqlstate_set(par_on, q)
  lab <- sprintf("%s %s in a parallel plan -> class 22", if (col == "d") "estimate" else "std_error", bad)
  if (substr(got, 1, 2) != "22") cat(sprintf("FAIL %s: got %s\n", lab, got))
  check(lab, as.numeric(substr(got, 1, 2) == "22"), 1, 0)
}
plan_err <- psql(c(par_on, "EXPLAIN (COSTS OFF) SELECT heterogeneity_test(CASE WHEN i::int % 1000 = 999 THEN 'NaN'::float8 ELSE d END, se) FROM par_studies WHERE busy(i);"))
check_true("the NaN statement's plan is parallel", any(grepl("Partial Aggregate", plan_err)))

## ---------------------------------------------------------- p_adjusted

# partitions of random sizes 1..300 (and a one-row one, an all-NULL one, a
# large one), NULLs, ties, p = 0 and p = 1
parts <- list()
sizes <- c(1, 2, 3, sample(1:300, 9), 300, 1, 4)
for (j in seq_along(sizes)) {
  k <- sizes[j]
  p <- runif(k)^sample(c(1, 3, 6), 1)
  if (k > 3) p[sample(k, min(k %/% 4, 30))] <- sample(p, 1)             # ties
  if (k > 5) p[sample(k, 2)] <- 0
  if (k > 6) p[sample(k, 2)] <- 1
  if (k > 2) p[sample(k, max(1, k %/% 10))] <- NA                      # NULLs
  if (j == length(sizes) - 1) p <- NA_real_                             # a partition of only a NULL
  if (j == length(sizes)) p <- c(NA, NA, 0.5, NA)                        # one valid p
  parts[[j]] <- data.frame(g = j, p = p)
}
padj <- do.call(rbind, parts)
padj <- padj[sample(nrow(padj)), ]                                       # rows in no order
padj$id <- seq_len(nrow(padj))
load_set("padj", padj[, c("id", "g", "p")])

windows <- c(
  plain = "PARTITION BY g",
  desc_rows_1 = "PARTITION BY g ORDER BY p DESC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW",
  by_id = "PARTITION BY g ORDER BY id",
  only_current = "PARTITION BY g ORDER BY p NULLS FIRST ROWS BETWEEN CURRENT ROW AND CURRENT ROW",
  groups_ahead = "PARTITION BY g ORDER BY id GROUPS BETWEEN 2 FOLLOWING AND 5 FOLLOWING",
  range_excl = "PARTITION BY g ORDER BY p RANGE BETWEEN 0.1 PRECEDING AND 0.05 FOLLOWING EXCLUDE CURRENT ROW")
for (m in c(methods, "fdr", "default")) {
  arg <- if (m == "default") "p" else sprintf("p, '%s'", m)
  rm <- if (m == "default") "holm" else if (m == "fdr") "BH" else m
  sel <- paste(sprintf("p_adjusted(%s) OVER (%s) AS w_%s", arg, windows, names(windows)), collapse = ", ")
  arr_m <- if (m == "default") "" else sprintf(", '%s'", m)
  q <- sprintf(paste(
    "WITH arr AS (SELECT g, p_adjust(array_agg(p ORDER BY id)%s) a FROM padj GROUP BY g),",
    "     arr_rows AS (SELECT arr.g, u.v, u.n FROM arr, unnest(arr.a) WITH ORDINALITY u(v, n)),",
    "     win AS (SELECT id, g, p, %s, p_adjusted(%s) OVER () AS w_whole,",
    "             row_number() OVER (PARTITION BY g ORDER BY id) AS n FROM padj)",
    "SELECT win.*, arr_rows.v AS arr FROM win JOIN arr_rows USING (g, n) ORDER BY id"), arr_m, sel, arg)
  r <- db_query(q)
  r <- r[order(r$id), ]
  for (j in sort(unique(padj$g))) {
    rows_j <- r[r$g == j, ]
    rows_j <- rows_j[order(rows_j$id), ]
    ref <- p.adjust(padj$p[padj$g == j][order(padj$id[padj$g == j])], method = rm)
    for (w in names(windows))
      check_vec(sprintf("p_adjusted [%s] partition %d (%d rows) OVER (%s)", m, j, nrow(rows_j), windows[[w]]),
                rows_j[[paste0("w_", w)]], ref, rtol = 1e-12)
    check_vec(sprintf("p_adjust(float8[]) [%s] partition %d = p_adjusted", m, j), rows_j$arr, rows_j$w_plain, rtol = 1e-12)
  }
  check_vec(sprintf("p_adjusted [%s] OVER () (%d rows, one partition)", m, nrow(r)), r$w_whole,
            p.adjust(padj$p[order(padj$id)], method = rm), rtol = 1e-12)
}
# with other window functions and a WHERE, in a subquery
sub <- db_query(paste("SELECT id, g, p, adj, rk FROM (SELECT id, g, p, p_adjusted(p, 'BY') OVER w AS adj,",
                      "rank() OVER w AS rk FROM padj WHERE g <= 5 WINDOW w AS (PARTITION BY g ORDER BY p)) s ORDER BY id"))
ref <- rep(NA_real_, nrow(sub))
for (ix in split(seq_len(nrow(sub)), sub$g)) ref[ix] <- p.adjust(sub$p[ix], method = "BY")
check_vec("p_adjusted [BY] with rank() over the same named window, WHERE g <= 5", sub$adj, ref, rtol = 1e-12)

# errors
valid <- c("\"none\"", "\"bonferroni\"", "\"holm\"", "\"hochberg\"", "\"BH\"", "\"BY\"")
expect_error("p_adjusted: unknown method -> 22023, listing the valid ones",
             "SELECT p_adjusted(p, 'sidak') OVER (PARTITION BY g) FROM padj", "22023", c("sidak", valid))
expect_error("p_adjusted: unknown method, a one-row table -> 22023",
             "SELECT p_adjusted(0.5, 'holms') OVER ()", "22023", valid)
expect_error("p_adjusted: empty method -> 22023", "SELECT p_adjusted(0.5, '') OVER ()", "22023", valid)
for (bad in c("1.5", "-0.01", "1.0000000000000002", "NaN", "Infinity", "-Infinity"))
  expect_error(sprintf("p_adjusted: p = %s -> 22023", bad),
               sprintf("SELECT p_adjusted(CASE WHEN id = 7 THEN '%s'::float8 ELSE p END, 'BH') OVER (PARTITION BY g) FROM padj", bad),
               "22023")
expect_error("p_adjusted: NULL method -> 22004", "SELECT p_adjusted(p, NULL) OVER (PARTITION BY g) FROM padj", "22004")
expect_error("p_adjusted: NULL method on one row -> 22004",
             "SELECT p_adjusted(p, CASE WHEN id = 100 THEN NULL ELSE 'holm' END) OVER (PARTITION BY g ORDER BY id) FROM padj",
             "22004")
expect_error("p_adjusted: NULL method, a NULL p -> 22004", "SELECT p_adjusted(NULL::float8, NULL::text) OVER ()", "22004")
expect_error("p_adjusted: different methods in one partition -> 22023",
             "SELECT p_adjusted(p, CASE WHEN id::int % 2 = 0 THEN 'holm' ELSE 'BH' END) OVER (PARTITION BY g) FROM padj", "22023")
expect_error("p_adjusted: a method differing only on the last row -> 22023",
             sprintf("SELECT p_adjusted(p, CASE WHEN id = %d THEN 'none' ELSE 'BY' END) OVER (ORDER BY id) FROM padj", nrow(padj)),
             "22023")
expect_error("p_adjusted: one method per partition, different partitions -> no error",
             "SELECT p_adjusted(p, CASE WHEN g::int % 2 = 0 THEN 'holm' ELSE 'BH' END) OVER (PARTITION BY g) FROM padj", "none")
run_error_cases()

cat(sprintf("r-meta: %d NOTEs (metafor's own rounding), %.0f s\n", notes, proc.time()[["elapsed"]] - t_start))
finish("r-meta")
