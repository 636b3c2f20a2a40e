#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# narrative.sh BINARY - securebase narrative as the contract and a
# therapist meet it: analyze writes the contract's JSON with every
# indicator id and character offsets, needs no database, reads another
# language's lexicon as data and names the line of a bad one; in a
# practice, prompts are seeded and changed, drafts are kept as versions,
# and access holds.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
. "$ROOT/tests/backend.sh"
SB=$ROOT/$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
. "$ROOT/tests/lib.sh"

printf "Zoë: I don't remember. My mother died; Mum says hello. Looking back -- \n" > n.txt
run "analyze json" 0 $SB narrative analyze --json n.txt
for id in episodic generalisation no_recall temporal causal dead_present hedge filler metacognition absent_address_anger unfinished; do
	has "analyze json $id" out "{\"id\": \"$id\", \"count\": "
done
has "analyze offsets in characters" out '{"id": "no_recall", "count": 1, "per_1000": 83.3, "spans": [[5, 21]]}'
has "analyze words" out '{"words": 12, "indicators": ['
has "analyze dead present" out '{"id": "dead_present", "count": 1, "per_1000": 83.3, "spans": [[39, 47]]}'
run "analyze stdin" 0 sh -c "$SB narrative analyze --json < n.txt"
has "analyze stdin" out '"words": 12'
run "analyze table" 0 $SB narrative analyze n.txt
has "analyze table" out 'no_recall                   1      83.3  "I don'"'"'t remember"'
has "analyze table says what it is" out "not an assessment"
run "analyze empty" 0 sh -c "printf '' | $SB narrative analyze --json"
has "analyze empty" out '{"words": 0, "indicators": [{"id": "episodic", "count": 0, "per_1000": 0.0, "spans": []}'
run "analyze missing file" 1 $SB narrative analyze --json nothing.txt
has "analyze missing file" err "nothing.txt"
run "analyze bad verb" 2 $SB narrative frobnicate
head -c 300000 /dev/urandom > junk
run "analyze junk" 0 $SB narrative analyze --json junk
# Another language as data, and a bad lexicon named by line.
{
	echo "language xx"
	for id in episodic generalisation no_recall temporal causal dead_present hedge filler metacognition absent_address_anger unfinished; do
		printf 'indicator %s\n  title t\n  definition d\n  research r\n  strength Weak\n  false-positives f\n' $id
		[ $id = hedge ] && echo "  phrase zorp"
		[ $id = unfinished ] && echo "  marker --"
	done
} > xx.lexicon
printf 'zorp zorp blip\n' > xx.txt
run "another language" 0 $SB narrative analyze --json --lexicon xx.lexicon xx.txt
has "another language" out '{"id": "hedge", "count": 2,'
printf 'language xx\nindicator hedge\n  phrase {nope}\n' > bad.lexicon
run "bad lexicon" 1 $SB narrative analyze --lexicon bad.lexicon xx.txt
has "bad lexicon" err "bad.lexicon:3: no class {nope}"

# In a practice.
printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user boss user add tom --role therapist --password-file pw
$SB --user boss user add sam --role supervisor --password-file pw
$SB --user anna client add --name "Ada" > /dev/null
run "prompts" 0 $SB --user anna narrative prompts
has "prompts seeded" out "caregivers	Who looked after you"
[ "$(wc -l < out)" -eq 7 ] && ok || bad "seven shipped prompts"
run "add" 0 $SB --user anna narrative add --client 1 --prompt loss n.txt
has "add" out "1"
run "add again" 0 sh -c "echo 'Looking back, it was hard.' | $SB --user anna narrative add --client 1 --prompt loss"
has "add again" out "2"
run "add the same" 0 sh -c "echo 'Looking back, it was hard.' | $SB --user anna narrative add --client 1 --prompt loss"
has "the same is not kept twice" out "2"
run "add empty" 1 sh -c "printf '' | $SB --user anna narrative add --client 1 --prompt loss"
has "add empty" err "empty draft"
run "add unknown prompt" 1 $SB --user anna narrative add --client 1 --prompt nope n.txt
has "add unknown prompt" err 'no prompt "nope"'
run "add for another's client" 1 $SB --user tom narrative add --client 1 --prompt loss n.txt
run "supervisor cannot add" 1 $SB --user sam narrative add --client 1 --prompt loss n.txt
run "list" 0 $SB --user anna narrative list --client 1
has "list" out "loss	2	"
run "drafts" 0 $SB --user anna narrative drafts --client 1 --prompt loss --json
has "drafts" out '{"version": 1,'
has "drafts" out '{"version": 2,'
has "drafts per 1000" out '"metacognition": '
run "drafts of another's client" 1 $SB --user tom narrative drafts --client 1 --prompt loss
run "supervisor reads drafts" 0 $SB --user sam narrative drafts --client 1 --prompt loss
run "prompt set" 0 $SB --user anna narrative prompt hopes --text "What do you hope for?"
run "prompt set by supervisor" 1 $SB --user sam narrative prompt hopes --text "x"
run "prompt bad key" 1 $SB --user anna narrative prompt "Bad Key" --text "x"
run "prompts after" 0 $SB --user anna narrative prompts
has "prompts after" out "hopes	What do you hope for?"
run "audit verify" 0 $SB --user boss audit verify
sb_has_text "boss" p.db && ok || bad "the plaintext search finds nothing, so proves nothing"
if sb_has_text "Looking back, it was hard" p.db; then bad "a draft in plaintext"; else ok; fi

finish "narrative ($1)"
