#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# hygiene.sh BINARY - text and transport that an attacker with a field
# or a setting could turn against a terminal, a page or the network
# (issue 31): control characters refused in settings and prompts and
# escaped when older data holds them, unpaired direction marks refused
# in names, notes, settings and prompts, and smtp-tls none only for a
# relay on this machine.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SB=$ROOT/$1
T=$(mktemp -d)
PORT=$((20000 + ($$ * 17) % 11000))
. "$ROOT/tests/web/lib.sh"
. "$ROOT/tests/backend.sh"
q() { sbsql p.db "$1"; }
refused() {	# refused NAME WORDS CMD...: exit non-zero, WORDS in stderr
	name=$1; words=$2; shift 2
	"$@" > out 2> err && { bad "$name: taken"; return; }
	grep -q -- "$words" err && ok || bad "$name: $(cat err)"
}
practice 2> /dev/null
$SB --user boss user add anna --role therapist --password-file pw --email anna@clinic.test > /dev/null

# --- smtp-tls none: a relay on this machine only --------------------------------------
$SB --user boss settings set smtp-url smtp://mail.example.org:587
refused "tls none for a remote server" "only for a relay on this machine" $SB --user boss settings set smtp-tls none
$SB --user boss settings set smtp-url smtp://127.0.0.1:25 && ok || bad "a local relay"
$SB --user boss settings set smtp-tls none && ok || bad "tls none for a local relay"
refused "a remote server while tls is none" "only for a relay on this machine" $SB --user boss settings set smtp-url smtp://mail.example.org:587
$SB --user boss settings set smtp-url "smtp://[::1]:25" && ok || bad "[::1] is this machine"
refused "a name that only starts like localhost" "only for a relay" $SB --user boss settings set smtp-url smtp://localhost.example.org:25
$SB --user boss settings set smtp-tls require && ok || bad "tls require"

# --- control characters -----------------------------------------------------------------
ESC=$(printf '\033')
BEL=$(printf '\007')
refused "ESC in the practice's name" "control character at byte 7" $SB --user boss settings set practice-name "Clinic${ESC}]0;pwned${BEL}"
refused "BEL in smtp-user" "control character" $SB --user boss settings set smtp-user "mail${BEL}"
printf 'Call tel:116 123.\nEmergency: tel:999.\n' > crisis.txt
$SB --user boss settings set crisis-text --file crisis.txt && ok || bad "the support text keeps its lines"
printf 'Call\033[2J tel:116 123.\n' > bad.txt
refused "ESC in the support text" "control character" $SB --user boss settings set crisis-text --file bad.txt
refused "ESC in a prompt" "without control characters" $SB --user anna narrative prompt hopes --text "What do you hope for?${ESC}[2J"
# A prompt an older release kept with ESC: printed escaped.
$SB --user anna narrative prompts > /dev/null
q "UPDATE narrative_prompts SET text = 'Old' || char(27) || '[2J prompt' WHERE key = (SELECT min(key) FROM narrative_prompts)" 2> /dev/null ||
    q "UPDATE narrative_prompts SET text = 'Old' || chr(27) || '[2J prompt' WHERE key = (SELECT min(key) FROM narrative_prompts)"
$SB --user anna narrative prompts > out
grep -q "$ESC" out && bad "a stored ESC reached the terminal" || ok
grep -q 'Old\\x1b\[2J prompt' out && ok || bad "the stored ESC is not shown escaped: $(grep Old out)"

