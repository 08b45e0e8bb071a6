"""All SQL for reading jobs. Every read goes through `readable_statement`: a job is its owner's only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import Subject
from shortlist.kit.pagination import newest_first
from shortlist.models import Job


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
