#!/bin/sh
# run.sh - FHIR R4 in and out: the demo practice exported as Bundles,
# every resource validated by an outside validator (the `fhir` package
# from the npm registry, installed here with npm ci); the export imported
# into an empty practice gives identical answers and scores; the outside
# examples (US Core QuestionnaireResponse, LHC-Forms Questionnaire)
# import; bad input is refused with its JSON path and nothing is
# half-imported.
set -u
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)
SB=$ROOT/${1:-build/securebase}
DATA=$ROOT/tests/data/fhir
# The report links fontconfig, whose process-long cache is not a leak.
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
[ -d node_modules/fhir ] || npm ci --no-audit --no-fund > npm.log 2>&1 || { cat npm.log; exit 1; }
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
run() {
	name=$1; want=$2; shift 2
	"$@" >out 2>err
	rc=$?
	if grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' err; then
		bad "$name: sanitizer report"; head -20 err; return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, expected $want"; sed 's/^/  /' err | head -3
		return 1
	fi
	ok
}
has() {
	if grep -qF -- "$3" "$2"; then ok; else bad "$1: $2 lacks: $3"; sed 's/^/  got: /' "$2" | head -3; fi
}

# The demo practice (14 clients of the therapist: 12 and a couple): only
# its database.
run "demo" 0 $SB demo --no-serve
D="--db var/demo.db --key-file var/demo.db.key --user therapist"
run "export" 0 $SB $D export --fhir fx
has "export" out "exported"
[ "$(ls fx/*.json | wc -l)" -eq 14 ] && ok || bad "a Bundle per demo client"
run "validate" 0 node "$HERE/validate.cjs" fx/*.json
has "validate" out ", 0 invalid"
grep -q '"resourceType":"Observation"' fx/c1.json && ok || bad "no Observation"
grep -q '"unit":"{score}","system":"http://unitsofmeasure.org","code":"{score}"' fx/c1.json && ok || bad "no UCUM {score}"
grep -q '"code":{"coding":\[{"system":"http://loinc.org","code":"44261-6"}' fx/c1.json && ok || bad "PHQ-9 total without LOINC 44261-6"
grep -q '"url":"http://hl7.org/fhir/StructureDefinition/itemWeight","valueDecimal":3}' fx/c1.json && ok || bad "no itemWeight"
grep -q '"derivedFrom":\[{"reference":"QuestionnaireResponse/' fx/c1.json && ok || bad "no derivedFrom"
run "export pseudonymised" 0 $SB $D export --fhir px --pseudonymise
if grep -q "Mara Quill" px/*.json; then bad "a name in the pseudonymised export"; else ok; fi
[ "$(ls px/p*.json | wc -l)" -eq 14 ] && ok || bad "pseudonymous file names"
run "validate pseudonymised" 0 node "$HERE/validate.cjs" px/*.json

# Round trip into an empty practice: the same answers and scores.
printf 'correct horse battery\n' > pw
$SB init --db r.db --admin boss --admin-password-file pw > /dev/null
$SB --db r.db --user boss user add anna --role therapist --password-file pw
for f in fx/*.json; do
	run "import $f" 0 $SB --db r.db --user anna import --fhir "$f"
done
run "export before" 0 $SB $D export --csv c0
run "export after" 0 $SB --db r.db --user anna export --csv c1
for f in c0/*.csv; do
	b=$(basename "$f")
	# completed, then every item answer and score; not ids or mode.
	if [ "$(cut -d, -f3,8- "c0/$b" | sort)" = "$(cut -d, -f3,8- "c1/$b" | sort)" ]; then ok; else bad "round trip changed $b"; fi
done

# The outside examples.
run "US Core response" 0 $SB --db r.db --user anna import --fhir "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" --client 1
$SB --db r.db --user anna client show 1 | grep -q '2022-11-29T20:50:32Z	phq9	1	import	{"total": 12}' && ok || bad "US Core PHQ-9 not scored 12"
run "US Core response needs a client" 1 $SB --db r.db --user anna import --fhir "$DATA/uscore-QuestionnaireResponse-phq-9-example.json"
has "US Core response needs a client" err "whose answers?"
mkdir inst
run "LHC Questionnaire" 0 $SB --db r.db --user anna --instruments inst import --fhir "$DATA/lhc-phq9-questionnaire.json"
has "LHC Questionnaire" out "written to inst/fhir-44249-1-x.instrument"
cp err lhc.err
run "LHC instrument checks" 0 $SB --instruments inst instruments check inst/fhir-44249-1-x.instrument
has "LHC instrument checks" out "10 items, 1 score"
printf 'i1,i2,i3,i4,i5,i6,i7,i8,i9,i10\n1,2,1,0,1,2,1,0,0,1\n' > a.csv
run "LHC instrument scores" 0 $SB --instruments inst score fhir-44249-1-x a.csv --format json
has "LHC instrument scores a sum" out '"total": 8'
# A variant of the shipped PHQ-9 keeps item 9 as a risk item, so its
# answers raise the alert like the PHQ-9's own.
has "LHC PHQ-9 keeps its critical item" lhc.err "asks the items of PHQ-9: its critical items are kept"
grep -A3 "^item i9 " inst/fhir-44249-1-x.instrument | grep -q "critical 1" && ok || bad "the imported PHQ-9 lost item 9's alert"
printf 'i1,i2,i3,i4,i5,i6,i7,i8,i9,i10\n1,2,1,0,1,2,1,0,2,1\n' > a9.csv
run "LHC instrument flags item 9" 0 $SB --instruments inst score fhir-44249-1-x a9.csv --format json
has "LHC instrument flags item 9" out '"flags": ["critical:i9"]'
# Not a shipped one: critical items only where the file marks them (our
# extension), otherwise a warning that none will raise an alert.
/usr/bin/python3 - "$DATA/lhc-phq9-questionnaire.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "variant"
d["item"][8]["text"] = "A question of our own"
d["item"][8].pop("code", None)
json.dump(d, open("plain.json", "w"))
d["id"] = "marked"
d["item"][8]["extension"] = [{"url": "urn:securebase:fhir:StructureDefinition:critical-from", "valueInteger": 2}]
json.dump(d, open("marked.json", "w"))
PY
# A weight of 1e300 is refused with its path, not cast (undefined).
/usr/bin/python3 - "$DATA/lhc-phq9-questionnaire.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "huge"
for x in d["item"][0]["answerOption"][1].get("extension", []):
    if "valueDecimal" in x:
        x["valueDecimal"] = 1e300
json.dump(d, open("huge.json", "w"))
PY
run "a weight of 1e300" 1 $SB --db r.db --user anna import --fhir huge.json
has "a weight of 1e300" err "item[0].answerOption[1]: a weight must be a whole number -1000..1000"
mkdir inst3
run "a questionnaire without critical items" 0 $SB --db r.db --user anna --instruments inst3 import --fhir plain.json
has "a questionnaire without critical items warns" err "has no critical items: no answer to it will raise a risk alert"
run "a questionnaire marking its critical item" 0 $SB --db r.db --user anna --instruments inst3 import --fhir marked.json
grep -A3 "^item i9 " inst3/fhir-marked.instrument | grep -q "critical 2" && ok || bad "the marked critical item was not read"

# Bad input: the JSON path, and nothing imported.
before=$($SB --db r.db --user anna export --csv cb | sed -n 's/exported \([0-9]*\).*/\1/p')
sed 's/"LA6570-1"/"LA9999-9"/' "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" > badcode.json
run "bad answer code" 1 $SB --db r.db --user anna import --fhir badcode.json --client 1
has "bad answer code" err "item[0].answer[0].valueCoding.code: not an answer of PHQ-9 q1"
sed 's#"/44255-8"#"/99999-9"#' "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" > badlink.json
run "unknown item" 1 $SB --db r.db --user anna import --fhir badlink.json --client 1
printf '{"resourceType":"Bundle","type":"collection","entry":[' > halfbad.json
sed -n '1,$p' fx/c1.json | tr -d '\n' | sed 's/.*"entry":\[//; s/\]}$//' >> halfbad.json
printf ',{"resource":{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"%s","subject":{"reference":"Patient/c1"},"item":[{"linkId":"q1","answer":[{"valueInteger":9}]}]}}]}' "https://securebase.invalid/fhir/Questionnaire/phq9" >> halfbad.json
run "half bad bundle" 1 $SB --db r.db --user anna import --fhir halfbad.json
has "half bad bundle" err "entry["
has "half bad bundle" err "].resource.item[0].answer[0].valueInteger: not an answer of PHQ-9 q1"
after=$($SB --db r.db --user anna export --csv ca | sed -n 's/exported \([0-9]*\).*/\1/p')
[ "$before" = "$after" ] && ok || bad "a refused import left rows ($before, then $after)"
# A new Questionnaire in a Bundle with a bad response: no definition
# written either.
mkdir inst2
{ printf '{"resourceType":"Bundle","type":"collection","entry":[{"resource":'
  cat "$DATA/lhc-phq9-questionnaire.json"
  printf '},{"resource":{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"x","item":[{"linkId":"/44250-9","answer":[{"valueCoding":{"code":"LA0000-0"}}]}]}}]}'
} > qbad.json
run "questionnaire with a bad response" 1 $SB --db r.db --user anna --instruments inst2 import --fhir qbad.json --client 1
[ -z "$(ls inst2)" ] && ok || bad "a refused import wrote a definition"
printf '{"resourceType":"Patient"}' > patient.json
run "not importable" 1 $SB --db r.db --user anna import --fhir patient.json
has "not importable" err "resourceType: a QuestionnaireResponse, a Questionnaire or a Bundle"
printf '{"resourceType":' > broken.json
run "broken json" 1 $SB --db r.db --user anna import --fhir broken.json
has "broken json" err "line 1"
run "audit verify" 0 $SB --db r.db --user boss audit verify

