#!/bin/sh
# run.sh - the PostgreSQL backend against a real server: a throw-away
# cluster made here with initdb and pg_ctl (Debian's postgresql, which
# scripts/deps.sh installs), on a Unix socket in a temporary directory,
# stopped and removed at the end.  SECUREBASE_TEST_PG is its URL for the
# test programs.  initdb refuses to run as root, so as root the cluster
# is the postgres user's.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
	echo "pg: no initdb under /usr/lib/postgresql (scripts/deps.sh build installs postgresql)"
	echo "pg: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
T=$(mktemp -d)
AS=""
if [ "$(id -u)" -eq 0 ]; then
	chown postgres "$T"
	AS="runuser -u postgres --"
fi
stop() {
	$AS "$BIN/pg_ctl" -D "$T/data" -m immediate stop > /dev/null 2>&1
	rm -rf "$T"
}
trap stop EXIT
if ! $AS "$BIN/initdb" -D "$T/data" --auth=trust -U sb -E UTF8 \
    --locale=C > "$T/initdb.log" 2>&1 ||
    ! $AS "$BIN/pg_ctl" -D "$T/data" -l "$T/server.log" -w -o \
    "-k $T -c listen_addresses=''" start > /dev/null 2>&1; then
	cat "$T/initdb.log" "$T/server.log" 2>/dev/null | tail -20
	echo "pg: the throw-away cluster did not start"
	echo "pg: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
export SECUREBASE_TEST_PG="postgresql://sb@/postgres?host=$T"
sh scripts/run-tests.sh pg build/tests-pg "$@"
