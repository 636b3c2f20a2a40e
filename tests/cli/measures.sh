#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# measures.sh BINARY - the measures added in issue 33 (PCL-5, AUDIT, WHO-5)
# score as an independent scorer written from their published keys says
# (tests/cli/measures.py): five vectors each, with the floor, the ceiling,
# each side of a cut-off and a missing item; their cut-off bands; and
# AUDIT's scores 0, 2 and 4 for items 9 and 10 and nothing else.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/tests/lib.sh"

python3 tests/cli/measures.py "$T" || { echo "FAIL the reference scorer"; exit 1; }
for id in pcl5 audit who5; do
	if ! "$SB" score "$id" "$T/$id.csv" > "$T/$id.out" 2> "$T/$id.err"; then
		bad "$id: securebase score failed: $(cat "$T/$id.err")"
		continue
	fi
	# The score columns: after "row", before the bands.
	n=$(head -1 "$T/$id.out" | tr ',' '\n' | grep -vc '\.band$\|^row$\|^answered$\|^flags$')
	tail -n +2 "$T/$id.out" | cut -d, -f2-$((n + 1)) > "$T/$id.got"
	if cmp -s "$T/$id.got" "$T/$id.want"; then ok; else
		bad "$id: scores differ from the reference"; paste -d'|' "$T/$id.got" "$T/$id.want"
	fi
done
# The bands at the cut-offs.
sed -n 4p "$T/pcl5.out" | grep -q ',Below the provisional cut-off,' && ok || bad "PCL-5 32: $(sed -n 4p "$T/pcl5.out")"
sed -n 5p "$T/pcl5.out" | grep -q ',At or above the provisional cut-off (31-33),' && ok || bad "PCL-5 33: $(sed -n 5p "$T/pcl5.out")"
sed -n 4p "$T/audit.out" | grep -q '"Zone I, low risk"' && ok || bad "AUDIT 7: $(sed -n 4p "$T/audit.out")"
sed -n 5p "$T/audit.out" | grep -q '"Zone II, hazardous"' && ok || bad "AUDIT 8: $(sed -n 5p "$T/audit.out")"
sed -n 3p "$T/audit.out" | grep -q ',Zone IV,' && ok || bad "AUDIT 40: $(sed -n 3p "$T/audit.out")"
sed -n 4p "$T/who5.out" | grep -q ',Poor well-being (12 or less),Poor well-being (50 or less),' && ok || bad "WHO-5 12: $(sed -n 4p "$T/who5.out")"
sed -n 5p "$T/who5.out" | grep -q ',Above the cut-off,Above the cut-off,' && ok || bad "WHO-5 13: $(sed -n 5p "$T/who5.out")"
# AUDIT items 9 and 10 take 0, 2 or 4 only.
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n0,0,0,0,0,0,0,0,1,0\n' > "$T/bad.csv"
"$SB" score audit "$T/bad.csv" > "$T/bad.out" 2> "$T/bad.err" && bad "AUDIT q9 = 1 accepted" || ok
grep -q "q9" "$T/bad.err" && ok || bad "the refusal names q9: $(cat "$T/bad.err")"
finish "measures ($1)"
