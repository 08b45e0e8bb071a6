"""Job state transitions. Every change after enqueue is a conditional UPDATE on (id, status, attempts), so
two processes can never both own or both finish the same attempt, and a stale actor's write is a no-op."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.event.outbox import current_request_id, emit
from shortlist.job.exceptions import JobFinished
from shortlist.job.registry import get_kind
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.kit.problems import PROBLEM_BASE
from shortlist.models import Job
from shortlist.platform.observability.tracing import inject_context

PENDING_KEY = "shortlist.jobs.pending"


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # the handler said retrying cannot help
    dead = "dead"  # retries exhausted
    cancelled = "cancelled"


TERMINAL = frozenset({JobStatus.succeeded, JobStatus.failed, JobStatus.dead, JobStatus.cancelled})


def job_problem(slug: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": PROBLEM_BASE + slug, "title": title, "detail": detail[:2000], **extra}


def job_json(job: Job) -> dict[str, Any]:
    """The public shape of a job, shared by the API, SSE and WebSocket messages."""
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "resource_id": str(job.resource_id) if job.resource_id else None,
        "result": job.result,
        "error": job.error,
        "request_id": job.request_id,
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "next_attempt_at": job.next_attempt_at.isoformat(),
    }


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    owner_id: uuid.UUID | None,
    resource_id: uuid.UUID | None = None,
    max_attempts: int | None = None,
    settings: Settings | None = None,
    trace_id: str | None = None,
) -> Job:
    """Insert a queued job in the caller's transaction. It is published only after that transaction commits
    (see `publish_pending`); on rollback it never existed."""
    registered = get_kind(kind)
    if registered is None:
        raise ValueError(f"unknown job kind {kind!r}: register it with register_job first")
    default_attempts = settings.job_max_attempts if settings else 5
    now = utcnow()
    job = Job(
        id=new_id(),  # known now, so no flush (round trip) per enqueued job
        kind=kind,
        status=JobStatus.queued,
        owner_id=owner_id,
        resource_id=resource_id,
        payload=payload or {},
        attempts=0,
        max_attempts=max_attempts or registered.max_attempts or default_attempts,
        progress=0,
        request_id=current_request_id(),
        # W3C traceparent of the enqueuing span (fits the column): the worker continues this trace.
        trace_id=trace_id or inject_context().get("traceparent"),
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
        published_at=now,
    )
    session.add(job)
    session.info.setdefault(PENDING_KEY, []).append(job.id)
    return job


def take_pending(session: AsyncSession) -> list[uuid.UUID]:
    """Job ids enqueued in the session's committed transaction(s), to publish now."""
    pending: list[uuid.UUID] = session.info.pop(PENDING_KEY, [])
    return pending


def backoff(settings: Settings, attempt: int) -> float:
    """Exponential backoff with equal jitter: half fixed (never hammer), half random (never in lockstep)."""
    ceiling: float = min(
        settings.job_retry_max_seconds, settings.job_retry_base_seconds * 2 ** max(attempt - 1, 0)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not security


def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return bool(result.rowcount == 1)


async def claim(session: AsyncSession, job_id: uuid.UUID, worker_id: str) -> Job | None:
    """Take a queued, due job for one attempt; None if someone else has it, or it is not due or finished."""
    now = utcnow()
    result = (
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.queued, Job.next_attempt_at <= now)
        .values(
            status=JobStatus.running,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            worker_id=worker_id,
            updated_at=now,
        )
    )
    return await _returning(session, result)


async def _returning(session: AsyncSession, statement: Any) -> Job | None:
    """Run a conditional UPDATE and get the changed row back in the same round trip (None: no match)."""
    rows = await session.scalars(
        statement.returning(Job).execution_options(synchronize_session=False, populate_existing=True)
    )
    return rows.one_or_none()


def _owned_attempt(job_id: uuid.UUID, attempt: int) -> tuple[Any, ...]:
    return (Job.id == job_id, Job.status == JobStatus.running, Job.attempts == attempt)


async def heartbeat(session: AsyncSession, job_id: uuid.UUID, attempt: int) -> bool:
    """False: the attempt is no longer ours (cancelled, or taken back by the sweeper)."""
    now = utcnow()
    result = await session.execute(
        update(Job).where(*_owned_attempt(job_id, attempt)).values(heartbeat_at=now)
    )
    return _changed(result)


async def set_progress(session: AsyncSession, job_id: uuid.UUID, attempt: int, percent: int) -> Job | None:
    now = utcnow()
    return await _returning(
        session,
        update(Job)
        .where(*_owned_attempt(job_id, attempt))
        .values(progress=max(0, min(100, percent)), heartbeat_at=now, updated_at=now),
    )


def _emit_outcome(session: AsyncSession, job: Job, name: str) -> None:
    emit(
        session,
        name,
        owner_id=job.owner_id,
        resource_type="job",
        resource_id=job.id,
        data={"job_id": str(job.id), "kind": job.kind, "status": job.status, "attempts": job.attempts},
    )


