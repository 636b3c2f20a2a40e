#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Clients answering questionnaires through the load balancer, for
tests/pg/nodes.sh: each worker, until the time is up, has the therapist
make a link (POST /clients/1/links with her session) and answers it as a
client would (the first page, then the second, item 9 endorsed on every
tenth link, so that alerts are raised and mailed).  A request that fails
(a node killed, the database restarting) is sent again until it gets an
answer, for up to a minute.

An answer counts as acknowledged only when the last page came back
"Thank you" (200), or, sent again after its reply was lost, "complete"
(410): those links' token hashes (BLAKE2b-256 of the token, as the store
keeps them) are written to --acked, one per line, for the test to find in
the database.  The last line of output says how many and how many
requests were sent again.

    load.py --base URL --cookie VALUE --csrf TOKEN --seconds N
            --workers N --acked FILE [--critical FILE]

--critical gets the hashes of the acknowledged links whose item 9 was
endorsed (each must have one critical-item alert).

Written for securebase's tests.
"""
import argparse
import hashlib
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)
LOCK = threading.Lock()
RETRIED = [0]


def send(base, path, data=None, cookie=None):
    """(status, body) of one request, or (None, reason) when it failed."""
    headers = {"Origin": base}
    if cookie:
        headers["Cookie"] = "__Host-sb=" + cookie
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, headers=headers)
    try:
        with OPENER.open(req, timeout=20) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:
        return None, str(e)


def until_answered(base, path, data, cookie, ok):
    """Sends until the status is one of ok (or the minute is over)."""
    end = time.time() + 60
    while True:
        status, body = send(base, path, data, cookie)
        if status in ok:
            return status, body
        if time.time() > end:
            return status, body
        with LOCK:
            RETRIED[0] += 1
        time.sleep(0.2)


def worker(args, deadline, acked, critical, n0):
    n = n0
    while time.time() < deadline:
        n += 1
        status, body = until_answered(args.base, "/clients/1/links", {
            "instrument": "phq9", "csrf": args.csrf}, args.cookie, (200,))
        m = re.search(re.escape(args.base) + r"/q/([0-9a-f]{64})", body)
        if status != 200 or m is None:
            print("link not made: %s %s" % (status, body[:200]),
                  file=sys.stderr)
            continue
        token = m.group(1)
        path = "/q/" + token
        status, body = until_answered(args.base, path, None, None, (200,))
        c = re.search(r'name="csrf" value="([0-9a-f]+)"', body)
        if c is None:
            print("no form: %s" % body[:200], file=sys.stderr)
            continue
        qc = c.group(1)
        first = {"csrf": qc, "p": "0", "go": "next"}
        first.update({"q%d" % i: "1" for i in range(1, 6)})
        until_answered(args.base, path, first, None, (303,))
        last = {"csrf": qc, "p": "1", "go": "next", "q6": "0", "q7": "1",
                "q8": "0", "q9": "1" if n % 10 == 0 else "0", "q10": "1"}
        status, body = until_answered(args.base, path, last, None,
                                      (200, 410))
        if (status == 200 and "Thank you" in body) or \
                (status == 410 and "complete" in body):
            h = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
            with LOCK:
                acked.append(h)
                if n % 10 == 0:
                    critical.append(h)
        else:
            print("not acknowledged: %s %s" % (status, body[:200]),
                  file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--cookie", required=True)
    p.add_argument("--csrf", required=True)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--acked", required=True)
    p.add_argument("--critical")
    args = p.parse_args()
    deadline = time.time() + args.seconds
    acked = []
    critical = []
    threads = [threading.Thread(target=worker,
                                args=(args, deadline, acked, critical,
                                      i * 100000))
               for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(args.acked, "w") as f:
        for h in acked:
            f.write(h + "\n")
    if args.critical:
        with open(args.critical, "w") as f:
            for h in critical:
                f.write(h + "\n")
    print("load: %d answers acknowledged, %d requests sent again"
          % (len(acked), RETRIED[0]))


if __name__ == "__main__":
    main()
