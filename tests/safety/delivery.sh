#!/bin/sh
# delivery.sh BINARY - delivery that never fails silently, with a real
# SMTP server (Debian's aiosmtpd, STARTTLS and AUTH), Kannel's bearerbox
# and smsbox over its fake SMSC (Debian's kannel, kannel-extras) and the
# test clock (SECUREBASE_TEST_CLOCK):
#
#   - the care lifecycle: consent withdrawn, episode ended, client
#     discharged, address removed on day 5 -> no send and no reminder
#     to that client after day 5, over 200 days (a client with nothing
#     withdrawn is mailed all along);
#   - a wrong SMTP password, corrected later -> the alert mail arrives;
#     a mail server down for two hours -> the alert mail arrives when it
#     returns; an alert open 30 minutes -> the duty address is told,
#     one acknowledged in time -> not;
#   - `kill -9` of serve mid-send -> sent within 10 s of the restart;
#   - a restored practice sends nothing until released;
#   - one-click sends by mail and by SMS, without a clinical word.
#
# The expected counts come from the rules, by hand.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 13) % 11000))
MPORT=$((PORT + 1))
. "$ROOT/tests/web/lib.sh"
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null
	[ -n "${KPIDS:-}" ] && kill $KPIDS 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }

# Monday 2 March 2026, 08:00 UTC.
T0=1772438400
DAY=86400
export SECUREBASE_TEST_CLOCK=$T/clock
at() { echo $((T0 + $1 * DAY + ${2:-0})) > "$T/clock"; }
day_iso() { date -u -d "@$((T0 + $1 * DAY))" +%Y-%m-%d; }
at 0

practice
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test > /dev/null
$SB --user boss user add tom --role therapist --password-file pw > out 2> err
grep -q "no mail address" err && ok || bad "a therapist without --email is not warned of: $(cat err)"

. "$ROOT/tests/mail/lib.sh"
smtpd_setup
$SB --user boss settings set origin "https://practice.example"
$SB --user boss settings set practice-name "Harbour Practice"
$SB --user boss settings set duty-email duty@clinic.test

