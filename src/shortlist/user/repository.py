"""All SQL for the signed-in account's own record."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import User


async def by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def delete(session: AsyncSession, user: User) -> None:
    """The account with its resumes, tokens and API keys (the foreign keys cascade)."""
    await session.delete(user)
