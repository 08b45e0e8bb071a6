"""Job state transitions. Every change after enqueue is a conditional UPDATE on (id, status, attempts), so
two processes can never both own or both finish the same attempt, and a stale actor's write is a no-op."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.event.outbox import current_request_id, emit
from shortlist.job import repository
from shortlist.job.exceptions import JobFinished
from shortlist.job.registry import get_kind
from shortlist.job.status import TERMINAL as TERMINAL  # re-exported: callers read it here
from shortlist.job.status import JobStatus as JobStatus
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.kit.problems import PROBLEM_BASE
from shortlist.models import Job
from shortlist.platform.observability.tracing import inject_context

PENDING_KEY = "shortlist.jobs.pending"


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


async def claim(session: AsyncSession, job_id: uuid.UUID, worker_id: str) -> Job | None:
    """Take a queued, due job for one attempt; None if someone else has it, or it is not due or finished."""
    return await repository.claim(session, job_id, worker_id, utcnow())


async def heartbeat(session: AsyncSession, job_id: uuid.UUID, attempt: int) -> bool:
    """False: the attempt is no longer ours (cancelled, or taken back by the sweeper)."""
    return await repository.heartbeat(session, job_id, attempt, utcnow())


async def set_progress(session: AsyncSession, job_id: uuid.UUID, attempt: int, percent: int) -> Job | None:
    return await repository.set_progress(session, job_id, attempt, max(0, min(100, percent)), utcnow())


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
    job = await repository.update_attempt(
        session,
        job_id,
        attempt,
        status=JobStatus.succeeded,
        progress=100,
        result=result,
        error=None,
        finished_at=now,
        updated_at=now,
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
    heartbeat_at: datetime | None = None,
) -> Job | None:
    """Record a failed attempt: back to the queue after a backoff, or `dead` / `failed` for good.

    With ``heartbeat_at``, only if the attempt has not beaten since (the sweeper's view of a lost worker)."""
    current = await repository.max_attempts_of_attempt(session, job_id, attempt, heartbeat_at)
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
    job = await repository.update_attempt(session, job_id, attempt, heartbeat_at=heartbeat_at, **values)
    if job is None:
        return None
    if job.status == JobStatus.dead:
        _emit_outcome(session, job, "job.dead")
    elif job.status == JobStatus.failed:
        _emit_outcome(session, job, "job.failed")
    return job


async def hand_back(session: AsyncSession, job_id: uuid.UUID, attempt: int, worker_id: str) -> bool:
    """A worker shutting down returns an unfinished attempt uncounted, to run again at once elsewhere."""
    return await repository.hand_back(session, job_id, attempt, worker_id, utcnow())


async def cancel(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """Cancel a queued or running job (None if it already ended). A running handler is stopped at its next
    heartbeat, and whatever it would have written is discarded by the attempt check."""
    job = await repository.cancel(session, job_id, utcnow())
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
        current = await repository.reload(session, job.id)
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
    recovered: list[Job] = []
    for job_id, attempt, beat in await repository.stale_attempts(session, stale_before, limit):
        problem = job_problem(
            "worker-lost",
            "Worker lost",
            "The worker running this attempt stopped sending heartbeats (crashed or was killed).",
        )
        job = await fail(settings, session, job_id, attempt, problem, retryable=True, heartbeat_at=beat)
        if job is not None:
            recovered.append(job)
    lost_before = now - timedelta(seconds=settings.job_redeliver_after_seconds)
    republished: list[uuid.UUID] = []
    for job_id, published in await repository.due_for_publishing(session, now, lost_before, limit):
        if await repository.mark_published(session, job_id, published, now):
            republished.append(job_id)
    return SweepResult(republished, recovered)


def is_terminal(status: str) -> bool:
    return status in TERMINAL
