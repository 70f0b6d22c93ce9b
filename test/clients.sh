#!/usr/bin/env bash
# Runs the client examples of README.md's section "## Clients: typed columns
# for applications and BI tools", as extracted from the README (so that the
# README cannot drift from what is tested), with assertions appended:
#
#   python  the ```python block (psycopg 3), its connection string
#           "dbname=mydb" replaced by "" (libpq then connects with the PG*
#           environment); then: the flattened row holds floats and ints,
#           row[0] = 13.898994458617553 (to 1e-12 relative), row[1] =
#           2.4541214779976785, n_treated = row[6] = 1738 (an int),
#           n_control = row[7] = 2005, and the unflattened value `text` is one
#           str starting with "(13.89899445861755".
#   java    the ```java block (JDBC, pgjdbc) as the body of a method given an
#           open Connection `conn` (built from the PG* environment), compiled
#           with javac against /usr/share/java/postgresql.jar (Debian's
#           libpostgresql-jdbc-java; HTE_JDBC_JAR=path for another); then:
#           estimate = 13.898994458617553, nTreated = 1738, getObject() of
#           the unflattened column is an org.postgresql.util.PGobject whose
#           getType() is "hte_ate" and getValue() starts with
#           "(13.89899445861755".  No javac is a failure, not a skip.
#
# Both run in a fresh database where `CREATE EXTENSION hte` has been run and
# `star` is loaded by the CREATE TABLE star + \copy star lines of the
# README's *Getting started* (run from the repository root).  The packages:
# `bash test/deps.sh test` (python3-psycopg, libpostgresql-jdbc-java, a JDK).
#
# Run it against the cluster in the PG* environment (pg_virtualenv, as
# test/run_all.sh does) with hte installed; without PGHOST/PGPORT set it
# starts a throwaway cluster itself.  Prints one line per language and ends
# with "clients: N passed, M failed"; exits non-zero on failure.
# HTE_README_FILE=path checks another file (a copy being edited).
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8

if [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ] && [ -z "${HTE_CLIENTS_NESTED:-}" ]; then
  export HTE_CLIENTS_NESTED=1
  log=$(mktemp)
  pg_virtualenv -t bash test/clients.sh "$@" 2>&1 |
    grep -vE '^\*\*\*|^[0-9-]+ [0-9:.]+ UTC \[|^(Creating new|Dropping) .*cluster' | tee "$log"
  rc=${PIPESTATUS[0]}
  # pg_virtualenv itself failed (no cluster): still end with the summary line
  grep -qE '^clients: [0-9]+ passed, [0-9]+ failed$' "$log" || { echo "clients: 0 passed, 1 failed"; rc=1; }
  rm -f "$log"
  exit "$rc"
fi

readme=${HTE_README_FILE:-README.md}
jar=${HTE_JDBC_JAR:-/usr/share/java/postgresql.jar}
tmp=$(mktemp -d)
db="hte_clients_$$"
cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

