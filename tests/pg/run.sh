#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh - securebase on PostgreSQL, against a real server that tests/pg/
# cluster.sh makes and removes: the backend's own tests; the store's test
# programs, the same ones `make unit` runs on SQLite (SECUREBASE_TEST_PG
# set: each test gets a new database); and the command-line, web and
# safety suites, the same scripts `make clitest` runs, with
# build/postgresql/securebase (tests/pg/sb.sh over build/securebase, and
# build/postgresql-asan/ over the ASan build) in place of the binary;
# and `migrate` from SQLite to PostgreSQL and back (migrate.sh).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
. tests/pg/cluster.sh
trap pg_stop EXIT
if ! pg_start; then
	echo "pg: 0 passed, 1 failed" >> "$ROOT/build/results.txt"
	exit 1
fi
rc=0
sh scripts/run-tests.sh pg build/tests-pg test_pg_backend || rc=1
t0=$(date +%s)
sh scripts/run-tests.sh "pg store" build/tests test_store test_store_safety \
    test_store_tamper test_store_view test_web_session || rc=1
echo "  (store tests on PostgreSQL: $(($(date +%s) - t0)) s)"
for b in test/securebase asan/securebase; do
	w=build/postgresql$( [ "$b" = test/securebase ] || echo -asan)
	mkdir -p "$w"
	printf '#!/bin/sh\nSB_PG_REAL=%s/build/%s exec %s/tests/pg/sb.sh "$@"\n' \
	    "$ROOT" "$b" "$ROOT" > "$w/securebase"
	chmod 755 "$w/securebase"
done
export SB_PG=1	# tests/backend.sh: the suites' own SQL goes to psql
for s in cli/record cli/history cli/narrative cli/integrity web/run web/account \
    web/kiosk safety/run safety/expected safety/outcomes safety/delivery; do
	t0=$(date +%s)
	sh "tests/$s.sh" build/postgresql/securebase || rc=1
	echo "  ($s on PostgreSQL: $(($(date +%s) - t0)) s)"
done
for s in cli/record web/run; do
	t0=$(date +%s)
	sh "tests/$s.sh" build/postgresql-asan/securebase || rc=1
	echo "  ($s, ASan, on PostgreSQL: $(($(date +%s) - t0)) s)"
done
sh tests/pg/migrate.sh build/securebase || rc=1
exit $rc
