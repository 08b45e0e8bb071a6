"""The API's renderer: off the event loop, bounded, cached (refusals too), single-flight."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from typing import Any

import pytest

from shortlist.design import renderer as renderer_module
from shortlist.design.renderer import RenderBusy, Renderer, decode, encode
from shortlist.platform.cache import MemoryCache
from shortlist.rendering import (
    Design,
    OutputFormat,
    PdfStandard,
    RenderedDocument,
    RenderLimitExceeded,
    render,
)
from tests.design.helpers import unique_resume


def _renderer(concurrency: int = 2, queue_max: int = 8) -> Renderer:
    return Renderer(
        MemoryCache(max_bytes=8 * 1024 * 1024), ttl=60, concurrency=concurrency, queue_max=queue_max
    )


def test_framing_round_trips_pages_and_refusals() -> None:
    png = RenderedDocument(
        content=b"one", media_type="image/png", extension="png", page_count=2, pages=(b"one", b"two!")
    )
    assert decode(encode(png)) == png
    pdf = RenderedDocument(content=b"%PDF", media_type="application/pdf", extension="pdf", page_count=1)
    assert decode(encode(pdf)) == pdf
    refusal = RenderLimitExceeded("too big", limit="pages", value=14, maximum=10)
    with pytest.raises(RenderLimitExceeded) as caught:
        decode(renderer_module.encode_refusal(refusal))
    assert (caught.value.limit, caught.value.value, caught.value.maximum) == ("pages", 14, 10)


async def test_renders_run_in_a_worker_thread_while_the_loop_keeps_serving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []

    def slow_render(
        document: Mapping[str, Any], design: Design, fmt: OutputFormat, *, pdf_standard: PdfStandard | None
    ) -> RenderedDocument:
        threads.append(threading.get_ident())
        time.sleep(0.3)  # stands in for a long compile
        return render(document, design, fmt, pdf_standard=pdf_standard)

    monkeypatch.setattr(renderer_module, "render", slow_render)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(heartbeat())
    try:
        result = await _renderer().render(unique_resume(), Design(), OutputFormat.TEXT)
    finally:
        beat.cancel()
    assert threads and threads[0] != threading.get_ident()
    assert ticks >= 10  # the loop ran while the render slept in its thread
    assert not result.cached and b"Engineer" in result.document.content


async def test_concurrent_misses_render_once_and_later_calls_hit() -> None:
    renderer = _renderer()
    document = unique_resume()
    results = await asyncio.gather(*(renderer.render(document, Design(), OutputFormat.PDF) for _ in range(5)))
    assert renderer.renders == 1
    assert len({r.document.content for r in results}) == 1
    again = await renderer.render(document, Design(), OutputFormat.PDF)
    assert again.cached and renderer.renders == 1


async def test_a_full_queue_answers_busy_instead_of_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def blocked_render(
        document: Mapping[str, Any], design: Design, fmt: OutputFormat, *, pdf_standard: PdfStandard | None
    ) -> RenderedDocument:
        release.wait(5)
        return render(document, design, fmt, pdf_standard=pdf_standard)

    monkeypatch.setattr(renderer_module, "render", blocked_render)
    renderer = _renderer(concurrency=1, queue_max=0)
    first = asyncio.create_task(renderer.render(unique_resume(), Design(), OutputFormat.TEXT))
    for _ in range(100):
        if renderer.limiter.borrowed_tokens:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(RenderBusy) as caught:
        await renderer.render(unique_resume(), Design(), OutputFormat.TEXT)
    assert caught.value.status == 503 and caught.value.headers["Retry-After"]
    release.set()
    assert not (await first).cached


async def test_page_limit_refusals_are_cached() -> None:
    renderer = _renderer()
    long = unique_resume(
        work=[{"name": f"Co {i}", "position": "Dev", "highlights": ["text " * 60] * 4} for i in range(60)]
    )
    for _ in range(2):
        with pytest.raises(RenderLimitExceeded) as caught:
            await renderer.render(long, Design(), OutputFormat.PDF)
        assert caught.value.limit == "pages"
    assert renderer.renders == 1
