#!/usr/bin/env bash
# Prints the lines of the pg_virtualenv cluster's server log that mean a
# backend crashed (signal, PANIC, crash recovery); exit 1 if there are any.
#   bash test/reliability/log_check.sh [SINCE_LINE]
# Run it under pg_virtualenv (it finds the log from PG_CLUSTER_CONF_ROOT).
set -uo pipefail
since="${1:-0}"
log=$(ls "$(dirname "${PG_CLUSTER_CONF_ROOT:-/nonexistent}")"/log/*.log 2>/dev/null | head -1)
if [ -z "$log" ]; then
  echo "log_check: server log not found" >&2
  exit 2
fi
if [ "${2:-}" = "--lines" ]; then wc -l < "$log"; exit 0; fi
bad=$(tail -n +"$((since + 1))" "$log" |
      grep -E 'PANIC|terminated by signal|was terminated by|all server processes terminated|Segmentation|AddressSanitizer|stack depth' || true)
if [ -n "$bad" ]; then echo "$bad"; exit 1; fi
exit 0
