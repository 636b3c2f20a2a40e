#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# record.sh BINARY - the practice-record commands as a user meets them,
# and bad input for each: malformed ids, dates and numbers, huge values,
# invalid UTF-8 and the strings of tests/cli/naughty.txt are stored
# verbatim or refused with a clear message, and nothing is half-written
# (the audit trail verifies after all of it).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
DATA=$ROOT/tests/cli
. "$ROOT/tests/backend.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
. "$ROOT/tests/lib.sh"

printf 'correct horse battery\n' > pw
run "init" 0 $SB init --db p.db --admin boss --admin-password-file pw
has "init" out "Created the practice $(sb_shown p.db) with admin boss"
[ "$(stat -c %a p.db.key)" = 600 ] && ok || bad "key file mode"
run "init twice" 1 $SB init --db p.db --admin boss --admin-password-file pw
has "init twice" err "already exists"
run "init short password" 1 sh -c "echo short | $SB init --db q.db --admin x"
[ ! -e q.db ] && [ ! -e q.db.key ] && ok || bad "failed init left files"
printf 'a long and memorable passphrase\n' > pp
run "init passphrase" 0 $SB init --db pp.db --admin boss --admin-password-file pw --passphrase-file pp
[ ! -e pp.db.key ] && ok || bad "a passphrase practice wrote a key file"
run "passphrase opens" 0 $SB --db pp.db --passphrase-file pp --user boss user list
printf 'a long and memorable passphrasf\n' > wrong
run "wrong passphrase" 1 $SB --db pp.db --passphrase-file wrong --user boss user list
has "wrong passphrase" err "does not belong"
printf "short\n" > shortpp
run "short passphrase" 1 $SB init --db pq.db --admin boss --admin-password-file pw --passphrase-file shortpp
has "short passphrase" err "a passphrase is one line of 12-1024 bytes"
[ ! -e pq.db ] && ok || bad "failed init left pq.db"
export SECUREBASE_DB=p.db
run "user add" 0 $SB --user boss user add anna --role therapist --password-file pw
run "user add 2" 0 $SB --user boss user add tom --role therapist --password-file pw
run "user add supervisor" 0 $SB user add sam --role supervisor --password-file pw --user boss
run "user bad role" 2 $SB --user boss user add x --role god --password-file pw
run "user bad name" 1 $SB --user boss user add "a b" --role therapist --password-file pw
run "user dup" 1 $SB --user boss user add anna --role therapist --password-file pw
has "user dup" err 'user "anna" already exists'
run "user list" 0 $SB --user boss user list
has "user list" out "sam	supervisor	active"
run "user list by therapist" 1 $SB --user anna user list
run "no user" 2 $SB client list
run "unknown user" 1 $SB --user nobody client list
has "unknown user" err 'no user "nobody"'
export SECUREBASE_USER=anna
run "client add" 0 $SB client add --name "Ada Example" --json
has "client add json" out '{"client": 1}'
run "client list" 0 $SB client list
has "client list" out "1	Ada Example	anna"
# Sharing: the owner shares and stops; a colleague it was shared with
# reads, but cannot pass the client on.
run "tom cannot read anna's client" 1 $SB --user tom client show 1
run "share" 0 $SB client share 1 --with tom
run "tom reads the shared client" 0 $SB --user tom client show 1
run "sharing is not transitive" 1 $SB --user tom client share 1 --with sam
has "sharing is not transitive" err "only the client's own therapist may share"
run "unshare needs --with" 2 $SB client unshare 1
run "unshare" 0 $SB client unshare 1 --with tom
run "tom no longer reads it" 1 $SB --user tom client show 1
run "unshare twice" 1 $SB client unshare 1 --with tom
has "unshare twice" err "is not shared with"

# --- malformed ids, dates, numbers ------------------------------------
for id in abc -1 0 1.5 99999999999999999999 "" "1 OR 1=1"; do
	run "client id '$id'" 2 $SB client show "$id"
