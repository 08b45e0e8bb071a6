"""Response helpers shared by the render and share endpoints."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Rendered HTML carries its stylesheet, icons and fonts inline; nothing else may load. Scripts never run.
HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)
# Public share pages are not for framing at all (no clickjacking around someone's resume).
SHARE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'"
)
NOINDEX_META = '<meta name="robots" content="noindex">'


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
