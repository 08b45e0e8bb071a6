"""All SQL for share links. Owner-side calls come after the resume's tenancy check."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import Resume, ResumeShare


async def list_for_resume(session: AsyncSession, resume_id: uuid.UUID, *, limit: int) -> list[ResumeShare]:
    statement = (
        select(ResumeShare)
        .where(ResumeShare.resume_id == resume_id)
        .order_by(ResumeShare.created_at.desc(), ResumeShare.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def get(session: AsyncSession, resume_id: uuid.UUID, share_id: uuid.UUID) -> ResumeShare | None:
    statement = select(ResumeShare).where(ResumeShare.resume_id == resume_id, ResumeShare.id == share_id)
    return (await session.scalars(statement)).one_or_none()


async def count_live(session: AsyncSession, resume_id: uuid.UUID, now: datetime) -> int:
    statement = (
        select(func.count())
        .select_from(ResumeShare)
        .where(
            ResumeShare.resume_id == resume_id,
            ResumeShare.revoked_at.is_(None),
            or_(ResumeShare.expires_at.is_(None), ResumeShare.expires_at > now),
        )
    )
    return int(await session.scalar(statement) or 0)


async def find_live(
    session: AsyncSession, token_hash: str, now: datetime
) -> tuple[ResumeShare, Resume] | None:
    """The link and its resume, only if the link is neither revoked nor expired and the resume is not in
    the trash."""
    statement = (
        select(ResumeShare, Resume)
        .join(Resume, Resume.id == ResumeShare.resume_id)
        .where(
            ResumeShare.token_hash == token_hash,
            ResumeShare.revoked_at.is_(None),
            or_(ResumeShare.expires_at.is_(None), ResumeShare.expires_at > now),
            Resume.deleted_at.is_(None),
        )
    )
    row = (await session.execute(statement)).one_or_none()
    return None if row is None else (row[0], row[1])


async def record_view(session: AsyncSession, share_id: uuid.UUID, now: datetime) -> None:
    # One atomic UPDATE: concurrent views never lose a count.
    await session.execute(
        update(ResumeShare)
        .where(ResumeShare.id == share_id)
        .values(view_count=ResumeShare.view_count + 1, last_viewed_at=now)
    )


async def list_for_resumes(
    session: AsyncSession, resume_ids: Sequence[uuid.UUID], *, limit: int
) -> list[ResumeShare]:
    """`list_for_resume` for many resumes in one statement, newest first (GraphQL's loader)."""
    if not resume_ids:
        return []
    rank = (
        func.row_number()
        .over(
            partition_by=ResumeShare.resume_id,
            order_by=(ResumeShare.created_at.desc(), ResumeShare.id.desc()),
        )
        .label("rank")
    )
    ranked = select(ResumeShare.id, rank).where(ResumeShare.resume_id.in_(resume_ids)).subquery()
    statement = (
        select(ResumeShare)
        .join(ranked, ranked.c.id == ResumeShare.id)
        .where(ranked.c.rank <= limit)
        .order_by(ResumeShare.created_at.desc(), ResumeShare.id.desc())
    )
    return list((await session.scalars(statement)).all())


async def get_by_id(session: AsyncSession, share_id: uuid.UUID) -> ResumeShare | None:
    """A link by its own id; the caller checks that its resume is the subject's before using it."""
    return await session.get(ResumeShare, share_id)
