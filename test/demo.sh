#!/usr/bin/env bash
# The hte demo: installs what building needs and is missing (PostgreSQL, its
# server headers, make and gcc, from Debian's packages: test/deps.sh build),
# builds and installs hte, starts a throwaway PostgreSQL cluster, loads the
# shipped Project STAR and NSW data and prints real analyses, each with its
# query.  The cluster is dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# The locale every Debian has: a LANG the machine lacks (e.g. sent over ssh)
# makes pg_createcluster refuse, and test output must not depend on it.
export LC_ALL=C.UTF-8
bash test/deps.sh build
bash test/build.sh
# psql prints each analysis's query before its result (ECHO queries in
# demo.sql); the "psql:file:line: " prefix of the one intended error is cut.
pg_virtualenv -t psql -X -q -f test/demo.sql 2>&1 |
  grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[' | sed -E 's/^psql:[^:]*:[0-9]+: //'
