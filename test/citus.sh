#!/usr/bin/env bash
# hte on a real Citus cluster: a coordinator and two workers on loopback,
# three throwaway clusters (initdb into a temporary directory, as the
# postgres user when run as root; ports 55432-55434, HTE_CITUS_PORT moves
# the first), each with shared_preload_libraries = 'citus' and the
# extensions citus and hte.  A table of HTE_CITUS_ROWS deterministic rows
# (1,000,000 by default) is distributed by id over 32 shards, and an
# identical copy stays a plain local table on the coordinator.
#
# For each aggregate three checks, one line each:
#   pushdown  EXPLAIN (VERBOSE) on the coordinator: worker_partial_agg on
#             the workers and coord_combine_agg on the coordinator, or the
#             rows' columns pulled to the coordinator.  Expected: pushed down
#             when the state type is not internal (README, "On Citus"),
#             pulled otherwise.
#   local     the query over the distributed table gives the same text as
#             over the local copy, every number within 1e-12 relative, the
#             rest of the text exactly.
#   disabled  with citus.coordinator_aggregation_strategy = 'disabled' the
#             query still runs (and equals local) when it is pushed down;
#             an internal-state aggregate is refused by Citus ("unsupported
#             aggregate function"), which is expected.
# Then the exactness of the shipped states: with extra_float_digits = 0 on
# the workers (ALTER SYSTEM + reload), ate(y, t) (float8[] state, shipped as
# float8[] text) and ate(s) over ate_state(y, t) (hte_ate_state, shipped as
# its own text) against the local result.
#
# Skips (exit 0) when Citus is not installed ($(pg_config --pkglibdir)/citus.so).
# Not part of the test command.  Citus 13.2.2, the newest release for
# PostgreSQL 15, built beside the project (never committed):
#   apt-get install -y liblz4-dev libzstd-dev libkrb5-dev
#   git archive v13.2.2 (github.com/citusdata/citus) into a directory, then
#   ./configure --without-libcurl PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
#   in src/include/pg_version_compat.h rename Citus's static
#   have_createdb_privilege(void) to citus_have_createdb_privilege (Debian's
#   15.20 headers declare the server's own, which the one caller then uses)
#   make -j2 && make install
# Run from the repository root, as root or as a user who may run initdb:
#   bash test/citus.sh
# Prints "ok ...", "FAIL ..." or "info ..." per check and ends with
# "citus: N passed, M failed"; exits non-zero on failure.  The clusters are
# stopped and deleted on exit (HTE_CITUS_KEEP=1 leaves them running, to debug).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C.UTF-8
pg_config=${PG_CONFIG:-pg_config}
t_start=$SECONDS

pkglibdir=$("$pg_config" --pkglibdir 2>/dev/null) || { echo "skip citus: no $pg_config"; exit 0; }
if [ ! -f "$pkglibdir/citus.so" ]; then
  echo "skip citus: Citus is not installed ($pkglibdir/citus.so missing)"
  exit 0
fi
bindir=$("$pg_config" --bindir)
sharedir=$("$pg_config" --sharedir)
rows=${HTE_CITUS_ROWS:-1000000}
port0=${HTE_CITUS_PORT:-55432}
ports=("$port0" "$((port0 + 1))" "$((port0 + 2))")   # coordinator, worker 1, worker 2
coord=${ports[0]}
tol=1e-12

