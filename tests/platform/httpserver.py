"""A small threaded HTTP(S) server on 127.0.0.1 for outbound-request tests."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    raw_headers: list[tuple[str, str]]


@dataclass
class ServerState:
    requests: list[Seen] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _reply(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.state.requests.append(
            Seen(
                "POST",
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                body,
                [(k.lower(), v) for k, v in self.headers.items()],
            )
        )
        # The client hangs up on purpose in some tests (timeouts, size caps).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(body)

    def _route(self, body: bytes) -> None:
        if self.path.startswith("/ok"):
            self._reply(200, b"echo:" + body, {"X-Reply": "yes"})
        elif self.path == "/redirect":
            self._reply(302, b"", {"Location": "/ok"})
        elif self.path == "/big":
            self._reply(200, b"x" * 1_000_000)
        elif self.path == "/slow":
            time.sleep(2)
            self._reply(200, b"late")
        elif self.path == "/trickle":
            # Each byte arrives well within the read timeout, but the whole body takes seconds.
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path == "/gzip":
            self._reply(200, b"\x1f\x8bnot-really-gzip", {"Content-Encoding": "gzip"})
        else:
            self._reply(404, b"nope")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # failed TLS handshakes and client hang-ups are expected in these tests


class LocalServer:
    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.state = ServerState()
        self.port: int = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def state(self) -> ServerState:
        return self.httpd.state

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
