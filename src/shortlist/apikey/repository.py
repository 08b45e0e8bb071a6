"""All SQL for API keys; every statement is scoped to the key's owner."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import ApiKey


async def count_active(session: AsyncSession, user_id: uuid.UUID) -> int:
    statement = select(func.count(ApiKey.id)).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
    return (await session.scalar(statement)) or 0


async def active_page(
    session: AsyncSession, user_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[ApiKey]:
    """Active keys newest first, one row more than ``limit``."""
    statement = select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
    return (await session.scalars(newest_first(statement, ApiKey.created_at, ApiKey.id, after, limit))).all()


async def active_key(session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
    statement = select(ApiKey).where(
        ApiKey.id == key_id, ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)
    )
    return (await session.scalars(statement)).one_or_none()
