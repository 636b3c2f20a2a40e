#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""slow.py PORT - slow senders cannot hold the connection slots of
`securebase serve` reached directly (without nginx).

1. Per address: 60 connections from one address; at most 32 are kept.
2. The whole header has a deadline: 240 connections from 8 addresses
   each send a byte of header every second, never finishing.  Meanwhile a
   page is served at once; each of them is cut within the deadline (10 s)
   plus 3 s, though it never went idle; then a page is served at once.
Prints one line per check, "ok ..." or "FAIL ...", and the figures.
"""
import socket
import sys
import time

PORT = int(sys.argv[1])
DEADLINE = 10
sys.dont_write_bytecode = True
sys.path.insert(0, __import__("os").path.dirname(__file__))
from probe import check, done  # noqa: E402


def open_from(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((addr, 0))
    s.settimeout(2)
    s.connect(("127.0.0.1", PORT))
    s.setblocking(False)
    return s


def alive(s):
    """Still open by the server? (no EOF, no reset)"""
    try:
        return s.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def page():
    """Seconds to get /login's status line, or None."""
    t = time.monotonic()
    try:
        c = socket.create_connection(("127.0.0.1", PORT), timeout=3)
        c.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        ok = c.recv(64).startswith(b"HTTP/1.1 200")
        c.close()
        return time.monotonic() - t if ok else None
    except OSError:
        return None


# 1. One address keeps at most 32 connections.
socks = [open_from("127.0.0.2") for _ in range(60)]
for s in socks:
    try:
        s.send(b"GET /login HTTP/1.1\r\n")
    except OSError:
        pass
time.sleep(1)
kept = sum(1 for s in socks if alive(s))
check(kept <= 32, "one address keeps %d of 60 connections (at most 32)" % kept)
for s in socks:
    s.close()
time.sleep(0.5)

# 2. 240 trickling connections from 8 addresses.
slow = []
for a in range(8):
    for _ in range(30):
        try:
            slow.append([open_from("127.0.1.%d" % (a + 1)), time.monotonic(), None])
        except OSError:
            pass
check(len(slow) == 240, "%d slow connections opened" % len(slow))
header = b"GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
i = 0
start = time.monotonic()
while time.monotonic() - start < DEADLINE + 5 and any(c[2] is None for c in slow):
    for c in slow:
        if c[2] is not None:
            continue
        try:
            c[0].send(header[i % len(header):i % len(header) + 1])
        except OSError:
            c[2] = time.monotonic() - c[1]
            continue
        if not alive(c[0]):
            c[2] = time.monotonic() - c[1]
    i += 1
    if i == 3:
        t = page()
        check(t is not None and t < 1, "while they trickle, a page in %s s" % ("%.3f" % t if t is not None else "none"))
    time.sleep(1)
cut = [c[2] for c in slow if c[2] is not None]
check(len(cut) == len(slow), "%d of %d slow connections cut" % (len(cut), len(slow)))
if cut:
    check(max(cut) <= DEADLINE + 3, "the last was cut after %.1f s (deadline %d s)" % (max(cut), DEADLINE))
    check(min(cut) >= DEADLINE - 1, "none before the deadline (first after %.1f s)" % min(cut))
t = page()
check(t is not None and t < 1, "then a page in %s s" % ("%.3f" % t if t is not None else "none"))
for c in slow:
    c[0].close()
done()
