# Cross-check of the repeated-looks functions against the R reference of
# test/r/ref_sequential.R (written from the SPEC's definitions, base R +
# stats; rpact for a second opinion on the bounds):
#   ate_sequential(y, t [, planned_n])  every column on the prefixes of
#       generated data (normal, lognormal, binary with a boolean y, unequal
#       arms, NULLs, a thin start) and STAR through the window form
#       OVER (ORDER BY i) (every prefix up to 60 rows, then every 4th or so);
#       both forms (planned_n 1000 by default), all 16 overloads, 90% and 99%
#       levels, planned_n 1 and 1e9, GROUP BY; 1e-9 relative (with a floor
#       of 1e-9 of the half-width for bounds near 0); the SPEC's identities
#       on every row; thin data; the fixed-n columns = ate()'s; parallel =
#       serial (1e-12); error SQLSTATEs
#   sequential_bounds(t, alpha, spending)  against the converged recursion of
#       the reference: |critical_z| within 1e-8 (the reference is converged
#       to ~1e-14: grid refinement, and an independent semi-analytic route for
#       2-4 looks), and within a bracket that follows from the closed forms
#       alone; against rpact where rpact is accurate (1e-7; elsewhere the
#       differences are printed); partial sets (the same first rows); 1 and
#       100 looks; DEFAULTs, named arguments, STRICT; error SQLSTATEs
#   a simulation: 500 null trials of 1000 rows (generated in SQL), looked at
#       every 50 rows through a window per trial: the share that ever has
#       always_valid_p_value < 0.05 is at most 0.05 + 3 Monte Carlo SE, the
#       plain p_value's share is inflated (> 0.1); the power at an effect of
#       0.2 SD for both (200 trials, printed)
#
# Usage (inside a cluster with hte installed, PG* variables set):
#   Rscript test/r/check_sequential.R <repo top>
# Ends with "r-sequential: N passed, M failed"; exits non-zero on failure.

args <- commandArgs(trailingOnly = TRUE)
top <- if (length(args) >= 1) args[1] else "."
source(file.path(top, "test/r/common.R"))
source(file.path(top, "test/r/ref_sequential.R"))
db <- "hte_rcheck_sequential"
setup_db(top)
set.seed(20261220)
t_start <- proc.time()[["elapsed"]]
t_marks <- c()
tick <- function(what) t_marks[what] <<- proc.time()[["elapsed"]] - t_start

## ---------------------------------------------------------------- helpers

db_bool <- function(x) as.character(x) %in% c("t", "true", "TRUE")
check_true <- function(label, cond) {
  if (!isTRUE(cond)) cat(sprintf("FAIL %s\n", label))
  check(label, as.numeric(isTRUE(cond)), 1, 0)
}
same_text <- function(label, ours, ref) {
  ok <- identical(as.character(ours), as.character(ref))
  if (!ok) cat(sprintf("FAIL %s: ours=%s R=%s\n", label, paste(ours, collapse = "|"), paste(ref, collapse = "|")))
  check(label, as.numeric(ok), 1, 0)
}

# One check over whole columns: NULL (NA) must match NULL, a number must be
# within atol + rtol |ref| (atol may be a vector); NaN and Infinity in ours
# only where the reference has them.  The first failing rows are printed.
check_vec <- function(label, ours, ref, rtol = tol, atol = 0, at = seq_along(ref)) {
  ours <- suppressWarnings(as.numeric(ours)); ref <- as.numeric(ref)
  if (length(ours) != length(ref)) {
    cat(sprintf("FAIL %s: %d values, want %d\n", label, length(ours), length(ref)))
    return(check(label, 0, 1, 0))
  }
  atol <- rep_len(atol, length(ref)); atol[is.na(atol)] <- 0
  null_ref <- is.na(ref) & !is.nan(ref)
  null_ours <- is.na(ours) & !is.nan(ours)
  close <- !is.na(ours) & !is.na(ref) & (ours == ref | abs(ours - ref) <= atol + rtol * abs(ref))
  good <- ifelse(null_ref, null_ours, !null_ours & close)
  good[is.na(good)] <- FALSE
  if (all(good)) return(check(label, 1, 1, 0))
  bad <- which(!good)
  cat(sprintf("FAIL %s: %d of %d values\n", label, length(bad), length(ref)))
  for (i in head(bad, 5))
    cat(sprintf("     at %s: ours=%.17g R=%.17g rel=%.3g\n", format(at[i]), ours[i], ref[i],
                abs(ours[i] - ref[i]) / abs(ref[i])))
  check(label, 0, 1, 0)
}

# db_query with settings before the COPY (parallel plans); NULL on an error.
db_query_set <- function(settings, select_sql, level = 0.95) {
  out <- tryCatch(psql(c(sprintf("SET hte.confidence_level = %s;", format(level, digits = 17)), settings,
                         sprintf("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N');", select_sql))),
                  error = function(e) NULL)
  if (is.null(out)) return(NULL)
  read.csv(text = out, stringsAsFactors = FALSE, na.strings = "\\N")
}

# Several SELECTs with the same columns, the first an ordering key k_, as one
# query (one psql run): a data frame per SELECT, rows in k_ order, without
# k_.  If the whole fails, each runs on its own; a failing one gives NULL and
# a FAIL.
db_batch <- function(selects, level = 0.95, settings = character()) {
  one <- function(sel) sprintf("SELECT * FROM (%s) s ORDER BY k_", sel)
  strip <- function(x) { x$k_ <- NULL; rownames(x) <- NULL; x }
  parts <- sprintf("SELECT %d AS q_, s%d.* FROM (%s) s%d", seq_along(selects), seq_along(selects),
                   selects, seq_along(selects))
  r <- db_query_set(settings, sprintf("SELECT * FROM (%s) u ORDER BY q_, k_", paste(parts, collapse = " UNION ALL ")),
                    level)
  if (!is.null(r))
    return(lapply(seq_along(selects), function(j) { x <- r[r$q_ == j, , drop = FALSE]; x$q_ <- NULL; strip(x) }))
  lapply(selects, function(sel) {
    x <- db_query_set(settings, one(sel), level)
    if (is.null(x)) {
      cat(sprintf("FAIL query failed: %s\n", sel))
      check("query runs", 0, 1, 0)
      return(NULL)
    }
    strip(x)
  })
}

# SQLSTATE (and message and hint) of the error each statement raises, "none"
# if it succeeds: one query through a PL/pgSQL catcher.
psql(c("CREATE FUNCTION state_of(q text) RETURNS text LANGUAGE plpgsql AS $f$",
       "DECLARE m text; h text;",
       "BEGIN",
       "  EXECUTE q;",
       "  RETURN 'none';",
       "EXCEPTION WHEN OTHERS THEN",
       "  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;",
       "  RETURN SQLSTATE || ' ' || coalesce(m, '') || ' ' || coalesce(h, '');",
       "END $f$;"))
