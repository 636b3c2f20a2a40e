#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# slow.sh BINARY - slow senders cannot hold the connection slots of
# `securebase serve` reached without nginx: a per-address limit, and a
# deadline for the whole request header (tests/web/slow.py).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 13) % 12000))
. "$ROOT/tests/web/lib.sh"
practice
serve_start
/usr/bin/python3 "$ROOT/tests/web/slow.py" $PORT > out 2>&1
cat out
passed=$(grep -c '^ok ' out); failed=$(grep -c '^FAIL ' out)
[ -s out ] && grep -qv '^\(ok\|FAIL\) ' out && { echo "FAIL slow.py: $(grep -v '^\(ok\|FAIL\) ' out | head -3)"; failed=$((failed + 1)); }
finish "slow headers ($1)"
