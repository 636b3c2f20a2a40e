#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# failover.sh - a streaming standby promoted under three serve nodes
# (issue 32), the procedure of docs/deploy.md: a standby made with
# pg_basebackup -R, synchronous (synchronous_standby_names), the nodes on
# a multi-host URL with target_session_attrs=read-write behind nginx.
# Clients answer links on all three nodes (tests/pg/load.py) while the
# primary is stopped at once (-m immediate, as a crash) and the standby
# promoted with pg_ctl promote.  The nodes carry on by themselves; every
# acknowledged completion is in the new primary exactly once, every
# endorsed item 9 has one critical alert, and the audit chain verifies
# there.  Clients meanwhile see answers or 503, nothing else.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=${1:-$ROOT/build/securebase}
. tests/pg/cluster.sh
. tests/pg/helpers.sh
T=$(mktemp -d)
stop_all() {
	for p in ${PA:-} ${PB:-} ${PC:-}; do kill "$p" 2>/dev/null; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	wait 2>/dev/null
	[ -n "${PGT:-}" ] && [ -d "$PGT/standby" ] &&
	    $PG_AS "$PG_BIN/pg_ctl" -D "$PGT/standby" -m immediate stop > /dev/null 2>&1
	pg_stop
	rm -rf "$T"
}
trap stop_all EXIT
if ! pg_start; then
	echo "failover: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
cd "$T"
# The standby: a base backup of the primary with its recovery settings
# (-R), on a socket directory of its own.
$PG_AS mkdir -p "$PGT/s2"
$PG_AS "$PG_BIN/pg_basebackup" -h "$PGT" -U sb -D "$PGT/standby" -R -X stream > bb.log 2>&1 &&
    ok || { bad "pg_basebackup -R: $(cat bb.log)"; exit 1; }
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/standby" -l "$PGT/standby.log" -w \
    -o "-k $PGT/s2 -c listen_addresses='' -c max_connections=200 -c cluster_name=standby1" \
    start > /dev/null 2>&1 && ok || { bad "the standby did not start"; cat "$PGT/standby.log"; exit 1; }
