#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# sandbox.sh TEST-BUILD - serve gives up what it never needs (issue 31,
# web/sandbox.h): in the test build (the ASan one, which has the route
# /test/escape), a program run and /etc/shadow read are both refused and
# logged, while pages and a PDF report are made as ever.  Every other
# web suite runs under the same sandbox (serve always enters it).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 37) % 11000))
. "$ROOT/tests/web/lib.sh"
practice 2> /dev/null
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test > /dev/null 2>&1
$SB --user anna client add --name "Ada Example" > /dev/null
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,0\n' > a.csv
$SB --user anna import --csv a.csv --instrument phq9 --client 1 --date 2026-11-30 > /dev/null
serve_start
grep -q "sandbox: seccomp (no new processes, ptrace, mounts, modules, keyrings, raw sockets)" serve.log && ok || bad "serve does not say it entered the sandbox: $(head -3 serve.log)"
# Where the kernel offers Landlock it is used, and said; where not, that
# is said instead (and /etc/shadow is then only as closed as its mode).
if grep -q "and Landlock [0-9]" serve.log; then landlock=1; ok
elif grep -q "this kernel offers no Landlock" serve.log; then landlock=0; ok
else landlock=0; bad "serve says nothing of Landlock: $(head -3 serve.log)"; fi

code "the test build's escape route" 200 $O/test/escape
has "a program is not run" "execve /bin/true: refused (Operation not permitted)"
if [ $landlock = 1 ]; then
	has "the password hashes are not read" "open /etc/shadow: refused"
	grep -q "event=sandbox tried=/etc/shadow result=refused" serve.log && ok || bad "the refused read is not logged"
fi
grep -q "event=sandbox tried=execve result=refused" serve.log && ok || bad "the refused execve is not logged"
kill -0 $PID 2> /dev/null && ok || bad "the server is gone after the escape route"

# The practice works as ever inside it: a page, a write, a PDF.
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in in the sandbox"
code "the client page" 200 -b a.jar $O/clients/1
has "the client page" "Ada Example"
CS=$(csrf)
code "a note written" 303 -b a.jar -H "Origin: $O" --data-urlencode "csrf=$CS" --data-urlencode "text=Seen in the sandbox." $O/clients/1/notes
curl -s -b a.jar -o r.pdf -w '%{http_code}' $O/clients/1/report | grep -q 200 && ok || bad "the report"
pdftotext r.pdf r.txt 2> /dev/null && grep -q "PHQ-9" r.txt && ok || bad "the report is not a PDF with the PHQ-9: $(head -c 200 r.pdf | tr -d '\0')"
kill $PID; wait $PID 2> /dev/null; PID=
$SB audit verify > out 2>&1 && ok || bad "audit verify after the sandboxed server: $(cat out)"
finish "sandbox ($1)"
