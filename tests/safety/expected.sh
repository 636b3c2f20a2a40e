#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# expected.sh BINARY - the "not on track" alert, end to end, against bands
# worked out by hand from the published PHQ-9 course in a practice with no
# completed episodes of its own (core/expected.h step 1: NHS Talking
# Therapies 2022-23, 15.4 (5.5) to 9.4 (6.4), reliability .84, rho .5,
# tau 42; computed with Python's math module from the formulas, and the
# model checked by simulation in tests/test_expected.c).  For an intake
# of 15 the band's upper edge is 16.894 on day 28, 16.737 on day 35,
# 16.627 on day 42 and 16.547 on day 49 (mid 11.0035, lower edge 5.4597).
#
# Ana: 17 on day 28 (beyond), 16 on day 35 (inside), 17 on day 42 (beyond:
# one wiggle, no alert), 17 on day 49 (beyond again, two in a row: the
# alert).  Ben: 18 every week; days 7-21 are never judged, day 28 is one
# reading beyond, day 35 the second: the alert comes then, not before.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 13) % 12000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
. "$ROOT/tests/safety/days.sh"

# Totals without the risk item (q9 = 0).
P15=2,2,2,2,2,2,2,1,0
P16=2,2,2,2,2,2,2,2,0
P17=3,2,2,2,2,2,2,2,0
P18=3,3,2,2,2,2,2,2,0
alerts() { q "SELECT count(*) FROM alerts WHERE rule = 'not-on-track' AND client_id = $1"; }

practice
$SB --user boss user add anna --role therapist --password-file pw > /dev/null

$SB --user anna client add --name "Ana Wiggle" > /dev/null	# 1
$SB --user anna client add --name "Ben Early" > /dev/null	# 2
$SB --user anna client add --name "Cat Core" > /dev/null	# 3
for c in 1 2 3; do
	$SB --user anna episode start --client $c --date "$(day 0)" > /dev/null
done
administer 1 0 $P15
administer 2 0 $P15

# Ana: one wiggle beyond the band is no alert, two in a row are.
administer 1 28 $P17
eq "Ana day 28, one reading beyond" "$(alerts 1)" 0
administer 1 35 $P16
eq "Ana day 35, back inside" "$(alerts 1)" 0
administer 1 42 $P17
eq "Ana day 42, beyond once more: a wiggle, not two in a row" "$(alerts 1)" 0
administer 1 49 $P17
eq "Ana day 49, the second in a row: the alert" "$(alerts 1)" 1
$SB --user anna alerts > out
grep -q "not-on-track.*PHQ-9 not on track, episode [0-9]*: 17 after 49 days, the second reading in a row beyond the expected band; expected 11.0, band 5.5 to 16.5 (first score 15; published course: NHS Talking Therapies 2022-23, cases at caseness, first and last scores (secondary source, UNVERIFIED); none of the practice's own episodes yet)" out && ok || { bad "the alert's words"; cat out; }
administer 1 56 $P18
eq "once per episode while unresolved" "$(alerts 1)" 1

# Ben: nothing is judged before day 28, however high; the alert comes at
# the first week the rule allows, day 35.
for d in 7 14 21; do
	administer 2 $d $P18
	eq "Ben day $d, not judged yet" "$(alerts 2)" 0
done
administer 2 28 $P18
eq "Ben day 28, one reading beyond" "$(alerts 2)" 0
administer 2 35 $P18
eq "Ben day 35, two in a row" "$(alerts 2)" 1

# Dan moves one point (4 to 5): neutral words, no colour; Eve ten (4 to
# 14), more than PHQ-9's reliable change of 1.96 x 5.5 x sqrt(2 x .16) =
# 6.10 points: red and "reliably worse".
$SB --user anna client add --name "Dan Wiggle" > /dev/null	# 4
$SB --user anna client add --name "Eve Worse" > /dev/null	# 5
administer 4 30 1,1,1,1,0,0,0,0,0
administer 4 31 1,1,1,1,1,0,0,0,0
administer 5 30 1,1,1,1,0,0,0,0,0
administer 5 31 2,2,2,2,2,2,1,1,0

# Cat: CORE-10 has no published course, so with no completed episodes of
# the practice there is no path, and the page says why.
at 36
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n2,2,2,2,2,0,2,2,2,2\n' > c.csv
$SB --user anna administer core10 --client 3 --answers c.csv > /dev/null || bad "administer core10"

# The pages: the band and what shaped it, the checklist for Ana.
at 57
serve_start
eq "login" "$(login anna a.jar)" 303
code "Ana's page" 200 -b a.jar $O/clients/1
has "the band and its source" "Shaded green: the expected path and the band 8 in 10 comparable clients stay in; published course: NHS Talking Therapies 2022-23"
has "no own episodes yet" "none of the practice&#39;s own episodes yet"
has "the rule named" "needs two readings in a row beyond the band"
has "the checklist" "<strong>Not on track</strong>"
has "the alert in words" "not on track (expected path)"
code "caseload" 200 -b a.jar $O/
has "a one-point wiggle is neutral" '<span class="badge same">&#8593; up from 4; under 6.1 points, no reliable change</span>'
has "a reliable rise is red" '<span class="badge worse">&#8593; up from 4, reliably worse</span>'
code "Dan's page" 200 -b a.jar $O/clients/4
has "neutral on the client page too" '<span class="badge same">unchanged</span>'
lacks "no red for Dan" 'badge worse'
code "Cat's page" 200 -b a.jar $O/clients/3
has "no path for CORE-10, and why" "No expected path yet: this measure has no published course, and fewer than 10 of the practice"
lacks "no checklist for Cat" "<strong>Not on track</strong>"
finish "expected ($1)"
