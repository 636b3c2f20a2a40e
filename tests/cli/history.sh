#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# history.sh BINARY - securebase history as a therapist meets it: each
# hard family of tests/data/history imports, and its map and lifeline are
# well-formed SVG drawing every person and tie once; export and import
# round-trip; bad files are refused with the path of the fault and
# change nothing; another therapist cannot read the history; snapshots
# compare; hostile names come out escaped.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
DATA=$ROOT/tests/data/history
. "$ROOT/tests/backend.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
. "$ROOT/tests/lib.sh"

lacks() {
	if grep -qF -- "$3" "$2"; then bad "$1: $2 has: $3"; else ok; fi
}
count() { grep -o -- "$2" "$1" | wc -l | tr -d ' '; }
same() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: $2, expected $3"; fi
}
# The export without its ids, which an import renumbers.
shape() { sed -E 's/"(id|a|b)":[0-9]+/"\1":N/g' "$1"; }

printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user boss user add tom --role therapist --password-file pw
n=0
for f in remarriage adoption twins three-generations alone; do
	n=$((n + 1))
	$SB --user anna client add --name "Client $f" > /dev/null
	run "import $f" 0 $SB --user anna history import --client $n "$DATA/$f.json"
	has "import $f" out "imported"
	run "map $f" 0 $SB --user anna history map --client $n
	cp out map.svg
	run "map $f is XML" 0 xmllint --noout map.svg
	people=$(grep -o '"id": *[0-9]*' "$DATA/$f.json" | wc -l | tr -d ' ')
	ties=$(grep -o '"type": *"' "$DATA/$f.json" | wc -l | tr -d ' ')
	same "map $f people drawn" "$(count map.svg 'data-person=')" "$people"
	same "map $f ties drawn" "$(count map.svg 'data-tie=')" "$ties"
	run "lifeline $f" 0 $SB --user anna history lifeline --client $n
	cp out life.svg
	run "lifeline $f is XML" 0 xmllint --noout life.svg
	run "patterns $f" 0 $SB --user anna history patterns --client $n
	has "patterns $f" out "ties,"
	cp out "patterns-$f.txt"
done
has "patterns three-generations" patterns-three-generations.txt "They occur in 2 generations."
has "patterns three-generations" patterns-three-generations.txt "Losses and separations before age 10: separation at age 4, divorce at age 9."

# Export, import elsewhere, export again: the same history.
run "export" 0 $SB --user anna history export --client 4
cp out e1.json
$SB --user anna client add --name "Copy" > /dev/null
run "import the export" 0 $SB --user anna history import --client 6 e1.json
run "export the copy" 0 $SB --user anna history export --client 6
cp out e2.json
if [ "$(shape e1.json)" = "$(shape e2.json)" ]; then ok; else bad "round trip changed the history"; fi

