#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# faults.sh - the anomaly test (SQLite's model): every step a command
# makes through the store is failed in turn, one per run, and then the
# allocations SQLite makes: up to ALLOC_RUNS of them spread evenly over
# the command's work once the practice is open (every one for the small
# commands), and every 97th while it opens, in build/fault/securebase
# (store/fault.c).  FAULT_ALLOC_RUNS=0 fails every allocation (slow).
# Each run must end in an error that says so, or in the whole result:
# never exit 0 with part of it (a read error once looked like the end of
# the rows, and a list, an export or a report came out short but
# "successful").
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FB=$ROOT/build/fault/securebase
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
. "$ROOT/tests/lib.sh"
injected=0; allocs=0
ALLOC_RUNS=${FAULT_ALLOC_RUNS:-100}
export SECUREBASE_DB=p.db
printf 'correct horse battery\n' > pw
$FB init --admin boss --admin-password-file pw > /dev/null || exit 1
$FB --user boss user add anna --role therapist --password-file pw
export SECUREBASE_USER=anna
for n in "Ada Example" "Bo Example" "Cy Example"; do
	$FB client add --name "$n" > /dev/null
done
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,0\n' > a1.csv
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n3,3,3,3,3,2,2,2,1\n' > a2.csv
for c in 1 2 3; do
	$FB administer phq9 --client $c --answers a1.csv > /dev/null
	$FB administer phq9 --client $c --answers a2.csv > /dev/null
done
$FB person add --client 1 --name Mum --role mother --born 1960 > /dev/null
$FB session add --client 1 --date 2026-10-01 > /dev/null
$FB session add --client 1 --date 2026-10-08 > /dev/null || exit 1
$FB event add --client 1 --category loss --date 2001-05 --valence -3 --intensity 4 > /dev/null || exit 1
printf 'first session\n' | $FB note add --client 1 > /dev/null
printf 'My mother kept a garden.\n' | $FB narrative add --client 1 --prompt caregivers > /dev/null

# one NAME WHAT K N VAR CMD...: the command with fault K of N of its
# kind (VAR: SB_FAULT_STEP or SB_FAULT_ALLOC) injected.
one() {
	name=$1; what=$2; k=$3; n=$4; var=$5; shift 5
	env "$var=$k" "$@" > got.out 2> got.err
	rc=$?
	injected=$((injected + 1))
	if [ $rc -eq 0 ]; then
		cmp -s got.out base.out && ok || bad "$name: $what $k of $n failed, exit 0, and the output differs (truncated success)"
	else
		[ -s got.err ] && ok || bad "$name: $what $k of $n failed silently (exit $rc)"
		# A failed read is not an answer: "no client 1" for a
		# client who is there would send the user looking for it.
		grep -qE '(no|not an?) (client|user|alert|such|securebase practice)' got.err &&
		    bad "$name: $what $k of $n failed and was told as not found: $(cat got.err)" || ok
		# Nothing is shown of a read that failed, or whose audit
		# row was not committed.
		[ -s got.out ] && bad "$name: $what $k of $n failed, yet printed $(wc -c < got.out) bytes" || ok
	fi
}

# attempt NAME CMD...: the command's output without faults, then with
# each of its steps failed, and each allocation after the opening.
attempt() {
	name=$1; shift
	SB_FAULT_COUNT=count "$@" > base.out 2> base.err || { bad "$name fails without faults: $(cat base.err)"; return; }
	read -r n a opened < count
	[ "$n" -gt 0 ] && [ "$opened" -gt 0 ] && ok || { bad "$name makes no steps, or never opens ($(cat count))"; return; }
	k=1
	while [ $k -le "$n" ]; do
		one "$name" step $k "$n" SB_FAULT_STEP "$@"
		k=$((k + 1))
	done
	stride=1
	[ "$ALLOC_RUNS" -gt 0 ] && [ $((a - opened)) -gt "$ALLOC_RUNS" ] &&
	    stride=$(( (a - opened + ALLOC_RUNS - 1) / ALLOC_RUNS ))
	k=1
	while [ $k -le "$a" ]; do
		one "$name" allocation $k "$a" SB_FAULT_ALLOC "$@"
		if [ $k -le "$opened" ]; then
			k=$((k + 97))
		else
			allocs=$((allocs + 1))
			k=$((k + stride))
		fi
	done
}
attempt "client list" $FB client list
attempt "client show" $FB client show 1
attempt "alerts" $FB alerts
attempt "alerts --json" $FB alerts --json
attempt "user list" $FB --user boss user list
attempt "history export" $FB history export --client 1
attempt "narrative list" $FB narrative list --client 1
attempt "history snapshots" $FB history snapshots --client 1
attempt "outcomes" $FB outcomes
attempt "export --fhir" sh -c "rm -rf fx && $FB export --fhir fx > /dev/null && cat fx/*.json"
attempt "export --csv" sh -c "rm -rf ex && $FB export --csv ex > /dev/null && cat ex/*.csv"
attempt "export --research" sh -c "rm -rf rx && $FB export --research rx --without-consent > /dev/null && cat rx/*"
# The PDF's bytes carry the time it was made: its text is compared.
attempt "report" sh -c "rm -f r.pdf && $FB report --client 1 --pdf r.pdf > /dev/null && pdftotext r.pdf -"
echo "faults: $injected faults injected one at a time (every step; $allocs allocations of the commands' work and every 97th of the opening); none gave a truncated success" | { [ $failed -eq 0 ] && cat || true; }
finish "faults"
