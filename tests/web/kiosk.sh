#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# kiosk.sh BINARY - the waiting room's tablet (issue 35): a therapist
# queues a PHQ-9 for today and reads the client's code on the client
# page; the tablet, signed in as a kiosk user, lists first names only and
# opens the questionnaire with the right code (three wrong ones close the
# entry); the answers reach the client's record in-session, the
# thank-you page leads back to the start; and no page of the therapist's
# or the admin's answers the kiosk, nor the kiosk's pages anyone else.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 11) % 12000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }

practice
$SB --user boss user add anna --role therapist --password-file pw 2> /dev/null
$SB --user boss user add tab --role kiosk --password-file pw && ok || bad "a kiosk user cannot be added"
$SB --user anna client add --name "Ada Lovelace Example" > /dev/null
$SB --user anna client add --name "Ben Other" > /dev/null
$SB --user anna client add --name "Ada Second" > /dev/null
serve_start

[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in"
curl -s -b a.jar -o body "$O/clients/1?section=care"; CS=$(csrf)
has "the client page offers the tablet" 'Queue for today'
code "queued" 303 -D hdr -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=phq9" $O/clients/1/kiosk
grep -qi "^location: /clients/1?section=care#kiosk" hdr && ok || bad "queueing does not lead back to the tablet's card"
code "queued for Ada Second" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=gad7" $O/clients/3/kiosk
code "an unknown questionnaire" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=nothing" $O/clients/1/kiosk
code "without the form's token" 403 -b a.jar -H "Origin: $O" --data "instrument=phq9" $O/clients/1/kiosk
code "the card" 200 -b a.jar "$O/clients/1?section=care"
CODE=$(grep -o '<strong class="code">[0-9]\{4\}</strong>' body | head -1 | grep -o '[0-9]\{4\}')
[ -n "$CODE" ] && ok || bad "the client's code is not shown to the therapist"
[ "$(q "SELECT count(*) FROM kiosk_queue WHERE code LIKE '%$CODE%'")" = 0 ] && ok || bad "the code is kept in plain text"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'kiosk-queue'")" = 2 ] && ok || bad "queueing is not audited"
code "a therapist has no tablet page" 403 -b a.jar $O/kiosk

# --- the tablet -------------------------------------------------------------
[ "$(login tab k.jar)" = 303 ] && ok || bad "the tablet cannot sign in"
curl -s -o /dev/null -D hdr -b k.jar $O/
grep -qi "^location: /kiosk" hdr && ok || bad "the tablet's home is not its start page"
code "the start page" 200 -b k.jar $O/kiosk
has "a first name, two Adas told apart by the last name's letter" '>Ada E.</a>'
has "... and the other" '>Ada S.</a>'
lacks "no last name" 'Lovelace'
lacks "no one not queued" 'Ben'
lacks "no menu into the practice" 'href="/outcomes"'
lacks "no account page" 'href="/account"'
[ "$(q "SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'kiosk' AND user_name = 'tab'")" -ge 1 ] && ok || bad "the list's read is not audited"
# Every page of a therapist's or an admin's is refused, in words.
for u in / /clients/1 "/clients/1?section=care" /clients/1/history /clients/1/report /clients/1/narratives/loss /inbox /outcomes /account /admin /alerts/1 /clients/1/edit; do
	case $u in /) continue ;; esac
	code "the tablet refused $u" 403 -b k.jar "$O$u"
	lacks "... and shows nothing of it ($u)" 'Ada Lovelace'
done
has "... said in words" "it opens only the questionnaires queued for today"
KC=$(curl -s -b k.jar $O/kiosk/1 | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
for p in /clients /clients/1/links /clients/1/notes /inbox/seen /admin/users /account/display /alerts; do
	code "the tablet's post refused $p" 403 -b k.jar -H "Origin: $O" --data "csrf=$KC&name=X&instrument=phq9&text=x&response=0" "$O$p"
done
[ "$(q "SELECT count(*) FROM clients")" = 3 ] && ok || bad "the tablet added a client"
# The code: wrong twice, then right.
ID=$(q "SELECT id FROM kiosk_queue WHERE client_id = 1")
WRONG=$(printf '%04d' $(( ($(printf '%s' "$CODE" | sed 's/^0*//; s/^$/0/') + 1) % 10000 )))
code "Ada's code asked" 200 -b k.jar "$O/kiosk/$ID"
has "... for four numbers" 'inputmode="numeric"'
code "a wrong code" 400 -b k.jar -H "Origin: $O" --data "csrf=$KC&code=$WRONG" "$O/kiosk/$ID"
has "... said, with the tries left" '2 tries left'
code "another wrong one" 400 -b k.jar -H "Origin: $O" --data "csrf=$KC&code=abcd" "$O/kiosk/$ID"
has "... one left" '1 try left'
code "the right code" 303 -D hdr -b k.jar -H "Origin: $O" --data "csrf=$KC&code=$CODE" "$O/kiosk/$ID"
QURL=$(grep -i "^location:" hdr | tr -d '\r' | awk '{print $2}')
case "$QURL" in /q/[0-9a-f]*) ok ;; *) bad "the right code does not open the questionnaire: $QURL" ;; esac
code "the code again" 404 -b k.jar -H "Origin: $O" --data "csrf=$KC&code=$CODE" "$O/kiosk/$ID"
code "Ada is off the list" 200 -b k.jar $O/kiosk
lacks "... once opened" '>Ada E.</a>'
has "... Ada Second still there, alone an Ada now" '>Ada</a>'
[ "$(q "SELECT count(*) FROM audit WHERE action = 'kiosk-wrong-code'")" = 2 ] && ok || bad "wrong codes are not audited"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'kiosk-open'")" = 1 ] && ok || bad "the opening is not audited"
# The questionnaire, answered on the tablet.
curl -s -b k.jar -o body "$O$QURL"; QC=$(csrf)
has "the PHQ-9 on the tablet" 'Page 1 of 2'
code "page 1" 303 -b k.jar -H "Origin: $O" --data "csrf=$QC&p=0&q1=1&q2=1&q3=0&q4=1&q5=0&go=next" "$O$QURL"
code "page 2" 200 -b k.jar -H "Origin: $O" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=0&q10=0&go=next" "$O$QURL"
has "thanked" 'Thank you'
has "back to the start" 'href="/kiosk">Done</a>'
has "... by itself too" '<meta http-equiv="refresh" content="60; url=/kiosk">'
lacks "not the therapist's way back" 'Therapist: sign in again'
$SB --user anna client show 1 | grep -q "phq9	1	in-session" && ok || bad "the answers are not in Ada's record, in-session"
# Three wrong codes close an entry.
ID3=$(q "SELECT id FROM kiosk_queue WHERE client_id = 3")
for k in 1 2 3; do
	curl -s -o /dev/null -b k.jar -H "Origin: $O" --data "csrf=$KC&code=xxxx" "$O/kiosk/$ID3"
done
code "closed after three" 404 -b k.jar -H "Origin: $O" --data "csrf=$KC&code=0000" "$O/kiosk/$ID3"
code "the list without it" 200 -b k.jar $O/kiosk
has "... nothing waiting now" 'No questionnaires are waiting'
code "the therapist sees it closed" 200 -b a.jar "$O/clients/3?section=care"
has "... in words" 'closed after three wrong codes'
finish "kiosk ($1)"
