"""Rendering inside the API process: outputs cached by the rendering cache key, renders off the event loop.

The rendering library is synchronous and CPU-bound, so every render runs in a worker thread behind a
capacity limiter. Typst keeps the GIL while it compiles (see docs/rendering.md), so threads bound the
concurrency but do not make compiles parallel; the cache is what keeps repeated reads cheap, and
``render_queue_max`` keeps a burst from queueing without end.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import anyio
import anyio.to_thread

from shortlist.config import Settings
from shortlist.kit.problems import ServiceUnavailable
from shortlist.platform.cache import Cache, MemoryCache
from shortlist.rendering import (
    Design,
    OutputFormat,
    PdfStandard,
    RenderedDocument,
    RenderLimitExceeded,
    cache_key,
    render,
)

_RENDERED = b"R"
_REFUSED = b"E"
_LENGTH = struct.Struct(">I")


class RenderBusy(ServiceUnavailable):
    slug = "render-busy"
    title = "Rendering is busy"

    def __init__(self) -> None:
        super().__init__("Too many renders are waiting; retry shortly.", headers={"Retry-After": "2"})


@dataclass(frozen=True, slots=True)
class RenderResult:
    key: str
    document: RenderedDocument
    cached: bool  # True when no render ran for this call (a cache hit, or another caller's render)


def _frame(kind: bytes, header: Mapping[str, Any], parts: tuple[bytes, ...] = ()) -> bytes:
    head = json.dumps(dict(header), separators=(",", ":")).encode()
    return kind + _LENGTH.pack(len(head)) + head + b"".join(parts)


def encode(document: RenderedDocument) -> bytes:
    # A PNG's content is its first page: store the pages once.
    parts = document.pages or (document.content,)
    header = {
        "media_type": document.media_type,
        "extension": document.extension,
        "page_count": document.page_count,
        "paged": bool(document.pages),
        "sizes": [len(p) for p in parts],
    }
    return _frame(_RENDERED, header, parts)


def encode_refusal(exc: RenderLimitExceeded) -> bytes:
    header = {"detail": exc.detail, "limit": exc.limit, "value": exc.value, "maximum": exc.maximum}
    return _frame(_REFUSED, header)


def decode(blob: bytes) -> RenderedDocument:
    """The cached document, or the cached refusal raised again as RenderLimitExceeded."""
    kind = blob[:1]
    (size,) = _LENGTH.unpack_from(blob, 1)
    start = 1 + _LENGTH.size
    header = json.loads(blob[start : start + size])
    if kind == _REFUSED:
        raise RenderLimitExceeded(
            header["detail"], limit=header["limit"], value=header["value"], maximum=header["maximum"]
        )
    offset = start + size
    parts: list[bytes] = []
    for length in header["sizes"]:
        parts.append(blob[offset : offset + length])
        offset += length
    return RenderedDocument(
        content=parts[0],
        media_type=header["media_type"],
        extension=header["extension"],
        page_count=header["page_count"],
        pages=tuple(parts) if header["paged"] else (),
    )


class Renderer:
    """Cached, bounded rendering. One per process (it lives on the AppContext)."""

    def __init__(self, cache: Cache, *, ttl: float, concurrency: int, queue_max: int) -> None:
        self.cache = cache
        self.ttl = ttl
        self.concurrency = concurrency
        self.queue_max = queue_max
        self.renders = 0  # renders that actually ran (cache misses): for tests and the benchmark
        self._limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Renderer:
        # In-process for now: rendered bytes are large and cheap to rebuild, so a shared cache would mostly
        # move megabytes over the network. The adapter's Protocol lets a Redis backend slot in later.
        cache = MemoryCache(max_bytes=settings.render_cache_max_bytes, name="render")
        return cls(
            cache,
            ttl=settings.render_cache_ttl_seconds,
            concurrency=settings.render_concurrency,
            queue_max=settings.render_queue_max,
        )

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        # Created on first use, inside the running event loop.
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        return self._limiter

    @staticmethod
    def key(
        document: Mapping[str, Any], design: Design, fmt: OutputFormat, pdf_standard: PdfStandard | None
    ) -> str:
        return cache_key(document, design, fmt, pdf_standard)

    async def render(
        self,
        document: Mapping[str, Any],
        design: Design,
        fmt: OutputFormat,
        pdf_standard: PdfStandard | None = None,
        *,
        key: str | None = None,
    ) -> RenderResult:
        """Render (or fetch) one output. Raises the library's errors, and RenderBusy when overloaded."""
        key = key or self.key(document, design, fmt, pdf_standard)
        ran = False

        async def load() -> bytes:
            nonlocal ran
            limiter = self.limiter
            waiting = limiter.statistics().tasks_waiting
            if limiter.borrowed_tokens >= limiter.total_tokens and waiting >= self.queue_max:
                raise RenderBusy()
            job = partial(render, document, design, fmt, pdf_standard=pdf_standard)
            try:
                result = await anyio.to_thread.run_sync(job, limiter=limiter)
            except RenderLimitExceeded as exc:
                # Remember refusals too: a resume refused only after compiling (too many pages) must not
                # cost a full compile on every retry.
                return encode_refusal(exc)
            finally:
                ran = True
                self.renders += 1
            return encode(result)

        blob = await self.cache.get_or_set(f"render:{key}", load, self.ttl)
        return RenderResult(key=key, document=decode(blob), cached=not ran)
