"""The worker on the configured broker (in-process by default): outcomes, retries, cancellation, limits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import update

from shortlist.context import AppContext
from shortlist.job import service
from shortlist.job.embedded import JobRunner
from shortlist.job.registry import JobContext, register_job
from shortlist.job.runtime import job_services
from shortlist.kit.db import utcnow
from shortlist.models import Job
from tests.conftest import worker_services
from tests.job.helpers import enqueue, event_names, get_job, make_user, wait_for


def job_count(kind: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("shortlist_jobs_total", {"kind": kind, "outcome": outcome}) or 0.0


async def test_noop_job_succeeds_with_result_and_event(
    app_context: AppContext, job_runner: JobRunner
) -> None:
    owner = await make_user(app_context)
    job_id = await enqueue(app_context, "system.noop", {"echo": "hi"}, owner_id=owner)
    job = await wait_for(app_context, job_id, "succeeded")
    assert job.result == {"ok": True, "echo": "hi"}
    assert job.attempts == 1 and job.progress == 100
    assert job.started_at is not None and job.finished_at is not None and job.error is None
    assert await event_names(app_context, job_id) == ["job.succeeded"]


async def test_progress_is_recorded(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.sleep", {"seconds": 0.6, "steps": 4})
    seen = {(await wait_for(app_context, job_id, "running", progress=25)).progress}
    job = await wait_for(app_context, job_id, "succeeded")
    assert min(seen) >= 25 and job.progress == 100


async def test_retries_with_backoff_then_success(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.flaky", {"fail_attempts": 2}, max_attempts=5)
    job = await wait_for(app_context, job_id, "succeeded")
    assert job.attempts == 3 and job.result == {"attempt": 3}
    assert job.error is None


async def test_retries_exhausted_is_dead(app_context: AppContext, job_runner: JobRunner) -> None:
    dead_before = job_count("system.flaky", "dead")
    retried_before = job_count("system.flaky", "queued")
    job_id = await enqueue(app_context, "system.flaky", {"fail_attempts": 99}, max_attempts=3)
    job = await wait_for(app_context, job_id, "dead")
    assert job.attempts == 3
    assert job.error is not None and job.error["type"].endswith("/job-error")
    assert "planned failure on attempt 3" in job.error["detail"]
    assert await event_names(app_context, job_id) == ["job.dead"]
    # Counted against this test's own starting point: the registry is shared by the whole process.
    assert job_count("system.flaky", "dead") == dead_before + 1
    assert job_count("system.flaky", "queued") == retried_before + 2  # the two retried attempts


async def test_permanent_failure_is_not_retried(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.flaky", {"permanent": True}, max_attempts=5)
    job = await wait_for(app_context, job_id, "failed")
    assert job.attempts == 1 and job.error is not None and job.error["type"].endswith("/job-failed")
    assert await event_names(app_context, job_id) == ["job.failed"]


def test_backoff_grows_exponentially_with_jitter(app_context: AppContext) -> None:
    settings = app_context.settings.model_copy(
        update={"job_retry_base_seconds": 1, "job_retry_max_seconds": 60}
    )
    for attempt, ceiling in ((1, 1), (2, 2), (3, 4), (6, 32), (10, 60)):
        delays = [service.backoff(settings, attempt) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (attempt, min(delays), max(delays))
        assert len(set(delays)) > 150  # jittered


async def _slow(_ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(float(payload["seconds"]))
    return {}


register_job("test.slow", _slow, timeout=0.3, max_attempts=1)


async def test_timeout_fails_the_attempt(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "test.slow", {"seconds": 5})
    job = await wait_for(app_context, job_id, "dead")
    assert job.error is not None and job.error["type"].endswith("/job-timeout")


async def test_unknown_kind_fails_for_good(app_context: AppContext, job_runner: JobRunner) -> None:
    # Renamed before its first publication, so the worker can only ever see the unknown kind.
    job_id = await enqueue(app_context, "system.noop", publish=False)
    async with app_context.database.writer() as session:
        await session.execute(update(Job).where(Job.id == job_id).values(kind="nobody.knows"))
        await session.commit()
    await job_services(app_context).publish([job_id])
    job = await wait_for(app_context, job_id, "failed")
    assert job.attempts == 1
    assert job.error is not None and job.error["type"].endswith("/unknown-job-kind")


async def test_duplicate_deliveries_run_once(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.sleep", {"seconds": 0.2, "steps": 2})
    await job_services(app_context).publish([job_id] * 5)
    job = await wait_for(app_context, job_id, "succeeded")
    await asyncio.sleep(0.3)  # let the duplicates arrive
    job = await get_job(app_context, job_id)
    assert job.attempts == 1
    assert await event_names(app_context, job_id) == ["job.succeeded"]


async def test_concurrent_claims_let_one_through(app_context: AppContext) -> None:
    job_id = await enqueue(app_context, "system.noop", publish=False)

    async def claim(worker: str) -> bool:
        async with app_context.database.writer() as session:
            job = await service.claim(session, job_id, worker)
            await session.commit()
            return job is not None

    wins = await asyncio.gather(*(claim(f"w{i}") for i in range(8)))
    assert sum(wins) == 1
    assert (await get_job(app_context, job_id)).attempts == 1


async def test_cancel_running_job_stops_it(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.sleep", {"seconds": 2, "steps": 20})
    job = await wait_for(app_context, job_id, "running", progress=5)
    async with app_context.database.writer() as session:
        assert await service.cancel(session, job.id) is not None
        await session.commit()
    await asyncio.sleep(0.5)
    job = await get_job(app_context, job_id)
    assert job.status == "cancelled"
    progress = job.progress
    await asyncio.sleep(0.4)
    job = await get_job(app_context, job_id)
    assert job.status == "cancelled" and job.progress == progress  # the handler stopped
    assert await event_names(app_context, job_id) == ["job.cancelled"]


async def test_sweeper_recovers_job_of_a_dead_worker(app_context: AppContext, job_runner: JobRunner) -> None:
    """A job left `running` with a stale heartbeat (its worker died) is taken back and completed."""
    job_id = await enqueue(app_context, "system.noop", publish=False)
    async with app_context.database.writer() as session:
        assert await service.claim(session, job_id, "dead-worker") is not None
        stale = utcnow().replace(year=2000)
        await session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=stale))
        await session.commit()
    job = await wait_for(app_context, job_id, "succeeded")
    assert job.attempts == 2 and job.worker_id != "dead-worker"


async def test_sweeper_republishes_a_lost_delivery(app_context: AppContext, job_runner: JobRunner) -> None:
    job_id = await enqueue(app_context, "system.noop", publish=False)  # the publication was "lost"
    enqueued = await get_job(app_context, job_id)
    job = await wait_for(
        app_context, job_id, "succeeded", within=app_context.settings.job_redeliver_after_seconds + 5
    )
    assert job.attempts == 1
    # Nothing but the sweeper publishes a job enqueued with publish=False; it stamps the publication.
    assert job.published_at is not None and enqueued.published_at is not None
    assert job.published_at > enqueued.published_at


async def test_heartbeat_of_a_live_worker_keeps_the_job(
    app_context: AppContext, job_runner: JobRunner
) -> None:
    """A job running longer than the stale limit is not taken from a worker that keeps beating."""
    stale = app_context.settings.job_stale_after_seconds
    job_id = await enqueue(app_context, "system.sleep", {"seconds": stale * 3, "steps": 3})
    running = await wait_for(app_context, job_id, "running")
    await asyncio.sleep(stale * 1.5)  # past the stale limit: only its heartbeats keep the attempt
    async with app_context.database.writer() as session:
        swept = await service.sweep(app_context.settings, session)
        await session.commit()
    assert job_id not in [job.id for job in swept.recovered]
    beating = await get_job(app_context, job_id)
    assert beating.status == "running" and beating.attempts == running.attempts == 1
    assert beating.heartbeat_at is not None and running.started_at is not None
    assert beating.heartbeat_at > running.started_at  # it did beat, and recently enough to be kept
    job = await wait_for(app_context, job_id, "succeeded", within=stale * 3 + 5)
    assert job.attempts == 1


async def test_graceful_shutdown_hands_back_running_jobs(app_context: AppContext) -> None:
    settings = app_context.settings.model_copy(update={"worker_shutdown_grace_seconds": 0.1})
    services = worker_services(app_context)
    services.settings = settings
    runner = await JobRunner(services, scheduler=False).start()
    try:
        job_id = await enqueue(app_context, "system.sleep", {"seconds": 5, "steps": 50})
        await wait_for(app_context, job_id, "running", progress=2)
    finally:
        await runner.stop()
        if services.queue is not app_context.queue:
            await services.queue.shutdown()
    job = await get_job(app_context, job_id)
    assert job.status == "queued" and job.attempts == 0 and job.worker_id is None


def test_kind_registration_is_checked() -> None:
    async def handler(_ctx: JobContext, _payload: dict[str, Any]) -> None:
        return None

    with pytest.raises(ValueError, match=r"domain\.event"):
        register_job("nodot", handler)
    with pytest.raises(ValueError, match="CPU-bound"):
        register_job("test.wrong", handler, cpu_bound=True)


async def test_enqueue_refuses_unknown_kind(app_context: AppContext) -> None:
    async with app_context.database.writer() as session:
        with pytest.raises(ValueError, match="unknown job kind"):
            await service.enqueue(session, "nobody.registered", {}, owner_id=None)


async def test_owner_deletion_removes_jobs(app_context: AppContext) -> None:
    owner = await make_user(app_context)
    job_id = await enqueue(app_context, "system.noop", owner_id=owner, publish=False)
    async with app_context.database.reader() as session:
        assert (await session.get(Job, job_id)) is not None
    async with app_context.database.writer() as session:
        from shortlist.models import User

        user = await session.get(User, owner)
        await session.delete(user)
        await session.commit()
    async with app_context.database.reader() as session:
        assert await session.get(Job, job_id) is None
