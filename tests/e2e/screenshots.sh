#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# screenshots.sh - starts the demo practice and photographs it into
# docs/screenshots/ (every main page at a desk's and a phone's size).
set -eu
cd "$(dirname "$0")"
E2E=$(pwd)
ROOT=$(cd ../.. && pwd)
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund > npm.log 2>&1
T=$(mktemp -d)
PORT=$((20000 + $$ % 12000))	# below the ephemeral ports
cd "$T"
"$ROOT/build/securebase" demo --port $PORT > demo.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
until grep -q serving demo.log; do sleep 0.2; done
PW=$(sed -n 's/^ *password: //p' demo.log)
cd "$E2E"
mkdir -p "$ROOT/docs/screenshots"
node screenshots.mjs "http://127.0.0.1:$PORT" "$PW" "$ROOT/docs"
echo "wrote $ROOT/docs/screenshots/*.png"
