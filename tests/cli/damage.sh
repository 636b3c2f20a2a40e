#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# damage.sh BINARY - a damaged or unwritable practice is named as such:
# a broken index page is found by `audit verify` and by `serve` at start
# (PRAGMA quick_check), which say to restore; a directory the user cannot
# write is named, not reported as a "readonly database".
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
. "$ROOT/tests/lib.sh"
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T"

printf 'correct horse battery\n' > pw
$SB init --db p.db --admin boss --admin-password-file pw > /dev/null || exit 1
export SECUREBASE_DB=p.db
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Ada Example" > /dev/null
$SB audit verify > out 2>&1 && ok || bad "a sound practice does not verify: $(cat out)"
# The first bytes of an index's root page overwritten, as a torn write
# or a bad disk would.
root=$(sqlite3 p.db "SELECT rootpage FROM sqlite_master WHERE name = 'people_client'")
ps=$(sqlite3 p.db "PRAGMA page_size")
printf '\377\377\377\377' | dd of=p.db bs=1 seek=$(( (root - 1) * ps )) conv=notrunc status=none
$SB audit verify > out 2>&1
[ $? -ne 0 ] && grep -q "the database file is damaged (.*Page $root.*restore the newest verified backup" out && ok || bad "audit verify: $(cat out)"
[ "$(wc -l < out)" -eq 1 ] && ok || bad "the message is not one line"
timeout 10 $SB serve --listen 127.0.0.1:1 > out 2>&1
[ $? -eq 1 ] && grep -q "the database file is damaged" out && ok || bad "serve started on a damaged file: $(cat out)"

# A directory this user cannot write (SQLite keeps -wal and -shm there).
mkdir d
$SB init --db d/p.db --admin boss --admin-password-file pw > /dev/null
RSB=$SB
if [ "$(id -u)" = 0 ]; then
	# As root every directory is writable: run as nobody, from a copy
	# of the binary it can reach.
	chown -R nobody d; chmod 755 "$T"
	cp "$SB" sb; chmod 755 sb; RSB=$T/sb
	as() { runuser -u nobody -- "$@"; }
else
	as() { "$@"; }
fi
chmod 500 d
as $RSB --db d/p.db --user boss user list > out 2>&1
[ $? -ne 0 ] && grep -q "its directory d is not writable by this user" out && ok || bad "read-only directory: $(cat out)"
chmod 700 d

finish "damage ($1)"
