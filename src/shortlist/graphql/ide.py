"""GraphiQL, built from npm into `graphiql/` (sources in the repository's `graphiql/` folder) and served by
the API itself: GET /graphql for a browser (Accept: text/html) when introspection is allowed, its assets
under /graphql/ide/assets/. No CDN, and no inline script (the CSP allows only same-origin scripts)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import Request, Response

from shortlist.kit.problems import NotFound

IDE_DIST = Path(str(files("shortlist.graphql") / "graphiql"))
# GraphiQL sets element styles at run time (no inline <script> anywhere); it talks to this origin only.
IDE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


class IdeAssetNotFound(NotFound):
    slug = "not-found"
    title = "Not found"


def wants_ide(request: Request) -> bool:
    """A browser opening /graphql: an HTML Accept header and no query to run."""
    accept = request.headers.get("accept", "")
    return request.method == "GET" and "text/html" in accept and "query" not in request.query_params


def ide_page() -> Response:
    body = (IDE_DIST / "index.html").read_bytes()
    return Response(
        body,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": IDE_CSP, "Cache-Control": "no-cache"},
    )


def ide_asset(name: str) -> Response:
    """A built asset by file name (no folders: the names vite emits are flat and content-hashed)."""
    assets = IDE_DIST / "assets"
    candidate = assets / name
    suffix = candidate.suffix
    if "/" in name or "\\" in name or name.startswith(".") or suffix not in _MEDIA or not candidate.is_file():
        raise IdeAssetNotFound("No such GraphiQL asset.")
    return Response(
        candidate.read_bytes(),
        media_type=_MEDIA[suffix],
        headers={"Cache-Control": "public, max-age=31536000, immutable", "Content-Security-Policy": IDE_CSP},
    )
