#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh BINARY - the web application over real HTTP (curl against a
# running `securebase serve` on 127.0.0.1): login and its CSRF and
# back-off, sessions, CSRF and Origin on every POST, access by URL to
# another therapist's client, the client link from first page to crisis
# text to completion (with resume and reuse), malformed and oversized
# requests, and hostile strings coming back escaped.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
# Below Linux's ephemeral range (32768-60999), where a client socket of
# another test could hold the port; a taken port is skipped anyway.
PORT=$((20000 + $$ % 12000))
. "$ROOT/tests/backend.sh"
. "$ROOT/tests/web/lib.sh"

practice
$SB --user boss user add anna --role therapist --password-file pw
$SB --user boss user add tom --role therapist --password-file pw
$SB --user boss user add sam --role supervisor --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB --user tom client add --name "Tom's client" > /dev/null
$SB --user boss settings set practice-name "Harbour & Pier Practice"
serve_start

# --- login --------------------------------------------------------------------
code "dashboard needs login" 303 $O/
code "login page" 200 -c pre $O/login
has "login page" 'name="csrf"'
# The stylesheet: named by a hash of its bytes, kept a year, gzipped for
# a browser that takes it (and the same bytes once unzipped); the pages
# themselves are never kept.
CSS=$(grep -o 'href="/static/style-[0-9a-f]\{16\}\.css"' body | sed 's/href="//;s/"//')
[ -n "$CSS" ] && ok || bad "the login page does not name the stylesheet by its hash"
curl -s -D hdr -o plain.css $O$CSS
grep -qi '^cache-control: public, max-age=31536000, immutable' hdr && ok || bad "the stylesheet is not kept: $(grep -i cache-control hdr)"
grep -qi '^content-encoding' hdr && bad "gzip sent to a client that did not ask" || ok
curl -s -D hdr -H 'Accept-Encoding: gzip, deflate' -o zipped.css $O$CSS
grep -qi '^content-encoding: gzip' hdr && ok || bad "the stylesheet is not gzipped when asked"
grep -qi '^vary: accept-encoding' hdr && ok || bad "no Vary: Accept-Encoding"
[ "$(gzip -dc zipped.css | cmp - plain.css && echo same)" = same ] && ok || bad "the gzipped stylesheet is not the stylesheet"
[ "$(wc -c < zipped.css)" -lt "$(wc -c < plain.css)" ] && ok || bad "the gzipped stylesheet is not smaller"
curl -s -D hdr -H 'Accept-Encoding: gzip;q=0' -o /dev/null $O$CSS
grep -qi '^content-encoding' hdr && bad "gzip sent to a client that refused it" || ok
code "a stylesheet under another hash" 404 $O/static/style-0000000000000000.css
curl -s -D hdr -o /dev/null $O/login
grep -qi '^cache-control: no-store' hdr && ok || bad "a page may be kept: $(grep -i cache-control hdr)"
grep -q '__Host-sbpre' pre && ok || bad "no pre-session cookie"
code "login without csrf" 403 -b pre -H "Origin: $O" --data "user=anna&password=correct+horse+battery" $O/login
PRE=$(csrf)
code "login with wrong csrf" 403 -b pre -H "Origin: $O" --data "csrf=$(printf %064d 0)&user=anna&password=x" $O/login
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot log in"
grep -q "__Host-sb	" a.jar && ok || bad "no session cookie"
curl -s -D hdr -o /dev/null -b pre -c pre2 $O/login
pre=$(grep -o '__Host-sbpre=[0-9a-f]*' hdr | cut -d= -f2)
curl -s -D hdr -o body -b "__Host-sbpre=$pre" -H "Origin: $O" --data "csrf=$pre&user=anna&password=correct+horse+battery" $O/login
grep -qi 'set-cookie: __Host-sb=[0-9a-f]\{64\}; Path=/; Secure; HttpOnly; SameSite=Strict' hdr && ok || bad "session cookie flags"
grep -qi "content-security-policy: default-src 'none'" hdr && ok || bad "no CSP"
grep -qi 'x-frame-options: DENY' hdr && ok || bad "no X-Frame-Options"
# The optional second factor: with it, the code is needed, and once.
$SB --user boss user add tina --role therapist --password-file pw
SECRET=$($SB --user tina user totp tina | sed -n 's/.*secret=\([A-Z2-7]*\)&.*/\1/p')
[ -n "$SECRET" ] && ok || bad "no TOTP secret shown"
totp_login() {	# totp_login CODE: tina logs in with a code
	curl -s -c t2.jar -b t2.jar -o body $O/login
	pre=$(csrf)
	curl -s -c t2.jar -b t2.jar -o body -w '%{http_code}' -H "Origin: $O" \
	    --data-urlencode "csrf=$pre" --data "user=tina&code=$1" \
	    --data-urlencode "password=correct horse battery" $O/login
}
curl -s -o body $O/login
has "the login form asks for a code" 'autocomplete="one-time-code"'
[ "$(login tina t1.jar)" = 403 ] && ok || bad "tina logged in without her code"
has "a code is asked for" "Wrong user name, password or code."
# The refused login keeps the name (escaped), never the password; the
# cursor waits in the password field and the code's field is open.
has "the name is kept" 'name="user" autocomplete="username" required value="tina">'
lacks "the password is not" "correct horse battery"
has "the password field has the cursor" 'autocomplete="current-password" required autofocus>'
has "the code's field is open" '<details class="code" open>'
curl -s -c t4.jar -b t4.jar -o body $O/login; pre=$(csrf)
has "a first login puts the cursor on the name" 'autocomplete="username" required autofocus>'
lacks "and keeps the code's field closed" '<details class="code" open>'
code "a name that is markup" 403 -c t4.jar -b t4.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data-urlencode "user=<b>x" --data "password=nothing+here" $O/login
has "comes back escaped" 'value="&lt;b&gt;x"'
[ "$(totp_login 000000)" = 403 ] && ok || bad "tina logged in with a wrong code"
C=$(totp "$SECRET")
[ "$(totp_login "$C")" = 303 ] && ok || bad "tina's right code refused"
[ "$(totp_login "$C")" = 403 ] && ok || bad "tina's code worked twice"
$SB --user boss user totp tina --off
[ "$(login tina t3.jar)" = 303 ] && ok || bad "tina cannot log in after the second factor is off"
# Session fixation: a token the attacker chose is never adopted.
code "fixed session ignored" 303 -b "__Host-sb=$(printf %064d 7)" $O/
# Back-off after repeated failures.
for n in 1 2 3 4 5 6; do
	curl -s -c f.jar -b f.jar -o body $O/login; p=$(csrf)
	last=$(curl -s -o body -w '%{http_code}' -c f.jar -b f.jar -H "Origin: $O" --data "csrf=$p&user=eve&password=wrong+password" $O/login)
done
[ "$last" = 429 ] && ok || bad "no back-off after 6 failures (got $last)"
has "back-off message" "Too many failed logins"

