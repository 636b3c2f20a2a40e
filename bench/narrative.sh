#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# narrative.sh - the narrative analyser's speed (`make bench`): 64 MB of
# narrative text built from the synthetic passages of
# bench/narrative-sample.txt (every indicator fires in them), analysed
# by `securebase narrative analyze --json` on one core.  Target: at least
# 5 MB per second per core.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SB=$ROOT/build/securebase
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Doubling the sample to 64 MB.
cp bench/narrative-sample.txt "$T/text"
while [ "$(stat -c %s "$T/text")" -lt 67108864 ]; do
	cat "$T/text" "$T/text" > "$T/t2" && mv "$T/t2" "$T/text"
done
head -c 67108864 "$T/text" > "$T/in"
bytes=$(stat -c %s "$T/in")
s=$(date +%s%N)
taskset -c 0 "$SB" narrative analyze --json "$T/in" > "$T/out" 2>/dev/null ||
    "$SB" narrative analyze --json "$T/in" > "$T/out"
e=$(date +%s%N)
ms=$(( (e - s) / 1000000 ))
words=$(sed -n 's/^{"words": \([0-9]*\),.*/\1/p' "$T/out")
awk -v b="$bytes" -v ms="$ms" -v w="$words" 'BEGIN {
	printf "narrative analyze --json, one core: %.1f MB in %.2f s = %.1f MB/s (%d words; target 5 MB/s)\n",
	    b / 1048576, ms / 1000, b / 1048576 / (ms / 1000), w }'