# mails_to ADDR: how many messages ADDR has received.
mails_to() { grep -l "^X-Envelope-To: $1[[:space:]]*\$" mail/*.eml 2>/dev/null | wc -l; }
# mails_to_after ADDR N: how many ADDR received in files numbered over N.
mails_to_after() {
	c=0
	for f in $(grep -l "^X-Envelope-To: $1[[:space:]]*\$" mail/*.eml 2>/dev/null); do
		n=$(basename "$f" .eml); [ "$n" -gt "$2" ] && c=$((c + 1))
	done
	echo $c
}
last_mail() { ls mail | grep '\.eml$' | sed 's/\.eml//' | sort -n | tail -1; }
run_day() { at "$1" "${2:-0}"; $SB schedule run > run.log 2>&1 || { bad "schedule run on day $1: $(cat run.log)"; }; }

# --- the care lifecycle ----------------------------------------------------------
# Five clients, each with PHQ-9 every 14 days (reminder after 3 days,
# link for 7).  On day 5: Bo's treatment consent is withdrawn, Cy's
# episode ends, Di is discharged, Ed's address is removed.  Al keeps
# everything.
i=1
for n in Al Bo Cy Di Ed; do
	$SB --user anna client add --name "$n Example" > /dev/null
	lc=$(echo $n | tr A-Z a-z)
	$SB --user anna client email $i --address $lc@example.test || bad "email $n"
	$SB --user anna episode start --client $i --date "$(day_iso 0)" > /dev/null || bad "episode $n"
	$SB --user anna consent add --client $i --kind treatment --date "$(day_iso 0)" > /dev/null || bad "consent $n"
	$SB --user anna schedule add --client $i --instrument phq9 --days 14 > /dev/null || bad "plan $n"
	i=$((i + 1))
done
run_day 0
eq "day 0: each of the five is mailed" "$(mails_to bo@example.test)$(mails_to al@example.test)$(mails_to ed@example.test)" 111
run_day 3	# the reminders of day 0's links
eq "day 3: reminders" "$(mails_to cy@example.test)" 2
MARK=$(last_mail)
at 5
BO_CONSENT=$(q "SELECT id FROM consents WHERE client_id = 2")
$SB --user anna consent withdraw "$BO_CONSENT" --date "$(day_iso 5)" > out || bad "withdraw"
grep -q "sending stopped: 1 plan, 1 open link withdrawn" out && ok || bad "consent withdraw does not say what it stopped: $(cat out)"
CY_EP=$(q "SELECT id FROM episodes WHERE client_id = 3")
$SB --user anna episode end "$CY_EP" --date "$(day_iso 5)" > out || bad "episode end"
grep -q "sending stopped: 1 plan" out && ok || bad "episode end does not say what it stopped: $(cat out)"
$SB --user anna client discharge 4 --date "$(day_iso 5)" > out || bad "discharge: $(cat out)"
grep -q "sending stopped: 1 plan" out && ok || bad "discharge does not say what it stopped: $(cat out)"
$SB --user anna client email 5 --remove > out || bad "remove address"
grep -q "sending stopped: 1 plan" out && ok || bad "removing the address does not say what it stopped: $(cat out)"
eq "the withdrawn client's link is withdrawn" "$(q "SELECT count(*) FROM links WHERE client_id = 2 AND cancelled IS NOT NULL")" 1
eq "why each plan stopped" "$(q "SELECT group_concat(end_reason, ',') FROM (SELECT end_reason FROM plans ORDER BY client_id)" 2>/dev/null || q "SELECT string_agg(coalesce(end_reason, '-'), ',' ORDER BY client_id) FROM plans")" "consent-withdrawn,episode-ended,discharged,no-address"
d=6
while [ $d -le 200 ]; do run_day $d; d=$((d + 1)); done
for c in bo cy di ed; do
	eq "$c: nothing after day 5" "$(mails_to_after $c@example.test "$MARK")" 0
done
# Al: days 14, 28, ... 196 (14 sends) and a reminder 3 days after each
# (13 of them by day 200; day 196's is on day 199: 14).
eq "al: a send and a reminder every 14 days" "$(mails_to_after al@example.test "$MARK")" 28
$SB --user anna schedule resume 2 --client 2 2> err
[ $? -ne 0 ] && grep -q "consent withdrawn" err && ok || bad "a plan resumed after consent was withdrawn: $(cat err)"
$SB --user anna schedule add --client 3 --instrument gad7 --days 7 2> err
[ $? -ne 0 ] && grep -q "episode of care ended" err && ok || bad "a plan added after the episode ended: $(cat err)"
$SB --user anna client show 2 > /dev/null
$SB --user anna audit verify > /dev/null && ok || bad "audit verify after the lifecycle"

# A withdrawal dated ahead stops sending on its day, not before.
$SB --user anna client add --name "Fay Example" > /dev/null	# 6
$SB --user anna client email 6 --address fay@example.test
$SB --user anna consent add --client 6 --kind contact --date "$(day_iso 200)" > /dev/null
$SB --user anna schedule add --client 6 --instrument phq9 --days 7 --remind 0 > /dev/null
run_day 200 3600
FC=$(q "SELECT id FROM consents WHERE client_id = 6")
$SB --user anna consent withdraw "$FC" --date "$(day_iso 210)" > out
grep -q "sending stopped" out && bad "a withdrawal dated ahead stopped sending at once" || ok
run_day 207 3600
eq "fay: mailed before the withdrawal's day" "$(mails_to fay@example.test)" 2
run_day 214 3600
eq "fay: nothing on or after it" "$(mails_to fay@example.test)" 2
eq "fay's plan ended by the scheduler" "$(q "SELECT end_reason FROM plans WHERE client_id = 6")" consent-withdrawn

# --- alert mail that reaches a person ---------------------------------------------
at 220
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,2\n' > risk.csv
# A wrong password: 535, failed; corrected, the mail goes.
printf 'wrong pass\n' > bad.pw
$SB --user boss settings set smtp-password --file bad.pw
$SB --user anna administer phq9 --client 1 --answers risk.csv > /dev/null || bad "administer"
A1=$(q "SELECT max(id) FROM alerts")
$SB notify send > out 2>&1
eq "a refused login fails the alert's mail" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A1 AND state = 'failed'")" 2
grep -q "535" out; $SB --user boss notify list | grep -q "535" && ok || bad "the 535 is not shown in the outbox"
B=$(mails_to anna@clinic.test)
$SB --user boss settings set smtp-password --file mpw
$SB notify send > out 2>&1 || bad "notify send after the password: $(cat out)"
eq "the corrected password sends the alert's mail" "$(mails_to anna@clinic.test)" $((B + 1))
eq "both messages sent" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A1 AND state = 'sent'")" 2
$SB --user anna alerts ack "$A1" --note "phoned" > /dev/null

# The mail server away for two hours: tried all along, sent on its return.
kill "$MPID"; wait "$MPID" 2>/dev/null; MPID=
$SB --user anna administer phq9 --client 1 --answers risk.csv > /dev/null
A2=$(q "SELECT max(id) FROM alerts")
m=0
while [ $m -le 120 ]; do
	at 220 $((m * 60)); $SB notify send > /dev/null 2>&1; m=$((m + 5))
done
eq "after two hours the alert's mail still waits" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A2 AND kind = 'alert' AND state = 'queued'")" 2
[ "$(q "SELECT max(attempts) FROM outbox WHERE alert_id = $A2")" -gt 12 ] && ok || bad "fewer tries than the old budget"
smtpd
B=$(mails_to anna@clinic.test)
at 220 $((2 * 3600 + 900)); $SB notify send > /dev/null 2>&1
eq "the mail server back: the alert's mail arrives" "$(mails_to anna@clinic.test)" $((B + 1))
# Not acknowledged in 30 minutes (the server was away 2 h): escalated
# once to the duty address.
grep -l "still not acknowledged" mail/*.eml | xargs grep -l "^X-Envelope-To: duty@clinic.test" | xargs grep -l "/alerts/$A2" > /dev/null && ok || bad "no escalation to the duty address"
eq "escalated once" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A2 AND kind = 'escalation'")" 1
# An alert acknowledged within 30 minutes is not escalated.
at 221
$SB --user anna administer phq9 --client 1 --answers risk.csv > /dev/null
A3=$(q "SELECT max(id) FROM alerts")
$SB notify send > /dev/null
at 221 600; $SB --user anna alerts ack "$A3" --note "seen" > /dev/null
at 221 3600; $SB notify send > /dev/null
eq "acknowledged in time: not escalated" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A3 AND kind = 'escalation'")" 0
# An alert open at 31 minutes is escalated, and the caseload says so.
$SB --user anna administer phq9 --client 1 --answers risk.csv > /dev/null
A4=$(q "SELECT max(id) FROM alerts")
$SB notify send > /dev/null
at 221 $((3600 + 31 * 60)); $SB notify send > /dev/null
eq "open 31 minutes: escalated" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A4 AND kind = 'escalation' AND state = 'sent'")" 1
$SB --user anna alerts ack "$A4" --note "seen" > /dev/null

# A permanent refusal stays visible, and an admin resends it.
touch reject
$SB --user anna administer phq9 --client 1 --answers risk.csv > /dev/null
A5=$(q "SELECT max(id) FROM alerts")
$SB notify send > /dev/null 2>&1
eq "a 554 fails the message" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A5 AND state = 'failed'")" 2
$SB --user boss notify status > out
grep -q "2 messages failed" out && ok || bad "notify status does not warn of failed messages: $(cat out)"
grep -q "therapist tom" out && bad "tom has no clients yet but is named" || ok
rm reject
$SB --user anna notify resend --failed 2> err && bad "a therapist resent" || ok
$SB --user boss notify resend --failed > out && grep -q "2 messages queued again" out && ok || bad "resend: $(cat out)"
$SB notify send > /dev/null
eq "resent: sent" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $A5 AND state = 'sent'")" 2
$SB --user anna alerts ack "$A5" --note "seen" > /dev/null
$SB --user anna audit verify > /dev/null && ok || bad "audit verify after the outbox"

finish "delivery (lifecycle, retries, escalation)"