# The research export: pseudonyms only, consented clients only.
run "research without consents" 0 $SB $D export --research rx0
has "research without consents" out "0 administrations of 0 clients"
has "research without consents" out "14 clients without a \"research-export\" consent left out"
$SB $D consent add --client 2 --kind research-export --date 2026-06-01 > /dev/null
w=$($SB $D consent add --client 3 --kind research-export --date 2026-06-01)
$SB $D consent withdraw "$w" --date 2026-07-01
run "research" 0 $SB $D export --research rx
has "research" out "of 1 client to rx (pseudonymous)"
has "research wide" rx/phq9.csv "client,date,session,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,total"
p2=$(sed -n '2s/,.*//p' rx/phq9.csv)
grep -q "\"id\":\"$p2\"" px/$p2.json && ok || bad "research and FHIR pseudonyms differ"
has "research long" rx/long.csv "client,date,session,instrument,kind,variable,value"
grep -q "^$p2,[0-9-]*,[0-9]*,phq9,score,total," rx/long.csv && ok || bad "no long-format score rows"
has "research dictionary" rx/dictionary.csv "phq9,q1,item,Little interest or pleasure in doing things,0=Not at all; 1=Several days"
has "research dictionary cites the instrument" rx/dictionary.csv "phq9,(instrument),citation,\"Kroenke K, Spitzer RL, Williams JBW (2001)"
has "research dictionary carries the licence notice" rx/dictionary.csv "phq9,(instrument),licence,\"PHQ-9 © Pfizer Inc."
if grep -rq "Jonah\|Ines\|Mara" rx; then bad "a name in the research export"; else ok; fi
[ "$(stat -c %a rx/phq9.csv)" = 600 ] && ok || bad "research files readable by others"
run "research everyone" 0 $SB $D export --research rxa --without-consent
has "research everyone" out "of 14 clients"

