#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# outage.sh - two `securebase serve` nodes over one PostgreSQL database
# while the database is away (issue 32): with the server stopped, a
# client's link and a therapist's pages answer 503 with Retry-After in
# words for whoever asked, never "this link is not valid", a redirect to
# the login page or "form expired"; a questionnaire page that was sent
# comes back with the answers chosen, to send again; posts sent again
# during the outage do not use up the link's minute.  When the server is
# back, the first request on every node succeeds (a pooled connection
# the server dropped is made again before it fails anyone), and the kept
# answers, sent again, are saved.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=${1:-$ROOT/build/securebase}
. tests/pg/cluster.sh
. tests/pg/helpers.sh
T=$(mktemp -d)
stop_all() {
	for p in ${PA:-} ${PB:-}; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	pg_stop
	rm -rf "$T"
}
trap stop_all EXIT
if ! pg_start; then
	echo "outage: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
cd "$T"
set -- $(free_ports 2)
NA=$1 NB=$2
A=http://127.0.0.1:$NA B=http://127.0.0.1:$NB
DB=$(pg_newdb practice) || exit 1
export SECUREBASE_DB="$DB" SECUREBASE_KEY_FILE="$T/practice.key"
printf 'correct horse battery\n' > pw
$SB init --admin boss --admin-password-file pw > /dev/null || exit 1
$SB --user boss user add anna --role therapist --password-file pw > /dev/null
$SB --user anna client add --name "Ada Example" > /dev/null
PA=$(serve_node "$NA" "$A"); PB=$(serve_node "$NB" "$A")
wait_up "$A"; wait_up "$B"
pg_down() { $PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m fast -w stop > /dev/null 2>&1; }
pg_up() {
	$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w \
	    -o "-k $PGT -c listen_addresses='' -c max_connections=200" start > /dev/null 2>&1
}

csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//;s/"//'; }
curl -s -c jar -b jar -o body "$A/login"
curl -s -c jar -b jar -o /dev/null -H "Origin: $A" --data-urlencode "csrf=$(csrf body)" \
    --data "user=anna" --data-urlencode "password=correct horse battery" "$A/login"
COOKIE=$(awk '$6 == "__Host-sb" {print $7}' jar)
[ -n "$COOKIE" ] && ok || bad "anna cannot log in"
curl -s -o body -H "Cookie: __Host-sb=$COOKIE" "$A/clients/1"
curl -s -o body -H "Cookie: __Host-sb=$COOKIE" -H "Origin: $A" \
    --data "instrument=phq9&csrf=$(csrf body)" "$A/clients/1/links"
L=$(grep -o "$A/q/[0-9a-f]\{64\}" body | head -1 | sed "s#$A##")
[ -n "$L" ] && ok || bad "no link was made"
curl -s -o q.html "$A$L"
QC=$(csrf q.html)
# The first page's items, each answered with its second option.
ANS=$(grep -o '<input type="radio" name="[^"]*" value="1"' q.html | sed 's/.*name="//;s/".*//' |
    while read -r n; do printf '&%s=1' "$n"; done)
[ -n "$ANS" ] && ok || bad "no items on the questionnaire's first page"
FIRST=$(echo "$ANS" | sed 's/^&//;s/=.*//')

# --- the database away ----------------------------------------------------
pg_down
code() { curl -s -o "$1" -D "$1.h" -w '%{http_code}' "$@"; }
c=$(curl -s -o g.html -D g.h -w '%{http_code}' "$A$L")
[ "$c" = 503 ] && ok || bad "GET of a link with the database away: $c, not 503"
grep -qi '^Retry-After: [0-9]' g.h && ok || bad "no Retry-After on the link's 503"
grep -q "not valid" g.html && bad "the link was called not valid during an outage" || ok
grep -q "try again in a minute" g.html && ok || bad "the 503 page does not say to try again: $(cat g.html)"
c=$(curl -s -o p.html -D p.h -w '%{http_code}' -H "Origin: $A" \
    --data "csrf=$QC&p=0&go=next$ANS" "$B$L")
[ "$c" = 503 ] && ok || bad "POST of a link's page with the database away: $c, not 503"
grep -qi '^Retry-After: [0-9]' p.h && ok || bad "no Retry-After on the post's 503"
grep -q "Your answers so far are kept" p.html && ok || bad "the post's 503 page: $(cat p.html)"
grep -q "<input type=\"hidden\" name=\"$FIRST\" value=\"1\">" p.html && ok ||
    bad "the answer typed ($FIRST=1) is not in the 503 page's form"
grep -q "<form method=\"post\" action=\"$L\">" p.html && ok || bad "the 503 page's form does not go back to the link"
# Sent again and again while the database is away: not the client's
# minute (30 posts a minute through a link).
n429=0
for i in $(seq 1 35); do
	c=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $A" \
	    --data "csrf=$QC&p=0&go=next$ANS" "$A$L")
	[ "$c" = 429 ] && n429=$((n429 + 1))