error_cases <- list()
expect_error <- function(label, sql, want) error_cases[[length(error_cases) + 1]] <<- list(label = label, sql = sql, want = want)
run_error_cases <- function() {
  sels <- vapply(seq_along(error_cases), function(k)
    sprintf("SELECT %d::float8 AS k_, state_of($hteq$%s$hteq$) AS s", k, error_cases[[k]]$sql), "")
  res <- db_batch(sels)
  for (k in seq_along(error_cases)) {
    e <- error_cases[[k]]
    got <- if (is.null(res[[k]]) || nrow(res[[k]]) != 1) "(no answer)" else res[[k]]$s
    state <- substr(got, 1, 5)
    ok <- if (nchar(e$want) == 2) substr(state, 1, 2) == e$want && state != "none" else state == e$want
    if (!ok) cat(sprintf("FAIL %s: got %s, want %s\n", e$label, got, e$want))
    check(e$label, as.numeric(ok), 1, 0)
  }
  error_cases <<- list()
  invisible(res)
}

## ------------------------------------------------ ate_sequential: the data

# Thin start on purpose: rows 1-3 are treated, treated, control, so the first
# prefixes have an empty control arm, then a one-row arm.
gen_set <- function(n, p_treat, ygen) {
  t <- runif(n) < p_treat
  t[1:3] <- c(TRUE, TRUE, FALSE)
  data.frame(i = seq_len(n), y = ygen(n, t), t = t)
}
sets <- list()
sets$s_normal <- gen_set(2000, 0.5, function(n, t) rnorm(n, 10 + 0.3 * t, 2))
sets$s_lognormal <- gen_set(3000, 0.5, function(n, t) rlnorm(n, 0.2 * t, 1.2))
sets$s_unequal <- gen_set(1500, 0.1, function(n, t) rnorm(n, 1 + 0.5 * t, 1 + t))
b <- gen_set(2000, 0.5, function(n, t) as.numeric(runif(n) < 0.25 + 0.07 * t))
b$y[1:6] <- 0                             # both arms constant at first: std_error 0
b$yb <- b$y == 1
sets$s_binary <- b
g <- gen_set(500, 0.5, function(n, t) rnorm(n, 0.2 * t))
g$y[c(2, 40, 41, 300)] <- NA; g$t[c(5, 77, 301)] <- NA
sets$s_nulls <- g
# thin: a first row with a NULL y (prefix 1 has zero rows: NULL), an empty
# control arm, a one-row control arm, std_error 0, then ordinary rows
sets$s_thin <- data.frame(i = 1:9, y = c(NA, 1, 1, 3, 3, 2, 5, 0.5, 4),
                          t = c(TRUE, TRUE, TRUE, FALSE, FALSE, TRUE, FALSE, TRUE, FALSE))
for (nm in names(sets)) load_set(nm, sets[[nm]])
star <- read_star(top)
star <- star[order(star$id), ]
tick("data")

## --------------------------------------------- ate_sequential: comparison

row_of <- function(R) as.data.frame(R[ref_seq_cols])

# Compare database rows r with reference rows ref (same order), every column.
# yscale: the size of the outcomes (an absolute floor for the difference of
# two means, each rounded at its own ulp).
cmp_cols <- function(label, r, ref, yscale, at = seq_len(nrow(ref))) {
  L <- function(col) sprintf("%s %s", label, col)
  if (is.null(r)) return(invisible())
  same_text(L("column names"), names(r), ref_seq_cols)
  if (!identical(names(r), ref_seq_cols) || nrow(r) != nrow(ref)) {
    check(L("rows"), nrow(r), nrow(ref), 0)
    return(invisible())
  }
  a_est <- 1e-12 * yscale
  hw <- ref$cs_upper - ref$cs_lower                    # 2 std_error factor
  hci <- ref$ci_upper - ref$ci_lower
  check_vec(L("estimate"), r$estimate, ref$estimate, 1e-9, a_est, at)
  check_vec(L("std_error"), r$std_error, ref$std_error, 1e-9, 0, at)
  check_vec(L("cs_lower"), r$cs_lower, ref$cs_lower, 1e-9, 1e-9 * hw + a_est, at)
  check_vec(L("cs_upper"), r$cs_upper, ref$cs_upper, 1e-9, 1e-9 * hw + a_est, at)
  check_vec(L("always_valid_p_value"), r$always_valid_p_value, ref$always_valid_p_value, 1e-9, 0, at)
  check_vec(L("ci_lower"), r$ci_lower, ref$ci_lower, 1e-9, 1e-9 * hci + a_est, at)
  check_vec(L("ci_upper"), r$ci_upper, ref$ci_upper, 1e-9, 1e-9 * hci + a_est, at)
  check_vec(L("p_value"), r$p_value, ref$p_value, 1e-9, 0, at)
  for (col in c("n_treated", "n_control", "planned_n"))
    check_vec(L(col), r[[col]], ref[[col]], 0, 0, at)
}

# The SPEC's identities on every database row.
seq_identities <- function(label, r, level) {
  if (is.null(r) || !all(ref_seq_cols %in% names(r))) return(invisible())
  L <- function(what) sprintf("%s identity: %s", label, what)
  alpha <- 1 - level
  p <- r$always_valid_p_value
  has_p <- !is.na(p) & !is.na(r$cs_lower)
  near <- has_p & abs(p / alpha - 1) < 1e-9
  outside <- r$cs_lower > 0 | r$cs_upper < 0
  bad <- has_p & !near & ((p < alpha) != outside)
  check_true(L(sprintf("p_av < alpha <=> 0 outside [cs_lower, cs_upper] (%d rows, %d excluding 0)",
                       sum(has_p & !near), sum(has_p & !near & outside))), !any(bad))
  check_true(L("0 <= always_valid_p_value <= 1"), all(p[!is.na(p)] >= 0 & p[!is.na(p)] <= 1))
  n <- r$n_treated + r$n_control
  f <- ref_seq_factor(n * ref_seq_rho2(alpha, r$planned_n), alpha)
  pos <- which(!is.na(r$std_error) & r$std_error > 0)
  est <- r$estimate[pos]; se <- r$std_error[pos]
  check_vec(L("(cs_upper - cs_lower) / 2 = std_error sqrt((v+1)/v ln((v+1)/a^2))"),
            (r$cs_upper[pos] - r$cs_lower[pos]) / 2, f[pos] * se, 1e-9, 1e-12 * abs(est), pos)
  check_vec(L("(cs_lower + cs_upper) / 2 = estimate"), (r$cs_lower[pos] + r$cs_upper[pos]) / 2, est,
            0, 1e-12 * (abs(est) + f[pos] * se), pos)
  # the p-value is the alpha' at which 0 is on the sequence's edge (rho kept)
  v <- (n * ref_seq_rho2(alpha, r$planned_n))[pos]
  pp <- p[pos]
  edge <- which(!is.na(pp) & pp < 1 & pp > 1e-300)
  check_vec(L("sqrt((v+1)/v ln((v+1)/p_av^2)) = |estimate| / std_error"),
            sqrt((v[edge] + 1) / v[edge] * log((v[edge] + 1) / pp[edge]^2)), abs(est[edge]) / se[edge],
            1e-9, 0, pos[edge])
  zero <- which(!is.na(r$std_error) & r$std_error == 0)
  check_true(L(sprintf("std_error 0 (%d rows): cs_lower = cs_upper = estimate, p-values and ci NULL",
                       length(zero))),
             all(r$cs_lower[zero] == r$estimate[zero] & r$cs_upper[zero] == r$estimate[zero] &
                 is.na(r$always_valid_p_value[zero]) & is.na(r$p_value[zero]) &
                 is.na(r$ci_lower[zero]) & is.na(r$ci_upper[zero])))
}

