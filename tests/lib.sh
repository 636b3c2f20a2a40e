# SPDX-License-Identifier: AGPL-3.0-or-later
# lib.sh - what every shell suite shares (sourced, after ROOT is set to
# the repository): the counts, a command run and checked, a file or the
# last response checked for a text, and the closing line that
# scripts/summary.sh adds up.  tests/web/lib.sh adds the server's.
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
# run NAME WANT_RC CMD...: its output in ./out, its errors in ./err; a
# sanitizer's report fails it whatever the exit status.
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
# has NAME FILE TEXT: FILE holds TEXT.  has NAME TEXT: the last
# response (./body) does.
has() {
	if [ $# -eq 2 ]; then
		grep -qF -- "$2" body && ok || { bad "$1: body has not: $2"; head -c 300 body; echo; }
	elif grep -qF -- "$3" "$2"; then
		ok
	else
		bad "$1: $2 lacks: $3"; sed 's/^/  got: /' "$2" | head -3
	fi
}
# finish NAME [NOTE]: "NAME: N passed, N failed" (NOTE after it on the
# screen only), into build/results.txt too; the suite's status.
finish() {
	echo "$1: $passed passed, $failed failed${2:+ $2}"
	echo "$1: $passed passed, $failed failed" >> "$ROOT/build/results.txt"
	[ $failed -eq 0 ]
}
