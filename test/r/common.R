# Shared helpers of the R cross-checks (sourced by test/r/check_*.R).
# Each check script runs inside a cluster with hte installed (PG* variables
# set, e.g. under pg_virtualenv), in a database of its own.

tol <- 1e-9
work <- tempfile("hte-rcheck-")
dir.create(work)

# Run SQL lines with psql in database `db`; stop on any error.
psql <- function(sql, db_name = db) {
  f <- file.path(work, "q.sql")
  writeLines(sql, f)
  out <- system2("psql", c("-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db_name, "-f", f),
                 stdout = TRUE, stderr = TRUE)
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) {
    cat(out, sep = "\n")
    stop("psql failed")
  }
  invisible(out)
}

# A fresh database with the extension and the shipped STAR and NSW tables.
setup_db <- function(top) {
  invisible(system2("dropdb", c("--if-exists", db), stderr = FALSE))
  if (system2("createdb", db) != 0) stop("createdb failed")
  psql(c("CREATE EXTENSION hte;",
         "CREATE TABLE star (id int, y float8, treated boolean, stark text, readk float8, mathk float8,",
         " gender text, ethnicity text, birth float8, lunchk text, schoolk text, degreek text, ladderk text,",
         " experiencek float8, tethnicityk text, systemk int, schoolidk int);",
         sprintf("\\copy star FROM '%s' (FORMAT csv, HEADER)", file.path(top, "test/data/star.csv")),
         "CREATE TABLE nsw (id int, treat boolean, age int, educ int, race text, married int,",
         " nodegree int, re74 float8, re75 float8, re78 float8, u74 int, u75 int);",
         sprintf("\\copy nsw FROM '%s' (FORMAT csv, HEADER)", file.path(top, "test/data/nsw.csv"))))
}

read_star <- function(top) {
  d <- read.csv(file.path(top, "test/data/star.csv"), na.strings = "")
  d$treated <- d$treated == "true"
  d
}

read_nsw <- function(top) {
  d <- read.csv(file.path(top, "test/data/nsw.csv"), na.strings = "")
  d$treat <- d$treat == "true"
  d
}

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
fmt_bool <- function(x) ifelse(is.na(x), "", ifelse(x, "true", "false"))

# Write a data frame (double and logical columns) with 17 significant digits
# so the database reads the very same doubles, and load it as table `name`.
load_set <- function(name, d) {
  f <- file.path(work, paste0(name, ".csv"))
  cols <- lapply(d, function(col) if (is.logical(col)) fmt_bool(col) else fmt(col))
  writeLines(c(paste(names(d), collapse = ","), do.call(paste, c(cols, sep = ","))), f)
  types <- vapply(d, function(col) if (is.logical(col)) "boolean" else "float8", "")
  psql(c(sprintf("CREATE TABLE %s (%s);", name, paste(names(d), types, collapse = ", ")),
         sprintf("\\copy %s FROM '%s' (FORMAT csv, HEADER)", name, f)))
  invisible(d)
}

# SELECT the columns of a composite result into a data frame.
db_query <- function(select_sql, level = 0.95) {
  out <- psql(c(sprintf("SET hte.confidence_level = %s;", format(level, digits = 17)),
                sprintf("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER, NULL '\\N');", select_sql)))
  read.csv(text = out, stringsAsFactors = FALSE, na.strings = "\\N")
}

passed <- 0L
failed <- 0L
# Relative comparison; NA (NULL) must match NA.  atol allows for a reference
# that R rounds on the way (e.g. a difference of two means each rounded to
# double: R's own error there is about an ulp of the means).
check <- function(label, ours, ref, rtol = tol, atol = 0) {
  ok <- if (is.na(ref)) is.na(ours)
        else if (is.na(ours)) FALSE
        else abs(ours - ref) <= atol + rtol * abs(ref)
  if (isTRUE(ok)) passed <<- passed + 1L
  else {
    failed <<- failed + 1L
    cat(sprintf("FAIL %-60s ours=%.17g R=%.17g rel=%.3g\n", label, ours, ref,
                abs(ours - ref) / abs(ref)))
  }
}

finish <- function(suite) {
  invisible(system2("dropdb", db))
  cat(sprintf("%s: %d passed, %d failed\n", suite, passed, failed))
  quit(status = if (failed > 0) 1 else 0)
}
