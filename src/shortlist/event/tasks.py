"""Periodic work of the outbox: dispatched events are kept as long as finished jobs, then deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.event import repository
from shortlist.platform.periodic import PeriodicTask


async def delete_dispatched_events(settings: Settings, session: AsyncSession, now: datetime) -> int:
    return await repository.delete_dispatched_before(
        session, now - timedelta(days=settings.job_retention_days)
    )


PERIODIC_TASKS = (PeriodicTask("events", delete_dispatched_events),)
