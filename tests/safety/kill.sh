#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# kill.sh BINARY - clients answer questionnaire links while `securebase
# serve` is killed with SIGKILL at random moments (KILLS times, at least
# 30), then restarted.  Afterwards: every answer the server acknowledged
# is stored, every endorsed critical item has exactly one alert, no link
# has two administrations, no administration is left without its link,
# and the audit chain verifies.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
KILLS=${KILLS:-30}
CLIENTS=4
LINKS=30		# per client
T=$(mktemp -d)
PORT=$((20000 + ($$ * 13) % 12000))
O=http://127.0.0.1:$PORT
. "$ROOT/tests/lib.sh"
cleanup() { [ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null; kill $(cat "$T"/c*.pid 2>/dev/null) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
cd "$T"
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
q() { sqlite3 -cmd ".timeout 10000" p.db "$1"; }

printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null || exit 1
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
for c in $(seq 1 $CLIENTS); do
	for n in $(seq 1 $LINKS); do
		$SB --user anna link create --client 1 --instrument phq9 \
		    --origin "$O" --days 1 --json
	done | sed 's/.*"link": \([0-9]*\), "url": "[^"]*\/q\/\([0-9a-f]*\)".*/\1 \2/' > links.$c
done

start() {
	$SB serve --listen 127.0.0.1:$PORT > serve.log 2>&1 &
	PID=$!
	i=0
	until curl -s -o /dev/null "$O/login"; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "server did not start"; cat serve.log; exit 1; }
		sleep 0.05
	done
}

# client FILE ACK: answers each link of FILE to the end, retrying while the
# server is down; ACK gets "LINK q9" for each completion the server
# acknowledged ("Thank you"), and "LINK saved" for an acknowledged page
# with item 9 endorsed.
client() {
	b=body.$2
	while read -r link tok; do
		u="$O/q/$tok"
		# Item 9 endorsed on every third link.
		q9=0; [ $((link % 3)) -eq 0 ] && q9=2
		step=0
		while [ $step -lt 3 ]; do
			case $step in
			0)	st=$(curl -s -m 5 -o $b -w '%{http_code}' "$u")
				[ "$st" = 200 ] && { cs=$(grep -o 'name="csrf" value="[0-9a-f]*"' $b | head -1 | sed 's/.*value="//;s/"//'); step=1; }
				[ "$st" = 410 ] && step=3 ;;
			1)	st=$(curl -s -m 5 -o $b -w '%{http_code}' -H "Origin: $O" --data "csrf=$cs&p=0&q1=1&q2=2&q3=1&q4=0&q5=1&go=next" "$u")
				[ "$st" = 303 ] && step=2
				[ "$st" = 409 ] || [ "$st" = 410 ] && step=3
				[ "$st" = 403 ] && step=0 ;;
			2)	st=$(curl -s -m 5 -o $b -w '%{http_code}' -H "Origin: $O" --data "csrf=$cs&p=1&q6=1&q7=0&q8=1&q9=$q9&q10=0&go=next" "$u")
				if [ "$st" = 200 ] && grep -q "Thank you" $b; then
					echo "$link $q9" >> "$2"; step=3
				fi
				[ "$st" = 409 ] || [ "$st" = 410 ] && step=3
				[ "$st" = 403 ] && step=0 ;;
			esac
			[ -n "${TRACE:-}" ] && echo "$link $step $st" >> trace
			[ "$st" = 000 ] && sleep 0.05
		done
	done < "$1"
	rm -f "$b"
}

start
for c in $(seq 1 $CLIENTS); do
	client links.$c ack.$c &
	echo $! > c$c.pid
done
k=0
while [ $k -lt $KILLS ]; do
	# A random moment, 50-400 ms into the server's life.
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 350 + 50 ))
	sleep "$(printf '0.%03d' $ms)"
	kill -9 $PID; wait $PID 2>/dev/null
	k=$((k + 1))
	start
done
# The clients finish with the server up.
i=0
for c in $(seq 1 $CLIENTS); do
	while kill -0 "$(cat c$c.pid)" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1; i=$((i + 1))
	done
done
kill -9 $PID; wait $PID 2>/dev/null; PID=
eq "killed" $k $KILLS
cat ack.* > ack 2>/dev/null
nack=$(wc -l < ack)
[ "$nack" -gt 0 ] && ok || bad "no completion was acknowledged"
lost=0
while read -r link q9; do
	a=$(q "SELECT a.answers FROM links l JOIN administrations a ON a.id = l.administration_id WHERE l.id = $link")
	[ "$a" = "q1=1;q2=2;q3=1;q4=0;q5=1;q6=1;q7=0;q8=1;q9=$q9;q10=0" ] || { lost=$((lost + 1)); echo "link $link: stored '$a'"; }
done < ack
eq "every acknowledged answer is stored" $lost 0
eq "every endorsed item 9 of a completed link is alerted once" \
    "$(q "SELECT count(*) FROM links l WHERE l.administration_id IS NOT NULL AND l.id % 3 = 0 AND (SELECT count(*) FROM alerts a WHERE a.link_id = l.id AND a.rule = 'critical-item') != 1")" 0
eq "no alert for a link whose item 9 was not endorsed" \
    "$(q "SELECT count(*) FROM alerts WHERE rule = 'critical-item' AND link_id % 3 != 0")" 0
eq "no link with two administrations" \
    "$(q "SELECT count(*) FROM administrations") $(q "SELECT count(*) FROM links WHERE administration_id IS NOT NULL")" \
    "$(q "SELECT count(*) FROM links WHERE administration_id IS NOT NULL") $(q "SELECT count(*) FROM administrations")"
eq "no administration without its link" \
    "$(q "SELECT count(*) FROM administrations a WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.administration_id = a.id)")" 0
eq "every critical alert of a completed link names its administration" \
    "$(q "SELECT count(*) FROM alerts a JOIN links l ON l.id = a.link_id WHERE l.administration_id IS NOT NULL AND (a.administration_id IS NULL OR a.administration_id != l.administration_id)")" 0
eq "every link was completed in the end" "$(q "SELECT count(*) FROM links WHERE administration_id IS NULL")" 0
$SB --user anna audit verify > out 2>&1 && ok || { bad "audit chain"; cat out; }
finish "kill ($1)" "($k kills, $nack acknowledged completions)"
