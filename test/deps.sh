#!/usr/bin/env bash
# Installs, from Debian's packages, what hte needs and is missing.  Uses
# sudo when not run as root.
#
#   bash test/deps.sh [build|test]
#
#   build   PostgreSQL and its server headers, make and a C compiler: what
#           the demo and a plain `make install` need
#   test    (the default) also clang with its sanitizer runtime (fuzzing),
#           R with the packages of the cross-checks, and psycopg, pgjdbc
#           (and a JDK if there is none) for the README's client examples
#
# The PostgreSQL major is HTE_PG_MAJOR when set, else the one a server
# headers package is already installed for (the newest), else the one the
# suite's `postgresql` package depends on: 15 on Debian 12, 17 on Debian 13.
# HTE_DEPS_CLIENTS=0 leaves out the client libraries (psycopg, pgjdbc, a
# JDK) of the test profile, for machines that do not run test/clients.sh
# (the Debian roots of test/majors.sh), and with it the browser checks'
# chromium, fonts-dejavu-core, libxml2-utils and python3 (test/pictures.sh;
# HTE_DEPS_BROWSER=0|1 decides on its own); HTE_DEPS_LINT=0 likewise leaves out
# cppcheck and clang-tidy (test/lint.sh runs on the host only).
# Prints the major it chose as its last line: "deps: PostgreSQL NN".
set -euo pipefail
profile="${1:-test}"
case "$profile" in build|test) ;; *) echo "usage: bash test/deps.sh [build|test]" >&2; exit 2;; esac

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
updated=0
apt_update() {
  [ "$updated" -eq 1 ] && return 0
  $SUDO apt-get update -qq
  updated=1
}
installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

major="${HTE_PG_MAJOR:-}"
if [ -z "$major" ]; then
  # (dpkg-query fails when no such package was ever known: a fresh machine)
  major=$({ dpkg-query -W -f='${Package} ${Status}\n' 'postgresql-server-dev-[0-9]*' 2>/dev/null || true; } |
          sed -nE 's/^postgresql-server-dev-([0-9]+) install ok installed$/\1/p' | sort -n | tail -1)
fi
if [ -z "$major" ]; then
  dep() { { apt-cache depends postgresql 2>/dev/null || true; } | sed -nE 's/^ *Depends: postgresql-([0-9]+)$/\1/p' | head -1; }
  major=$(dep)
  if [ -z "$major" ]; then apt_update; major=$(dep); fi
  [ -n "$major" ] || { echo "deps: cannot tell which PostgreSQL this Debian has; set HTE_PG_MAJOR" >&2; exit 1; }
fi

pg=(postgresql-"$major" postgresql-server-dev-"$major")
pkgs=(make gcc)
optional=()
if [ "$profile" = test ]; then
  pkgs+=(clang libclang-rt-dev
         r-base-core r-cran-estimatr r-cran-sandwich r-cran-lmtest r-cran-quantreg r-cran-metafor
         r-cran-numderiv r-cran-aer
         )
  optional=(r-cran-rpact)   # test/r/check_sequential.R compares with it where the suite has it
  if [ "${HTE_DEPS_LINT:-1}" != 0 ]; then   # test/lint.sh
    pkgs+=(cppcheck clang-tidy)
  fi
  # test/pictures.sh: the browser that renders the SVG, its font, xmllint
  if [ "${HTE_DEPS_BROWSER:-${HTE_DEPS_CLIENTS:-1}}" != 0 ]; then
    pkgs+=(chromium fonts-dejavu-core libxml2-utils python3)
  fi
  if [ "${HTE_DEPS_CLIENTS:-1}" != 0 ]; then   # test/clients.sh
    pkgs+=(python3-psycopg libpostgresql-jdbc-java)
    command -v javac >/dev/null || pkgs+=(default-jdk-headless)
  fi
fi
missing=(); missing_pg=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${optional[@]}"; do   # when the suite has it (after apt_update)
  installed "$p" && continue
  apt_update
  [ -n "$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v none)" ] && missing+=("$p")
done
for p in "${pg[@]}"; do installed "$p" || missing_pg+=("$p"); done
if ((${#missing[@]} + ${#missing_pg[@]})); then
  echo "deps: installing ${missing[*]} ${missing_pg[*]} (a few minutes on a fresh machine)"
  apt_update
  opts=(-y -qq --no-install-recommends)
  if ((${#missing[@]})); then
    $SUDO apt-get install "${opts[@]}" "${missing[@]}" >/dev/null
  fi
  if ((${#missing_pg[@]})); then
    $SUDO apt-get install "${opts[@]}" "${missing_pg[@]}" >/dev/null
  fi
fi
echo "deps: PostgreSQL $major"