done
run "client missing" 1 $SB client show 42
run "tom may not read" 1 $SB --user tom client show 1
has "tom may not read" err "tom may not read client 1"
run "admin may not read" 1 $SB --user boss client show 1
run "supervisor reads" 0 $SB --user sam client show 1
run "supervisor cannot write" 1 sh -c "echo x | $SB --user sam note add --client 1"
for d in 2026-02-30 2026-13-01 1799 2026-1-1 2026/01/01 20260101 2023-02-29 "2026-01-01T00:00"; do
	run "session date '$d'" 1 $SB session add --client 1 --date "$d"
done
run "session leap day" 0 $SB session add --client 1 --date 2024-02-29
run "event huge valence" 2 $SB event add --client 1 --category loss --age 5 --valence 99999999999999999999 --intensity 3
run "event valence range" 2 $SB event add --client 1 --category loss --age 5 --valence 4 --intensity 3
run "event no date or age" 1 $SB event add --client 1 --category loss --valence -2 --intensity 3
run "event category" 1 $SB event add --client 1 --category "sadness" --age 5 --valence -2 --intensity 3
run "event ok" 0 $SB event add --client 1 --category loss --age 7 --valence -3 --intensity 5 --note "grandmother died"
run "person born" 2 $SB person add --client 1 --name "Mother Ilse" --born 1e9
run "person death before birth" 1 $SB person add --client 1 --name "Mother Ilse" --born 1960 --died 1950
run "person ok" 0 $SB person add --client 1 --name "Mother Ilse" --role mother --born 1960
run "person ok 2" 0 $SB person add --client 1 --name Dad --role father --born 1958
run "relationship type" 1 $SB relationship add --client 1 --from 1 --to 2 --type frenemies
run "relationship self" 1 $SB relationship add --client 1 --from 1 --to 1 --type close
run "relationship other client's people" 1 $SB relationship add --client 1 --from 1 --to 99 --type close
run "relationship end before start" 1 $SB relationship add --client 1 --from 1 --to 2 --type married --start 1990 --end 1980
run "relationship ok" 0 $SB relationship add --client 1 --from 1 --to 2 --type cut-off --start 1999-05
run "note empty" 1 sh -c "printf '' | $SB note add --client 1"
head -c 1048577 /dev/zero | tr '\0' 'a' > big.txt
run "note too big" 1 sh -c "$SB note add --client 1 < big.txt"
has "note too big" err "at most 1048576 bytes"

# --- cases, episodes, consents -----------------------------------------------
run "second client" 0 $SB client add --name "Bo Example"
run "case couple" 0 $SB case add --kind couple --clients 1,2
has "case couple" out "1"
run "case couple of three" 1 $SB case add --kind couple --clients 1,2,3
run "case bad list" 2 $SB case add --kind couple --clients 1,,2
run "case other's client" 1 $SB --user tom case add --kind individual --clients 1
run "share answers" 0 $SB case share-answers 1 --client 2
run "share answers not member" 1 $SB case share-answers 1 --client 3
run "episode start" 0 $SB episode start --client 1 --date 2026-09-01
run "episode twice" 1 $SB episode start --client 1 --date 2026-10-01
has "episode twice" err "already has an open episode"
run "episode end early" 1 $SB episode end 1 --date 2026-08-01
run "episode end" 0 $SB episode end 1 --date 2026-11-30
run "consent" 0 $SB consent add --client 1 --kind research-export --date 2026-09-01
run "consent withdraw" 0 $SB consent withdraw 1 --date 2026-10-01
run "consent withdraw twice" 1 $SB consent withdraw 1 --date 2026-10-02
run "show care" 0 $SB client show 1
has "show episode" out "2026-09-01	2026-11-30"
has "show consent" out "research-export	2026-09-01	2026-10-01"
has "show case" out "couple	answers private"

