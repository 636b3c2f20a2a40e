#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# outcomes.sh BINARY - measurement a clinician can trust, end to end:
# outcomes per episode of care (a returning client is two episodes, never
# her first score against her last; one score is counted, not dropped;
# answers outside every episode are left out), read with `securebase
# outcomes` and on the outcomes page; and the practice's recovery
# convention, Jacobson & Truax or NHS Talking Therapies, named wherever
# change is (outcomes, client page, PDF); and the alliance watched (a
# WAI-SR fall larger than a reliable change, from the practice's spread).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
BIN=$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 17) % 12000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
. "$ROOT/tests/safety/days.sh"

P20=3,3,3,3,2,2,2,2,0
P5=1,1,1,1,1,0,0,0,0
P18=2,2,2,2,2,2,2,2,2
P17=2,2,2,2,2,2,2,2,1
P12=2,2,2,2,1,1,1,1,0
P9=1,1,1,1,1,1,1,1,1

practice
$SB --user boss user add anna --role therapist --password-file pw > /dev/null
episode() { $SB --user anna episode start --client "$1" --date "$(day "$2")" --json | sed 's/[^0-9]//g'; }
end() { $SB --user anna episode end "$1" --date "$(day "$2")" > /dev/null || bad "episode end $1"; }

# Rosa comes twice: 20 to 5 (recovered), then 18 to 17 (no reliable
# change).  First against last over both would be 20 to 17.
$SB --user anna client add --name "Rosa Returns" > /dev/null	# 1
e=$(episode 1 0); administer 1 0 $P20; administer 1 60 $P5; end "$e" 61
# An answer between the episodes belongs to neither.
administer 1 100 $P12
e=$(episode 1 200); administer 1 200 $P18; administer 1 260 $P17; end "$e" 261
# Sam has one score in his episode.
$SB --user anna client add --name "Sam Single" > /dev/null	# 2
e=$(episode 2 0); administer 2 10 $P12
# Tia records no episodes: her answers are one span, 12 to 9.
$SB --user anna client add --name "Tia Untracked" > /dev/null	# 3
administer 3 5 $P12; administer 3 40 $P9
# Uma: 16 to 9.  Jacobson & Truax: improved (RC -2.25, but 9 is above
# c = 7.76); NHS Talking Therapies: reliable recovery (from caseness 10
# to below it, a fall of 7 >= 6).
$SB --user anna client add --name "Uma Either" > /dev/null	# 4
e=$(episode 4 0); administer 4 0 2,2,2,2,2,2,2,2,0; administer 4 50 1,1,1,1,1,1,1,1,1

at 300
$SB --user anna outcomes > out || bad "outcomes"
# instrument score therapist n of one out recovered improved unchanged
# deteriorated: three pairs (Rosa twice, Tia), four episodes with a
# score, one with one score; Rosa's first recovered (20 to 5 crosses
# c = 7.76 with RC -15/3.11 = -4.82), her second and Tia's unchanged.
# columns: instrument score therapist n of one out recovered improved
# unchanged deteriorated
counts() { line=$(grep '^phq9 *total *anna  ' out | head -1); set -- $line; echo "$4 $5 $6 $7 $8 $9 ${10} ${11}"; }
eq "Jacobson & Truax: 4 pairs of 5 episodes, 1 with one score; 1 recovered, 1 improved, 2 unchanged" "$(counts)" "4 5 1 0 1 1 2 0"
grep -q '^phq9 *total *anna  .*Jacobson & Truax, criterion c' out && ok || bad "the convention named"
grep -q '^n: episodes of care with a first and a last score' out && ok || bad "the columns explained"
$SB --user boss settings set recovery nhs 2> err && bad "a wrong convention is refused" || ok
grep -q "recovery is jacobson-truax .* or talking-therapies" err && ok || bad "the refusal says what: $(cat err)"
$SB --user boss settings set recovery talking-therapies > /dev/null || bad "settings set recovery"
$SB --user anna outcomes > out || bad "outcomes"
eq "NHS Talking Therapies: Uma recovers too" "$(counts)" "4 5 1 0 2 0 2 0"
grep -q '^phq9 *total *anna  .*NHS Talking Therapies (caseness 10, reliable change 6 points)' out && ok || bad "the convention named"
$SB --user anna report --client 4 --pdf u.pdf > /dev/null || bad "report"
pdftotext u.pdf - | tr '\n' ' ' > u.txt
grep -q "NHS Talking Therapies: reliable recovery (a change of 7 points; 6 needed, caseness from 10)" u.txt && ok || bad "the PDF names the convention: $(grep -o 'PHQ-9 Total[^.]*\.[^.]*\.' u.txt | head -2)"

