#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# run.sh BINARY - what a practice's IT person relies on, used as they
# would:
#
#   - the version names the release and its schema;
#   - a practice made by the previous release (tests/data/upgrade, made
#     by 0.1.0's securebase init) is refused, untouched, until
#     `securebase upgrade`, which leaves a verified backup of the old
#     schema, and a second upgrade has nothing to do;
#   - GET /health answers without a session and says whether the
#     database answers; serve's event lines (failed logins, lockouts,
#     errors) are one line each, key=value, a forged name kept on its line;
#   - make install DESTDIR puts the binary, the manual and the units in
#     place, and uninstall takes them away;
#   - `securebase help CMD` is the manual page as mandoc renders it;
#   - the installed units score under 2.0 in systemd-analyze security;
#   - the shipped nginx site passes nginx -t, and its per-address limit
#     refuses one address's surplus while another is served;
#   - dpkg-buildpackage builds the package, lintian finds no error (and
#     tests/ops/package.sh installs, upgrades and removes it under
#     systemd), and
#     the package's unit is the hardened one.
set -u
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
SB=$ROOT/${1:-build/securebase}
T=$(mktemp -d)
PID=
NGX=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	[ -n "$NGX" ] && kill "$(cat "$T/ngx/nginx.pid" 2>/dev/null)" 2>/dev/null
	wait 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1
. "$ROOT/tests/lib.sh"
printf 'correct horse battery\n' > pw

# --- the version: the release and the schema it writes -------------------
$SB init --db fresh.db --admin boss --admin-password-file pw > /dev/null
schema=$(sqlite3 fresh.db "SELECT max(version) FROM schema_version")
run "version" 0 $SB --version
grep -Eq "^securebase [0-9]+\.[0-9]+\.[0-9]+ \(schema $schema\)\$" out && ok || bad "version: $(cat out), the schema is $schema"

# --- an old practice: refused until upgrade, which backs up first --------
cp "$ROOT/tests/data/upgrade/practice-0.1.0.db" old.db
cp "$ROOT/tests/data/upgrade/practice-0.1.0.db.key" old.db.key
chmod 600 old.db old.db.key
old_schema=$(sqlite3 old.db "SELECT max(version) FROM schema_version")
[ "$old_schema" -lt "$schema" ] && ok || bad "the old practice is not older ($old_schema)"
sum0=$(sha256sum old.db | cut -d' ' -f1)
run "old practice refused" 1 $SB --db old.db --user anna client list
has "old practice refused" err "schema version $old_schema, and this securebase"
has "old practice refused says what to do" err "run \`securebase upgrade\` first"
run "old practice refused read-only" 1 $SB --db old.db --user anna audit verify
# What the package's postinst asks: older (3), changing nothing.
run "upgrade --check of an old practice" 3 $SB --db old.db upgrade --check
has "upgrade --check of an old practice" err "run \`securebase upgrade\` on it"
run "upgrade --check of a current practice" 0 $SB --db fresh.db upgrade --check
has "upgrade --check of a current practice" out "at this release's schema ($schema)"
[ "$(sha256sum old.db | cut -d' ' -f1)" = "$sum0" ] && ok || bad "a refused command changed the old practice"
run "upgrade" 0 $SB --db old.db upgrade --backup before.db
has "upgrade" out "backup written and verified: before.db (schema $old_schema)"
has "upgrade" out "upgraded old.db from schema $old_schema to $schema"
[ "$(sqlite3 before.db "SELECT max(version) FROM schema_version")" = "$old_schema" ] && ok || bad "the backup is not of the old schema"
[ "$(sha256sum before.db | cut -d' ' -f1)" != "" ] && [ "$(stat -c %a before.db)" = 600 ] && ok || bad "the backup is not private"
[ "$(sqlite3 old.db "SELECT max(version) FROM schema_version")" = "$schema" ] && ok || bad "not upgraded"
[ "$(sqlite3 old.db "SELECT user_name || ': ' || detail FROM audit WHERE action = 'upgrade'")" = "securebase upgrade: schema $old_schema to $schema, after a verified backup" ] && ok || bad "the upgrade is not in the audit trail: $(sqlite3 old.db "SELECT action, detail FROM audit ORDER BY id DESC LIMIT 2")"
run "upgraded practice reads" 0 $SB --db old.db --user anna client show 1
has "upgraded practice keeps its administration" out 'phq9	1	paper	{"total": 10}'
run "upgraded practice verifies" 0 $SB --db old.db --user boss audit verify
run "upgrade again" 0 $SB --db old.db upgrade
has "upgrade again" out "nothing to do"
# Rollback: the backup restores (as it is, the old schema), and is
# refused by this release until upgraded again.
run "restore the backup" 0 $SB restore before.db --db rolled.db --key-file old.db.key
[ "$(sqlite3 rolled.db "SELECT max(version) FROM schema_version")" = "$old_schema" ] && ok || bad "the restored copy was migrated"
run "restored copy refused" 1 $SB --db rolled.db --key-file old.db.key --user anna client list
run "default backup name" 0 $SB --db rolled.db --key-file old.db.key upgrade
ls rolled.db.before-upgrade-* > /dev/null 2>&1 && ok || bad "no backup beside the practice"
run "upgrade of a practice already current" 0 $SB --db fresh.db upgrade
[ -z "$(ls fresh.db.before-upgrade-* 2>/dev/null)" ] && ok || bad "a current practice was backed up for nothing"