PRIMARY="postgresql://sb@/postgres?host=$PGT"
psql -X -q "$PRIMARY" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" > /dev/null
i=0
until [ "$(psql -X -q -At "$PRIMARY" -c "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" = 1 ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { bad "the standby is not synchronous"; exit 1; }
	sleep 0.1
done
ok
psql -X -q "$PRIMARY" -c "CREATE DATABASE practice" > /dev/null
DB="postgresql://sb@/practice?host=$PGT,$PGT/s2&target_session_attrs=read-write"
export SECUREBASE_DB="$DB" SECUREBASE_KEY_FILE="$T/practice.key"
printf 'correct horse battery\n' > pw
$SB init --admin boss --admin-password-file pw > /dev/null 2>&1 || { bad "init"; exit 1; }
$SB --user boss user add anna --role therapist --password-file pw > /dev/null 2>&1
$SB --user anna client add --name "Ada Example" > /dev/null

# Four free ports below 32768: three nodes and nginx.
set -- $(free_ports 4)
NA=$1 NB=$2 NC=$3 NX=$4
O=http://127.0.0.1:$NX
PA=$(serve_node "$NA" "$O" --trust-proxy)
PB=$(serve_node "$NB" "$O" --trust-proxy)
PC=$(serve_node "$NC" "$O" --trust-proxy)
for p in $NA $NB $NC; do wait_up "http://127.0.0.1:$p"; done
balancer "$T" "$NX" "$NA" "$NB" "$NC" || { bad "nginx did not start"; exit 1; }
wait_up "$O"
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' body | head -1 | sed 's/.*value="//;s/"//'; }
curl -s -c jar -b jar -o body "$O/login"
curl -s -c jar -b jar -o /dev/null -H "Origin: $O" --data-urlencode "csrf=$(csrf)" \
    --data "user=anna" --data-urlencode "password=correct horse battery" "$O/login"
COOKIE=$(awk '$6 == "__Host-sb" {print $7}' jar)
[ -n "$COOKIE" ] && ok || bad "anna cannot log in"
curl -s -o body -H "Cookie: __Host-sb=$COOKIE" "$O/clients/1"
CS=$(csrf)

# --- the failover, under load -------------------------------------------
/usr/bin/python3 "$ROOT/tests/pg/load.py" --base "$O" --cookie "$COOKIE" \
    --csrf "$CS" --seconds 14 --workers 9 --acked acked.txt --critical critical.txt \
    > load.out 2> load.err &
LOAD=$!
sleep 4
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/data" -m immediate -w stop > /dev/null 2>&1 &&
    ok || bad "the primary did not stop"
echo "  primary stopped (-m immediate)"
sleep 1
$PG_AS "$PG_BIN/pg_ctl" -D "$PGT/standby" -w promote > promote.log 2>&1 &&
    ok || bad "pg_ctl promote: $(cat promote.log)"
echo "  standby promoted"
wait "$LOAD"
cat load.out
sed 's/^/  load: /' load.err | sort | uniq -c | sort -rn | head -5
n=$(wc -l < acked.txt)
[ "$n" -ge 40 ] && ok || bad "only $n answers acknowledged: the load proves little"
# What clients were told: only answers and 503s ("not now").
grep -q "not acknowledged\|link not made\|no form" load.err && bad "clients got other answers than 503: $(head -3 load.err)" || ok

NEW="postgresql://sb@/practice?host=$PGT/s2"
[ "$(psql -X -q -At "$NEW" -c "SELECT pg_is_in_recovery()")" = f ] && ok || bad "the standby is not the primary now"
{ echo "CREATE TEMP TABLE acked (h text);"; echo "COPY acked FROM STDIN;";
    cat acked.txt; echo '\.';
    echo "CREATE TEMP TABLE crit (h text);"; echo "COPY crit FROM STDIN;";
    cat critical.txt; echo '\.';
    echo "SELECT count(*) FROM acked a JOIN links l ON encode(l.token_hash, 'hex') = a.h JOIN administrations d ON d.id = l.administration_id;";
    echo "SELECT count(*) FROM (SELECT l.administration_id FROM links l GROUP BY 1 HAVING count(*) > 1) x;";
    echo "SELECT count(*) FROM crit c JOIN links l ON encode(l.token_hash, 'hex') = c.h JOIN alerts al ON al.administration_id = l.administration_id AND al.rule = 'critical-item';";
    echo "SELECT count(*) FROM (SELECT administration_id FROM alerts WHERE rule = 'critical-item' GROUP BY 1 HAVING count(*) > 1) x;"; } > check.sql
set -- $(psql -X -q -At -v ON_ERROR_STOP=1 "$NEW" -f check.sql)
[ "${1:-x}" = "$n" ] && ok || bad "$n completions acknowledged, ${1:-?} of them on the new primary"
[ "${2:-x}" = 0 ] && ok || bad "${2:-?} administrations stored twice"
nc=$(wc -l < critical.txt)
[ "$nc" -ge 1 ] && [ "${3:-x}" = "$nc" ] && ok || bad "$nc endorsed item 9s acknowledged, ${3:-?} critical alerts for them"
[ "${4:-x}" = 0 ] && ok || bad "${4:-?} administrations with two critical alerts"
echo "  $n acknowledged completions, $nc with item 9 endorsed, all on the new primary"
# Each node serves on the new primary by itself, and holds its lock
# there again.
for p in $NA $NB $NC; do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/health")" = 200 ] && ok ||
	    bad "node $p after the failover: /health $(curl -s "http://127.0.0.1:$p/health")"
done
sleep 6
$SB upgrade --backup "$T/b.dump" > up.out 2>&1 && bad "upgrade ran on the new primary under three nodes" || ok
[ "$(grep -o 'securebase serve pid' up.out | wc -l)" = 3 ] && ok || bad "the nodes' locks on the new primary: $(cat up.out)"
$SB audit verify > verify.out 2>&1 && grep -q "audit trail intact" verify.out && ok ||
    bad "audit verify on the new primary: $(cat verify.out)"
finish "failover (postgresql, standby promoted under three nodes)"
