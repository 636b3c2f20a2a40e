#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# web.sh - the web application under load (`make bench`), side by side
# with nginx serving the same bytes as a static file, in the same run:
# requests per second and latency at 64 connections (wrk, 2 threads,
# 10 s), idle memory, and the time from start to the first response.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SB=$ROOT/build/securebase
T=$(mktemp -d)
P1=$((20000 + $$ % 10000)); P2=$((P1 + 1))	# below the ephemeral ports
cleanup() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
cd "$T"
printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
for i in $(seq 20); do $SB --user anna client add --name "Client $i" > /dev/null; done
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,2,1,0,1,2,1,0,0\n' > a.csv
for i in $(seq 20); do $SB --user anna administer phq9 --client $i --answers a.csv > /dev/null; done
URL=$($SB --user anna link create --client 1 --instrument phq9 --origin "http://127.0.0.1:$P1")
QPATH=${URL#http://127.0.0.1:$P1}

s=$(date +%s%N)
# --trust-proxy: 64 connections from one address, as behind nginx
# (reached directly, serve allows 32 per address).
$SB serve --listen 127.0.0.1:$P1 --trust-proxy > serve.log 2>&1 &
SPID=$!
until curl -s -o /dev/null "http://127.0.0.1:$P1/login"; do :; done
e=$(date +%s%N)
echo "start to first response: $(( (e - s) / 1000000 )) ms"
echo "idle RSS after start: $(ps -o rss= -p $SPID | tr -d ' ') kB"

# A session for the dashboard.
curl -s -c jar -b jar -o login.html "http://127.0.0.1:$P1/login"
pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' login.html | sed 's/.*value="//;s/"//')
curl -s -c jar -b jar -o /dev/null -H "Origin: http://127.0.0.1:$P1" \
    --data "csrf=$pre&user=anna&password=correct+horse+battery" "http://127.0.0.1:$P1/login"
COOKIE=$(awk '$6 == "__Host-sb" {print $7}' jar)

# nginx serves the same bytes the app sends, as files.
mkdir -p www/q
curl -s "http://127.0.0.1:$P1$QPATH" > "www$QPATH.html"
curl -s -b "__Host-sb=$COOKIE" "http://127.0.0.1:$P1/" > www/dashboard.html
cat > nginx.conf <<NGX
user root;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$P2;
		root $T/www;
		default_type text/html;
	}
}
NGX
nginx -c "$T/nginx.conf"
sleep 0.3

run() {	# run LABEL URL [HEADER]
	if [ $# -eq 3 ]; then
		wrk -t2 -c64 -d10s --latency -H "$3" "$2" > wrk.out
	else
		wrk -t2 -c64 -d10s --latency "$2" > wrk.out
	fi
	rps=$(awk '/Requests\/sec/ {print $2}' wrk.out)
	p99=$(awk '$1 == "99%" {print $2}' wrk.out)
	errs=$(awk '/Non-2xx|Socket errors/ {print}' wrk.out)
	echo "$1: $rps requests/s, p99 $p99 ${errs:+($errs)}"
}
echo "wrk -t2 -c64 -d10s, same machine, same run:"
run "questionnaire page, securebase" "http://127.0.0.1:$P1$QPATH"
a=$rps
run "questionnaire page, nginx static" "http://127.0.0.1:$P2$QPATH.html"
b=$rps
awk -v a="$a" -v b="$b" 'BEGIN { printf "  securebase / nginx = %.2f\n", a / b }'
run "dashboard, securebase" "http://127.0.0.1:$P1/" "Cookie: __Host-sb=$COOKIE"
a=$rps
run "dashboard, nginx static" "http://127.0.0.1:$P2/dashboard.html"
b=$rps
awk -v a="$a" -v b="$b" 'BEGIN { printf "  securebase / nginx = %.2f\n", a / b }'
echo "RSS after load: $(ps -o rss= -p $SPID | tr -d ' ') kB"