# --- dashboard, clients, CSRF ------------------------------------------------------------
code "dashboard" 200 -b a.jar $O/
has "dashboard" "Ada Example"
lacks "dashboard only own" "Tom&#39;s client"
CS=$(csrf)
code "client page" 200 -b a.jar $O/clients/1
has "client page" "<h1>Ada Example</h1>"
code "other therapist's client by URL" 404 -b a.jar $O/clients/2
code "no such client" 404 -b a.jar $O/clients/99
code "no such section of the client page" 404 -b a.jar "$O/clients/1?section=all"
has "... said in words" "no such section"
code "bad client id" 404 -b a.jar $O/clients/1x
code "add client without csrf" 403 -b a.jar -H "Origin: $O" --data "name=X" $O/clients
code "add client wrong csrf" 403 -b a.jar -H "Origin: $O" --data "name=X&csrf=$PRE" $O/clients
code "add client from another origin" 403 -b a.jar -H "Origin: http://evil.invalid" --data "name=X&csrf=$CS" $O/clients
code "add client cross-site" 403 -b a.jar -H "Sec-Fetch-Site: cross-site" --data "name=X&csrf=$CS" $O/clients
# A valid token is not enough alone: a POST with neither Origin nor
# Sec-Fetch-Site came from no browser of ours (issue 31).
code "add client with a token but neither Origin nor Sec-Fetch-Site" 403 -b a.jar --data "name=NoOrigin&csrf=$CS" $O/clients
code "the sign-in page" 200 -c n.jar -b n.jar $O/login
code "sign-in with a token but neither Origin nor Sec-Fetch-Site" 403 -c n.jar -b n.jar --data-urlencode "csrf=$(csrf)" --data-urlencode "user=anna" --data-urlencode "password=correct horse battery" $O/login
curl -s -o body -c n.jar -b n.jar $O/login
code "sign-in with Sec-Fetch-Site: same-origin and no Origin" 303 -c n.jar -b n.jar -H "Sec-Fetch-Site: same-origin" --data-urlencode "csrf=$(csrf)" --data-urlencode "user=anna" --data-urlencode "password=correct horse battery" $O/login
code "add client" 303 -b a.jar -H "Origin: $O" --data-urlencode "name=<script>alert(1)</script>" --data "csrf=$CS" $O/clients
code "hostile name escaped" 200 -b a.jar $O/
has "hostile name escaped" "&lt;script&gt;alert(1)&lt;/script&gt;"
has "measures due" "<h2>Measures due</h2>"
has "due client" "&lt;script&gt;alert(1)&lt;/script&gt;</a>: no plan, and no questionnaire answered in the last 4 weeks"
lacks "no raw script" "<script>alert(1)"
code "malformed form" 400 -b a.jar -H "Origin: $O" --data "name=%zz&csrf=$CS" $O/clients
head -c 70000 /dev/zero | tr '\0' 'a' > big
code "oversized body" 413 -b a.jar -H "Origin: $O" --data-binary @big $O/clients
code "GET never changes state" 404 -b a.jar "$O/clients?name=X&csrf=$CS"
# A refused name: the caseload again, with the menu, the name as typed
# and the reason beside the field, not a page of its own.
code "a name of only spaces is refused" 400 -b a.jar -H "Origin: $O" --data-urlencode "name=   " --data "csrf=$CS" $O/clients
has "... beside the field, in words" 'id="cn-err">Not added: the client&#39;s name is empty.</p>'
has "... on the caseload, with its menu" '<h1>Caseload</h1>'
has "... the field marked" 'aria-invalid="true" aria-describedby="cn-err"'
code "a hostile refused name comes back escaped" 400 -b a.jar -H "Origin: $O" --data-urlencode "name=$(printf '"><b>x\ty')" --data "csrf=$CS" $O/clients
has "... in the field" 'value="&quot;&gt;&lt;b&gt;x'
lacks "... never as markup" '"><b>x'
code "other methods" 405 -b a.jar -X DELETE $O/clients/1

# --- the client link ---------------------------------------------------------------
code "link for other's client" 404 -b a.jar -H "Origin: $O" --data "instrument=phq9&csrf=$CS" $O/clients/2/links
code "link for disabled instrument" 400 -b a.jar -H "Origin: $O" --data "instrument=ecr-r&csrf=$CS" $O/clients/1/links
code "link" 200 -b a.jar -H "Origin: $O" --data "instrument=phq9&csrf=$CS" $O/clients/1/links
URL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
[ -n "$URL" ] && ok || bad "no link URL shown"
# The QR code on the page decodes (zbar) to exactly the link.
sed -n 's/.*\(<svg role="img" aria-labelledby="t-qr".*<\/svg>\).*/\1/p' body | sed 's#<title[^<]*</title>##' > qr.svg
rsvg-convert -w 480 qr.svg > qr.png 2>/dev/null
[ "$(zbarimg -q --raw qr.png 2>/dev/null)" = "$URL" ] && ok || bad "the QR code does not decode to the link"
code "questionnaire" 200 $URL
has "questionnaire" "Page 1 of 2"
has "... says who sent it" '<p class="from">Harbour &amp; Pier Practice &middot; from your therapist, anna</p>'
$SB --user boss settings set show-therapist no
code "... the therapist's name left out, at once" 200 $URL
has "... the practice's name alone" '<p class="from">Harbour &amp; Pier Practice</p>'
$SB --user boss settings unset show-therapist
if $SB --user boss settings set show-therapist maybe 2> err; then bad "show-therapist took maybe"; else grep -q "yes or no" err && ok || bad "show-therapist: $(cat err)"; fi
has "notice shown" "Pfizer"
QC=$(csrf)
code "answer page 1" 303 -H "Origin: $O" --data "csrf=$QC&p=0&q1=1&q2=2&q4=1&q5=3&go=next" $URL
code "resume" 200 "$URL?p=0"
has "resume keeps answers" 'value="2" checked'
code "out-of-range answer" 400 -H "Origin: $O" --data "csrf=$QC&p=0&q1=7&go=next" $URL
code "bad page" 400 "$URL?p=9"
code "link csrf" 403 -H "Origin: $O" --data "csrf=$CS&p=0&q1=1&go=next" $URL
code "item 9 endorsed" 200 -H "Origin: $O" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=2&q10=1&go=next" $URL
has "crisis text" 'class="crisis" role="alert"'
has "completed" "Thank you"
code "reused link" 410 $URL
# One link, a script posting: past 30 posts a minute it is held back.
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=gad7&csrf=$CS" $O/clients/1/links
RURL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
# The count is per clock minute (server.c, link_rate_ok): the 31 posts
# must not straddle a minute's end.
while [ $(( $(date +%s) % 60 )) -gt 50 ]; do sleep 1; done
for n in $(seq 1 30); do
	curl -s -o /dev/null -H "Origin: $O" --data "csrf=x&p=0&go=next" $RURL
