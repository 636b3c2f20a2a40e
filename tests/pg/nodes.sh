#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# nodes.sh - two `securebase serve` nodes over one PostgreSQL database
# behind nginx (an upstream of both, as docs/deploy.md sets it up), with
# a real mail server: clients answer questionnaires through nginx
# (tests/pg/load.py) while one node is killed with SIGKILL and started
# again, and once while PostgreSQL itself is restarted with
# `pg_ctl restart -m immediate`.  Afterwards every acknowledged answer is
# in the database, the audit trail verifies as one chain, every alert's
# mail was sent, and no message was received twice.  Also: a therapist's
# session opened on one node works on the other, and a link's posts are
# counted across both.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/build/securebase
. tests/pg/cluster.sh
. tests/pg/helpers.sh
T=$(mktemp -d)
stop_all() {
	for p in ${PA:-} ${PB:-} ${MPID:-}; do kill "$p" 2>/dev/null; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	wait 2>/dev/null
	pg_stop
	rm -rf "$T"
}
trap stop_all EXIT
if ! pg_start; then
	echo "nodes: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
cd "$T"
# Three free ports: the two nodes and nginx; and one for mail.
set -- $(free_ports 4)
NA=$1 NB=$2 NX=$3 MPORT=$4
O=http://127.0.0.1:$NX
DB=$(pg_newdb practice) || exit 1
export SECUREBASE_DB="$DB" SECUREBASE_KEY_FILE="$T/practice.key"
printf 'correct horse battery\n' > pw
$SB init --admin boss --admin-password-file pw > /dev/null || exit 1
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test
$SB --user anna client add --name "Ada Example" > /dev/null

# The mail server (STARTTLS and AUTH, as in tests/safety).
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" -days 2 -keyout key.pem \
    -out cert.pem > /dev/null 2>&1 || { bad "openssl"; exit 1; }
mkdir mail
/usr/bin/python3 "$ROOT/tests/mail/smtpd.py" --port "$MPORT" --dir mail \
    --cert cert.pem --key key.pem --user sbmail --password "mail pass" \
    > smtpd.log 2>&1 &
MPID=$!
printf 'mail pass\n' > mpw
$SB --user boss settings set smtp-url "smtp://127.0.0.1:$MPORT"
$SB --user boss settings set smtp-user sbmail
$SB --user boss settings set smtp-password --file mpw
$SB --user boss settings set smtp-from securebase@clinic.test
$SB --user boss settings set smtp-ca "$T/cert.pem"
$SB --user boss settings set duty-email duty@clinic.test

PA=$(serve_node "$NA" "$O" --trust-proxy); PB=$(serve_node "$NB" "$O" --trust-proxy)
wait_up "http://127.0.0.1:$NA"; wait_up "http://127.0.0.1:$NB"
balancer "$T" "$NX" "$NA" "$NB" || { bad "nginx did not start"; exit 1; }
wait_up "$O"

# A session opened through one node is the other's too.
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' body | head -1 | sed 's/.*value="//;s/"//'; }
curl -s -c jar -b jar -o body "http://127.0.0.1:$NA/login"
curl -s -c jar -b jar -o /dev/null -H "Origin: $O" \
    --data-urlencode "csrf=$(csrf)" --data "user=anna" \
    --data-urlencode "password=correct horse battery" "http://127.0.0.1:$NA/login"