# --- naughty strings: stored verbatim (without spaces around a name) or
# refused, never mangled -------------------------------------------------
before=$($SB client list | wc -l)
stored=0
while IFS= read -r s; do
	if $SB client add --name "$s" > out 2> err; then
		id=$(cat out)
		$SB client show "$id" > show 2>&1
		trimmed=$(printf '%s' "$s" | sed 's/^ *//; s/ *$//')
		if grep -qF -- "Client $id: $trimmed" show; then ok; stored=$((stored + 1)); else bad "client name not verbatim: $s"; fi
		printf '%s' "$s" | $SB note add --client "$id" > /dev/null 2>&1 || bad "note refused: $s"
		$SB client show "$id" | grep -qF -- "$s" && ok || bad "note not verbatim: $s"
	else
		[ -s err ] && ok || bad "silent refusal: $s"
	fi
done < "$DATA/naughty.txt"
[ "$stored" -gt 20 ] && ok || bad "only $stored naughty strings stored"
for s in "$(printf 'bad \377 byte')" "$(printf 'overlong \300\257')" "$(printf 'surrogate \355\240\200')"; do
	n=$($SB client list | wc -l)
	run "invalid utf-8 name" 1 $SB client add --name "$s"
	has "invalid utf-8 name" err "not valid UTF-8"
	[ "$($SB client list | wc -l)" -eq "$n" ] && ok || bad "half-written client"
	run "invalid utf-8 note" 1 sh -c "printf 'note \377' | $SB note add --client 1"
done
# Output that cannot be written is a failure, not a success.
$SB client list > /dev/full 2> err; rc=$?
[ $rc = 1 ] && ok || bad "client list > /dev/full exited $rc"
has "client list > /dev/full" err "the output could not be written"
# A name is one line: a line break or tab in it forged a caseload row
# linked to another client, so control characters are refused, with
# where; spaces around a name go, and a blank name is refused.
n=$($SB client list | wc -l)
run "a name with a line break" 1 $SB client add --name "$(printf 'Eve\n1\tAda Example (spoof)')"
has "a name with a line break" err "holds a control character (a line break, tab or the like) at byte 4"
run "a name with a tab" 1 $SB client add --name "$(printf 'Eve\tAda')"
run "a name with a C1 control" 1 $SB client add --name "$(printf 'Eve\302\205Ada')"
run "a blank name" 1 $SB client add --name "   "
has "a blank name" err "the client's name is empty"
[ "$($SB client list | wc -l)" -eq "$n" ] && ok || bad "a refused name left a client"
run "spaces around a name" 0 $SB client add --name "  Zoe Example  "
$SB client list | grep -q "	Zoe Example	" && ok || bad "the name was not trimmed: $($SB client list | grep Zoe)"
run "a person named with a line break" 1 $SB person add --client 1 --name "$(printf 'Mo\nther')"
has "a person named with a line break" err "holds a control character"
long=$(head -c 1025 /dev/zero | tr '\0' 'x')
run "name too long" 1 $SB client add --name "$long"
has "name too long" err "longer than 1024 bytes"