# --- serve: /health and the event lines ----------------------------------
$SB --db fresh.db --user boss user add anna --role therapist --password-file pw
PORT=$((20000 + $$ % 20000))
printf 'a-monitor-token-of-forty-characters-0123\n' > mtok
for try in 1 2 3 4 5; do
	$SB --db fresh.db serve --listen 127.0.0.1:$PORT --trust-proxy \
	    --metrics-token-file mtok > serve.out 2> serve.err &
	PID=$!
	i=0
	until curl -s -o /dev/null http://127.0.0.1:$PORT/login; do
		i=$((i + 1)); [ $i -gt 50 ] && break
		kill -0 $PID 2>/dev/null || break
		sleep 0.1
	done
	kill -0 $PID 2>/dev/null && break
	PORT=$((PORT + 1))
done
O=http://127.0.0.1:$PORT
code=$(curl -s -o health.json -D health.hdr -w '%{http_code}' $O/health)
[ "$code" = 200 ] && ok || bad "/health: HTTP $code"
/usr/bin/python3 -c "import json,sys; d=json.load(open('health.json')); sys.exit(0 if d['status']=='ok' and d['database']=='ok' and d['schema']==$schema else 1)" && ok || bad "/health says: $(cat health.json)"
grep -qi '^cache-control: no-store' health.hdr && ok || bad "/health may be cached"
grep -qi '^set-cookie' health.hdr && bad "/health set a cookie" || ok
# From elsewhere (nginx's X-Real-IP), /health says how the node is, not
# which release it runs.
curl -s -o health2.json -H 'X-Real-IP: 192.0.2.7' $O/health
grep -q '"status": "ok"' health2.json && ! grep -q '"version"\|"schema"' health2.json && ok ||
    bad "/health from elsewhere: $(cat health2.json)"
# /metrics: Prometheus's text format, for this machine or the token.
code=$(curl -s -o m.txt -D m.hdr -w '%{http_code}' $O/metrics)
[ "$code" = 200 ] && grep -q '^securebase_up 1$' m.txt && ok || bad "/metrics from this machine: $code $(head -3 m.txt)"
grep -qi '^content-type: text/plain; version=0.0.4' m.hdr && ok || bad "/metrics content type: $(grep -i content-type m.hdr)"
grep -q '^securebase_outbox_messages{state="queued"} 0$' m.txt && grep -q '^securebase_alerts_open 0$' m.txt &&
    grep -q '^securebase_db_connections{state="idle"} [0-9]' m.txt && ok || bad "/metrics lacks its gauges: $(cat m.txt)"
