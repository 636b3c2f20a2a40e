#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# fuzz.sh SECONDS TARGET... - run libFuzzer targets, each from its seed
# corpus in fuzz/corpus/TARGET, for SECONDS seconds.  New inputs go to a
# scratch directory, not into the committed corpus.
set -u
cd "$(dirname "$0")/.."
secs=$1; shift
passed=0; failed=0
for t in "$@"; do
	work=build/fuzz/corpus-$t
	mkdir -p "$work"
	if build/fuzz/"$t" -max_total_time="$secs" -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
	    "$work" "fuzz/corpus/$t" >build/fuzz/"$t".log 2>&1; then
		echo "fuzz $t: ${secs}s without a crash"
		passed=$((passed + 1))
	else
		tail -40 build/fuzz/"$t".log
		echo "fuzz $t: FAILED (see build/fuzz/$t.log)"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed" >> build/results.txt
[ $failed -eq 0 ]
