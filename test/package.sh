#!/usr/bin/env bash
# The Debian package, end to end: copies this working tree (the git-tracked
# files and the untracked ones git does not ignore, so no build output) to a
# temporary directory, installs the build dependencies from Debian (apt, as
# root), builds with `dpkg-buildpackage -us -uc` there, checks that every
# postgresql-NN-hte .deb holds hte.so, hte.control and the three SQL scripts,
# installs the packages with dpkg -i (replacing what `make install` put in
# the same places), and in a throwaway cluster per major (pg_virtualenv)
# creates the extension, runs a small ate(), and updates 1.0 to the current
# version.  One line per check; ends with "package: N passed, M failed" and
# exits non-zero on any failure.  Run as root (apt-get and dpkg -i).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
export LC_ALL=C.UTF-8

pass=0; fail=0
ok()   { echo "ok   $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
finish() { echo "package: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if [ "$(id -u)" -ne 0 ]; then
  bad "run as root (apt-get build-dep, dpkg -i)"
  finish
fi

tmp=$(mktemp -d -t hte-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
src="$tmp/postgresql-hte-${version:-0}"
mkdir -p "$src"

# 1. The working tree, without build output (.gitignore'd files); without
# git (a copy of a clone), the tree less .git and the usual build output.
tree_files() {
  if command -v git >/dev/null && git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$top" ls-files -z --cached --others --exclude-standard
  else
    (cd "$top" && find . -path ./.git -prune -o -path ./results -prune -o -path ./log -prune -o \
       -path ./tmp_check -prune -o -type f ! -name '*.o' ! -name '*.bc' ! -name '*.so' \
       ! -name regression.diffs ! -name regression.out -print0)
  fi
}
if tree_files |
     (cd "$top" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
     tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -; then
  ok "copy of the working tree ($(find "$src" -type f | wc -l) files)"
else
  bad "copy of the working tree"
  finish
fi
cd "$src"

# 2. Build dependencies: apt only for what is missing (build-essential, which
# every Debian build assumes, and debian/control's Build-Depends); nothing
# already installed is upgraded; apt-get update only when an install fails.
apt_deps() {
  { dpkg -s build-essential >/dev/null 2>&1 ||
      apt-get install -y --no-upgrade --no-install-recommends build-essential; } &&
  { dpkg-checkbuilddeps >/dev/null 2>&1 ||
      apt-get build-dep -y --no-install-recommends "$src"; }
}
if ! dpkg -s build-essential >/dev/null 2>&1 || ! dpkg-checkbuilddeps >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt_deps >"$tmp/apt.log" 2>&1 ||
    { apt-get update && apt_deps; } >>"$tmp/apt.log" 2>&1
  grep -E '^Setting up ' "$tmp/apt.log" | sed 's/^/  apt: /'
fi
if dpkg-checkbuilddeps >/dev/null 2>&1; then
  ok "build dependencies installed"
else
  bad "build dependencies installed"; tail -20 "$tmp/apt.log" 2>/dev/null
  finish
fi

# The majors to expect: every installed postgresql-server-dev-NN that
# debian/pgversions allows (debian/rules builds with the same setting).
majors=$(PG_SUPPORTED_VERSIONS=${PG_SUPPORTED_VERSIONS:-installed} pg_buildext supported-versions)
check "PostgreSQL majors to build for: $(echo $majors)" test -n "$majors"

# 3. The build.
t0=$(date +%s)
if dpkg-buildpackage -us -uc >"$tmp/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc ($(( $(date +%s) - t0 )) s)"
else
  bad "dpkg-buildpackage -us -uc ($(( $(date +%s) - t0 )) s); the log's end:"
  tail -40 "$tmp/build.log"
  finish
fi
ls "$tmp"/*.deb 2>/dev/null | sed "s|^$tmp/|  built: |"

# 4. Each major's package and its files.
debs=()
for v in $majors; do
  deb=$(ls "$tmp"/postgresql-"$v"-hte_*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then bad "postgresql-$v-hte .deb built"; continue; fi
  ok "postgresql-$v-hte .deb built ($(basename "$deb"))"
  debs+=("$deb")
  files=$(dpkg-deb -c "$deb" | awk '{print $NF}')
  for f in lib/postgresql/$v/lib/hte.so \
           share/postgresql/$v/extension/hte.control \
           share/postgresql/$v/extension/hte--1.0.sql \
           share/postgresql/$v/extension/hte--1.1.sql \
           share/postgresql/$v/extension/hte--1.0--1.1.sql; do
    check "postgresql-$v-hte holds /usr/$f" grep -qxF "./usr/$f" <<<"$files"
  done
done
[ "${#debs[@]}" -gt 0 ] || finish

# 5. Install, then use it.
if dpkg -i "${debs[@]}" >"$tmp/dpkg.log" 2>&1; then
  ok "dpkg -i $(for d in "${debs[@]}"; do basename "$d"; done | tr '\n' ' ')"
else
  bad "dpkg -i"; cat "$tmp/dpkg.log"
  finish
fi

cat >"$tmp/smoke.sh" <<'EOF'
# Inside pg_virtualenv: prints key=value lines for the checks outside.
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
echo "create=$(q -c 'CREATE EXTENSION hte' -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")"
echo "ate=$(q -c 'SELECT (ate(y, t)).estimate FROM (VALUES (1.0::float8, true), (2, true), (3, false), (5, false)) v(y, t)')"
createdb upd
echo "v10=$(q -d upd -c "CREATE EXTENSION hte VERSION '1.0'" -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")"
echo "updated=$(q -d upd -c 'ALTER EXTENSION hte UPDATE' -c "SELECT extversion FROM pg_extension WHERE extname = 'hte'")"
EOF
current=$(sed -nE "s/^default_version *= *'([^']*)'.*/\1/p" hte.control)
for v in $majors; do
  dpkg -s "postgresql-$v-hte" >/dev/null 2>&1 || continue
  check "/usr/lib/postgresql/$v/lib/hte.so belongs to postgresql-$v-hte" \
    bash -c "dpkg -S /usr/lib/postgresql/$v/lib/hte.so | grep -q '^postgresql-$v-hte:'"
  out=$(pg_virtualenv -t -v "$v" bash "$tmp/smoke.sh" 2>&1)
  val() { sed -n "s/^$1=//p" <<<"$out"; }
  check "PG $v: CREATE EXTENSION hte gives version $current (got: $(val create))" \
    test "$(val create)" = "$current"
  check "PG $v: ate() estimate on 4 rows = -2.5 (got: $(val ate))" test "$(val ate)" = "-2.5"
  check "PG $v: CREATE EXTENSION hte VERSION '1.0' (got: $(val v10))" test "$(val v10)" = "1.0"
  check "PG $v: ALTER EXTENSION hte UPDATE to $current (got: $(val updated))" \
    test "$(val updated)" = "$current"
done

finish
