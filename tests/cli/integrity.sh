#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# integrity.sh BINARY - the rows that decide access and safety, edited
# with write access to the database but without the key (issue 31): a
# share granted, another user's password hash copied in with the second
# factor taken off, a note moved to another client, an open critical
# alert marked resolved, an answer changed, rows deleted.  Each edit is
# made with the database's own command line (sqlite3 or psql) on a copy
# of a practice that verifies; each is then named by `audit verify`,
# refused where it is read (the command line and the web), and the
# refusal is in the audit trail.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 23) % 11000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }
# tampered NAME SQL WORDS: the edit made on a fresh copy of the practice;
# audit verify fails, naming WORDS.
tampered() {
	sbcopy good.db p.db
	q "$2" > /dev/null || { bad "$1: the edit itself failed"; return; }
	$SB audit verify > vout 2> verr && { bad "$1: audit verify passes"; return; }
	grep -q -- "$3" verr && ok || bad "$1: verify does not name $3: $(cat verr)"
}
# refused NAME WORDS CMD...: exits non-zero, saying WORDS.
refused() {
	name=$1; words=$2; shift 2
	"$@" > out 2> err && { bad "$name: done: $(head -3 out)"; return; }
	grep -q -- "$words" err && ok || bad "$name: $(cat err)"
}

practice 2> /dev/null
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test > /dev/null 2>&1
$SB --user boss user add tom --role therapist --password-file pw --email tom@clinic.test > /dev/null 2>&1
printf 'a different long password\n' > pw2
$SB --user boss user passwd tom --password-file pw2 > /dev/null 2>&1
$SB --user boss settings set duty-email duty.desk@clinic.test > /dev/null
$SB --user boss settings set duty-phone "+447700900123" > /dev/null
$SB --user anna client add --name "Ada Example" > /dev/null
$SB --user tom client add --name "Tim Example" > /dev/null
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9\n1,1,1,1,1,1,1,1,2\n' > a.csv
$SB --user anna import --csv a.csv --instrument phq9 --client 1 --date 2026-11-30 > /dev/null
printf 'A private note about Ada.\n' | $SB --user anna note add --client 1 > /dev/null
$SB --user tom client show 1 > /dev/null 2>&1 && bad "tom reads anna's client before any edit" || ok
$SB audit verify > out 2>&1 && ok || bad "the practice does not verify before any edit: $(cat out)"
grep -q "sealed rows intact: [0-9]* rows" out && ok || bad "verify says nothing of the sealed rows: $(cat out)"
[ "$(q "SELECT count(*) FROM alerts WHERE state = 'open' AND severity = 'high'")" = 1 ] && ok || bad "no open critical alert to hide"

# --- staff addresses and phones sealed: the alert's three messages are queued to them ------------
[ "$(q "SELECT count(*) FROM outbox WHERE alert_id IS NOT NULL")" = 3 ] && ok || bad "the alert did not queue its three messages"
for a in anna@clinic.test tom@clinic.test duty.desk@clinic.test 447700900123; do
	sb_has_text "$a" p.db && bad "\"$a\" stands in plain text in the database" || ok
done
$SB --user boss notify list > out 2>&1 && grep -q "anna@clinic.test" out && grep -q "duty.desk@clinic.test" out && ok || bad "the outbox does not show its recipients to the admin: $(cat out)"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'queue' AND detail IN ('mail to the therapist', 'mail to the duty address', 'SMS to the duty phone')")" = 3 ] && ok || bad "the queue rows do not say who: $(q "SELECT detail FROM audit WHERE action = 'queue'")"
sbcopy p.db good.db

# --- a share granted by hand ----------------------------------------------------------------
tampered "a share granted" "INSERT INTO client_shares (client_id, user_id) VALUES (1, (SELECT id FROM users WHERE name = 'tom'))" "client_shares 1/3: inserted outside securebase"
refused "tom reads the client through it" "changed outside securebase" $SB --user tom client show 1
refused "tom's client list" "changed outside securebase" $SB --user tom client list
grep -q "Ada Example" out && bad "the client list showed the name" || ok
[ "$(q "SELECT count(*) FROM audit WHERE action = 'altered' AND entity = 'client_shares'")" -ge 1 ] && ok || bad "the refusal is not in the audit trail"

