"""SQL for the outbox's retention (dispatching claims events in event/dispatcher.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import Event


async def delete_dispatched_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.execute(delete(Event).where(Event.dispatched_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
