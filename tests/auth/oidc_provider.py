"""A real OpenID Connect provider on a free loopback port (the `oidc-provider-mock` package: Authlib's
authorization server in Flask), with PKCE enforced in front of it, since the package does not check it."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import werkzeug.serving

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class PkceGate:
    """Remembers each authorization request's S256 challenge by the code issued for it, and refuses a token
    request whose `code_verifier` does not hash to it (RFC 7636 §4.6)."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.challenges: dict[str, str] = {}
        self.checked = 0

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/token":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            expected = self.challenges.pop(form.get("code", ""), None)
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if expected is None or base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != expected:
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [b'{"error": "invalid_grant", "error_description": "PKCE verification failed"}']
            self.checked += 1
            return self.app(environ, start_response)
        if path == "/oauth2/authorize" and environ.get("REQUEST_METHOD") == "POST":
            query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}

            def remember(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                location = dict(headers).get("Location", "")
                code = parse_qs(urlsplit(location).query).get("code", [""])[0]
                if code and query.get("code_challenge_method") == "S256":
                    self.challenges[code] = query.get("code_challenge", "")
                return start_response(status, headers, *rest)

            return self.app(environ, remember)
        return self.app(environ, start_response)


@contextmanager
def running_provider() -> Iterator[tuple[str, PkceGate]]:
    """(issuer URL, the PKCE gate) of a provider serving on 127.0.0.1 until the context ends."""
    gate = PkceGate(oidc_provider_mock.app(require_nonce=True))
    server = werkzeug.serving.make_server("127.0.0.1", 0, gate, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", gate
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