done
code "a link posting too fast" 429 -D hdr -H "Origin: $O" --data "csrf=x&p=0&go=next" $RURL
grep -qi "^retry-after: 60" hdr && ok || bad "no Retry-After on a held-back link"
code "the link still opens" 200 $RURL
# The client page lists the links and how far each came; one is sent
# again (a new link, the old one closed) or withdrawn.
code "the client page lists the links" 200 -b a.jar "$O/clients/1?section=care"
has "... the finished one" '<td data-label="State">finished</td>'
has "... the opened one" '<td data-label="State">opened</td>'
LID=$(grep -o 'name="link" value="[0-9]*"' body | head -1 | sed 's/.*value="//;s/"//')
code "send a link again" 200 -b a.jar -H "Origin: $O" --data "csrf=$CS&link=$LID" $O/clients/1/links/renew
NURL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
[ -n "$NURL" ] && [ "$NURL" != "$RURL" ] && ok || bad "sent again without a new link"
code "... the old link opens no more" 404 $RURL
code "... the new one does" 200 $NURL
code "... not twice" 409 -b a.jar -H "Origin: $O" --data "csrf=$CS&link=$LID" $O/clients/1/links/renew
NID=$(curl -s -b a.jar "$O/clients/1?section=care" | grep -o 'name="link" value="[0-9]*"' | head -1 | sed 's/.*value="//;s/"//')
code "withdraw a link" 303 -D hdr -b a.jar -c a.jar -H "Origin: $O" --data "csrf=$CS&link=$NID" $O/clients/1/links/cancel
# The page it leads to says what was done, once.
grep -qi "^set-cookie: __Host-sbsaid=withdrawn;.*Max-Age=120" hdr && ok || bad "the withdrawal leaves no word for the next page"
code "... the client page after it" 200 -D hdr -b a.jar -c a.jar $O/clients/1
has "... says it" '<p class="notice" role="status">Link withdrawn.</p>'
grep -qi "^set-cookie: __Host-sbsaid=;.*Max-Age=0" hdr && ok || bad "the notice is not cleared once shown"
code "... the next page" 200 -b a.jar -c a.jar $O/clients/1
lacks "... does not say it again" 'class="notice"'
code "a cookie with words of its own" 200 -b a.jar -b "__Host-sbsaid=<script>" $O/clients/1
lacks "... shows none of them" 'class="notice"'
code "... it opens no more" 404 $NURL
code "... another client's number" 404 -b a.jar -H "Origin: $O" --data "csrf=$CS&link=$NID" $O/clients/2/links/cancel
code "... without csrf" 403 -b a.jar -H "Origin: $O" --data "link=$NID" $O/clients/1/links/cancel
# Hand-over: "start now" ends the therapist's session on this device, so
# that the client holding it reaches only the questionnaire.
curl -s -o /dev/null -D hdr -b a.jar -c a.jar -H "Origin: $O" --data "instrument=gad7&now=1&csrf=$CS" $O/clients/1/links
grep -qi "^location: /q/[0-9a-f]\{64\}" hdr && ok || bad "in-session start does not open the questionnaire"
grep -qi "^set-cookie: __Host-sb=;.*Max-Age=0" hdr && ok || bad "hand-over does not clear the session cookie"
SES=$(grep -i "^location:" hdr | tr -d '\r' | awk '{print $2}')
code "after hand-over the client page asks to sign in" 303 -b a.jar $O/clients/1
code "after hand-over the caseload asks to sign in" 303 -b a.jar $O/
curl -s -o body "$O$SES"; SC=$(csrf)
code "in-session page 1" 303 -H "Origin: $O" --data "csrf=$SC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$O$SES"
code "in-session page 2" 200 -H "Origin: $O" --data "csrf=$SC&p=1&q6=1&q7=1&go=next" "$O$SES"
has "in-session done" "Thank you"
has "in-session done hands back" "hand the device back"
has "... and the therapist back to the client" 'href="/login?next=/clients/1"'
$SB --user anna client show 1 | grep -q "gad7	1	in-session" && ok || bad "in-session mode not recorded"
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in again after hand-over"
curl -s -o body -b a.jar $O/clients/1; CS=$(csrf)
code "acknowledged alert history" 200 -b a.jar $O/clients/1

