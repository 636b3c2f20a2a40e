#!/bin/sh
# run.sh - the PostgreSQL backend against a real server (tests/pg/
# cluster.sh makes a throw-away one): the backend's own tests, then the
# store's test programs, the same ones `make unit` runs on SQLite, here
# on PostgreSQL (SECUREBASE_TEST_PG set: each test gets a new database).
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
sh scripts/run-tests.sh "pg store" build/tests test_store test_store_safety \
    test_store_tamper test_store_view test_web_session || rc=1
exit $rc
