#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run-suites.sh GROUP - runs the shell suites of GROUP listed in
# tests/suites, each to its end even when one fails, and closes with the
# plain line "GROUP: N passed, N failed" added up from the suites' own
# lines (which each also writes into build/results.txt; this one is not,
# so that scripts/summary.sh counts each check once).  Fails when any
# suite failed.
set -u
cd "$(dirname "$0")/.."
group=$1
mkdir -p build
touch build/results.txt
before=$(wc -l < build/results.txt)
bad=""
while read -r g suite args <&3; do
	case $g in ''|'#'*) continue ;; esac
	[ "$g" = "$group" ] || continue
	# shellcheck disable=SC2086	# the arguments are words
	sh "$suite" $args || bad="$bad $suite${args:+ ($args)}"
done 3< tests/suites
tail -n +"$((before + 1))" build/results.txt |
    sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' |
    awk -v g="$group" '{ p += $1; f += $2 }
	END { printf "%s: %d passed, %d failed\n", g, p, f }'
if [ -n "$bad" ]; then
	echo "$group: suites that failed:$bad"
	exit 1
fi
