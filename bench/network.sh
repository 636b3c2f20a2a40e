#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# network.sh [THERAPISTS CLIENTS ADMINISTRATIONS] - a clinic network on
# both engines, side by side in one run (`make bench`; by default 1,000
# therapists, 100,000 clients and 10,000,000 administrations, as issue 15
# asks; smaller numbers for a quick look).  bench/network.c makes the
# practice in an SQLite file and in a database of a throw-away PostgreSQL
# cluster (tests/pg/cluster.sh) and prints the import rate, the size and
# one client's history; then wrk (2 threads, 16 connections, 10 s) asks
# for the caseload of a therapist with 40 clients and for a client's
# questionnaire page, from one SQLite node, one PostgreSQL node, and two
# PostgreSQL nodes behind nginx.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
NT=${1:-1000} NC=${2:-100000} NA=${3:-10000000}
SB=$ROOT/build/securebase
. tests/pg/cluster.sh
T=$(mktemp -d)
cleanup() {
	kill $(cat "$T"/*.pid 2>/dev/null) 2>/dev/null || true
	wait 2>/dev/null || true
	pg_stop
	rm -rf "$T"
}
trap cleanup EXIT
pg_start
DB=$(pg_newdb network)
echo "a clinic network of $NT therapists, $NC clients, $NA administrations"
echo "--- SQLite"
build/bench/network "$T/network.db" "$T/network.db.key" "$NT" "$NC" "$NA"
echo "--- PostgreSQL $(psql -X -At "$SECUREBASE_TEST_PG" -c 'SHOW server_version')"
build/bench/network "$DB" "$T/pg.key" "$NT" "$NC" "$NA"

set -- $(/usr/bin/python3 -c 'import socket
s = [socket.socket() for i in range(4)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
PS=$1 PA=$2 PB=$3 PN=$4
node() {	# node NAME DB KEY PORT ORIGIN
	$SB serve --db "$2" --key-file "$3" --listen "127.0.0.1:$4" \
	    --origin "$5" --trust-proxy > "$T/$1.log" 2>&1 &
	echo $! > "$T/$1.pid"
	until curl -s -o /dev/null "http://127.0.0.1:$4/login"; do sleep 0.1; done
}
node sqlite "$T/network.db" "$T/network.db.key" "$PS" "http://127.0.0.1:$PS"
node pga "$DB" "$T/pg.key" "$PA" "http://127.0.0.1:$PN"
node pgb "$DB" "$T/pg.key" "$PB" "http://127.0.0.1:$PN"
cat > "$T/nginx.conf" <<NGX
user root;
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $T/nginx-body;
	proxy_temp_path $T/nginx-proxy;
	upstream securebase {
		server 127.0.0.1:$PA;
		server 127.0.0.1:$PB;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:$PN;
		location / {
			proxy_pass http://securebase;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$host;
			proxy_set_header X-Real-IP \$remote_addr;
		}
	}
}
NGX
nginx -c "$T/nginx.conf"

# session PORT ORIGIN: t0001's session cookie, through PORT.
session() {
	curl -s -c "$T/jar" -b "$T/jar" -o "$T/login.html" "http://127.0.0.1:$1/login"
	pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | sed 's/.*value="//;s/"//')
	curl -s -c "$T/jar" -b "$T/jar" -o /dev/null -H "Origin: $2" \
	    --data "csrf=$pre&user=t0001&password=benchmark+password" "http://127.0.0.1:$1/login"
	awk '$6 == "__Host-sb" {print $7}' "$T/jar"
	rm -f "$T/jar"
}
CS=$(session "$PS" "http://127.0.0.1:$PS")
CP=$(session "$PN" "http://127.0.0.1:$PN")
QS=$($SB --db "$T/network.db" --key-file "$T/network.db.key" --user t0001 link create --client 1 --instrument phq9 --origin "")
QP=$($SB --db "$DB" --key-file "$T/pg.key" --user t0001 link create --client 1 --instrument phq9 --origin "")

run() {	# run LABEL URL [COOKIE]
	wrk -t2 -c16 -d10s --latency ${3:+-H "Cookie: __Host-sb=$3"} "$2" > "$T/wrk"
	printf '  %-44s %9s requests/s, p99 %s%s\n' "$1" \
	    "$(awk '/Requests\/sec/ {print $2}' "$T/wrk")" \
	    "$(awk '$1 == "99%" {print $2}' "$T/wrk")" \
	    "$(awk '/Non-2xx|Socket errors/ {printf " (%s)", $0}' "$T/wrk")"
}
echo "--- web: wrk -t2 -c16 -d10s, side by side"
run "caseload (40 clients), SQLite node" "http://127.0.0.1:$PS/" "$CS"
run "caseload (40 clients), PostgreSQL node" "http://127.0.0.1:$PA/" "$CP"
run "caseload (40 clients), 2 PostgreSQL nodes" "http://127.0.0.1:$PN/" "$CP"
run "questionnaire page, SQLite node" "http://127.0.0.1:$PS$QS"
run "questionnaire page, PostgreSQL node" "http://127.0.0.1:$PA$QP"
run "questionnaire page, 2 PostgreSQL nodes" "http://127.0.0.1:$PN$QP"