# --- the inbox (issue 35) ------------------------------------------------------------
# The answer sent through a link is new until marked seen (audited); what
# was answered in the session is not; a link left unanswered is listed
# with how far it came.  "Mark all seen" marks up to the newest answer
# the page showed: one come since stays new.
# gad7 LINK_URL: page 1 and 2 of a GAD-7 link, answered.
gad7() {
	curl -s -o body "$1"; GC=$(csrf)
	curl -s -o /dev/null -H "Origin: $O" --data "csrf=$GC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$1"
	curl -s -o body -H "Origin: $O" --data "csrf=$GC&p=1&q6=1&q7=1&go=next" "$1"
}
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=core10&csrf=$CS" $O/clients/1/links
code "the inbox" 200 -b a.jar $O/inbox
has "... the new answer, with its client" '>Ada Example</a> <span>PHQ-9, answered'
lacks "... not what was answered in the session" 'GAD-7, answered'
has "... the link not answered" 'CORE-10, sent'
has "... how far it came" 'not opened yet'
has "... the open alert" 'risk item endorsed'
RID=$(grep -o 'name="response" value="[1-9][0-9]*"' body | head -1 | sed 's/.*value="//;s/"//')
[ -n "$RID" ] && ok || bad "the new answer has no Seen button"
code "seen without the form's token" 403 -b a.jar -H "Origin: $O" --data "response=$RID" $O/inbox/seen
[ "$(login tom tin.jar)" = 303 ] && ok || bad "tom cannot sign in"
code "tom's inbox" 200 -b tin.jar $O/inbox
lacks "... has nothing of anna's" 'Ada Example'
TIC=$(csrf)
code "tom marks anna's answer seen" 404 -b tin.jar -H "Origin: $O" --data "csrf=$TIC&response=$RID" $O/inbox/seen
code "a number that is no answer" 404 -b a.jar -H "Origin: $O" --data "csrf=$CS&response=999999" $O/inbox/seen
code "marked seen" 303 -D hdr -b a.jar -H "Origin: $O" --data "csrf=$CS&response=$RID" $O/inbox/seen
grep -qi "^set-cookie: __Host-sbsaid=seen;" hdr && ok || bad "marking seen says nothing on the next page"
[ "$(sbsql p.db "SELECT count(*) FROM audit WHERE action = 'response-seen' AND entity_id = $RID AND user_name = 'anna'")" = 1 ] && ok || bad "marking seen is not audited"
[ "$(sbsql p.db "SELECT count(*) FROM audit WHERE action = 'denied' AND user_name = 'tom'")" -ge 1 ] && ok || bad "tom's try is not audited"
code "the inbox after" 200 -b a.jar $O/inbox
lacks "... the answer is no longer new" 'PHQ-9, answered'
has "... nothing new said in words" 'None: every answer sent back'
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=gad7&csrf=$CS" $O/clients/1/links
G1=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
gad7 "$G1"
has "... the first GAD-7 answered" "Thank you"
code "the inbox with it" 200 -b a.jar $O/inbox
UPTO=$(grep -o 'name="upto" value="[0-9TZ:-]*"' body | head -1 | sed 's/.*value="//;s/"//')
[ -n "$UPTO" ] && ok || bad "Mark all seen says not up to when"
sleep 1
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=gad7&csrf=$CS" $O/clients/1/links
G2=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
gad7 "$G2"
code "all marked seen, up to the page's newest" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&response=0&upto=$UPTO" $O/inbox/seen
code "the inbox again" 200 -b a.jar $O/inbox
[ "$(grep -c 'GAD-7, answered' body)" = 1 ] && ok || bad "mark all seen took the answer come since, or left the older one: $(grep -c 'GAD-7, answered' body)"
code "mark all without when" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&response=0" $O/inbox/seen
[ "$(login sam sin.jar)" = 303 ] && ok || bad "sam cannot sign in"
code "a supervisor has no inbox" 403 -b sin.jar $O/inbox
code "unknown link" 404 $O/q/$(printf %064d 1)
code "malformed link" 404 $O/q/xyz
code "alert on dashboard" 200 -b a.jar $O/
has "alert on dashboard, in words" "risk item endorsed"
has "the alert's severity in a badge" '<span class="line"><span class="badge high">high</span> <strong>risk item endorsed</strong>'
has "the triage names the client" '<li><details><summary><span class="who">Ada Example</span>'
grep -q "<a href=\"/clients/1#alert-[0-9]*\">Open Ada Example's page</a>" body && ok || bad "the triage does not lead to the client"
# The triage's filter: by severity and by state; a value it does not
# know shows them all.
code "only high alerts" 200 -b a.jar "$O/?sev=high"
has "... the high one" "risk item endorsed"
has "... says what it shows" "Showing high, open and acknowledged"
code "only medium alerts" 200 -b a.jar "$O/?sev=medium&state=open"
lacks "... not the high one" '<span class="badge high">high</span> <strong>risk item endorsed'
code "an unknown severity" 200 -b a.jar "$O/?sev=<b>&state=x"
has "... shows them all" "Showing every severity, open and acknowledged"
lacks "... and is not echoed" "<b>"
# Another therapist's alert: refused without naming the client.
login tom tomalerts.jar > /dev/null
curl -s -o body -b tomalerts.jar $O/; TCS=$(csrf)
code "another's alert" 404 -b tomalerts.jar -H "Origin: $O" --data "alert=1&state=ack&note=x&csrf=$TCS" $O/alerts
lacks "another's alert names no client" "client 1"
lacks "another's alert names no therapist" "anna"
# Sharing: the owner shares and stops; the colleague cannot pass it on.
curl -s -o body -b a.jar "$O/clients/1?section=care"
has "sharing forms for the owner" "Stop sharing"
code "share" 303 -b a.jar -H "Origin: $O" --data "with=tom&csrf=$CS" $O/clients/1/share
code "tom reads the shared client" 200 -b tomalerts.jar $O/clients/1
code "tom cannot pass it on" 403 -b tomalerts.jar -H "Origin: $O" --data "with=sam&csrf=$TCS" $O/clients/1/share
lacks "tom's refusal names nobody" "anna"
code "unshare" 303 -b a.jar -H "Origin: $O" --data "with=tom&csrf=$CS" $O/clients/1/unshare
code "tom no longer reads it" 404 -b tomalerts.jar $O/clients/1
code "share with nobody" 404 -b a.jar -H "Origin: $O" --data "with=nobody&csrf=$CS" $O/clients/1/share
code "share without csrf" 403 -b a.jar -H "Origin: $O" --data "with=tom" $O/clients/1/share
# A route's fields are checked before its handler runs (web/fields.c):
# a refused one is said in words, nothing is done, and nothing of the
# record is read for it.
code "share with no one named" 400 -b a.jar -H "Origin: $O" --data "with=&csrf=$CS" $O/clients/1/share
has "the empty name is said" "user name."
code "an alert that is no number" 400 -b a.jar -H "Origin: $O" --data "alert=1x&state=ack&csrf=$CS" $O/alerts
has "the alert form's words" "number and choose acknowledge or resolve."
code "an alert state that is no state" 400 -b a.jar -H "Origin: $O" --data "alert=1&state=delete&csrf=$CS" $O/alerts
code "a plan paused without its number" 400 -b a.jar -H "Origin: $O" --data "plan=&csrf=$CS" $O/clients/1/plans/pause
has "the plan form's words" "Choose the plan."
code "a link cancelled without its number" 400 -b a.jar -H "Origin: $O" --data "link=-3&csrf=$CS" $O/clients/1/links/cancel
has "the link form's words" "Choose the link."
code "acknowledge" 303 -b a.jar -H "Origin: $O" --data "alert=1&state=ack&note=phoned&csrf=$CS" $O/alerts
code "after ack" 200 -b a.jar $O/
has "acknowledged" "acknowledged"
code "alert history" 200 -b a.jar "$O/clients/1?section=care"
has "alert history" "<p>acknowledged by anna, <time"
grep -q '<p>acknowledged by anna, <time[^>]*>today [0-9:]*</time>: phoned</p>' body && ok || bad "the alert history does not say who acknowledged it, when and why"
$SB --user anna client show 1 > show.txt
grep -q "phq9	1	link" show.txt && ok || bad "the link's administration is not stored"
# Expiry: a link past its date is refused.
# Made two days ago for one day (the test clock, for this command only):
# a genuine link, sealed, and past its date.
echo $(($(date +%s) - 2 * 86400)) > past.clock
URL2=$(SECUREBASE_TEST_CLOCK=$(pwd)/past.clock $SB --user anna link create --client 1 --instrument gad7 --origin $O --days 1)
code "expired link" 404 $URL2
has "expired link" "expired"

# --- every route for every role, own and other client ------------------------------
# route matrix: METHOD PATH then the expected status for anonymous, anna
# (owns client 1), tom (owns client 2), sam (supervisor), boss (admin).
for u in tom sam boss; do login $u $u.jar > /dev/null; done
cp a.jar anna.jar
while read -r method path anon anna tom sam boss; do
	[ -z "$method" ] && continue
	for who in anon anna tom sam boss; do
		eval want=\$$who
		if [ "$who" = anon ]; then jar=/dev/null; tok=x; else
			jar=$who.jar
			curl -s -b $jar -o body $O/; tok=$(csrf)
			[ -z "$tok" ] && { curl -s -b $jar -o body $O/admin; tok=$(csrf); }
		fi
		if [ "$method" = GET ]; then
			code "matrix $who GET $path" "$want" -b $jar "$O$path"
		else
			code "matrix $who POST $path" "$want" -b $jar -H "Origin: $O" --data "csrf=$tok&instrument=phq9&name=Matrix&alert=999&state=ack&role=therapist&email=matrix%40clinic.test&password=correct+horse+battery&label=Matrix&category=loss&age=3&valence=-1&intensity=2" "$O$path"
		fi
	done
done <<MATRIX
GET / 303 200 200 200 303
GET /clients/1 303 200 404 200 404
GET /clients/2 303 404 200 200 404
GET /admin 303 403 403 403 200
POST /clients/1/links 303 200 404 404 404
POST /clients/2/links 303 404 200 404 404
POST /clients 303 303 303 403 403
POST /send 303 400 400 400 400
POST /alerts 303 404 404 404 404
POST /admin/users 303 403 403 403 303
GET /clients/1/history 303 200 404 200 404
GET /clients/2/history 303 404 200 200 404
POST /clients/1/people 303 303 404 404 404
POST /clients/2/people 303 404 303 404 404
POST /clients/1/events 303 303 404 404 404
POST /clients/2/events 303 404 303 404 404
POST /clients/1/snapshots 303 303 404 404 404
POST /clients/2/snapshots 303 404 303 404 404
POST /clients/1/nothing 303 404 404 404 404
GET /clients/1/narratives/loss 303 200 404 200 404
GET /outcomes 303 200 200 200 403
POST /clients/1/narratives/loss 303 400 404 404 404
MATRIX

