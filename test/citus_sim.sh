#!/usr/bin/env bash
# hte's internal-state aggregates distributed the way Citus distributes them
# (its development branch: serialfn on the workers, deserialfn + combinefn +
# the final function on the coordinator), simulated in one database by the
# test extension in test/citus_sim/ (hte_citus_sim; see hte_citus_sim.c):
#
#   sim_partial(agg, args...)   per "shard" (the rows split by i % 3): agg's
#                               transition function, called through a plain
#                               fmgr_info() (no fn_expr, fn_extra reset every
#                               row), then agg's serialfn -> bytea;
#   sim_combine(agg, partial)   deserialfn + combinefn over the 3 partial
#                               states, then agg's final function with no
#                               fn_expr and every FINALFUNC_EXTRA argument
#                               NULL -> its result as text.
#
# For each aggregate below, sim_combine(sim_partial(...)) must equal the plain
# agg(...)::text over the same rows, numbers to a relative 1e-10 (the merge
# order differs, so the last bits may), everything else exactly.  Where the
# parser resolves agg(...) over the table's columns to another overload than
# the one named (a concrete subgroup type before anyelement), that overload
# is checked too: it is the one Citus would ship.  Before
# them, checks of the harness itself: the module builds without warnings,
# the inner functions are called as Citus calls them (seen by the module's
# own probe aggregate, sim_probe: no fn_expr, fn_extra lost between rows,
# final function's extra argument NULL; and the opposite when called plain),
# PostgreSQL's own internal-state aggregates (avg, var_samp over numeric)
# pass through it, an aggregate without serialization functions is refused,
# and the comparison does catch a difference.
#
# Builds and installs test/citus_sim (make -C test/citus_sim install, with
# $PG_CONFIG if set; never the top level), then runs against the cluster in
# the PG* environment with hte installed; without PGHOST/PGPORT set it starts
# a throwaway cluster itself (pg_virtualenv, of $PG_CONFIG's major).  Run it
# from anywhere, as root or as a user who may install into PostgreSQL's
# directories.  HTE_CITUS_SIM_HTE_TREE=dir tests a built hte source tree
# that is not installed instead (its sql/hte--VERSION.sql run as a plain
# script with MODULE_PATHNAME = dir/hte.so; e.g. an earlier commit from git
# archive + make).  Prints one line per check, "ok   NAME" or "FAIL NAME: why",
# and ends with "citus_sim: N passed, M failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
pg_config=${PG_CONFIG:-pg_config}

