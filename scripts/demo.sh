#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# demo.sh - `make demo`: the instrument engine on real data.
#
# Scores the openpsychometrics ECR data set (51,491 people, original ECR,
# 5-point answers, 0 = missing) and prints the reliability analysis, then
# shows the shipped instruments and a reliable-change calculation.
set -eu
cd "$(dirname "$0")/.."
SB=build/securebase
ECR=tests/data/openpsychometrics/ecr.csv
[ -f ../shared/data/openpsychometrics/ecr/data.csv ] &&
    ECR=../shared/data/openpsychometrics/ecr/data.csv

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "The shipped instruments (licensed ones wait for recorded permission)"
$SB instruments list

say "Scoring the ECR data set: $ECR"
echo "\$ $SB score ecr $ECR --scale 1-5 --missing 0"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s%N)
$SB score ecr "$ECR" --scale 1-5 --missing 0 > "$out"
end=$(date +%s%N)
head -6 "$out"
echo "..."
rows=$(($(wc -l < "$out") - 1))
nulls=$(grep -c ',,' "$out" || true)
echo "$rows people scored in $(( (end - start) / 1000000 )) ms;" \
    "$nulls have a scale left null because an answer was missing" \
    "(no published missing-data rule, so no guess)."

say "Reliability analysis (people who answered all 36 items)"
echo "\$ $SB psychometrics ecr $ECR --scale 1-5 --missing 0 --complete"
$SB psychometrics ecr "$ECR" --scale 1-5 --missing 0 --complete

say "Reliable and clinically significant change: PHQ-9 from 18 to 8"
$SB change phq9 --pre 18 --post 8

printf '\nTry: %s administer phq9     (answer in the terminal)\n' "$SB"
printf '     %s help               (every command)\n' "$SB"