# --- administrations, alerts ----------------------------------------------
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,0\n' > a1.csv
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n3,3,3,3,3,2,2,2,1\n' > a2.csv
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,0\n2,2,2,2,2,2,2,2,2\n' > two.csv
run "administer store" 0 $SB administer phq9 --client 1 --answers a1.csv
has "administer store" out "Stored as administration 1 of client 1."
run "administer alerts" 0 $SB administer phq9 --client 1 --answers a2.csv
has "administer alerts" out "2 alerts raised"
run "administer two rows" 1 $SB administer phq9 --client 1 --answers two.csv
run "administer no client" 2 $SB administer phq9 --answers a1.csv
run "administer other's client" 1 $SB --user tom administer phq9 --client 1 --answers a1.csv
run "administer disabled" 1 $SB administer ecr-r --client 1 --answers a1.csv
has "administer disabled" err "disabled"
run "alerts" 0 $SB alerts
has "alerts high first" out "high	critical-item"
run "alerts json" 0 $SB alerts --json
has "alerts json" out '"rule": "reliable-deterioration"'
/usr/bin/python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); assert a[0]["severity"] == "high" and all("detail" in x for x in a)' out && ok || bad "alerts --json is not the JSON expected: $(head -c 300 out)"
run "alert ack" 0 $SB alerts ack 1 --note "phoned; safe"
run "alert resolve" 0 $SB alerts resolve 1 --note "plan agreed"
run "alert back" 1 $SB alerts ack 1
run "alert bad id" 2 $SB alerts ack x
run "permit needs admin" 1 $SB instruments permit ecr-r --reference "letter"
run "permit" 0 $SB --user boss instruments permit ecr-r --reference "letter from R. C. Fraley"
run "list shows db permission" 0 $SB instruments list
has "list shows db permission" out "enabled (permission recorded)"
# Alliance drop: the WAI-SR total below the client's first raises a medium
# alert (with fewer than 20 completed episodes only this rule applies).
run "permit wai-sr" 0 $SB --user boss instruments permit wai-sr --reference "SPR permission letter"
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12\n4,4,4,4,4,4,4,4,4,4,4,4\n' > w1.csv
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12\n4,4,4,3,4,4,4,4,4,4,4,4\n' > w2.csv
run "wai-sr first" 0 $SB administer wai-sr --client 1 --answers w1.csv
run "wai-sr lower" 0 $SB administer wai-sr --client 1 --answers w2.csv
has "wai-sr lower" out "1 alert raised"
run "alliance alert" 0 $SB alerts
has "alliance alert" out "medium	alliance-drop	open"
has "alliance alert detail" out "WAI-SR total: 47, below the client's first reading (48)"

# --- export and import -----------------------------------------------------
run "export" 0 $SB export --csv ex
has "export" ex/phq9.csv "1,1,"
[ "$(stat -c %a ex/phq9.csv)" = 600 ] && ok || bad "export file mode"
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,0,0,0,0,0,0,0,0,0\n1,0,0,7,0,0,0,0,0,0\n2,1,1,1\nx,0,0,0,0,0,0,0,0,0\n' > bad.csv
run "import dry-run reports every bad row" 1 $SB import --csv bad.csv --instrument phq9 --dry-run
has "import row 2" err "row 2 (line 3), column q3"
has "import row 3" err "row 3 (line 4) has 4 fields"
has "import row 4" err "row 4 (line 5), column id: not a client id"
has "import nothing" err "3 bad rows; nothing imported"
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,0,0,0,0,0,0,0,0,0\n99,0,0,0,0,0,0,0,0,0\n' > noclient.csv
run "import unknown client rolls back" 1 $SB import --csv noclient.csv --instrument phq9
has "import unknown client" err "row 2: no client 99; nothing imported"
printf 'id,q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,0,0,0,0,0,0,0,0,0\n1,1,0,0,0,0,0,0,0,0\n' > good.csv
run "import dry-run ok" 0 $SB import --csv good.csv --instrument phq9 --dry-run
run "import" 0 $SB import --csv good.csv --instrument phq9
has "import" out "imported 2 administrations of phq9"
$SB client show 1 | grep -c 'import' > count
[ "$(cat count)" -eq 2 ] && ok || bad "import stored $(cat count) rows, expected 2 (none from the failed imports)"

# --- rescore after an instrument fix ------------------------------------------------
run "rescore unchanged" 0 $SB rescore
has "rescore unchanged" out "; 0 rescored"
mkdir fix
sed -e 's/^version 1$/version 2/' -e 's/^  band 20 Severe$/  band 19 Severe/' "$ROOT/instruments/phq9.instrument" > fix/phq9.instrument
run "rescore after fix" 0 $SB --instruments fix rescore --instrument phq9
has "rescore after fix" out "rescored with the current definitions"
run "rescore again" 0 $SB --instruments fix rescore --instrument phq9
has "rescore again" out "; 0 rescored"
run "rescore unknown" 1 $SB rescore --instrument nope

