#!/usr/bin/env bash
# hte on the PostgreSQL majors newer than the machine's, each in its own
# Debian root entered with chroot (run as root; needs debootstrap):
#
#   17  Debian 13 (trixie)
#   18  Debian unstable (sid)
#   19  Debian experimental: a sid root that also sees experimental, with
#       PostgreSQL's packages from there and everything else from sid
#   15  (on request) Debian 12 (bookworm): the host's major, in a clean root
#
#   bash test/majors.sh                       # 17, 18 and 19
#   HTE_MAJORS="18" bash test/majors.sh       # some of them
#
# First, for every major at once (in the background, each with its log):
#   root      made with `debootstrap --variant=minbase` from the machine's own
#             Debian mirror (the first non-security URI of its apt sources),
#             or the one cached by an earlier run reused as it is;
#   packages  test/deps.sh (PostgreSQL NN; the test profile, R included,
#             except on the HTE_NO_R_MAJORS: build profile);
#   build     test/build.sh (-Wall -Wextra -Werror) on a copy of the
#             checkout taken when this run started (/src in the root:
#             tracked and untracked files, not what git ignores).
# Then, one major at a time (the reliability suites measure time): the
# suites of test/run_all.sh that depend on PostgreSQL, in one pg_virtualenv.
#
# Prints each suite's result line prefixed with its major
# ("pg17-regress: 11 passed, 0 failed"), the time of every stage, the end of
# the output of whatever failed, and ends with "majors: N passed, M failed"
# over the suites of every major, where a major whose root, packages or
# build failed counts one failure.  Exits non-zero on any failure.  All of
# a major's output is in $HTE_MAJORS_LOGS/pgNN.log.
#
# Environment:
#   HTE_MAJORS          the majors (default "17 18 19")
#   HTE_ROOTS           the cache of roots, one per Debian suite (default
#                       /var/cache/hte-ci/roots): reused as they are, with
#                       the packages earlier runs installed, until deleted
#   HTE_REMAKE_ROOTS=1  make the roots of this run anew (newer packages)
#   HTE_MAJORS_LOGS     the logs (default /var/cache/hte-ci/logs)
#   HTE_SUITES          the suites, named as their result lines (default:
#                       regress upgrade readme citus_sim, the R cross-checks
#                       r-ate r-interaction ..., arrays concurrency cancel);
#                       dist, select and fuzz, which do not depend on
#                       PostgreSQL, are test/run_all.sh's on the host, but
#                       can be asked for
#   HTE_NO_R_MAJORS     majors that get the build profile only (no R, no
#                       clang) and so skip dist, select, fuzz and the R
#                       cross-checks (default "19"; "" for none)
#   HTE_MAJOR_SKIP      "major:suite" pairs to leave out (default: the
#                       longest R suites, r-subgroup, r-sequential,
#                       r-observational, r-dml, r-aipw, r-cate_models, r-rate,
#                       r-forest and r-forest_tree, and
#                       the cancellation suite on 17,
#                       and cancellation on 19: each still runs on 15 and
#                       18, and together they cost over 3 minutes; "" runs
#                       everything)
#   HTE_MAJORS_SERIAL=1 prepare one major after the other
#   HTE_MIRROR          the Debian mirror URI, instead of the apt sources'
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
export LC_ALL=C.UTF-8

roots="${HTE_ROOTS:-/var/cache/hte-ci/roots}"
logs="${HTE_MAJORS_LOGS:-/var/cache/hte-ci/logs}"
no_r=" ${HTE_NO_R_MAJORS-19} "
major_skip="${HTE_MAJOR_SKIP-17:r-subgroup 17:r-sequential 17:r-observational 17:r-dml 17:r-aipw 17:r-cate_models 17:r-rate 17:r-forest 17:r-forest_tree 17:cancel 19:cancel}"
r_suites=$(ls test/r/check_*.R 2>/dev/null | sed -E 's|.*/check_(.*)\.R$|r-\1|' | tr '\n' ' ')
suites=(${HTE_SUITES:-regress upgrade readme citus_sim $r_suites arrays concurrency cancel})
majors=()
for m in ${HTE_MAJORS:-17 18 19}; do   # each once: one root per major
  [[ " ${majors[*]} " == *" $m "* ]] || majors+=("$m")
