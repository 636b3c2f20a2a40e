#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# schedule.sh BINARY - measurement plans over 12 weeks of a test clock
# (SECUREBASE_TEST_CLOCK), mailed to a real SMTP server (Debian's
# aiosmtpd, STARTTLS and AUTH): every due send and reminder arrives once,
# none after its link is finished, none twice across a restart of serve
# in the middle or a week run by cron (`schedule run`) instead; a client
# without an address gets none; a newer send withdraws an open older
# link; a paused plan sends nothing until resumed, then only the latest
# due.  The expected mail is counted here from the rules, by hand.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 11) % 12000))
MPORT=$((PORT + 1))
. "$ROOT/tests/web/lib.sh"
cleanup() {
	[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }

# Monday 2 March 2026, 08:00 UTC: `date -u -d 2026-03-02T08:00:00Z +%s`.
T0=1772438400
DAY=86400
export SECUREBASE_TEST_CLOCK=$T/clock
at() { echo $((T0 + $1 * DAY + ${2:-0})) > "$T/clock"; }
at 0

practice
$SB --user boss user add anna --role therapist --password-file pw > /dev/null
$SB --user anna client add --name "Ada Example" > /dev/null	# 1
$SB --user anna client add --name "Bo No-Address" > /dev/null	# 2
$SB --user anna client add --name "Cy Sessions" > /dev/null	# 3
$SB --user anna client email 1 --address ada@example.test && ok || bad "client email"
$SB --user anna client email 3 --address cy@example.test && ok || bad "client email 3"
$SB --user anna client email 1 --address "not an address" 2> err
[ $? -ne 0 ] && grep -q "not a mail address" err && ok || bad "a bad client address was taken: $(cat err)"
$SB --user boss client email 1 --address x@example.test 2> /dev/null
[ $? -ne 0 ] && ok || bad "an admin set a client's address"
# Sealed like the name: the address is not in the database as text.
if sb_pg; then
	eq "client address sealed" "$(q "SELECT count(*) FROM clients WHERE position('ada@example'::bytea IN email) > 0")" 0
else
	eq "client address sealed" "$(q "SELECT count(*) FROM clients WHERE CAST(email AS TEXT) LIKE '%ada@example%'")" 0
fi

# Plans.  Ada: PHQ-9 every 14 days (remind after 3, link for 7), and
# CORE-10 weekly, paused on day 20 and resumed on day 50.  Bo: PHQ-9
# every 14 days, no address.  Cy: GAD-7 at the start and after every
# attended session.
$SB --user anna schedule add --client 1 --instrument phq9 --days 14 > out && ok || bad "plan 1: $(cat out)"
$SB --user anna schedule add --client 1 --instrument core10 --days 7 --remind 0 > out && ok || bad "plan 2: $(cat out)"
$SB --user anna schedule add --client 2 --instrument phq9 --days 14 > /dev/null && ok || bad "plan 3"
$SB --user anna schedule add --client 3 --instrument gad7 --sessions every --remind 0 > /dev/null && ok || bad "plan 4"
$SB --user anna schedule add --client 1 --instrument phq9 --days 0 2> err
[ $? -ne 0 ] && grep -q "1 to 365" err && ok || bad "a bad rule was taken: $(cat err)"
$SB --user anna schedule add --client 1 --instrument phq9 --days 7 --remind 9 2> err
[ $? -ne 0 ] && grep -q "before the link ends" err && ok || bad "a reminder after the link's end was taken: $(cat err)"
$SB --user anna schedule add --client 1 --instrument ecr-r --months 0,3 2> err
[ $? -ne 0 ] && grep -q "permission" err && ok || bad "a plan of an instrument without permission was taken: $(cat err)"
$SB --user anna schedule list --client 1 > out
grep -q "PHQ-9\|phq9.*every 14 days" out && ok || { bad "schedule list"; cat out; }

# --- the mail server ---------------------------------------------------------------
. "$ROOT/tests/mail/lib.sh"
smtpd_setup
$SB --user boss settings set origin "$O"
$SB --user boss settings set practice-name "Harbour Practice"

# mails: how many messages have arrived.
mails() { ls mail | grep -c '\.eml$'; }
# wait_mail N: until N messages have arrived (10 s at most).
wait_mail() {
	i=0
	while [ "$(mails)" -lt "$1" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { bad "waited for mail $1, have $(mails)"; return 1; }
		sleep 0.1
	done
}
# token_of RCPT: the newest link mailed to RCPT.
token_of() {
	grep -l "^To: <$1>" mail/*.eml | sort -t/ -k2 -n | tail -1 | xargs grep -o "/q/[0-9a-f]\{64\}" | head -1 | cut -c4-
}
# phq_token: the newest PHQ-9 link mailed to Ada (her CORE-10 goes out
# the same days; the mail does not name the measure, its page does).
phq_token() {
	for f in $(grep -l "^To: <ada@example.test>" mail/*.eml | sort -t/ -k2 -n | tail -3); do
		t=$(grep -o "/q/[0-9a-f]\{64\}" "$f" | head -1 | cut -c4-)
		curl -s "$O/q/$t" | grep -q "PHQ-9" && { echo "$t"; return; }
	done
}
# answer TOKEN: the client answers the PHQ-9 of the link, both pages.
answer() {
	curl -s -o body "$O/q/$1"
	qc=$(csrf)
	curl -s -o /dev/null -H "Origin: $O" --data "csrf=$qc&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$O/q/$1"
	code "answer $1" 200 -H "Origin: $O" --data "csrf=$qc&p=1&q6=1&q7=1&q8=1&q9=0&q10=1&go=next" "$O/q/$1"
	has "answered" "Thank you"
}
# day N: moves the clock to day N and waits until one of serve's
# scheduler rounds has run at it (/metrics counts a round once its sends
# are made), at most 10 s: a fixed sleep missed a day when a round that
# was sending mail ran past it.
rounds() { curl -s "$O/metrics" | awk '$1 == "securebase_schedule_rounds_total" { print $2 }'; }
day() {
	r0=$(rounds)
	was=$(cat "$T/clock")
	at "$1"
	# The clock where it was: no new round comes, none is awaited.
	[ "$(cat "$T/clock")" = "$was" ] && return
	i=0
	while [ "$(rounds)" = "$r0" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 100 ] || bad "no scheduler round on day $1"
	sleep 0.2	# the round's mail, sent after it by the same thread
}

serve_start
grep -q "the clock is a test's" serve.log && ok || bad "serve does not warn of the test clock"
day 0
wait_mail 3	# Ada PHQ-9, Ada CORE-10, Cy GAD-7
eq "day 0: Bo gets nothing, and his send says why" "$(q "SELECT count(*) FROM plan_sends WHERE state = 'no-address'")" 1
grep -l "^To: <ada@example.test>" mail/*.eml > /dev/null && ok || bad "no mail to Ada"
F=$(grep -l "^To: <ada@example.test>" mail/*.eml | head -1)
grep -q "anna at Harbour Practice asks you" "$F" && ok || { bad "the mail does not say who asks"; cat "$F"; }
grep -qi "phq\|core-10\|depress\|anxiety" "$F" && bad "the mail names the measure" || ok
grep -q "Subject: =?utf-8?B?" "$F" && ok || bad "no encoded subject"

n=1
while [ $n -le 41 ]; do
	day $n
	case $n in
	15)	# Ada answers day 14's PHQ-9 before its reminder.
		T14=$(phq_token); answer "$T14" ;;
	7)	# Cy's first session: a send the next round (day 8).
		$SB --user anna session add --client 3 --date 2026-03-09 --attendance attended > /dev/null ;;
	9)	# His second, while day 8's link is open: it is replaced.
		OLD=$(token_of cy@example.test)
		$SB --user anna session add --client 3 --date 2026-03-11 --attendance attended > /dev/null ;;
	20)	$SB --user anna schedule pause 2 --client 1 && ok || bad "pause" ;;
	32)	# Day 28's link, after its reminder on day 31.
		T28=$(grep -l "^To: <ada@example.test>" mail/*.eml | xargs grep -l "A reminder" | sort -t/ -k2 -n | tail -1 | xargs grep -o "/q/[0-9a-f]\{64\}" | head -1 | cut -c4-)
		[ -n "$T28" ] && answer "$T28" ;;
	esac
	n=$((n + 1))
done
# Cy's day-0 link was withdrawn by the newer send after his session.
code "a replaced link no longer opens" 404 "$O/q/$OLD"
eq "replaced sends" "$(q "SELECT count(*) FROM plan_sends WHERE state = 'superseded'")" 1

# The middle: serve stops; a week is run by cron, twice a day.
kill $PID; wait $PID 2>/dev/null; PID=
n=42
while [ $n -le 48 ]; do
	at $n; $SB schedule run > out 2>&1 || { bad "schedule run day $n"; cat out; }
	at $n 43200; $SB schedule run > out 2>&1 || { bad "schedule run day $n.5"; cat out; }
	n=$((n + 1))
done
grep -q "the clock is a test's" out && ok || bad "schedule run does not warn of the test clock"
# And serve again, for the rest of the twelve weeks.
serve_start
n=49
while [ $n -le 83 ]; do
	day $n
	[ $n -eq 50 ] && { $SB --user anna schedule resume 2 --client 1 && ok || bad "resume"; }
	n=$((n + 1))
done
sleep 1.5
kill $PID; wait $PID 2>/dev/null; PID=

# --- what arrived, counted against the rules ------------------------------------
/usr/bin/python3 - mail > got <<'PY'
import email, glob, os, re, sys
from email.header import decode_header
rows = []
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")),
                key=lambda p: int(os.path.basename(p).split(".")[0])):
    raw = open(p, "rb").read().decode("utf-8")
    body = raw.split("\n", 2)[2]		# after the envelope lines
    m = email.message_from_string(body)
    subj = "".join(s.decode(c or "ascii") if isinstance(s, bytes) else s
                   for s, c in decode_header(m["Subject"]))
    tok = re.search(r"/q/([0-9a-f]{64})", m.get_payload())
    rows.append((m["To"].strip("<>"), "reminder" if subj.startswith("Reminder") else "measure",
                 tok.group(1) if tok else "-"))
for r in rows:
    print("\t".join(r))
PY
cnt() { awk -F'\t' -v r="$1" -v k="$2" '$1 == r && $2 == k' got | wc -l | tr -d ' '; }
# Ada's PHQ-9 every 14 days over days 0-83: days 0, 14, 28, 42, 56, 70.
# Ada's CORE-10 weekly: days 0, 7, 14; paused days 20-49; on resuming
# (day 50) the latest due, day 49; then 56, 63, 70, 77: 8.
eq "Ada's sends (PHQ-9 6 + CORE-10 8)" "$(cnt ada@example.test measure)" 14
# Reminders, PHQ-9 only (CORE-10 has none): each send unanswered on its
# third day: days 0, 28 (answered on 32, after it), 42, 56, 70; day 14's
# was answered on day 15.
eq "Ada's reminders" "$(cnt ada@example.test reminder)" 5
# Cy: at the start, and after his sessions on days 7 and 9.
eq "Cy's sends" "$(cnt cy@example.test measure)" 3
eq "Cy's reminders (none in his plan)" "$(cnt cy@example.test reminder)" 0
eq "nobody else was mailed" "$(awk -F'\t' '$1 != "ada@example.test" && $1 != "cy@example.test"' got | wc -l | tr -d ' ')" 0
eq "every send has its own link" "$(awk -F'\t' '$2 == "measure" {print $3}' got | sort -u | wc -l | tr -d ' ')" 17
# A reminder carries its send's link, and no link is reminded twice.
eq "reminders repeat a sent link" "$(awk -F'\t' '$2 == "reminder" {print $3}' got | sort -u | while read t; do grep -c "	measure	$t" got; done | sort -u)" 1
eq "no finished link was reminded" "$(awk -F'\t' -v a="$T14" '$3 == a && $2 == "reminder"' got | wc -l | tr -d ' ')" 0
eq "nothing after day 28's link was answered" "$(awk -F'\t' -v a="$T28" '$3 == a' got | wc -l | tr -d ' ')" 2
eq "Bo: every send kept as not sent" "$(q "SELECT count(*) FROM plan_sends WHERE state = 'no-address'")" 6
eq "the outbox sent each message once" "$(q "SELECT count(*) FROM outbox WHERE kind != 'alert' AND state = 'sent'")" "$(wc -l < got | tr -d ' ')"
eq "no link token is left for finished links" "$(q "SELECT count(*) FROM plan_sends ps JOIN links l ON l.id = ps.link_id WHERE ps.token IS NOT NULL AND (l.administration_id IS NOT NULL OR l.cancelled IS NOT NULL OR l.expires <= $((T0 + 83 * DAY)))")" 0
$SB --user anna schedule list --client 1 > out
grep -q "6 sent, 2 finished" out && ok || { bad "schedule list counts"; cat out; }

# A message queued while no mail server is set, whose client's address is
# then removed: dropped at once (the client can no longer be reached:
# the plan is paused), not sent.
$SB --user boss settings unset smtp-url
$SB --user anna session add --client 3 --date 2026-05-24 --attendance attended > /dev/null
$SB schedule run > out 2>&1
grep -q "^1 send made, 0 reminders queued" out && ok || { bad "schedule run without a mail server"; cat out; }
grep -q "no mail server yet: the mail waits in the outbox" out && ok || { bad "schedule run does not say the mail waits"; cat out; }
$SB --user anna client email 3 --remove > out && ok || bad "remove the address"
grep -q "sending stopped: 1 plan, 0 open links withdrawn, 1 queued message cancelled" out && ok || { bad "removing the address does not say what it stopped"; cat out; }
$SB --user boss settings set smtp-url smtp://127.0.0.1:$MPORT
before=$(mails)
$SB notify send > out 2>&1
grep -q "^0 sent, 0 failed, 0 to try again, 0 dropped" out && ok || { bad "notify send found something to send"; cat out; }
eq "nothing mailed" "$(mails)" "$before"
$SB --user boss notify list | grep -q "measure [0-9]*	mail the client	dropped.*no address or phone now" && ok || bad "notify list does not show the dropped message"
eq "the plan is paused, and says why" "$(q "SELECT paused || ' ' || end_reason FROM plans WHERE client_id = 3")" "1 no-address"

# --- the client page and the caseload -----------------------------------------------
serve_start
eq "login" "$(login anna a.jar)" 303
code "client page" 200 -b a.jar "$O/clients/1?section=care"
has "plans card" '<h2 id="plans">Measurement plans</h2>'
has "the rule in words" "every 14 days"
has "the paused and resumed plan" "every week"
has "the address, to the therapist" "ada@example.test"
CS=$(csrf)
code "a rule that goes down is refused" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=gad7&rule=sessions&spec=6,3" $O/clients/1/plans/add
has "... saying why" "the numbers must go up"
code "a plan from the page" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=gad7&rule=sessions&spec=3,6,9&remind=2&expire=7" $O/clients/1/plans/add
code "a template from the page" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&template=attachment" $O/clients/2/plans/template
eq "the template's plans that may be sent (not WAI-SR nor ECR-R, no permission recorded)" "$(q "SELECT count(*) FROM plans WHERE client_id = 2")" 3
code "no CSRF, no plan" 403 -b a.jar -H "Origin: $O" --data "instrument=gad7&rule=days&spec=7" $O/clients/1/plans/add
code "an address from the page" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&email=bo@example.test" $O/clients/2/plans/email
code "client page again" 200 -b a.jar "$O/clients/1?section=care"
has "the new plan" "after sessions 3, 6 and 9"
code "caseload" 200 -b a.jar $O/
has "due from the plans" "measure sent by the plan, not yet answered"

# --- the client's progress page -------------------------------------------------------
# Ada answered PHQ-9 twice (days 15 and 32); a WAI-SR of hers too, and a
# partner's PHQ-9 about her.
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12\n4,4,4,4,4,4,4,4,4,4,4,4\n' > wai.csv
$SB --user boss instruments permit wai-sr --by "the authors" --reference "test" > /dev/null 2>&1
$SB --user anna administer wai-sr --client 1 --answers wai.csv > out 2>&1 || { bad "WAI-SR"; cat out; }
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n3,3,3,3,3,3,3,3,0,1\n' > partner.csv
$SB --user anna administer phq9 --client 1 --respondent partner --answers partner.csv > out 2>&1 || { bad "partner's PHQ-9"; cat out; }
code "client page" 200 -b a.jar "$O/clients/1?section=care"
has "progress card" "<h2 id=\"progress\">The client's progress page</h2>"
has "WAI-SR hidden by default" 'name="show-wai-sr">'
CS=$(csrf)
code "a progress link" 200 -b a.jar -H "Origin: $O" --data "csrf=$CS" $O/clients/1/progress/link
P=$(grep -o "$O/p/[0-9a-f]\{64\}" body | head -1)
[ -n "$P" ] && ok || bad "no progress link shown"
code "the client's page" 200 "$P"
has "... her PHQ-9" "<h2>PHQ-9</h2>"
has "... in plain words" "The first time, on"
has "... her own scores only (8 and 8; the partner's 24 is not hers)" "it was 8; the latest, on"
lacks "... no alliance" "WAI-SR"
lacks "... no clinical bands" "Moderate"
lacks "... no partner's answers" ">24<"
code "show the alliance, hide CORE-10" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&show-phq9=1&show-wai-sr=1" $O/clients/1/progress/measures
code "the client's page again" 200 "$P"
has "... the alliance now" "<h2>WAI-SR</h2>"
lacks "... no CORE-10" "CORE-10"
code "an unknown token" 404 "$O/p/$(printf %064d 1)"
code "revoke" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS" $O/clients/1/progress/revoke
code "a revoked page" 404 "$P"
finish "schedule ($1)"
