#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# fds.sh BINARY - a full descriptor table is not an outage: `serve` under
# `ulimit -n 64` sizes itself to it (connections, threads, handles), and
# with 150 idle connections open a new request is answered or refused at
# once, the server does not spin and its log stays small (tests/web/fds.py).
# Under `ulimit -n 16` it refuses to start, saying what it needs.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 23) % 12000))
. "$ROOT/tests/web/lib.sh"
practice
(ulimit -n 16; exec $SB serve --listen 127.0.0.1:$PORT) > small.log 2>&1
[ $? -ne 0 ] && grep -q "only 16 file descriptors (ulimit -n); serve needs at least" small.log && ok || bad "serve under ulimit -n 16: $(cat small.log)"
NOFILE=64 serve_start
grep -q "descriptors)" serve.log && ok || bad "serve does not say its limits"
/usr/bin/python3 "$ROOT/tests/web/fds.py" $PORT $PID serve.log > out 2>&1
cat out
passed=$((passed + $(grep -c '^ok ' out))); failed=$((failed + $(grep -c '^FAIL ' out)))
grep -qv '^\(ok\|FAIL\) ' out && { echo "FAIL fds.py: $(grep -v '^\(ok\|FAIL\) ' out | head -3)"; failed=$((failed + 1)); }
finish "descriptors ($1)"
