"""Built-in job kinds: no-ops and probes for tests, benchmarks and checking a deployment end to end."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.job.registry import JobContext, JobFailed, register_job
from shortlist.platform.periodic import PeriodicTask


async def noop(_ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "echo": payload.get("echo")}


async def sleep(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Sleeps `seconds` in `steps`, reporting progress after each."""
    seconds = float(payload.get("seconds", 1.0))
    steps = max(1, min(100, int(payload.get("steps", 10))))
    for step in range(1, steps + 1):
        await asyncio.sleep(seconds / steps)
        await ctx.progress(step * 100 // steps)
    return {"slept": seconds}


async def flaky(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Fails its first `fail_attempts` attempts; `permanent` fails for good at once."""
    if payload.get("permanent"):
        raise JobFailed("asked to fail permanently")
    if ctx.attempt <= int(payload.get("fail_attempts", 1)):
        raise RuntimeError(f"planned failure on attempt {ctx.attempt}")
    return {"attempt": ctx.attempt}


def probe(payload: dict[str, Any]) -> dict[str, Any]:
    """CPU-bound probe, run in a limited child process: spin, allocate, or fail on request."""
    spin = float(payload.get("spin_seconds", 0))
    deadline = time.monotonic() + spin
    total = 0
    while time.monotonic() < deadline:
        total += 1
    hog = bytearray(int(payload.get("allocate_mb", 0)) * 1024 * 1024)
    if payload.get("fail"):
        raise JobFailed("asked to fail")
    return {"spins": total, "allocated": len(hog)}


register_job("system.noop", noop, timeout=30)
register_job("system.sleep", sleep, timeout=3600)
register_job("system.flaky", flaky, timeout=30)
register_job("system.probe", probe, cpu_bound=True, timeout=30)


async def delete_finished_jobs(settings: Settings, session: AsyncSession, now: datetime) -> int:
    """Finished jobs are kept `job_retention_days` for their owners to read, then deleted."""
    # Imported here: the sandbox child imports this module for `probe`, and must start fast.
    from shortlist.job import repository

    return await repository.delete_finished_before(session, now - timedelta(days=settings.job_retention_days))


PERIODIC_TASKS = (PeriodicTask("jobs", delete_finished_jobs),)
