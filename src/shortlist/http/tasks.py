"""Periodic work of the HTTP layer: stored idempotency keys expire."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.http import idempotency_repository
from shortlist.platform.periodic import PeriodicTask


async def expire_idempotency_keys(_settings: Settings, session: AsyncSession, now: datetime) -> int:
    return await idempotency_repository.delete_expired(session, now)


PERIODIC_TASKS = (PeriodicTask("idempotency_keys", expire_idempotency_keys),)
