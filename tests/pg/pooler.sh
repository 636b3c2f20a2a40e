#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# pooler.sh - securebase through pgbouncer in transaction mode (issue 32),
# as a clinic network with many nodes puts one in front of PostgreSQL:
# Debian's pgbouncer, started here on a free port with a generated ini
# and userlist, pool_mode = transaction, every test database behind it.
# The store's test programs (the ones `make unit` runs) and the web and
# safety suites run with every URL through the pooler and
# securebase_pool=transaction; their own SQL beside securebase goes to
# the database directly (tests/backend.sh, sb_direct).  pgbouncer's
# statistics then show that the transactions went through it.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=${1:-$ROOT/build/test/securebase}	# web/run moves the test clock
. tests/pg/cluster.sh
. tests/pg/helpers.sh
stop_all() {
	[ -f "${B:-/nonexistent}/pgbouncer.pid" ] && kill "$(cat "$B/pgbouncer.pid")" 2>/dev/null
	pg_stop
}
trap stop_all EXIT
if ! pg_start; then
	echo "pooler: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
command -v pgbouncer > /dev/null || PATH=$PATH:/usr/sbin
B=$PGT/bouncer
$PG_AS mkdir -p "$B"
PORT=$(free_ports 1)
# pgbouncer will not run as root; the cluster's owner runs it.
$PG_AS sh -c "cat > '$B/pgbouncer.ini'" <<INI
[databases]
* = host=$PGT port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $B/userlist.txt
admin_users = sb
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
INI
$PG_AS sh -c "printf '\"sb\" \"\"\n' > '$B/userlist.txt'"
$PG_AS pgbouncer -d "$B/pgbouncer.ini" || { bad "pgbouncer did not start"; cat "$B/pgbouncer.log"; exit 1; }
i=0
until psql -X -q -At "postgresql://sb@127.0.0.1:$PORT/postgres" -c "SELECT 1" > /dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && { bad "pgbouncer does not answer"; cat "$B/pgbouncer.log"; exit 1; }
	sleep 0.1
done
ok
rc=0
DIRECT=$SECUREBASE_TEST_PG
export SECUREBASE_TEST_PG="postgresql://sb@127.0.0.1:$PORT/postgres?securebase_pool=transaction"
export SECUREBASE_TEST_PG_ADMIN="$DIRECT"
sh scripts/run-tests.sh "pgbouncer store" build/tests test_store test_store_safety \
    test_store_tamper test_store_view test_web_session || rc=1
# The suites' binary: sb.sh over the real one, as tests/pg/run.sh makes it.
w=build/postgresql
mkdir -p "$w"
printf '#!/bin/sh\nSB_PG_REAL=%s exec %s/tests/pg/sb.sh "$@"\n' "$SB" "$ROOT" > "$w/securebase"
chmod 755 "$w/securebase"
export SECUREBASE_TEST_PG="$DIRECT" SB_PG=1 SB_PG_POOLER="postgresql://sb@127.0.0.1:$PORT"
for s in web/run safety/run; do
	sh "tests/$s.sh" "$w/securebase" || rc=1
done
# A practice made through the pooler; its backup is refused there, with
# the reason, and made on the database's own address.
psql -X -q "$DIRECT" -c "CREATE DATABASE pooled" > /dev/null
P="postgresql://sb@127.0.0.1:$PORT/pooled?securebase_pool=transaction"
printf 'correct horse battery\n' > "$B.pw"
K=$(mktemp -d)
$SB --db "$P" --key-file "$K/k" init --admin boss --admin-password-file "$B.pw" > /dev/null 2>&1 &&
    ok || bad "init through pgbouncer"
$SB --db "$P" --key-file "$K/k" backup "$K/b.dump" > "$K/bk.out" 2>&1 && bad "a backup through the pooler was made" || ok
grep -q "need the database's own address" "$K/bk.out" && ok || bad "the refused backup says: $(cat "$K/bk.out")"
$SB --db "postgresql://sb@/pooled?host=$PGT" --key-file "$K/k" backup "$K/b.dump" > "$K/bk.out" 2>&1 &&
    ok || bad "the backup on the database's own address: $(cat "$K/bk.out")"
$SB --db "postgresql://sb@127.0.0.1:$PORT/pooled?securebase_pool=sometimes" --key-file "$K/k" \
    --user boss client list > "$K/bad.out" 2>&1 && bad "securebase_pool=sometimes was taken" || ok
grep -q "securebase_pool=sometimes in the --db URL: give transaction" "$K/bad.out" && ok || bad "a wrong securebase_pool: $(cat "$K/bad.out")"
rm -rf "$K" "$B.pw"
# The transactions went through the pooler, to the suites' databases.
n=$(psql -X -q -At "postgresql://sb@127.0.0.1:$PORT/pgbouncer" -c "SHOW STATS" |
    awk -F'|' '$1 ~ /^sb[tw]_/ { n += $2 } END { print n + 0 }')
[ "$n" -gt 1000 ] && ok || bad "only $n transactions went through pgbouncer"
echo "  $n transactions through pgbouncer (pool_mode = transaction)"
grep -q "prepared statement" "$B/pgbouncer.log" && bad "pgbouncer saw prepared statements fail: $(grep -m1 'prepared statement' "$B/pgbouncer.log")" || ok
finish "pooler (pgbouncer, transaction mode)" && [ $rc -eq 0 ]