done

total_pass=0; total_fail=0
fail_line() {  # name, reason: a failure that has no suite result line
  echo "$1: 0 passed, 1 failed"
  echo "  $2"
  total_fail=$((total_fail + 1))
}
finish() {
  echo
  echo "majors: $total_pass passed, $total_fail failed"
  [ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
  exit
}
if [ "$(id -u)" -ne 0 ]; then
  fail_line majors "must run as root (debootstrap, mount, chroot)"; finish
fi
command -v debootstrap >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
for t in debootstrap chroot mount umount mountpoint findmnt setsid flock tar; do
  command -v "$t" >/dev/null || { fail_line majors "$t is missing"; finish; }
done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { echo $(( ($(now_ms) - $1 + 500) / 1000 )); }

# ---------------------------------------------------------------- mirror
# The first URI of the machine's apt sources that is not a security archive:
# sources.list, then sources.list.d/ in name order, one-line and deb822.
mirror_uri() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
    [ -f "$f" ] && [ -r "$f" ] || continue
    case $f in
      *.list)
        sed -nE 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2 \3/p' "$f" |
          while read -r uri suite; do
            case "$uri $suite" in *security*) continue ;; esac
            case $uri in http://*|https://*) echo "$uri"; break ;; esac
          done ;;
      *.sources)
        awk '
          function flush(   n, u, i) {
            if (!done && types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" &&
                suites !~ /security/) {
              n = split(uris, u, /[ \t]+/)
              for (i = 1; i <= n; i++)
                if (u[i] ~ /^https?:\/\// && u[i] !~ /security/) { print u[i]; done = 1; break }
            }
            types = uris = suites = enabled = key = ""
          }
          /^[ \t]*#/ { next }
          /^[ \t]*$/ { flush(); next }
          /^[ \t]/   { if (key == "uris") uris = uris " " $0; next }
          {
            key = tolower($0); sub(/:.*/, "", key)
            val = $0; sub(/^[^:]*:[ \t]*/, "", val)
            if (key == "types") types = val
            else if (key == "uris") uris = val
            else if (key == "suites") suites = val
            else if (key == "enabled") enabled = val
          }
          END { flush() }' "$f" ;;
    esac
  done | head -1
}

# ---------------------------------------------------------------- processes
# Signals: the main shell and each preparing subshell trap them, stop what
# they started (by process id), unmount, and exit.  Long commands run in a
# process group of their own (setsid), in the background: the shell waits
# for them (`wait`, `read`) in a way a trapped signal interrupts at once,
# then stops the whole group.  Mounting and unmounting hold signals back
# until done.  Children do not get the lock's descriptor (a process left
# running must not hold the next run's lock).
child=
start_bg() {  # file, command...: start it as a process group of its own,
  # its output appended to the file (opened by it: the file may be a fifo)
  local out=$1; shift
  setsid "$@" >>"$out" 2>&1 9>&- &
  child=$!
  [ -n "$tmp" ] && echo "$child" > "$tmp/child.$BASHPID"
}
end_bg() {  # wait for it; its exit status
  local rc
  wait "$child"
  rc=$?
  child=
  [ -n "$tmp" ] && rm -f "$tmp/child.$BASHPID"
  return $rc
}
run_bg() { start_bg "$@"; end_bg; }
stop_group() {  # pid: TERM its group, KILL it after 5 s
  local g=$1
  kill -TERM -- "-$g" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$g" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$g" 2>/dev/null
}
stop_child() {
  [ -n "$child" ] && stop_group "$child"
  child=
}
# A clean environment inside: none of the caller's PG*, LANG, etc.
root_env=(/usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 TERM=dumb
          PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
          DEBIAN_FRONTEND=noninteractive)