# --- another user's hash copied in, the second factor taken off -------------------------------
tampered "a password hash copied" "UPDATE users SET password = (SELECT password FROM users WHERE name = 'anna'), totp = NULL WHERE name = 'tom'" "users 3: altered outside securebase"
serve_start
[ "$(login tom t.jar)" = 303 ] && bad "tom signs in with anna's password" || ok
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna, whose row is genuine, cannot sign in"
kill $PID; wait $PID 2> /dev/null; PID=
[ "$(q "SELECT count(*) FROM audit WHERE action = 'altered' AND entity = 'users'")" -ge 1 ] && ok || bad "the refused sign-in is not in the audit trail"
tampered "a role raised" "UPDATE users SET role = 'supervisor' WHERE name = 'tom'" "users 3: altered"
refused "the raised role acts" "changed outside securebase" $SB --user tom client show 1
# The name clients read is sealed for its user: copied to another, it
# opens for no one, and that user acts no more (issue 35).
sbcopy good.db p.db
$SB --user anna user display anna "Dr Anna Berg" > /dev/null 2>&1 && ok || bad "anna cannot set her name for clients"
q "UPDATE users SET display = (SELECT display FROM users WHERE name = 'anna') WHERE name = 'tom'" > /dev/null
refused "a name for clients moved to another user" "display cannot be decrypted" $SB --user tom client list
$SB --user anna client list > /dev/null 2>&1 && ok || bad "anna, whose name is genuine, cannot act"

# --- a sealed note moved to another client ----------------------------------------------------
tampered "a note moved" "UPDATE notes SET client_id = 2" "notes 1: altered outside securebase"
refused "the moved note in tom's client's record" "notes 1 was changed outside securebase" $SB --user tom client show 2
grep -q "private note" out && bad "the moved note was shown" || ok

# --- an open critical alert hidden --------------------------------------------------------------
tampered "an alert resolved by hand" "UPDATE alerts SET state = 'resolved'" "alerts 1: altered outside securebase"
refused "the alerts list" "alerts 1 was changed outside securebase" $SB --user anna alerts
serve_start
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in"
code "the caseload with the hidden alert" 500 -b a.jar $O/
has "the page says what happened" "changed outside securebase"
lacks "nothing of the list shown" "Ada Example"
kill $PID; wait $PID 2> /dev/null; PID=
# With what points at it (PostgreSQL keeps the foreign keys).
tampered "an alert deleted" "DELETE FROM outbox WHERE alert_id IS NOT NULL; DELETE FROM alerts" "alerts: 1 sealed row deleted outside securebase"
tampered "an alert inserted" "INSERT INTO alerts (id, client_id, rule, severity, state, created) VALUES (99, 1, 'critical-item', 'low', 'open', '2026-12-01T00:00:00Z')" "alerts 99: inserted outside securebase"

# --- an answer changed ---------------------------------------------------------------------------
tampered "an answer changed" "UPDATE administrations SET answers = replace(answers, 'q9=2', 'q9=0')" "administrations 1: altered outside securebase"
refused "the client's answers exported" "changed outside securebase" $SB --user anna export --csv ex
serve_start
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in"
code "the client's page with the changed answer" 500 -b a.jar $O/clients/1
has "the page says what happened" "changed outside securebase"
lacks "no score of it shown" "PHQ-9</a>"
kill $PID; wait $PID 2> /dev/null; PID=
tampered "a score changed" "UPDATE administrations SET scores = replace(scores, '10', '1')" "administrations 1: altered"
tampered "an administration deleted" "DELETE FROM outbox WHERE alert_id IS NOT NULL; DELETE FROM alerts; DELETE FROM latest; DELETE FROM import_sources; DELETE FROM administrations" "administrations: 1 sealed row deleted"

