#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh BINARY - command-line behaviour: exit codes, the contract's
# output formats, and one-line errors that name row and column for bad
# input (unknown instrument, out-of-range value, ragged CSV, non-UTF-8
# bytes, a 2 GB line).  Run against the normal and the sanitizer build.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/tests/lib.sh"

# check NAME WANT_RC COMMAND... : runs COMMAND, keeps stdout in $T/out and
# stderr in $T/err, and checks the exit code.
check() {
	name=$1; want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want"
		sed 's/^/  stderr: /' "$T/err" | head -5
		failed=$((failed + 1))
		return 1
	fi
	if grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$T/err"; then
		echo "FAIL $name: sanitizer report"
		head -20 "$T/err"
		failed=$((failed + 1))
		return 1
	fi
	passed=$((passed + 1))
	return 0
}

# expect NAME FILE TEXT : FILE ($T/out or $T/err) contains TEXT.
expect() {
	if grep -qF -- "$3" "$2"; then
		passed=$((passed + 1))
	else
		echo "FAIL $1: $(basename "$2") lacks: $3"
		sed 's/^/  got: /' "$2" | head -5
		failed=$((failed + 1))
	fi
}

one_line() {
	if [ "$(wc -l < "$T/err")" -eq 1 ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $1: error is not one line:"; cat "$T/err"
		failed=$((failed + 1))
	fi
}

# --- help and usage ---------------------------------------------------
for c in instruments score psychometrics administer change; do
	check "help $c" 0 $SB $c --help && expect "help $c" "$T/out" "EXIT STATUS"
done
check "help" 0 $SB --help && expect help "$T/out" "COMMANDS"
check "no command" 2 $SB
check "unknown command" 2 $SB frobnicate && expect "unknown command" "$T/err" 'unknown command "frobnicate"'
check "unknown option" 2 $SB score phq9 --bogus && expect "unknown option" "$T/err" "usage:"
check "bad format" 2 $SB score phq9 --format xml
check "bad scale" 2 $SB score ecr --scale 5-1

# --- instruments ------------------------------------------------------
check "list" 0 $SB instruments list && expect list "$T/out" "disabled: needs permission"
check "list json" 0 $SB instruments list --json && expect "list json" "$T/out" '"id": "ecr-rs"'
check "show phq9" 0 $SB instruments show phq9 && expect "show" "$T/out" "q9"
expect "show critical" "$T/out" "CRITICAL at >= 1"
expect "show loinc" "$T/out" "44261-6"
check "show ecr-r" 0 $SB instruments show ecr-r && expect "show unverified" "$T/out" "UNVERIFIED"
expect "show reverse mark" "$T/out" "q9          R I rarely worry"
check "show json" 0 $SB instruments show core10 --json && expect "show json" "$T/out" '"reverse": true'
check "show unknown" 1 $SB instruments show phq-9 && expect "show unknown" "$T/err" 'no instrument "phq-9"'
check "check shipped" 0 $SB instruments check instruments/phq9.instrument docs/example.instrument
printf 'securebase-instrument 1\nid x\nversion 1\nname X\ntitle X\ncitation C\nlicence free\nlicence-terms t\noptions o\n  0 a\n  1 b\nitem q1 one\nscore s S\n  sum q1-q2\n' > "$T/bad.instrument"
check "check bad" 1 $SB instruments check "$T/bad.instrument" && expect "check bad" "$T/err" "bad.instrument:14: no item \"q2\""

# --- score: contract formats ------------------------------------------
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3,3,2,2,1,1,1,1,2\nB,0,0,0,0,0,0,0,0,\n' > "$T/phq.csv"
check "score json" 0 $SB score phq9 "$T/phq.csv" --format json
expect "score json" "$T/out" '{"row": 1, "id": "A", "scores": {"total": 16}, "bands": {"total": "Moderately severe"}, "flags": ["critical:q9"], "answered": 9}'
# A blank risk item: no total (the missing rule), and a flag of its own.
expect "score json null" "$T/out" '{"row": 2, "id": "B", "scores": {"total": null}, "bands": {"total": null}, "flags": ["unanswered:q9"], "answered": 8}'
check "score csv" 0 $SB score phq9 "$T/phq.csv"
expect "score csv header" "$T/out" "row,id,total,total.band,answered,flags"
expect "score csv row" "$T/out" "1,A,16,Moderately severe,9,critical:q9"
check "score stdin" 0 sh -c "$SB score phq9 - < '$T/phq.csv'" && expect "score stdin" "$T/out" "2,B,,,8,"
printf 'Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10,Q11,Q12,Q13,Q14,Q15,Q16,Q17,Q18,Q19,Q20,Q21,Q22,Q23,Q24,Q25,Q26,Q27,Q28,Q29,Q30,Q31,Q32,Q33,Q34,Q35,Q36,age\n%s,30\n' \
    "1,5,5,5,1,5,1,5,1,5,1,5,1,2,5,5,1,5,4,5,1,1,1,5,5,5,5,4,5,5,5,5,5,5,5,5" > "$T/ecr.csv"
check "score disabled instrument" 0 $SB score ecr "$T/ecr.csv" --scale 1-5
expect "ecr 5-point" "$T/out" "1,4.777778,1.055556,36,"
expect "licence terms shown" "$T/err" "Licence terms: Free of charge"
# Researchers' files: European Excel's semicolons (found from the
# header, or said with --delimiter), SPSS's 2.00, several missing codes.
# Row A's total 16 as above: 3+3+2+2+1+1+1+1+2.
printf 'id;q1;q2;q3;q4;q5;q6;q7;q8;q9\nA;3;3;2;2;1;1;1;1;2\n' > "$T/semi.csv"
check "semicolons found" 0 $SB score phq9 "$T/semi.csv" && expect "semicolons found" "$T/out" "1,A,16,Moderately severe,9,critical:q9"
check "semicolons said" 0 $SB score phq9 "$T/semi.csv" --delimiter ';' && expect "semicolons said" "$T/out" "1,A,16,"
check "a wrong delimiter named" 1 $SB score phq9 "$T/semi.csv" --delimiter tab && expect "a wrong delimiter named" "$T/err" "the header is one column: give --delimiter"
check "an unknown delimiter" 2 $SB score phq9 "$T/semi.csv" --delimiter x
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3.00,3.0,2,2,1,1,1,1,2.00\nB,2.5,0,0,0,0,0,0,0,0\n' > "$T/spss.csv"
check "SPSS 1.00" 1 $SB score phq9 "$T/spss.csv" && expect "SPSS 1.00 read, 2.5 refused" "$T/err" 'row 2 (line 3), column q1: not a whole number: "2.5"'
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3.00,3.0,2,2,1,1,1,1,2.00\n' > "$T/spss.csv"
check "SPSS 1.00 scores" 0 $SB score phq9 "$T/spss.csv" && expect "SPSS 1.00 scores" "$T/out" "1,A,16,"
# q9 missing by NA, q8 by -99: the missing rule (none) leaves no total;
# with 9 answered q9 missing in row B by the second code too.
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3,3,2,2,1,1,1,-99,NA\nB,0,0,0,0,0,0,0,0,-99\n' > "$T/na.csv"
check "two missing codes" 0 $SB score phq9 "$T/na.csv" --missing NA --missing -99 --format json
expect "two missing codes: NA" "$T/out" '{"row": 1, "id": "A", "scores": {"total": null}, "bands": {"total": null}, "flags": ["unanswered:q9"], "answered": 7}'
expect "two missing codes: -99" "$T/out" '{"row": 2, "id": "B", "scores": {"total": null}, "bands": {"total": null}, "flags": ["unanswered:q9"], "answered": 8}'
check "one missing code is not the other" 1 $SB score phq9 "$T/na.csv" --missing NA && expect "one missing code is not the other" "$T/err" 'column q8: not an answer of this item: "-99"'
printf 'mother.q1,mother.q2\n1,2\n' > "$T/rs.csv"
check "missing columns" 1 $SB score ecr-rs "$T/rs.csv" && expect "missing columns" "$T/err" "header: no column mother.q3"

# --- score: bad input gets one line naming row and column --------------
check "unknown instrument" 1 $SB score nope "$T/phq.csv" && expect "unknown instrument" "$T/err" 'no instrument "nope"'
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3,3,2,2,1,1,1,1,2\nB,0,0,0,7,0,0,0,0,0\n' > "$T/range.csv"
check "out of range" 1 $SB score phq9 "$T/range.csv" && one_line "out of range"
expect "out of range" "$T/err" 'row 2 (line 3), column q4: not an answer of this item: "7" (answers are 0..3'
[ ! -s "$T/out" ] && passed=$((passed + 1)) || { echo "FAIL out of range: output written"; failed=$((failed + 1)); }
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,3,3,2,2,1,1,1,1\n' > "$T/ragged.csv"
check "ragged" 1 $SB score phq9 "$T/ragged.csv" && one_line ragged
expect "ragged" "$T/err" "row 1 (line 2) has 9 fields; the header has 10"
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\n\377\376,1,1,1,1,1,1,1,1,1\n' > "$T/utf8.csv"
check "non-utf8 id" 1 $SB score phq9 "$T/utf8.csv" && one_line "non-utf8"
expect "non-utf8" "$T/err" 'row 1 (line 2), column 1: not valid UTF-8'
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,\303\251,1,1,1,1,1,1,1,1\n' > "$T/word.csv"
check "word" 1 $SB score phq9 "$T/word.csv" && expect "word" "$T/err" 'column q1: not a whole number'
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,1.5,1,1,1,1,1,1,1,1\n' > "$T/dec.csv"
check "decimal" 1 $SB score phq9 "$T/dec.csv" && expect "decimal" "$T/err" 'column q1: not a whole number: "1.5"'
check "no file" 1 $SB score phq9 "$T/none.csv" && expect "no file" "$T/err" "No such file"
: > "$T/empty.csv"
check "empty file" 1 $SB score phq9 "$T/empty.csv" && expect "empty" "$T/err" "empty file"
# A 2 GB line, streamed: refused after the record limit, not read whole.
check "2 GB line" 1 sh -c "{ printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\nA,'; head -c 2147483648 /dev/zero | tr '\\\\0' 1; } | $SB score phq9 -"
one_line "2 GB line"
expect "2 GB line" "$T/err" "row 1: line 2: record longer than 65536 bytes"

# --- psychometrics, change ----------------------------------------------
check "psychometrics" 0 $SB psychometrics ecr tests/data/openpsychometrics/ecr.csv --scale 1-5 --missing 0 --complete
expect "psychometrics avoidance" "$T/out" "Cronbach's alpha 0.938; score (mean) mean 2.565, SD 0.84"
expect "psychometrics anxiety" "$T/out" "Cronbach's alpha 0.916; score (mean) mean 3.095, SD 0.803"
check "psychometrics json" 0 $SB psychometrics ecr tests/data/openpsychometrics/ecr.csv --scale 1-5 --missing 0 --json
expect "psychometrics json" "$T/out" '"score": "anxiety", "n": 48774'
check "change" 0 $SB change phq9 --pre 18 --post 8 && expect change "$T/out" "classification: improved"
expect "change rc" "$T/out" "RC = -3.214"
check "change b" 0 $SB change phq9 --pre 18 --post 8 --criterion b && expect "change b" "$T/out" "classification: recovered"
check "change json" 0 $SB change phq9 --pre 18 --post 8 --json && expect "change json" "$T/out" '"class": "improved"'
check "change no norms" 1 $SB change k10 --pre 30 --post 15 && expect "change no norms" "$T/err" "no score with norms"
check "change range" 1 $SB change phq9 --pre 18 --post 30 && expect "change range" "$T/err" "lie in 0..27"

# --- administer -----------------------------------------------------------
check "administer" 0 sh -c "printf '1\n2\nb\n3\ns\nx\n0\n0\n0\n0\n1\n0\n0\n' | $SB administer phq9"
expect "administer progress" "$T/out" "[10/10]"
expect "administer back" "$T/out" "(your answer so far: 2)"
expect "administer retry" "$T/out" "Please type one of the numbers shown"
expect "administer null" "$T/out" "not scored"
check "administer flags" 0 sh -c "printf '0\n0\n0\n0\n0\n0\n0\n0\n2\n0\n' | $SB administer phq9"
expect "administer flag" "$T/out" "Critical item q9 was endorsed"
expect "administer band" "$T/out" "(None-minimal)"
check "administer quit" 1 sh -c "printf '1\nq\n' | $SB administer gad7" && expect quit "$T/err" "nothing scored"
check "administer eof" 1 sh -c "printf '1\n' | $SB administer gad7"
check "administer disabled" 1 sh -c "printf '1\n' | $SB administer ecr-r" && expect disabled "$T/err" "disabled"

# --- licences and local instruments ------------------------------------------
L="$T/licences"
check "permit free-text" 0 $SB --licences "$L" instruments permit ecr-r --by "Dr Admin" --reference "letter from R. C. Fraley, 2026-11-01"
check "list after permit" 0 $SB --licences "$L" instruments list && expect permit "$T/out" "enabled (permission recorded)"
check "administer after permit" 0 sh -c "yes 4 | head -36 | $SB --licences '$L' administer ecr-r"
expect "plane shown" "$T/out" "Attachment position"
expect "plane caveat" "$T/out" "advise against"
check "permit needs file" 2 $SB instruments permit ecr-r --by x --reference y
printf 'ecr-r\tbroken line\n' >> "$L"
check "bad licence line" 0 $SB --licences "$L" instruments list && expect "bad licence line" "$T/err" "licences:2: expected ID"
mkdir "$T/local"
sed 's/^name GAD-7$/name GAD-7 (local)/' instruments/gad7.instrument > "$T/local/gad7.instrument"
cp "$T/bad.instrument" "$T/local/"
check "local dir" 0 $SB --instruments "$T/local" instruments show gad7
expect "local replaces shipped" "$T/out" "GAD-7 (local)"
expect "broken local skipped" "$T/err" "bad.instrument:14"

# --- the documented example is the tested one -------------------------------
awk '/^```$/ && on { exit } on { print } /^```$/ && !on && seen { on = 1 } /complete example/ { seen = 1 }' \
    docs/instrument-format.md > "$T/doc-example"
if cmp -s "$T/doc-example" docs/example.instrument; then
	passed=$((passed + 1))
else
	echo "FAIL docs/instrument-format.md does not embed docs/example.instrument verbatim"
	failed=$((failed + 1))
fi

# Results larger than the memory kept (1 MiB) go through a nameless
# spool file: whole, in order, and valid; a bad last row still leaves
# nothing on standard output and no file behind.  (--format json writes
# one object a line.)
awk 'BEGIN { print "id,q1,q2,q3,q4,q5,q6,q7,q8,q9"; for (i = 0; i < 30000; i++) printf "p%d,%d,%d,1,0,1,2,1,0,%d\n", i, i % 4, (i + 1) % 4, i % 2 }' > "$T/big.csv"
mkdir -m 700 "$T/spool"
if check "score json through the spool" 0 env TMPDIR="$T/spool" "$SB" score phq9 "$T/big.csv" --format json; then
	# Row i's total: i%4 + (i+1)%4 + 1+0+1+2+1+0 + i%2, worked out here.
	/usr/bin/python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert len(r)==30000, len(r); bad=[i for i,x in enumerate(r) if x["scores"]["total"] != i%4+(i+1)%4+5+i%2]; assert not bad, bad[:3]' "$T/out" && passed=$((passed + 1)) || { echo "FAIL spooled json is not the 30,000 rows"; failed=$((failed + 1)); }
fi
check "score csv through the spool" 0 env TMPDIR="$T/spool" "$SB" score phq9 "$T/big.csv"
[ "$(wc -l < "$T/out")" -eq 30001 ] && passed=$((passed + 1)) || { echo "FAIL spooled csv has $(wc -l < "$T/out") lines"; failed=$((failed + 1)); }
{ cat "$T/big.csv"; echo "bad,9,0,0,0,0,0,0,0,0"; } > "$T/bad.csv"
check "a bad last row after the spool" 1 env TMPDIR="$T/spool" "$SB" score phq9 "$T/bad.csv" --format json
[ ! -s "$T/out" ] && [ -z "$(ls "$T/spool")" ] && passed=$((passed + 1)) || { echo "FAIL a bad row left output or a spool file"; failed=$((failed + 1)); }

finish "cli ($SB)"
