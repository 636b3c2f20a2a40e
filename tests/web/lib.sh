# SPDX-License-Identifier: AGPL-3.0-or-later
# lib.sh - what the web tests share (sourced; needs ROOT, SB, T and PORT
# set): the temporary directory as the current one, removed at exit with
# the server stopped; tests/lib.sh (counting, has, finish); checking a
# response's status, a practice with its admin, starting `securebase
# serve`, logging in, and the TOTP code of a secret.
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T" || exit 1
O=http://127.0.0.1:$PORT
. "$ROOT/tests/lib.sh"
# code NAME WANT CURL-ARGS...: checks the HTTP status (the body in ./body).
code() {
	name=$1; want=$2; shift 2
	got=$(curl -s -o body -w '%{http_code}' "$@")
	[ "$got" = "$want" ] && ok || { bad "$name: HTTP $got, expected $want"; head -c 300 body; echo; }
}
lacks() { grep -qF -- "$2" body && { bad "$1: body has: $2"; } || ok; }
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' body | head -1 | sed 's/.*value="//;s/"//'; }
# practice: p.db with admin boss (password in ./pw), the default database.
practice() {
	printf 'correct horse battery\n' > pw
	$SB init --db p.db --admin boss --admin-password-file pw > /dev/null || exit 1
	export SECUREBASE_DB=p.db
}
# serve_start ARGS...: serve on a free port (PORT moves on by STEP, 1
# unless set, while taken), with NOFILE descriptors when it is set.
serve_start() {
	for try in 1 2 3 4 5; do
		(ulimit -n "${NOFILE:-$(ulimit -n)}"; exec $SB serve --listen 127.0.0.1:$PORT "$@") > serve.log 2>&1 &
		PID=$!
		i=0
		until curl -s -o /dev/null $O/login; do
			i=$((i + 1)); [ $i -gt 50 ] && { echo "server did not start"; cat serve.log; exit 1; }
			kill -0 $PID 2>/dev/null || break	# the port was taken
			sleep 0.1
		done
		kill -0 $PID 2>/dev/null && return 0
		PORT=$((PORT + ${STEP:-1})); O=http://127.0.0.1:$PORT
	done
	echo "no free port"; exit 1
}
# login USER JAR [PASSWORD [CODE]]: prints the HTTP status of the login
# (sent from ORIGIN when serve was given --origin).
login() {
	curl -s -c "$2" -b "$2" -o body $O/login
	pre=$(csrf)
	curl -s -c "$2" -b "$2" -o body -w '%{http_code}' -H "Origin: ${ORIGIN:-$O}" \
	    --data-urlencode "csrf=$pre" --data-urlencode "user=$1" \
	    --data-urlencode "password=${3:-correct horse battery}" \
	    --data-urlencode "code=${4:-}" $O/login
}
# totp SECRET: the current code of a base32 secret (RFC 6238), computed
# by node's crypto, not by securebase.
totp() {
	node -e 'const c=require("crypto");const a="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";let b="";for(const ch of process.argv[1])b+=a.indexOf(ch).toString(2).padStart(5,"0");const k=Buffer.from(b.match(/.{8}/g).map(x=>parseInt(x,2)));const m=Buffer.alloc(8);m.writeBigUInt64BE(BigInt(Math.floor(Date.now()/30000)));const h=c.createHmac("sha1",k).update(m).digest();const o=h[19]&15;console.log(String((((h[o]&127)<<24)|(h[o+1]<<16)|(h[o+2]<<8)|h[o+3])%1000000).padStart(6,"0"))' "$1"
}