COOKIE=$(awk '$6 == "__Host-sb" {print $7}' jar)
[ -n "$COOKIE" ] && ok || bad "anna cannot log in on node A"
[ "$(curl -s -o body -w '%{http_code}' -H "Cookie: __Host-sb=$COOKIE" "http://127.0.0.1:$NB/clients/1")" = 200 ] &&
    ok || bad "node B does not know node A's session"
CS=$(csrf)

# A link's posts are counted on the link: 20 through A and 10 through B
# are the 30 a minute allows; the 31st is held back on either.
curl -s -o body -H "Cookie: __Host-sb=$COOKIE" -H "Origin: $O" \
    --data "instrument=gad7&csrf=$CS" "http://127.0.0.1:$NA/clients/1/links"
RL=$(grep -o "$O/q/[0-9a-f]\{64\}" body | head -1 | sed "s#$O##")
while [ $(( $(date +%s) % 60 )) -gt 50 ]; do sleep 1; done
for n in $(seq 1 30); do
	[ "$n" -le 20 ] && p=$NA || p=$NB
	curl -s -o /dev/null -H "Origin: $O" --data "csrf=x&p=0&go=next" "http://127.0.0.1:$p$RL"
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $O" --data "csrf=x&p=0&go=next" "http://127.0.0.1:$NB$RL")" = 429 ] &&
    ok || bad "the 31st post through a second node was not held back"

# --- under load: a node killed and started again -------------------------------
/usr/bin/python3 "$ROOT/tests/pg/load.py" --base "$O" --cookie "$COOKIE" \
    --csrf "$CS" --seconds 12 --workers 8 --acked acked.txt > load.out 2> load.err &
LOAD=$!
sleep 3
kill -9 "$PA"; wait "$PA" 2>/dev/null
echo "  node A killed (SIGKILL)"
sleep 2
PA=$(serve_node "$NA" "$O" --trust-proxy); wait_up "http://127.0.0.1:$NA"
echo "  node A started again"
sleep 2
# --- and the database restarted at once, as after a crash ------------------------
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m immediate -w restart > /dev/null 2>&1 &&
    ok || bad "pg_ctl restart -m immediate"
echo "  PostgreSQL restarted (-m immediate)"
wait "$LOAD"
cat load.out
sed 's/^/  load: /' load.err | sort | uniq -c | sort -rn | head -5
n=$(wc -l < acked.txt)
[ "$n" -ge 50 ] && ok || bad "only $n answers acknowledged: the load proves little"

# Every acknowledged answer is there.
{ echo "CREATE TEMP TABLE acked (h text);"; echo "COPY acked FROM STDIN;";
    cat acked.txt; echo '\.';
    echo "SELECT count(*) FROM acked a JOIN links l ON encode(l.token_hash, 'hex') = a.h JOIN administrations d ON d.id = l.administration_id;"; } > check.sql
got=$(psql -X -q -At -v ON_ERROR_STOP=1 "$DB" -f check.sql)
[ "$got" = "$n" ] && ok || bad "$n answers acknowledged, $got of them in the database"
echo "  $n acknowledged answers, $got in the database"
# One chain, from both nodes' writers.
$SB audit verify > verify.out 2>&1 && ok || { bad "the audit trail does not verify"; cat verify.out; }
grep -q "audit trail intact" verify.out && ok || bad "audit verify says: $(cat verify.out)"

# Every alert's mail is sent, and none twice.  The outbox drains within
# 30 s, but for a message that the killed node had handed to the mail
# server and not yet recorded as sent: the node, started again, takes
# back what it had claimed and sends it at once (issue 30; or another
# node when the lease ends).  That is the one window where a message
# goes out twice, and only a message the restarted node says it took
# back; a message is never lost (docs/deploy.md, "Notifications on
# several nodes").
i=0
while [ "$(psql -X -q -At "$DB" -c "SELECT count(*) FROM outbox WHERE state <> 'sent' AND next_try <= extract(epoch FROM now())")" != 0 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
sent=$(psql -X -q -At "$DB" -c "SELECT count(*) FROM outbox WHERE state = 'sent'")
held=$(psql -X -q -At "$DB" -c "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts >= 1 AND next_try > extract(epoch FROM now())")
alerts=$(psql -X -q -At "$DB" -c "SELECT count(*) FROM alerts WHERE rule = 'critical-item'")
[ "$alerts" -ge 1 ] && [ $((sent + held)) -eq $((alerts * 2)) ] && ok ||
    bad "$alerts critical alerts, $sent messages sent and $held held (two each expected)"
got=$(ls mail | grep -c '\.eml$')
back=$(grep -ho '[0-9]* messages\{0,1\} this node had claimed before it stopped' node.*.log | awk '{n += $1} END {print n + 0}')
[ "$got" -ge "$sent" ] && [ "$got" -le $((sent + held + back)) ] && ok ||
    bad "$sent messages sent, $held held by the killed node and $back taken back when it started again, $got received"
dups=$(for f in mail/*.eml; do
	printf '%s %s\n' "$(grep -m1 '^X-Envelope-To:' "$f")" "$(grep -o '/alerts/[0-9]*' "$f" | head -1)"
done | sort | uniq -d | wc -l)
[ "$dups" -le "$back" ] && ok || bad "$dups messages were received twice, $back taken back by the restarted node"
echo "  $alerts alerts, $sent messages sent, $got received, $held held by the killed node's lease"
# /health, as a balancer asks it: 200 while the database answers, 503
# (JSON, no page) while it is down, 200 again once it is back.
hc() { curl -s -o h.json -w '%{http_code}' --max-time 30 "http://127.0.0.1:$NB/health"; }
[ "$(hc)" = 200 ] && grep -q '"database": "ok"' h.json && ok || bad "/health with the database up: $(cat h.json)"
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m fast -w stop > /dev/null 2>&1
[ "$(hc)" = 503 ] && grep -q '"status": "unavailable", "database": "not answering"' h.json && ok || bad "/health with the database down: $(cat h.json)"
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w \
    -o "-k $PGT -c listen_addresses='' -c max_connections=200" start > /dev/null 2>&1
i=0; while [ "$(hc)" != 200 ] && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
grep -q '"database": "ok"' h.json && ok || bad "/health after the database came back: $(cat h.json)"
kill "$PA" "$PB" 2>/dev/null
finish "nodes (postgresql, two serve nodes)"
