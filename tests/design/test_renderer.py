"""The API's renderer: in warm worker processes, bounded, cached (refusals too), single-flight, self-healing."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from itertools import pairwise
from typing import Any

import pytest

from shortlist.design import renderer as renderer_module
from shortlist.design.renderer import RenderBusy, Renderer, decode, encode, warm_worker
from shortlist.platform.cache import MemoryCache
from shortlist.platform.workers import WorkerPool
from shortlist.rendering import Design, OutputFormat, RenderedDocument, RenderLimitExceeded, engine
from tests.design.helpers import unique_resume


def _renderer(concurrency: int = 2, queue_max: int = 8) -> Renderer:
    workers = WorkerPool(workers=concurrency, queue_max=queue_max, initializer=warm_worker)
    return Renderer(MemoryCache(max_bytes=8 * 1024 * 1024), workers, ttl=60)


@pytest.fixture
async def renderer() -> AsyncIterator[Renderer]:
    made = _renderer()
    yield made
    await made.close()


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


async def test_renders_run_in_worker_processes_not_in_this_interpreter(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_compiling_here(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("compiled in the API process")

    # Typst keeps the GIL while compiling: a compile in this process would pause its event loop.
    monkeypatch.setattr(engine, "_compile", no_compiling_here)
    result = await renderer.render(unique_resume(), Design(), OutputFormat.PDF)
    assert result.document.content.startswith(b"%PDF") and result.document.page_count == 1
    worker_pids = {await renderer.run(os.getpid) for _ in range(4)}
    assert os.getpid() not in worker_pids


@pytest.mark.alone
async def test_the_event_loop_keeps_serving_while_workers_compute(renderer: Renderer) -> None:
    await renderer.workers.start()
    wakes: list[float] = []

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(0.01)
            wakes.append(time.perf_counter())

    beat = asyncio.create_task(heartbeat())
    try:
        # Two PNG renders of a long resume (many pages, seconds of compiling in one interpreter).
        long = unique_resume(
            work=[{"name": f"Co {i}", "position": "Dev", "highlights": ["text " * 40] * 3} for i in range(12)]
        )
        started = time.perf_counter()
        await asyncio.gather(
            renderer.render(long, Design(), OutputFormat.PNG),
            renderer.render(long, Design(template="modern"), OutputFormat.PNG),
        )
        finished = time.perf_counter()
    finally:
        beat.cancel()
    # Typst holds the GIL while compiling, so a compile in this interpreter would stop the loop for the whole of
    # it: the longest silence would be at least one of the two compiles. Counting the gaps, not the ticks, keeps
    # the test honest on a busy machine, where the scheduler delays every wake a little.
    times = [started, *wakes, finished]
    longest_silence = max(later - earlier for earlier, later in pairwise(times))
    assert len(wakes) >= 3
    assert longest_silence < (finished - started) / 3


async def test_concurrent_misses_render_once_and_later_calls_hit(renderer: Renderer) -> None:
    document = unique_resume()
    results = await asyncio.gather(*(renderer.render(document, Design(), OutputFormat.PDF) for _ in range(5)))
    assert renderer.renders == 1
    assert len({r.document.content for r in results}) == 1
    again = await renderer.render(document, Design(), OutputFormat.PDF)
    assert again.cached and renderer.renders == 1


async def test_a_full_queue_answers_busy_instead_of_waiting() -> None:
    renderer = _renderer(concurrency=1, queue_max=0)
    try:
        await renderer.workers.start()
        blocker = asyncio.create_task(renderer.run(time.sleep, 1.0))
        for _ in range(100):
            if renderer.workers.running:
                break
            await asyncio.sleep(0.01)
        with pytest.raises(RenderBusy) as caught:
            await renderer.render(unique_resume(), Design(), OutputFormat.TEXT)
        assert caught.value.status == 503 and caught.value.headers["Retry-After"]
        await blocker
        assert not (await renderer.render(unique_resume(), Design(), OutputFormat.TEXT)).cached
    finally:
        await renderer.close()


async def test_a_worker_that_dies_mid_render_answers_503_and_the_pool_recovers() -> None:
    renderer = _renderer(concurrency=1)
    try:
        pid = await renderer.run(os.getpid)
        with pytest.raises(RenderBusy) as caught:
            await renderer.run(os.kill, pid, signal.SIGKILL)  # the worker kills itself while "rendering"
        assert caught.value.status == 503 and caught.value.headers["Retry-After"]
        result = await renderer.render(unique_resume(), Design(), OutputFormat.PDF)
        assert result.document.content.startswith(b"%PDF")
        assert await renderer.run(os.getpid) != pid
    finally:
        await renderer.close()


async def test_a_worker_killed_while_idle_is_replaced_without_failing_a_request() -> None:
    renderer = _renderer(concurrency=1)
    try:
        pid = await renderer.run(os.getpid)
        os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)  # the executor notices the dead process and marks itself broken
        result = await renderer.render(unique_resume(), Design(), OutputFormat.TEXT)
        assert b"Engineer" in result.document.content
    finally:
        await renderer.close()


async def test_closing_stops_every_worker() -> None:
    renderer = _renderer(concurrency=2)
    await renderer.workers.start()
    pids = {await renderer.run(os.getpid) for _ in range(6)}
    await renderer.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError):
        await renderer.run(os.getpid)


async def test_page_limit_refusals_are_cached(renderer: Renderer) -> None:
    long = unique_resume(
        work=[{"name": f"Co {i}", "position": "Dev", "highlights": ["text " * 60] * 4} for i in range(60)]
    )
    for _ in range(2):
        with pytest.raises(RenderLimitExceeded) as caught:
            await renderer.render(long, Design(), OutputFormat.PDF)
        assert caught.value.limit == "pages"
    assert renderer.renders == 1
