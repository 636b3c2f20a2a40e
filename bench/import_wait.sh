#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# import_wait.sh - how long a client's write waits behind a long import
# and a long rescore (`make bench`).  A practice served locally; 200
# questionnaire links.  The first 40 are answered (page 1, a write each)
# with nothing else running, the next while `import --csv` stores 400,000
# PHQ-9 rows, the rest while `rescore` rewrites the scores of all of them
# after a change to the PHQ-9's definition; each POST is timed by the
# client, side by side in one run.  Target: the longest wait during the
# long writes about 100 ms more than the idle one (they commit every
# 40 ms and pause between slices).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SB=$ROOT/build/securebase
T=$(mktemp -d)
P=$((20000 + $$ % 10000))
cleanup() { [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cd "$T"
printf 'correct horse battery\n' > pw
export SECUREBASE_DB=p.db
$SB init --admin boss --admin-password-file pw > /dev/null
$SB --user boss user add anna --role therapist --password-file pw
$SB --user anna client add --name "Imported Client" > /dev/null
$SB --user anna client add --name "Answering Client" > /dev/null
for i in $(seq 200); do
	$SB --user anna link create --client 2 --instrument phq9 --origin "http://127.0.0.1:$P"
done > links
/usr/bin/python3 -c '
import sys
print("q1,q2,q3,q4,q5,q6,q7,q8,q9")
for i in range(400000):
    print(",".join(str((i * 7 + k) % 4) for k in range(8)) + ",0")' > big.csv
mkdir fix
sed -e 's/^version 1$/version 2/' -e 's/^  band 20 Severe$/  band 19 Severe/' "$ROOT/instruments/phq9.instrument" > fix/phq9.instrument
$SB serve --listen "127.0.0.1:$P" > serve.log 2>&1 &
SPID=$!
until curl -s -o /dev/null "http://127.0.0.1:$P/login"; do sleep 0.1; done
/usr/bin/python3 - "$SB" <<'EOF'
import re, subprocess, sys, time, urllib.request, urllib.parse

links = [l.strip() for l in open("links") if l.startswith("http")]
csrf = {}
for u in links:
    body = urllib.request.urlopen(u).read().decode()
    csrf[u] = re.search(r'name="csrf" value="([0-9a-f]+)"', body).group(1)

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a):
        return None
opener = urllib.request.build_opener(NoRedirect)

def answer(u):
    origin = "/".join(u.split("/")[:3])
    data = urllib.parse.urlencode({"csrf": csrf[u], "p": "0", "q1": "1",
        "q2": "1", "q3": "0", "q4": "2", "q5": "1", "go": "next"}).encode()
    req = urllib.request.Request(u, data=data, headers={"Origin": origin})
    t0 = time.monotonic()
    try:
        opener.open(req)
        code = 200
    except urllib.error.HTTPError as e:
        code = e.code
    return (time.monotonic() - t0) * 1000, code

def report(name, ms, codes):
    ms = sorted(ms)
    bad = [c for c in codes if c != 303]
    print("%-22s %3d writes: median %6.1f ms, 95%% %6.1f ms, max %6.1f ms%s"
          % (name, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.95)],
             ms[-1], ", %d not saved" % len(bad) if bad else ""))
    return ms[-1]

def during(name, cmd, links, ready):
    """Answers links one by one while cmd runs (from its line ready)."""
    p = subprocess.Popen([sys.argv[1], "--user", "anna"] + cmd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if ready:
        while ready not in p.stderr.readline():
            pass
    t0 = time.monotonic()
    got = []
    for u in links:
        if p.poll() is not None:
            break
        got.append(answer(u))
        time.sleep(0.02)
    out, err = p.communicate()
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (name, err))
    print("%s: %s; took %.1f s" % (name, out.strip(), time.monotonic() - t0))
    return got

idle = [answer(u) for u in links[:40]]
imp = during("import", ["import", "--csv", "big.csv", "--instrument", "phq9",
    "--client", "1"], links[40:120], "storing")
res = during("rescore", ["--instruments", "fix", "rescore", "--instrument", "phq9"],
    links[120:], None)
a = report("idle:", [m for m, c in idle], [c for m, c in idle])
for name, got in (("during the import:", imp), ("during the rescore:", res)):
    b = report(name, [m for m, c in got], [c for m, c in got])
    print("  longest wait %s - idle: %.0f ms (target: about 100)"
          % (name[:-1], b - a))
EOF
