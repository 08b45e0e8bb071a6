"""Periodic work: the sweeper (every tick), event dispatch (every tick) and maintenance (retention).

Every step is a conditional update or an idempotent delete, so several schedulers may run at once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta

import structlog
from prometheus_client import Gauge
from sqlalchemy import delete, func, select

from shortlist.application import privacy as application_privacy
from shortlist.application.audit import service as candidate_audit
from shortlist.ats import uploads
from shortlist.event.dispatcher import dispatch_pending
from shortlist.event.outbox import emit
from shortlist.job import service
from shortlist.job.runtime import JobServices
from shortlist.job.service import JobStatus
from shortlist.kit.db import utcnow
from shortlist.models import ActionToken, Event, IdempotencyKey, Job, RefreshToken, Resume

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
        waiting = await session.scalar(
            select(func.count()).select_from(Job).where(Job.status == JobStatus.queued)
        )
    JOB_QUEUE_DEPTH.labels(services.settings.broker_queue).set(int(waiting or 0))
    for job in result.recovered:
        await services.notify(job)  # recovered jobs are republished by a later sweep, once due
    await services.publish(result.republished)
    return result


async def maintain_once(services: JobServices) -> dict[str, int]:
    """Expire idempotency keys and dead tokens; delete finished jobs and dispatched events past their
    retention; purge resumes kept in the trash past theirs, uploads whose parse job is over, and rejected
    applications past their organisation's retention."""
    settings = services.settings
    now = utcnow()
    counts: dict[str, int] = {}
    async with services.database.writer() as session:
        for name, statement in (
            ("idempotency_keys", delete(IdempotencyKey).where(IdempotencyKey.expires_at < now)),
            ("refresh_tokens", delete(RefreshToken).where(RefreshToken.expires_at < now)),
            ("action_tokens", delete(ActionToken).where(ActionToken.expires_at < now)),
        ):
            result = await session.execute(statement)
            counts[name] = int(result.rowcount or 0)  # type: ignore[attr-defined]
        kept_after = now - timedelta(days=settings.job_retention_days)
        finished = delete(Job).where(Job.status.in_(service.TERMINAL), Job.finished_at < kept_after)
        counts["jobs"] = int((await session.execute(finished)).rowcount or 0)  # type: ignore[attr-defined]
        dispatched = delete(Event).where(Event.dispatched_at < kept_after)
        counts["events"] = int((await session.execute(dispatched)).rowcount or 0)  # type: ignore[attr-defined]
        cutoff = now - timedelta(days=settings.resume_trash_retention_days)
        purged = (
            await session.execute(
                select(Resume.id, Resume.owner_id).where(Resume.deleted_at < cutoff).limit(1000)
            )
        ).all()
        for resume_id, owner_id in purged:
            emit(session, "resume.purged", owner_id=owner_id, resource_type="resume", resource_id=resume_id)
        if purged:
            await session.execute(delete(Resume).where(Resume.id.in_([r for r, _ in purged])))
        counts["resumes"] = len(purged)
        counts["ats_uploads"] = await uploads.purge(session)
        counts["applications"] = await application_privacy.purge_expired(session, now)
        counts["candidate_data_access"] = await candidate_audit.purge_expired(
            session, now, settings.candidate_audit_retention_days
        )
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
