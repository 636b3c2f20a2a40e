#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# tls.sh - securebase to PostgreSQL over TLS (issue 32), as across a
# clinic's network: the test makes a throw-away CA and a server
# certificate for "localhost" with openssl, starts the cluster with
# ssl = on on a TCP port of loopback, and checks that with
# sslmode=verify-full and the right CA the practice is made and served
# over TLS (pg_stat_ssl says so for the node's connections), and that
# with another CA, or another host name than the certificate's, nothing
# connects and the command says why.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=${1:-$ROOT/build/securebase}
. tests/pg/cluster.sh
. tests/pg/helpers.sh
T=$(mktemp -d)
stop_all() {
	[ -n "${PS:-}" ] && kill "$PS" 2>/dev/null
	wait 2>/dev/null
	pg_stop
	rm -rf "$T"
}
trap stop_all EXIT
if ! pg_start; then
	echo "tls: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
cd "$T"
set -- $(free_ports 2)
PORT=$1 WP=$2
# The clinic's CA, the server's certificate from it, and a stranger's CA.
mk() { openssl "$@" > /dev/null 2>&1 || { bad "openssl $1"; exit 1; }; }
mk req -x509 -newkey rsa:2048 -nodes -subj "/CN=Clinic test CA" -days 2 \
    -keyout ca.key -out ca.pem
mk req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
printf 'subjectAltName=DNS:localhost\n' > san.ext
mk x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile san.ext -out server.pem
mk req -x509 -newkey rsa:2048 -nodes -subj "/CN=Someone else's CA" -days 2 \
    -keyout other.key -out other.pem
cp server.pem server.key "$PGT/"
[ -n "$PG_AS" ] && chown postgres "$PGT/server.pem" "$PGT/server.key"
chmod 600 "$PGT/server.key"
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m fast -w stop > /dev/null 2>&1
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -o "-k $PGT \
    -c listen_addresses=127.0.0.1 -p $PORT -c ssl=on \
    -c ssl_cert_file=$PGT/server.pem -c ssl_key_file=$PGT/server.key" \
    start > /dev/null 2>&1 || { bad "the cluster did not start with TLS"; cat "$PGT/server.log"; exit 1; }
psql -q -X "postgresql://sb@/postgres?host=$PGT&port=$PORT" -c "CREATE DATABASE practice" > /dev/null ||
    { bad "CREATE DATABASE"; exit 1; }

GOOD="postgresql://sb@localhost:$PORT/practice?sslmode=verify-full&sslrootcert=$T/ca.pem"
export SECUREBASE_KEY_FILE="$T/practice.key"
printf 'correct horse battery\n' > pw
$SB --db "$GOOD" init --admin boss --admin-password-file pw > init.out 2>&1 && ok ||
    bad "init over verify-full with the clinic's CA: $(cat init.out)"
$SB --db "$GOOD" --user boss user add anna --role therapist --password-file pw > /dev/null 2>&1 && ok ||
    bad "a command over verify-full"
export SECUREBASE_DB="$GOOD"
PS=$(serve_node "$WP" "http://127.0.0.1:$WP")
wait_up "http://127.0.0.1:$WP"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WP/health")" = 200 ] && ok || bad "/health over TLS"
# Every connection of the node to the practice's database is TLS.
q="SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = 'practice'"
set -- $(psql -X -q -At -F ' ' "postgresql://sb@/postgres?host=$PGT&port=$PORT" -c "$q")
[ "${2:-0}" -ge 1 ] && [ "$1" = "$2" ] && ok || bad "$1 of $2 connections of the node are TLS"
kill "$PS"; wait "$PS" 2>/dev/null; PS=

# Another CA: refused, and said.
WRONG="postgresql://sb@localhost:$PORT/practice?sslmode=verify-full&sslrootcert=$T/other.pem"
$SB --db "$WRONG" --user boss client list > w.out 2>&1 && bad "connected with another CA" || ok
grep -q "certificate verify failed" w.out && grep -q "sslrootcert" w.out && ok ||
    bad "the refusal with another CA does not say why: $(cat w.out)"
# The right CA but another name than the certificate's.
$SB --db "postgresql://sb@127.0.0.1:$PORT/practice?sslmode=verify-full&sslrootcert=$T/ca.pem" \
    --user boss client list > h.out 2>&1 && bad "connected to a host the certificate does not name" || ok
grep -q "does not match host name" h.out && ok || bad "the refusal for the host name: $(cat h.out)"
grep -q "correct horse\|password=" w.out h.out && bad "a refusal shows a secret" || ok
finish "tls (postgresql, sslmode=verify-full)"