# --- links, which open a client's questionnaire or progress page without an account ------------------
# A token whose hash the editor knows: what someone without the key
# would put in to answer for a client, or read their progress.
TOK=$(printf '%064d' 7)
TOKHASH=$(python3 -c "import hashlib; print(hashlib.blake2b(b'$TOK', digest_size=32).hexdigest())")
if sb_pg; then HX="'\\x$TOKHASH'::bytea"; else HX="x'$TOKHASH'"; fi
sbcopy good.db p.db
serve_start
URL=$($SB --user anna link create --client 1 --instrument gad7 --origin $O --days 7)
code "a genuine link opens" 200 "$URL"
[ "$(login anna a.jar)" = 303 ] && ok || bad "anna cannot sign in"
code "the client's page" 200 -b a.jar $O/clients/1
CS=$(csrf)
code "a progress link made" 200 -b a.jar -H "Origin: $O" --data "csrf=$CS" $O/clients/1/progress/link
PURL=$(grep -o "$O/p/[0-9a-f]*" body | head -1)
code "the genuine progress page opens" 200 "$PURL"
q "UPDATE links SET client_id = 2 WHERE id = (SELECT max(id) FROM links)" > /dev/null
code "a link moved to tom's client" 500 "$URL"
lacks "... shows no questionnaire" "GAD-7"
# The finding belongs to that request: the next one on the same pooled
# handle is answered as itself.
code "a progress page asked for with a bad address, after it" 404 $O/p/a/b
q "INSERT INTO links (id, token_hash, client_id, instrument, created_by, created, expires, mode) VALUES (90, $HX, 1, 'phq9', 2, 0, 4102444800, 'link')" > /dev/null
code "a link put in by hand" 500 $O/q/$TOK
lacks "... shows no questionnaire" "PHQ-9"
q "INSERT INTO progress_links (id, client_id, token_hash, created, created_by) VALUES (90, 1, $HX, 0, 2)" > /dev/null
code "a progress page put in by hand" 500 $O/p/$TOK
lacks "... shows nothing of the client" "GAD-7\|PHQ-9\|Ada"
kill $PID; wait $PID 2> /dev/null; PID=
[ "$(q "SELECT count(*) FROM audit WHERE action = 'altered' AND entity IN ('links', 'progress_links')")" -ge 3 ] && ok || bad "the refused links are not in the audit trail"
$SB audit verify > vout 2> verr && bad "audit verify passes the links put in" || ok
grep -q "links 90: inserted outside securebase" verr && grep -q "progress_links 90: inserted outside securebase" verr && ok || bad "verify does not name the links: $(cat verr)"