# The printable report: PDF pages that are not blank, two variants.  A
# note that starts like a section heading ("Alerts:") stays a note: it
# printed the decrypted notes under the alerts when the report looked
# for the word in the record's text.
printf 'Alerts: client anxious about the move; private detail QXZ-NOTE\n' | $SB $D note add --client 3 > /dev/null
run "report" 0 $SB $D report --client 3 --pdf r.pdf
has "report" out "wrote r.pdf"
run "report for the client" 0 $SB $D report --client 3 --for-client --pdf rc.pdf
[ "$(stat -c %a r.pdf)" = 600 ] && ok || bad "the report is readable by others"
pdftoppm -gray -r 20 r.pdf pg
pages=$(ls pg-*.pgm 2>/dev/null | wc -l)
[ "$pages" -ge 2 ] && ok || bad "report has $pages pages"
for p in pg-*.pgm; do
	# P5 with a 3-line header; ink: pixels darker than light grey.
	ink=$(tail -n +4 "$p" | od -An -v -tu1 | tr -s ' ' '\n' | awk '$1 != "" && $1 < 200' | wc -l)
	[ "$ink" -gt 200 ] && ok || bad "report page $p is blank ($ink dark pixels)"
done
pdftotext r.pdf r.txt && pdftotext rc.pdf rc.txt
has "report names the client" r.txt "Progress report: Ines Calloway"
has "report has alerts" r.txt "Alerts and how they were resolved"
grep -q "QXZ-NOTE\|client anxious about the move" r.txt && bad "the report prints a note under the alerts" || ok
grep -q "^Alert [0-9]*, 20" r.txt && ok || bad "the report's alerts are not listed: $(grep -A3 'Alerts and how' r.txt | head -5)"
has "report statistics" r.txt "Jacobson & Truax"
has "report lifeline" r.txt "Lifeline"
has "client report in plain words" rc.txt "real change for the worse, which we will talk about together"
if grep -q "Alerts and how\|Jacobson\|critical" rc.txt; then bad "the client's report shows therapist-only content"; else ok; fi
# The attachment picture: no quadrant names for the client (they read as
# types), the dimensions in Fraley's terms; the therapist's version keeps
# the caveat beside the region names.
has "client report has the attachment picture" rc.txt "How you relate to people close"
has "client report describes anxiety as Fraley does" rc.txt "will be there for you"
if grep -qiw "secure\|preoccupied\|dismissing\|fearful" rc.txt; then bad "the client's report names a quadrant"; else ok; fi
has "therapist report keeps the regions" r.txt "preoccupied"
has "therapist report has the caveat" r.txt "advise against"
run "report of another's client" 1 $SB --db var/demo.db --key-file var/demo.db.key --user admin report --client 3 --pdf x.pdf
[ ! -e x.pdf ] && ok || bad "a refused report left a file"

echo "fhir ($1): $passed passed, $failed failed"
echo "fhir ($1): $passed passed, $failed failed" >> "$ROOT/build/results.txt"
[ $failed -eq 0 ]
