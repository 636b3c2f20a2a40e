#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# lowmem.sh BINARY - low memory is the server's failure, never a wrong
# password: with the running server's address space capped (prlimit) so
# that Argon2id's 64 MiB cannot be had, a right password gets 503 with
# Retry-After, is audited as login-error, and is never counted (six tries
# give no back-off and no login-failed row); with the cap lifted, the
# same password logs in at once.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 19) % 12000))
. "$ROOT/tests/web/lib.sh"
q() { sqlite3 -cmd ".timeout 5000" p.db "$1"; }
practice
$SB --user boss user add anna --role therapist --password-file pw
serve_start
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot log in"
# The cap: what the server uses now, and 32 MiB more.
vm=$(awk '/^VmSize:/ {print $2}' /proc/$PID/status)
prlimit --pid $PID --as=$(( (vm + 32768) * 1024 )): || { bad "prlimit failed"; finish "lowmem ($1)"; exit 1; }
code "pages still answer" 200 $O/login
for i in 1 2 3 4 5 6; do
	got=$(login anna b.jar)
	[ "$got" = 503 ] && ok || bad "try $i under low memory: HTTP $got, expected 503"
done
has "it says what happened" "could not check your password just now"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'login-failed'")" = 0 ] && ok || bad "a right password was audited as a failed login"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'login-error'")" -ge 6 ] && ok || bad "the server's failures were not audited"
[ "$(q "SELECT count(*) FROM login_failures")" = 0 ] && ok || bad "the server's failures were counted toward the back-off"
prlimit --pid $PID --as=unlimited:
[ "$(login anna c.jar)" = 303 ] && ok || bad "with memory back, anna is locked out"
finish "lowmem ($1)"
