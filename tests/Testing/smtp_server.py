"""A real SMTP server for the tests (Debian's python3-aiosmtpd), on --host (loopback by default), without TLS.

Stores every accepted message as NNNNN.eml in --dir. With --user/--password it offers AUTH (without TLS),
requires it, and rejects other credentials with "535 5.7.8 Username and Password not accepted".
Prints READY once it listens; stops when its standard input closes.
"""
import argparse
import itertools
import os
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.counter)
        path = os.path.join(self.folder, "%05d.eml" % number)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    kwargs = {}
    if args.user:
        def authenticate(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode() and auth_data.password == args.password.encode():
                return AuthResult(success=True)
            return AuthResult(success=False, handled=False, message="535 5.7.8 Username and Password not accepted")

        kwargs = dict(authenticator=authenticate, auth_require_tls=False, auth_required=True)

    controller = Controller(Store(args.dir), hostname=args.host, port=args.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