pass=0; fail=0
ok()  { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -s "${2:-/dev/null}" ] && tail -20 "$2" | sed 's/^/    /'; fail=$((fail + 1)); }
finish() {
  echo "clients: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}

# The first ```LANG block of the README section whose heading starts with
# "## SECTION", into FILE; prints the README line of the block.
block() { # LANG SECTION FILE
  awk -v lang="$1" -v sec="$2" -v out="$3" '
    done { next }
    infence && /^```/ { infence = 0; if (found) done = 1; next }
    infence { if (found) print > out; next }
    /^## / { insec = (index($0, "## " sec) == 1) }
    /^```/ {
      infence = 1
      l = substr($0, 4); gsub(/[ \t]/, "", l)
      if (insec && l == lang) { found = 1; line = NR; printf "" > out }
      next
    }
    END { if (done) print line }
  ' "$readme"
}

# --- the database: hte, and star as Getting started loads it ----------------
setup="$tmp/setup.sql"
echo 'CREATE EXTENSION hte;' > "$setup"
if [ -n "$(block sql 'Getting started' "$tmp/gs.sql")" ]; then
  sed -n '/^CREATE TABLE star (/,/^\\copy star /p' "$tmp/gs.sql" >> "$setup"
fi
if ! grep -q '^\\copy star ' "$setup"; then
  echo "no CREATE TABLE star ... \\copy star in the first \`\`\`sql block of $readme's Getting started"
  fail=2; finish
fi
if ! psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null; then
  echo "cannot create the database $db"
  fail=2; finish
fi
export PGDATABASE=$db
if ! psql -X -q -v ON_ERROR_STOP=1 -f "$setup" > "$tmp/setup.out" 2>&1; then
  echo "loading star failed:"; sed 's/^/    /' "$tmp/setup.out" | tail -20
  fail=2; finish
fi

# --- python -----------------------------------------------------------------
check_python() {
  local line py="" p prog="$tmp/readme_client.py" out="$tmp/python.out"
  line=$(block python 'Clients' "$tmp/block.py")
  [ -n "$line" ] || { bad "python: no \`\`\`python block in $readme's Clients section"; return; }
  local where="python: $readme:$line"
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import psycopg' 2>/dev/null; then py=$p; break; fi
  done
  [ -n "$py" ] || { bad "$where: no python3 with psycopg 3 (apt-get install python3-psycopg)"; return; }
  if [ "$(grep -c '"dbname=mydb"' "$tmp/block.py")" -ne 1 ]; then
    bad "$where: the block should connect with \"dbname=mydb\" (once), which the test replaces"; return
  fi
  {
    sed 's/"dbname=mydb"/""/' "$tmp/block.py"
    cat <<'EOF'

# --- checks appended by test/clients.sh ---
import math, sys
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
def close(x, want):
    return type(x) is float and math.isclose(x, want, rel_tol=1e-12, abs_tol=0)
check(len(row) == 12, "the flattened row has %d columns, not 12" % len(row))
check(all(type(v) in (float, int) for v in row),
      "flattened row not all floats and ints: %r" % [type(v).__name__ for v in row])
check(close(row[0], 13.898994458617553), "row[0] (estimate) = %r, not the float 13.898994458617553" % (row[0],))
check(close(row[1], 2.4541214779976785), "row[1] (std_error) = %r, not the float 2.4541214779976785" % (row[1],))
check(estimate == row[0] and std_error == row[1], "estimate, std_error are not row[0], row[1]")
check(type(row[6]) is int and row[6] == 1738, "row[6] (n_treated) = %r, not the int 1738" % (row[6],))
check(type(row[7]) is int and row[7] == 2005, "row[7] (n_control) = %r, not the int 2005" % (row[7],))
check(type(text) is str and text.startswith("(13.89899445861755"),
      "unflattened value = %r, not a str starting with '(13.89899445861755'" % (text,))
for p in problems:
    print(p)
print("python checks: %d problem(s)" % len(problems))
sys.exit(1 if problems else 0)
EOF
  } > "$prog"
  if "$py" "$prog" > "$out" 2>&1; then
    ok "$where: floats and ints flattened (13.898994458617553, 1738), one str unflattened"
  else
    bad "$where: ($py, psycopg $("$py" -c 'import psycopg; print(psycopg.__version__)'))" "$out"
  fi
}

# --- java -------------------------------------------------------------------
check_java() {
  local line dir="$tmp/java" out="$tmp/java.out"
  line=$(block java 'Clients' "$tmp/block.java")
  [ -n "$line" ] || { bad "java: no \`\`\`java block in $readme's Clients section"; return; }
  local where="java: $readme:$line"
  command -v javac >/dev/null && command -v java >/dev/null ||
    { bad "$where: no javac/java (bash test/deps.sh test installs default-jdk-headless)"; return; }
  [ -f "$jar" ] || { bad "$where: no JDBC driver $jar (apt-get install libpostgresql-jdbc-java)"; return; }
  mkdir -p "$dir"
  {
    cat <<'EOF'
import java.sql.*;
import java.util.*;
import org.postgresql.util.PGobject;

public class ReadmeClient {
    // The README's ```java block, verbatim, then the checks.
    static List<String> readme(Connection conn) throws Exception {
EOF
    sed 's/^/        /' "$tmp/block.java"
    cat <<'EOF'

        // --- checks appended by test/clients.sh ---
        List<String> problems_ = new ArrayList<>();
        double want_ = 13.898994458617553;
        if (!(Math.abs(estimate - want_) <= 1e-12 * want_))
            problems_.add("estimate = " + estimate + ", not " + want_);
        if (nTreated != 1738) problems_.add("nTreated = " + nTreated + ", not 1738");
        Object o_ = rs.getObject(1);
        if (!(o_ instanceof PGobject)) {
            problems_.add("getObject() of the unflattened column is a "
                          + (o_ == null ? "null" : o_.getClass().getName()) + ", not a PGobject");
        } else {
            PGobject pg_ = (PGobject) o_;
            if (!"hte_ate".equals(pg_.getType())) problems_.add("getType() = " + pg_.getType() + ", not hte_ate");
            String v_ = pg_.getValue();
            if (v_ == null || !v_.startsWith("(13.89899445861755"))
                problems_.add("getValue() = " + v_ + ", does not start with (13.89899445861755");
        }
        if (!"hte_ate".equals(type)) problems_.add("type = " + type + ", not hte_ate");
        if (text == null || !text.startsWith("(13.89899445861755"))
            problems_.add("text = " + text + ", does not start with (13.89899445861755");
        return problems_;
    }

    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "");
        if (host.isEmpty() || host.startsWith("/")) host = "localhost";   // pgjdbc: TCP only
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        Properties props = new Properties();
        String user = System.getenv("PGUSER"), password = System.getenv("PGPASSWORD");
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + System.getenv("PGDATABASE");
        List<String> problems;
        try (Connection conn = DriverManager.getConnection(url, props)) {
            problems = readme(conn);
        }
        for (String p : problems) System.out.println(p);
        System.out.println("java checks: " + problems.size() + " problem(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
EOF
  } > "$dir/ReadmeClient.java"
  if ! javac -nowarn -cp "$jar" -d "$dir" "$dir/ReadmeClient.java" > "$out" 2>&1; then
    bad "$where: javac failed on the block" "$out"; return
  fi
  if java -cp "$dir:$jar" ReadmeClient > "$out" 2>&1; then
    ok "$where: getDouble/getLong 13.898994458617553, 1738; unflattened a PGobject hte_ate"
  else
    bad "$where:" "$out"
  fi
}

check_python
check_java
finish
