#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# flood.sh BINARY - fair logins under a flood (issue 31): 8 addresses,
# 30 parallel posts each, send wrong logins back to back for 60 s (as
# nginx would pass their addresses, X-Real-IP behind --trust-proxy).
# Meanwhile a therapist from a ninth address signs in every 6 s: at
# least 9 of her 10 sign-ins go through.  The flood's lines in the log
# are counted per address and interval, so the 60 s write under 1 MB
# and a few lines a second (the journal's rate limit then drops none of
# the lines that matter: an alert's, a mail's, an anchor's).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 31) % 12000))
O=http://127.0.0.1:$PORT
. "$ROOT/tests/lib.sh"
cleanup() { touch "$T/stop" 2>/dev/null; kill $(cat "$T"/pids 2>/dev/null) 2>/dev/null; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//;s/"//'; }
SECONDS_FLOOD=${FLOOD_SECONDS:-60}

printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null 2>&1 || exit 1
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test > /dev/null 2>&1
$SB --user anna client add --name "Ada Example" > /dev/null
for try in 1 2 3 4 5; do
	$SB serve --listen 127.0.0.1:$PORT > serve.log 2>&1 &
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
log0=$(wc -c < serve.log)

# The flood: 8 addresses, 30 transfers each in parallel, user names
# that change (so that no one name's back-off stops it).
curl -s -c pre.jar -o pre.html $O/login
PRE=$(csrf pre.html)
PC=$(awk '$6 == "__Host-sbpre" {print $7}' pre.jar)
: > attack.cfg
for n in $(seq 1 240); do
	printf 'url = "%s/login"\nsilent\nmax-time = 20\ncookie = "__Host-sbpre=%s"\nheader = "Origin: %s"\ninterface = "127.0.1.%d"\ndata = "csrf=%s&user=guess%d&password=wrong+guess"\nwrite-out = "%%{http_code}\\n"\noutput = "/dev/null"\n' \
	    "$O" "$PC" "$O" $((n % 8 + 1)) "$PRE" "$n" >> attack.cfg
	[ $n -lt 240 ] && echo next >> attack.cfg
done
(
	while [ ! -e stop ]; do
		curl -s --no-progress-meter -Z --parallel-max 240 \
		    --parallel-immediate -K attack.cfg 2>/dev/null
	done > codes
) &
echo $! > pids
sleep 1

# The therapist, from her own address, every 6 s.
signed=0
for k in $(seq 1 10); do
	rm -f a.jar
	curl -s -c a.jar -b a.jar --interface 127.0.0.9 -o b $O/login
	code=$(curl -s -c a.jar -b a.jar -o b -w '%{http_code}' -H "Origin: $O" \
	    --interface 127.0.0.9 --data-urlencode "csrf=$(csrf b)" \
	    --data "user=anna" --data-urlencode "password=correct horse battery" $O/login)
	[ "$code" = 303 ] && signed=$((signed + 1))
	echo "$code" >> anna.codes
	sleep $((SECONDS_FLOOD / 10 - 1))
done
[ $signed -ge 9 ] && ok || bad "the therapist signed in $signed times of 10 during the flood: $(tr '\n' ' ' < anna.codes)"
curl -s -b a.jar -o page -w '%{http_code}' --interface 127.0.0.9 $O/clients/1 | grep -q 200 && ok || bad "the client page during the flood"
touch stop
wait $(cat pids) 2>/dev/null
rm -f pids
sleep 1.5	# the last interval's counts
total=$(wc -l < codes)
bytes=$(($(wc -c < serve.log) - log0))
lines=$(grep -c 'event=login-' serve.log)
[ "$total" -gt 1000 ] && ok || bad "the flood sent only $total posts"
[ "$bytes" -lt 1000000 ] && ok || bad "the flood wrote $bytes bytes of log"
[ "$lines" -lt $((SECONDS_FLOOD * 5)) ] && ok || bad "the flood wrote $lines login lines in $SECONDS_FLOOD s"
grep -q 'event=login-[a-z]* ip=127\.0\.1\.[0-9]* repeated=[0-9]* seconds=10' serve.log && ok || bad "no counted line: $(grep event=login- serve.log | head -3)"
grep -q 'event=login ip=127.0.0.9 user=anna' serve.log && ok || bad "the therapist's sign-ins are not in the log"
echo "flood: $total login posts from 8 addresses in about $SECONDS_FLOOD s; the therapist signed in $signed of 10; $lines login lines, $bytes bytes of log"
finish "flood ($1)"
