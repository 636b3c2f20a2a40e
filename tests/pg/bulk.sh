#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# bulk.sh - an import on PostgreSQL, where its rows go in bulk (COPY,
# store/pg.c) with their seals computed before they are written (issue
# 32): the same CSV of 4,000 PHQ-9 rows over 40 clients, one of them with
# item 9 endorsed, is imported into a PostgreSQL practice and an SQLite
# one, which then hold the same administrations (the exports are equal)
# and the same critical alert, and the PostgreSQL trail and row seals
# verify.  Then a failure the server finds only when the rows arrive (a
# trigger the test installs refuses one row) fails the whole import: not
# one of its rows is left, the trail verifies, and the same import goes
# through once the trigger is gone.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=${1:-$ROOT/build/securebase}
. tests/pg/cluster.sh
. tests/pg/helpers.sh
T=$(mktemp -d)
stop_all() { pg_stop; rm -rf "$T"; }
trap stop_all EXIT
if ! pg_start; then
	echo "bulk: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
cd "$T"
DB=$(pg_newdb practice) || exit 1
printf 'correct horse battery\n' > pw
/usr/bin/python3 - <<'PY'
rows = ["id,q1,q2,q3,q4,q5,q6,q7,q8,q9"]
for i in range(4000):
    q = [(i + k) % 4 for k in range(8)]
    q9 = 2 if i == 2500 else 0
    rows.append(",".join(str(x) for x in [1 + i % 40] + q + [q9]))
open("big.csv", "w").write("\n".join(rows) + "\n")
PY
for p in "$DB" "$T/practice.db"; do
	k=$T/$(echo "$p" | md5sum | cut -c1-8).key
	sb() { $SB --db "$p" --key-file "$k" "$@"; }
	sb init --admin boss --admin-password-file pw > /dev/null 2>&1 || { bad "init $p"; exit 1; }
	sb --user boss user add anna --role therapist --password-file pw > /dev/null 2>&1
	for c in $(seq 1 40); do sb --user anna client add --name "Client $c" > /dev/null; done
	sb --user anna import --csv big.csv --instrument phq9 --date 2026-11-30 > imp.out 2>&1 &&
	    grep -q "imported 4000 administrations of phq9" imp.out && ok || bad "import into $p: $(cat imp.out)"
	rm -rf "ex.$k"
	sb --user anna export --csv "ex.${k##*/}" > /dev/null 2>&1 || bad "export from $p"
	sb --user anna alerts > "alerts.${k##*/}" 2>&1
done
kp=$(echo "$DB" | md5sum | cut -c1-8).key
ks=$(echo "$T/practice.db" | md5sum | cut -c1-8).key
diff -r "ex.$kp" "ex.$ks" > ex.diff && ok || bad "the two engines hold other administrations: $(head -5 ex.diff)"
[ "$(wc -l < "ex.$kp/phq9.csv")" -ge 4000 ] && ok || bad "the export has $(wc -l < "ex.$kp/phq9.csv") lines"
grep -c "critical-item" "alerts.$kp" > n.pg; grep -c "critical-item" "alerts.$ks" > n.sq
[ "$(cat n.pg)" = 1 ] && [ "$(cat n.sq)" = 1 ] && ok || bad "critical alerts: $(cat n.pg) on PostgreSQL, $(cat n.sq) on SQLite"
$SB --db "$DB" --key-file "$T/$kp" audit verify > v.out 2>&1 && grep -q "audit trail intact" v.out && ok ||
    bad "audit verify after the bulk import: $(cat v.out)"

# A row the server refuses as it arrives: the whole import goes.
psql -X -q -v ON_ERROR_STOP=1 "$DB" > /dev/null <<'SQL' || bad "the test's trigger"
CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id % 4000 = 3217 THEN
		RAISE EXCEPTION 'refused by the test';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER refuse_one BEFORE INSERT ON administrations FOR EACH ROW
	EXECUTE FUNCTION refuse_one();
SQL
before=$(psql -X -q -At "$DB" -c "SELECT count(*) FROM administrations")
$SB --db "$DB" --key-file "$T/$kp" --user anna import --csv big.csv --instrument phq9 --date 2026-11-29 > imp.out 2>&1 &&
    bad "an import with a refused row went through" || ok
grep -q "refused by the test" imp.out && ok || bad "the failed import does not say why: $(cat imp.out)"
after=$(psql -X -q -At "$DB" -c "SELECT count(*) FROM administrations")
[ "$after" = "$before" ] && ok || bad "$before administrations before the failed import, $after after"
$SB --db "$DB" --key-file "$T/$kp" audit verify > v.out 2>&1 && grep -q "audit trail intact" v.out && ok ||
    bad "audit verify after the failed import: $(cat v.out)"
psql -X -q "$DB" -c "DROP TRIGGER refuse_one ON administrations" > /dev/null
$SB --db "$DB" --key-file "$T/$kp" --user anna import --csv big.csv --instrument phq9 --date 2026-11-29 > imp.out 2>&1 &&
    grep -q "imported 4000" imp.out && ok || bad "the import once the trigger is gone: $(cat imp.out)"
$SB --db "$DB" --key-file "$T/$kp" audit verify > v.out 2>&1 && grep -q "audit trail intact" v.out && ok ||
    bad "audit verify after the second import: $(cat v.out)"
finish "bulk (postgresql, import by COPY)"