grep -q 'securebase_backup_age_seconds' m.txt && bad "/metrics tells of a backup never made" || ok
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 192.0.2.7' $O/metrics)" = 403 ] && ok ||
    bad "/metrics answered a stranger"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 192.0.2.7' -H 'Authorization: Bearer a-monitor-token-of-forty-characters-0124' $O/metrics)" = 403 ] && ok ||
    bad "/metrics took a wrong token"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 192.0.2.7' -H "Authorization: Bearer $(cat mtok)" $O/metrics)" = 200 ] && ok ||
    bad "/metrics refused the monitor's token"
run "backup while serving" 0 $SB --db fresh.db backup served.db
curl -s -o m.txt $O/metrics
grep -q '^securebase_backup_age_seconds [0-9]*$' m.txt && ok || bad "/metrics has no backup age after a backup: $(grep backup m.txt)"
login() {	# login USER PASSWORD: the HTTP status (from FROM when set)
	curl -s -c jar -b jar ${FROM:+--interface $FROM} -o body $O/login
	pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' body | head -1 | sed 's/.*value="//;s/"//')
	curl -s -c jar -b jar ${FROM:+--interface $FROM} -o body -w '%{http_code}' -H "Origin: $O" \
	    --data-urlencode "csrf=$pre" --data-urlencode "user=$1" \
	    --data-urlencode "password=$2" $O/login
}
[ "$(login anna wrong)" = 403 ] && ok || bad "a wrong password was not refused"
grep -q '^securebase: time=[0-9T:-]*Z level=warn event=login-failed ip=127.0.0.1 user=anna$' serve.err && ok || bad "no login-failed line: $(grep event= serve.err | tail -2)"
# A name that tries to write a second line stays on its own.  From
# another address: a second refusal from one address within 10 s is
# only counted (repeated=N), and this one's own line is wanted.
[ "$(FROM=127.0.0.3 login "$(printf 'eve\nsecurebase: time=x level=info event=login user=boss')" wrong)" = 403 ] && ok || bad "the forged name logged in"
grep -q '^securebase: time=x' serve.err && bad "a name forged a log line" || ok
# A name of no user (a password typed in the wrong field, a forged
# line) is logged as a keyed tag, never as typed.
grep -q 'event=login-failed ip=127.0.0.3 user=unknown-[0-9a-f]\{16\}$' serve.err && ok || bad "the unknown name is not a tag: $(grep login-failed serve.err | tail -1)"
grep -q 'user="*eve' serve.err && bad "the typed name reached the log" || ok
n=0
while [ "$(login anna wrong)" != 429 ] && [ $n -lt 30 ]; do n=$((n + 1)); done
grep -q 'event=login-locked ip=127.0.0.1 user=anna wait=[0-9]*$' serve.err && ok || bad "no login-locked line after $n tries"
grep -q 'level=info event=serve-start version=[0-9.]* schema='"$schema"' listen=127.0.0.1 port='"$PORT" serve.err && ok || bad "no serve-start line"
curl -s -o m.txt $O/metrics
n=$(sed -n 's/^securebase_http_requests_total{group="login"} \([0-9]*\)$/\1/p' m.txt)
[ "${n:-0}" -ge 10 ] && ok || bad "/metrics counts ${n:-no} login requests"
grep -q '^securebase_http_server_errors_total{group="login"} ' m.txt && ok || bad "/metrics has no 5xx count per group"

