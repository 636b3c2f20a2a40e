#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# score.sh - scoring benchmark (`make bench`).
#
# Scores the openpsychometrics ECR data set replicated to over a million
# rows with `securebase score`, then the same file with R's
# psych::scoreItems, in the same run on the same machine, and prints item
# answers per second for both.  securebase is timed end to end (read,
# parse, validate, score, format, write to /dev/null), best of 3; R is
# timed for scoreItems alone (its read.csv reported separately).
set -eu
cd "$(dirname "$0")/.."
SB=build/securebase
SRC=../shared/data/openpsychometrics/ecr/data.csv
[ -f "$SRC" ] || SRC=tests/data/openpsychometrics/ecr.csv
COPIES=${COPIES:-20}
mkdir -p build/bench
F=build/bench/ecr-x$COPIES.csv
if [ ! -f "$F" ]; then
	head -1 "$SRC" > "$F"
	i=0
	while [ $i -lt "$COPIES" ]; do
		tail -n +2 "$SRC" >> "$F"
		i=$((i + 1))
	done
fi
rows=$(($(wc -l < "$F") - 1))
answers=$((rows * 36))
echo "file: $F ($rows rows, $answers item answers, $(du -h "$F" | cut -f1))"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

best=""
for run in 1 2 3; do
	s=$(date +%s%N)
	$SB score ecr "$F" --scale 1-5 --missing 0 > /dev/null
	e=$(date +%s%N)
	ns=$((e - s))
	if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
done
sb_rate=$((answers * 1000 / (best / 1000000)))
echo "securebase score: $(echo "$best" | awk '{printf "%.3f", $1 / 1e9}') s," \
    "$sb_rate item answers/s (one process, one core, end to end)"

if ! command -v Rscript >/dev/null 2>&1; then
	echo "R is not installed (scripts/deps.sh bench installs it)"
	exit 0
fi
rout=$(Rscript bench/score_psych.R "$F" 2>&1)
r=$(echo "$rout" | head -1)
echo "R psych::scoreItems: $r"
# Same answers, same scores: the first row from both.
echo "R          $(echo "$rout" | sed -n 2p)"
echo "securebase first row: $($SB score ecr "$SRC" --scale 1-5 --missing 0 |
    sed -n 2p | awk -F, '{print "avoidance " $3 " anxiety " $2}')"
r_score=$(echo "$r" | sed -n 's/.* score \([0-9.]*\).*/\1/p')
r_read=$(echo "$r" | sed -n 's/.* read \([0-9.]*\) .*/\1/p')
awk -v a="$answers" -v s="$r_score" -v rd="$r_read" -v b="$best" 'BEGIN {
	sb = b / 1e9
	printf "R scoreItems alone: %.0f item answers/s\n", a / s
	printf "ratio: securebase end to end is %.1fx faster than R scoreItems alone, %.1fx faster than R read.csv + scoreItems\n", s / sb, (s + rd) / sb
}'
