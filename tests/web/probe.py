# SPDX-License-Identifier: AGPL-3.0-or-later
"""probe.py - what the network probes of the web tests share (slow.py,
fds.py): one line per check, "ok ..." or "FAIL ...", and the exit code."""
import sys

failed = 0


def check(ok, what):
    """Prints the check's line; counts a failure."""
    global failed
    print(("ok " if ok else "FAIL ") + what)
    if not ok:
        failed += 1


def done():
    sys.exit(1 if failed else 0)
