#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# store.sh - the practice database benchmark (see bench/store_bench.c).
set -eu
cd "$(dirname "$0")/.."
SRC=../shared/data/openpsychometrics/ecr/data.csv
[ -f "$SRC" ] || SRC=tests/data/openpsychometrics/ecr.csv
mkdir -p build/bench/store
echo "store benchmark on $SRC"
build/bench/store_bench "$SRC" build/bench/store
