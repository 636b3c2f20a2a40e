#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# account.sh BINARY - passwords and a user's own account: weak passwords
# refused (command line and web), a password set under the older rules
# found at login and changed before anything else, a user changing their
# own password and setting up the second factor from the QR code in the
# page (decoded by zbar, its code computed by node), their other sessions
# ended by either, and a user listing and ending their own sessions only.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 7) % 12000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }

practice
$SB --user boss user add anna --role therapist --password-file pw
$SB --user boss user add tom --role therapist --password-file pw
$SB --user boss user add olga --role therapist --password-file pw

# --- the rules, on the command line -------------------------------------------
# weak NAME PASSWORD WHY: `user add` refuses it, saying why, adding nobody.
weak() {
	printf '%s\n' "$2" > wpw
	$SB --user boss user add "$1" --role therapist --password-file wpw > out 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -qF -- "$3" out && ok || { bad "password [$2] for $1: rc $rc: $(cat out)"; }
	[ -z "$(q "SELECT 1 FROM users WHERE name = '$1'")" ] && ok || bad "user $1 added with [$2]"
}
weak u1 password "at least 12 characters"
weak u2 12345678 "at least 12 characters"
weak u3 "        " "only spaces"
weak u4 "              " "only spaces"
weak u5 "eleven char" "at least 12 characters"
weak u6 passwordpassword "known from breaches"
weak u7 PasswordPassword "known from breaches"
weak u8 qwertyuiopasdfghjkl "known from breaches"
weak annabelle1234 ANNABELLE1234 "cannot be the user name"
printf 'password\n' > wpw
$SB --user anna user passwd anna --password-file wpw > out 2>&1
[ $? -eq 1 ] && grep -q "at least 12" out && ok || bad "user passwd took 'password'"
printf 'password\n' > wpw
$SB init --db w.db --admin boss --admin-password-file wpw > out 2>&1
[ $? -eq 1 ] && [ ! -e w.db ] && [ ! -e w.db.key ] && ok || bad "init with 'password' made a practice"
# Twelve characters of text that is in no list are fine, accents too.
printf 'tä tä tä tä tä\n' > wpw
$SB --user boss user add ulla --role therapist --password-file wpw > out 2>&1 && ok || bad "a good password refused: $(cat out)"

serve_start

# --- the rules, on the administration page -------------------------------------
[ "$(login boss b.jar)" = 303 ] && ok || bad "boss cannot log in"
curl -s -b b.jar -o body $O/admin; BS=$(csrf)
code "admin adds a user with a common password" 400 -b b.jar -H "Origin: $O" --data-urlencode "csrf=$BS" --data "name=joe&role=therapist&email=joe%40clinic.test" --data-urlencode "password=iloveyou1234" $O/admin/users
has "the page says why" "known from breaches"

# --- a password under the older rules: found at login, changed first ----------
# An Argon2id hash of "password1" made by the argon2 tool (not by
# securebase), as an older securebase would have stored it.
# Carried over as an earlier system's hash (user passwd --hash-file),
# not written into the database by hand: that would be refused as a row
# changed outside securebase (tests/cli/integrity.sh).
printf 'password1' | argon2 "olgasaltolgasalt" -id -t 2 -k 65536 -p 1 -e > olga.hash
$SB --user boss user passwd olga --hash-file olga.hash && ok || bad "an Argon2id hash carried over is refused"
printf 'not a hash\n' > bad.hash
$SB --user boss user passwd olga --hash-file bad.hash 2> err && bad "a line that is no hash was taken" || ok
grep -q "not an Argon2id hash" err && ok || bad "the refusal says: $(cat err)"
[ "$(login olga o.jar password1)" = 303 ] && ok || bad "olga's old password does not log in"
[ "$(q "SELECT must_change FROM users WHERE name = 'olga'")" = 1 ] && ok || bad "the weak password was not noticed"
code "olga's caseload waits" 303 -b o.jar $O/
curl -s -b o.jar -o /dev/null -w '%{redirect_url}' $O/clients/1 | grep -q "/account$" && ok || bad "olga not sent to /account"
code "olga's account page" 200 -b o.jar $O/account
has "she is told why" "older, weaker rules"
OC=$(csrf)
code "olga's link form refused" 303 -b o.jar -H "Origin: $O" --data "csrf=$OC&instrument=phq9" $O/clients/1/links
code "olga keeps a weak one" 400 -b o.jar -H "Origin: $O" --data-urlencode "csrf=$OC" --data-urlencode "current=password1" --data-urlencode "new=password1234" --data-urlencode "again=password1234" $O/account/password
code "olga changes it" 303 -b o.jar -H "Origin: $O" --data-urlencode "csrf=$OC" --data-urlencode "current=password1" --data-urlencode "new=seven blue herons" --data-urlencode "again=seven blue herons" $O/account/password
code "olga's caseload now" 200 -b o.jar $O/
[ "$(q "SELECT must_change FROM users WHERE name = 'olga'")" = 0 ] && ok || bad "must_change stays"

