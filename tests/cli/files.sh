#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# files.sh BINARY - every file securebase makes is private (0600) whatever
# the umask, a link planted where it writes is never followed, a database
# or backup open to others is refused, and a note being edited never
# stays behind in plaintext, not even when the command is killed.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
# The report links fontconfig, whose cache lives as long as the process
# (tests/lsan.supp names it).
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
T=$(mktemp -d)
. "$ROOT/tests/lib.sh"
trap 'rm -rf "$T"' EXIT
cd "$T"
mode() { stat -c %a "$1"; }
private() {	# private NAME FILE...: every file is 0600
	name=$1; shift
	for f in "$@"; do
		[ "$(mode "$f")" = 600 ] && ok || bad "$name: $f is $(mode "$f")"
	done
}

umask 022
printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null || exit 1
export SECUREBASE_DB=p.db SECUREBASE_USER=anna
$SB --user boss user add anna --role therapist --password-file pw
$SB client add --name "Ada Example" > /dev/null
printf 'q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n1,1,1,1,1,1,1,1,0,0\n' > a.csv
$SB administer phq9 --client 1 --answers a.csv > /dev/null
private "database and key" p.db p.db.key
for f in p.db-wal p.db-shm; do [ -e "$f" ] && private "$f" "$f"; done
$SB backup b.db > /dev/null && ok || bad "backup"
private "backup" b.db
$SB restore b.db --db r.db --key-file p.db.key > /dev/null && ok || bad "restore"
private "restored database" r.db
$SB export --csv x > /dev/null && ok || bad "export"
private "export" x/*.csv
$SB report --client 1 --pdf rep.pdf > /dev/null && ok || bad "report"
private "report" rep.pdf
$SB export --fhir fx > /dev/null && ok || bad "fhir export"
private "fhir export" fx/*.json
$SB export --research rx --without-consent > /dev/null && ok || bad "research export"
private "research export" rx/*.csv
ls | grep -q 'XXXXXX\|\.tmp$' && bad "a temporary file was left behind" || ok

# A link planted where the report is written first is left alone, and so
# is its target.
printf 'untouched\n' > target
ln -s "$T/target" rep2.pdf.tmp
$SB report --client 1 --pdf rep2.pdf > /dev/null && ok || bad "report beside a planted link"
[ "$(cat target)" = untouched ] && ok || bad "the planted link was followed"
private "report beside a link" rep2.pdf
ln -s "$T/target" c.db.tmp
$SB backup c.db > /dev/null 2>&1
[ "$(cat target)" = untouched ] && ok || bad "backup followed a planted link"

# Open to others: refused, with the fix named.
cp p.db g.db; chmod 640 g.db
$SB --db g.db client list > out 2>&1
[ $? -ne 0 ] && ok || bad "a group-readable database was opened"
grep -q "g.db: the database is readable or writable by group or others (mode 0640).*chmod 600 g.db" out && ok || { bad "no clear error for a group-readable database"; cat out; }
chmod 604 b.db
$SB restore b.db --db r2.db --key-file p.db.key > out 2>&1
[ $? -ne 0 ] && ok || bad "a world-readable backup was restored"
grep -q "the backup is readable" out && ok || { bad "no clear error for a readable backup"; cat out; }
[ ! -e r2.db ] && ok || bad "a refused restore left a file"

# The note's editor: a private directory, gone after the edit, and gone
# when the command is killed mid-edit.
mkdir tmp
cat > ed.sh <<'ED'
#!/bin/sh
ls -ld "$(dirname "$1")" | cut -c1-10 > "$DIRMODE"
printf 'Seen today; calmer.\n' > "$1"
[ -n "${HANG:-}" ] && sleep 30
exit 0
ED
chmod 700 ed.sh
# The editor is used at a terminal: script(1) gives the command one.
export DIRMODE=$T/dirmode EDITOR=$T/ed.sh TMPDIR=$T/tmp
script -qec "$SB note add --client 1" /dev/null < /dev/null > out 2>&1 && ok || { bad "note add with an editor"; cat out; }
$SB client show 1 | grep -q "Seen today; calmer." && ok || bad "the edited note was not kept"
[ "$(cat dirmode)" = drwx------ ] && ok || bad "the note's directory is $(cat dirmode)"
[ -z "$(ls tmp)" ] && ok || bad "the note was left in $(ls tmp)"
HANG=1 script -qec "$SB note add --client 1" /dev/null < /dev/null > /dev/null 2>&1 &
spid=$!
i=0; while [ ! -s "$T/dirmode.2" ] && [ $i -lt 50 ]; do
	ls tmp/*/note.txt > /dev/null 2>&1 && [ -s "$(ls tmp/*/note.txt | head -1)" ] && break
	sleep 0.1; i=$((i + 1))
done
[ -n "$(ls tmp)" ] && ok || bad "the editor did not start"
pkill -TERM -f "^$SB note add" && ok || bad "no note add to stop"
i=0; while [ -n "$(ls tmp)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pkill -f "$T/ed.sh" 2>/dev/null
kill $spid 2>/dev/null; wait $spid 2>/dev/null
[ -z "$(ls tmp)" ] && ok || bad "a killed note add left $(ls -R tmp)"

# Look before touching: a file that is not a practice, or a practice
# with the wrong key, is refused by every command without a byte changed
# (no WAL switch, no tables, no migration); a backup verified in place
# stays a single file.
sqlite3 foreign.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
: > empty.db
printf 'correct horse battery\n' > pw2
$SB init --db other.db --admin boss --admin-password-file pw2 > /dev/null
chmod 600 foreign.db empty.db
$SB backup d.db > /dev/null || bad "backup d.db"
for db in foreign.db empty.db d.db; do
	key=p.db.key
	[ $db = d.db ] && key=other.db.key	# the wrong one
	cp "$db" "$db.orig"
	for cmd in "client list" "audit verify" "audit anchor" "backup x-$db" "note list --client 1" "serve --listen 127.0.0.1:1"; do
		# shellcheck disable=SC2086
		timeout 10 $SB --db "$db" --key-file $key --user anna $cmd > out 2>&1
		rc=$?
		[ $rc -ne 0 ] && [ $rc -ne 124 ] && ok || bad "$db, $cmd: exit $rc"
		cmp -s "$db" "$db.orig" && ok || bad "$db changed by $cmd"
		[ ! -e "$db-wal" ] && [ ! -e "x-$db" ] && ok || bad "$db, $cmd: made $(ls "$db"-* x-* 2>/dev/null)"
	done
	grep -q "not a securebase practice\|an empty file\|does not belong" out && ok || bad "$db: $(cat out)"
done
$SB --db d.db --key-file p.db.key audit verify > out 2>&1 && ok || bad "a backup does not verify in place: $(cat out)"
cmp -s d.db d.db.orig && [ ! -e d.db-wal ] && [ "$(sqlite3 d.db 'PRAGMA journal_mode')" = delete ] && ok || bad "verifying a backup changed it"
[ "$(sqlite3 p.db 'PRAGMA application_id')" = 1396859251 ] && ok || bad "the practice has no application id"

finish "files ($1)"