# Bad files: the path of the fault, and nothing changed.
refuse() {	# refuse NAME JSON EXPECTED-MESSAGE
	printf '%s' "$2" > bad.json
	run "refuse $1" 1 $SB --user anna history import --client 6 bad.json
	has "refuse $1" err "$3"
	$SB --user anna history export --client 6 > now.json
	if [ "$(shape now.json)" = "$(shape e2.json)" ]; then ok; else bad "refused $1 changed the history"; fi
}
P='"people":[{"id":1,"name":"A"},{"id":2,"name":"B"}]'
refuse "unknown person" "{\"schema\":1,$P,\"ties\":[{\"a\":1,\"b\":9,\"type\":\"close\"}],\"events\":[]}" "ties[0].b: no person with id 9"
refuse "unknown tie type" "{\"schema\":1,$P,\"ties\":[{\"a\":1,\"b\":2,\"type\":\"friendly\"}],\"events\":[]}" "ties[0].type: \"friendly\" is not one of"
refuse "schema" '{"schema":2,"people":[],"ties":[],"events":[]}' "schema: this is securebase history schema 1; the file says 2"
refuse "unknown field" '{"schema":1,"people":[{"id":1,"name":"A","colour":"red"}],"ties":[],"events":[]}' "people[0].colour: not a field of this schema"
refuse "malformed" '{"schema":1,"people":[' "line 1, column"
refuse "event with no time" "{\"schema\":1,$P,\"ties\":[],\"events\":[{\"category\":\"loss\",\"valence\":-3,\"intensity\":5}]}" "events[0]: an event needs a date or an age"
refuse "bad year" '{"schema":1,"people":[{"id":1,"name":"A","born":1700}],"ties":[],"events":[]}' "people[0].born: must be a whole number 1800..2200"
refuse "bad date" "{\"schema\":1,$P,\"ties\":[{\"a\":1,\"b\":2,\"type\":\"married\",\"start\":\"2023-02-30\"}],\"events\":[]}" "is not a date"
refuse "valence" "{\"schema\":1,$P,\"ties\":[],\"events\":[{\"category\":\"loss\",\"age\":3,\"valence\":-4,\"intensity\":5}]}" "events[0].valence: must be a whole number -3..3"
refuse "duplicate key" '{"schema":1,"schema":1,"people":[],"ties":[],"events":[]}' "duplicate"
refuse "self tie" "{\"schema\":1,$P,\"ties\":[{\"a\":1,\"b\":1,\"type\":\"close\"}],\"events\":[]}" "ties[0]: a tie joins two different people"
head -c 9000000 /dev/zero | tr '\0' ' ' > huge.json
run "refuse huge" 1 $SB --user anna history import --client 6 huge.json
has "refuse huge" err "huge.json"

# Another therapist's client: refused, and said so.
run "tom reads anna's history" 1 $SB --user tom history export --client 1
has "tom reads anna's history" err "not"
run "tom imports over it" 1 $SB --user tom history import --client 1 "$DATA/alone.json"
run "still anna's" 0 $SB --user anna history export --client 1
has "still anna's" out "Half-sister"

# Editing one entry from the command line: the fields given change, the
# others stay; an entry of another client's history is not found.
run "person add" 0 $SB --user anna person add --client 5 --name "Uncle Bo" --born 1950 --gender male
bo=$(cat out)
run "person edit" 0 $SB --user anna person edit "$bo" --client 5 --died 2001 --gender ""
run "person edited" 0 $SB --user anna history export --client 5
has "person edited" out '"name":"Uncle Bo","role":null,"gender":null,"born":1950,"died":2001'
run "person edit elsewhere" 1 $SB --user anna person edit "$bo" --client 4 --name X
has "person edit elsewhere" err "no person $bo in this client's history"
run "person edit bad year" 2 $SB --user anna person edit "$bo" --client 5 --died 19x1
run "person edit died before born" 1 $SB --user anna person edit "$bo" --client 5 --died 1900
has "person edit died before born" err "death year before birth year"
run "event add" 0 $SB --user anna event add --client 5 --category move --age 12 --valence -1 --intensity 2
ev=$(cat out)
run "event edit" 0 $SB --user anna event edit "$ev" --client 5 --valence 1 --end-age 13
run "event edited" 0 $SB --user anna history export --client 5
has "event edited" out '"category":"move","date":null,"age":12,"end_date":null,"end_age":13,"valence":1,"intensity":2'
run "event remove" 0 $SB --user anna event remove "$ev" --client 5
run "event removed" 0 $SB --user anna history export --client 5
lacks "event removed" out '"category":"move"'
me=$(sed -n 's/.*"id":\([0-9]*\),"name":"Client".*/\1/p' out | head -1)
run "event remove again" 1 $SB --user anna event remove "$ev" --client 5
run "tie add" 0 $SB --user anna relationship add --client 5 --from "$bo" --to "$me" --type close
tie=$(cat out)
run "tie edit" 0 $SB --user anna relationship edit "$tie" --client 5 --type cut-off --start 1999
run "tie edited" 0 $SB --user anna history export --client 5
has "tie edited" out '"type":"cut-off","start":"1999"'
run "tie edit bad type" 1 $SB --user anna relationship edit "$tie" --client 5 --type friendly
run "person remove takes ties" 0 $SB --user anna person remove "$bo" --client 5
run "person removed" 0 $SB --user anna history export --client 5
lacks "person removed" out "Uncle Bo"
lacks "person removed" out '"type":"cut-off","start":"1999"'
run "verb" 2 $SB --user anna person frob --client 5