# --- changing one's own password ends the other sessions -----------------------
[ "$(login anna a1.jar)" = 303 ] && ok || bad "anna cannot log in (1)"
[ "$(login anna a2.jar)" = 303 ] && ok || bad "anna cannot log in (2)"
code "anna's account" 200 -b a1.jar $O/account
AC=$(csrf)
[ "$(grep -o '<tr><td data-label="Started"><time datetime="[0-9TZ:-]*" title="[^"]*">today [0-9:]*</time>' body | wc -l)" -eq 2 ] && ok || bad "anna's two sessions not listed"
has "the current one marked" "this one"
has "the address shown" "127.0.0.1"
code "new passwords differ" 400 -b a1.jar -H "Origin: $O" --data-urlencode "csrf=$AC" --data-urlencode "current=correct horse battery" --data-urlencode "new=a quiet lake at dawn" --data-urlencode "again=a quiet lake at dusk" $O/account/password
code "wrong current password" 403 -b a1.jar -H "Origin: $O" --data-urlencode "csrf=$AC" --data-urlencode "current=wrong horse battery" --data-urlencode "new=a quiet lake at dawn" --data-urlencode "again=a quiet lake at dawn" $O/account/password
code "no CSRF" 403 -b a1.jar -H "Origin: $O" --data-urlencode "current=correct horse battery" --data-urlencode "new=a quiet lake at dawn" --data-urlencode "again=a quiet lake at dawn" $O/account/password
code "common new password" 400 -b a1.jar -H "Origin: $O" --data-urlencode "csrf=$AC" --data-urlencode "current=correct horse battery" --data-urlencode "new=123456789012" --data-urlencode "again=123456789012" $O/account/password
has "says why" "known from breaches"
[ "$(login anna a3.jar)" = 303 ] && ok || bad "a refused change changed the password"
code "password changed" 303 -b a1.jar -H "Origin: $O" --data-urlencode "csrf=$AC" --data-urlencode "current=correct horse battery" --data-urlencode "new=a quiet lake at dawn" --data-urlencode "again=a quiet lake at dawn" $O/account/password
code "this session goes on" 200 -b a1.jar $O/
code "the other session ended" 303 -b a2.jar $O/
code "and the third" 303 -b a3.jar $O/
[ "$(login anna a4.jar)" = 403 ] && ok || bad "the old password still works"
[ "$(login anna a4.jar "a quiet lake at dawn")" = 303 ] && ok || bad "the new password does not work"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'user-passwd'")" -ge 1 ] && ok || bad "the change was not audited"

# --- the second factor, set up in the page --------------------------------------
curl -s -b a1.jar -o body $O/account; AC=$(csrf)
code "set-up page" 200 -b a1.jar -H "Origin: $O" --data "csrf=$AC" $O/account/totp
has "a QR code" 'QR code of your second-factor secret'
sed -n 's/.*\(<svg role="img" aria-labelledby="t-qr".*<\/svg>\).*/\1/p' body | sed 's#<title[^<]*</title>##' > qr.svg
rsvg-convert -w 480 qr.svg > qr.png 2>/dev/null
URI=$(zbarimg -q --raw qr.png 2>/dev/null)
case "$URI" in otpauth://totp/securebase:anna\?secret=*) ok ;; *) bad "the QR code is not anna's otpauth URI: $URI" ;; esac
SECRET=$(printf '%s' "$URI" | sed -n 's/.*secret=\([A-Z2-7]*\)&.*/\1/p')
grep -qF "<code>$SECRET</code>" body && ok || bad "the typed key differs from the QR code's"
HEX=$(grep -o 'name="secret" value="[0-9a-f]*"' body | sed 's/.*value="//;s/"//')
[ "$(q "SELECT CASE WHEN totp IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'anna'")" = 1 ] && ok || bad "the set-up page already turned it on"
code "a wrong code" 400 -b a1.jar -H "Origin: $O" --data "csrf=$AC&secret=$HEX&code=000000" --data-urlencode "current=a quiet lake at dawn" $O/account/totp-on
code "a wrong password" 403 -b a1.jar -H "Origin: $O" --data "csrf=$AC&secret=$HEX&code=$(totp "$SECRET")" --data-urlencode "current=correct horse battery" $O/account/totp-on
[ "$(q "SELECT CASE WHEN totp IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'anna'")" = 1 ] && ok || bad "a refused set-up turned it on"
code "turned on" 303 -D hdr -b a1.jar -H "Origin: $O" --data "csrf=$AC&secret=$HEX&code=$(totp "$SECRET")" --data-urlencode "current=a quiet lake at dawn" $O/account/totp-on
grep -qi "^set-cookie: __Host-sbsaid=totp;" hdr && ok || bad "turning it on leaves no word for the next page"
# The browser sends the word back once (a Secure cookie: curl keeps none
# from plain http, so it is given here as the browser would).
code "this session goes on" 200 -b a1.jar -b "__Host-sbsaid=totp" "$O/account"
has "it says so" "Your second factor is set"
has "and shows it on" "On: you log in with a code"
code "the other session ended" 303 -b a4.jar $O/
[ "$(login anna a5.jar "a quiet lake at dawn")" = 403 ] && ok || bad "logged in without the code"
sleep 1
[ "$(login anna a5.jar "a quiet lake at dawn" "$(totp "$SECRET")")" = 303 ] && ok || bad "the app's code does not log in"

# --- listing and ending sessions: one's own only --------------------------------
[ "$(login tom t1.jar)" = 303 ] && ok || bad "tom cannot log in"
curl -s -b t1.jar -o body $O/account; TC=$(csrf)
TID=$(grep -o 'name="id" value="[0-9]*"' body | head -1 | sed 's/.*value="//;s/"//')
curl -s -b a1.jar -o body $O/account; AC=$(csrf)
code "anna ends tom's session" 404 -b a1.jar -H "Origin: $O" --data "csrf=$AC&id=$TID" $O/account/sessions
code "tom is still in" 200 -b t1.jar $O/
code "anna ends her others" 303 -b a1.jar -H "Origin: $O" --data "csrf=$AC&id=others" $O/account/sessions
code "her other session ended" 303 -b a5.jar $O/
code "this one goes on" 200 -b a1.jar $O/account
MID=$(grep -o 'name="id" value="[0-9]*"' body | head -1 | sed 's/.*value="//;s/"//')
curl -s -D hdr -o body -b a1.jar -H "Origin: $O" --data "csrf=$AC&id=$MID" $O/account/sessions
grep -qi '^location: /login' hdr && grep -qi 'set-cookie: __Host-sb=;' hdr && ok || bad "ending this session does not log out"
code "logged out" 303 -b a1.jar $O/
[ "$(q "SELECT count(*) FROM audit WHERE action = 'session-end'")" -ge 2 ] && ok || bad "ending sessions not audited"
code "tom's session still there" 200 -b t1.jar $O/

# --- the name clients read (issue 35) --------------------------------------------
# olga (signed in above) sets it on her account page; a link she sends names her by it, an
# admin's page has no such form, and a line break or 81 bytes are
# refused in words with nothing saved.
curl -s -b o.jar -o body $O/account; OC=$(csrf)
has "the form" 'name="display"'
has "what empty means" 'Empty: your user name, olga.'
code "a line break" 400 -b o.jar -H "Origin: $O" --data-urlencode "csrf=$OC" --data-urlencode "display=$(printf 'Dr Olga\nPetrova')" $O/account/display
has "says why" "one line"
code "81 bytes" 400 -b o.jar -H "Origin: $O" --data-urlencode "csrf=$OC" --data-urlencode "display=$(printf '%081d' 0)" $O/account/display
has "says how long" "at most 80 bytes"
[ "$(q "SELECT count(*) FROM users WHERE display IS NOT NULL")" = 0 ] && ok || bad "a refused name was saved"
code "no token, no change" 403 -b o.jar -H "Origin: $O" --data-urlencode "display=Dr X" $O/account/display
code "saved" 303 -D hdr -b o.jar -H "Origin: $O" --data-urlencode "csrf=$OC" --data-urlencode "display=Dr Olga Petrova <b>" $O/account/display
grep -qi "^set-cookie: __Host-sbsaid=name;" hdr && ok || bad "saving the name says nothing on the next page"
code "the page again" 200 -b o.jar -b "__Host-sbsaid=name" $O/account
has "said" "clients read this name from now on"
has "shown escaped" 'value="Dr Olga Petrova &lt;b&gt;"'
[ "$(q "SELECT count(*) FROM audit WHERE action = 'user-display'")" = 1 ] && ok || bad "the name change is not audited"
oc=$($SB --user olga client add --name "Pia Client" --json | tr -dc 0-9)
URL=$($SB --user olga link create --client "$oc" --instrument phq9 --origin $O)
code "the client's link" 200 "$URL"
has "names her" "from your therapist, Dr Olga Petrova &lt;b&gt;"
lacks "not her user name" "from your therapist, olga"
code "her client's page" 200 -b o.jar "$O/clients/$oc"
has "... names her the same way" "Therapist Dr Olga Petrova &lt;b&gt;, client since"
curl -s -b b.jar -o body $O/account
lacks "no name form for an admin" 'name="display"'

# --- the current password asked again: counted, and five wrong end it ----------
# (issue 31) An open session is not a way to guess the password at
# hashing speed: each wrong "current" counts in tom's back-off, and the
# fifth ends the session that typed it.
curl -s -b t1.jar -o body $O/account; TC=$(csrf)
for k in 1 2 3 4; do
	code "a wrong current password ($k)" 403 -b t1.jar -H "Origin: $O" --data-urlencode "csrf=$TC" --data-urlencode "current=guess number $k" --data-urlencode "new=another good pass" --data-urlencode "again=another good pass" $O/account/password
done
code "tom's session after four" 200 -b t1.jar $O/account
curl -s -D hdr -o body -b t1.jar -H "Origin: $O" --data-urlencode "csrf=$TC" --data-urlencode "current=guess number 5" --data-urlencode "new=another good pass" --data-urlencode "again=another good pass" $O/account/password
head -1 hdr | grep -q " 403" && ok || bad "the fifth wrong password: $(head -1 hdr)"
grep -qi 'set-cookie: __Host-sb=;' hdr && ok || bad "the fifth does not clear the session cookie"
has "the page says the session ended" "this session has been ended"
code "the session is gone" 303 -b t1.jar $O/
[ "$(q "SELECT count(*) FROM audit WHERE action = 'reauth-failed' AND user_name = 'tom'")" = 5 ] && ok || bad "tom's wrong current passwords are not audited: $(q "SELECT count(*) FROM audit WHERE action = 'reauth-failed' AND user_name = 'tom'")"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'session-ended'")" = 1 ] && ok || bad "the ended session is not audited"
# They counted as sign-ins from this address: the door waits too.
[ "$(login tom t6.jar)" = 429 ] && ok || bad "tom signs in at once after five wrong current passwords"
# A right one, in another session, is audited and uncounted.
curl -s -b b.jar -o body $O/account; BC=$(csrf)
code "boss's right current password" 303 -b b.jar -H "Origin: $O" --data-urlencode "csrf=$BC" --data-urlencode "current=correct horse battery" --data-urlencode "new=correct horse battery 2" --data-urlencode "again=correct horse battery 2" $O/account/password
[ "$(q "SELECT count(*) FROM audit WHERE action = 'reauth'")" -ge 1 ] && ok || bad "a right current password is not audited"


finish "account ($1)"
