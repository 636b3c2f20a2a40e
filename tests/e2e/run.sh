#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh - end-to-end browser tests: installs the npm test tools (npm ci,
# from package-lock.json), starts a practice and `securebase serve` on
# 127.0.0.1, and runs the node:test files in Debian's Chromium.
set -u
cd "$(dirname "$0")"
E2E=$(pwd)
ROOT=$(cd ../.. && pwd)
SB=$ROOT/build/securebase
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund > npm.log 2>&1 || { cat npm.log; exit 1; }
T=$(mktemp -d)
PORT=$((20000 + $$ % 12000))	# below the ephemeral ports
cleanup() {
	[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
	[ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
cd "$T"
printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user boss user add tom --role therapist --password-file pw
$SB --user boss user add cara --role therapist --password-file pw
$SB --user boss user add tab --role kiosk --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
# WAI-SR (12 items, three pages) for the resumed link.
export SECUREBASE_LICENCES=$T/licences
$SB --user boss instruments permit wai-sr --by "the e2e test" --reference "test practice only" > /dev/null
# An ECR-RS about four figures for Ada, answered on paper: the caseload
# must say whose anxiety its first score is.
$SB --user boss instruments permit ecr-rs --by "the e2e test" --reference "test practice only" > /dev/null
{
	for f in mother father partner friend; do for i in 1 2 3 4 5 6 7 8 9; do
		printf '%s%s.q%s' "$([ "$f$i" = mother1 ] || echo ,)" $f $i; done; done; echo
	for f in mother father partner friend; do for i in 1 2 3 4 5 6 7 8 9; do
		printf '%s%s' "$([ "$f$i" = mother1 ] || echo ,)" $(( (i % 7) + 1 )); done; done; echo
} > ecr-rs.csv
$SB --user anna administer ecr-rs --client 1 --answers ecr-rs.csv > /dev/null || exit 1
# Bea, whose second PHQ-9 endorses item 9 (an open alert), and Ada's two
# PHQ-9s: outcomes per episode.
$SB --user anna client add --name "Bea Alert" > /dev/null
phq() { printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9
%s
' "$2" > phq.csv
	$SB --user anna administer phq9 --client $1 --answers phq.csv > /dev/null || exit 1; }
phq 1 2,2,1,1,1,1,1,1,0
phq 1 1,1,1,0,0,1,0,0,0
phq 2 3,3,2,2,2,2,2,1,0
phq 2 2,3,2,2,2,2,2,1,2
# A couple, each with their own ECR-RS (about the other among the
# figures) twice: Cam (3) and Dee (4).
$SB --user anna client add --name "Cam Partner" > /dev/null
$SB --user anna client add --name "Dee Partner" > /dev/null
$SB --user anna case add --kind couple --clients 3,4 > /dev/null || exit 1
for c in 3 4; do
	$SB --user anna administer ecr-rs --client $c --answers ecr-rs.csv > /dev/null || exit 1
	sed '2s/[0-9]/4/g' ecr-rs.csv > ecr-rs2.csv
	$SB --user anna administer ecr-rs --client $c --answers ecr-rs2.csv > /dev/null || exit 1
done
phq 4 3,3,3,3,3,3,3,3,0
# Fay's two PHQ-9s: with Ada's and Bea's, three episodes with both scores,
# the fewest that give a d (with an interval wide enough to be read with
# care).
fay=$($SB --user anna client add --name "Fay Outcome" --json | tr -dc 0-9)
phq "$fay" 3,3,3,3,3,3,3,3,0
phq "$fay" 1,1,1,1,1,1,1,1,0
# Two hard families for the relationship map (tests/data/history).
HARD=
for f in hard-family four-generations; do
	id=$($SB --user anna client add --name "Map $f" --json | tr -dc 0-9)
	$SB --user anna history import --client "$id" "$ROOT/tests/data/history/$f.json" > /dev/null || exit 1
	HARD="$HARD${HARD:+,}$id"
done
# Gus, a client with a long record: 60 links sent, 300 PHQ-9s (weekly,
# no risk answer) and a family of 40 people.  No page may scroll
# sideways for him at either size.
gus=$($SB --user anna client add --name "Gus Longrecord" --json | tr -dc 0-9)
{
	echo "q1,q2,q3,q4,q5,q6,q7,q8,q9,date"
	i=300; while [ $i -gt 0 ]; do
		printf '%s,%s,1,1,1,1,1,1,0,%s\n' $((i % 4)) $(((i / 3) % 4)) \
		    "$(date -u -d "@$(( $(date +%s) - i * 7 * 86400 ))" +%Y-%m-%d)"
		i=$((i - 1))
	done
} > gus.csv
$SB --user anna import --csv gus.csv --instrument phq9 --client "$gus" > /dev/null || exit 1
i=0; while [ $i -lt 60 ]; do
	$SB --user anna link create --client "$gus" --instrument gad7 --origin "http://localhost" > /dev/null || exit 1
	i=$((i + 1))
done
{
	# Grandparents (1-4), parents (5, 6), six aunts and uncles (7-12),
	# Gus (13) and five siblings (14-18), a partner (19), four children
	# (20-23) and seventeen cousins (24-40).
	echo '{"schema": 1, "people": ['
	echo '{"id": 1, "name": "Grandmother M", "gender": "female", "born": 1930},'
	echo '{"id": 2, "name": "Grandfather M", "gender": "male", "born": 1928},'
	echo '{"id": 3, "name": "Grandmother F", "gender": "female", "born": 1932},'
	echo '{"id": 4, "name": "Grandfather F", "gender": "male", "born": 1929},'
	echo '{"id": 5, "name": "Mother", "role": "mother", "gender": "female", "born": 1955},'
	echo '{"id": 6, "name": "Father", "role": "father", "gender": "male", "born": 1953},'
	for n in 7 8 9 10 11 12; do echo "{\"id\": $n, \"name\": \"Aunt or uncle $n\", \"born\": 1957},"; done
	echo '{"id": 13, "name": "Gus", "role": "self", "gender": "male", "born": 1980},'
	for n in 14 15 16 17 18; do echo "{\"id\": $n, \"name\": \"Sibling $n\", \"born\": 1982},"; done
	echo '{"id": 19, "name": "Partner Ines", "role": "partner", "gender": "female", "born": 1981},'
	for n in 20 21 22 23; do echo "{\"id\": $n, \"name\": \"Child $n\", \"born\": 2010},"; done
	n=24; while [ $n -le 40 ]; do
		printf '{"id": %d, "name": "Cousin %d", "born": 1985}%s\n' $n $n "$([ $n -lt 40 ] && echo ,)"
		n=$((n + 1))
	done
	echo '], "ties": ['
	echo '{"a": 2, "b": 1, "type": "married"}, {"a": 4, "b": 3, "type": "married"},'
	echo '{"a": 6, "b": 5, "type": "married"}, {"a": 13, "b": 19, "type": "married"},'
	echo '{"a": 1, "b": 5, "type": "parent"}, {"a": 2, "b": 5, "type": "parent"},'
	echo '{"a": 3, "b": 6, "type": "parent"}, {"a": 4, "b": 6, "type": "parent"},'
	for n in 7 8 9; do echo "{\"a\": 1, \"b\": $n, \"type\": \"parent\"},"; done
	for n in 10 11 12; do echo "{\"a\": 3, \"b\": $n, \"type\": \"parent\"},"; done
	for n in 13 14 15 16 17 18; do echo "{\"a\": 5, \"b\": $n, \"type\": \"parent\"}, {\"a\": 6, \"b\": $n, \"type\": \"parent\"},"; done
	for n in 20 21 22 23; do echo "{\"a\": 13, \"b\": $n, \"type\": \"parent\"}, {\"a\": 19, \"b\": $n, \"type\": \"parent\"},"; done
	n=24; while [ $n -le 40 ]; do
		printf '{"a": %d, "b": %d, "type": "parent"}%s\n' $((7 + (n - 24) % 6)) $n "$([ $n -lt 40 ] && echo ,)"
		n=$((n + 1))
	done
	echo '], "events": []}'
} > gus.json
$SB --user anna history import --client "$gus" gus.json > /dev/null || exit 1
# Dan's one client has a right-to-left name (Hebrew letters, no control
# character) and an open alert: the caseload line must keep its order.
$SB --user boss user add dan --role therapist --password-file pw > /dev/null
rtl=$($SB --user dan client add --name "שרה כהן" --json | tr -dc 0-9)
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,2\n' > phq.csv
$SB --user dan administer phq9 --client "$rtl" --answers phq.csv > /dev/null || exit 1
# ... and a plan whose first send waits for an answer ("NAME: 1 measure
# sent by the plan" under Measures due).
$SB --user dan client email "$rtl" --address sarah@client.example > /dev/null || exit 1
$SB --user dan schedule add --client "$rtl" --instrument gad7 --days 14 > /dev/null || exit 1
$SB schedule run > /dev/null 2>&1
for try in 1 2 3 4 5; do
	$SB serve --listen 127.0.0.1:$PORT --origin "http://localhost:$PORT" > serve.log 2>&1 &
	PID=$!
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$PORT/login"; do
		i=$((i + 1)); [ $i -gt 50 ] && { cat serve.log; exit 1; }
		kill -0 $PID 2>/dev/null || break	# the port was taken
		sleep 0.1
	done
	kill -0 $PID 2>/dev/null && break
	PORT=$((PORT + 1))
done
# The demo practice beside it, for the charts of every demo client.
mkdir demo && (cd demo && exec $SB demo --port $((PORT + 1)) > demo.log 2>&1) &
DPID=$!
i=0; until grep -q serving demo/demo.log 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 600 ] && { cat demo/demo.log; exit 1; }
	sleep 0.1
done
DPW=$(sed -n 's/^ *password: //p' demo/demo.log)
cd "$E2E"
out=$(SB_BASE="http://localhost:$PORT" SB_PASSWORD="correct horse battery" SB_DB="$T/p.db" \
    SB_DEMO="http://127.0.0.1:$((PORT + 1))" SB_DEMO_PASSWORD="$DPW" \
    SB_HARD_MAPS="$HARD" \
    SB_SHOTS="${SB_SHOTS:-}" node --test 2>&1)
rc=$?
printf '%s\n' "$out" | grep -vE '^# (cancelled|skipped|todo|duration_ms)'
p=$(printf '%s\n' "$out" | sed -n 's/^# pass \([0-9]*\)/\1/p')
f=$(printf '%s\n' "$out" | sed -n 's/^# fail \([0-9]*\)/\1/p')
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
echo "e2e: ${p:-0} passed, ${f:-0} failed" >> "$ROOT/build/results.txt"
exit $rc
