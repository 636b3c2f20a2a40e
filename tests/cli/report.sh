#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# report.sh BINARY - the progress reports of the demo's client not on
# track (Ines Calloway, 3), read as a clinician and as the client would:
# the therapist's first page says whose record, the open alerts in words
# and every measure's latest score with its band and expected band; then
# charts, an item table of the latest answers, the relationship map and
# the lifeline; no heading ends a page; the client's copy has no band,
# statistic, alert or internal name.  docs/sample-report*.pdf say what a
# fresh render says (`make samples` writes them): their text is compared
# with the dates and numbers (which follow today's date) left out.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=$1
SB=$ROOT/$1
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
T=$(mktemp -d)
. "$ROOT/tests/lib.sh"
trap 'rm -rf "$T"' EXIT
cd "$T"
"$SB" demo --no-serve > demo.log 2>&1 || { cat demo.log; exit 1; }
D="--db var/demo.db --key-file var/demo.db.key --user therapist"
# shellcheck disable=SC2086
"$SB" $D report --client 3 --pdf t.pdf > /dev/null && ok || bad "the therapist's report"
# shellcheck disable=SC2086
"$SB" $D report --client 3 --for-client --pdf c.pdf > /dev/null && ok || bad "the client's report"
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
page() { pdftotext -f "$2" -l "$2" "$1" - | tr -s ' \n' '  '; }
# has NAME TEXT WORDS: TEXT (a page's, on one line) holds WORDS.
holds() { printf '%s' "$2" | grep -qF -- "$3" && ok || bad "$1: no \"$3\" in: $(printf '%s' "$2" | head -c 400)"; }
hasnt() { printf '%s' "$2" | grep -qiE -- "$3" && bad "$1: \"$3\" in: $(printf '%s' "$2" | grep -oiE -- ".{0,60}$3.{0,60}" | head -2)" || ok; }

# --- the therapist's first page --------------------------------------------------
P1=$(page t.pdf 1)
holds "whose record" "$P1" "Progress report: Ines Calloway"
holds "the header: id, year of birth, clinician, period" "$P1" "Client 3, born 1976, therapist Maya Okafor (demo); answers from"
holds "the open high alert in words" "$P1" "high: risk item endorsed, raised"
holds "the open medium alert in words" "$P1" "medium: reliable deterioration, raised"
hasnt "no internal alert names" "$P1" "critical-item|not-on-track|reliable-deterioration"
# PHQ-9 18 is "Moderately severe" (15-19; Kroenke, Spitzer & Williams
# 2001), GAD-7 16 "Severe" (15-21; Spitzer et al. 2006).
holds "each measure's latest with its band" "$P1" "PHQ-9 Total score: 18 (Moderately severe) on"
holds "... and GAD-7's" "$P1" "GAD-7 Total score: 16 (Severe) on"
holds "... its change since the first" "$P1" "since the first: deteriorated"
holds "... the expected band now, and not on track" "$P1" "expected now"
holds "... not on track said" "$P1" ": not on track."
# The alerts come before the measures.
a=$(printf '%s' "$P1" | grep -bo "Open alerts" | head -1 | cut -d: -f1)
m=$(printf '%s' "$P1" | grep -bo "Latest scores" | head -1 | cut -d: -f1)
[ -n "$a" ] && [ -n "$m" ] && [ "$a" -lt "$m" ] && ok || bad "the open alerts are not first"

# --- the rest: charts with the expected band, items, map, lifeline ---------------
ALL=$(pdftotext t.pdf - | tr -s ' \n' '  ')
holds "the expected band under the chart" "$ALL" "Shaded green: the expected path"
holds "an item table" "$ALL" "Answers, item by item (the latest of each measure)"
# PHQ-9's first item and its answer words (Spitzer, Kroenke & Williams 1999).
printf '%s' "$ALL" | grep -qE "1\. Little interest or pleasure in doing things — (Not at all|Several days|More than half the days|Nearly every day)" && ok || bad "the PHQ-9's first item and its answer are not in the item table"
holds "the relationship map" "$ALL" "Relationship map"
holds "... with the client's family" "$ALL" "Grandmother (maternal)"
holds "the lifeline" "$ALL" "Lifeline"
holds "the alert history at the end" "$ALL" "Alerts and how they were resolved"
# No heading is the last words of a page.
for f in t c; do
	n=$(pages $f.pdf)
	i=1
	while [ "$i" -le "$n" ]; do
		last=$(pdftotext -f $i -l $i $f.pdf - | grep -v '^[[:space:]]*$' | grep -v '^page [0-9]*$' | tail -1)
		case "$last" in
		"Measures"|"Latest scores"|"Open alerts"|"Relationship map"|"Lifeline"|"Your lifeline"|"Your questionnaires"|"Answers, item by item"*|"Alerts and how they were resolved"|"Attachment (anxiety and avoidance)"|"Alliance (WAI-SR)"|"Our work together"|"How you relate to people close to you")
			bad "$f.pdf page $i ends with its heading alone: $last" ;;
		*) ok ;;
		esac
		i=$((i + 1))
	done
done

# --- the client's copy: the progress page's words ---------------------------------
C=$(pdftotext c.pdf - | tr -s ' \n' '  ')
holds "the client's title" "$C" "Your progress: Ines Calloway"
hasnt "no bands" "$C" "minimal|mild|moderate|severe"
hasnt "no statistics" "$C" "reliable change|Jacobson|criterion|cut-off|RC [0-9]"
hasnt "no alerts" "$C" "alert|risk item|not on track"
printf '%s' "$C" | grep -qE "phq9|gad7|core10|ecr-rs|wai-sr|\.anxiety|\.avoidance" && bad "the client's copy names measures as the store does" || ok

# --- the samples in docs/ say what a fresh render says ---------------------------
# The demo's story is told in dates before today: days, months, years
# and every number follow today's date, and lines wrap with them; the
# words must be the same.
norm() {
	pdftotext "$1" - | tr -s ' \n' '  ' |
	    sed -E 's/[0-9]+([.,][0-9]+)?/N/g; s/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/M/g; s/(N )?M( N)?/D/g; s/ +/ /g' |
	    tr ' ' '\n'
}
for pair in "t.pdf sample-report.pdf" "c.pdf sample-report-for-client.pdf"; do
	set -- $pair
	norm "$1" > fresh.txt
	norm "$ROOT/docs/$2" > kept.txt
	if diff -q fresh.txt kept.txt > /dev/null; then ok; else
		bad "docs/$2 is not what the renderer makes now (make samples): $(diff kept.txt fresh.txt | head -8 | tr '\n' ' ')"
	fi
done
finish "report ($BIN)"
