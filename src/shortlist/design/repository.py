"""All SQL for saved designs. Callers have already checked that the resume is the subject's."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import ResumeDesign


async def get(session: AsyncSession, resume_id: uuid.UUID) -> ResumeDesign | None:
    return (
        await session.scalars(select(ResumeDesign).where(ResumeDesign.resume_id == resume_id))
    ).one_or_none()