# Snapshots and their comparison.
run "snapshot" 0 $SB --user anna history snapshot --client 5 --label "at intake"
a=$(cat out)
run "snapshot needs a label" 2 $SB --user anna history snapshot --client 5
$SB --user anna event add --client 5 --category loss --age 41 --valence -3 --intensity 5 > /dev/null
$SB --user anna person add --client 5 --name "Aunt May" > /dev/null
run "snapshot 2" 0 $SB --user anna history snapshot --client 5 --label "month 6"
b=$(cat out)
run "snapshots" 0 $SB --user anna history snapshots --client 5
has "snapshots" out "at intake"
has "snapshots" out "month 6"
run "compare" 0 $SB --user anna history compare --client 5 "$a" "$b"
has "compare" out "From at intake"
has "compare" out "+ event loss, age 41"
has "compare" out "+ person Aunt May"
run "compare with now" 0 $SB --user anna history compare --client 5 "$b"
has "compare with now" out "No change."
run "compare another client's snapshot" 1 $SB --user anna history compare --client 4 "$a"

# Hostile names: stored verbatim, drawn escaped.
cat > hostile.json <<'J'
{"schema":1,"people":[{"id":1,"name":"<script>alert(1)</script>","role":"self"},{"id":2,"name":"\"&'><svg onload=x>"}],"ties":[{"a":1,"b":2,"type":"close"}],"events":[]}
J
$SB --user anna client add --name "Hostile" > /dev/null
run "import hostile" 0 $SB --user anna history import --client 7 hostile.json
run "map hostile" 0 $SB --user anna history map --client 7
cp out map.svg
lacks "map hostile" map.svg "<script>"
lacks "map hostile" map.svg "<svg onload"
has "map hostile" map.svg "&lt;script&gt;alert(1)&lt;/script&gt;"
run "map hostile is XML" 0 xmllint --noout map.svg
run "export hostile" 0 $SB --user anna history export --client 7
has "export hostile" out '<script>alert(1)</script>'

# Every family, the hard ones too, lays out with nothing overlapping and
# no line through another's symbol or label; the crossings are printed.
n=7
for f in remarriage adoption twins three-generations alone hard-family \
    blended four-generations; do
	n=$((n + 1))
	$SB --user anna client add --name "Layout $f" > /dev/null
	run "import $f again" 0 $SB --user anna history import --client $n "$DATA/$f.json"
	run "layout $f" 0 $SB --user anna history layout --client $n
	has "layout $f" out "0 overlaps, 0 lines through a symbol or label"
	printf '  layout %-20s %s\n' "$f" "$(cat out)"
	run "map $f" 0 $SB --user anna history map --client $n
	cp out map.svg
	run "map $f is XML" 0 xmllint --noout map.svg
done
run "map hard-family" 0 $SB --user anna history map --client 13
has "households outlined" out 'class="households"'
# Each line of a name isolated between FSI and PDI (U+2068, U+2069), so
# that a right-to-left name keeps to itself (issue 31).
FSI=$(printf '\342\201\250'); PDI=$(printf '\342\201\251')
has "a name on two lines, isolated" out ">${FSI}Grandmother${PDI}</text>"
has "a name on two lines, isolated" out ">${FSI}(maternal)${PDI}</text>"
run "layout needs a client" 2 $SB --user anna history layout

run "audit verify" 0 $SB --user boss audit verify
sb_has_text "boss" p.db && ok || bad "the plaintext search finds nothing, so proves nothing"
for w in "Half-sister" "Aunt May" "Met birth mother"; do
	if sb_has_text "$w" p.db; then bad "plaintext \"$w\" in the database"; else ok; fi
done

finish "history ($1)"
