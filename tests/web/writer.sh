#!/bin/sh
# writer.sh BINARY - one long-lived writer of a practice at a time:
# `restore --replace` is refused while `serve` runs (it names the
# server's pid, and the database is left as it was), `serve` refuses a
# database being restored, a server whose database file is replaced
# anyway stops at once instead of acknowledging writes into the old
# file, and once the server is stopped the restore goes through.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 17) % 12000))
. "$ROOT/tests/web/lib.sh"
practice
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB backup b.db > /dev/null || exit 1
$SB --user anna client add --name "After the backup" > /dev/null

serve_start
cp p.db p.db.before
$SB restore b.db --db p.db --replace > out 2>&1
rc=$?
[ $rc -ne 0 ] && ok || bad "restore --replace went through while serving"
grep -q "in use (securebase serve, pid $PID): stop it first" out && ok || bad "the refusal does not name the server: $(cat out)"
$SB --user anna client list | grep -q "After the backup" && ok || bad "the refused restore changed the practice"
[ ! -e p.db.restore ] && ok || bad "a refused restore left p.db.restore"

# A second server on the same practice is refused too.
$SB serve --listen 127.0.0.1:$((PORT + 1)) > out2 2>&1
[ $? -ne 0 ] && grep -q "in use" out2 && ok || bad "a second serve started: $(cat out2)"

# The file replaced from under the server anyway (mv, not restore): the
# server stops within a few seconds, saying why.
cp p.db moved.db && mv moved.db p.db
i=0; while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $PID 2>/dev/null && bad "the server goes on with a replaced database" || ok
grep -q "p.db was replaced or removed while serving; stopping" serve.log && ok || bad "no log line: $(cat serve.log)"
wait $PID; rc=$?
[ $rc -ne 0 ] && ok || bad "serve exited 0 after its database was replaced"
PID=

# A restore in progress (its lock held): serve refuses to start.
flock p.db.lock sleep 3 &
FPID=$!
sleep 0.3
$SB serve --listen 127.0.0.1:$((PORT + 1)) > out3 2>&1
[ $? -ne 0 ] && grep -q "in use" out3 && ok || bad "serve started during a restore: $(cat out3)"
wait $FPID

# Stopped: the restore goes through.
$SB restore b.db --db p.db --replace > out 2>&1 && ok || bad "restore after stopping: $(cat out)"
$SB --user anna client list | grep -q "After the backup" && bad "the restore did not take" || ok
finish "writer ($1)"
