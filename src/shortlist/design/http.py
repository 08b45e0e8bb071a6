"""Response helpers shared by the render and share endpoints."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request, Response

from shortlist.context import AppContext
from shortlist.design.exceptions import PageOutOfRange, UnsupportedRenderOption, rendering_problems
from shortlist.kit.conditional import not_modified
from shortlist.rendering import DEFAULT_LIMITS, Design, OutputFormat, PdfStandard

# Rendered HTML carries its stylesheet, icons and fonts inline; nothing else may load. Scripts never run.
HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)
# Public share pages are not for framing at all (no clickjacking around someone's resume).
SHARE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'"
)
NOINDEX_META = '<meta name="robots" content="noindex">'

# The query parameters of every route that renders PNG pages.
PngPage = Annotated[int | None, Query(ge=1, le=100, description="PNG only: which page (from 1).")]
PngPpi = Annotated[
    int | None,
    Query(
        ge=DEFAULT_LIMITS.min_png_ppi,
        le=DEFAULT_LIMITS.max_png_ppi,
        description=f"PNG only: pixels per inch (default {DEFAULT_LIMITS.png_ppi:g}). "
        "A preview asks for its displayed width times the device pixel ratio.",
    ),
]


def content_disposition(title: str, extension: str, *, download: bool, page: int | None = None) -> str:
    """``inline`` (previews) or ``attachment``, with an ASCII name and the UTF-8 name (RFC 6266/8187)."""
    stem = (title.strip() or "resume")[:100]
    if page is not None:
        stem = f"{stem}-page-{page}"
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-.") or "resume"
    kind = "attachment" if download else "inline"
    return (
        f'{kind}; filename="{ascii_stem}.{extension}"; '
        f"filename*=UTF-8''{quote(f'{stem}.{extension}', safe='')}"
    )


def with_noindex(html: bytes) -> bytes:
    """Add the robots meta tag right after ``<head>`` (the rendered page always has one)."""
    marker = b"<head>"
    at = html.find(marker)
    if at < 0:
        return NOINDEX_META.encode() + html
    end = at + len(marker)
    return html[:end] + b"\n" + NOINDEX_META.encode() + html[end:]


async def render_response(
    context: AppContext,
    request: Request,
    document: Mapping[str, Any],
    design: Design,
    output: OutputFormat,
    *,
    page: int | None,
    ppi: int | None,
    title: str,
    standard: PdfStandard | None = None,
    download: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A rendered document as a response: cached by content and design, 304 on a matching `If-None-Match`, one
    page of a PNG when `page` is given. Call it with no database session open: the render may wait its turn."""
    if page is not None and output is not OutputFormat.PNG:
        raise UnsupportedRenderOption("`page` only applies to PNG output.")
    if ppi is not None and output is not OutputFormat.PNG:
        raise UnsupportedRenderOption("`ppi` only applies to PNG output.")
    with rendering_problems():
        key = context.renderer.key(document, design, output, standard, ppi)
        etag = f'"{key}"' if page is None else f'"{key}-p{page}"'
        answer = {"ETag": etag, "Cache-Control": "private, no-cache", **(headers or {})}
        if not_modified(request, etag):
            return Response(status_code=304, headers=answer)
        result = await context.renderer.render(document, design, output, standard, ppi=ppi, key=key)
    rendered = result.document
    body = rendered.content
    if page is not None:
        if page > len(rendered.pages):
            raise PageOutOfRange(f"The resume has {len(rendered.pages)} page(s); there is no page {page}.")
        body = rendered.pages[page - 1]
    answer["Content-Disposition"] = content_disposition(
        title, rendered.extension, download=download, page=page
    )
    answer["X-Render-Cache"] = "hit" if result.cached else "miss"
    if rendered.page_count is not None:
        answer["X-Page-Count"] = str(rendered.page_count)
    if output is OutputFormat.HTML:
        answer["Content-Security-Policy"] = HTML_CSP
        answer["X-Frame-Options"] = "SAMEORIGIN"
    return Response(body, media_type=rendered.media_type, headers=answer)
