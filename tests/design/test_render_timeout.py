"""The render timeout: a call that runs too long has its worker process killed and replaced, the caller gets a
422 problem document, and the calls running in the other workers finish as if nothing happened.

Real worker processes throughout; the long call is `time.sleep` sent through the pool like any render (Typst
compiling in native code cannot be interrupted either: only the kill stops it). These tests wait on deadlines,
so they run alone."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.design.renderer import RenderBusy, Renderer, RenderTimedOut, warm_worker
from shortlist.main import create_app
from shortlist.platform.cache import MemoryCache
from shortlist.platform.workers import WorkerPool
from shortlist.rendering import Design, OutputFormat
from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume
from tests.design.slow_calls import die, sleep_then_pid

pytestmark = pytest.mark.alone


def _renderer(timeout: float, concurrency: int = 2) -> Renderer:
    workers = WorkerPool(workers=concurrency, queue_max=8, initializer=warm_worker, timeout=timeout)
    return Renderer(MemoryCache(max_bytes=1024 * 1024), workers, ttl=60)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _gone(pid: int) -> bool:
    """Whether the process has exited (and been reaped by its executor) within a few seconds."""
    for _ in range(100):
        if not _alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.fixture
async def renderer() -> AsyncIterator[Renderer]:
    made = _renderer(timeout=3.0)
    await made.workers.start()
    yield made
    await made.close()


async def test_a_call_past_the_timeout_kills_its_worker_and_spares_the_others(renderer: Renderer) -> None:
    pool = renderer.workers
    await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2)))  # both workers up
    started = time.monotonic()
    stuck = asyncio.create_task(renderer.run(sleep_then_pid, 60.0))
    await asyncio.sleep(1.5)
    # Runs in the other worker across the moment the stuck one is killed (3 s), within its own deadline.
    neighbour = asyncio.create_task(renderer.run(sleep_then_pid, 2.0))
    with pytest.raises(RenderTimedOut) as caught:
        await stuck
    assert time.monotonic() - started < 30  # stopped at its deadline, not after its 60 s
    problem = caught.value
    assert problem.status == 422 and problem.slug == "render-timeout"
    assert problem.extensions["timeout_seconds"] == 3.0 and "3 s" in problem.detail

    neighbour_pid = await neighbour
    assert neighbour_pid != os.getpid()
    # Nothing leaked: both workers are free, and two calls run side by side in two live processes again.
    assert pool.running == 0 and pool.pending == 0
    await pool.start()  # the replacement warms in the background; wait for it
    pids = await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2)))
    assert len(set(pids)) == 2 and all(_alive(pid) for pid in pids)
    assert neighbour_pid in pids  # the neighbour's process was never replaced
    result = await renderer.render(unique_resume(), Design(), OutputFormat.PDF)
    assert result.document.content.startswith(b"%PDF")


async def test_the_killed_worker_is_gone_and_its_replacement_is_warm_before_the_next_call(
    renderer: Renderer,
) -> None:
    pids = set(await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2))))
    with pytest.raises(RenderTimedOut):
        await renderer.run(sleep_then_pid, 60.0)
    await renderer.workers.start()
    killed = pids - set(await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2))))
    assert len(killed) == 1
    assert await _gone(killed.pop())


async def test_the_deadline_holds_when_the_caller_has_gone_away(renderer: Renderer) -> None:
    pool = renderer.workers
    before = set(await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2))))
    abandoned = asyncio.create_task(renderer.run(sleep_then_pid, 60.0))
    await asyncio.sleep(0.3)
    abandoned.cancel()  # e.g. the client disconnected: the worker stays busy until its deadline
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    for _ in range(200):
        if pool.running == 0:
            break
        await asyncio.sleep(0.05)
    assert pool.running == 0 and pool.pending == 0
    await pool.start()
    after = set(await asyncio.gather(*(renderer.run(sleep_then_pid, 0.3) for _ in range(2))))
    assert len(before & after) == 1  # one worker replaced, the other kept


async def test_a_crash_is_still_a_lost_worker_not_a_timeout(renderer: Renderer) -> None:
    with pytest.raises(RenderBusy) as caught:  # 503 with Retry-After, as before the timeout existed
        await renderer.run(die)
    assert caught.value.status == 503 and caught.value.headers["Retry-After"]


async def test_the_render_endpoint_answers_422_and_renders_again_once_the_document_fits(
    app_context: AppContext, register: Register, client: httpx.AsyncClient
) -> None:
    # A deadline no render can meet: the request is answered with the problem, the worker replaced.
    impatient = _renderer(timeout=0.001, concurrency=1)
    app = create_app(context=replace(app_context, renderer=impatient))
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as impatient_client:
            response = await impatient_client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
            body = assert_problem(response, 422, "render-timeout")
            assert body["timeout_seconds"] == 0.001
            assert impatient.workers.running == 0 and impatient.workers.pending == 0
        # The same resume through the suite's renderer (whose timeout is the default) renders.
        rendered = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
        assert rendered.status_code == 200 and rendered.content.startswith(b"%PDF")
    finally:
        await impatient.close()


async def test_a_document_that_timed_out_is_refused_at_once_when_sent_again() -> None:
    impatient = _renderer(timeout=0.001, concurrency=1)
    await impatient.workers.start()
    document = unique_resume()
    try:
        with pytest.raises(RenderTimedOut):
            await impatient.render(document, Design(), OutputFormat.PDF)
        assert impatient.renders == 1
        await impatient.workers.start()  # the killed worker's replacement
        for _ in range(3):
            with pytest.raises(RenderTimedOut) as again:
                await impatient.render(document, Design(), OutputFormat.PDF)
            assert again.value.extensions["timeout_seconds"] == 0.001
        assert impatient.renders == 1  # no worker was held for the repeats
        # Another document (or design) is not refused for it: it gets a render of its own.
        with pytest.raises(RenderTimedOut):
            await impatient.render(unique_resume(), Design(), OutputFormat.PDF)
        assert impatient.renders == 2
    finally:
        await impatient.close()
