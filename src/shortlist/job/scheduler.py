"""Periodic work: the sweeper (every tick), event dispatch (every tick) and maintenance: the periodic tasks
each domain declares in its `tasks.py` (`PERIODIC_TASKS`, collected by job/periodic.py).

Every step is a conditional update or an idempotent delete, so several schedulers may run at once."""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog
from prometheus_client import Gauge

from shortlist.event.dispatcher import dispatch_pending
from shortlist.job import repository, service
from shortlist.job.periodic import collect_periodic_tasks
from shortlist.job.runtime import JobServices
from shortlist.kit.db import utcnow
from shortlist.platform.periodic import PeriodicTask

log = structlog.get_logger(__name__)

MAINTENANCE_EVERY_SECONDS = 300.0


JOB_QUEUE_DEPTH = Gauge(
    "shortlist_job_queue_depth",
    "Jobs waiting to start (status queued), as counted by the last sweep.",
    ["queue"],
)


async def sweep_once(services: JobServices) -> service.SweepResult:
    async with services.database.writer() as session:
        result = await service.sweep(services.settings, session)
        await session.commit()
        # The table is the source of truth, so depth is counted there, whatever the broker holds.
        waiting = await repository.count_queued(session)
    JOB_QUEUE_DEPTH.labels(services.settings.broker_queue).set(waiting)
    for job in result.recovered:
        await services.notify(job)  # recovered jobs are republished by a later sweep, once due
    await services.publish(result.republished)
    return result


def periodic_tasks() -> list[PeriodicTask]:
    """What the maintenance pass runs, in order: every domain's declared tasks."""
    return collect_periodic_tasks()


async def maintain_once(services: JobServices, tasks: list[PeriodicTask] | None = None) -> dict[str, int]:
    """Run every periodic task in one transaction; returns each task's count by name."""
    now = utcnow()
    counts: dict[str, int] = {}
    async with services.database.writer() as session:
        for task in tasks if tasks is not None else periodic_tasks():
            counts[task.name] = await task.run(services.settings, session, now)
        await session.commit()
    return counts


async def run_scheduler(services: JobServices, stop: asyncio.Event, *, dispatch: bool = True) -> None:
    interval = services.settings.scheduler_interval_seconds
    next_maintenance = 0.0
    while not stop.is_set():
        for step in (sweep_once, dispatch_pending) if dispatch else (sweep_once,):
            try:
                await step(services)
            except Exception:
                log.warning("scheduler.step_failed", step=step.__name__, exc_info=True)
        if time.monotonic() >= next_maintenance:
            try:
                counts = await maintain_once(services)
                if any(counts.values()):
                    log.info("scheduler.maintenance", **counts)
            except Exception:
                log.warning("scheduler.maintenance_failed", exc_info=True)
            next_maintenance = time.monotonic() + MAINTENANCE_EVERY_SECONDS
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