# --- direction marks --------------------------------------------------------------------
RLO=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
PDF=$(printf '\342\200\254')	# U+202C POP DIRECTIONAL FORMATTING
RLI=$(printf '\342\201\247')	# U+2067 RIGHT-TO-LEFT ISOLATE
PDI=$(printf '\342\201\251')	# U+2069 POP DIRECTIONAL ISOLATE
refused "an override never closed in a name" "direction mark" $SB --user anna client add --name "Ada ${RLO}elpmaxE"
refused "a pop with nothing open" "direction mark" $SB --user anna client add --name "Ada${PDF} Example"
$SB --user anna client add --name "Ada ${RLI}مثال${PDI} Example" > /dev/null && ok || bad "a closed isolate in a name"
printf 'slept %sbetter\n' "$RLI" > note1
refused "an isolate never closed in a note" "direction mark" sh -c "$SB --user anna note add --client 1 < note1"
printf 'slept %sbetter%s today\n' "$RLO" "$PDF" > note2
$SB --user anna note add --client 1 < note2 > /dev/null && ok || bad "a closed override in a note"
refused "an override in the practice's name" "direction mark" $SB --user boss settings set practice-name "Harbour ${RLO}Practice"
refused "an override in a prompt" "direction mark" $SB --user anna narrative prompt hopes --text "Hopes ${RLO}x"
# --- what the practice sends, and to whom: without a password ----------------------------
printf 'mail-secret-pw\n' > mpw
printf 'kannel-secret-pw\n' > kpw
$SB --user boss settings set smtp-url smtp://mail.example.org:587 && ok || bad "smtp-url"
$SB --user boss settings set smtp-user practice-mailer && ok || bad "smtp-user"
$SB --user boss settings set smtp-password --file mpw && ok || bad "smtp-password"
$SB --user boss settings set sms-url http://kannel.example.org:13013/cgi-bin/sendsms && ok || bad "sms-url"
$SB --user boss settings set sms-user sbsms && ok || bad "sms-user"
$SB --user boss settings set sms-password --file kpw && ok || bad "sms-password"
$SB --user boss privacy report > out 2> err && ok || bad "privacy report: $(cat err)"
grep -q "smtp-url *smtp://mail.example.org:587" out && ok || bad "the report does not name the mail server"
grep -q "smtp-user *practice-mailer" out && ok || bad "the report does not name the mail user"
grep -q "sms-url *http://kannel.example.org:13013/cgi-bin/sendsms" out && ok || bad "the report does not name Kannel"
grep -q "smtp-password *set (not shown)" out && ok || bad "the report does not say the mail password is set"
grep -q "The database: p.db" out && ok || bad "the report does not name the database"
grep -q "^  securebase-anchor 1 seq=" out && ok || bad "the report has no anchor"
grep -q "mail-secret-pw\|kannel-secret-pw" out && bad "a password is in the report" || ok
refused "the report for a therapist" "only an admin" $SB --user anna privacy report
# A password written into an address is not shown either.
$SB --user boss settings set sms-url http://sbsms:inline-secret@kannel.example.org:13013/cgi-bin/sendsms > /dev/null 2>&1
if $SB --user boss settings show | grep -q "inline-secret"; then
	$SB --user boss privacy report > out
	grep -q "inline-secret" out && bad "an address's password is in the report" || ok
	grep -q "http://sbsms:(password not shown)@kannel.example.org" out && ok || bad "the address is not shown without its password: $(grep sms-url out)"
fi
# --- the test clock: only a test build reads it ------------------------------------------
# A release binary that let a file in its environment move the practice's
# clock would let whoever sets that variable expire links or move plans.
echo 86400 > test.clock
SECUREBASE_TEST_CLOCK=$(pwd)/test.clock $SB --user boss schedule run > out 2> err
grep -q "the clock is a test's" err && bad "the release binary reads SECUREBASE_TEST_CLOCK" || ok
TB=$ROOT/build/test/securebase
if [ -x "$TB" ]; then
	SECUREBASE_TEST_CLOCK=$(pwd)/test.clock $TB --user boss schedule run > out 2> err
	grep -q "the clock is a test's" err && ok || bad "the test build does not read SECUREBASE_TEST_CLOCK: $(cat err)"
else
	bad "no test build at $TB (make build/test/securebase)"
fi
finish "hygiene"
