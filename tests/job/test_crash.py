"""A real `shortlist worker` process is SIGKILLed mid-job again and again; the job still completes, once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from shortlist.context import AppContext
from shortlist.models import Event, Job
from tests.job import effects as _effects  # noqa: F401 - registers test.effect here too
from tests.job.helpers import enqueue, get_job

# Worker start-up and job deadlines are wall-clock: these run by themselves, not beside parallel tests.
pytestmark = pytest.mark.alone

# bench/chaos_workers.py raises this (100+ kills) through the environment; the suite runs 20.
KILLS = int(os.environ.get("CHAOS_KILLS", "20"))


def _worker_env(context: AppContext) -> dict[str, str]:
    settings = context.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")}
    env.update(
        SHORTLIST_DATA_DIR=str(settings.data_dir),
        SHORTLIST_DATABASE_URL=settings.resolved_database_url,
        SHORTLIST_SECRET_KEY=settings.secret_key.get_secret_value(),
        SHORTLIST_BROKER_QUEUE=settings.broker_queue,
        SHORTLIST_JOB_MODULES="tests.job.effects",
        SHORTLIST_WORKER_HEARTBEAT_SECONDS="0.1",
        SHORTLIST_JOB_STALE_AFTER_SECONDS="1.0",
        SHORTLIST_JOB_REDELIVER_AFTER_SECONDS="0.5",
        SHORTLIST_JOB_RETRY_BASE_SECONDS="0",
        SHORTLIST_SCHEDULER_INTERVAL_SECONDS="0.05",
        SHORTLIST_LOG_LEVEL="WARNING",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    if settings.broker_url:
        env["SHORTLIST_BROKER_URL"] = settings.broker_url
    if settings.redis_url:
        env["SHORTLIST_REDIS_URL"] = settings.redis_url
    return env


def _start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "worker", "--scheduler", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _wait_running(
    context: AppContext, job_id: uuid.UUID, attempt: int, workers: dict[int, subprocess.Popen[bytes]]
) -> Job:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        job = await get_job(context, job_id)
        if job.status == "running" and job.attempts == attempt:
            return job
        for process in workers.values():
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise AssertionError(f"a worker exited: {stderr[-2000:]}")
        await asyncio.sleep(0.01)
    raise AssertionError(f"attempt {attempt} never started: {job.status} attempts={job.attempts}")


@pytest.mark.slow
async def test_sigkilled_workers_never_lose_or_double_a_job(app_context: AppContext) -> None:
    started = time.monotonic()
    # Every kill costs an attempt: leave room for all of them and a last, clean one.
    job_id = await enqueue(
        app_context, "test.effect", {"steps": 4, "pause": 0.05}, publish=False, max_attempts=KILLS + 10
    )
    async with app_context.database.writer() as session:
        # Nobody published it: the worker's own sweeper has to find it.
        await session.execute(update(Job).where(Job.id == job_id).values(published_at=None))
        await session.commit()
    env = _worker_env(app_context)
    # Spare workers are already up when one is killed (start-up costs seconds on a busy machine); a spare
    # can only take the job over once the killed worker's heartbeat has gone stale.
    workers = {p.pid: p for p in (_start(env) for _ in range(3))}
    attempt = 0
    try:
        for attempt in range(1, KILLS + 1):
            job = await _wait_running(app_context, job_id, attempt, workers)
            # Kill at varying points: before the effect, around it, after it.
            await asyncio.sleep((attempt % 5) * 0.06)
            victim = workers.pop(int(str(job.worker_id).split(":")[1]))
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            replacement = _start(env)
            workers[replacement.pid] = replacement
            job = await get_job(app_context, job_id)
            if job.status == "succeeded":
                break
            assert job.status == "running", job.status
        deadline = time.monotonic() + 20
        while (job := await get_job(app_context, job_id)).status != "succeeded":
            assert time.monotonic() < deadline, f"job is {job.status} after {job.attempts} attempts"
            await asyncio.sleep(0.05)
    finally:
        for process in workers.values():
            process.send_signal(signal.SIGTERM)
        for process in workers.values():
            process.wait(15)
    assert job.attempts >= min(KILLS, attempt)
    async with app_context.database.reader() as session:
        effects = await session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.name == "test.effect", Event.resource_id == job_id)
        )
        outcomes = (await session.scalars(select(Event.name).where(Event.name.like("job.%")))).all()
    assert effects == 1
    assert list(outcomes) == ["job.succeeded"]
    # A bound, not a speed target: a stuck recovery must fail rather than hang (~1.5-3 s per kill here).
    assert time.monotonic() - started < 4.5 * KILLS


@pytest.mark.slow
async def test_sigterm_finishes_or_hands_back_running_jobs(app_context: AppContext) -> None:
    """SIGTERM: stop taking jobs; a job that ends within the grace period finishes, a longer one is handed
    back uncounted, and the process exits cleanly."""
    short = await enqueue(app_context, "system.sleep", {"seconds": 0.6, "steps": 3}, publish=False)
    long = await enqueue(app_context, "system.sleep", {"seconds": 30, "steps": 300}, publish=False)
    async with app_context.database.writer() as session:
        await session.execute(update(Job).where(Job.id.in_([short, long])).values(published_at=None))
        await session.commit()
    env = _worker_env(app_context)
    env["SHORTLIST_WORKER_SHUTDOWN_GRACE_SECONDS"] = "2"
    process = _start(env)
    try:
        for job_id in (short, long):
            await _wait_running(app_context, job_id, 1, {process.pid: process})
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 20)
    assert code == 0
    assert (await get_job(app_context, short)).status == "succeeded"
    handed_back = await get_job(app_context, long)
    assert handed_back.status == "queued" and handed_back.attempts == 0 and handed_back.worker_id is None