# Self-check of the reference: its Welch columns are t.test's, its half-width
# the paper's form, the SPEC's ratio table.
for (nm in c("s_normal", "s_lognormal", "s_unequal")) {
  d <- sets[[nm]]
  for (level in c(0.95, 0.9)) {
    R <- ref_ate_sequential(d$y, d$t, 2000, level)
    tt <- t.test(d$y[d$t], d$y[!d$t], var.equal = FALSE, conf.level = level)
    check(sprintf("%s reference [%s]: ci_lower = t.test", nm, level), R$ci_lower, tt$conf.int[1], 1e-12)
    check(sprintf("%s reference [%s]: ci_upper = t.test", nm, level), R$ci_upper, tt$conf.int[2], 1e-12)
    check(sprintf("%s reference [%s]: p_value = t.test", nm, level), R$p_value, tt$p.value, 1e-12)
    check(sprintf("%s reference [%s]: std_error = t.test", nm, level), R$std_error, tt$stderr, 1e-12)
  }
}
for (n in c(20, 1000, 2000, 1e5))
  check(sprintf("reference: closed-form half-width = Waudby-Smith et al. form, n = %g", n),
        ref_seq_factor(n * ref_seq_rho2(0.05, 2000), 0.05), ref_seq_wsaks(n, 0.05, 2000), 1e-13)
spec_ratio <- c(4.6, 2.4, 1.97, 1.57, 1.55, 1.56, 1.65, 1.82)   # SPEC, to the digits printed there
spec_digits <- c(1, 1, 2, 2, 2, 2, 2, 2)
rt <- ref_seq_ratio_table(0.05)
for (k in seq_along(spec_ratio))
  check(sprintf("reference: half-width ratio at n/planned_n = %g is %s", rt$n_over_planned[k], spec_ratio[k]),
        rt$ratio[k], spec_ratio[k], 0, 0.5 * 10^-spec_digits[k] + 1e-12)

# The window jobs: ate_sequential(args) OVER (ORDER BY order) on a table,
# against the reference on every prefix up to 60 rows, then every `every`-th
# and the last; the identities on every row.
win_job <- function(label, args, table, y, t, planned_n, level = 0.95, every = 4L, order = "i", ref_key = NULL)
  list(label = label, args = args, table = table, y = y, t = t, planned_n = planned_n, level = level,
       every = every, order = order, ref_key = ref_key)
jobs <- list(
  win_job("s_normal (n* 2000)", "y, t, 2000", "s_normal", sets$s_normal$y, sets$s_normal$t, 2000, ref_key = "normal"),
  win_job("s_lognormal (n* 2000)", "y, t, 2000", "s_lognormal", sets$s_lognormal$y, sets$s_lognormal$t, 2000),
  win_job("s_unequal (n* 500)", "y, t, 500", "s_unequal", sets$s_unequal$y, sets$s_unequal$t, 500),
  win_job("s_binary float8 y (n* 1000)", "y, t, 1000", "s_binary", sets$s_binary$y, sets$s_binary$t, 1000,
          ref_key = "binary"),
  win_job("s_binary boolean y (n* 1000)", "yb, t, 1000", "s_binary", sets$s_binary$y, sets$s_binary$t, 1000,
          ref_key = "binary"),
  win_job("s_nulls (n* 400)", "y, t, 400", "s_nulls", sets$s_nulls$y, sets$s_nulls$t, 400, every = 1L),
  win_job("s_thin", "y, t, 2000", "s_thin", sets$s_thin$y, sets$s_thin$t, 2000, every = 1L),
  win_job("s_normal two-argument form (n* 1000)", "y, t", "s_normal", sets$s_normal$y, sets$s_normal$t, 1000),
  win_job("s_lognormal two-argument form, integer treatment", "y, t::int", "s_lognormal",
          sets$s_lognormal$y, sets$s_lognormal$t, 1000, every = 7L),
  win_job("s_normal smallint treatment", "y, t::int::smallint, 2000", "s_normal", sets$s_normal$y, sets$s_normal$t,
          2000, ref_key = "normal"),
  win_job("s_normal integer treatment", "y, t::int, 2000", "s_normal", sets$s_normal$y, sets$s_normal$t, 2000,
          ref_key = "normal"),
  win_job("s_normal bigint treatment", "y, t::int::bigint, 2000", "s_normal", sets$s_normal$y, sets$s_normal$t,
          2000, ref_key = "normal"),
  win_job("STAR in id order (n* 3000)", "y, treated, 3000", "star", star$y, star$treated, 3000, every = 9L,
          order = "id"),
  win_job("s_normal 90%", "y, t, 2000", "s_normal", sets$s_normal$y, sets$s_normal$t, 2000, level = 0.9),
  win_job("s_binary 90%, boolean y, bigint treatment", "yb, t::int::bigint, 300", "s_binary",
          sets$s_binary$y, sets$s_binary$t, 300, level = 0.9, every = 8L),
  win_job("s_unequal 99%", "y, t, 1500", "s_unequal", sets$s_unequal$y, sets$s_unequal$t, 1500, level = 0.99,
          every = 6L))
