# The export route: reads "y<TAB>t" rows (COPY ... TO STDOUT) from stdin and
# computes what ate (Welch t test) or qte (type-7 quantiles per arm) computes.
what <- commandArgs(TRUE)[1]
d <- data.table::fread(cmd = "cat", header = FALSE, col.names = c("y", "t"),
                       colClasses = c("numeric", "character"), sep = "\t")
tr <- d$t == "t"
if (what == "ate") {
  r <- t.test(d$y[tr], d$y[!tr])
  cat(format(unname(c(diff(rev(r$estimate)), r$stderr, r$p.value, r$parameter)), digits = 17), "\n")
} else {
  p <- c(0.1, 0.25, 0.5, 0.75, 0.9)
  q1 <- quantile(d$y[tr], p, type = 7, names = FALSE)
  q0 <- quantile(d$y[!tr], p, type = 7, names = FALSE)
  cat(format(q1, digits = 17), "\n", format(q0, digits = 17), "\n")
}
