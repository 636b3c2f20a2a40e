#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# migrate.sh BINARY - `securebase migrate` of the demo practice from
# SQLite to PostgreSQL and back: the exports (CSV, FHIR, research), every
# client's record and history read the same from all three, and the
# audit trail verifies on each.  A target that is not empty (a practice,
# or another application's tables) or a file that exists is refused
# untouched; a wrong key moves nothing.  Needs the cluster of
# tests/pg/run.sh (SECUREBASE_TEST_PG, PGT).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
. tests/pg/cluster.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
. "$ROOT/tests/lib.sh"

$SB demo --no-serve > demo.out 2>&1 || { bad "demo"; cat demo.out; }
K=var/demo.db.key
PG=$(pg_newdb sbmig) || exit 1
$SB migrate --from var/demo.db --to "$PG" > m1.out 2>&1 && ok || { bad "migrate to PostgreSQL"; cat m1.out; }
grep -q "audit trail (.* rows) verified there" m1.out && ok || bad "migrate does not say it verified"
$SB migrate --from "$PG" --to back.db --key-file "$K" > m2.out 2>&1 && ok || { bad "migrate back to SQLite"; cat m2.out; }
[ "$(stat -c %a back.db)" = 600 ] && ok || bad "the new file is not private"

# read DB DIR: what a user of the practice gets out of it.
read_all() {
	mkdir "$2"
	$SB --db "$1" --key-file "$K" --user therapist export --csv "$2/csv" > /dev/null &&
	$SB --db "$1" --key-file "$K" --user therapist export --fhir "$2/fhir" > /dev/null &&
	$SB --db "$1" --key-file "$K" --user therapist export --research "$2/res" --without-consent > /dev/null 2>&1 || return 1
	for c in $(seq 1 12); do
		$SB --db "$1" --key-file "$K" --user therapist client show "$c" || return 1
		$SB --db "$1" --key-file "$K" --user therapist history export --client "$c" || return 1
		$SB --db "$1" --key-file "$K" --user therapist narrative list --client "$c" || return 1
	done > "$2/records.txt"
	$SB --db "$1" --key-file "$K" --user therapist alerts > "$2/alerts.txt"
}
read_all var/demo.db a && ok || bad "reading the SQLite demo"
read_all "$PG" b && ok || bad "reading the PostgreSQL copy"
read_all back.db c && ok || bad "reading the copy back in SQLite"
[ "$(find a -type f | wc -l)" -ge 20 ] && ok || bad "too little was exported to compare"
diff -r a b > /dev/null && ok || { bad "SQLite and PostgreSQL read differently"; diff -r a b | head -10; }
diff -r a c > /dev/null && ok || { bad "the copy back reads differently"; diff -r a c | head -10; }
for d in var/demo.db "$PG" back.db; do
	$SB --db "$d" --key-file "$K" audit verify > v.out 2>&1 && grep -q "intact" v.out && ok ||
	    { bad "audit verify after migrate: $(cat v.out)"; }
done

# Refusals, each leaving the target as it was.
$SB migrate --from var/demo.db --to "$PG" > r.out 2>&1
[ $? -eq 1 ] && grep -q "already exists" r.out && ok || { bad "a practice was migrated over"; cat r.out; }
OTHER=$(pg_newdb sbother)
psql -X -q "$OTHER" -c "CREATE TABLE theirs (x int); INSERT INTO theirs VALUES (7)"
$SB migrate --from var/demo.db --to "$OTHER" > r.out 2>&1
[ $? -eq 1 ] && grep -q "not empty" r.out && ok || { bad "a database with tables was migrated into"; cat r.out; }
[ "$(psql -X -At "$OTHER" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ] &&
    [ "$(psql -X -At "$OTHER" -c "SELECT x FROM theirs")" = 7 ] && ok || bad "the other database was touched"
cp back.db before.db
$SB migrate --from "$PG" --to back.db --key-file "$K" > r.out 2>&1
[ $? -eq 1 ] && grep -q "already exists" r.out && cmp -s back.db before.db && ok || bad "an existing file was migrated over"
EMPTY=$(pg_newdb sbempty)
head -c 32 /dev/urandom > wrong.key; chmod 600 wrong.key
$SB migrate --from var/demo.db --to "$EMPTY" --key-file wrong.key > r.out 2>&1
[ $? -eq 1 ] && grep -q "does not belong" r.out && ok || { bad "a wrong key was not refused"; cat r.out; }
[ "$(psql -X -At "$EMPTY" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] &&
    ok || bad "a refused migrate left tables behind"

finish "migrate (postgresql and back)"