ref_cache <- list()
for (level in unique(vapply(jobs, `[[`, 0, "level"))) {
  js <- Filter(function(j) j$level == level, jobs)
  res <- db_batch(vapply(js, function(j)
    sprintf("SELECT %s::float8 AS k_, (ate_sequential(%s) OVER (ORDER BY %s)).* FROM %s", j$order, j$args, j$order,
            j$table), ""), level)
  for (m in seq_along(js)) {
    j <- js[[m]]; r <- res[[m]]
    label <- sprintf("window %s", j$label)
    if (is.null(r)) next
    n <- length(j$y)
    check(sprintf("%s rows", label), nrow(r), n, 0)
    if (nrow(r) != n) next
    rows <- sort(unique(c(seq_len(min(n, 60)), seq(j$every, n, by = j$every), n)))
    key <- if (is.null(j$ref_key)) "" else sprintf("%s %g %g", j$ref_key, j$planned_n, level)
    ref <- if (nzchar(key) && !is.null(ref_cache[[key]])) ref_cache[[key]] else
      ref_ate_sequential_prefixes(j$y, j$t, j$planned_n, level, rows)
    if (nzchar(key)) ref_cache[[key]] <- ref
    cmp_cols(label, r[rows, , drop = FALSE], ref, max(abs(j$y), na.rm = TRUE), rows)
    seq_identities(label, r, level)
  }
}
tick("windows")

# plain aggregates, one query: every overload (y float8 / boolean x four
# treatment types x two forms); the SPEC's ratio table (n = 2000 rows,
# planned_n = n / ratio); planned_n 1 and 1e9; GROUP BY
agg <- list()
add_agg <- function(label, sql, ref, yscale) agg[[length(agg) + 1]] <<- list(label = label, sql = sql, ref = ref, yscale = yscale)
sb <- sets$s_binary; sn <- sets$s_normal; sl <- sets$s_lognormal
for (yv in c("y", "yb")) for (ty in c("boolean", "smallint", "integer", "bigint")) for (form in 2:3) {
  tsql <- if (ty == "boolean") "t" else sprintf("t::int::%s", ty)
  a <- if (form == 3) sprintf("%s, %s, 700", yv, tsql) else sprintf("%s, %s", yv, tsql)
  add_agg(sprintf("aggregate ate_sequential(%s)", a),
          sprintf("SELECT 0::float8 AS k_, (ate_sequential(%s)).* FROM s_binary", a),
          row_of(ref_ate_sequential(sb$y, sb$t, if (form == 3) 700 else 1000)), 1)
}
pn_ratio <- round(2000 / rt$n_over_planned)
for (k in seq_along(pn_ratio))
  add_agg(sprintf("aggregate s_normal n/planned_n = %g", rt$n_over_planned[k]),
          sprintf("SELECT 0::float8 AS k_, (ate_sequential(y, t, %d)).* FROM s_normal", pn_ratio[k]),
          row_of(ref_ate_sequential(sn$y, sn$t, pn_ratio[k])), max(abs(sn$y)))
for (pn in c(1, 1e9))
  add_agg(sprintf("aggregate s_lognormal planned_n %.0f", pn),
          sprintf("SELECT 0::float8 AS k_, (ate_sequential(y, t, %.0f)).* FROM s_lognormal", pn),
          row_of(ref_ate_sequential(sl$y, sl$t, pn)), max(sl$y))
add_agg("GROUP BY i % 3",
        "SELECT (i::int % 3)::float8 AS k_, (ate_sequential(y, t, 1000)).* FROM s_lognormal GROUP BY 1",
        do.call(rbind, lapply(0:2, function(g) {
          k <- sl$i %% 3 == g
          row_of(ref_ate_sequential(sl$y[k], sl$t[k], 1000))
        })), max(sl$y))
# thin data, plain
st <- sets$s_thin
thin <- list(list("empty control arm", "s_thin WHERE t", st$t %in% TRUE, "y, t, 2000", 2000),
             list("empty treated arm, two-argument form", "s_thin WHERE NOT t", st$t %in% FALSE, "y, t", 1000),
             list("one control row", "s_thin WHERE i <= 4", 1:9 <= 4, "y, t, 2000", 2000),
             list("std_error 0", "s_thin WHERE i <= 5", 1:9 <= 5, "y, t, 2000", 2000))
for (th in thin)
  add_agg(sprintf("thin: %s", th[[1]]), sprintf("SELECT 0::float8 AS k_, (ate_sequential(%s)).* FROM %s", th[[4]], th[[2]]),
          row_of(ref_ate_sequential(st$y[th[[3]]], st$t[th[[3]]], th[[5]])), 10)
n_agg_fixed <- length(agg)
for (nm in c("s_normal", "s_lognormal", "s_unequal", "s_nulls"))
  add_agg(sprintf("aggregate %s (n* 2000)", nm), sprintf("SELECT 0::float8 AS k_, (ate_sequential(y, t, 2000)).* FROM %s", nm),
          row_of(ref_ate_sequential(sets[[nm]]$y, sets[[nm]]$t, 2000)), max(abs(sets[[nm]]$y), na.rm = TRUE))