# --- the attachment history in the browser ------------------------------------------
code "history add person" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&name=Grandma+Rose&role=grandmother&gender=female&born=1931&died=1999" $O/clients/1/people
code "history add self" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&name=Ada+Example&role=self&gender=female&born=1980" $O/clients/1/people
code "history page" 200 -b a.jar "$O/clients/1?section=history"
has "history map" 'class="map mw'
has "history person drawn" "Grandma Rose"
has "history lifeline" 'class="lifeline"'
has "history patterns" "Facts counted from what is recorded"
GR=$(grep -o 'value="person:[0-9]*">person: Grandma Rose' body | head -1 | sed 's/value="person:\([0-9]*\)".*/\1/')
AE=$(grep -o 'value="person:[0-9]*">person: Ada Example' body | head -1 | sed 's/value="person:\([0-9]*\)".*/\1/')
code "history add tie" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&a=$AE&b=$GR&type=cut-off&start=1995" $O/clients/1/ties
code "history tie to another client's person" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&a=$AE&b=999999&type=close" $O/clients/1/ties
code "history bad tie type" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&a=$AE&b=$GR&type=friendly" $O/clients/1/ties
code "history add period" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&category=separation&age=4&end_age=6&valence=-3&intensity=5&note=with+an+aunt" $O/clients/1/events
# Sessions, notes, episodes and consents from the client page's forms;
# what is refused is said beside its field with what was typed kept.
TODAY=$(date +%Y-%m-%d)
code "a session" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=$TODAY&attendance=attended&note=first+meeting" $O/clients/1/sessions
code "a session tomorrow" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=$(date -d tomorrow +%Y-%m-%d)&attendance=attended&note=kept+note" $O/clients/1/sessions
has "... refused beside its date" '<p class="field-error" id="sd-err">A session is recorded once it has happened: the date is after today.</p>'
has "... the note kept" '>kept note</textarea>'
code "a session on 30 February" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=2026-02-30&attendance=attended" $O/clients/1/sessions
has "... not a day" "is not a day of the calendar"
code "a session without attendance" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=$TODAY&attendance=" $O/clients/1/sessions
has "... attendance asked for" '<p class="field-error" id="sa-err">'
code "a note of spaces" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&text=+++" $O/clients/1/notes
has "... refused" "The note is empty."
code "a note" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&text=slept+better" $O/clients/1/notes
code "an episode started" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=$TODAY" $O/clients/1/care/episodes
code "sessions and notes" 200 -b a.jar "$O/clients/1?section=sessions"
has "... the session in its table" "first meeting"
has "... the note in its table" "slept better"
code "the record" 200 -b a.jar "$O/clients/1?section=care"
has "... the episode open" "End the open episode on"
EP=$(grep -o 'name="episode" value="[0-9]*"' body | grep -o '[0-9]*')
code "a second episode while one is open" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&date=$TODAY" $O/clients/1/care/episodes
code "the episode ended" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&episode=$EP&date=$TODAY" $O/clients/1/care/episodes/end
code "ended twice" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&episode=$EP&date=$TODAY" $O/clients/1/care/episodes/end
has "... said so" "There is no open episode to end."
code "a consent" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&kind=research-export&date=$TODAY" $O/clients/1/care/consents
code "a consent to nothing" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&kind=+&date=$TODAY" $O/clients/1/care/consents
code "the record again" 200 -b a.jar "$O/clients/1?section=care"
CO=$(grep -o '<option value="[0-9]*">research-export, given' body | grep -o '[0-9]*' | head -1)
[ -n "$CO" ] && ok || bad "the consent in force is not offered to withdraw"
code "withdraw nothing chosen" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&consent=&date=$TODAY" $O/clients/1/care/consents/withdraw
code "withdrawn" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&consent=$CO&date=$TODAY" $O/clients/1/care/consents/withdraw
$SB --user anna client show 1 > show.txt
grep -q "research-export	$TODAY	$TODAY" show.txt && ok || bad "the consent is not withdrawn: $(grep research show.txt)"
code "tom adds no session to anna's client" 404 -b tomalerts.jar -H "Origin: $O" --data "csrf=$TCS&date=$TODAY&attendance=attended" $O/clients/1/sessions
code "the lifeline with the period" 200 -b a.jar "$O/clients/1?section=history"
# The note is someone's text: between FSI (U+2068) and PDI (U+2069).
has "... its note on pointing at it" "$(printf '<title>separation, age 4; valence -3, intensity 5. \342\201\250with an aunt\342\201\251</title>')"
code "history bad age" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&category=loss&age=200&valence=-1&intensity=2" $O/clients/1/events
has "... a refusal keeps the menu" '<nav aria-label="Main"><span class="brand">securebase</span><a href="/">Caseload</a>'
has "... and leads back to the client" "<a href=\"/clients/1\">Back to the client's page</a>"
code "an event with no valence chosen is refused" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&category=loss&age=3&valence=&intensity=2" $O/clients/1/events
code "the event form" 200 -b a.jar "$O/clients/1?section=history"
has "... asks for the valence, with no default" 'name="valence" required><option value="" selected>Choose how it was</option>'
code "history bad year" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&name=X&born=19x0" $O/clients/1/people
code "history without csrf" 403 -b a.jar -H "Origin: $O" --data "name=X" $O/clients/1/people
code "history from elsewhere" 403 -b a.jar -H "Origin: https://evil.example" --data "csrf=$CS&name=X" $O/clients/1/people
code "history after" 200 -b a.jar "$O/clients/1?section=history"
has "history cut-off drawn" 'data-type="cut-off"'
has "history text alternative" "Ada Example (the client)"
has "history period" "until 6"
code "history edit page" 200 -b a.jar "$O/clients/1/edit?entry=person:$AE"
has "history edit filled in" 'value="Ada Example"'
has "history edit year" 'value="1980"'
code "history edit other's client" 404 -b tom.jar "$O/clients/1/edit?entry=person:$AE"
code "history edit as supervisor" 403 -b sam.jar "$O/clients/1/edit?entry=person:$AE"
code "a supervisor's client page" 200 -b sam.jar "$O/clients/1?section=care"
lacks "... offers no link to create" "Copy link / QR"
lacks "... nor to send one again" "Send again"
code "history edit bad entry" 400 -b a.jar "$O/clients/1/edit?entry=nothing:1"
code "history edit unknown entry" 404 -b a.jar "$O/clients/1/edit?entry=event:999999"
code "history edit save" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&entry=person:$AE&name=Ada+Example&role=self&gender=female&born=1981" $O/clients/1/edit
code "history edit another client's entry" 400 -b tom.jar -H "Origin: $O" --data "csrf=$(curl -s -b tom.jar $O/ | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')&entry=person:$AE&name=Hijack" $O/clients/2/edit
code "history edit saved" 200 -b a.jar "$O/clients/1/edit?entry=person:$AE"
has "history edit saved" 'value="1981"'
code "history printable" 200 -b a.jar $O/clients/1/history
has "history printable map" 'class="map mw'
has "history printable says whose" '<h1>Attachment history: Ada Example</h1>'
code "history snapshot" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&label=at+intake" $O/clients/1/snapshots
code "history remove tie" 303 -b a.jar -H "Origin: $O" --data "csrf=$CS&entry=person:$GR" $O/clients/1/remove
code "history remove again" 400 -b a.jar -H "Origin: $O" --data "csrf=$CS&entry=person:$GR" $O/clients/1/remove
code "history page with snapshot" 200 -b a.jar "$O/clients/1?section=history"
SID=$(grep -o '<option value="[0-9]*">at intake' body | head -1 | sed 's/<option value="\([0-9]*\)".*/\1/')
code "history compare" 200 -b a.jar "$O/clients/1/history?from=$SID&to=now"
has "history compare" "- person Grandma Rose"
code "history compare other's snapshot" 200 -b tom.jar "$O/clients/2/history?from=$SID&to=now"
has "history compare other's snapshot" "There is no such snapshot."

