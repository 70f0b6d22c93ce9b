#!/usr/bin/env bash
# Benchmark of ate_sequential against ate over the same rows (issue 12: within
# 1.05x): BENCH_ROWS rows (default 5M), serial, the two queries alternated
# within each of BENCH_REPS repetitions (default 7); medians of wall-clock
# time.  ate_sequential's state is ate's plus a two-number header, updated by
# the same code, so the ratio measures the header's checks and the final.
#
#   bash test/bench/sequential.sh        # writes test/bench/SEQUENTIAL.md
#
# Needs the build packages and an installed hte; runs in pg_virtualenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8
if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ]; then
  exec pg_virtualenv -t -o shared_buffers=1GB bash "$0" "$@"
fi
N=${BENCH_ROWS:-5000000}
R=${BENCH_REPS:-7}
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<SQL
DROP EXTENSION IF EXISTS hte CASCADE;
CREATE EXTENSION hte;
DROP TABLE IF EXISTS sb;
CREATE TABLE sb AS SELECT i % 2 = 0 AS t, sin(i * 0.37) * 3 + (i % 2) * 0.1 AS y FROM generate_series(1, $N) i;
VACUUM ANALYZE sb;
SQL
one() {  # one SQL: wall-clock ms
  "${PSQL[@]}" <<SQL | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'
SET max_parallel_workers_per_gather = 0;
\o /dev/null
\timing on
$1;
SQL
}
: >"/tmp/seqbench.$$"
for r in $(seq "$R"); do
  echo "ate $(one "SELECT ate(y, t) FROM sb")" >>"/tmp/seqbench.$$"
  echo "seq $(one "SELECT ate_sequential(y, t, $N) FROM sb")" >>"/tmp/seqbench.$$"
done
med() { awk -v k="$1" '$1 == k {print $2}' "/tmp/seqbench.$$" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ate_ms=$(med ate); seq_ms=$(med seq)
rm -f "/tmp/seqbench.$$"
cat >test/bench/SEQUENTIAL.md <<MD
# ate_sequential: benchmark

\`bash test/bench/sequential.sh\` on $(nproc) cores, $N rows, $(date -u +%Y-%m-%d);
PostgreSQL $(pg_config --version | awk '{print $2}'). Serial; the two queries alternated, medians of $R runs.

| query | ms | ns / row |
|---|---|---|
| \`ate(y, t)\` | $ate_ms | $(awk -v a="$ate_ms" -v n="$N" 'BEGIN{printf "%.0f", a*1e6/n}') |
| \`ate_sequential(y, t, $N)\` | $seq_ms | $(awk -v a="$seq_ms" -v n="$N" 'BEGIN{printf "%.0f", a*1e6/n}') |

\`ate_sequential\` takes $(awk -v a="$ate_ms" -v b="$seq_ms" 'BEGIN{printf "%.3f", b/a}') times as long as \`ate\` (target: at most 1.05).
MD
cat test/bench/SEQUENTIAL.md
