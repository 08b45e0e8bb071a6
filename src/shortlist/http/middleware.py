"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs several times more per request)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import structlog
from fastapi import HTTPException
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from prometheus_client import Counter, Gauge, Histogram
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shortlist.kit.ids import new_id_hex
from shortlist.kit.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, problem_document
from shortlist.platform.observability.tracing import finish_server_span, start_server_span

access_log = structlog.get_logger("shortlist.access")

HTTP_REQUESTS = Counter(
    "shortlist_http_requests_total",
    "HTTP requests by route template and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "shortlist_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
HTTP_IN_FLIGHT = Gauge("shortlist_http_requests_in_flight", "HTTP requests being served.")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def header_value(scope: Scope, name: bytes) -> str:
    """The first request header called ``name`` (lower case), decoded, or "" (no Headers object built)."""
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return ""


def set_header(message: Message, name: bytes, value: bytes) -> None:
    """Set a response header (``name`` in lower case) on a start message, replacing any of that name."""
    raw = message.get("headers")
    headers = [(key, item) for key, item in (raw or ()) if key.lower() != name]
    headers.append((name, value))
    message["headers"] = headers


class RouteTemplates:
    """Full path templates ("/v1/resumes/{resume_id}") by route object.

    The route in the ASGI scope knows only its own path, not the prefixes of the routers that include it,
    so the table is built once from the application's route tree.
    """

    def __init__(self) -> None:
        self._by_route: dict[int, str] | None = None

    def lookup(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            # Unmatched paths share one label: raw paths would let clients blow up metric cardinality.
            return "<unmatched>"
        if self._by_route is None:
            app = scope.get("app")
            routes = getattr(app, "routes", [])
            self._by_route = {
                id(context.original_route): context.path_format or ""
                for context in iter_route_contexts(routes)
            }
        template = self._by_route.get(id(route)) or getattr(route, "path", None)
        return template if isinstance(template, str) else "<unmatched>"


_NO_SPAN: AbstractContextManager[None] = contextlib.nullcontext()


class RequestContextMiddleware:
    """Request id in and out, the request's SERVER span, structured access log and RED metrics, per request.

    The outermost of our middleware: the span is opened first, so the access log line is written inside it
    and carries its trace id, and one route lookup and one clock serve the span, the metrics and the log.
    """

    def __init__(self, app: ASGIApp, *, metrics: bool = True) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates()
        # Labelled series by label values: `labels()` takes a lock and checks its arguments on every call.
        self._counted: dict[tuple[str, str, str], Any] = {}
        self._timed: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = header_value(scope, b"x-request-id")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_id_hex()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        method: str = scope["method"]
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                set_header(message, b"x-request-id", request_id.encode("latin-1"))
            await send(message)

        with start_server_span(scope) or _NO_SPAN as server_span:
            structlog.contextvars.bind_contextvars(request_id=request_id)
            started = time.perf_counter()
            HTTP_IN_FLIGHT.inc()
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                HTTP_IN_FLIGHT.dec()
                elapsed = time.perf_counter() - started
                route = self.templates.lookup(scope)
                if server_span is not None:
                    finish_server_span(
                        server_span, method=method, route=route, status=status, request_id=request_id
                    )
                if self.metrics:
                    self._observe(method, route, status, elapsed)
                subject = state.get("subject")
                access_log.info(
                    "http.request",
                    method=method,
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                    user_id=str(subject.user_id) if subject is not None else None,
                )
                structlog.contextvars.clear_contextvars()

    def _observe(self, method: str, route: str, status: int, elapsed: float) -> None:
        counted = self._counted.get((method, route, str(status)))
        if counted is None:
            counted = self._counted[method, route, str(status)] = HTTP_REQUESTS.labels(
                method, route, str(status)
            )
        timed = self._timed.get((method, route))
        if timed is None:
            timed = self._timed[method, route] = HTTP_DURATION.labels(method, route)
        counted.inc()
        timed.observe(elapsed)


def _too_large(limit: int, *, upload: bool = False) -> HTTPException:
    # FastAPI's HTTPException passes through its body parser untouched; any other error there becomes a 400.
    if upload:
        # The body may be a little larger than the file (multipart framing), but the limit a client can act
        # on is the documented one for the file itself.
        return HTTPException(413, f"The file exceeds the upload limit of {limit} bytes.")
    return HTTPException(413, f"The request body exceeds the limit of {limit} bytes.")


# Room for the multipart framing and the small text fields sent next to an uploaded file.
MULTIPART_ALLOWANCE_BYTES = 256 * 1024


def _nul_refused() -> HTTPException:
    return HTTPException(400, "NUL characters (U+0000) are not accepted in requests.")


# U+0000 as it can arrive: a JSON escape or a percent-encoded byte. PostgreSQL cannot store it in text, and
# no resume needs it, so it is refused at the door for every backend alike.
_NUL_FORMS = (b"\\u0000", b"%00")
# In an upload's binary body the three bytes `%00` turn up by chance (about once per 16 MiB of compressed
# data) and multipart does not percent-decode; only the JSON escape, which GraphQL's operations field
# decodes, is looked for there.
_UPLOAD_NUL_FORMS = (b"\\u0000",)


class RequestGuardMiddleware:
    """Refuse bodies over the limit (announced by Content-Length or streamed) and NUL characters.

    File uploads (POST to a path of ``upload_limits``) are binary, so they skip the NUL check and get their
    own limit: the path's largest file, which the body may exceed by the multipart framing allowance; the
    endpoint still checks the file's own size. ``multipart_upload_limits`` are treated the same only for a
    multipart/form-data POST (GraphQL's file uploads; its JSON requests keep the usual rules).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        upload_limits: Mapping[str, int] | None = None,
        multipart_upload_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_limits = dict(upload_limits or {})
        self.multipart_upload_limits = dict(multipart_upload_limits or {})

    def _file_limit(self, scope: Scope) -> int | None:
        """The largest file this request may carry, or None when it is no upload."""
        if scope.get("method") != "POST":
            return None
        path: str = scope["path"]
        if path in self.upload_limits:
            return self.upload_limits[path]
        if path in self.multipart_upload_limits and Headers(scope=scope).get(
            "content-type", ""
        ).lower().startswith("multipart/form-data"):
            return self.multipart_upload_limits[path]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        file_limit = self._file_limit(scope)
        upload = file_limit is not None
        if file_limit is not None:
            limit = max(limit, file_limit + MULTIPART_ALLOWANCE_BYTES)

        def too_large() -> HTTPException:
            return _too_large(file_limit, upload=True) if file_limit is not None else _too_large(limit)

        state = scope.setdefault("state", {})
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            state["refuse_nul"] = True
        declared = header_value(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            state["body_too_large"] = True
        received = 0
        tail = b""
        nul_forms = _UPLOAD_NUL_FORMS if upload else _NUL_FORMS

        async def guarded_receive() -> Message:
            nonlocal received, tail
            if state.get("body_too_large"):
                raise too_large()
            message = await receive()
            if message["type"] == "http.request":
                chunk: bytes = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise too_large()
                window = tail + chunk
                if (not upload and b"\x00" in window) or any(form in window for form in nul_forms):
                    raise _nul_refused()
                tail = window[-5:]
            return message

        if state.get("refuse_nul"):
            response = JSONResponse(
                problem_document(
                    type_uri=PROBLEM_BASE + "bad-request",
                    title="Bad request",
                    status=400,
                    detail=str(_nul_refused().detail),
                    instance=scope["path"],
                    request_id=state.get("request_id"),
                ),
                status_code=400,
                media_type=PROBLEM_MEDIA_TYPE,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, guarded_receive, send)


class SecurityHeadersMiddleware:
    _DOCS_CSP = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
    )
    _API_CSP = "default-src 'none'; frame-ancestors 'none'"

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        # Encoded once: each response only appends those its handler did not set (a `setdefault` per header
        # through MutableHeaders scanned and re-encoded the whole list seven times per response).
        self._docs = self._defaults(self._DOCS_CSP, hsts=hsts, personal=False)
        self._api = self._defaults(self._API_CSP, hsts=hsts, personal=False)
        self._personal = self._defaults(self._API_CSP, hsts=hsts, personal=True)

    @staticmethod
    def _defaults(csp: str, *, hsts: bool, personal: bool) -> tuple[tuple[bytes, bytes], ...]:
        headers = [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("content-security-policy", csp),
            ("cross-origin-opener-policy", "same-origin"),
        ]
        if hsts:
            headers.append(("strict-transport-security", "max-age=31536000; includeSubDomains"))
        if personal:
            # Personal data: no shared cache and no browser cache may keep it.
            headers.append(("cache-control", "no-store"))
        return tuple((name.encode("latin-1"), value.encode("latin-1")) for name, value in headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(("/docs", "/redoc", "/static/")):
            defaults = self._docs
        else:
            defaults = self._personal if path.startswith("/v1/") else self._api

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_missing_headers(message, defaults)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_missing_headers(message: Message, defaults: tuple[tuple[bytes, bytes], ...]) -> None:
    """Append each default header (lower-case name) the response start message does not carry yet."""
    raw = message.get("headers")
    headers: list[tuple[bytes, bytes]] = raw if isinstance(raw, list) else list(raw or ())
    present = {name.lower() for name, _ in headers}
    headers.extend(header for header in defaults if header[0] not in present)
    message["headers"] = headers