# --- the alliance ---------------------------------------------------------
# Twenty completed episodes, each with a first WAI-SR: ten of total 50
# (bond 16), ten of total 39 (bond 12).  By hand: SD of the totals
# 5.642881, of the bonds 2.051957 (n - 1); with r = .80 a reliable fall
# is 1.96 x SD x sqrt(2 x .2): 6.995 points of the total, 2.544 of the
# bond.
$SB --user boss instruments permit wai-sr --reference "SPR permission letter" > /dev/null || bad "permit wai-sr"
wai() { printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12\n%s\n' "$2" > w.csv; at "$3"; $SB --user anna administer wai-sr --client "$1" --answers w.csv > /dev/null || bad "wai-sr $1 day $3"; }
WA=5,4,4,4,4,4,4,4,4,4,5,4
WB=4,3,3,3,3,3,3,3,3,3,4,4
i=1
while [ $i -le 20 ]; do
	c=$((i + 4))
	$SB --user anna client add --name "Past $i" > /dev/null
	e=$(episode $c $((100 + i)))
	if [ $i -le 10 ]; then wai $c $WA $((100 + i)); else wai $c $WB $((100 + i)); fi
	end "$e" $((110 + i))
	i=$((i + 1))
done
alliance() { q "SELECT count(*) FROM alerts WHERE rule = 'alliance-drop' AND client_id = $1"; }
# Wes: 36, 60, then 52 (a fall of 8 > 6.995: reliable; above his first),
# then the bond 20 to 17 (3 > 2.544) with the total 49 (a fall of 3).
$SB --user anna client add --name "Wes Rupture" > /dev/null	# 25
wai 25 3,3,3,3,3,3,3,3,3,3,3,3 200
wai 25 5,5,5,5,5,5,5,5,5,5,5,5 207
eq "a rise is no alert" "$(alliance 25)" 0
wai 25 4,4,5,4,5,4,5,4,5,4,4,4 214
eq "a reliable fall of the total" "$(alliance 25)" 1
$SB --user anna alerts > out
grep -q "medium	alliance-drop	open.*WAI-SR total: 52, down 8 since last time (60); a fall of more than 7.0 is reliable (SD of the first scores of 20 completed episodes of the practice, reliability 0.80)" out && ok || { bad "the alliance alert's words"; grep alliance out; }
wai 25 4,4,4,4,4,4,5,4,4,4,4,4 221
eq "a reliable fall of the bond" "$(alliance 25)" 2
grep -q "WAI-SR bond: 17, down 3 since last time (20); a fall of more than 2.5 is reliable" "$(true; $SB --user anna alerts > out2; echo out2)" && ok || { bad "the bond's words"; grep alliance out2; }
# Xia: 36, 60, then 55 with the bond unchanged: a fall of 5, under the
# reliable change, and above her first: no alert.
$SB --user anna client add --name "Xia Steady" > /dev/null	# 26
wai 26 3,3,3,3,3,3,3,3,3,3,3,3 200
wai 26 5,5,5,5,5,5,5,5,5,5,5,5 207
wai 26 5,5,5,5,5,4,5,4,5,4,4,4 214
eq "a fall under the reliable change" "$(alliance 26)" 0

# --- the client's progress page: ECR-R in the client's words ---------------
# All 4s: both dimensions 4.0.  All 5s: anxiety (items 1-18, q9 and q11
# reversed as 8 - x) (16 x 5 + 2 x 3) / 18 = 4.78, shown 4.8; avoidance
# (items 19-36, twelve reversed) (6 x 5 + 12 x 3) / 18 = 3.67, shown 3.7.
$SB --user boss instruments permit ecr-r --reference "letter from R. C. Fraley" > /dev/null || bad "permit ecr-r"
ecr() { { i=1; while [ $i -le 36 ]; do printf 'q%d' $i; [ $i -lt 36 ] && printf ','; i=$((i + 1)); done; printf '\n'; i=1; while [ $i -le 36 ]; do printf '%s' "$2"; [ $i -lt 36 ] && printf ','; i=$((i + 1)); done; printf '\n'; } > e.csv; at "$3"; $SB --user anna administer ecr-r --client "$1" --answers e.csv > /dev/null || bad "ecr-r $1 day $3"; }
ecr 1 4 265
ecr 1 5 280

serve_start
eq "login" "$(login anna a.jar)" 303
code "the client page" 200 -b a.jar $O/clients/1
CS=$(csrf)
code "a progress link" 200 -b a.jar -H "Origin: $O" --data "csrf=$CS" $O/clients/1/progress/link
PURL=$(grep -o "$O/p/[0-9a-f]*" body | head -1)
code "ECR-R shown" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&show-phq9=on&show-ecr-r=on" $O/clients/1/progress/measures
code "the progress page" 200 "$PURL"
has "both dimensions, averages to one decimal" "Worry about whether people close to you will be there for you: the first time, on"
has "anxiety 4.0 to 4.8" ", 4.0; the latest, on"
grep -q "will be there for you: the first time, on [^,]*, 4.0; the latest, on [^,]*, 4.8." body && ok || bad "anxiety first and latest: $(grep -o 'Worry about[^<]*' body)"
grep -q "depending on them: the first time, on [^,]*, 4.0; the latest, on [^,]*, 3.7." body && ok || bad "avoidance first and latest: $(grep -o 'Discomfort with[^<]*' body)"
has "a mean, not a sum" "each the average of your answers on the scale from 1 to 7"
grep -o '<h2>ECR-R</h2>.*' body | sed 's|</section>.*||' > ecr.html
grep -qi "better\|worse\|add up\|secure\|preoccupied\|fearful\|dismissing" ecr.html && bad "no value judgement on ECR-R: $(grep -oi 'better\|worse\|add up\|secure\|preoccupied\|fearful\|dismissing' ecr.html | head -3)" || ok
has "PHQ-9 keeps its words" "On this questionnaire a lower number means things were going better for you"
code "outcomes page" 200 -b a.jar $O/outcomes
has "per episode" "Per episode of care"
has "both scores beside the figures" "4 of 5 (80%)"
has "one and left out" "<td>1 / 0</td>"
has "caseness rows" "episodes begun at caseness"
has "the convention on the page" "NHS Talking Therapies (caseness 10, reliable change 6 points)"
code "Uma's page" 200 -b a.jar $O/clients/4
has "the client page names it" "since the first: reliable recovery (NHS Talking Therapies (caseness 10, reliable change 6 points))"
finish "outcomes ($BIN)"