async def succeed(
    session: AsyncSession, job_id: uuid.UUID, attempt: int, result: dict[str, Any] | None
) -> Job | None:
    now = utcnow()
    job = await _returning(
        session,
        update(Job)
        .where(*_owned_attempt(job_id, attempt))
        .values(
            status=JobStatus.succeeded,
            progress=100,
            result=result,
            error=None,
            finished_at=now,
            updated_at=now,
        ),
    )
    if job is None:
        return None
    _emit_outcome(session, job, "job.succeeded")
    return job


async def fail(
    settings: Settings,
    session: AsyncSession,
    job_id: uuid.UUID,
    attempt: int,
    problem: dict[str, Any],
    *,
    retryable: bool,
    conditions: Sequence[Any] = (),
) -> Job | None:
    """Record a failed attempt: back to the queue after a backoff, or `dead` / `failed` for good."""
    current = (
        await session.execute(select(Job.max_attempts).where(*_owned_attempt(job_id, attempt), *conditions))
    ).scalar_one_or_none()
    if current is None:
        return None
    now = utcnow()
    values: dict[str, Any] = {"error": problem, "updated_at": now, "worker_id": None}
    if retryable and attempt < current:
        values.update(
            status=JobStatus.queued, next_attempt_at=now + timedelta(seconds=backoff(settings, attempt))
        )
    else:
        values.update(status=JobStatus.dead if retryable else JobStatus.failed, finished_at=now)
    job = await _returning(
        session, update(Job).where(*_owned_attempt(job_id, attempt), *conditions).values(**values)
    )
    if job is None:
        return None
    if job.status == JobStatus.dead:
        _emit_outcome(session, job, "job.dead")
    elif job.status == JobStatus.failed:
        _emit_outcome(session, job, "job.failed")
    return job


async def hand_back(session: AsyncSession, job_id: uuid.UUID, attempt: int, worker_id: str) -> bool:
    """A worker shutting down returns an unfinished attempt uncounted, to run again at once elsewhere."""
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(*_owned_attempt(job_id, attempt), Job.worker_id == worker_id)
        .values(
            status=JobStatus.queued,
            attempts=Job.attempts - 1,
            worker_id=None,
            next_attempt_at=now,
            published_at=now,
            updated_at=now,
        )
    )
    return _changed(result)


async def cancel(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """Cancel a queued or running job (None if it already ended). A running handler is stopped at its next
    heartbeat, and whatever it would have written is discarded by the attempt check."""
    now = utcnow()
    job = await _returning(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status.in_([JobStatus.queued, JobStatus.running]))
        .values(status=JobStatus.cancelled, finished_at=now, updated_at=now, worker_id=None),
    )
    if job is None:
        return None
    _emit_outcome(session, job, "job.cancelled")
    return job


def list_cursor_scope(owner_id: uuid.UUID, status: str | None, kind: str | None) -> str:
    return f"jobs:{owner_id}:{status or ''}:{kind or ''}"


async def cancel_owned(session: AsyncSession, job: Job) -> tuple[Job, bool]:
    """The owner's cancel: (the job, whether it changed now). Cancelling a cancelled job is a no-op; a job
    that already ended otherwise is a conflict."""
    if job.status == JobStatus.cancelled:
        return job, False
    cancelled = await cancel(session, job.id)
    if cancelled is None:
        current = await session.get(Job, job.id, populate_existing=True)
        raise JobFinished(f"The job already ended ({current.status if current else 'gone'}).")
    return cancelled, True


@dataclass(frozen=True)
class SweepResult:
    republished: list[uuid.UUID]
    recovered: list[Job]


async def sweep(settings: Settings, session: AsyncSession, *, limit: int = 500) -> SweepResult:
    """Take back attempts whose worker stopped beating, and list queued jobs that need (re)publishing: due
    retries, and deliveries that seem lost. Publishing twice is harmless; the claim lets one through."""
    now = utcnow()
    stale_before = now - timedelta(seconds=settings.job_stale_after_seconds)
    stale = (
        await session.execute(
            select(Job.id, Job.attempts, Job.heartbeat_at)
            .where(Job.status == JobStatus.running, Job.heartbeat_at < stale_before)
            .limit(limit)
        )
    ).all()
    recovered: list[Job] = []
    for job_id, attempt, beat in stale:
        problem = job_problem(
            "worker-lost",
            "Worker lost",
            "The worker running this attempt stopped sending heartbeats (crashed or was killed).",
        )
        job = await fail(
            settings, session, job_id, attempt, problem, retryable=True, conditions=[Job.heartbeat_at == beat]
        )
        if job is not None:
            recovered.append(job)
    lost_before = now - timedelta(seconds=settings.job_redeliver_after_seconds)
    due = (
        await session.execute(
            select(Job.id, Job.published_at)
            .where(
                Job.status == JobStatus.queued,
                Job.next_attempt_at <= now,
                or_(
                    Job.published_at.is_(None),
                    Job.published_at < Job.next_attempt_at,
                    Job.published_at < lost_before,
                ),
            )
            .order_by(Job.next_attempt_at)
            .limit(limit)
        )
    ).all()
    republished: list[uuid.UUID] = []
    for job_id, published in due:
        condition = Job.published_at.is_(None) if published is None else Job.published_at == published
        result = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.queued, condition)
            .values(published_at=now)
        )
        if _changed(result):
            republished.append(job_id)
    return SweepResult(republished, recovered)


def is_terminal(status: str) -> bool:
    return status in TERMINAL
