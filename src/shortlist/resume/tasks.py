"""Periodic work of resumes: the trash is emptied past its retention (`resume.purged` is recorded)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.event.outbox import emit
from shortlist.platform.periodic import PeriodicTask
from shortlist.resume import repository

PURGE_BATCH = 1000


async def purge_trash(settings: Settings, session: AsyncSession, now: datetime) -> int:
    cutoff = now - timedelta(days=settings.resume_trash_retention_days)
    purged = await repository.trashed_before(session, cutoff, PURGE_BATCH)
    for resume_id, owner_id in purged:
        emit(session, "resume.purged", owner_id=owner_id, resource_type="resume", resource_id=resume_id)
    if purged:
        await repository.delete_many(session, [resume_id for resume_id, _ in purged])
    return len(purged)


PERIODIC_TASKS = (PeriodicTask("resumes", purge_trash),)
