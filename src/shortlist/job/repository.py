"""All SQL for jobs. Every read for a caller goes through `readable_statement`: a job is its owner's only.

Every change after enqueue is a conditional UPDATE on (id, status, attempts), so two processes can never both
own or both finish the same attempt, and a stale actor's write is a no-op."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.job.status import TERMINAL, JobStatus
from shortlist.kit.pagination import newest_first
from shortlist.models import Job

if TYPE_CHECKING:
    # Only for annotations: job.service, which the worker's child processes import, stays light.
    from shortlist.auth.subject import Subject


def readable_statement(subject: Subject) -> Select[tuple[Job]]:
    return select(Job).where(Job.owner_id == subject.user_id)


async def get(session: AsyncSession, subject: Subject, job_id: uuid.UUID) -> Job | None:
    return (await session.scalars(readable_statement(subject).where(Job.id == job_id))).one_or_none()


async def get_owned(session: AsyncSession, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    statement = select(Job).where(Job.id == job_id, Job.owner_id == owner_id)
    return (await session.scalars(statement.execution_options(populate_existing=True))).one_or_none()


async def list_page(
    session: AsyncSession,
    subject: Subject,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    status: str | None,
    kind: str | None,
) -> list[Job]:
    statement = readable_statement(subject)
    if status:
        statement = statement.where(Job.status == status)
    if kind:
        statement = statement.where(Job.kind == kind)
    statement = newest_first(statement, Job.created_at, Job.id, after, limit)
    return list((await session.scalars(statement)).all())


async def reload(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    return await session.get(Job, job_id, populate_existing=True)


def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return bool(result.rowcount == 1)


async def _returning(session: AsyncSession, statement: Any) -> Job | None:
    """Run a conditional UPDATE and get the changed row back in the same round trip (None: no match)."""
    rows = await session.scalars(
        statement.returning(Job).execution_options(synchronize_session=False, populate_existing=True)
    )
    return rows.one_or_none()


def _owned_attempt(job_id: uuid.UUID, attempt: int, heartbeat_at: datetime | None = None) -> tuple[Any, ...]:
    owned = (Job.id == job_id, Job.status == JobStatus.running, Job.attempts == attempt)
    return owned if heartbeat_at is None else (*owned, Job.heartbeat_at == heartbeat_at)


async def claim(session: AsyncSession, job_id: uuid.UUID, worker_id: str, now: datetime) -> Job | None:
    statement = (
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
    return await _returning(session, statement)


async def heartbeat(session: AsyncSession, job_id: uuid.UUID, attempt: int, now: datetime) -> bool:
    result = await session.execute(
        update(Job).where(*_owned_attempt(job_id, attempt)).values(heartbeat_at=now)
    )
    return _changed(result)


async def set_progress(
    session: AsyncSession, job_id: uuid.UUID, attempt: int, percent: int, now: datetime
) -> Job | None:
    return await _returning(
        session,
        update(Job)
        .where(*_owned_attempt(job_id, attempt))
        .values(progress=percent, heartbeat_at=now, updated_at=now),
    )


async def max_attempts_of_attempt(
    session: AsyncSession, job_id: uuid.UUID, attempt: int, heartbeat_at: datetime | None
) -> int | None:
    """The job's attempt budget while this attempt is still running (None once it is not)."""
    statement = select(Job.max_attempts).where(*_owned_attempt(job_id, attempt, heartbeat_at))
    return (await session.execute(statement)).scalar_one_or_none()


async def update_attempt(
    session: AsyncSession,
    job_id: uuid.UUID,
    attempt: int,
    *,
    heartbeat_at: datetime | None = None,
    **values: Any,
) -> Job | None:
    """Write ``values`` if the attempt is still running (and, with ``heartbeat_at``, has not beaten since)."""
    return await _returning(
        session, update(Job).where(*_owned_attempt(job_id, attempt, heartbeat_at)).values(**values)
    )


async def hand_back(
    session: AsyncSession, job_id: uuid.UUID, attempt: int, worker_id: str, now: datetime
) -> bool:
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


async def cancel(session: AsyncSession, job_id: uuid.UUID, now: datetime) -> Job | None:
    return await _returning(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status.in_([JobStatus.queued, JobStatus.running]))
        .values(status=JobStatus.cancelled, finished_at=now, updated_at=now, worker_id=None),
    )


async def stale_attempts(
    session: AsyncSession, stale_before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, int, datetime]]:
    """Running attempts whose last heartbeat is older than ``stale_before``: (id, attempt, heartbeat)."""
    rows = await session.execute(
        select(Job.id, Job.attempts, Job.heartbeat_at)
        .where(Job.status == JobStatus.running, Job.heartbeat_at < stale_before)
        .limit(limit)
    )
    return [(job_id, attempt, beat) for job_id, attempt, beat in rows.all()]


async def due_for_publishing(
    session: AsyncSession, now: datetime, lost_before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    """Queued, due jobs never published since they became due, or whose publication seems lost."""
    rows = await session.execute(
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
    return [(job_id, published) for job_id, published in rows.all()]


async def mark_published(
    session: AsyncSession, job_id: uuid.UUID, published: datetime | None, now: datetime
) -> bool:
    """Claim the (re)publication: one of several sweepers wins."""
    condition = Job.published_at.is_(None) if published is None else Job.published_at == published
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.queued, condition)
        .values(published_at=now)
    )
    return _changed(result)


async def count_queued(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(Job).where(Job.status == JobStatus.queued)
    return int(await session.scalar(statement) or 0)


async def delete_finished_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.execute(delete(Job).where(Job.status.in_(TERMINAL), Job.finished_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