# --- narrative work ---------------------------------------------------------------
code "narrative section" 200 -b a.jar "$O/clients/1?section=narratives"
has "narrative section" "Narrative work"
has "narrative prompts listed" "Who looked after you when you were a child?"
code "narrative draft" 303 -b a.jar -H "Origin: $O" --data-urlencode "text=I don't remember. When I was seven we moved, because Dad left. <script>alert(1)</script>" --data "csrf=$CS" $O/clients/1/narratives/caregivers
code "narrative page" 200 -b a.jar $O/clients/1/narratives/caregivers
has "narrative marked" '<mark class="i2" title="&quot;Don&#39;t remember&quot; statements">I don&#39;t remember</mark>'
has "narrative episodic" '<mark class="i0" title="Episodic anchors">When I was seven</mark>'
has "narrative escaped" "&lt;script&gt;alert(1)&lt;/script&gt;"
lacks "narrative no raw script" "<script>alert(1)"
has "narrative explained" "Known false positives"
has "narrative no score" "No classification, no cut-off, no overall score."
code "narrative second draft" 303 -b a.jar -H "Origin: $O" --data-urlencode "text=Looking back, I see it differently." --data "csrf=$CS" $O/clients/1/narratives/caregivers
code "narrative same again" 303 -b a.jar -H "Origin: $O" --data-urlencode "text=Looking back, I see it differently." --data "csrf=$CS" $O/clients/1/narratives/caregivers
$SB --user anna narrative list --client 1 | grep -q "^caregivers	2	" && ok || bad "narrative drafts not kept as versions (or a repeat kept)"
code "narrative first draft still there" 200 -b a.jar "$O/clients/1/narratives/caregivers?v=1&show=no_recall"
has "narrative version 1" "Draft 1"
has "narrative one indicator" "Marked: &quot;Don&#39;t remember&quot; statements"
lacks "narrative only that indicator" '<mark class="i0"'
code "narrative unknown prompt" 404 -b a.jar $O/clients/1/narratives/nothing
code "narrative bad key" 404 -b a.jar "$O/clients/1/narratives/..%2f..%2fadmin"
code "narrative other's client" 404 -b tom.jar $O/clients/1/narratives/caregivers
code "narrative supervisor reads" 200 -b sam.jar $O/clients/1/narratives/caregivers
SC2=$(grep -o 'name="csrf" value="[0-9a-f]*"' body | head -1 | sed 's/.*value="//;s/"//')
code "narrative supervisor cannot write" 404 -b sam.jar -H "Origin: $O" --data "text=x&csrf=$SC2" $O/clients/1/narratives/caregivers
code "narrative without csrf" 403 -b a.jar -H "Origin: $O" --data "text=x" $O/clients/1/narratives/caregivers
code "narrative link" 200 -b a.jar -H "Origin: $O" --data "instrument=narrative&csrf=$CS" $O/clients/1/links
NURL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
[ -n "$NURL" ] && ok || bad "no narrative link shown"
code "narrative link page" 200 $NURL
has "narrative link prompt" "Prompt 1 of 7"
# The therapist wrote the latest draft: it is not the client's to see or
# to save again as their own writing.
lacks "narrative link never shows the therapist's draft" "Looking back, I see it differently."
lacks "narrative link never shows the therapist's first draft" "When I was seven we moved"
has "narrative link support text" 'class="support"'
has "narrative link says they may stop" "You can stop"
NC=$(csrf)
code "narrative link save" 303 -H "Origin: $O" --data-urlencode "text=Written by the client on the link." --data "csrf=$NC&p=0&go=next" $NURL
code "narrative link page 2" 200 "$NURL?p=1"
has "narrative link page 2" "Prompt 2 of 7"
code "narrative link resume" 200 "$NURL?p=0"
has "narrative link resume" "Written by the client on the link."
code "narrative link bad page" 400 "$NURL?p=99"
code "narrative link foreign csrf" 403 -H "Origin: $O" --data "csrf=$CS&p=0&text=x&go=next" $NURL
code "narrative link finish" 200 -H "Origin: $O" --data-urlencode "text=The last words." --data "csrf=$NC&p=6&go=finish" $NURL
has "narrative link thanks" "Thank you"
code "narrative link used" 410 $NURL
$SB --user anna narrative drafts --client 1 --prompt caregivers | grep -q "client" && ok || bad "the client's draft is not marked as theirs"
$SB --user anna narrative list --client 1 | grep -q "^hopes	1	" && ok || bad "the last page was not kept"
# The audit trail searched by client finds the client's records too:
# anna acknowledged alert 1, which is client 1's; an action from the list.
code "audit: client 1's acknowledged alert" 200 -b boss.jar "$O/admin?client=1&action=acknowledged"
grep -q '<td>anna</td><td>acknowledged</td><td>alert</td><td class="num">1</td>' body && ok || bad "the alert's row is not found by its client"
has "the actions are a list" '<option selected>acknowledged</option>'
code "audit: client 2's" 200 -b boss.jar "$O/admin?client=2&action=acknowledged"
lacks "... not client 1's alert" '<td>acknowledged</td><td>alert</td><td class="num">1</td>'
code "prompts on the admin page" 200 -b boss.jar $O/admin
has "prompts on the admin page" "Narrative prompts"
BS2=$(csrf)
code "admin changes a prompt" 303 -b boss.jar -H "Origin: $O" --data-urlencode "text=What do you hope for now?" --data "key=hopes&csrf=$BS2" $O/admin/prompts
$SB --user anna narrative prompts | grep -q "^hopes	What do you hope for now?$" && ok || bad "the prompt was not changed"
code "therapist cannot change prompts" 403 -b a.jar -H "Origin: $O" --data "key=hopes&text=x&csrf=$CS" $O/admin/prompts
code "admin bad prompt" 400 -b boss.jar -H "Origin: $O" --data "key=Bad+Key&text=x&csrf=$BS2" $O/admin/prompts
code "a prompt without words" 400 -b boss.jar -H "Origin: $O" --data "key=hopes&csrf=$BS2" $O/admin/prompts
has "says what is missing, before the handler" "A prompt needs its words."
$SB --user anna narrative prompts | grep -q "^hopes	What do you hope for now?$" && ok || bad "a refused prompt changed it"

