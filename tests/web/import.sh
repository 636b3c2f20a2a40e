#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# import.sh BINARY - a long import does not stop the practice, and is
# still all or nothing.  While 400,000 PHQ-9 rows are being stored, a
# client answers a questionnaire on a link (both pages, 303 then the
# thank-you page) and the therapist's caseload answers; none of the
# import is visible until it is done, then all of it is.  An import that
# fails on its last row, and one killed half-way, leave nothing anyone
# can see.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 29) % 12000))
. "$ROOT/tests/web/lib.sh"
practice
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB --user anna client add --name "Bea Example" > /dev/null
# visible N: administrations of client 1 that reads see (the live view).
visible() { sqlite3 -readonly p.db "SELECT count(*) FROM live_administrations WHERE client_id = 1"; }
# rows N STEP [BAD]: a CSV of N PHQ-9 rows for client 1, with client 99
# (not in the practice) in the last row when BAD is given.  Files made
# with different STEPs hold different answers, so that one is not
# skipped as the other imported again the same day.
rows() {
	/usr/bin/python3 - "$@" <<'EOF'
import sys
n = int(sys.argv[1])
step = int(sys.argv[2])
out = sys.stdout
out.write("id,q1,q2,q3,q4,q5,q6,q7,q8,q9\n")
for i in range(n):
    c = 99 if len(sys.argv) > 3 and i == n - 1 else 1
    a = [(i * 7 + k * step) % 4 for k in range(8)]
    out.write("%d,%s,0\n" % (c, ",".join(map(str, a))))
EOF
}
rows 400000 1 > big.csv
rows 60000 2 bad > bad.csv
rows 150000 3 > kill.csv

serve_start
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot log in"
curl -s -o body -b a.jar $O/clients/2; CS=$(csrf)
curl -s -o body -b a.jar -H "Origin: $O" --data "instrument=phq9&csrf=$CS" $O/clients/2/links
URL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1)
[ -n "$URL" ] && ok || bad "no link made"
curl -s -o body "$URL"; QC=$(csrf)

# The import, and while it stores its rows, the client and the therapist.
$SB --user anna import --csv big.csv --instrument phq9 --client 1 > imp.out 2> imp.err &
IPID=$!
i=0
until grep -q "storing them" imp.err; do
	i=$((i + 1)); [ $i -gt 600 ] && break
	kill -0 $IPID 2>/dev/null || break
	sleep 0.1
done
grep -q "400000 rows are valid; storing them" imp.err && ok || bad "the import did not say it is storing: $(cat imp.err)"
[ "$(visible)" = 0 ] && ok || bad "part of an open import is visible: $(visible) rows"
code "the client sends page 1 during the import" 303 -H "Origin: $O" --data "csrf=$QC&p=0&q1=1&q2=2&q3=1&q4=0&q5=1&go=next" "$URL"
code "the client sends page 2 during the import" 200 -H "Origin: $O" --data "csrf=$QC&p=1&q6=0&q7=1&q8=0&q9=0&go=next" "$URL"
has "the client is thanked" "Your answers have been sent to your therapist"
code "the caseload during the import" 200 -b a.jar $O/
has "the caseload lists the clients" "Bea Example"
kill -0 $IPID 2>/dev/null && ok || bad "the import ended before the client answered; the test proves nothing"
wait $IPID; rc=$?
[ $rc = 0 ] && ok || bad "the import failed ($rc): $(cat imp.err)"
grep -q "imported 400000 administrations of phq9" imp.out && ok || bad "import output: $(cat imp.out)"
[ "$(visible)" = 400000 ] && ok || bad "after the import $(visible) rows are visible, expected 400000"
[ "$(sqlite3 -readonly p.db "SELECT count(*) FROM live_administrations WHERE client_id = 2 AND mode = 'link'")" = 1 ] && ok || bad "the client's answers are not stored"
code "client 2's page shows the answers" 200 -b a.jar $O/clients/2
has "the answered PHQ-9 on the client page" "PHQ-9"

# Failing on its last row (no client 99): found before anything of it is
# stored (an import that fails while storing is abandoned whole:
# tests/test_store.c import_abandoned_leaves_nothing).
$SB --user anna import --csv bad.csv --instrument phq9 > bad.out 2> bad.err
[ $? = 1 ] && ok || bad "an import with an unknown client succeeded"
grep -q "row 60000: no client 99; nothing imported" bad.err && ok || bad "the failed import says: $(cat bad.err)"
[ "$(visible)" = 400000 ] && ok || bad "a failed import left rows: $(visible)"
[ "$(sqlite3 -readonly p.db "SELECT count(*) FROM administrations")" = 400001 ] && ok || bad "a failed import's rows were not deleted"

# Killed half-way: its rows stay hidden.
$SB --user anna import --csv kill.csv --instrument phq9 --client 1 > /dev/null 2> kill.err &
KPID=$!
i=0
until grep -q "storing them" kill.err; do
	i=$((i + 1)); [ $i -gt 300 ] && break
	sleep 0.1
done
sleep 0.3
kill -9 $KPID; wait $KPID 2>/dev/null
[ "$(sqlite3 -readonly p.db "SELECT count(*) FROM administrations")" -gt 400001 ] && ok || bad "the killed import had stored nothing; the test proves nothing"
[ "$(visible)" = 400000 ] && ok || bad "a killed import's rows are visible: $(visible)"
code "the caseload after a killed import" 200 -b a.jar $O/

kill $PID; wait $PID 2>/dev/null; PID=
$SB audit verify > av.out 2>&1 && ok || bad "audit verify: $(cat av.out)"
finish "import ($1)"