# --- the care lifecycle: a withdrawal undone, an episode deleted ---------------------------------------
D10=$(date -u -d '10 days ago' +%F); D5=$(date -u -d '5 days ago' +%F)
sbcopy good.db p.db
$SB --user anna client email 1 --address ada@client.example > /dev/null
$SB --user tom client email 2 --address tim@client.example > /dev/null
$SB --user anna consent add --client 1 --kind treatment --date $D10 > /dev/null
$SB --user tom consent add --client 2 --kind treatment --date $D10 > /dev/null
$SB --user anna schedule add --client 1 --instrument gad7 --days 14 > /dev/null && ok || bad "a genuine plan for Ada"
$SB --user anna consent withdraw 1 --date $D5 > /dev/null && ok || bad "Ada's withdrawal"
refused "a plan after the withdrawal" "consent withdrawn" $SB --user anna schedule add --client 1 --instrument phq9 --days 14
$SB --user anna episode start --client 1 --date $D10 > /dev/null && ok || bad "an episode"
sbcopy p.db care.db
q "UPDATE consents SET withdrawn = NULL WHERE id = 1" > /dev/null
refused "a plan once the withdrawal is undone by hand" "changed outside securebase" $SB --user anna schedule add --client 1 --instrument phq9 --days 14
$SB audit verify > vout 2> verr && bad "audit verify passes the undone withdrawal" || ok
grep -q "consents 1: altered outside securebase" verr && ok || bad "verify does not name the consent: $(cat verr)"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'altered' AND entity = 'consents'")" -ge 1 ] && ok || bad "the refusal is not in the audit trail"
# One client's altered rows stop that client's plan, not the others'.
sbcopy care.db p.db
$SB --user tom schedule add --client 2 --instrument gad7 --days 14 > /dev/null && ok || bad "a genuine plan for Tim"
$SB --user anna consent add --client 1 --kind treatment --date $D10 > /dev/null
$SB --user anna schedule add --client 1 --instrument phq9 --days 14 > /dev/null && ok || bad "Ada's new plan"
q "UPDATE consents SET given = '2020-01-01' WHERE id = 3" > /dev/null
$SB schedule run > out 2>&1 && ok || bad "the scheduler stopped at the altered row: $(cat out)"
[ "$(q "SELECT count(*) FROM plan_sends s JOIN plans p ON p.id = s.plan_id WHERE p.client_id = 2")" = 1 ] && ok || bad "Tim's plan sent nothing beside Ada's altered consent"
[ "$(q "SELECT count(*) FROM plan_sends s JOIN plans p ON p.id = s.plan_id WHERE p.client_id = 1 AND p.ended IS NULL")" = 0 ] && ok || bad "Ada's plan sent with an altered consent"
[ "$(q "SELECT end_reason FROM plans WHERE client_id = 1 AND ended IS NULL")" = altered ] && ok || bad "Ada's plan is not paused as altered: $(q "SELECT id, ended, paused, end_reason FROM plans")"
# A plan put in by hand sends nothing and is paused; a genuine one
# beside it sends.
sbcopy care.db p.db
$SB --user tom schedule add --client 2 --instrument gad7 --days 14 > /dev/null && ok || bad "a genuine plan for Tim"
q "INSERT INTO plans (id, client_id, instrument, rule, spec, start, remind_days, expire_days, paused, created_by) VALUES (50, 2, 'phq9', 'days', '14', 0, 3, 7, 0, 3)" > /dev/null
$SB schedule run > out 2>&1 && ok || bad "the scheduler stopped at the plan put in: $(cat out)"
[ "$(q "SELECT count(*) FROM plan_sends WHERE plan_id = 50")" = 0 ] && ok || bad "the plan put in by hand sent"
[ "$(q "SELECT paused || ' ' || end_reason FROM plans WHERE id = 50")" = "1 altered" ] && ok || bad "the plan put in is not paused as altered"
[ "$(q "SELECT count(*) FROM plan_sends s JOIN plans p ON p.id = s.plan_id WHERE p.client_id = 2 AND p.id <> 50")" = 1 ] && ok || bad "Tim's genuine plan did not send beside it"
refused "tom's list of plans with the one put in" "plans 50 was changed outside securebase" $SB --user tom schedule list --client 2
sbcopy care.db p.db
q "DELETE FROM episodes" > /dev/null
$SB audit verify > vout 2> verr && bad "audit verify passes a deleted episode" || ok
grep -q "episodes: 1 sealed row deleted" verr && ok || bad "verify does not name the deleted episode: $(cat verr)"

