"""All SQL for OAuth clients; every query is scoped to its owner."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import OAuthClient


def owned_statement(user_id: uuid.UUID) -> Select[tuple[OAuthClient]]:
    """The live clients an account owns: the only rows its requests may see."""
    return select(OAuthClient).where(OAuthClient.user_id == user_id, OAuthClient.revoked_at.is_(None))


async def owned(session: AsyncSession, user_id: uuid.UUID, client_id: uuid.UUID) -> OAuthClient | None:
    return (await session.scalars(owned_statement(user_id).where(OAuthClient.id == client_id))).one_or_none()


async def count_owned(session: AsyncSession, user_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(owned_statement(user_id).subquery())
    return int(await session.scalar(statement) or 0)


async def live_by_id(session: AsyncSession, client_id: uuid.UUID) -> OAuthClient | None:
    """For the token endpoint, where the client is not yet authenticated (its secret is checked next)."""
    statement = select(OAuthClient).where(OAuthClient.id == client_id, OAuthClient.revoked_at.is_(None))
    return (await session.scalars(statement)).one_or_none()


@dataclass(frozen=True)
class ClientState:
    # The account the client acts for: its owner, or for an organisation's client the member who registered it.
    acting_user: uuid.UUID | None
    organization_id: uuid.UUID | None
    scopes: list[str]
    valid_after: datetime


async def state(session: AsyncSession, client_id: uuid.UUID) -> ClientState | None:
    """Who a live client acts for, its scopes and its token cut-off; None when revoked or unknown."""
    row = (
        await session.execute(
            select(
                OAuthClient.user_id,
                OAuthClient.created_by,
                OAuthClient.organization_id,
                OAuthClient.scopes,
                OAuthClient.tokens_valid_after,
            ).where(OAuthClient.id == client_id, OAuthClient.revoked_at.is_(None))
        )
    ).one_or_none()
    if row is None:
        return None
    user_id, created_by, organization_id, scopes, valid_after = row
    acting = created_by if organization_id is not None else user_id
    return ClientState(acting, organization_id, list(scopes), valid_after)


async def owned_page(
    session: AsyncSession, user_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[OAuthClient]:
    """The owner's live clients newest first, one row more than ``limit``."""
    statement = newest_first(owned_statement(user_id), OAuthClient.created_at, OAuthClient.id, after, limit)
    return (await session.scalars(statement)).all()