in_root() { chroot "$1" "${root_env[@]}" "${@:2}" 9>&-; }

# ---------------------------------------------------------------- mounts
mounts_under() {  # mount points at or under a directory, deepest first
  findmnt -rn -o TARGET | sed 's/\\x20/ /g' |
    awk -v d="$1" '$0 == d || index($0, d "/") == 1' | sort -r
}
# Processes whose root is the given one (a cluster left running, a test
# still going after Ctrl-C): started by this run.  TERM, KILL after 5 s.
kill_in_root() {
  local r=$1 p l pids=()
  for p in /proc/[0-9]*; do
    l=$(readlink "$p/root" 2>/dev/null) || continue
    { [ "$l" = "$r" ] || [[ $l == "$r"/* ]]; } && pids+=("${p#/proc/}")
  done
  ((${#pids[@]})) || return 0
  echo "  stopping ${#pids[@]} process(es) left in $r: ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "${pids[@]}" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null
  sleep 0.5
}
# Signals that come while (un)mounting wait for it to end; (u)mount runs
# in a session of its own, out of reach of the terminal's Ctrl-C (a bind
# mount must not be left before it is made a slave: unmounting it would
# then unmount the host's).
pending=
hold_signals() { pending=; trap 'pending=130' INT; trap 'pending=143' TERM HUP; }
release_signals() {
  if [ "$cleaning" -eq 1 ]; then trap '' INT TERM HUP; return; fi
  set_traps
  [ -z "$pending" ] || on_signal "$pending"
}
# Unmounts everything under a root, lazily what stays busy.
unmount_root() {
  local r=$1 m left
  [ -d "$r" ] || return 0
  hold_signals
  kill_in_root "$r"
  for m in dev sys proc; do
    mountpoint -q "$r/$m" 2>/dev/null && setsid -w umount -R "$r/$m" 2>/dev/null
  done
  left=$(mounts_under "$r")
  if [ -n "$left" ]; then
    while IFS= read -r m; do
      setsid -w umount "$m" 2>/dev/null || setsid -w umount -l "$m" 2>/dev/null
    done <<< "$left"
    left=$(mounts_under "$r")
  fi
  [ -n "$left" ] && echo "  could not unmount: $left"
  release_signals
  [ -z "$left" ]
}
mounted=
mount_root() {  # /proc, /sys and /dev (with /dev/shm, /dev/pts) in the root
  local r=$1 rc=0
  unmount_root "$r" || return 1   # left over by a run that was killed
  hold_signals
  mounted=$r
  setsid -w mount -t proc proc "$r/proc" &&
    setsid -w mount --rbind --make-rslave /sys "$r/sys" &&
    setsid -w mount --rbind --make-rslave /dev "$r/dev" || rc=1
  release_signals
  return $rc
}

tmp=
prep_pids=()
in_prep=0
cleaning=0
declare -A dsuite_of rel_of root_of want_of profile_of
cleanup() {
  cleaning=1
  trap '' INT TERM HUP
  stop_child
  local p m f
  if [ "$in_prep" -eq 0 ]; then
    # the preparing subshells stop their commands and unmount; a subshell
    # that does not end within 20 s is killed, and so are its commands
    for p in "${prep_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for _ in $(seq 1 200); do
      kill -0 "${prep_pids[@]}" 2>/dev/null || break
      sleep 0.1
    done
    for p in "${prep_pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    for f in "$tmp"/child.*; do [ -f "$f" ] && stop_group "$(cat "$f")"; done
  fi
  [ -n "$mounted" ] && unmount_root "$mounted"
  mounted=
  if [ "$in_prep" -eq 0 ]; then
    for m in "${majors[@]}"; do   # whatever a killed subshell left
      [ -n "${root_of[$m]:-}" ] && { unmount_root "${root_of[$m]}.partial"; unmount_root "${root_of[$m]}"; }
    done
    [ -n "$tmp" ] && rm -rf "$tmp"
  fi
}
on_signal() {  # exit status: 130 (INT), 143 (TERM, HUP)
  if [ "$in_prep" -eq 0 ]; then
    echo
    echo "majors: stopped by a signal; stopping what runs and unmounting"
    echo "majors: $total_pass passed, $((total_fail + 1)) failed"
  fi
  exit "$1"
}
set_traps() {
  trap 'on_signal 130' INT
  trap 'on_signal 143' TERM HUP
}

# ---------------------------------------------------------------- roots
# A root is made in ROOT.partial, its marker written last, then renamed: an
# interrupted run leaves nothing that looks complete, and the next remakes it.
marker=.hte-ci-root-complete
make_root() {  # debootstrap suite, root, log; sets root_state
  local dsuite=$1 r=$2 log=$3 d
  if [ -f "$r/$marker" ] && [ "${HTE_REMAKE_ROOTS:-0}" != 1 ]; then
    root_state="reused, made $(cat "$r/$marker")"; return 0
  fi
  root_state=made
  for d in "$r" "$r.partial"; do
    [ -e "$d" ] || continue
    unmount_root "$d" || return 1
    rm -rf --one-file-system "$d" || return 1
  done
  mkdir -p "$(dirname "$r")"
  echo "--- root: debootstrap --variant=minbase $dsuite" >> "$log"
  run_bg "$log" debootstrap --variant=minbase "$dsuite" "$r.partial" "$mirror" || return 1
  unmount_root "$r.partial" || return 1
  date -u +%FT%TZ > "$r.partial/$marker" && mv "$r.partial" "$r"
}
# On every run (cheap): apt sources from today's mirror, no service started
# and no main cluster made by the packages, dpkg without fsync and docs, DNS.
configure_root() {  # root, debootstrap suite, release with PostgreSQL (or "")
  local r=$1 dsuite=$2 rel=$3
  printf 'deb %s %s main\n' "$mirror" "$dsuite" > "$r/etc/apt/sources.list" || return 1
  rm -f "$r/etc/apt/sources.list.d/hte-ci.list" "$r/etc/apt/preferences.d/hte-ci"
  if [ -n "$rel" ]; then
    # PostgreSQL's packages from $rel, all else from $dsuite: a pin, not
    # apt-get -t $rel, which takes every dependency from $rel as well and
    # fails while $rel holds half of a transition (e.g. a perl the perl
    # modules of sid are not built for).
    printf 'deb %s %s main\n' "$mirror" "$rel" > "$r/etc/apt/sources.list.d/hte-ci.list" &&
      printf 'Package: postgresql* libpq* libecpg* libpgtypes*\nPin: release a=%s\nPin-Priority: 500\n' \
        "$rel" > "$r/etc/apt/preferences.d/hte-ci" || return 1
  fi
  case $dsuite in
    sid|unstable) echo 'Acquire::Check-Valid-Until "false";' > "$r/etc/apt/apt.conf.d/90hte-ci" ;;
  esac
  printf '%s\n' force-unsafe-io 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
    'path-exclude=/usr/share/info/*' > "$r/etc/dpkg/dpkg.cfg.d/90hte-ci" &&
  printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d" && chmod 755 "$r/usr/sbin/policy-rc.d" &&
  mkdir -p "$r/etc/postgresql-common/createcluster.d" &&
  echo 'create_main_cluster = false' > "$r/etc/postgresql-common/createcluster.d/hte-ci.conf" ||
    return 1
  if [ -e /etc/resolv.conf ] && ! cmp -s /etc/resolv.conf "$r/etc/resolv.conf"; then
    cp --remove-destination /etc/resolv.conf "$r/etc/resolv.conf" || return 1
  fi
}

# ---------------------------------------------------------------- prepare
# One major's root, packages and build, in a background subshell: writes
# "key value" lines to $tmp/prep.M (time_root, root_state, time_packages,
# versions, time_build, then "ok" or "fail STAGE REASON").
prepare() {  # major
  local m=$1 r=${root_of[$1]} log=$logs/pg$1.log st=$tmp/prep.$1 t rc
  in_prep=1
  prep_pids=()
  trap cleanup EXIT
  set_traps
  : > "$st"
  t=$(now_ms)
  if ! make_root "${dsuite_of[$m]}" "$r" "$log" || ! configure_root "$r" "${dsuite_of[$m]}" "${rel_of[$m]}"; then
    echo "time_root $(secs "$t")" >> "$st"
    echo "fail root could not make the root ${rel_of[$m]:-${dsuite_of[$m]}} from $mirror" >> "$st"; return 1
  fi
  echo "time_root $(secs "$t")" >> "$st"
  echo "root_state $root_state" >> "$st"
  mount_root "$r" || { echo "fail root could not mount /proc, /sys, /dev in $r" >> "$st"; return 1; }
  # the checkout as it was when the run started, and the suite runner
  rm -rf --one-file-system "$r/src" && mkdir "$r/src" &&
    tar -C "$r/src" --no-same-owner -xf "$tmp/src.tar" &&
    cp "$tmp/suites.sh" "$r/tmp/hte-suites.sh" ||
    { echo "fail copy could not copy the checkout into $r/src" >> "$st"; return 1; }

  t=$(now_ms)
  echo "--- packages: test/deps.sh ${profile_of[$m]}" >> "$log"
  # (dpkg --configure -a: a run stopped during the packages of the last one)
  run_bg "$log" chroot "$r" "${root_env[@]}" bash -c \
    "dpkg --configure -a; cd /src && HTE_DEPS_CLIENTS=0 HTE_DEPS_LINT=0 HTE_PG_MAJOR=$m bash test/deps.sh ${profile_of[$m]} && apt-get clean"
  rc=$?
  echo "time_packages $(secs "$t")" >> "$st"
  echo "versions $(in_root "$r" sh -c "/usr/lib/postgresql/$m/bin/postgres --version; gcc --version | head -1" 2>/dev/null |
                   tr '\n' ';' | sed 's/;$//; s/;/; /')" >> "$st"
  [ "$rc" -eq 0 ] || { echo "fail packages test/deps.sh ${profile_of[$m]} failed (exit $rc)" >> "$st"; return 1; }

  t=$(now_ms)
  echo "--- build: test/build.sh" >> "$log"
  run_bg "$log" chroot "$r" "${root_env[@]}" bash -c 'cd /src && bash test/build.sh' 
  rc=$?
  echo "time_build $(secs "$t")" >> "$st"
  [ "$rc" -eq 0 ] || { echo "fail build test/build.sh failed (exit $rc)" >> "$st"; return 1; }
  unmount_root "$r" || { echo "fail root mounts left under $r" >> "$st"; return 1; }
  mounted=
  echo "ok" >> "$st"
}

# ---------------------------------------------------------------- suites
# Runs inside the root, in /src: a begin and an end line around each suite,
# the end line with its exit status and milliseconds.
suite_runner='
cd /src || exit 1
ms() { echo $(( $(date +%s%N) / 1000000 )); }
for s in "$@"; do
  echo "@@hte-begin $s"
  t0=$(ms)
  case $s in
    r-*)    Rscript "test/r/check_${s#r-}.R" /src ;;
    arrays|concurrency|cancel) bash "test/reliability/$s.sh" ;;
    dist)   bash test/dist/run.sh ;;
    select) bash test/core/run.sh ;;
    fuzz)   bash test/fuzz/run.sh "${FUZZ_SECONDS:-20}" ;;
    *)      if [ -f "test/$s.sh" ]; then bash "test/$s.sh"   # regress, upgrade, readme, ...
            else echo "unknown suite $s"; false; fi ;;
  esac
  rc=$?
  echo "@@hte-end $s $rc $(( $(ms) - t0 ))"
done
'
# Reads a runner's output: all of it to the log; to the console each
# suite's result line, prefixed, its time, and the end of a failed one's output.
declare -A times
read_suites() {  # major, log
  local m=$1 log=$2 line cur='' buf=() res='' name rc ms fail
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$log"
    case $line in
      "@@hte-begin "*) cur=${line#@@hte-begin }; buf=(); res= ;;
      "@@hte-end "*)
        read -r name rc ms <<< "${line#@@hte-end }"
        times[$m,$name]=$(( (ms + 500) / 1000 ))
        if [ -n "$res" ]; then
          echo "pg$m-$res"
          fail=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<< "$res")
          if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
            echo "  (but it exited with status $rc)"; fail=1
          fi
        else
          echo "pg$m-$name: 0 passed, 1 failed"
          echo "  (no result line; exit status $rc)"; fail=1
        fi
        echo "pg$m time: $name ${times[$m,$name]} s"
        if [ "$fail" -eq 0 ]; then
          total_pass=$((total_pass + 1))
        else
          total_fail=$((total_fail + 1))
          echo "  --- pg$m $name: the end of its output (all of it in $log) ---"
          printf '%s\n' "${buf[@]}" | grep -vE '^[0-9-]+ [0-9:.]+ [A-Z]+ \[' | tail -80 | sed 's/^/  | /'
        fi
        cur= ;;
      *)
        [ -n "$cur" ] || continue
        buf+=("$line")
        [[ $line =~ ^${cur}:\ [0-9]+\ passed,\ [0-9]+\ failed$ ]] && res=$line ;;
    esac
  done
}

test_major() {  # major: its suites, those that need a cluster in one pg_virtualenv
  local m=$1 r=${root_of[$1]} log=$logs/pg$1.log s rc=
  local nodb=() db=()
  for s in ${want_of[$m]}; do
    case $s in dist|select|fuzz) nodb+=("$s") ;; *) db+=("$s") ;; esac
  done
  mount_root "$r" || { fail_line "pg$m-root" "could not mount /proc, /sys, /dev in $r"; return 1; }
  rm -rf "$r"/tmp/pg_virtualenv.*   # clusters of a run that was killed
  echo "--- suites" >> "$log"
  rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
  if ((${#nodb[@]})); then
    start_bg "$tmp/fifo" chroot "$r" "${root_env[@]}" bash /tmp/hte-suites.sh "${nodb[@]}"
    read_suites "$m" "$log" < "$tmp/fifo"
    end_bg
  fi
  if ((${#db[@]})); then
    start_bg "$tmp/fifo" chroot "$r" "${root_env[@]}" pg_virtualenv -t bash /tmp/hte-suites.sh "${db[@]}"
    read_suites "$m" "$log" < "$tmp/fifo"
    end_bg
    rc=$?
  fi
  for s in ${want_of[$m]}; do   # the runner died before reporting it
    [ -n "${times[$m,$s]:-}" ] || fail_line "pg$m-$s" "did not run (pg_virtualenv exit ${rc:-?}; see $log)"
  done
  unmount_root "$r" || fail_line "pg$m-unmount" "mounts left under $r"
  mounted=
}

# ---------------------------------------------------------------- main
trap cleanup EXIT
set_traps
mkdir -p "$roots" "$logs" || { fail_line majors "cannot create $roots or $logs"; finish; }
exec 9>"$roots/.lock"
if ! flock -n 9; then
  echo "majors: another run holds $roots/.lock; waiting for it"
  flock 9
fi
mirror="${HTE_MIRROR:-$(mirror_uri)}"
[ -n "$mirror" ] || { fail_line majors "no Debian mirror in /etc/apt/sources.list{,.d/}"; finish; }

ok_majors=()
for m in "${majors[@]}"; do
  case $m in
    15) dsuite_of[$m]=bookworm ;;
    17) dsuite_of[$m]=trixie ;;
    18) dsuite_of[$m]=sid ;;
    19) dsuite_of[$m]=sid; rel_of[$m]=experimental ;;
    *) fail_line "pg$m-root" "no Debian suite for PostgreSQL $m (15: bookworm, 17: trixie, 18: sid, 19: experimental)"
       continue ;;
  esac
  rel_of[$m]=${rel_of[$m]:-}
  root_of[$m]="$roots/${rel_of[$m]:-${dsuite_of[$m]}}"
  want_of[$m]=; profile_of[$m]=build
  for s in "${suites[@]}"; do
    [[ " $major_skip " == *" $m:$s "* ]] && continue
    case $s in
      dist|select|fuzz|r-*) [[ $no_r == *" $m "* ]] && continue; profile_of[$m]='test' ;;
    esac
    want_of[$m]+="$s "
  done
  ok_majors+=("$m")
done
echo "majors: ${ok_majors[*]} from $mirror; suites ${suites[*]}"

# The checkout now (others may be editing it): tracked files that exist and
# untracked ones git does not ignore: no build outputs, results/ or .git.
tmp=$(mktemp -d /tmp/hte-majors.XXXXXX)
printf '%s' "$suite_runner" > "$tmp/suites.sh"
if git -c safe.directory="$top" -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -c safe.directory="$top" -C "$top" ls-files -z -co --exclude-standard |
    tar -C "$top" --null -T - --ignore-failed-read -cf "$tmp/src.tar" 2>"$tmp/tar.err"
else
  tar -C "$top" --exclude=.git --exclude=results --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=regression.diffs --exclude=regression.out --exclude=log --exclude=tmp_check \
    -cf "$tmp/src.tar" .
fi
[ -s "$tmp/src.tar" ] || { fail_line majors "could not take a copy of the checkout"; finish; }

t_all=$(now_ms)
echo "preparing ${ok_majors[*]/#/pg} (root, packages, build) $([ "${HTE_MAJORS_SERIAL:-0}" = 1 ] && echo "one after the other" || echo "at once"); logs in $logs"
declare -A pid_of
for m in "${ok_majors[@]}"; do
  : > "$logs/pg$m.log"
  ( prepare "$m" ) &
  pid_of[$m]=$!
  prep_pids+=($!)
  [ "${HTE_MAJORS_SERIAL:-0}" = 1 ] && wait "$!"
done

# each major's preparation, in order, as soon as it is over
val() { sed -nE "s/^$1 (.*)/\1/p" "$st" 2>/dev/null | tail -1; }
ready=()
for m in "${ok_majors[@]}"; do
  wait "${pid_of[$m]}"
  st=$tmp/prep.$m; log=$logs/pg$m.log
  for k in root packages build; do times[$m,$k]=$(val "time_$k"); done
  [ -n "${times[$m,root]}" ] && echo "pg$m time: root ${times[$m,root]} s (${rel_of[$m]:-${dsuite_of[$m]}}: $(val root_state))"
  [ -n "${times[$m,packages]}" ] && echo "pg$m time: packages ${times[$m,packages]} s (${profile_of[$m]}: $(val versions))"
  [ -n "${times[$m,build]}" ] && echo "pg$m time: build ${times[$m,build]} s"
  if grep -qx ok "$st" 2>/dev/null; then
    ready+=("$m")
  else
    read -r stage reason < <(val fail)
    stage=${stage:-root}
    echo "  --- pg$m $stage: the end of $log ---"
    tail -25 "$log" | sed 's/^/  | /'
    fail_line "pg$m-$stage" "${reason:-stopped before the end of its preparation}; see $log"
  fi
done
prep_pids=()
t_prep=$(secs "$t_all")
echo "prepared in $t_prep s"

for m in "${ready[@]}"; do
  echo "== pg$m (Debian ${rel_of[$m]:-${dsuite_of[$m]}}): ${want_of[$m]}"
  t=$(now_ms)
  test_major "$m"
  times[$m,suites]=$(secs "$t")
done

echo
echo "times (s): preparing all $t_prep; then"
for m in "${ok_majors[@]}"; do
  line="pg$m:"
  for k in root packages build; do line+=" $k ${times[$m,$k]:--},"; done
  line+=" suites ${times[$m,suites]:--} ("
  for s in ${want_of[$m]}; do [ -n "${times[$m,$s]:-}" ] && line+="$s ${times[$m,$s]}, "; done
  echo "  ${line%, })"
done
echo "  all: $(secs "$t_all")"
finish
