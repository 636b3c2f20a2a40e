#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""fds.py PORT PID LOG - a full descriptor table is not an outage.

With `securebase serve` started under `ulimit -n 64`, 150 idle
connections are opened; then a new request is answered or refused at
once (never left hanging), the server does not spin (CPU time over 3 s),
and its log stays under 1 MB.  Once the idle connections go, pages are
answered again.  Prints "ok ..." or "FAIL ..." per check.
"""
import os
import socket
import sys
import time

PORT, PID, LOG = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sys.dont_write_bytecode = True
sys.path.insert(0, __import__("os").path.dirname(__file__))
from probe import check, done  # noqa: E402


def cpu():
    f = open("/proc/%d/stat" % PID).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def request(src):
    """('answered'|'refused'|'hung', seconds)"""
    t = time.monotonic()
    try:
        c = socket.socket()
        c.bind((src, 0))
        c.settimeout(3)
        c.connect(("127.0.0.1", PORT))
        c.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = c.recv(64)
        c.close()
        what = "answered" if data.startswith(b"HTTP/1.1 200") else "refused"
    except socket.timeout:
        what = "hung"
    except OSError:
        what = "refused"
    return what, time.monotonic() - t


idle = []
for i in range(150):
    try:
        s = socket.socket()
        s.bind(("127.0.%d.%d" % (2 + i // 30, 1 + i % 30), 0))
        s.settimeout(1)
        s.connect(("127.0.0.1", PORT))
        idle.append(s)
    except OSError:
        pass
time.sleep(1)
c0 = cpu()
what, took = request("127.0.0.1")
check(what != "hung" and took < 1.5, "a new request with 150 idle connections: %s in %.2f s" % (what, took))
time.sleep(3)
used = cpu() - c0
check(used < 1.0, "the server used %.2f s of CPU in about 3 s (no spinning)" % used)
size = os.path.getsize(LOG)
check(size < 1 << 20, "its log is %d bytes" % size)
for s in idle:
    s.close()
time.sleep(1)
what, took = request("127.0.0.1")
check(what == "answered", "with the idle connections gone: %s in %.2f s" % (what, took))
done()
