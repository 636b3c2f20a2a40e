#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# samples.sh - the sample reports from the demo practice: Ines Calloway's
# progress report for the therapist and for the client into docs/, and
# the therapist's first page as docs/screenshots/report-page1.png, and
# every page of both as docs/screenshots/report-therapist-N.png and
# report-client-N.png (`make samples`).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SB=$ROOT/build/securebase
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
"$SB" demo --no-serve > demo.log 2>&1 || { cat demo.log; exit 1; }
D="--db var/demo.db --key-file var/demo.db.key --user therapist"
# shellcheck disable=SC2086
"$SB" $D report --client 3 --pdf "$ROOT/docs/sample-report.pdf" > /dev/null
# shellcheck disable=SC2086
"$SB" $D report --client 3 --for-client \
    --pdf "$ROOT/docs/sample-report-for-client.pdf" > /dev/null
chmod 644 "$ROOT"/docs/sample-report*.pdf
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$ROOT/docs/sample-report.pdf" \
    "$ROOT/docs/screenshots/report-page1"
# Every page of both, small, to look at (pdftoppm numbers them).
rm -f "$ROOT"/docs/screenshots/report-therapist-*.png \
    "$ROOT"/docs/screenshots/report-client-*.png
pdftoppm -r 50 -png "$ROOT/docs/sample-report.pdf" \
    "$ROOT/docs/screenshots/report-therapist"
pdftoppm -r 50 -png "$ROOT/docs/sample-report-for-client.pdf" \
    "$ROOT/docs/screenshots/report-client"
echo "wrote docs/sample-report.pdf, docs/sample-report-for-client.pdf, docs/screenshots/report-page1.png and report-therapist-N.png, report-client-N.png (every page)"
