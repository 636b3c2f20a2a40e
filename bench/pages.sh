#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# pages.sh [REF] - page weight and server time of the caseload and a
# client page, this build beside the build of REF (default 8d4cd2e, the
# last commit before issue 16's pages) in the same run, on one demo
# practice (made by the REF build: 12 clients, 6 months) copied for each:
#   - the bytes of each page, as sent and gzipped (what nginx with gzip
#     on sends), and what the stylesheet adds to each view (the old one
#     is sent with no-store, so again with every page; the new one is
#     kept by the browser, and sent gzipped once);
#   - requests per second and latency with wrk -t2 -c8 -d10s, the two
#     builds taking turns twice.
# REF is built once into build/baseline-REF (a git worktree).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REF=${1:-8d4cd2e}
NEW=$ROOT/build/securebase
OLDDIR=$ROOT/build/baseline-$REF
OLD=$OLDDIR/build/securebase
if [ ! -x "$OLD" ]; then
	[ -d "$OLDDIR" ] || git worktree add --detach "$OLDDIR" "$REF" > /dev/null
	make -C "$OLDDIR" -s build/securebase > /dev/null
fi
T=$(mktemp -d)
P=$((20000 + $$ % 10000))	# below the ephemeral ports
cleanup() { kill $(cat "$T"/*.pid 2>/dev/null) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"

# The demo practice, made by the old build (the new one migrates its
# copy when it opens it).
(cd "$T" && exec "$OLD" demo --port $P > demo.log 2>&1) &
echo $! > demo.pid
until grep -q serving demo.log 2>/dev/null; do sleep 0.2; done
kill "$(cat demo.pid)"; rm demo.pid; wait 2>/dev/null || true
PW=$(sed -n 's/^ *password: //p' demo.log)
printf '%s\n' "$PW" > pw
for b in old new; do mkdir $b; cp var/demo.db var/demo.db.key $b/; done

# serve NAME BINARY PORT: NAME's copy served, a therapist's session in
# NAME.cookie.
serve() {
	"$2" --db "$1/demo.db" serve --listen "127.0.0.1:$3" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
	until curl -s -o /dev/null "http://127.0.0.1:$3/login"; do sleep 0.1; done
	curl -s -c "$1.jar" -b "$1.jar" -o login.html "http://127.0.0.1:$3/login"
	pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' login.html | sed 's/.*value="//;s/"//')
	curl -s -c "$1.jar" -b "$1.jar" -o /dev/null -H "Origin: http://127.0.0.1:$3" \
	    --data-urlencode "password=$PW" --data "csrf=$pre&user=therapist" \
	    "http://127.0.0.1:$3/login"
	awk '$6 == "__Host-sb" {print $7}' "$1.jar" > "$1.cookie"
}
serve old "$OLD" $((P + 1))
serve new "$NEW" $((P + 2))
port() { [ "$1" = old ] && echo $((P + 1)) || echo $((P + 2)); }

echo "page weight (bytes; the demo practice, therapist; same run):"
for page in / /clients/3; do
	for b in old new; do
		curl -s -o "$b.html" -H "Cookie: __Host-sb=$(cat $b.cookie)" \
		    "http://127.0.0.1:$(port $b)$page"
		css=$(grep -o 'href="/static/style[^"]*"' "$b.html" | sed 's/href="//;s/"//')
		curl -s -H 'Accept-Encoding: gzip' -D "$b.css.h" -o "$b.css" \
		    "http://127.0.0.1:$(port $b)$css"
		cache=$(awk -F': ' 'tolower($1) == "cache-control" {print $2}' "$b.css.h" | tr -d '\r')
		case $cache in
		*immutable*) per=0 ;;
		*) per=$(wc -c < "$b.css") ;;
		esac
		printf '  %-10s %-3s %7d as sent, %6d gzipped; stylesheet %5d bytes sent (%s): %d more per view\n' \
		    "$page" $b "$(wc -c < $b.html)" "$(gzip -9c $b.html | wc -c)" \
		    "$(wc -c < $b.css)" "$cache" "$per"
	done
done

echo "server time (wrk -t2 -c8 -d10s; old and new take turns, twice):"
for round in 1 2; do
	for page in / /clients/3; do
		for b in old new; do
			wrk -t2 -c8 -d10s --latency -H "Cookie: __Host-sb=$(cat $b.cookie)" \
			    "http://127.0.0.1:$(port $b)$page" > w.txt
			printf '  %-10s %-3s round %d: %8s requests/s, p50 %s, p99 %s%s\n' "$page" $b $round \
			    "$(awk '/Requests\/sec/ {print $2}' w.txt)" \
			    "$(awk '$1 == "50%" {print $2}' w.txt)" "$(awk '$1 == "99%" {print $2}' w.txt)" \
			    "$(awk '/Non-2xx/ {printf " (%s)", $0}' w.txt)"
		done
	done
done