res <- db_batch(vapply(agg, `[[`, "", "sql"))
for (m in seq_along(agg)) cmp_cols(agg[[m]]$label, res[[m]], agg[[m]]$ref, agg[[m]]$yscale)
for (k in seq_along(pn_ratio)) {
  r <- res[[which(vapply(agg, `[[`, "", "label") == sprintf("aggregate s_normal n/planned_n = %g", rt$n_over_planned[k]))]]
  if (is.null(r)) next
  check(sprintf("aggregate s_normal: half-width / (std_error z_0.975) at n/planned_n = %g is %s",
                rt$n_over_planned[k], spec_ratio[k]),
        (r$cs_upper - r$cs_lower) / (2 * r$std_error * qnorm(0.975)), spec_ratio[k], 0, 0.5 * 10^-spec_digits[k] + 1e-12)
}
thin_res <- res[n_agg_fixed - 3:0]
if (!any(vapply(thin_res, is.null, TRUE))) {
  r <- thin_res[[1]]
  check_true("thin: empty control arm -> counts and planned_n only",
             r$n_treated == 4 && r$n_control == 0 && r$planned_n == 2000 && all(is.na(unlist(r[1:8]))))
  r <- thin_res[[2]]
  check_true("thin: empty treated arm -> counts and planned_n 1000 only",
             r$n_treated == 0 && r$n_control == 4 && r$planned_n == 1000 && all(is.na(unlist(r[1:8]))))
  r <- thin_res[[3]]
  check_true("thin: one-row arm -> estimate only", !is.na(r$estimate) && all(is.na(unlist(r[2:8]))))
  r <- thin_res[[4]]
  check_true("thin: std_error 0 -> cs_lower = cs_upper = estimate, the rest NULL",
             isTRUE(r$std_error == 0 && r$cs_lower == r$estimate && r$cs_upper == r$estimate) &&
             all(is.na(unlist(r[c("always_valid_p_value", "ci_lower", "ci_upper", "p_value")]))))
}
# the fixed-n columns are ate()'s
a_res <- db_batch(sprintf("SELECT 0::float8 AS k_, (ate(y, t)).* FROM %s", c("s_normal", "s_lognormal", "s_unequal", "s_nulls")))
for (m in 1:4) {
  a <- a_res[[m]]; s <- res[[n_agg_fixed + m]]
  if (is.null(a) || is.null(s)) next
  for (col in c("estimate", "std_error", "ci_lower", "ci_upper", "p_value", "n_treated", "n_control"))
    check(sprintf("%s: ate_sequential %s = ate's", agg[[n_agg_fixed + m]]$label, col), s[[col]], a[[col]], 1e-12)
}
# NULL results: zero rows, and the zero-row prefix of a window
nres <- db_batch(c("SELECT 0::float8 AS k_, to_jsonb(ate_sequential(y, t, 2000)) IS NULL AS is_null FROM s_normal WHERE false",
                   "SELECT 0::float8 AS k_, to_jsonb(ate_sequential(y, t)) IS NULL AS is_null FROM s_normal WHERE false",
                   "SELECT 0::float8 AS k_, to_jsonb(ate_sequential(y, t, 2000)) IS NULL AS is_null FROM s_thin WHERE i = 1",
                   "SELECT 0::float8 AS k_, to_jsonb(ate_sequential(y, NULL::boolean, 2000)) IS NULL AS is_null FROM s_normal",
                   "SELECT 0::float8 AS k_, to_jsonb(ate_sequential(yb, t::int)) IS NULL AS is_null FROM s_binary WHERE yb IS NULL",
                   "SELECT i AS k_, to_jsonb(ate_sequential(y, t, 2000) OVER (ORDER BY i)) IS NULL AS is_null FROM s_thin"))
nlab <- c("zero rows", "zero rows, two-argument form", "only a NULL outcome", "only NULL treatments",
          "zero rows, boolean y, integer treatment, two-argument form")
for (m in seq_along(nlab))
  if (!is.null(nres[[m]])) check_true(sprintf("thin: %s -> NULL", nlab[m]), identical(db_bool(nres[[m]]$is_null), TRUE))
if (!is.null(nres[[6]]))
  check_true("thin window: NULL exactly on the zero-row prefix", identical(db_bool(nres[[6]]$is_null), c(TRUE, rep(FALSE, 8))))
tick("aggregates")

## ------------------------------------------------- ate_sequential: errors

expect_error("planned_n 0 -> 22023", "SELECT ate_sequential(y, t, 0) FROM s_normal", "22023")
expect_error("planned_n -5 -> 22023", "SELECT ate_sequential(y, t, -5) FROM s_normal", "22023")
expect_error("planned_n NULL -> 22023", "SELECT ate_sequential(y, t, NULL) FROM s_normal", "22023")
expect_error("planned_n NULL on one row -> 22023",
             "SELECT ate_sequential(y, t, CASE WHEN i = 10 THEN NULL ELSE 2000 END) FROM s_normal", "22023")
expect_error("planned_n different between rows -> 22023",
             "SELECT ate_sequential(y, t, CASE WHEN i <= 10 THEN 2000 ELSE 2001 END) FROM s_normal", "22023")
expect_error("planned_n different between rows, window -> 22023",
             "SELECT ate_sequential(y, t, CASE WHEN i <= 10 THEN 2000 ELSE 2001 END) OVER (ORDER BY i) FROM s_normal",
             "22023")
expect_error("planned_n 0, boolean y, integer treatment -> 22023", "SELECT ate_sequential(yb, t::int, 0) FROM s_binary", "22023")
expect_error("treatment 2 (integer) -> 22023",
             "SELECT ate_sequential(y, CASE WHEN i = 5 THEN 2 ELSE t::int END, 2000) FROM s_normal", "22023")
expect_error("treatment -1 (smallint), two-argument form -> 22023",
             "SELECT ate_sequential(y, (CASE WHEN i = 5 THEN -1 ELSE t::int END)::smallint) FROM s_normal", "22023")
expect_error("treatment 3 (bigint), boolean y -> 22023",
             "SELECT ate_sequential(yb, (CASE WHEN i = 5 THEN 3 ELSE t::int END)::bigint, 100) FROM s_binary", "22023")
for (bad in c("NaN", "Infinity", "-Infinity")) {
  expect_error(sprintf("%s in y -> class 22", bad),
               sprintf("SELECT ate_sequential(CASE WHEN i = 5 THEN '%s'::float8 ELSE y END, t, 2000) FROM s_normal", bad), "22")
  expect_error(sprintf("%s in y, two-argument form, window -> class 22", bad),
               sprintf("SELECT ate_sequential(CASE WHEN i = 5 THEN '%s'::float8 ELSE y END, t) OVER (ORDER BY i) FROM s_normal",
                       bad), "22")
}
expect_error("a valid call raises nothing", "SELECT ate_sequential(y, t::int::smallint, 2000) FROM s_nulls", "none")
run_error_cases()
tick("errors")

## ------------------------------------------------------ sequential_bounds

tol_z <- 1e-8         # |critical_z - reference|; the reference is good to ~1e-14
bcols <- c("look", "information_fraction", "critical_z", "nominal_p", "alpha_spent")
arr_sql <- function(t) sprintf("ARRAY[%s]::float8[]", paste(fmt(t), collapse = ", "))
bounds_sel <- function(t, alpha, spending)
  sprintf("SELECT look::float8 AS k_, * FROM sequential_bounds(%s, %s, '%s')", arr_sql(t), fmt(alpha), spending)
