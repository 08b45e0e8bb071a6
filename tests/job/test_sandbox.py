"""CPU-bound kinds run in a child process with time and memory limits."""

from __future__ import annotations

import pytest

from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from shortlist.job.registry import JobFailed
from shortlist.job.sandbox import SandboxCrashed, SandboxError, SandboxTimeout, run_in_sandbox
from shortlist.job.tasks import probe
from tests.job.helpers import enqueue, wait_for

# Worker start-up and job deadlines are wall-clock: these run by themselves, not beside parallel tests.
pytestmark = pytest.mark.alone


def crash(_payload: dict[str, object]) -> dict[str, object]:
    import os

    os._exit(3)


def not_a_dict(_payload: dict[str, object]) -> list[int]:
    return [1]


def boom(_payload: dict[str, object]) -> None:
    raise JobFailed("bad input")


async def test_result_comes_back() -> None:
    assert await run_in_sandbox(probe, {"allocate_mb": 1}, time_limit=10, memory_limit_mb=256) == {
        "spins": 0,
        "allocated": 1024 * 1024,
    }


async def test_memory_limit_stops_a_hog() -> None:
    with pytest.raises(SandboxError) as raised:
        await run_in_sandbox(probe, {"allocate_mb": 600}, time_limit=10, memory_limit_mb=200)
    assert "memory" in raised.value.detail.lower() and not raised.value.permanent


async def test_time_limit_kills_a_spinner() -> None:
    with pytest.raises((SandboxTimeout, SandboxCrashed)):
        await run_in_sandbox(probe, {"spin_seconds": 30}, time_limit=0.5, memory_limit_mb=256)


async def test_crash_and_bad_results_are_reported() -> None:
    with pytest.raises(SandboxCrashed):
        await run_in_sandbox(crash, {}, time_limit=5, memory_limit_mb=256)
    with pytest.raises(SandboxError) as raised:
        await run_in_sandbox(not_a_dict, {}, time_limit=5, memory_limit_mb=256)  # type: ignore[arg-type]
    assert raised.value.permanent
    with pytest.raises(SandboxError) as failed:
        await run_in_sandbox(boom, {}, time_limit=5, memory_limit_mb=256)
    assert failed.value.permanent and failed.value.detail == "bad input"


async def test_cpu_bound_kind_through_the_worker(app_context: AppContext, job_runner: JobRunner) -> None:
    ok = await enqueue(app_context, "system.probe", {"spin_seconds": 0.05})
    hog = await enqueue(app_context, "system.probe", {"allocate_mb": 4096}, max_attempts=1)
    failing = await enqueue(app_context, "system.probe", {"fail": True}, max_attempts=3)
    assert (await wait_for(app_context, ok, "succeeded")).result["spins"] > 0  # type: ignore[index]
    dead = await wait_for(app_context, hog, "dead")
    assert dead.error is not None and "memory" in dead.error["detail"].lower()
    failed = await wait_for(app_context, failing, "failed")
    assert failed.attempts == 1
