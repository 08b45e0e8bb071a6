#!/usr/bin/env python3
"""A webhook receiver for trying Shortlist's webhooks on one machine (standard library only).

    RECEIVER=$(python3 scripts/webhook_receiver.py --log hooks.log)

Listens on 127.0.0.1 on a free port, prints its URL, and keeps serving in the background (stopping by itself
after --lifetime seconds; its process id is written to LOG.pid). Every delivery is appended to LOG as one
line: the webhook-id header, then the JSON body. It answers 204, which Shortlist counts as delivered.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path


def handler_writing_to(log: Path) -> type[BaseHTTPRequestHandler]:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{self.headers.get('webhook-id', '-')} {body.decode('utf-8', 'replace')}\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the log file is the record

    return Receiver


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log", type=Path, default=Path("hooks.log"), help="where deliveries are written")
    parser.add_argument("--lifetime", type=float, default=600.0, help="seconds before it stops by itself")
    parser.add_argument("--foreground", action="store_true", help="serve in this process (Ctrl-C stops)")
    args = parser.parse_args()
    log: Path = args.log.resolve()
    log.touch()
    server = HTTPServer(("127.0.0.1", 0), handler_writing_to(log))  # port 0: the system picks a free one
    print(f"http://127.0.0.1:{server.server_address[1]}/hook", flush=True)
    if not args.foreground and os.fork() > 0:
        os._exit(0)  # the parent only reports the URL; the child serves
    if not args.foreground:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # let a $(...) that captured the URL finish
            os.dup2(devnull, fd)
        Path(f"{log}.pid").write_text(str(os.getpid()))
    stop = threading.Timer(args.lifetime, server.shutdown)
    stop.daemon = True
    stop.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
