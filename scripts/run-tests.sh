#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run-tests.sh LABEL DIR TEST... - run cmocka test programs, print each
# one's summary (and the lines it reports, those starting "# "), and add
# the counts to build/results.txt.
set -u
label=$1; dir=$2; shift 2
passed=0; failed=0
for t in "$@"; do
	out=$(cd "$(dirname "$0")/.." && "$dir/$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or failed outside a test case
	fi
	if [ "$f" -ne 0 ]; then
		printf '%s\n' "$out"
		echo "$label $t: FAILED ($p passed, $f failed)"
	else
		echo "$label $t: $p passed"
		# A test's own report lines ("# ..."), such as the crossings
		# the map layout leaves.
		printf '%s\n' "$out" | sed -n 's/^# /  /p'
	fi
	passed=$((passed + p)); failed=$((failed + f))
done
echo "$label: $passed passed, $failed failed" >> build/results.txt
[ $failed -eq 0 ]
