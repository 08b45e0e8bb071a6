"""All SQL for saved designs. Callers have already checked that the resume is the subject's."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import Resume, ResumeDesign


async def get(session: AsyncSession, resume_id: uuid.UUID) -> ResumeDesign | None:
    return (
        await session.scalars(select(ResumeDesign).where(ResumeDesign.resume_id == resume_id))
    ).one_or_none()


async def get_for_update(session: AsyncSession, resume_id: uuid.UUID) -> ResumeDesign | None:
    """The design, with its resume's row locked until the transaction ends (a no-op on SQLite, whose writers
    take turns). The resume is locked, not the design, so a first save (no design row yet) waits too."""
    await session.execute(select(Resume.id).where(Resume.id == resume_id).with_for_update())
    return await get(session, resume_id)


async def get_many(session: AsyncSession, resume_ids: Sequence[uuid.UUID]) -> list[ResumeDesign]:
    """Saved designs of many resumes in one statement (GraphQL's loader); resumes without one are absent."""
    if not resume_ids:
        return []
    return list(
        (await session.scalars(select(ResumeDesign).where(ResumeDesign.resume_id.in_(resume_ids)))).all()
    )