pass=0
fail=0
ok()   { echo "ok   $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL $*"; fail=$((fail + 1)); }
info() { echo "info $*"; }
finish() {
  info "runtime: $((SECONDS - t_start)) s"
  echo "citus: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}

if [ ! -f "$sharedir/extension/hte.control" ]; then
  bad "hte is not installed ($sharedir/extension/hte.control missing)"
  finish
fi

# as the postgres user when root (initdb and postgres refuse root)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

tmp=$(mktemp -d /tmp/hte_citus.XXXXXX)
chmod 755 "$tmp"
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp"
started=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  if [ -n "${HTE_CITUS_KEEP:-}" ]; then
    info "HTE_CITUS_KEEP: the clusters keep running in $tmp (ports ${ports[*]})"
    return
  fi
  for p in "${started[@]}"; do
    as_pg "$bindir/pg_ctl" -D "$tmp/node$p" -m immediate -w stop >/dev/null 2>&1
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# psql on node PORT; the SQL on stdin; rows unaligned, no headers
sqlp() {
  local port=$1; shift
  "$bindir/psql" -X -A -t -q -v ON_ERROR_STOP=1 -h localhost -p "$port" -U postgres -d postgres "$@" -f -
}

# --- the three clusters --------------------------------------------------------
for p in "${ports[@]}"; do
  if "$bindir/pg_isready" -q -h localhost -p "$p" >/dev/null 2>&1 || [ $? -eq 1 ]; then
    bad "setup: port $p is already in use (HTE_CITUS_PORT=... picks others)"
    finish
  fi
done
for p in "${ports[@]}"; do
  d="$tmp/node$p"
  if ! as_pg "$bindir/initdb" -D "$d" -A trust -U postgres --no-sync >"$tmp/initdb$p.log" 2>&1; then
    bad "setup: initdb of node $p failed: $(tail -3 "$tmp/initdb$p.log" | tr '\n' ' ')"
    finish
  fi
  cat >>"$d/postgresql.conf" <<EOF
port = $p
listen_addresses = 'localhost'
unix_socket_directories = '$tmp'
shared_preload_libraries = 'citus'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # initdb -A trust already trusts every local and loopback connection
  if ! as_pg "$bindir/pg_ctl" -D "$d" -l "$tmp/node$p.log" -w -t 60 start >/dev/null 2>&1; then
    bad "setup: node $p did not start: $(tail -3 "$tmp/node$p.log" | tr '\n' ' ')"
    finish
  fi
  started+=("$p")
done
for p in "${ports[@]}"; do
  if ! err=$(sqlp "$p" <<<"CREATE EXTENSION citus; CREATE EXTENSION hte;" 2>&1); then
    bad "setup: CREATE EXTENSION citus, hte on node $p: $err"
    finish
  fi
done
if ! err=$(sqlp "$coord" <<EOF 2>&1
SELECT citus_set_coordinator_host('localhost', $coord);
SELECT citus_add_node('localhost', ${ports[1]});
SELECT citus_add_node('localhost', ${ports[2]});
EOF
); then
  bad "setup: adding the workers: $err"
  finish
fi

# --- the data -------------------------------------------------------------------
# y near 1e6 with an effect 2 + cos(i) (so a float8[] state shipped with 15
# digits loses some), t a fixed pseudo-random half, x a covariate, g and s
# subgroups, day, site.
t_data=$SECONDS
if ! err=$(sqlp "$coord" <<EOF 2>&1
CREATE TABLE dist (id bigint PRIMARY KEY, y float8, t boolean, x float8,
                   g integer, s text, day integer, site integer);
SELECT create_distributed_table('dist', 'id', shard_count := 32);
INSERT INTO dist
SELECT i, 1e6 + sin(i) * 40 + tr::int * (2 + cos(i)), tr,
       cos(i * 0.7) * 10 + i * 1e-5, (i / 3) % 4, 's' || ((i / 5) % 3), i % 365, i % 17
FROM generate_series(1, $rows) i, LATERAL (SELECT (i * 37) % 11 < 5 AS tr) a;
CREATE TABLE loc AS SELECT * FROM dist;
ANALYZE dist; ANALYZE loc;
EOF
); then
  bad "setup: creating the tables: $err"
  finish
fi
setup=$(sqlp "$coord" <<'EOF' 2>&1
SELECT extversion FROM pg_extension WHERE extname = 'citus';
SELECT string_agg(extversion, ',') FROM pg_extension WHERE extname = 'hte';
SELECT string_agg(result, ',' ORDER BY nodeport) FROM run_command_on_workers($$SELECT extversion FROM pg_extension WHERE extname = 'hte'$$);
SELECT count(*) FROM dist;
SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'dist'::regclass;
SELECT count(DISTINCT nodeport) FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'dist'::regclass;
SELECT count(*) FROM loc;
SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'loc'::regclass;
EOF
)
{ read -r v_citus; read -r v_hte; read -r v_hte_w; read -r n_dist; read -r n_shards; read -r n_workers; read -r n_loc; read -r loc_in_citus; } <<<"$setup"
summary="citus $v_citus, hte $v_hte on the coordinator and $v_hte_w on the workers; dist: $n_dist rows in $n_shards shards on $n_workers workers; loc: $n_loc rows, local"
[ "$loc_in_citus" = 0 ] || summary="$summary (BUT loc IS IN CITUS METADATA)"
if [ -n "$v_hte" ] && [ "$v_hte_w" = "$v_hte,$v_hte" ] && [ "$n_dist" = "$rows" ] && [ "$n_shards" = 32 ] &&
   [ "$n_workers" = 2 ] && [ "$n_loc" = "$rows" ] && [ "$loc_in_citus" = 0 ]; then
  ok "setup: $summary ($((SECONDS - t_data)) s to load)"
else
  bad "setup: $summary $(short <<<"$setup")"
  finish
fi

# --- comparison -------------------------------------------------------------------
# compare FILE_A FILE_B: "maxrel X" when both texts are the same apart from
# their numbers and every number pair is within relative X; otherwise "differ: ...".
compare() {
  awk -v RS='\001' '
    function split_nums(s, arr,   n) {
      n = 0; skel = ""
      while (match(s, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
        skel = skel substr(s, 1, RSTART - 1) "#"
        arr[++n] = substr(s, RSTART, RLENGTH)
        s = substr(s, RSTART + RLENGTH)
      }
      skel = skel s
      return n
    }
    function abs(v) { return v < 0 ? -v : v }
    FNR == 1 { txt[++f] = $0 }
    END {
      na = split_nums(txt[1], A); sa = skel
      nb = split_nums(txt[2], B); sb = skel
      if (na == 0 && nb == 0 && sa == "") { print "differ: both empty"; exit }
      if (sa != sb || na != nb) { print "differ: the texts differ beyond their numbers"; exit }
      m = 0; at = 0
      for (i = 1; i <= na; i++) {
        x = A[i] + 0; y = B[i] + 0
        if (x == y) continue
        d = abs(x - y) / (abs(x) > abs(y) ? abs(x) : abs(y))
        if (d > m) { m = d; at = i }
      }
      if (at) printf "maxrel %.3g (number %d of %d: %s vs %s)\n", m, at, na, A[at], B[at]
      else printf "maxrel 0 (%d numbers)\n", na
    }' "$1" "$2"
}
within() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
short() { tr '\n' ' ' | sed -E 's/ +/ /g; s/ $//' | cut -c1-"${1:-220}"; }

# run SQL (with @T replaced by TABLE) on the coordinator into FILE; returns psql's status
run_on() {
  local table=$1 out=$2 pre=$3 sql=$4
  printf '%s\n%s\n' "$pre" "${sql//@T/$table}" | sqlp "$coord" >"$out" 2>"$out.err"
}

# check LABEL EXPECT(push|pull) SQL [EXPLAIN_SQL]
#   SQL may be several statements; only the rows of its SELECTs are compared.
#   EXPLAIN_SQL (default SQL) is the one statement explained.
check() {
  local label=$1 expect=$2 sql=$3 explain=${4:-$3}
  local d="$tmp/q" plan r
  # (a) pushed down?
  if ! plan=$(sqlp "$coord" <<<"EXPLAIN (VERBOSE) ${explain//@T/dist}" 2>&1); then
    bad "$label: pushdown: EXPLAIN failed: $(short <<<"$plan")"
  else
    local query
    query=$(grep -m1 -E '^ *Query: ' <<<"$plan" | sed -E 's/^ *Query: //')
    if grep -q 'worker_partial_agg' <<<"$plan" && grep -q 'coord_combine_agg' <<<"$plan"; then
      local aggs
      aggs=$(grep -oE "worker_partial_agg\('[^']*'::regprocedure" <<<"$plan" |
        sed -E "s/worker_partial_agg\('//; s/'::regprocedure$//; s/public\.//; s/double precision/float8/g" | sort -u | paste -sd' ' -)
      if [ "$expect" = push ]; then
        ok "$label: pushdown: pushed down (worker_partial_agg/coord_combine_agg of $aggs)"
      else
        bad "$label: pushdown: expected the rows pulled, but pushed down ($aggs)"
      fi
    elif [ -n "$query" ]; then
      if [ "$expect" = pull ]; then
        ok "$label: pushdown: not pushed down, rows pulled (internal state, expected): $(short 140 <<<"$query")"
      else
        bad "$label: pushdown: NOT pushed down; worker query: $(short <<<"$query")"
      fi
    else
      bad "$label: pushdown: no worker query in the plan: $(short <<<"$plan")"
    fi
  fi
  # (b) equals local?
  local okd=0
  if ! run_on dist "$d.dist" "" "$sql"; then
    bad "$label: local: ERROR on the distributed table: $(short <"$d.dist.err")"
  elif ! run_on loc "$d.loc" "SET max_parallel_workers_per_gather = 0;" "$sql"; then
    bad "$label: local: ERROR on the local table: $(short <"$d.loc.err")"
  else
    r=$(compare "$d.dist" "$d.loc")
    if [[ $r == maxrel* ]] && within "$(awk '{print $2}' <<<"$r")" "$tol"; then
      ok "$label: local: equals the local result ($r)"; okd=1
    else
      bad "$label: local: distributed differs from local: $r; dist: $(short 300 <"$d.dist"); local: $(short 300 <"$d.loc")"
    fi
  fi
  # (c) runs with coordinator_aggregation_strategy = 'disabled'?
  if run_on dist "$d.dis" "SET citus.coordinator_aggregation_strategy = 'disabled';" "$sql"; then
    if [ "$expect" = pull ]; then
      bad "$label: disabled: runs, but an internal-state aggregate was expected to be refused"
    elif [ "$okd" -eq 1 ]; then
      r=$(compare "$d.dis" "$d.loc")
      if [[ $r == maxrel* ]] && within "$(awk '{print $2}' <<<"$r")" "$tol"; then
        ok "$label: disabled: runs, equals local ($r)"
      else
        bad "$label: disabled: runs but differs from local: $r"
      fi
    else
      ok "$label: disabled: runs"
    fi
  else
    local err
    err=$(short <"$d.dis.err")
    if [ "$expect" = pull ] && grep -q 'ERROR:  unsupported aggregate function' "$d.dis.err"; then
      ok "$label: disabled: refused by Citus as expected (internal state): $err"
    else
      bad "$label: disabled: $err"
    fi
  fi
}

# --- the aggregates ----------------------------------------------------------------
t_checks=$SECONDS
check "ate(y, t)" push \
  "SELECT ate(y, t) FROM @T;"
check "ate(s) over ate_state(y, t)" push \
  "SELECT ate(s) FROM (SELECT ate_state(y, t) s FROM @T) q;"
check "ate(s) over a rollup of ate_state(y, t) by site" push \
  "DROP TABLE IF EXISTS rollup_@T; CREATE TABLE rollup_@T AS SELECT site, ate_state(y, t) s FROM @T GROUP BY site; SELECT ate(s) FROM rollup_@T;" \
  "SELECT site, ate_state(y, t) s FROM @T GROUP BY site;"
check "interaction_test(y, t, x)" push \
  "SELECT interaction_test(y, t, x) FROM @T;"
check "interaction_test(s) over interaction_test_state(y, t, x)" push \
  "SELECT interaction_test(s) FROM (SELECT interaction_test_state(y, t, x) s FROM @T) q;"
check "ate(y, t, ARRAY[x, x*x])" push \
  "SELECT ate(y, t, ARRAY[x, x*x]) FROM @T;"
check "ate(s) over ate_state(y, t, ARRAY[x, x*x])" push \
  "SELECT ate(s) FROM (SELECT ate_state(y, t, ARRAY[x, x*x]) s FROM @T) q;"
check "ate_sequential(y, t, 1000000)" push \
  "SELECT ate_sequential(y, t, 1000000) FROM @T;"
check "ate_cuped(y, t, x)" push \
  "SELECT ate_cuped(y, t, x) FROM @T;"
check "heterogeneity_test(estimate, std_error) over ate(y, t) by g" push \
  "SELECT heterogeneity_test(estimate, std_error) FROM (SELECT g, (ate(y, t)).estimate, (ate(y, t)).std_error FROM @T GROUP BY g) q;"
check "cate_by(y, t, g)" pull \
  "SELECT cate_by(y, t, g) FROM @T;"
check "cate_by(y, t, s)" pull \
  "SELECT cate_by(y, t, s) FROM @T;"
check "heterogeneity_test(y, t, g)" pull \
  "SELECT heterogeneity_test(y, t, g) FROM @T;"
check "qte(y, t, 0.5)" pull \
  "SELECT qte(y, t, 0.5::float8) FROM @T;"
check "qte(y, t, ARRAY[0.25, 0.5, 0.75])" pull \
  "SELECT qte(y, t, ARRAY[0.25, 0.5, 0.75]::float8[]) FROM @T;"
check "homogeneity_test(y, t)" pull \
  "SELECT homogeneity_test(y, t) FROM @T;"
check "interaction_test(y, t, x, 'HC2')" pull \
  "SELECT interaction_test(y, t, x, 'HC2') FROM @T;"
check "dml_plr(y, t::int, y_hat, d_hat)" push \
  "SELECT dml_plr(y, t::int, 1e6 + 1, 0.45) FROM @T;"
check "aipw(y, t, e_hat, mu0_hat, mu1_hat)" push \
  "SELECT aipw(y, t, 0.3 + 0.1 * g, 1e6 + sin(id) * 40, 1e6 + 2 + sin(id) * 40) FROM @T;"
check "cate_projection(y, t, e_hat, mu0_hat, mu1_hat, ARRAY[x])" pull \
  "SELECT cate_projection(y, t, 0.3 + 0.1 * g, 1e6 + sin(id) * 40, 1e6 + 2 + sin(id) * 40, ARRAY[x]) FROM @T;"
check "cate_projection(..., ARRAY[x], 'HC0') (moment form)" pull \
  "SELECT cate_projection(y, t, 0.3 + 0.1 * g, 1e6 + sin(id) * 40, 1e6 + 2 + sin(id) * 40, ARRAY[x], 'HC0') FROM @T;"
check "calibration_test(y, t, e_hat, m_hat, tau_hat)" pull \
  "SELECT calibration_test(y, t, 0.3 + 0.1 * g, 1e6 + 1 + sin(id) * 40, 2 + cos(id)) FROM @T;"
check "rate(y, t, e_hat, mu0_hat, mu1_hat, priority)" pull \
  "SELECT rate(y, t, 0.3 + 0.1 * g, 1e6 + sin(id) * 40, 1e6 + 2 + sin(id) * 40, cos(id)) FROM @T;"
check "p_adjusted(p, 'holm') OVER () over ate(y, t) by site" push \
  "SELECT site, (ate(y, t)).p_value, p_adjusted((ate(y, t)).p_value, 'holm') OVER () FROM @T GROUP BY site ORDER BY site;"

# --- exactness of the shipped states: extra_float_digits = 0 on the workers ----------
# ate(y, t) ships its float8[] state as float8[] text (15 significant digits
# at extra_float_digits = 0); ate_state's hte_ate_state text is exact.
q="$tmp/x"
exact() {  # exact LABEL SQL TAG -> "$q.TAG.dist" / "$q.TAG.loc"; prints the comparison
  local sql=$2 tag=$3
  run_on dist "$q.$tag.dist" "" "$sql" || { echo "ERROR $(short <"$q.$tag.dist.err")"; return; }
  run_on loc "$q.$tag.loc" "SET max_parallel_workers_per_gather = 0;" "$sql" || { echo "ERROR $(short <"$q.$tag.loc.err")"; return; }
  compare "$q.$tag.dist" "$q.$tag.loc"
}
sql_ate="SELECT ate(y, t) FROM @T;"
sql_est="SELECT (ate(y, t)).estimate FROM @T;"
sql_state="SELECT ate(s) FROM (SELECT ate_state(y, t) s FROM @T) q;"
sql_state_est="SELECT (ate(s)).estimate FROM (SELECT ate_state(y, t) s FROM @T) q;"
b_ate=$(exact a "$sql_ate" ate1); b_state=$(exact s "$sql_state" state1)
efd=$(sqlp "$coord" <<<"SELECT string_agg(result, ',') FROM run_command_on_workers('SHOW extra_float_digits');" 2>&1)
info "extra_float_digits = $efd on the workers (default): ate(y, t) vs local: $b_ate; ate(s) over ate_state(y, t) vs local: $b_state"
for p in "${ports[1]}" "${ports[2]}"; do
  sqlp "$p" <<<"ALTER SYSTEM SET extra_float_digits = 0; SELECT pg_reload_conf();" >/dev/null 2>&1
done
sleep 1
efd=$(sqlp "$coord" <<<"SELECT string_agg(result, ',') FROM run_command_on_workers('SHOW extra_float_digits');" 2>&1)
if [ "$efd" != "0,0" ]; then
  bad "exactness: could not set extra_float_digits = 0 on the workers (SHOW gives $efd)"
else
  r_ate=$(exact a "$sql_ate" ate0); r_est=$(exact e "$sql_est" est0)
  r_state=$(exact s "$sql_state" state0); r_state_est=$(exact t "$sql_state_est" stest0)
  info "extra_float_digits = 0 on the workers: ate(y, t) (float8[] state as text) vs local: all numbers $r_ate; estimate $r_est"
  info "extra_float_digits = 0 on the workers: ate(s) over ate_state(y, t) (hte_ate_state as text) vs local: all numbers $r_state; estimate $r_state_est"
  if [[ $r_state == maxrel* ]] && within "$(awk '{print $2}' <<<"$r_state")" "$tol"; then
    ok "exactness: ate_state(y, t) shipped at extra_float_digits = 0 equals local within $tol ($r_state)"
  else
    bad "exactness: ate_state(y, t) shipped at extra_float_digits = 0 differs from local: $r_state"
  fi
  if cmp -s "$q.state0.dist" "$q.state1.dist"; then
    info "exactness: ate(s) over ate_state(y, t) is the same text at extra_float_digits = 0 and 1 on the workers"
  else
    info "exactness: ate(s) over ate_state(y, t) differs between extra_float_digits = 0 and 1 on the workers: $(compare "$q.state0.dist" "$q.state1.dist")"
  fi
  if [[ $r_ate == maxrel* ]] && within "$(awk '{print $2}' <<<"$r_ate")" "$tol"; then
    info "exactness: ate(y, t) shipped at extra_float_digits = 0 stays within $tol of local ($r_ate)"
  else
    info "exactness: ate(y, t) shipped at extra_float_digits = 0 drifts from local beyond $tol: $r_ate (known: float8[] text at 15 digits; use ate_state on Citus)"
  fi
  for p in "${ports[1]}" "${ports[2]}"; do
    sqlp "$p" <<<"ALTER SYSTEM RESET extra_float_digits; SELECT pg_reload_conf();" >/dev/null 2>&1
  done
fi
info "checks: $((SECONDS - t_checks)) s"
finish