max_dev <- 0
cmp_bounds <- function(label, r, ref) {
  L <- function(what) sprintf("%s %s", label, what)
  if (is.null(r)) return(invisible())
  same_text(L("column names"), names(r), bcols)
  if (!identical(names(r), bcols) || nrow(r) != nrow(ref)) {
    check(L("rows"), nrow(r), nrow(ref), 0)
    return(invisible())
  }
  check_vec(L("look"), r$look, ref$look, 0)
  check_vec(L("information_fraction"), r$information_fraction, ref$information_fraction, 0)
  check_vec(L("critical_z"), r$critical_z, ref$critical_z, 0, tol_z)
  # d ln(nominal_p) / dz is about z (Mills): tol_z moves it by z tol_z
  check_vec(L("nominal_p"), r$nominal_p, ref$nominal_p, tol_z * (ref$critical_z + 1))
  check_vec(L("nominal_p = 2 (1 - Phi(critical_z)) (upper tail, no cancellation)"), r$nominal_p,
            2 * pnorm(r$critical_z, lower.tail = FALSE), 1e-11)
  check_vec(L("alpha_spent"), r$alpha_spent, ref$alpha_spent, 1e-11)
  # a bracket from the closed forms alone (see ref_bounds_bracket); tight
  # where little was spent before (O'Brien-Fleming's early looks)
  br <- ref_bounds_bracket(ref$information_fraction, ref$alpha_spent)
  inside <- r$critical_z >= br$lo - 1e-9 & r$critical_z <= br$hi + 1e-9
  for (k in head(which(!(inside %in% TRUE)), 3))
    cat(sprintf("     look %d: critical_z %.12g outside [%.12g, %.12g]\n", k, r$critical_z[k], br$lo[k], br$hi[k]))
  check_true(L("critical_z within the closed-form bracket"), all(inside %in% TRUE))
  d <- suppressWarnings(max(abs(r$critical_z - ref$critical_z)))
  if (is.finite(d)) max_dev <<- max(max_dev, d)
}

# the reference against itself: a finer grid and, for 2-4 looks, the
# semi-analytic route (closed-form look-2 density, adaptive quadrature)
for (tt in list(c(0.3, 1), c(0.05, 1), c(0.2, 0.45, 1), c(0.5, 0.51, 0.52), c(0.1, 0.35, 0.8, 1)))
  for (s in ref_spendings) {
    a <- ref_bounds(tt, 0.05, s)
    check(sprintf("reference %s %s: finer grid (r 2, q 16) within 1e-13", paste(tt, collapse = ","), s),
          max(abs(ref_bounds(tt, 0.05, s, 2, 16)$critical_z - a$critical_z)), 0, 0, 1e-13)
    check(sprintf("reference %s %s: semi-analytic route within 1e-11", paste(tt, collapse = ","), s),
          max(abs(ref_bounds_semi(tt, 0.05, s)$critical_z - a$critical_z)), 0, 0, 1e-11)
  }
# ... inside the closed-form bracket; where the bracket is tight it pins the
# bound: look 2 of 100 equal O'Brien-Fleming looks (look 1 spent 1.2e-110)
designs <- ref_bounds_designs()
bref <- lapply(designs, function(d) ref_bounds(d$t, d$alpha, d$spending))
names(bref) <- vapply(designs, `[[`, "", "label")
check_true("reference: every design's critical_z within the closed-form bracket",
           all(vapply(bref, function(R) {
             br <- ref_bounds_bracket(R$information_fraction, R$alpha_spent)
             all(R$critical_z >= br$lo - 1e-13 & R$critical_z <= br$hi + 1e-13)
           }, TRUE)))
A <- ref_alpha_spent(c(0.01, 0.02), 0.05, "obrien_fleming")
check("reference: look 2 of 100 O'Brien-Fleming looks = qnorm(1 - (A(0.02) - A(0.01)) / 2)",
      ref_bounds(c(0.01, 0.02), 0.05, "obrien_fleming")$critical_z[2], qnorm((A[2] - A[1]) / 2, lower.tail = FALSE), 1e-14)
# the textbook values (Jennison & Turnbull; rpact)
b4 <- ref_bounds(c(0.25, 0.5, 0.75, 1), 0.05, "obrien_fleming")$critical_z
check("reference: O'Brien-Fleming 4 equal looks", max(abs(b4 - c(4.3326, 2.9631, 2.3590, 2.0141))), 0, 0, 1e-4)
b4 <- ref_bounds(c(0.25, 0.5, 0.75, 1), 0.05, "pocock")$critical_z
check("reference: Pocock-type 4 equal looks", max(abs(b4 - c(2.3683, 2.3675, 2.3582, 2.3500))), 0, 0, 1e-4)
# the reference's rows for looks 1..k do not depend on later fractions
check_true("reference: a partial set's rows are the full set's first rows",
           identical(ref_bounds(designs[[length(designs)]]$t[1:5], 0.01, "pocock")$critical_z,
                     ref_bounds(designs[[length(designs)]]$t, 0.01, "pocock")$critical_z[1:5]))
tick("bounds reference")

# every design, one look, 100 looks, partial sets: one query
t100 <- seq_len(100) / 100
bjobs <- lapply(designs, function(d) list(label = d$label, t = d$t, alpha = d$alpha, spending = d$spending,
                                          ref = bref[[d$label]]))
for (s in ref_spendings) for (t1 in c(1, 0.5, 0.05))
  bjobs[[length(bjobs) + 1]] <- list(label = sprintf("one look at %g %s", t1, s), t = t1, alpha = 0.05, spending = s,
                                     ref = ref_bounds(t1, 0.05, s))
for (s in ref_spendings)
  bjobs[[length(bjobs) + 1]] <- list(label = sprintf("100 equal looks %s", s), t = t100, alpha = 0.05, spending = s,
                                     ref = ref_bounds(t100, 0.05, s))
partial <- list()
for (s in ref_spendings) {
  for (a in c(0.05, 0.01)) {
    partial[[length(partial) + 1]] <- list(full = sprintf("equal 4 %s alpha %g", s, a), k = 1:3)
    partial[[length(partial) + 1]] <- list(full = sprintf("unequal 10 %s alpha %g", s, a), k = c(5, 9))
  }
  partial[[length(partial) + 1]] <- list(full = sprintf("100 equal looks %s", s), k = 10)
}
bl <- vapply(bjobs, `[[`, "", "label")
for (p in partial) {
  f <- bjobs[[which(bl == p$full)]]
  for (k in p$k)
    bjobs[[length(bjobs) + 1]] <- list(label = sprintf("partial: looks 1-%d of %s (last %g)", k, p$full, f$t[k]),
                                       t = f$t[1:k], alpha = f$alpha, spending = f$spending,
                                       ref = f$ref[1:k, ], full = p$full)
}
tick("bounds references")
bres <- db_batch(vapply(bjobs, function(j) bounds_sel(j$t, j$alpha, j$spending), ""))
tick("bounds query")
names(bres) <- vapply(bjobs, `[[`, "", "label")
for (m in seq_along(bjobs)) {
  j <- bjobs[[m]]; r <- bres[[m]]
  cmp_bounds(j$label, r, j$ref)
  if (!is.null(j$full) && !is.null(r) && !is.null(bres[[j$full]]) && nrow(r) == length(j$t)) {
    full <- bres[[j$full]][seq_along(j$t), ]
    check_vec(paste(j$label, "critical_z = the full set's"), r$critical_z, full$critical_z, 0, 1e-12)
    check_vec(paste(j$label, "nominal_p = the full set's"), r$nominal_p, full$nominal_p, 1e-11)
    check_vec(paste(j$label, "alpha_spent = the full set's"), r$alpha_spent, full$alpha_spent, 0)
  }
  if (m == length(designs))
    cat(sprintf("sequential_bounds: max |critical_z - reference| over the %d designs = %.3g\n", length(designs), max_dev))
}
cat(sprintf("sequential_bounds: max |critical_z - reference| over all %d calls = %.3g\n", length(bjobs), max_dev))
tick("bounds")

