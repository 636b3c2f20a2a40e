# SPDX-License-Identifier: AGPL-3.0-or-later
# cluster.sh - sourced by the test scripts that need PostgreSQL: pg_start
# makes a throw-away cluster with initdb and pg_ctl (Debian's postgresql,
# which scripts/deps.sh installs) in a temporary directory, on a Unix
# socket there and no TCP port, and exports
#   SECUREBASE_TEST_PG      the URL of its maintenance database
#   SECUREBASE_TEST_PGDATA  its data directory (the tests read its files)
#   PGT, PG_BIN, PG_AS      the directory, the server's programs, and the
#                           prefix that runs them as the cluster's owner
# pg_newdb NAME prints the URL of a new empty database; pg_stop removes it
# all (the caller traps EXIT to it).  initdb refuses to run as root, so
# as root the cluster is the postgres user's.  The cluster is made with
# the C locale, as docs/deploy.md asks of a practice's database.
pg_start() {
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
		echo "pg: no initdb under /usr/lib/postgresql (scripts/deps.sh build installs postgresql)"
		return 1
	fi
	PGT=$(mktemp -d)
	PG_AS=""
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$PGT"
		PG_AS="runuser -u postgres --"
	fi
	if ! $PG_AS "$PG_BIN/initdb" -D "$PGT/data" --auth=trust -U sb \
	    -E UTF8 --locale=C > "$PGT/initdb.log" 2>&1 ||
	    ! $PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w \
	    -o "-k $PGT -c listen_addresses='' -c max_connections=200" \
	    start > /dev/null 2>&1; then
		cat "$PGT/initdb.log" "$PGT/server.log" 2>/dev/null | tail -20
		echo "pg: the throw-away cluster did not start"
		return 1
	fi
	SECUREBASE_TEST_PG="postgresql://sb@/postgres?host=$PGT"
	SECUREBASE_TEST_PGDATA="$PGT/data"
	export SECUREBASE_TEST_PG SECUREBASE_TEST_PGDATA PGT PG_BIN PG_AS
}

pg_newdb() {
	psql -q -X -v ON_ERROR_STOP=1 "$SECUREBASE_TEST_PG" \
	    -c "CREATE DATABASE $1" > /dev/null || return 1
	echo "postgresql://sb@/$1?host=$PGT"
}

pg_stop() {
	[ -n "${PGT:-}" ] || return 0
	$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m immediate stop \
	    > /dev/null 2>&1
	rm -rf "$PGT"
}
