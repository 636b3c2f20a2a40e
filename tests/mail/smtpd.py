#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A real SMTP server for the notification tests: Debian's aiosmtpd with
STARTTLS required and AUTH (PLAIN, LOGIN) checked against one user.

Each message received is written whole to DIR/N.eml, after two lines
naming the envelope.  While the file given by --reject exists, every
message is refused at DATA with a permanent 554 reply.  While the file
given by --hold exists, a message's DATA is not answered (a server that
hangs mid-send; at most 120 s).

    smtpd.py --port N --dir DIR --cert C --key K --user U --password P
             [--reject FILE] [--hold FILE]

Written for securebase's tests; runs until SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        waited = 0
        while (self.args.hold and os.path.exists(self.args.hold) and
               waited < 1200):
            await asyncio.sleep(0.1)
            waited += 1
        if self.args.reject and os.path.exists(self.args.reject):
            return "554 5.7.1 test server refuses this message"
        self.n += 1
        # Numbered after what is there: a restarted server adds, never
        # overwrites.
        while os.path.exists(os.path.join(self.args.dir, "%d.eml" % self.n)):
            self.n += 1
        path = os.path.join(self.args.dir, "%d.eml" % self.n)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            auth = session.auth_data
            login = (auth.login.decode() if isinstance(auth, LoginPassword)
                     else "-")
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                     "X-Auth-Login: %s\r\nX-TLS: %s\r\n" % (
                         envelope.mail_from, ",".join(envelope.rcpt_tos),
                         login, "yes" if session.ssl else "no")).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, path)
        return "250 2.0.0 queued as %d" % self.n


def main():
    ap = argparse.ArgumentParser()
    for a in ("port", "dir", "cert", "key", "user", "password"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--reject")
    ap.add_argument("--hold")
    args = ap.parse_args()

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              auth_data.login.decode() == args.user and
              auth_data.password.decode() == args.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    c = Controller(Handler(args), hostname="127.0.0.1", port=int(args.port),
                   tls_context=ctx, require_starttls=True,
                   authenticator=authenticator, auth_required=True,
                   auth_require_tls=True)
    c.start()
    print("smtpd: listening on 127.0.0.1:%s" % args.port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
