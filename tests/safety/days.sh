# SPDX-License-Identifier: AGPL-3.0-or-later
# days.sh - what the measurement suites share (sourced after
# tests/web/lib.sh and tests/backend.sh; needs T and SB): a test clock
# counted in days from Monday 2 March 2026, 08:00 UTC (`date -u -d
# 2026-03-02T08:00:00Z +%s`), a PHQ-9 answer file, recording one, and
# comparing a value.
T0=1772438400
export SECUREBASE_TEST_CLOCK=$T/clock
eq() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }
q() { sbsql p.db "$1"; }
# at DAY: the clock on that day; day DAY: its date.
at() { echo $((T0 + $1 * 86400)) > "$T/clock"; }
day() { date -u -d "@$((T0 + $1 * 86400))" +%Y-%m-%d; }
phq() { printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n%s\n' "$1" > a.csv; }
# administer CLIENT DAY ANSWERS: a PHQ-9 by anna on that day.
administer() { at "$2"; phq "$3"; $SB --user anna administer phq9 --client "$1" --answers a.csv > /dev/null || bad "administer $1 day $2"; }
