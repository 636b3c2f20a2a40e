#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# login-load.sh BINARY - logins cannot take the server down: while 40
# unauthenticated clients post logins as fast as they can (each costs an
# Argon2id of 64 MiB when it is hashed), a signed-in therapist's client
# page still answers in under 1 s, every time, and every post is
# answered as a refused login.  Prints the figures.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 11) % 12000))
O=http://127.0.0.1:$PORT
. "$ROOT/tests/lib.sh"
cleanup() { kill $(cat "$T"/pids 2>/dev/null) 2>/dev/null; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
cd "$T"
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//;s/"//'; }

printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null || exit 1
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
for try in 1 2 3 4 5; do
	$SB serve --listen 127.0.0.1:$PORT --trust-proxy > serve.log 2>&1 &
	PID=$!
	i=0
	until curl -s -o /dev/null $O/login; do
		i=$((i + 1)); [ $i -gt 50 ] && { cat serve.log; exit 1; }
		kill -0 $PID 2>/dev/null || break
		sleep 0.1
	done
	kill -0 $PID 2>/dev/null && break
	PORT=$((PORT + 1)); O=http://127.0.0.1:$PORT
done
curl -s -c a.jar -b a.jar -o b $O/login
curl -s -c a.jar -b a.jar -o b -H "Origin: $O" --data-urlencode "csrf=$(csrf b)" \
    --data "user=anna" --data-urlencode "password=correct horse battery" $O/login
curl -s -b a.jar -o b -w '%{http_code}' $O/clients/1 | grep -q 200 && ok || bad "anna cannot open her client"

# 40 attackers at once, each request from its own address (X-Real-IP,
# as nginx would set it), posting logins back to back (one curl running
# 40 transfers in parallel, so that the load is on the server, not on
# forking clients) until 20 pages were measured.
curl -s -c pre.jar -o pre.html $O/login
PRE=$(csrf pre.html)
PC=$(awk '$6 == "__Host-sbpre" {print $7}' pre.jar)
: > attack.cfg
for n in $(seq 1 400); do
	printf 'url = "%s/login"\nsilent\nmax-time = 20\ncookie = "__Host-sbpre=%s"\nheader = "Origin: %s"\nheader = "X-Real-IP: 10.%d.%d.%d"\ndata = "csrf=%s&user=guess%d&password=wrong+guess"\nwrite-out = "%%{http_code}\\n"\noutput = "/dev/null"\n' \
	    "$O" "$PC" "$O" $((n / 65025)) $((n / 255 % 255)) $((n % 255 + 1)) "$PRE" "$n" >> attack.cfg
	[ $n -lt 400 ] && echo next >> attack.cfg
done
(
	while [ ! -e stop ]; do
		curl -s --no-progress-meter -Z --parallel-max 40 \
		    --parallel-immediate -K attack.cfg 2>/dev/null
	done > codes
) &
echo $! > pids
sleep 0.5
max=0; n=0
while [ $n -lt 20 ]; do
	t=$(curl -s -b a.jar -o page -w '%{time_total}' $O/clients/1)
	grep -q "Ada Example" page && ok || bad "the client page did not come"
	ms=$(echo "$t" | awk '{printf "%d", $1 * 1000}')
	[ "$ms" -gt "$max" ] && max=$ms
	n=$((n + 1))
	sleep 0.1
done
touch stop
wait $(cat pids) 2>/dev/null
rm -f pids
total=$(wc -l < codes)
busy=$(grep -c '^503$' codes)
tried=$(grep -c '^403$' codes)
held=$(grep -c '^429$' codes)
[ "$max" -lt 1000 ] && ok || bad "the client page took $max ms under login load"
# Every post answered as a refused login is (403 hashed and wrong, 503
# no turn to hash, 429 held back): none lost, none a server error.  How
# many wait their turn and how many are turned away depends on the
# machine's speed (web/server.c, login_turn_take), so only the sum is
# asserted.
[ $((tried + busy + held)) -eq "$total" ] && ok || bad "of $total login posts, $((total - tried - busy - held)) were answered otherwise: $(sort codes | uniq -c | tr '\n' ' ')"
echo "login load: $n client pages, slowest $max ms; $total login posts: $tried hashed and refused, $busy turned away at once (503), $held held back (429)"
finish "login-load ($1)"
