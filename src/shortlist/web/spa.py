"""Serve the built browser app at / without ever shadowing a server route.

The app is installed as the router's *default* handler: it runs only when no route matched, so every API,
docs, share, careers, GraphQL or probe path keeps its own answer (and its own 404). Hashed files under
/assets/ are immutable; index.html is revalidated on every load so a deploy is picked up at once.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

DIST = Path(str(files("shortlist.web") / "dist"))

# Paths the server owns, now or soon: an unknown path under them is a 404, never the app's page.
RESERVED_PREFIXES = (
    "/v1",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static/",
    "/s/",
    "/account/",
    "/careers/",
    "/graphql",
    "/.well-known",
    "/metrics",
    "/livez",
    "/readyz",
)

APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

IMMUTABLE = "public, max-age=31536000, immutable"


def is_reserved(path: str) -> bool:
    return any(path == prefix.rstrip("/") or path.startswith(prefix) for prefix in RESERVED_PREFIXES)


def _static_file(dist: Path, path: str) -> Path | None:
    """The file under dist/ for a URL path, refusing anything that would leave the folder."""
    relative = path.lstrip("/")
    if not relative or "\x00" in relative:
        return None
    candidate = (dist / relative).resolve()
    if not candidate.is_relative_to(dist.resolve()) or not candidate.is_file():
        return None
    return candidate


class SinglePageApp:
    def __init__(self, fallback: ASGIApp, dist: Path = DIST) -> None:
        self.fallback = fallback
        self.dist = dist

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or is_reserved(path):
            await self.fallback(scope, receive, send)
            return
        response = self.respond(path)
        if response is None:
            await self.fallback(scope, receive, send)
            return
        await response(scope, receive, send)

    def respond(self, path: str) -> Response | None:
        found = _static_file(self.dist, path)
        if found is not None and found.name != "index.html":
            cache = IMMUTABLE if path.startswith("/assets/") else "public, max-age=3600"
            return FileResponse(found, headers={"Cache-Control": cache})
        if path.startswith("/assets/"):
            return None  # a stale hashed name: a 404, not the page
        index = self.dist / "index.html"
        if not index.is_file():
            return None  # the app was not built: the API alone still works
        return FileResponse(
            index,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache", "Content-Security-Policy": APP_CSP},
        )


def install_app(app: FastAPI) -> None:
    app.router.default = SinglePageApp(app.router.default)