# A second narrative link: what the client wrote comes back escaped, a
# page sent that is not there and a way back are answered.
curl -s -o body -b a.jar $O/clients/1; CS=$(csrf)
curl -s -o body -b a.jar -H "Origin: $O" --data "csrf=$CS&instrument=narrative" $O/clients/1/links
NL=$(grep -o '/q/[0-9a-f]\{64\}' body | head -1)
[ -n "$NL" ] && ok || bad "no second narrative link was made: $(head -c 300 body)"
code "the second narrative link" 200 "$O$NL"
NC=$(csrf)
code "a page sent" 303 -H "Origin: $O" --data "csrf=$NC&p=0&go=next" --data-urlencode "text=We moved when I was <seven>." "$O$NL"
code "the page again" 200 "$O$NL?p=0"
has "keeps the draft, escaped" "We moved when I was &lt;seven&gt;."
code "a page sent that is not there" 400 -H "Origin: $O" --data "csrf=$NC&p=99&go=next&text=x" "$O$NL"
code "back from the second page" 303 -D hdr -H "Origin: $O" --data "csrf=$NC&p=1&go=back&text=" "$O$NL"
grep -qi "^location: .*$NL?p=0" hdr && ok || bad "back did not lead to the first page: $(grep -i location hdr)"

# --- outcomes --------------------------------------------------------------------
code "outcomes" 200 -b a.jar $O/outcomes
has "outcomes method" "Jacobson &amp; Truax (1991)"
has "outcomes no ranking" "they do not rank"

# --- naughty strings in the web forms: stored verbatim, shown escaped; a
# name with a control character (a tab) is refused, saying why ---------------------
esc() { printf '%s' "$1" | sed "s/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/\"/\&quot;/g; s/'/\&#39;/g"; }
TAB=$(printf '\t')
while IFS= read -r s; do
	case "$s" in *"$TAB"*)
		code "a name with a tab is refused" 400 -b a.jar -H "Origin: $O" --data-urlencode "name=$s" --data "csrf=$CS" $O/clients
		has "... saying why" "holds a control character"
		continue ;;
	esac
	curl -s -o /dev/null -D hdr -b a.jar -H "Origin: $O" --data-urlencode "name=$s" --data "csrf=$CS" $O/clients
	loc=$(grep -i '^location:' hdr | tr -d '\r' | awk '{print $2}')
	case "$loc" in /clients/[0-9]*) ok ;; *) bad "naughty client refused: $s"; continue ;; esac
	nid=${loc#/clients/}
	code "naughty person: $s" 303 -b a.jar -H "Origin: $O" --data-urlencode "name=$s" --data-urlencode "note=$s" --data-urlencode "gender=$s" --data "csrf=$CS" "$O/clients/$nid/people"
	code "naughty page: $s" 200 -b a.jar "$O$loc?section=history"
	e=$(esc "$s")
	grep -qF -- "<h1>$e</h1>" body && ok || bad "naughty name not escaped in the title: $s"
	grep -qF -- "<li>$e, $e" body && ok || bad "naughty person not escaped in the map text: $s"
	$SB --user anna client show "$nid" | grep -qF -- "Client $nid: $s" && ok || bad "naughty name not stored verbatim: $s"
	$SB --user anna history export --client "$nid" > hx.json
	grep -qF -- '"gender":' hx.json && ok || bad "naughty person not exported: $s"
done < "$ROOT/tests/cli/naughty.txt"
code "naughty caseload" 200 -b a.jar $O/
lacks "naughty caseload has no raw markup" "<script>alert(document.cookie)"
lacks "naughty caseload has no raw img" "<img src=x"

# --- administration -------------------------------------------------------------------
code "admin page for a therapist" 403 -b a.jar $O/admin
code "admin post for a therapist" 403 -b a.jar -H "Origin: $O" --data "name=x&role=admin&password=correct+horse+battery&csrf=$CS" $O/admin/users
[ "$(login boss b.jar)" = 303 ] && ok || bad "admin cannot log in"
code "admin home" 303 -b b.jar $O/
code "admin page" 200 -b b.jar $O/admin
has "admin users" "anna"
has "audit verifies" "The chain verifies"
has "licences" "disabled: needs permission"
lacks "admin sees no client names" "Ada Example"
BS=$(csrf)
code "admin add user without csrf" 403 -b b.jar -H "Origin: $O" --data "name=sue&role=therapist&password=correct+horse+battery" $O/admin/users
code "admin add a therapist without an address" 400 -b b.jar -H "Origin: $O" --data "name=sue&role=therapist&password=correct+horse+battery&csrf=$BS" $O/admin/users
has "says why" "A therapist needs a mail address"
code "admin add user" 303 -b b.jar -H "Origin: $O" --data "name=sue&role=therapist&email=sue%40clinic.test&password=correct+horse+battery&csrf=$BS" $O/admin/users
code "admin add weak password" 400 -b b.jar -H "Origin: $O" --data "name=joe&role=therapist&email=joe%40clinic.test&password=short&csrf=$BS" $O/admin/users
code "admin permit" 303 -b b.jar -H "Origin: $O" --data-urlencode "reference=letter from the authors" --data "instrument=rses&csrf=$BS" $O/admin/permit
code "admin disable" 303 -b b.jar -H "Origin: $O" --data "name=sue&csrf=$BS" $O/admin/disable
code "admin page after" 200 -b b.jar $O/admin
has "disabled user" "<td>sue</td><td>therapist</td><td>disabled</td>"
has "permission listed in the trail" "permit"
code "admin cannot read a client" 404 -b b.jar $O/clients/1

# --- the admin's notification settings and outbox, through their forms -------------
# Each field as sent: a value sets, an empty field unsets, an absent one
# keeps, and an empty password keeps the password.
curl -s -b boss.jar -o body $O/admin; BCS=$(csrf)
printf 'kept-secret-pw\n' > smtp.pw
$SB --user boss settings set smtp-password --file smtp.pw > /dev/null
$SB --user boss settings set duty-phone +447700900123 > /dev/null
$SB --user boss settings set sms-from Harbour > /dev/null
code "settings saved" 303 -b boss.jar -H "Origin: $O" --data "csrf=$BCS&practice-name=Quay+Practice&duty-phone=&smtp-password=" $O/admin/settings
$SB --user boss settings show > out 2>&1
grep -q "^practice-name.Quay Practice$" out && ok || bad "the practice's name was not set: $(grep practice-name out)"
grep -q "^duty-phone.(not set)$" out && ok || bad "an empty field did not unset: $(grep duty-phone out)"
grep -q "^sms-from.Harbour$" out && ok || bad "an absent field did not keep: $(grep sms-from out)"
grep -q "^smtp-password.(set, not shown)$" out && ok || bad "an empty password field did not keep the password: $(grep smtp-password out)"
code "settings: a bad value" 400 -b boss.jar -H "Origin: $O" --data "csrf=$BCS&escalate-minutes=soon" $O/admin/settings
code "resend: a message that is no number" 400 -b boss.jar -H "Origin: $O" --data "csrf=$BCS&message=abc" $O/admin/resend
has "resend says which" "Its number is in the outbox."
$SB --user boss settings set practice-name "Harbour & Pier Practice" > /dev/null
$SB --user boss settings unset sms-from > /dev/null

# --- logout ------------------------------------------------------------------------
code "logout" 303 -b a.jar -c a.jar -H "Origin: $O" --data "csrf=$CS" $O/logout
code "after logout" 303 -b a.jar $O/
$SB audit verify > /dev/null && ok || bad "audit trail does not verify after the web tests"

# --- a session that ended while a form was being written: nothing lost -----------
login anna w.jar > /dev/null
curl -s -b w.jar -o body $O/clients/1; WCS=$(csrf)
sbsql p.db "UPDATE web_sessions SET last_seen = last_seen - 7200" > /dev/null
code "a page asked for after the session ended" 303 -D hdr -b w.jar $O/clients/1
grep -qi "^location: /login?next=/clients/1" hdr && ok || bad "the login does not lead back to the page"
KEPT="Written after the session ended: Mum's last letter <b>, line one.
Line two."
code "a form sent after the session ended" 401 -c w.jar -b w.jar -H "Origin: $O" --data-urlencode "text=$KEPT" --data "csrf=$WCS" $O/clients/1/narratives/caregivers
has "... is carried in the login form" '<textarea hidden name="keep.text">'
has "... escaped" "Mum&#39;s last letter &lt;b&gt;, line one."
has "... with where it was going" 'name="next" value="/clients/1/narratives/caregivers"'
has "... saying why" "signed out after 30 minutes"
lacks "... never its old token" "keep.csrf"
pre=$(csrf)
code "a mistyped password keeps it too" 403 -c w.jar -b w.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data "user=anna" --data-urlencode "password=wrong" --data-urlencode "next=/clients/1/narratives/caregivers" --data-urlencode "keep.text=$KEPT" $O/login
has "... carried again" '<textarea hidden name="keep.text">'
has "... as it was" "Mum&#39;s last letter &lt;b&gt;, line one."
pre=$(csrf)
code "signing in again shows it, to send again" 200 -c w.jar -b w.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data "user=anna" --data-urlencode "password=correct horse battery" --data-urlencode "next=/clients/1/narratives/caregivers" --data-urlencode "keep.text=$KEPT" $O/login
has "... as it was written" "Mum&#39;s last letter &lt;b&gt;, line one."
has "... to the same place" 'action="/clients/1/narratives/caregivers"'
NCS=$(csrf)
code "... and sent again, it is kept" 303 -b w.jar -H "Origin: $O" --data-urlencode "text=$KEPT" --data "csrf=$NCS" $O/clients/1/narratives/caregivers
code "... as the latest draft" 200 -b w.jar $O/clients/1/narratives/caregivers
has "... shown" "Mum&#39;s last letter &lt;b&gt;, line one."
curl -s -c x.jar -o body $O/login; pre=$(csrf)
code "a login leads back to a page of ours" 303 -D hdr -c x.jar -b x.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data "user=anna" --data-urlencode "password=correct horse battery" --data-urlencode "next=/clients/1" $O/login
grep -qi "^location: /clients/1" hdr && ok || bad "the login did not lead back"
curl -s -c y.jar -o body $O/login; pre=$(csrf)
code "... never to another site" 303 -D hdr -c y.jar -b y.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data "user=anna" --data-urlencode "password=correct horse battery" --data-urlencode "next=//evil.example/x" $O/login
grep -qi "^location: /$(printf '\r')" hdr && ok || bad "the login followed a foreign next"
sbsql p.db "UPDATE web_sessions SET last_seen = last_seen - 7200" > /dev/null
code "an account's form is not carried" 303 -b w.jar -H "Origin: $O" --data "current=old+secret&new=new+secret&again=new+secret&csrf=$WCS" $O/account/password
lacks "... no password written into a page" "secret"
code "a form from another site without a session is not carried" 303 -H "Origin: https://evil.example" --data-urlencode "text=planted" --data "csrf=x" $O/clients/1/narratives/caregivers
lacks "... nothing of it" "planted"

# --- the demo practice -----------------------------------------------------------
kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null
mkdir demo && cd demo
# On PostgreSQL the demo is built in an empty database of the cluster.
if sb_pg; then DEMO_DB="--db demo.db"; else DEMO_DB=""; fi
env -u SECUREBASE_DB $SB $DEMO_DB demo --port $PORT > demo.log 2>&1 &
PID=$!
i=0
until grep -q "serving" demo.log 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 300 ] && { echo "demo did not start"; cat demo.log; break; }
	sleep 0.1
