"""The signed-in account: read it, rename it, change its password, delete it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import service as auth_service
from shortlist.auth.subject import Subject, user_state_key
from shortlist.context import AppContext
from shortlist.kit.problems import Forbidden, Unauthorized
from shortlist.models import User
from shortlist.platform.stale import mark_stale
from shortlist.user import repository


async def me(session: AsyncSession, subject: Subject) -> User:
    user = await repository.by_id(session, subject.user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    return user


async def update(session: AsyncSession, subject: Subject, changes: dict[str, Any]) -> User:
    """Apply the fields a merge patch sets (only ``name`` is writable)."""
    user = await me(session, subject)
    if "name" in changes:
        user.name = changes["name"]
    await session.flush()
    return user


async def change_password(
    context: AppContext, session: AsyncSession, subject: Subject, current: str, new: str
) -> None:
    """Every sign-in (refresh and access tokens) is revoked with the old password."""
    if subject.api_key_id is not None:
        raise Forbidden("Passwords can only be changed with a signed-in session, not an API key.")
    user = await me(session, subject)
    await auth_service.change_password(context, session, user, current, new)


async def delete(session: AsyncSession, subject: Subject) -> None:
    if subject.api_key_id is not None:
        raise Forbidden("An account can only be deleted with a signed-in session, not an API key.")
    await repository.delete(session, await me(session, subject))
    mark_stale(session, user_state_key(subject.user_id))
