#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh BINARY - clinical safety: every path that records answers raises
# the critical-item alert (link, start now, administer, import --csv,
# import --fhir), in the transaction of the answers; blank risk items are
# alerted; old imports are marked historic; a high alert reaches the
# therapist and the duty address by mail at a real SMTP server (Debian's
# aiosmtpd, STARTTLS and AUTH), with no clinical word in it, also after
# the server was down, and a refusal (5xx) is shown to admins; what the
# client reads is true; the client page shows open alerts on a banner.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 7) % 12000))
MPORT=$((PORT + 1))
PO=https://practice.example
. "$ROOT/tests/web/lib.sh"
# The mail server too.
cleanup() {
	[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
[ -n "${KEEP:-}" ] && trap - EXIT
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }
# alerts RULE: how many alerts of the rule client 1 has.
nalerts() { q "SELECT count(*) FROM alerts WHERE client_id = 1 AND rule = '$1'"; }

practice
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test
$SB --user boss user add tom --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB --user tom client add --name "Tom's client" > /dev/null

# --- every path raises the alert (command line) -----------------------------
PHQ='q1,q2,q3,q4,q5,q6,q7,q8,q9,q10'
printf '%s\n1,1,1,1,1,1,1,1,1,0\n' "$PHQ" > a.csv
$SB --user anna administer phq9 --client 1 --answers a.csv > out 2>&1 && ok || { bad "administer"; cat out; }
eq "administer raises the critical alert" "$(nalerts critical-item)" 1
printf '%s\n1,1,1,1,1,1,1,1,2,0\n' "$PHQ" > i.csv
$SB --user anna import --csv i.csv --instrument phq9 --client 1 > out 2>&1 && ok || { bad "import --csv"; cat out; }
grep -q "1 alert raised (1 critical item endorsed)" out && ok || bad "import does not say it raised an alert"
eq "import --csv raises the critical alert" "$(nalerts critical-item)" 2
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n0,0,0,0,0,3,0,0,0,0\n' > core.csv
$SB --user anna import --csv core.csv --instrument core10 --client 1 > /dev/null 2>&1 && ok || bad "import CORE-10"
eq "CORE-10 item 6 raises the critical alert" "$($SB --user anna alerts | grep -c '	critical-item	.*	CORE-10 q6 answered 3')" 1
# Details are sealed: what was answered is not in the database as text.
if sb_pg; then	# bytea by its type; the text not in it
	eq "alert details sealed" "$(q "SELECT count(*) FROM alerts WHERE position('CORE-10'::bytea IN detail) > 0")" 0
else
	eq "alert details sealed" "$(q "SELECT count(*) FROM alerts WHERE typeof(detail) != 'blob' OR CAST(detail AS TEXT) LIKE '%CORE-10%'")" 0
fi
# Old answers arriving now: alerted, marked historic with their date, and
# not sent as urgent.
$SB --user anna import --csv i.csv --instrument phq9 --client 1 --date 2025-03-04 > out 2>&1 && ok || bad "historic import"
grep -q "marked historic" out && ok || bad "historic import not said"
eq "historic alert carries its date" "$(q "SELECT count(*) FROM alerts WHERE historic = '2025-03-04' AND rule = 'critical-item'")" 1
$SB --user anna alerts | grep -q "historic, answered 2025-03-04" && ok || bad "alerts list does not say historic"
$SB --user anna import --csv i.csv --instrument phq9 --client 1 --date 2025-13-04 > out 2>&1
eq "bad --date refused" "$?" 2
# A risk item left blank: its own alert; the score follows the missing rule.
printf '%s\n3,3,3,3,3,3,3,3,,0\n' "$PHQ" > blank.csv
$SB --user anna administer phq9 --client 1 --answers blank.csv > /dev/null 2>&1 && ok || bad "administer blank q9"
eq "blank q9 raises its alert" "$(nalerts risk-item-unanswered)" 1
eq "blank q9 alert is medium" "$(q "SELECT severity FROM alerts WHERE rule = 'risk-item-unanswered'")" medium
$SB score phq9 blank.csv --format json | grep -q '"total": null.*"flags": \["unanswered:q9"\]' && ok || bad "score does not flag the blank risk item"
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n4,4,4,4,4,,4,4,4,4\n' > coreb.csv
$SB --user anna administer core10 --client 1 --answers coreb.csv > /dev/null 2>&1
eq "CORE-10 blank q6 raises its alert" "$($SB --user anna alerts | grep -c '	risk-item-unanswered	.*	CORE-10 q6')" 1
# FHIR: the US Core PHQ-9 response with item 9 answered "More than half
# the days" (LA6570-1), authored now and authored in 2022 (historic).
F=$ROOT/tests/data/fhir/uscore-QuestionnaireResponse-phq-9-example.json
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
/usr/bin/python3 - "$F" "$NOW" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for it in d["item"]:
    if it["linkId"] == "/44260-8":
        it["answer"] = [{"valueCoding": {"system": "http://loinc.org",
                         "code": "LA6570-1", "display": "More than half the days"}}]
    # The total the example computed (12) follows: item 9 went from 0
    # to 2, and a total the answers do not give is refused (issue 36).
    if it["linkId"] == "/44261-6":
        it["answer"] = [{"valueDecimal": 14}]
json.dump(d, open("fhir-old.json", "w"))
# Another response (its own id): the same id would be the same
# response, which a second import leaves alone.
d["id"] = "phq-9-now"
d["authored"] = sys.argv[2]
json.dump(d, open("fhir-now.json", "w"))
PY
before=$(nalerts critical-item)
$SB --user anna import --fhir fhir-now.json --client 1 > out 2>&1 && ok || { bad "import --fhir"; cat out; }
eq "import --fhir raises the critical alert" "$(nalerts critical-item)" $((before + 1))
$SB --user anna import --fhir fhir-old.json --client 1 > out 2>&1 && ok || { bad "import --fhir old"; cat out; }
eq "an old FHIR response is historic" "$(q "SELECT count(*) FROM alerts WHERE historic = '2022-11-29'")" 1

# --- the mail server ------------------------------------------------------------
. "$ROOT/tests/mail/lib.sh"
smtpd_setup
$SB --user boss settings set duty-email duty@clinic.test
$SB --user boss settings set smtp-password "on the command line" > out 2>&1
eq "a password is never taken from the command line" "$?" 2
$SB --user anna settings set duty-email x@clinic.test > out 2>&1
[ $? -ne 0 ] && ok || bad "a therapist changed the settings"
$SB --user boss settings | grep -q "smtp-password	(set, not shown)" && ok || bad "settings show the password"
$SB --user boss settings set smtp-from "not an address" > /dev/null 2>&1
[ $? -ne 0 ] && ok || bad "a bad sender address was kept"
! q "SELECT value FROM settings" | grep -q "mail pass" && ok || bad "the SMTP password is kept in the clear"
# The alerts raised above, before there was a mail server, waited in the
# outbox: notify send (as cron would) sends them now.
$SB notify send > out 2>&1 && ok || { bad "notify send"; cat out; }
grep -q "^[1-9][0-9]* sent, 0 failed, 0 to try again" out && ok || { bad "the waiting messages were not sent"; cat out; }
eq "nothing historic was mailed" "$(q "SELECT count(*) FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.historic IS NOT NULL")" 0
BASE=$(ls mail | grep -c '\.eml$')
[ "$BASE" -gt 0 ] && ok || bad "no mail arrived from notify send"
printf 'Call the Samaritans free on tel:116 123, any time. In an emergency call tel:999.\n' > crisis.txt
$SB --user boss settings set crisis-text --file crisis.txt

# The mail server is on PORT + 1: the web server's port moves by 2.
STEP=2 serve_start --origin https://practice.example
ORIGIN=$PO
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot log in"
[ "$(login tom t.jar)" = 303 ] && ok || bad "tom cannot log in"
[ "$(login boss b.jar)" = 303 ] && ok || bad "boss cannot log in"
curl -s -o body -b a.jar $O/clients/1; CS=$(csrf)
newlink() {	# newlink INSTRUMENT: a link's URL in $URL and its CSRF in $QC
	curl -s -o body -b a.jar -H "Origin: $PO" --data "instrument=$1&csrf=$CS" $O/clients/1/links
	URL=$(grep -o "https://practice.example/q/[0-9a-f]\{64\}" body | head -1 | sed "s#https://practice.example#$O#")
	curl -s -o body "$URL"; QC=$(csrf)
}
# mails N: waits up to 5 s for N messages in mail/.
mails() {
	i=0
	while [ "$(ls mail | grep -c '\.eml$')" -lt "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	ls mail | grep -c '\.eml$'
}

# --- a link: the alert with the answers, once, and the mail within 5 s -----------
newlink phq9
code "page 1" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
base=$(nalerts critical-item)
LINK=$(q "SELECT max(id) FROM links")
code "item 9 endorsed" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=2&q10=1&go=back" "$URL"
has "crisis text shown" 'class="crisis" role="alert"'
has "the practice's own numbers" 'Samaritans'
has "tel: numbers are links" '<a href="tel:116123">116 123</a>'
has "tel: short number" '<a href="tel:999">999</a>'
has "the client is told the truth" "Your therapist will see this answer, and a message is on its way to your therapist."
lacks "no false promise" "has been told about your answer"
eq "the alert is raised with the page" "$(q "SELECT count(*) FROM alerts WHERE link_id = $LINK AND rule = 'critical-item'")" 1
AL=$(q "SELECT id FROM alerts WHERE link_id = $LINK AND rule = 'critical-item'")
t0=$(date +%s)
eq "therapist and duty address are mailed" "$(mails $((BASE + 2)))" $((BASE + 2))
t1=$(date +%s)
[ $((t1 - t0)) -le 5 ] && ok || bad "mail took $((t1 - t0)) s"
grep -l "https://practice.example/alerts/$AL\b" mail/*.eml | xargs cat > all.eml
eq "two mails about this alert" "$(grep -c '^X-Envelope-To:' all.eml)" 2
grep -q "^X-Envelope-To: anna@clinic.test" all.eml && ok || bad "the therapist was not mailed"
grep -q "^X-Envelope-To: duty@clinic.test" all.eml && ok || bad "the duty address was not mailed"
grep -q "^X-Auth-Login: sbmail" all.eml && ok || bad "the mail was not sent with AUTH"
grep -q "^X-TLS: yes" all.eml && ok || bad "the mail was not sent over STARTTLS"
grep -q "https://practice.example/alerts/[0-9]" all.eml && ok || bad "the mail has no link to the alert"
# Whole words: a Message-ID's random hex may hold "ada" or "dead" by
# chance.  The stems (suicid-, depress-) cannot be hex.
for w in "Ada Example" Ada PHQ q9 answered critical harm dead "Tom"; do
	grep -qiw -- "$w" all.eml && bad "the mail holds a clinical or identifying word: $w" || ok
done
for w in suicid depress; do
	grep -qi -- "$w" all.eml && bad "the mail holds a clinical word: $w" || ok
done
# Toggling the answer does not raise it again.
code "item 9 withdrawn" 303 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=0&q10=1&go=back" "$URL"
code "item 9 again" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=3&q10=1&go=back" "$URL"
has "crisis text again" 'class="crisis" role="alert"'
code "finish" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=3&q10=1&go=next" "$URL"
has "finished" "Thank you"
has "crisis on the last page" 'class="crisis" role="alert"'
eq "one alert per link and item" "$(q "SELECT count(*) FROM alerts WHERE link_id = $LINK AND rule = 'critical-item'")" 1
eq "the alert names the administration" "$(q "SELECT count(*) FROM alerts a JOIN links l ON l.administration_id = a.administration_id WHERE a.link_id = $LINK")" 1
eq "one administration for the link" "$(q "SELECT count(*) FROM administrations WHERE id = (SELECT administration_id FROM links WHERE id = $LINK)")" 1
sleep 1.5
eq "no second mail for the same alert" "$(ls mail | grep -c '\.eml$')" $((BASE + 2))

# --- a write that fails: neither answers nor alert, and no crisis text ----------
newlink phq9
LINK=$(q "SELECT max(id) FROM links")
code "page 1 before the failure" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
saved=$(q "SELECT answers FROM links WHERE id = $LINK")
na=$(q "SELECT count(*) FROM alerts")
# The alert's row cannot be written (as on a full disk or a broken file):
# the answers of its page must not be kept either.
if sb_pg; then
	q "CREATE FUNCTION inject() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'injected write failure'; END\$\$; CREATE TRIGGER inject BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION inject();"
else
	q "CREATE TRIGGER inject BEFORE INSERT ON alerts BEGIN SELECT RAISE(FAIL, 'injected write failure'); END;"
fi
code "failed page with item 9" 503 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=2&q10=1&go=next" "$URL"
lacks "no crisis text for an answer nobody will see" 'class="crisis"'
has "the client is told to send again" "could not be saved"
has "... on the same page, with the answers still chosen" 'name="q9" value="2" checked'
lacks "... and no promise that anyone sees it" "will see this answer"
has "... but that nobody sees them yet" "your therapist cannot see them."
has "... and where to get help now (the practice's support text)" "Call the Samaritans free on"
eq "no alert written" "$(q "SELECT count(*) FROM alerts")" "$na"
eq "the page's answers were not kept" "$(q "SELECT answers FROM links WHERE id = $LINK")" "$saved"
eq "no administration written" "$(q "SELECT CASE WHEN administration_id IS NULL THEN 1 ELSE 0 END FROM links WHERE id = $LINK")" 1
if sb_pg; then q "DROP TRIGGER inject ON alerts"; else q "DROP TRIGGER inject"; fi
code "sent again" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=2&q10=1&go=next" "$URL"
has "then the crisis text" 'class="crisis" role="alert"'
eq "then the alert" "$(q "SELECT count(*) FROM alerts WHERE link_id = $LINK AND rule = 'critical-item'")" 1

# --- a blank risk item on a link --------------------------------------------------
newlink phq9
LINK=$(q "SELECT max(id) FROM links")
code "blank q9 page 1" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
code "blank q9 finish" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q10=1&go=next" "$URL"
has "a blank risk item: the support text" 'class="crisis" role="note"'
lacks "but no alarm" 'role="alert"'
lacks "and no claim about the therapist" "will see this answer"
eq "a blank risk item on a link is alerted" "$(q "SELECT severity FROM alerts WHERE link_id = $LINK AND rule = 'risk-item-unanswered'")" medium

# --- the mail server is down, then back ------------------------------------------
n0=$(mails $((BASE + 4)))	# the first link's and the resent page's alerts
eq "every alert so far was mailed" "$n0" $((BASE + 4))
kill $MPID; wait $MPID 2>/dev/null; MPID=
newlink phq9
code "down: page 1" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
code "down: item 9" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=1&q10=1&go=next" "$URL"
sleep 2
AL=$(q "SELECT max(id) FROM alerts WHERE rule = 'critical-item'")
eq "down: the messages stay queued" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $AL AND state = 'queued' AND attempts >= 1")" 2
q "SELECT reply FROM outbox WHERE alert_id = $AL" | grep -qi "connect" && ok || bad "down: the reason is not kept"
smtpd
i=0
while [ "$(q "SELECT count(*) FROM outbox WHERE alert_id = $AL AND state = 'sent'")" != 2 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
eq "back: the queued messages are sent" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $AL AND state = 'sent'")" 2
eq "back: they arrive" "$(ls mail | grep -c '\.eml$')" $((n0 + 2))

# --- the server refuses (5xx) -------------------------------------------------------
touch reject
newlink phq9
code "5xx: page 1" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
code "5xx: item 9" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=1&q10=1&go=next" "$URL"
AL=$(q "SELECT max(id) FROM alerts WHERE rule = 'critical-item'")
i=0
while [ "$(q "SELECT count(*) FROM outbox WHERE alert_id = $AL AND state = 'failed'")" != 2 ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
eq "5xx: marked failed" "$(q "SELECT count(*) FROM outbox WHERE alert_id = $AL AND state = 'failed'")" 2
code "admin page" 200 -b b.jar $O/admin
has "5xx: the reply is shown to admins" "554 5.7.1 test server refuses this message"
has "5xx: failed is shown" '<td class="high">failed</td>'
$SB --user boss notify list | grep -q "failed.*554" && ok || bad "notify list does not show the failure"
$SB audit verify > /dev/null && ok || bad "audit chain broken"
q "SELECT detail FROM audit WHERE action = 'send' AND entity = 'outbox'" | grep -q "^failed: 554" && ok || bad "the failure is not audited"
rm reject

# --- the client page: a banner for every open alert -------------------------------
code "client page" 200 -b a.jar $O/clients/1
has "banner" "Open alerts"
has "banner names the risk" "risk item endorsed"
has "banner has acknowledge" ">Acknowledge</button>"
has "banner has resolve" ">Resolve</button>"
has "banner marks the blank item" "risk item not answered"
has "banner marks historic" "(historic: answered 2025-03-04"
CS=$(csrf)
AL=$(q "SELECT min(id) FROM alerts WHERE state = 'open' AND client_id = 1")
code "resolve needs a note" 400 -b a.jar -H "Origin: $PO" --data "alert=$AL&state=resolve&note=&back=/clients/1&csrf=$CS" $O/alerts
code "acknowledge on the banner" 303 -b a.jar -H "Origin: $PO" --data "alert=$AL&state=ack&back=/clients/1&csrf=$CS" $O/alerts
code "resolve on the banner" 303 -b a.jar -H "Origin: $PO" --data "alert=$AL&state=resolve&note=phoned+her&back=/clients/1&csrf=$CS" -D hdr $O/alerts
grep -qi "^location: /clients/1" hdr && ok || bad "resolve does not go back to the client page"
eq "resolved" "$(q "SELECT state FROM alerts WHERE id = $AL")" resolved
code "the mail's link" 303 -D hdr -b a.jar "$O/alerts/$AL"
grep -qi "^location: /clients/1#alert-$AL" hdr && ok || bad "the mail's link does not lead to the alert"
code "another therapist's alert" 404 -b t.jar "$O/alerts/$AL"
lacks "not named to another therapist" "Ada"

# --- the support text: the ACE and the narrative prompts -------------------------
newlink ace
has "ACE shows the support text" 'class="support"'
has "ACE support has the numbers" '<a href="tel:116123">'
newlink phq9
lacks "PHQ-9 page 1 has no support box" 'class="support"'

# --- no mail server: admins are told in red, clients are not promised a message ----
$SB --user boss settings unset smtp-url
code "admin page without SMTP" 200 -b b.jar $O/admin
has "red warning" 'class="high" role="alert">No mail server is configured: high alerts are NOT being sent'
newlink phq9
code "no smtp: page 1" 303 -H "Origin: $PO" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"
code "no smtp: item 9" 200 -H "Origin: $PO" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=1&q10=1&go=next" "$URL"
has "no smtp: the therapist will see it" "Your therapist will see this answer."
lacks "no smtp: no message promised" "sent a message"

finish "safety ($1)"
