"""Periodic work of accounts: expired refresh tokens and e-mailed action tokens are deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import repository
from shortlist.config import Settings
from shortlist.platform.periodic import PeriodicTask


async def delete_expired_refresh_tokens(_settings: Settings, session: AsyncSession, now: datetime) -> int:
    return await repository.delete_expired_refresh_tokens(session, now)


async def delete_expired_action_tokens(_settings: Settings, session: AsyncSession, now: datetime) -> int:
    return await repository.delete_expired_action_tokens(session, now)


PERIODIC_TASKS = (
    PeriodicTask("refresh_tokens", delete_expired_refresh_tokens),
    PeriodicTask("action_tokens", delete_expired_action_tokens),
)