done
[ "$n429" = 0 ] && ok || bad "$n429 of 35 posts during the outage were refused as too many (429)"
# A signed-in therapist: 503, never the login page.
c=$(curl -s -o t.html -D t.h -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" "$A/clients/1")
[ "$c" = 503 ] && ok || bad "a therapist's page with the database away: $c ($(grep -i '^Location' t.h))"
grep -qi '^Set-Cookie' t.h && bad "the therapist's 503 touches a cookie: $(grep -i '^Set-Cookie' t.h)" || ok
c=$(curl -s -o t2.html -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" -H "Origin: $A" \
    --data "csrf=x&text=Session+notes+written+while+the+database+was+away" "$B/clients/1/notes")
[ "$c" = 503 ] && ok || bad "a therapist's post with the database away: $c"
grep -q 'Session notes written while the database was away' t2.html && ok ||
    bad "the therapist's note is not kept on the 503 page"
curl -s -c jar2 -b jar2 -o /dev/null "$A/login"
c=$(curl -s -c jar2 -b jar2 -o l.html -w '%{http_code}' -H "Origin: $A" \
    --data "csrf=$(awk '$6 == "__Host-sbpre" {print $7}' jar2)&user=anna&password=x" "$A/login")
[ "$c" = 503 ] && ok || bad "a login with the database away: $c"
grep -q "expired" l.html && bad "a login during the outage was told its form expired" || ok
grep -q "correct horse\|password=x\|value=\"x\"" l.html && bad "the 503 page repeats a password" || ok
# A password change sent meanwhile: 503, and none of it in the page.
c=$(curl -s -o pw.html -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" -H "Origin: $A" \
    --data "csrf=x&current=old-secret-words&new=new-secret-words&again=new-secret-words" "$A/account/password")
[ "$c" = 503 ] && ok || bad "a password change with the database away: $c"
grep -q "secret-words" pw.html && bad "the 503 page repeats a password change" || ok
c=$(curl -s -o h.json -w '%{http_code}' "$A/health")
[ "$c" = 503 ] && grep -q '"database": "not answering"' h.json && ok || bad "/health during the outage: $c $(cat h.json)"

# --- the database back: the first request of each node succeeds ------------
pg_up
c=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" "$A/clients/1")
[ "$c" = 200 ] && ok || bad "node A's first request after the restart: $c"
c=$(curl -s -o /dev/null -w '%{http_code}' "$B$L")
[ "$c" = 200 ] && ok || bad "node B's first request after the restart: $c"
# The kept answers, sent again from the 503 page's form, are saved.
c=$(curl -s -o s.html -D s.h -w '%{http_code}' -H "Origin: $A" \
    --data "csrf=$QC&p=0&go=next$ANS" "$A$L")
[ "$c" = 303 ] && grep -qi "^Location: $L?p=1" s.h && ok ||
    bad "the kept answers sent again: $c, $(grep -i '^Location' s.h), not on to the next page"
# Saved: the first page, asked for again, shows them chosen.
curl -s -o back.html "$B$L?p=0"
grep -q "name=\"$FIRST\" value=\"1\" checked" back.html && ok ||
    bad "the answers sent again are not saved ($FIRST=1 not chosen on the first page)"
$SB audit verify > v.out 2>&1 && ok || bad "audit verify: $(cat v.out)"

# --- the practice's lock: no upgrade, migrate or restore under a node ------
# (The nodes took it again after the restart: the watch renews it.)
sleep 6
$SB upgrade --backup "$T/before.sbk" > up.out 2>&1 && bad "upgrade ran while two nodes serve" || ok
grep -q "in use by securebase serve pid $PA on .*securebase serve pid $PB on \|in use by securebase serve pid $PB on .*securebase serve pid $PA on " up.out && ok ||
    bad "the refused upgrade does not name both nodes: $(cat up.out)"
[ -e "$T/before.sbk" ] && bad "the refused upgrade left a backup file" || ok
$SB migrate --from "$DB" --to "$T/copy.db" > mg.out 2>&1 && bad "migrate ran while two nodes serve" || ok
grep -q "in use by securebase serve" mg.out && ok || bad "the refused migrate: $(cat mg.out)"
[ -e "$T/copy.db" ] && bad "the refused migrate left a file" || ok

# --- a newer schema under a running node: 503, /health too ---------------
V=$(psql -X -q -At "$DB" -c "SELECT max(version) FROM schema_version")
psql -X -q "$DB" -c "INSERT INTO schema_version (version, applied) VALUES ($V + 1, '2026-12-07T00:00:00Z')" > /dev/null 2>&1 ||
    psql -X -q "$DB" -c "INSERT INTO schema_version (version) VALUES ($V + 1)" > /dev/null
sleep 1.2
c=$(curl -s -o h.json -w '%{http_code}' "$A/health")
[ "$c" = 503 ] && grep -q "schema $((V + 1)); this node reads $V" h.json && ok ||
    bad "/health with a newer schema under the node: $c $(cat h.json)"
c=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" "$B/clients/1")
[ "$c" = 503 ] && ok || bad "a page with a newer schema under the node: $c"
c=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $A" --data "csrf=$QC&p=0&go=next$ANS" "$A$L")
[ "$c" = 503 ] && ok || bad "a link's post with a newer schema under the node: $c"
grep -q "the database has schema $((V + 1)) and this node" node.$NA.log && ok || bad "node A did not say why it answers 503"
psql -X -q "$DB" -c "DELETE FROM schema_version WHERE version = $V + 1" > /dev/null
sleep 1.2
c=$(curl -s -o h.json -w '%{http_code}' "$A/health")
[ "$c" = 200 ] && ok || bad "/health once the schema fits again: $c $(cat h.json)"
# The release and schema are for this machine only: nginx in front says
# who asks (X-Real-IP, with --trust-proxy, as tests/ops sets it up).
grep -q '"version"' h.json && ok || bad "/health from loopback has no version: $(cat h.json)"

# --- the nodes stopped: the lock is free ---------------------------------
kill "$PA" "$PB"; wait "$PA" "$PB" 2>/dev/null; PA= PB=
$SB upgrade --backup "$T/before.sbk" > up.out 2>&1 && ok || bad "upgrade with no node serving: $(cat up.out)"
finish "outage (postgresql, two serve nodes)"
