"""All SQL for resumes. Every read goes through `readable_statement`, so tenancy is checked in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import Subject
from shortlist.kit.pagination import newest_first
from shortlist.models import Resume, ResumeVersion


def readable_statement(subject: Subject) -> Select[tuple[Resume]]:
    return select(Resume).where(Resume.owner_id == subject.user_id)


async def get(
    session: AsyncSession, subject: Subject, resume_id: uuid.UUID, *, deleted: bool = False
) -> Resume | None:
    statement = readable_statement(subject).where(Resume.id == resume_id)
    statement = statement.where(Resume.deleted_at.is_not(None) if deleted else Resume.deleted_at.is_(None))
    return (await session.scalars(statement)).one_or_none()


async def count_owned(session: AsyncSession, subject: Subject) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(Resume).where(Resume.owner_id == subject.user_id)
        )
        or 0
    )


async def list_page(
    session: AsyncSession,
    subject: Subject,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    title_contains: str | None,
    deleted: bool,
) -> list[Resume]:
    statement = readable_statement(subject).where(
        Resume.deleted_at.is_not(None) if deleted else Resume.deleted_at.is_(None)
    )
    if title_contains:
        escaped = title_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(func.lower(Resume.title).like(f"%{escaped.lower()}%", escape="\\"))
    statement = newest_first(statement, Resume.updated_at, Resume.id, after, limit)
    return list((await session.scalars(statement)).all())


async def versions_page(
    session: AsyncSession, resume_id: uuid.UUID, *, limit: int, before: int | None
) -> list[ResumeVersion]:
    statement = select(ResumeVersion).where(ResumeVersion.resume_id == resume_id)
    if before is not None:
        statement = statement.where(ResumeVersion.version < before)
    statement = statement.order_by(ResumeVersion.version.desc()).limit(limit + 1)
    return list((await session.scalars(statement)).all())


async def version(session: AsyncSession, resume_id: uuid.UUID, number: int) -> ResumeVersion | None:
    return (
        await session.scalars(
            select(ResumeVersion).where(ResumeVersion.resume_id == resume_id, ResumeVersion.version == number)
        )
    ).one_or_none()


# Batched reads for GraphQL's loaders: one statement for many resumes, whatever the page size.


async def get_many(session: AsyncSession, subject: Subject, resume_ids: Sequence[uuid.UUID]) -> list[Resume]:
    """The subject's live resumes among `resume_ids` (others' and trashed ones are simply absent)."""
    if not resume_ids:
        return []
    statement = readable_statement(subject).where(Resume.id.in_(resume_ids), Resume.deleted_at.is_(None))
    return list((await session.scalars(statement)).all())


async def current_versions(session: AsyncSession, resume_ids: Sequence[uuid.UUID]) -> list[ResumeVersion]:
    """Each resume's snapshot of its current version. Callers pass ids they already checked."""
    if not resume_ids:
        return []
    statement = (
        select(ResumeVersion)
        .join(
            Resume,
            and_(Resume.id == ResumeVersion.resume_id, Resume.version == ResumeVersion.version),
        )
        .where(ResumeVersion.resume_id.in_(resume_ids))
    )
    return list((await session.scalars(statement)).all())


async def versions_pages(
    session: AsyncSession, resume_ids: Sequence[uuid.UUID], *, limit: int, before: int | None
) -> list[ResumeVersion]:
    """`versions_page` for many resumes at once: up to limit + 1 rows per resume, newest first."""
    if not resume_ids:
        return []
    rank = (
        func.row_number()
        .over(partition_by=ResumeVersion.resume_id, order_by=ResumeVersion.version.desc())
        .label("rank")
    )
    inner = select(ResumeVersion.id, rank).where(ResumeVersion.resume_id.in_(resume_ids))
    if before is not None:
        inner = inner.where(ResumeVersion.version < before)
    ranked = inner.subquery()
    statement = (
        select(ResumeVersion)
        .join(ranked, ranked.c.id == ResumeVersion.id)
        .where(ranked.c.rank <= limit + 1)
        .order_by(ResumeVersion.resume_id, ResumeVersion.version.desc())
    )
    return list((await session.scalars(statement)).all())


async def trashed_before(
    session: AsyncSession, cutoff: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, uuid.UUID]]:
    """(id, owner) of resumes in the trash since before ``cutoff``, oldest first in no promised order."""
    rows = await session.execute(
        select(Resume.id, Resume.owner_id).where(Resume.deleted_at < cutoff).limit(limit)
    )
    return [(resume_id, owner_id) for resume_id, owner_id in rows.all()]


async def delete_many(session: AsyncSession, resume_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(Resume).where(Resume.id.in_(resume_ids)))