grep -v '^securebase: time=[0-9T:-]*Z level=[a-z]* event=[a-z-]*\( [a-z-]*=\([^ "]*\|"[^"]*"\)\)*$' serve.err | grep -v '^securebase serve: ' > odd.txt
[ ! -s odd.txt ] && ok || { bad "lines not key=value:"; head -3 odd.txt; }
kill $PID; wait $PID 2>/dev/null; PID=
grep -q 'event=serve-stop signal=TERM' serve.err && ok || bad "no serve-stop line"
# The database gone: /health is 503, without a page of HTML.
mv fresh.db gone.db
$SB --db fresh.db serve --listen 127.0.0.1:$PORT > /dev/null 2> serve2.err &
PID=$!
sleep 0.5
kill -0 $PID 2>/dev/null && bad "serve started without its database" || ok
PID=
mv gone.db fresh.db

# --- make install and uninstall ------------------------------------------
run "make install" 0 make -C "$ROOT" --no-print-directory install DESTDIR="$T/root" PREFIX=/usr
[ -x root/usr/bin/securebase ] && ok || bad "no binary installed"
[ "$(stat -c %a root/usr/bin/securebase)" = 755 ] && ok || bad "binary mode"
[ "$(ls root/usr/share/man/man1/*.1 | wc -l)" -eq "$(ls "$ROOT"/man/*.1 | wc -l)" ] && ok || bad "not every manual page installed"
grep -q '^ExecStart=/usr/bin/securebase serve' root/usr/lib/systemd/system/securebase.service && ok || bad "the unit does not name the installed binary"
[ -f root/usr/share/securebase/nginx-securebase.conf ] && ok || bad "no nginx site"
run "installed binary runs" 0 root/usr/bin/securebase --version
run "make uninstall" 0 make -C "$ROOT" --no-print-directory uninstall DESTDIR="$T/root" PREFIX=/usr
[ -z "$(find root -type f)" ] && ok || bad "uninstall left: $(find root -type f | head -3)"

# --- the manual: one source ----------------------------------------------
for cmd in score upgrade export import; do
	mandoc -T ascii -O width=78 "$ROOT/man/securebase-$cmd.1" | sed 's/.\x08//g' > want.txt
	$SB help $cmd > got.txt
	cmp -s want.txt got.txt && ok || bad "securebase help $cmd is not man/securebase-$cmd.1"
done
run "usage error cites the synopsis" 2 $SB upgrade --nonsense
has "usage error cites the synopsis" err "usage: securebase upgrade [--backup PATH]"

# --- systemd: the installed units are confined -----------------------------
make -C "$ROOT" --no-print-directory install DESTDIR="$T/root" PREFIX=/usr > /dev/null
for u in securebase.service securebase-backup.service; do
	systemd-analyze security --offline=true --no-pager "root/usr/lib/systemd/system/$u" > sa.txt 2>&1
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' sa.txt)
	[ -n "$score" ] && awk "BEGIN { exit !($score < 2.0) }" && ok || bad "$u: exposure $score (under 2.0 wanted)"
done
systemd-analyze verify --man=no root/usr/lib/systemd/system/securebase-backup.timer > sv.txt 2>&1
grep -qi "timer\b.*error\|invalid" sv.txt && bad "the timer does not verify: $(head -2 sv.txt)" || ok

# --- nginx: the shipped site, and a limit per browser address ------------
mkdir -p ngx
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=practice.example -days 1 \
    -keyout ngx/key.pem -out ngx/cert.pem > /dev/null 2>&1
NPORT=$((PORT + 1)); NSPORT=$((PORT + 2)); UPORT=$((PORT + 3))
sed -e "s#/etc/letsencrypt/live/practice.example/fullchain.pem#$T/ngx/cert.pem#" \
    -e "s#/etc/letsencrypt/live/practice.example/privkey.pem#$T/ngx/key.pem#" \
    -e "s#listen 80;#listen 127.0.0.1:$NPORT;#" -e "s#listen \[::\]:80;##" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$NSPORT ssl http2;#" -e "s#listen \[::\]:443 ssl http2;##" \
    -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$UPORT;#" \
    -e "s#limit_conn securebase_conn 16;#limit_conn securebase_conn 2;#" \
    "$ROOT/deploy/nginx-securebase.conf" > ngx/site.conf