# against rpact (tolerance 1e-10, its smallest).  rpact is accurate where
# every step so far is >= 0.05 and the look spends >= 1e-3: there the
# reference and rpact agree within ~3e-8, and the database must be within
# 1e-7 of rpact.  Elsewhere rpact is less accurate (its fixed grid does not
# follow small steps; it loses tiny spent alphas to 1 - Phi cancellation and
# returns Inf for bounds above ~8.2): the differences are printed only.
if (requireNamespace("rpact", quietly = TRUE)) {
  rp_labels <- c(sprintf("equal %d %s alpha 0.05", rep(2:6, each = 2), ref_spendings),
                 sprintf("unequal %d %s alpha 0.01", rep(2:4, each = 2), ref_spendings), "equal 10 pocock alpha 0.05")
  rp_in <- 0; rp_in_max <- 0; rp_out_max <- 0; rp_out <- 0
  for (d in Filter(function(d) d$label %in% rp_labels, designs)) {
    rp <- ref_bounds_rpact(d$t, d$alpha, d$spending, 1e-10)$critical_z
    R <- bref[[d$label]]
    r <- bres[[d$label]]
    if (is.null(r) || nrow(r) != length(d$t)) next
    inc <- diff(c(0, R$alpha_spent))
    ok <- cumprod(diff(c(0, d$t)) >= 0.05 & is.finite(rp)) == 1 & inc >= 1e-3
    if (any(ok)) {
      check(sprintf("%s: reference within 1e-7 of rpact where rpact is accurate", d$label),
            max(abs(R$critical_z[ok] - rp[ok])), 0, 0, 1e-7)
      check(sprintf("%s: database within 1e-7 of rpact where rpact is accurate", d$label),
            max(abs(r$critical_z[ok] - rp[ok])), 0, 0, 1e-7)
      rp_in <- rp_in + sum(ok); rp_in_max <- max(rp_in_max, abs(r$critical_z[ok] - rp[ok]))
    }
    if (any(!ok)) {
      rp_out <- rp_out + sum(!ok)
      rp_out_max <- max(rp_out_max, abs(r$critical_z[!ok] - rp[!ok]))
      for (k in which(!ok & !(abs(r$critical_z - rp) <= 1e-6)))
        cat(sprintf("  (rpact differs) %s look %d: database %.10f, rpact %.10f, reference %.10f\n",
                    d$label, k, r$critical_z[k], rp[k], R$critical_z[k]))
    }
  }
  cat(sprintf("sequential_bounds vs rpact: %d looks where rpact is accurate, max |diff| %.3g; %d other looks, max |diff| %.3g\n",
              rp_in, rp_in_max, rp_out, rp_out_max))
} else cat("sequential_bounds vs rpact: skipped (r-cran-rpact is not installed; Debian 13 does not ship it)\n")
tick("rpact")

# the brief's call (numeric literals), DEFAULTs, named arguments, STRICT (100
# fractions: the 100-look calls above)
mres <- db_batch(c("SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.25, 0.5, 0.75, 1], 0.05, 'pocock')",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.3, 0.6, 1])",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.3, 0.6, 1], 0.05, 'obrien_fleming')",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.3, 0.6, 1], 0.01)",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.3, 0.6, 1], 0.01, 'obrien_fleming')",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(information_fractions => ARRAY[0.3, 0.6, 1], spending => 'pocock')",
                   "SELECT look::float8 AS k_, * FROM sequential_bounds(ARRAY[0.3, 0.6, 1], 0.05, 'pocock')"))
cmp_bounds("numeric literals ARRAY[0.25, 0.5, 0.75, 1], 0.05, 'pocock'", mres[[1]], ref_bounds(c(0.25, 0.5, 0.75, 1), 0.05, "pocock"))
check_true("sequential_bounds(t) = (t, 0.05, 'obrien_fleming')", identical(mres[[2]], mres[[3]]) && NROW(mres[[2]]) == 3)
check_true("sequential_bounds(t, 0.01) = (t, 0.01, 'obrien_fleming')", identical(mres[[4]], mres[[5]]) && NROW(mres[[4]]) == 3)
check_true("sequential_bounds(information_fractions => t, spending => 'pocock') = (t, 0.05, 'pocock')",
           identical(mres[[6]], mres[[7]]) && NROW(mres[[6]]) == 3)
cmp_bounds("ARRAY[0.3, 0.6, 1] default alpha and spending", mres[[2]], ref_bounds(c(0.3, 0.6, 1), 0.05, "obrien_fleming"))
cres <- db_batch(c("SELECT 0::float8 AS k_, count(*) AS n FROM sequential_bounds(NULL::float8[])",
                   "SELECT 0::float8 AS k_, count(*) AS n FROM sequential_bounds(ARRAY[0.5, 1], NULL)",
                   "SELECT 0::float8 AS k_, count(*) AS n FROM sequential_bounds(ARRAY[0.5, 1], 0.05, NULL)"))
for (m in 1:3)
  if (!is.null(cres[[m]])) check(sprintf("STRICT: a NULL argument gives no rows (%d)", m), cres[[m]]$n, 0, 0)

# errors
expect_error("bounds: empty array -> 22023", "SELECT * FROM sequential_bounds(ARRAY[]::float8[])", "22023")
expect_error("bounds: NULL element -> 22023", "SELECT * FROM sequential_bounds(ARRAY[0.5, NULL, 1]::float8[])", "22023")
expect_error("bounds: 101 fractions -> 22023",
             "SELECT * FROM sequential_bounds((SELECT array_agg(i / 101.0)::float8[] FROM generate_series(1, 101) i))", "22023")
for (q in list(c("equal fractions", "ARRAY[0.5, 0.5, 1]"), c("decreasing", "ARRAY[0.6, 0.4, 1]"),
               c("a fraction 0", "ARRAY[0, 0.5, 1]"), c("a negative fraction", "ARRAY[-0.1, 1]"),
               c("a fraction above 1", "ARRAY[0.5, 1.2]"), c("NaN", "ARRAY['NaN'::float8, 1]"),
               c("Infinity", "ARRAY[0.5, 'Infinity'::float8]")))
  expect_error(sprintf("bounds: %s -> 22023", q[1]), sprintf("SELECT * FROM sequential_bounds(%s::float8[])", q[2]), "22023")
