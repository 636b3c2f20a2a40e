#!/bin/sh
# expected.sh BINARY - the "not on track" alert against a band worked out
# by hand: twenty completed episodes of the practice, all with a PHQ-9
# intake of 15, ten at 11 and ten at 13 two weeks later (changes -4 and
# -2).  For a client whose intake is 15, at day 14 R's type-7 quantiles
# of the twenty changes are: 10th, h = 19 x .1 = 1.9, between the 2nd
# and 3rd of the sorted changes, both -4: -4; median, h = 9.5, between
# the 10th (-4) and 11th (-2): -3; 90th, h = 17.1, both -2: -2.  So the
# expected score is 12 and the band 11 to 13: a PHQ-9 of 14 is not on
# track (an alert), 13 is (none).  With nineteen episodes there is no
# curve and no alert, and the page says how many there are.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 13) % 12000))
. "$ROOT/tests/web/lib.sh"
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }

# Monday 2 March 2026, 08:00 UTC: `date -u -d 2026-03-02T08:00:00Z +%s`.
T0=1772438400
export SECUREBASE_TEST_CLOCK=$T/clock
at() { echo $((T0 + $1 * 86400)) > "$T/clock"; }
day() { date -u -d "@$((T0 + $1 * 86400))" +%Y-%m-%d; }
phq() { printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n%s\n' "$1" > a.csv; }
# Totals without the risk item (q9 = 0).
P15=2,2,2,2,2,2,2,1,0
P11=2,2,2,1,1,1,1,1,0
P13=2,2,2,2,2,1,1,1,0
P14=2,2,2,2,2,2,1,1,0

practice
$SB --user boss user add anna --role therapist --password-file pw > /dev/null
# administer CLIENT DAY ANSWERS
administer() { at "$2"; phq "$3"; $SB --user anna administer phq9 --client "$1" --answers a.csv > /dev/null || bad "administer $1 day $2"; }
# reference N: a completed episode of client N, starting on day N * 2.
reference() {
	s=$(( $1 * 2 ))
	$SB --user anna client add --name "Past $1" > /dev/null
	e=$($SB --user anna episode start --client $1 --date "$(day $s)" --json | sed 's/[^0-9]//g')
	administer $1 $s $P15
	if [ $(( $1 % 2 )) -eq 0 ]; then administer $1 $((s + 14)) $P11; else administer $1 $((s + 14)) $P13; fi
	$SB --user anna episode end "$e" --date "$(day $((s + 21)))" > /dev/null || bad "episode end $1"
}
n=1
while [ $n -le 19 ]; do reference $n; n=$((n + 1)); done

# Two clients in open episodes from day 100, intake 15.
$SB --user anna client add --name "Ana Inside" > /dev/null	# 20
$SB --user anna client add --name "Ben Outside" > /dev/null	# 21
for c in 20 21; do
	$SB --user anna episode start --client $c --date "$(day 100)" > /dev/null
	administer $c 100 $P15
done
# Nineteen episodes: no curve, no alert, and the page says so.
administer 21 114 $P14
eq "no alert from 19 episodes" "$(q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track'")" 0
# The twentieth episode (client 22, so the two keep their numbers).
$SB --user anna client add --name "Past 20" > /dev/null
e=$($SB --user anna episode start --client 22 --date "$(day 40)" --json | sed 's/[^0-9]//g')
administer 22 40 $P15
administer 22 54 $P11
$SB --user anna episode end "$e" --date "$(day 61)" > /dev/null
# Now with a curve, on day 114 (14 days after the intakes): Ana 13 (the
# band's edge: on track), Ben 14 again (beyond it).
administer 20 114 $P13
eq "13 at day 14 is on track (band 11-13)" "$(q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track'")" 0
administer 21 114 $P14
eq "14 at day 14 is not on track" "$(q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track' AND client_id = 21")" 1
$SB --user anna alerts > out
grep -q "not-on-track.*PHQ-9 not on track, episode [0-9]*: 14 after 14 days; expected 12.0, most (80 %) of the 20 completed episodes of the practice with the nearest first scores between 11.0 and 13.0 (first score 15)" out && ok || { bad "the alert's words"; cat out; }
# Once per episode while unresolved.
administer 21 115 $P14
eq "not raised twice in the episode" "$(q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track'")" 1
# Under a week after the intake: never judged.
$SB --user anna client add --name "Cat Early" > /dev/null	# 23
$SB --user anna episode start --client 23 --date "$(day 100)" > /dev/null
administer 23 100 $P15
administer 23 105 $P14
eq "not judged in the intake week" "$(q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track' AND client_id = 23")" 0

# The page: the band drawn for Ben, the checklist; none yet for a
# practice without episodes of GAD-7.
at 116
serve_start
eq "login" "$(login anna a.jar)" 303
code "Ben's page" 200 -b a.jar $O/clients/21
has "the band" "Shaded green: the expected path, from the 20 completed episodes"
has "the checklist" "<strong>Not on track</strong>"
has "the alert in words" "not on track (expected path)"
code "Ana's page" 200 -b a.jar $O/clients/20
lacks "no checklist for Ana" "<strong>Not on track</strong>"
finish "expected ($1)"