# --- a client's history moved to another client ------------------------------------------------------
sbcopy good.db p.db
$SB --user anna person add --client 1 --name "Grandma Rose" --role grandmother > /dev/null
$SB --user anna session add --client 1 --date $D5 > /dev/null
$SB --user tom history map --client 2 > out 2>&1 && ok || bad "tom's client's map: $(cat out)"
q "UPDATE people SET client_id = 2" > /dev/null
refused "a person moved into tom's client's map" "people 1 was changed outside securebase" $SB --user tom history map --client 2
grep -q "Grandma Rose" out && bad "the moved person was drawn" || ok
q "UPDATE sessions SET client_id = 2" > /dev/null
refused "a session moved into tom's client's record" "changed outside securebase" $SB --user tom client show 2
$SB audit verify > vout 2> verr && bad "audit verify passes the moved history" || ok
grep -q "people 1: altered outside securebase" verr && grep -q "sessions 1: altered outside securebase" verr && ok || bad "verify does not name the moved rows: $(cat verr)"
# A narrative and a snapshot moved likewise.
sbcopy good.db p.db
$SB --user anna narrative prompts > prompts.txt 2>&1
P=$(awk 'NR == 1 { print $1 }' prompts.txt)
printf 'When I was seven we moved house.\n' | $SB --user anna narrative add --client 1 --prompt "$P" > /dev/null && ok || bad "a narrative for Ada (prompt $P): $(cat prompts.txt | head -2)"
$SB --user anna history snapshot --client 1 --label "before" > /dev/null && ok || bad "a snapshot for Ada"
q "UPDATE narratives SET client_id = 2" > /dev/null
refused "a narrative moved into tom's client's record" "narratives 1 was changed outside securebase" $SB --user tom narrative drafts --client 2 --prompt "$P"
grep -q "moved house" out && bad "the moved narrative was shown" || ok
q "UPDATE history_snapshots SET client_id = 2" > /dev/null
refused "a snapshot moved to tom's client" "history_snapshots 1 was changed outside securebase" $SB --user tom history snapshots --client 2

# --- a therapist's address swapped: alerts would go to someone else ----------------------------------
tampered "an address copied" "UPDATE users SET email = (SELECT email FROM users WHERE name = 'tom'), email_tag = (SELECT email_tag FROM users WHERE name = 'tom') WHERE name = 'anna'" "users 2: altered outside securebase"
refused "anna's sign-in with the address swapped" "changed outside securebase" $SB --user anna client list
# A message's recipient replaced with another's: it does not open, and
# is shown as changed, never sent to the address copied in.
sbcopy good.db p.db
q "UPDATE outbox SET recipient = (SELECT recipient FROM outbox WHERE channel = 'mail' ORDER BY id DESC LIMIT 1) WHERE id = (SELECT min(id) FROM outbox)" > /dev/null
$SB --user boss notify list > out 2>&1 && grep -q "(changed outside securebase)" out && ok || bad "a replaced recipient is not shown as changed: $(cat out)"
$SB --user boss settings set smtp-url smtp://127.0.0.1:1 > /dev/null
$SB --user boss notify send > /dev/null 2>&1
$SB --user boss notify list > out 2>&1
grep "(changed outside securebase)" out | grep -q "failed.*the recipient was changed outside securebase: not sent" && ok || bad "the replaced recipient's message was not given up: $(cat out)"

# --- every finding named, not only the first ------------------------------------------------------
tampered "three edits at once" "UPDATE alerts SET state = 'resolved'; UPDATE notes SET client_id = 2; DELETE FROM client_shares" "alerts 1: altered"
grep -q "notes 1: altered" verr && ok || bad "the second finding is not named: $(cat verr)"
grep -q "sealed rows NOT INTACT (2 findings)" verr && ok || bad "the findings are not counted: $(cat verr)"

# --- backups carry their own proof (a file's: SQLite) --------------------------------------------
if ! sb_pg; then
	sbcopy good.db p.db
	$SB backup b.db > out 2>&1 && ok || bad "backup: $(cat out)"
	[ "$(stat -c %a b.db.sum 2> /dev/null)" = 600 ] && ok || bad "no private b.db.sum beside the backup"
	grep -q "^securebase-backup-sum 1 size=$(stat -c %s b.db) blake2b=[0-9a-f]\{64\}$" b.db.sum && ok || bad "b.db.sum: $(cat b.db.sum)"
	$SB --db b.db --key-file p.db.key audit verify --backup > out 2>&1 && ok || bad "the backup does not verify: $(cat out)"
	grep -q "backup checksum matches: b.db.sum" out && ok || bad "verify --backup says: $(cat out)"
	# The copy changed where it lies, not through SQLite: the answer to
	# PHQ-9 item 9, 2 made 3, a byte in the administration's row (and in
	# the caseload's copy of the newest answers, and in an index).
	cp b.db e.db; cp b.db.sum e.db.sum
	/usr/bin/python3 - e.db <<'EOF2'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
