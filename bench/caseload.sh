#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# caseload.sh - the caseload's cost does not grow with the history
# (`make bench`): two practices of 40 clients, one with 10 PHQ-9
# administrations per client and one with 1,000 (40,000 in all), served
# side by side in the same run; wrk -t2 -c16 -d10s on the caseload page
# of each.  Target: the long history within 1.5x of the short one.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SB=$ROOT/build/securebase
T=$(mktemp -d)
P=$((20000 + $$ % 10000))	# below the ephemeral ports
cleanup() { kill $(cat "$T"/*.pid 2>/dev/null) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"
printf 'correct horse battery\n' > pw

# practice NAME PER-CLIENT PORT: a practice served on PORT, its session
# cookie in NAME.cookie.
practice() {
	$SB init --db "$1.db" --admin boss --admin-password-file pw > /dev/null
	$SB --db "$1.db" --user boss user add anna --role therapist --password-file pw
	awk -v n="$2" 'BEGIN { print "q1,q2,q3,q4,q5,q6,q7,q8,q9,q10"
		for (i = 0; i < n; i++) printf "%d,%d,1,0,1,2,1,0,0,0\n", i % 4, (i + 1) % 4 }' > "$1.csv"
	for c in $(seq 40); do
		$SB --db "$1.db" --user anna client add --name "Client $c" > /dev/null
		$SB --db "$1.db" --user anna import --csv "$1.csv" --instrument phq9 --client "$c" > /dev/null
	done
	$SB --db "$1.db" serve --listen "127.0.0.1:$3" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
	until curl -s -o /dev/null "http://127.0.0.1:$3/login"; do sleep 0.1; done
	curl -s -c "$1.jar" -b "$1.jar" -o login.html "http://127.0.0.1:$3/login"
	pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' login.html | sed 's/.*value="//;s/"//')
	curl -s -c "$1.jar" -b "$1.jar" -o /dev/null -H "Origin: http://127.0.0.1:$3" \
	    --data "csrf=$pre&user=anna&password=correct+horse+battery" "http://127.0.0.1:$3/login"
	awk '$6 == "__Host-sb" {print $7}' "$1.jar" > "$1.cookie"
}
practice short 10 $P
practice long 1000 $((P + 1))
echo "administrations: short $(sqlite3 short.db 'SELECT count(*) FROM administrations'), long $(sqlite3 long.db 'SELECT count(*) FROM administrations')"

run() {	# run NAME PORT
	wrk -t2 -c16 -d10s --latency -H "Cookie: __Host-sb=$(cat "$1.cookie")" \
	    "http://127.0.0.1:$2/" > "$1.wrk"
	rps=$(awk '/Requests\/sec/ {print $2}' "$1.wrk")
	p99=$(awk '$1 == "99%" {print $2}' "$1.wrk")
	errs=$(awk '/Non-2xx|Socket errors/ {print}' "$1.wrk")
	echo "caseload, 40 clients, $3 administrations each: $rps requests/s, p99 $p99 ${errs:+($errs)}"
}
echo "wrk -t2 -c16 -d10s, same machine, same run:"
run short $P 10
a=$rps
run long $((P + 1)) 1000
b=$rps
awk -v a="$a" -v b="$b" 'BEGIN { printf "  short / long = %.2f (target: at most 1.5)\n", a / b }'
