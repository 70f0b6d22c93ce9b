#!/usr/bin/env bash
# The pictures (issue 16) checked as a reader sees them.  For each plot:
#   - the SVG is well-formed XML (xmllint) and its marks sit where the axis
#     its own tick labels define puts the numbers, the numbers coming from
#     the aggregates (cate_by, ate, qte) and not from the plot;
#   - headless Chromium (Debian's) renders it to a PNG whose pixels are
#     checked: markers, intervals, the overall diamond and the band where the
#     numbers put them, background beyond, tick labels and row labels that
#     do not run into each other (test/pictures/check.py);
#   - the text form's markers are in the columns its axis puts them;
#   - the README's images (test/pictures/*.svg, made by the demo) are what
#     the functions draw today.
# Needs chromium, xmllint (libxml2-utils) and python3 (test/deps.sh installs
# them); without chromium the browser checks are reported as one failure.
# Runs against the cluster in the PG* environment with hte installed, or
# starts a throwaway one (pg_virtualenv).  Ends with
# "pictures: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t bash "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# HTE_PICTURES_KEEP=DIR keeps every SVG, PNG and text drawn, to look at
keep=${HTE_PICTURES_KEEP:-}
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

db=hte_pictures
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || { bad "create database"; echo "pictures: $pass passed, $((fail + 1)) failed"; exit 1; }
export PGDATABASE=$db
P=(psql -X -q -At -v ON_ERROR_STOP=1)
"${P[@]}" -f test/pictures/data.sql >/dev/null || bad "load the data"

chromium=$(command -v chromium || command -v chromium-browser || true)
render() {  # render SVG PNG: the browser's rendering at the SVG's own size
  local w h
  w=$(sed -nE '1s/.* width="([0-9]+)".*/\1/p' "$1")
  h=$(sed -nE '1s/.* height="([0-9]+)".*/\1/p' "$1")
  rm -f "$2"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="$w,$h" --screenshot="$2" \
    "file://$(realpath "$1")" >/dev/null 2>&1
  [ -s "$2" ]
}

# one picture: NAME KIND SQL-of-the-plot SQL-of-the-expected-json
picture() {
  local name=$1 kind=$2 plot=$3 expect=$4 out
  "${P[@]}" -c "$plot" >"$tmp/$name.svg" && "${P[@]}" -c "$expect" >"$tmp/$name.json" ||
    { bad "$name: queries"; return; }
  if xmllint --noout "$tmp/$name.svg" 2>"$tmp/$name.xmllint"; then ok "$name: well-formed XML (xmllint)"
  else bad "$name: xmllint: $(head -3 "$tmp/$name.xmllint")"; fi
  if [ -z "$chromium" ]; then bad "$name: no chromium to render with"; return; fi
  if ! render "$tmp/$name.svg" "$tmp/$name.png"; then bad "$name: chromium rendered nothing"; return; fi
  ok "$name: rendered by $("$chromium" --version 2>/dev/null | head -1)"
  if out=$(python3 test/pictures/check.py "$kind" "$tmp/$name.svg" "$tmp/$name.png" "$tmp/$name.json"); then
    ok "$name: marks and pixels ($(echo "$out" | tail -1))"
  else
    bad "$name: $(echo "$out" | grep FAILED | head -5 | tr '\n' ';')"
  fi
}
text_picture() {
  local name=$1 plot=$2 expect=$3 out
  "${P[@]}" -c "$plot" >"$tmp/$name.txt" && "${P[@]}" -c "$expect" >"$tmp/$name.json" ||
    { bad "$name: queries"; return; }
  if out=$(python3 test/pictures/check.py text "$tmp/$name.txt" "$tmp/$name.json"); then
    ok "$name: markers in their columns ($(echo "$out" | tail -1))"
  else
    bad "$name: $(echo "$out" | grep FAILED | head -5 | tr '\n' ';')"
  fi
}

# the expected rows of cate_by over STAR by a column, and the overall ate
sub_json() {
  echo "SELECT json_build_object(
    'rows', (SELECT json_agg(json_build_object('label', s.subgroup, 'estimate', s.estimate,
                    'ci_lower', s.ci_lower, 'ci_upper', s.ci_upper) ORDER BY ord)
             FROM star_cate($1) WITH ORDINALITY s(subgroup, estimate, ci_lower, ci_upper, ord)),
    'overall', (SELECT json_build_object('estimate', (a).estimate, 'ci_lower', (a).ci_lower,
                    'ci_upper', (a).ci_upper) FROM (SELECT ate(y, treated) AS a FROM star) t))"
}

