#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# writer.sh BINARY - writers that wait their turn: a client on a link and
# a therapist making a link, blocked by another writer, are told to try
# again, never an internal message; and one long-lived writer at a time:
# `restore --replace` is refused while `serve` runs (it names the
# server's pid, and the database is left as it was), `serve` refuses a
# database being restored, a server whose database file is replaced
# anyway stops at once instead of acknowledging writes into the old
# file, and once the server is stopped the restore goes through.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 17) % 12000))
. "$ROOT/tests/web/lib.sh"
practice
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB backup b.db > /dev/null || exit 1
$SB --user anna client add --name "After the backup" > /dev/null

serve_start

# While another writer holds the database longer than the wait for it
# (5 s), a client on a link and a therapist making a link are told, in
# words, to try again; no internal message ("database is locked")
# reaches them, and the client's answers stay in the page.
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot log in"
curl -s -o body -b a.jar $O/clients/1; CS=$(csrf)
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=phq9&csrf=$CS" $O/clients/1/links
URL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=narrative&csrf=$CS" $O/clients/1/links
NURL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
curl -s -o body "$URL"; QC=$(csrf)
curl -s -o body "$NURL"; NC=$(csrf)
# lock_hold NAME: another writer (sqlite3) holds the database until
# lock_release; it waits for no one, so a test holds it as long as its
# requests need.
lock_hold() {
	mkfifo "$1.in"
	sqlite3 p.db < "$1.in" &
	LPID=$!
	exec 3> "$1.in"
	echo "BEGIN IMMEDIATE;" >&3
	sleep 0.5
}
lock_release() {
	echo "COMMIT;" >&3
	exec 3>&-
	wait $LPID
}
# The lock is held until all three have their answer: two requests may
# land on one of the server's threads and wait their turn there, so a
# fixed hold could end before the last one starts waiting for the lock.
lock_hold lock
curl -s -o q.body -w '%{http_code}' -H "Origin: $O" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL" > q.code &
P1=$!
curl -s -o n.body -w '%{http_code}' -H "Origin: $O" --data-urlencode "csrf=$NC" --data "p=0&go=next" --data-urlencode "text=My mother kept a garden." "$NURL" > n.code &
P2=$!
curl -s -o l.body -w '%{http_code}' -b a.jar -H "Origin: $O" --data "instrument=phq9&csrf=$CS" $O/clients/1/links > l.code &
P3=$!
wait $P1 $P2 $P3
lock_release
for f in q n l; do
	[ "$(cat $f.code)" = 503 ] && ok || bad "$f under a held lock: HTTP $(cat $f.code)"
	grep -qi "is locked\|transaction\|sqlite\|disk is full\|out of memory" $f.body && bad "$f shows an internal message: $(grep -o '<p>[^<]*' $f.body)" || ok
done
grep -q "please press the button again" q.body && ok || bad "the questionnaire does not say to send again"
# ... on the same page, with what they chose still chosen (q1..q5 = 1),
# and with nothing saying their therapist will see it.
[ "$(grep -o 'name="q[1-5]" value="1" checked' q.body | wc -l)" = 5 ] && ok || bad "the client's answers are not kept in the page"
grep -q "will see this answer" q.body && bad "an unsaved page promises the therapist will see it" || ok
grep -q "please press the button again" n.body && ok || bad "the narrative does not say to send again"
grep -q "<textarea[^>]*>My mother kept a garden.</textarea>" n.body && ok || bad "what the client wrote is not kept in the page"
grep -q "could not be made just now" l.body && ok || bad "link creation does not say what went wrong: $(cat l.body | head -c 300)"
code "the questionnaire page, sent again" 303 -H "Origin: $O" --data "csrf=$QC&p=0&q1=1&q2=1&q3=1&q4=1&q5=1&go=next" "$URL"

# Logging out while another writer holds the database: the session cannot
# be ended, so the browser keeps its cookie and the user is told, rather
# than a cleared cookie over a session the server still honours.
lock_hold lock2
curl -s -o out.body -D out.head -w '%{http_code}' -b a.jar -H "Origin: $O" --data "csrf=$CS" $O/logout > out.code
lock_release
[ "$(cat out.code)" = 503 ] && ok || bad "logout under a held lock: HTTP $(cat out.code)"
grep -qi "^set-cookie" out.head && bad "a failed logout clears the cookie: $(grep -i set-cookie out.head)" || ok
grep -q "You are not signed out yet" out.body && ok || bad "a failed logout does not say so: $(head -c 300 out.body)"
code "still signed in after the failed logout" 200 -b a.jar $O/
code "logout, once the database is free" 303 -b a.jar -c a.jar -H "Origin: $O" --data "csrf=$CS" $O/logout
code "signed out after it" 303 -b a.jar $O/

cp p.db p.db.before
$SB restore b.db --db p.db --replace > out 2>&1
rc=$?
[ $rc -ne 0 ] && ok || bad "restore --replace went through while serving"
grep -q "in use (securebase serve, pid $PID): stop it first" out && ok || bad "the refusal does not name the server: $(cat out)"
$SB --user anna client list | grep -q "After the backup" && ok || bad "the refused restore changed the practice"
[ ! -e p.db.restore ] && ok || bad "a refused restore left p.db.restore"

# A second server on the same practice is refused too.
$SB serve --listen 127.0.0.1:$((PORT + 1)) > out2 2>&1
[ $? -ne 0 ] && grep -q "in use" out2 && ok || bad "a second serve started: $(cat out2)"

# The file replaced from under the server anyway (mv, not restore): the
# server stops within a few seconds, saying why.
cp p.db moved.db && mv moved.db p.db
i=0; while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $PID 2>/dev/null && bad "the server goes on with a replaced database" || ok
grep -q "p.db was replaced or removed while serving; stopping" serve.log && ok || bad "no log line: $(cat serve.log)"
wait $PID; rc=$?
[ $rc -ne 0 ] && ok || bad "serve exited 0 after its database was replaced"
PID=

# A restore in progress (its lock held): serve refuses to start.
flock p.db.lock sleep 3 &
FPID=$!
sleep 0.3
$SB serve --listen 127.0.0.1:$((PORT + 1)) > out3 2>&1
[ $? -ne 0 ] && grep -q "in use" out3 && ok || bad "serve started during a restore: $(cat out3)"
wait $FPID

# Stopped: the restore goes through.
$SB restore b.db --db p.db --replace > out 2>&1 && ok || bad "restore after stopping: $(cat out)"
$SB --user anna client list | grep -q "After the backup" && bad "the restore did not take" || ok
finish "writer ($1)"
