#!/usr/bin/env bash
# Builds hte with warnings as errors and installs it into the PostgreSQL found
# by pg_config (sudo for the install when not root).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s clean
make -s COPT=-Werror
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO make -s install
