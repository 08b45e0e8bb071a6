"""All SQL for saved designs. Callers have already checked that the resume is the subject's."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import ResumeDesign


async def get(session: AsyncSession, resume_id: uuid.UUID) -> ResumeDesign | None:
    return (
        await session.scalars(select(ResumeDesign).where(ResumeDesign.resume_id == resume_id))
    ).one_or_none()


async def get_many(session: AsyncSession, resume_ids: Sequence[uuid.UUID]) -> list[ResumeDesign]:
    """Saved designs of many resumes in one statement (GraphQL's loader); resumes without one are absent."""
    if not resume_ids:
        return []
    return list(
        (await session.scalars(select(ResumeDesign).where(ResumeDesign.resume_id.in_(resume_ids)))).all()
    )