cat > ngx/nginx.conf <<CONF
pid $T/ngx/nginx.pid;
error_log $T/ngx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T/ngx/body;
    proxy_temp_path $T/ngx/proxy;
    include $T/ngx/site.conf;
}
CONF
run "nginx -t on the shipped site" 0 nginx -t -q -c "$T/ngx/nginx.conf" -g 'daemon on; master_process on;'
# An upstream that answers slowly: one address holding two requests is
# refused a third (limit 2 here, 16 shipped); another address is served.
/usr/bin/python3 - "$UPORT" > /dev/null 2>&1 <<'PY' &
import http.server, socketserver, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(3)
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
UPID=$!
sleep 0.5
nginx -c "$T/ngx/nginx.conf" -g 'daemon on; master_process on;' && NGX=1
sleep 0.3
curl -sk -o /dev/null https://127.0.0.1:$NSPORT/slow --interface 127.0.0.1 &
curl -sk -o /dev/null https://127.0.0.1:$NSPORT/slow --interface 127.0.0.1 &
sleep 0.7
c1=$(curl -sk -o /dev/null -w '%{http_code}' --interface 127.0.0.1 https://127.0.0.1:$NSPORT/)
c2=$(curl -sk -o /dev/null -w '%{http_code}' --interface 127.0.0.2 https://127.0.0.1:$NSPORT/)
[ "$c1" = 503 ] && ok || bad "the third connection of one address: HTTP $c1, expected 503"
[ "$c2" = 200 ] && ok || bad "another address was not served: HTTP $c2"
wait_for=0; while [ $wait_for -lt 40 ] && [ "$(jobs -p | wc -l)" -gt 2 ]; do sleep 0.1; wait_for=$((wait_for + 1)); done
kill "$(cat ngx/nginx.pid)" 2>/dev/null; NGX=
kill $UPID 2>/dev/null

# --- the Debian package ----------------------------------------------------
mkdir -p deb/src
(cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '/node_modules/' |
    tar -cf - -T -) | tar -xf - -C deb/src
(cd deb/src && dpkg-buildpackage -us -uc -b > ../build.log 2>&1)
rc=$?
[ $rc -eq 0 ] && ok || { bad "dpkg-buildpackage: exit $rc"; tail -5 deb/build.log; }
deb=$(ls deb/securebase_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && ok || bad "no .deb built"
if [ -n "$deb" ]; then
	lintian --fail-on error deb/*.changes > lintian.txt 2>&1 && ok || { bad "lintian:"; grep '^E:' lintian.txt | head -5; }
	grep -q '^E:' lintian.txt && bad "lintian reports errors" || ok
	dpkg-deb -x "$deb" pkg
	unit=$(find pkg -name securebase.service | head -1)
	systemd-analyze security --offline=true --no-pager "$unit" > sa.txt 2>&1
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' sa.txt)
	[ -n "$score" ] && awk "BEGIN { exit !($score < 2.0) }" && ok || bad "the package's unit: exposure $score"
	grep -q '^ExecStart=/usr/bin/securebase serve' "$unit" && ok || bad "the package's unit runs another binary"
	dpkg-deb -e "$deb" ctl
	grep -q 'adduser --system --group' ctl/postinst && ok || bad "the package makes no securebase user"
	[ -f pkg/usr/share/man/man1/securebase-upgrade.1.gz ] && ok || bad "the package has no manual"
	pkg/usr/bin/securebase --version > v.txt && grep -q "(schema $schema)" v.txt && ok || bad "the packaged binary: $(cat v.txt)"
	# Installed, upgraded and removed under a real systemd.
	sh "$ROOT/tests/ops/package.sh" "$(pwd)/$deb" || bad "the package under systemd (tests/ops/package.sh)"
fi

finish "ops ($1)"