for (a in c("0", "1", "-0.05", "1.5", "'NaN'::float8"))
  expect_error(sprintf("bounds: alpha %s -> 22023", a), sprintf("SELECT * FROM sequential_bounds(ARRAY[0.5, 1], %s)", a), "22023")
expect_error("bounds: unknown spending -> 22023", "SELECT * FROM sequential_bounds(ARRAY[0.5, 1], 0.05, 'haybittle_peto')", "22023")
eres <- run_error_cases()
msg <- eres[[length(eres)]]
check_true("bounds: the unknown-spending message (or hint) lists obrien_fleming and pocock",
           !is.null(msg) && grepl("obrien_fleming", msg$s, fixed = TRUE) && grepl("pocock", msg$s, fixed = TRUE))
tick("bounds misc")

## ------------------------------------------------------------- simulation
# 500 trials of 1000 rows (y ~ N(0, 1) by Box-Muller, fair coin), generated
# in SQL, looks every 50 rows (20 looks), planned_n 1000.  Null: y; effect:
# y + 0.2 t on the first 200 trials.  The first 30 trials are checked against
# the reference at every look.

ntrials <- 500L; ntrials_eff <- 200L; nrows <- 1000L; every <- 50L; nref <- 30L; delta <- 0.2
psql(c("SELECT setseed(0.20261220);",
       "CREATE TABLE sim AS",
       sprintf("SELECT trial::float8 AS trial, i::float8 AS i, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS y,"),
       "       random() < 0.5 AS t",
       sprintf("FROM generate_series(1, %d) trial, generate_series(1, %d) i;", ntrials, nrows),
       "ANALYZE sim;"))
simd <- db_query(sprintf("SELECT trial, i, y, t FROM sim WHERE trial <= %d ORDER BY trial, i", nref))
simd$t <- db_bool(simd$t)
sim_rows <- split(seq_len(nrow(simd)), simd$trial)
sim_sql <- function(ysql, trials)
  sprintf(paste("SELECT trial, i, (a).* FROM (SELECT trial, i,",
                "ate_sequential(%s, t, 1000) OVER (PARTITION BY trial ORDER BY i) AS a FROM sim WHERE trial <= %d) s",
                "WHERE i::int %% %d = 0 ORDER BY trial, i"), ysql, trials, every)
sim_share <- function(label, r, trials, y_of) {
  nlooks <- nrows / every
  if (is.null(r) || nrow(r) != trials * nlooks) {
    check(sprintf("%s rows", label), NROW(r), trials * nlooks, 0)
    return(NULL)
  }
  k <- r$trial <= nref
  ref <- do.call(rbind, lapply(which(k), function(j) {
    rows <- sim_rows[[r$trial[j]]][seq_len(r$i[j])]
    row_of(ref_ate_sequential(y_of(rows), simd$t[rows], 1000))
  }))
  cmp_cols(sprintf("%s, trials 1-%d at every look", label, nref), r[k, ref_seq_cols], ref, 6)
  seq_identities(label, r[, ref_seq_cols], 0.95)
  ever <- function(p) tapply(!is.na(p) & p < 0.05, r$trial, any)
  c(ever_av = mean(ever(r$always_valid_p_value)), ever_p = mean(ever(r$p_value)),
    final_av = mean(r$always_valid_p_value[r$i == nrows] < 0.05),
    final_p = mean(r$p_value[r$i == nrows] < 0.05))
}
null <- sim_share("simulation, null", db_query_set(character(), sim_sql("y", ntrials)), ntrials,
                  function(rows) simd$y[rows])
tick("simulation null")
eff <- sim_share("simulation, effect 0.2", db_query_set(character(), sim_sql(sprintf("y + %s::float8 * t::int", fmt(delta)), ntrials_eff)),
                 ntrials_eff, function(rows) simd$y[rows] + delta * simd$t[rows])
tick("simulation effect")
mc <- 0.05 + 3 * sqrt(0.05 * 0.95 / ntrials)
if (!is.null(null)) {
  cat(sprintf(paste("simulation, null, %d trials, %d looks: ever always_valid_p < 0.05 in %.3f (bound %.4f);",
                    "ever p_value < 0.05 in %.3f; at the last look %.3f and %.3f\n"),
              ntrials, nrows / every, null[["ever_av"]], mc, null[["ever_p"]], null[["final_av"]], null[["final_p"]]))
  check(sprintf("simulation, null: share ever always-valid p < 0.05 (%.3f) <= 0.05 + 3 MC SE", null[["ever_av"]]),
        null[["ever_av"]], 0, 0, mc)
  check_true(sprintf("simulation, null: share ever plain p < 0.05 (%.3f) > 0.1 (inflated by looking)", null[["ever_p"]]),
             null[["ever_p"]] > 0.1)
}
if (!is.null(eff)) {
  cat(sprintf(paste("simulation, effect %.1f SD, %d trials: power (ever < 0.05) always-valid %.3f, plain p %.3f;",
                    "at the last look %.3f and %.3f\n"),
              delta, ntrials_eff, eff[["ever_av"]], eff[["ever_p"]], eff[["final_av"]], eff[["final_p"]]))
  check_true(sprintf("simulation, effect: the always-valid p finds it in over 30%% of trials (%.3f)", eff[["ever_av"]]),
             eff[["ever_av"]] > 0.3)
}

# parallel plans (the combine function) give the serial numbers
par <- c("SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;", "SET min_parallel_table_scan_size = 0;",
         "SET max_parallel_workers_per_gather = 2;", "SET parallel_leader_participation = off;")
serial <- "SET max_parallel_workers_per_gather = 0;"
psel <- c("SELECT 0::float8 AS k_, (ate_sequential(y, t, 1000000)).* FROM sim",
          "SELECT 0::float8 AS k_, (ate_sequential(y + 0.5::float8 * t::int, t::int)).* FROM sim",
          "SELECT trial AS k_, (ate_sequential(y, t, 1000)).* FROM sim GROUP BY trial")
pa <- db_batch(psel, settings = par)
se <- db_batch(psel, settings = serial)
for (m in seq_along(psel)) {
  if (is.null(pa[[m]]) || is.null(se[[m]])) next
  for (col in ref_seq_cols)
    check_vec(sprintf("parallel = serial (1e-12): %s: %s", psel[m], col), pa[[m]][[col]], se[[m]][[col]], 1e-12)
}
tick("parallel")

cat("r-sequential: seconds at the end of each part:", paste(sprintf("%s %.0f", names(t_marks), t_marks), collapse = ", "), "\n")
finish("r-sequential")