assert b.count(b'q9=2;') >= 1, "the answer is in the file"
open(p, 'wb').write(b.replace(b'q9=2;', b'q9=3;'))
EOF2
	refused "the edited backup restored" "e.db was changed after the backup was made" $SB restore e.db --db r1.db --key-file p.db.key
	[ ! -e r1.db ] && ok || bad "a refused restore left r1.db"
	# Refused by the sealed row, after its lock was taken: no lock left.
	cp b.db e2.db; python3 - e2.db <<'EOF2'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
open(p, 'wb').write(b.replace(b'q9=2;', b'q9=3;'))
EOF2
	refused "the edited backup, unsummed (lock)" "altered outside securebase" $SB restore e2.db --db r4.db --key-file p.db.key --unsummed
	[ ! -e r4.db ] && [ ! -e r4.db.lock ] && ok || bad "a refused restore left $(ls r4.db* 2>/dev/null)"
	refused "audit verify --backup of the edited copy" "was changed after the backup was made" $SB --db e.db --key-file p.db.key audit verify --backup
	# Without its checksum: asked for, and then the sealed row says it.
	rm e.db.sum
	refused "a backup without its checksum" "restore it with --unsummed" $SB restore e.db --db r1.db --key-file p.db.key
	refused "the edited backup, unsummed" "administrations 1: altered outside securebase" $SB restore e.db --db r1.db --key-file p.db.key --unsummed
	[ ! -e r1.db ] && ok || bad "a refused restore left r1.db"
	# A column that is not sealed: only the checksum sees it.
	cp b.db u.db; cp b.db.sum u.db.sum
	sqlite3 u.db "UPDATE clients SET created = '2020-01-01T00:00:00Z' WHERE id = 1"
	refused "a prompt edited in the copy" "u.db was changed after the backup was made" $SB restore u.db --db r2.db --key-file p.db.key
	# The genuine copy restores, and verifies where it is put.
	$SB restore b.db --db r3.db --key-file p.db.key > out 2>&1 && ok || bad "the genuine backup: $(cat out)"
	$SB --db r3.db --key-file p.db.key audit verify > out 2>&1 && ok || bad "the restored practice: $(cat out)"
	# Restored over: what it replaced is kept, private, and verifies.
	printf 'A note written after the backup.\n' | $SB --db r3.db --key-file p.db.key --user anna note add --client 1 > /dev/null
	$SB restore b.db --db r3.db --key-file p.db.key --replace > out 2>&1 && ok || bad "restore --replace: $(cat out)"
	K=$(sed -n 's/^the practice it replaced is kept as \(.*\): remove it.*/\1/p' out)
	[ -n "$K" ] && [ -f "$K" ] && [ "$(stat -c %a "$K")" = 600 ] && ok || bad "the replaced practice is not kept privately: $(cat out)"
	$SB --db "$K" --key-file p.db.key audit verify > /dev/null 2>&1 && ok || bad "the kept practice does not verify"
	$SB --db "$K" --key-file p.db.key --user anna client show 1 2>/dev/null | grep -q "written after the backup" && ok || bad "the kept practice lost the note written after the backup"
fi

# --- the genuine practice still verifies, and writes go on --------------------------------------
sbcopy good.db p.db
printf 'Another note.\n' | $SB --user anna note add --client 1 > /dev/null && ok || bad "a note after the checks"
$SB --user anna client share 1 --with tom > /dev/null && ok || bad "a genuine share"
$SB --user tom client show 1 > /dev/null && ok || bad "the genuine share does not open the client"
$SB --user anna client unshare 1 --with tom > /dev/null && ok || bad "the share ended"
$SB --user anna alerts ack 1 > /dev/null && ok || bad "a genuine alert acknowledged"
$SB audit verify > out 2>&1 && ok || bad "genuine writes do not verify: $(cat out)"
finish "integrity ($1)"