if [ -z "${HTE_CITUS_SIM_NESTED:-}" ]; then
  # Build (from clean, so that every warning shows) and install the module.
  build_log=$(mktemp)
  make -s -C test/citus_sim PG_CONFIG="$pg_config" clean >/dev/null 2>&1
  if ! make -C test/citus_sim PG_CONFIG="$pg_config" all install >"$build_log" 2>&1; then
    echo "FAIL build and install test/citus_sim:"; tail -30 "$build_log" | sed 's/^/     /'
    echo "citus_sim: 0 passed, 1 failed"; rm -f "$build_log"; exit 1
  fi
  if grep -q 'warning:' "$build_log"; then
    export HTE_CITUS_SIM_BUILD="FAIL build test/citus_sim without warnings: $(grep -m3 'warning:' "$build_log" | tr '\n' ' ')"
  else
    export HTE_CITUS_SIM_BUILD="ok   build test/citus_sim without warnings"
  fi
  rm -f "$build_log"
  make -s -C test/citus_sim PG_CONFIG="$pg_config" clean >/dev/null 2>&1

  if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
    export HTE_CITUS_SIM_NESTED=1
    major=$("$pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
    log=$(mktemp)
    pg_virtualenv -t -v "$major" bash test/citus_sim.sh "$@" 2>&1 |
      grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[|^(Creating new|Dropping) .*cluster' | tee "$log"
    rc=${PIPESTATUS[0]}
    # pg_virtualenv itself failed (no cluster): still end with the summary line
    grep -qE '^citus_sim: [0-9]+ passed, [0-9]+ failed$' "$log" || { echo "citus_sim: 0 passed, 1 failed"; rc=1; }
    rm -f "$log"
    exit "$rc"
  fi
fi

tmp=$(mktemp -d)
db="hte_citus_sim_$$"
cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

pass=0; fail=0
ok()  { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() { echo "citus_sim: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }

case ${HTE_CITUS_SIM_BUILD:-} in
  ok*)   ok "${HTE_CITUS_SIM_BUILD#ok   }" ;;
  FAIL*) x=${HTE_CITUS_SIM_BUILD#FAIL }; bad "${x%%: *}" "${x#*: }" ;;
esac

# Two texts equal but for numbers within a relative 1e-10 (1e-300 absolute,
# for underflowing p-values).  Prints the first difference when they differ.
cat >"$tmp/same.pl" <<'EOF'
use strict; use warnings;
my ($fa, $fb) = @ARGV;
sub slurp { local $/; open(my $f, '<', $_[0]) or die "$_[0]: $!"; my $s = <$f>; close $f; $s =~ s/\n\z//; $s }
my ($a, $b) = (slurp($fa), slurp($fb));
my $num = qr/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
sub tokens { my @t; for (split /($num)/, $_[0]) { push @t, $_ if length } @t }
my @a = tokens($a); my @b = tokens($b);
my $worst = 0;
for my $i (0 .. ($#a > $#b ? $#a : $#b)) {
  my ($x, $y) = ($a[$i], $b[$i]);
  if (!defined $x || !defined $y) { print "lengths differ at token $i\n"; exit 1 }
  next if $x eq $y;
  if ($x =~ /^$num$/ && $y =~ /^$num$/) {
    my $d = abs($x - $y); my $m = abs($x) > abs($y) ? abs($x) : abs($y);
    my $rel = $m > 0 ? $d / $m : 0;
    $worst = $rel if $rel > $worst;
    next if $d <= 1e-10 * $m || $d <= 1e-300;
    printf "token %d: %s vs %s (relative %.3g)\n", $i, $x, $y, $rel; exit 1;
  }
  print "token $i: '$x' vs '$y'\n"; exit 1;
}
printf "max relative difference %.3g\n", $worst;
EOF
same() { perl "$tmp/same.pl" "$1" "$2"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
if ! psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >"$tmp/err" 2>&1; then
  bad "create a database" "$(tr '\n' ' ' <"$tmp/err")"; finish
fi
tree=${HTE_CITUS_SIM_HTE_TREE:-}
if [ -n "$tree" ]; then
  # a built, uninstalled hte tree: its script, its library by absolute path
  tree=$(cd "$tree" && pwd)
  version=$(sed -nE "s/^default_version *= *'([^']+)'.*/\1/p" "$tree/hte.control")
  if ! sed -e '/^\\echo /d' -e "s|MODULE_PATHNAME|$tree/hte.so|g" "$tree/sql/hte--$version.sql" |
       q -c "CREATE EXTENSION hte_citus_sim" -f - >"$tmp/err" 2>&1; then
    bad "hte from $tree, hte_citus_sim" "$(grep -m1 ERROR "$tmp/err")"; finish
  fi
  ok "hte $version from $tree (not installed), CREATE EXTENSION hte_citus_sim"
else
  if ! q -c "CREATE EXTENSION hte; CREATE EXTENSION hte_citus_sim" >"$tmp/err" 2>&1; then
    bad "CREATE EXTENSION hte, hte_citus_sim" "$(tr '\n' ' ' <"$tmp/err")"; finish
  fi
  ok "CREATE EXTENSION hte ($(q -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")), hte_citus_sim"
fi

# 600 rows: y float8, t boolean, g integer (4 levels), s text (4 levels),
# x float8, and numeric columns for PostgreSQL's own aggregates.  The effect
# of t varies with g, so the subgroup estimates differ; g and s cut across
# t and across the 3 shards (i % 3).
q -c "
CREATE TABLE rows AS
SELECT i,
       (50 + (i % 17) * 1.5 + (i % 2) * (3 + (i % 5)) + sin(i) * 4
           + (i % 2) * ((i / 3) % 4) * 0.8)::float8 AS y,
       i % 2 = 1 AS t,
       (i / 3) % 4 AS g,
       (ARRAY['north', 'south', 'east', 'west'])[1 + (i / 5) % 4] AS s,
       ((i % 11) * 0.7 + cos(i))::float8 AS x,
       (i % 97)::numeric / 7 AS n
FROM generate_series(1, 600) i;" >"$tmp/err" 2>&1 || { bad "the table" "$(tr '\n' ' ' <"$tmp/err")"; finish; }

# compare_one NAME SIGNATURE ARGS: sim_combine(sim_partial(...)) over the 3
# shards against the plain aggregate's text.
compare_one() {
  local name=$1 sig=$2 args=$3 fn=${2%%(*}
  local plain="SELECT $fn($args)::text FROM rows"
  # (one line: a statement's lines after the first would pass the filter of
  # pg_virtualenv's server log above)
  local sim="SELECT sim_combine('$sig'::regprocedure, p) FROM (SELECT sim_partial('$sig'::regprocedure, $args) p FROM rows GROUP BY i % 3) s"
  if ! q -c "$plain" >"$tmp/plain" 2>"$tmp/err"; then
    bad "$name" "the plain aggregate fails: $(grep -m1 ERROR "$tmp/err" || head -1 "$tmp/err")"; return
  fi
  if ! q -c "$sim" >"$tmp/sim" 2>"$tmp/err"; then
    bad "$name" "$(grep -m1 ERROR "$tmp/err" || head -1 "$tmp/err")"; return
  fi
  if [ ! -s "$tmp/plain" ]; then bad "$name" "the plain aggregate is NULL"; return; fi
  if same "$tmp/plain" "$tmp/sim" >"$tmp/diff" 2>&1; then
    ok "$name ($(cat "$tmp/diff"))"
  else
    bad "$name" "$(cat "$tmp/diff"); plain: $(cut -c1-300 "$tmp/plain"); sim: $(cut -c1-300 "$tmp/sim")"
  fi
}

# compare NAME SIGNATURE ARGS: compare_one for that aggregate; and when the
# parser resolves SIGNATURE's name over ARGS to another aggregate (a
# concrete overload preferred to an anyelement one: the aggregate Citus
# would then ship for these columns), for that one too.
compare() {
  local name=$1 sig=$2 args=$3 fn=${2%%(*} chosen
  compare_one "$@"
  chosen=$(q -c "CREATE TEMP VIEW chosen AS SELECT $fn($args) FROM rows" -c "SELECT DISTINCT d.refobjid::regprocedure FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid JOIN pg_aggregate a ON d.refclassid = 'pg_proc'::regclass AND a.aggfnoid = d.refobjid WHERE r.ev_class = 'chosen'::regclass AND d.refobjid <> '$sig'::regprocedure" 2>&1)
  if [ -n "$chosen" ]; then
    compare_one "$chosen, the parser's choice for $fn($args)" "$chosen" "$args"
  fi
}

# --- the harness itself ---
n=$(q -c "SELECT count(p) FROM (SELECT sim_partial('avg(numeric)'::regprocedure, n) p FROM rows GROUP BY i % 3) s" 2>&1)
if [ "$n" = 3 ]; then ok "harness: 3 shards, 3 partial states"; else bad "harness: 3 shards, 3 partial states" "$n"; fi
# the inner functions are called as Citus calls them: no fn_expr, fn_extra
# not kept from row to row, the final function's extra argument NULL
probe_plain=$(q -c "SELECT sim_probe(y) FROM rows" 2>&1)
probe_sim=$(q -c "SELECT sim_combine('sim_probe(float8)'::regprocedure, p) FROM (SELECT sim_partial('sim_probe(float8)'::regprocedure, y) p FROM rows GROUP BY i % 3) s" 2>&1)
want_plain="rows=600 trans_fn_expr=600 trans_fn_extra_kept=599 final_fn_expr=t final_nargs=2 final_extra_null=t"
want_sim="rows=600 trans_fn_expr=0 trans_fn_extra_kept=0 final_fn_expr=f final_nargs=2 final_extra_null=t"
if [ "$probe_plain" = "$want_plain" ] && [ "$probe_sim" = "$want_sim" ]; then
  ok "harness: support functions called as Citus calls them ($probe_sim)"
else
  bad "harness: support functions called as Citus calls them" "plain: $probe_plain; sim: $probe_sim"
fi
compare "harness: avg(numeric)" 'avg(numeric)' 'n'
compare "harness: var_samp(numeric)" 'var_samp(numeric)' 'n'
if q -c "SELECT sim_partial('ate(float8, boolean)'::regprocedure, y, t) FROM rows" >"$tmp/out" 2>&1; then
  bad "harness: an aggregate without serialfn is refused" "no error"
elif grep -q 'has no serialization function' "$tmp/out"; then
  ok "harness: an aggregate without serialfn is refused"
else
  bad "harness: an aggregate without serialfn is refused" "$(head -1 "$tmp/out")"
fi
if q -c "SELECT sim_partial('qte(float8, boolean, float8)'::regprocedure, y, t, 0.5) FROM rows" >"$tmp/out" 2>&1; then
  bad "harness: an argument of the wrong type is refused" "no error"
elif grep -q 'has type numeric, but' "$tmp/out"; then
  ok "harness: an argument of the wrong type is refused"
else
  bad "harness: an argument of the wrong type is refused" "$(head -1 "$tmp/out")"
fi
printf '(1.5,{2.000000000001},x)\n' >"$tmp/a"; printf '(1.5,{2.000000001},x)\n' >"$tmp/b"
printf '(1.5,{2},y)\n' >"$tmp/c"
if same "$tmp/a" "$tmp/a" >/dev/null && ! same "$tmp/a" "$tmp/b" >/dev/null && ! same "$tmp/a" "$tmp/c" >/dev/null; then
  ok "harness: the comparison catches a difference"
else
  bad "harness: the comparison catches a difference" "it does not"
fi

# --- hte's aggregates with an internal state ---
# The anyelement forms cannot work this way: called without an expression,
# nothing tells the transition function the subgroup's type (and Citus's
# argument type check refuses anyelement before that).  hte says so; the
# concrete overloads, which the parser prefers for these columns, work.
expect_unsupported() {  # NAME SIGNATURE ARGS
  local name=$1 sig=$2 args=$3
  if q -c "SELECT sim_combine('$sig'::regprocedure, p) FROM (SELECT sim_partial('$sig'::regprocedure, $args) p FROM rows GROUP BY i % 3) s" >"$tmp/out" 2>&1; then
    bad "$name: refused without a call expression" "no error"
  elif grep -q "could not determine the subgroup's type" "$tmp/out"; then
    ok "$name: refused without a call expression (as expected; use a concrete overload)"
  else
    bad "$name: refused without a call expression" "$(head -1 "$tmp/out")"
  fi
}
expect_unsupported "cate_by(float8, boolean, anyelement)" 'cate_by(float8, boolean, anyelement)' 'y, t, g::numeric'
expect_unsupported "heterogeneity_test(float8, boolean, anyelement)" \
  'heterogeneity_test(float8, boolean, anyelement)' 'y, t, g::numeric'
compare "cate_by(float8, boolean, integer)" 'cate_by(float8, boolean, integer)' 'y, t, g'
compare "cate_by(float8, boolean, text)" 'cate_by(float8, boolean, text)' 'y, t, s'
compare "cate_by(float8, integer, bigint, text) holm" \
  'cate_by(float8, integer, bigint, text)' "y, t::int, g::bigint, 'holm'::text"
compare "cate_by(float8, boolean, date)" 'cate_by(float8, boolean, date)' "y, t, DATE '2026-01-01' + g"
compare "heterogeneity_test(float8, boolean, integer)" 'heterogeneity_test(float8, boolean, integer)' 'y, t, g'
compare "heterogeneity_test(float8, smallint, boolean)" \
  'heterogeneity_test(float8, smallint, boolean)' 'y, t::int::smallint, g > 1'
compare "qte(float8, boolean, float8) q = 0.5" \
  'qte(float8, boolean, float8)' 'y, t, 0.5::float8'
compare "qte(float8, boolean, float8[]) {0.25,0.5,0.75}" \
  'qte(float8, boolean, float8[])' "y, t, ARRAY[0.25, 0.5, 0.75]::float8[]"
compare "homogeneity_test(float8, boolean)" \
  'homogeneity_test(float8, boolean)' 'y, t'
compare "interaction_test(float8, boolean, float8, text) HC2" \
  'interaction_test(float8, boolean, float8, text)' "y, t, x, 'HC2'::text"
compare "ate(float8, boolean, float8[], text) HC3" \
  'ate(float8, boolean, float8[], text)' "y, t, ARRAY[x, g::float8], 'HC3'::text"
compare "cate_projection(float8, boolean, float8, float8, float8, float8[])" \
  'cate_projection(float8, boolean, float8, float8, float8, float8[])' \
  "y, t, (0.3 + 0.1 * g)::float8, 50 + x, 53 + x, ARRAY[x, g::float8]"
compare "cate_projection(float8, integer, float8, float8, float8, float8[], text) HC0" \
  'cate_projection(float8, integer, float8, float8, float8, float8[], text)' \
  "y, t::int, (0.3 + 0.1 * g)::float8, 50 + x, 53 + x, ARRAY[x], 'HC0'::text"
compare "calibration_test(float8, boolean, float8, float8, float8)" \
  'calibration_test(float8, boolean, float8, float8, float8)' \
  "y, t, (0.3 + 0.1 * g)::float8, 51 + x, (2 + g)::float8"
compare "rate(float8, boolean, float8, float8, float8, float8)" \
  'rate(float8, boolean, float8, float8, float8, float8)' "y, t, 0.5::float8, 50 + x, 53 + x, g::float8"
compare "rate(float8, boolean, float8, float8, float8, float8, text) QINI" \
  'rate(float8, boolean, float8, float8, float8, float8, text)' "y, t, 0.5::float8, 50 + x, 53 + x, x, 'QINI'::text"
# the causal forest: the whole model (its text) must be identical
compare "causal_forest(float8, boolean, float8[], jsonb)" \
  'causal_forest(float8, boolean, float8[], jsonb)' "y, t, ARRAY[x, g::float8], '{\"num_trees\": 100, \"seed\": 3}'::jsonb"
compare "causal_forest(float8, integer, float8[])" \
  'causal_forest(float8, integer, float8[])' "y, t::int, ARRAY[x, g::float8, sin(i)]"
# the trial measures with cate_by's keyed state (ate_blocked, ate_clustered;
# risk_effects, late and allocation_check have float8[] states, shipped as
# ate's are)
compare "ate_blocked(float8, boolean, integer)" 'ate_blocked(float8, boolean, integer)' "y, t, g"
compare "ate_blocked(float8, bigint, text)" 'ate_blocked(float8, bigint, text)' "y, t::int::bigint, s"
compare "ate_clustered(float8, boolean, integer)" 'ate_clustered(float8, boolean, integer)' "y, t, (i % 2) * 100 + (i / 40)::int"
# the pictures: forest_plot keeps its rows in input order, which the shards
# change, so every row here is the same (600 of them: the kept rows, their
# counts and options go through serialfn, deserialfn and combinefn)
compare "forest_plot(text, float8, float8, float8, bigint, jsonb)" \
  'forest_plot(text, float8, float8, float8, bigint, jsonb)' \
  "U&'K\00F6ln <&>'::text, 1.5::float8, 0.5::float8, 2.5::float8, 7::bigint, '{\"title\": \"t\"}'::jsonb"
compare "forest_plot_text(text, float8, float8, float8)" \
  'forest_plot_text(text, float8, float8, float8)' "NULL::text, NULL::float8, NULL::float8, NULL::float8"

finish