done
DPW=$(sed -n 's/^ *password: //p' demo.log)
curl -s -c d.jar -b d.jar -o body $O/login; pre=$(csrf)
code "demo login" 303 -c d.jar -b d.jar -H "Origin: $O" --data-urlencode "csrf=$pre" --data "user=therapist" --data-urlencode "password=$DPW" $O/login
code "demo dashboard" 200 -b d.jar $O/
has "demo clients" "Wren Castellano"
has "demo alerts" "risk item endorsed"
# The demo tells its story in its own times: each open alert raised when
# its answer was given (none today), the older ones handled then.
TODAY=$(date -u +%Y-%m-%d)
has "an open alert is dated" 'risk item endorsed</strong> <span class="muted">raised <time datetime="'
lacks "none raised today" "raised <time datetime=\"$TODAY"
# (the day before, when the demo was built; two days before just after
# midnight)
grep -Eq "risk item endorsed</strong> <span class=\"muted\">raised <time datetime=\"($(date -u -d yesterday +%Y-%m-%d)|$(date -u -d '2 days ago' +%Y-%m-%d))" body && ok || bad "yesterday's risk answer is not the open alert"
has "demo deterioration" "reliable deterioration"
has "demo caseload names the ECR-RS figure" "ECR-RS Attachment anxiety (mother) <strong>"
[ "$(grep -o '<tr><td><a href="/clients/[0-9]*">' body | wc -l)" -eq 14 ] && ok || bad "demo does not list 14 clients (12 and a couple)"
code "demo client" 200 -b d.jar $O/clients/1
lacks "a client since their first session, not today" "client since <time datetime=\"$TODAY"
code "a demo client with alerts" 200 -b d.jar "$O/clients/3?section=care"
has "an alert's words keep their time" "at the time (RC"
lacks "and never say now" "now (RC"
has "an old risk alert handled then" "Phoned the next morning"
code "a demo client's history" 200 -b d.jar "$O/clients/3?section=history"
has "demo history" "separation"
cd ..

# serve writes the audit trail's anchor to the system log and stderr at
# start; it checks against the database.
grep -q "securebase serve: securebase-anchor 1 seq=[0-9]* epoch=" serve.log && ok || bad "serve wrote no audit anchor"
A=$(grep -o "securebase-anchor 1 .*" serve.log | head -1)
$SB audit verify --anchor "$A" > /dev/null 2>&1 && ok || bad "serve's anchor does not verify"
finish "web ($1)"