# --- backup, restore, audit ---------------------------------------------------
run "backup" 0 $SB backup b.db
has "backup" out "written and verified"
cp out backup.out
run "backup exists" 1 $SB backup b.db
run "restore refuses existing" 1 $SB restore b.db --db p.db
run "restore" 0 $SB restore b.db --db r.db --key-file p.db.key
run "restored verifies" 0 $SB audit verify --db r.db --key-file p.db.key
run "audit verify" 0 $SB audit verify
has "audit verify" out "audit trail intact"
# Someone with the file (or the database server) but not the key edits
# a row: named, exit 1.
if sb_pg; then
	sbsql r.db "DROP TRIGGER audit_no_update ON audit; UPDATE audit SET user_name = 'tom' WHERE seq = 3"
else
	sbsql r.db "DROP TRIGGER audit_no_update; UPDATE audit SET user_name = 'tom' WHERE seq = 3"
fi
run "audit verify tampered" 1 $SB audit verify --db r.db --key-file p.db.key
has "audit verify tampered" err "NOT INTACT at row 3"
# Anchors: from `audit anchor` and from the backup's report; a trail
# erased or rolled back past them is caught.
has "backup reports an anchor" backup.out "anchor: securebase-anchor 1 seq="
grep "^anchor: " backup.out > anchors.log
run "audit anchor" 0 $SB audit anchor
grep -q "^securebase-anchor 1 seq=[0-9]* epoch=[0-9]* hash=[0-9a-f]\{64\} mac=[0-9a-f]\{64\}$" out && ok || bad "audit anchor prints no anchor line"
ANCHOR=$(cat out)
echo "Nov 29 12:00:00 host securebase[1]: $ANCHOR" >> anchors.log
run "verify with an anchor" 0 $SB audit verify --anchor "$ANCHOR"
has "verify with an anchor" out "up to 1 anchor"
run "verify with a file of anchors" 0 $SB audit verify --anchor anchors.log
has "verify with a file of anchors" out "up to 2 anchors"
run "verify with a bad anchor" 2 $SB audit verify --anchor "securebase-anchor 1 seq=x"
# The restored copy is older than the anchor taken after it.
run "a restored older copy is caught by the anchor" 1 $SB audit verify --db r.db --key-file p.db.key --anchor "$ANCHOR"
# Erasure: every row and the head deleted, the guards put back.
sbcopy p.db e.db
if sb_pg; then
	sbsql e.db "DROP TRIGGER audit_no_delete ON audit; DROP TRIGGER audit_head_no_delete ON audit_head; DELETE FROM audit; DELETE FROM audit_head; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse('audit rows cannot be deleted'); CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_refuse('the audit head cannot be deleted');"
else
	sbsql e.db "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_head_no_delete; DELETE FROM audit; DELETE FROM audit_head; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END; CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;"
fi
run "an erased trail is not intact" 1 $SB audit verify --db e.db --key-file p.db.key
has "an erased trail is not intact" err "the audit head is missing"
run "nothing is recorded over an erased trail" 1 $SB --db e.db --key-file p.db.key client add --name X
# Positive control first: what is stored as it is (a user name) is found.
sb_has_text "anna" p.db b.db && ok || bad "the plaintext search finds nothing, so proves nothing"
# Words long enough that no ciphertext holds them by chance: on
# PostgreSQL the search reads the whole cluster, tens of megabytes of
# sealed fields, MACs and hashes, where any three given letters turn up
# by chance about once in 16 MB (a "Mum" did, in CI).
for w in "Ada Example" "grandmother died" "phoned; safe" "Mother Ilse"; do
	if sb_has_text "$w" p.db b.db; then bad "plaintext \"$w\" in a database file"; else ok; fi
done

finish "record ($1)"
