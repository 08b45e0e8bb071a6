"""Rendering for the API: outputs cached by the rendering cache key, renders in warm worker processes.

The rendering library is synchronous and CPU-bound, and Typst keeps the GIL while it compiles (see
docs/rendering.md): in the API's interpreter, even in a thread, every render would pause the event loop and
so every other request. Renders therefore run in a ``WorkerPool`` of ``render_concurrency`` processes that
loaded the fonts and compiled each template once at start-up (``warm_worker``); ``render_queue_max`` more
may wait, beyond that the answer is 503 with Retry-After. The cache keeps repeated reads cheap: a hit never
leaves the API process.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from shortlist.config import Settings
from shortlist.kit.problems import ServiceUnavailable, UnprocessableContent
from shortlist.platform.cache import Cache, MemoryCache
from shortlist.platform.workers import CallTimedOut, PoolBusy, WorkerLost, WorkerPool
from shortlist.rendering import (
    Design,
    OutputFormat,
    PdfStandard,
    RenderedDocument,
    RenderLimitExceeded,
    cache_key,
    engine,
    list_templates,
    render,
)

P = ParamSpec("P")
R = TypeVar("R")

_RENDERED = b"R"
_REFUSED = b"E"
_TIMED_OUT = b"T"
# How long a render that ran out of time is remembered: the same document would hold a worker as long again,
# but a timeout on an overloaded machine may not recur, so the memory is shorter than a render's.
TIMEOUT_MEMORY_SECONDS = 300.0
_LENGTH = struct.Struct(">I")


class RenderBusy(ServiceUnavailable):
    slug = "render-busy"
    title = "Rendering is busy"

    def __init__(
        self, detail: str = "Too many renders are waiting; retry shortly.", *, retry_after: int = 2
    ) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class RenderTimedOut(UnprocessableContent):
    """A 422, not a 503: compile time follows the document, so the same request would run as long again.

    The limit is far above what any resume of the accepted size needs (docs/rendering.md), so a client
    acts on this by changing the document (or its design), not by retrying it unchanged.
    """

    slug = "render-timeout"
    title = "Rendering took too long"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(
            f"Rendering this document took longer than {timeout:g} s and was stopped. Shorten the document "
            "(fewer entries, shorter texts) or choose another design, then try again.",
            extensions={"timeout_seconds": timeout},
        )


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


def encode_timeout(timeout: float) -> bytes:
    return _frame(_TIMED_OUT, {"timeout": timeout})


def decode(blob: bytes) -> RenderedDocument:
    """The cached document, or the cached refusal raised again (RenderLimitExceeded, RenderTimedOut)."""
    kind = blob[:1]
    (size,) = _LENGTH.unpack_from(blob, 1)
    start = 1 + _LENGTH.size
    header = json.loads(blob[start : start + size])
    if kind == _TIMED_OUT:
        raise RenderTimedOut(header["timeout"])
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


def render_framed(
    document: Mapping[str, Any],
    design: Design,
    fmt: OutputFormat,
    pdf_standard: PdfStandard | None,
    ppi: float | None = None,
) -> bytes:
    """Runs in a worker: the render, or its size refusal, framed for the cache (bytes cross the pipe)."""
    try:
        return encode(render(document, design, fmt, pdf_standard=pdf_standard, ppi=ppi))
    except RenderLimitExceeded as exc:
        return encode_refusal(exc)


def warm_worker() -> None:
    """A worker's initializer: the fonts and every template, loaded before its first render."""
    engine.warm([template.slug for template in list_templates()])


# Imported by the fork server once, so that each worker starts with them in memory.
WORKER_MODULES = ("shortlist.design.renderer",)


class Renderer:
    """Cached, bounded rendering. One per process (it lives on the AppContext); owns the worker pool."""

    def __init__(self, cache: Cache, workers: WorkerPool, *, ttl: float) -> None:
        self.cache = cache
        self.workers = workers
        self.ttl = ttl
        self.renders = 0  # renders that actually ran (cache misses): for tests and the benchmark

    @classmethod
    def from_settings(cls, settings: Settings, *, preload: Sequence[str] = ()) -> Renderer:
        # In-process for now: rendered bytes are large and cheap to rebuild, so a shared cache would mostly
        # move megabytes over the network. The adapter's Protocol lets a Redis backend slot in later.
        cache = MemoryCache(max_bytes=settings.render_cache_max_bytes, name="render")
        workers = WorkerPool(
            workers=settings.render_concurrency,
            queue_max=settings.render_queue_max,
            initializer=warm_worker,
            preload=(*WORKER_MODULES, *preload),
            timeout=settings.render_timeout_seconds,
        )
        return cls(cache, workers, ttl=settings.render_cache_ttl_seconds)

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """CPU-bound work (a render, a report on a rendered file) in a worker; 503 when overloaded, 422 when
        it runs past the render timeout."""
        try:
            return await self.workers.run(function, *args, **kwargs)
        except CallTimedOut as exc:
            raise RenderTimedOut(exc.timeout) from None
        except PoolBusy:
            raise RenderBusy() from None
        except WorkerLost:
            raise RenderBusy("A render worker stopped while working on this; retry shortly.") from None

    async def close(self) -> None:
        await self.workers.close()

    @staticmethod
    def key(
        document: Mapping[str, Any],
        design: Design,
        fmt: OutputFormat,
        pdf_standard: PdfStandard | None,
        ppi: float | None = None,
    ) -> str:
        return cache_key(document, design, fmt, pdf_standard, ppi)

    async def render(
        self,
        document: Mapping[str, Any],
        design: Design,
        fmt: OutputFormat,
        pdf_standard: PdfStandard | None = None,
        *,
        ppi: float | None = None,
        key: str | None = None,
    ) -> RenderResult:
        """Render (or fetch) one output. Raises the library's errors, and RenderBusy when overloaded.

        Typst rasterises every page of a PNG render at once (its Python binding cannot select pages), so
        all pages are cached together under one key: asking for another page of the same version is a hit.
        """
        key = key or self.key(document, design, fmt, pdf_standard, ppi)
        ran = False

        async def load() -> bytes:
            nonlocal ran
            refused = False
            try:
                # Refusals come back framed too: a resume refused only after compiling (too many pages)
                # must not cost a full compile on every retry.
                return await self.run(render_framed, document, design, fmt, pdf_standard, ppi)
            except RenderBusy:
                refused = True
                raise
            finally:
                if not refused:
                    ran = True
                    self.renders += 1

        try:
            blob = await self.cache.get_or_set(f"render:{key}", load, self.ttl)
        except RenderTimedOut as exc:
            # Sent again unchanged, the document is refused at once instead of holding another worker
            # until the deadline: a client repeating a pathological document costs one compile, not many.
            remembered = encode_timeout(exc.timeout)
            await self.cache.set(f"render:{key}", remembered, min(self.ttl, TIMEOUT_MEMORY_SECONDS))
            raise
        return RenderResult(key=key, document=decode(blob), cached=not ran)
