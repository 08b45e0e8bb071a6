"""All SQL for linked sign-in identities; every query scoped to its account."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import UserIdentity


async def by_subject(session: AsyncSession, provider: str, subject: str) -> UserIdentity | None:
    statement = select(UserIdentity).where(UserIdentity.provider == provider, UserIdentity.subject == subject)
    return (await session.scalars(statement)).one_or_none()


async def owned(session: AsyncSession, user_id: uuid.UUID) -> list[UserIdentity]:
    statement = select(UserIdentity).where(UserIdentity.user_id == user_id).order_by(UserIdentity.created_at)
    return list((await session.scalars(statement)).all())


async def owned_one(session: AsyncSession, user_id: uuid.UUID, identity_id: uuid.UUID) -> UserIdentity | None:
    statement = select(UserIdentity).where(UserIdentity.user_id == user_id, UserIdentity.id == identity_id)
    return (await session.scalars(statement)).one_or_none()


async def count_owned(session: AsyncSession, user_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(UserIdentity).where(UserIdentity.user_id == user_id)
    return int(await session.scalar(statement) or 0)