picture star_school forest \
  "SELECT forest_plot(cate_by(y, treated, schoolk), '{\"title\": \"Project STAR: small classes by school type\"}') FROM star" \
  "$(sub_json "'schoolk'")"
picture star_ethnicity forest \
  "SELECT forest_plot(cate_by(y, treated, ethnicity)) FROM star" \
  "$(sub_json "'ethnicity'")"
# the aggregate over rows with counts, long labels and a log scale (risk ratios)
picture ratios forest \
  "SELECT forest_plot(label, rr, lo, hi, n, '{\"log_scale\": true, \"overall\": false, \"xlabel\": \"Risk ratio\"}' ORDER BY k) FROM ratios" \
  "SELECT json_build_object('log_scale', true, 'overall', NULL,
     'rows', json_agg(json_build_object('label', label, 'estimate', rr, 'ci_lower', lo, 'ci_upper', hi) ORDER BY k)) FROM ratios"
# the pooled estimate of meta-analysis rows
picture studies forest \
  "SELECT forest_plot(study, est, est - 1.959963984540054 * se, est + 1.959963984540054 * se ORDER BY study) FROM studies" \
  "SELECT json_build_object(
     'rows', (SELECT json_agg(json_build_object('label', study, 'estimate', est,
                'ci_lower', est - 1.959963984540054 * se, 'ci_upper', est + 1.959963984540054 * se) ORDER BY study) FROM studies),
     'overall', (SELECT json_build_object('estimate', (h).pooled_estimate,
                'ci_lower', (h).pooled_estimate - 1.959963984540054 * (h).pooled_std_error,
                'ci_upper', (h).pooled_estimate + 1.959963984540054 * (h).pooled_std_error)
                FROM (SELECT heterogeneity_test(est, se) AS h FROM studies) t))"
picture nsw_qte qte \
  "SELECT qte_plot(qte(re78, treat, ARRAY[0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])) FROM nsw" \
  "SELECT json_build_object('rows', json_agg(json_build_object('q', quantile, 'estimate', estimate,
     'ci_lower', ci_lower, 'ci_upper', ci_upper) ORDER BY quantile))
   FROM (SELECT (unnest(qte(re78, treat, ARRAY[0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]))).* FROM nsw) q"

text_picture star_school_text \
  "SELECT forest_plot_text(cate_by(y, treated, schoolk)) FROM star" "$(sub_json "'schoolk'")"
text_picture star_school_ascii \
  "SELECT forest_plot_text(cate_by(y, treated, schoolk), '{\"ascii\": true, \"width\": 70}') FROM star" "$(sub_json "'schoolk'")"
text_picture ratios_text \
  "SELECT forest_plot_text(label, rr, lo, hi, n, '{\"log_scale\": true, \"overall\": false}' ORDER BY k) FROM ratios" \
  "SELECT json_build_object('log_scale', true, 'overall', NULL,
     'rows', json_agg(json_build_object('label', label, 'estimate', rr, 'ci_lower', lo, 'ci_upper', hi) ORDER BY k)) FROM ratios"
text_picture nsw_qte_text \
  "SELECT qte_plot_text(qte(re78, treat, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9])) FROM nsw" \
  "SELECT json_build_object('rows', json_agg(json_build_object('q', quantile, 'estimate', estimate,
     'ci_lower', ci_lower, 'ci_upper', ci_upper) ORDER BY quantile))
   FROM (SELECT (unnest(qte(re78, treat, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]))).* FROM nsw) q"

# the README's images are what the demo's queries draw today
for img in test/pictures/*.svg; do
  q=$(sed -n "s/^-- $(basename "$img"): //p" test/demo.sql)
  if [ -z "$q" ]; then bad "$img: no query for it in test/demo.sql"; continue; fi
  if "${P[@]}" -c "$q" | cmp -s - "$img"; then ok "$img is what the demo draws"
  else bad "$img differs from what the demo draws (run bash test/demo.sh)"; fi
done

[ -n "$keep" ] && mkdir -p "$keep" && cp "$tmp"/*.svg "$tmp"/*.png "$tmp"/*.txt "$keep"/ 2>/dev/null
psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
echo "pictures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
