"""All SQL for an organisation's keys and clients; every statement is scoped to the organisation."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import OAuthClient, OrganizationApiKey


def _live_keys(organization_id: uuid.UUID) -> Select[tuple[OrganizationApiKey]]:
    return select(OrganizationApiKey).where(
        OrganizationApiKey.organization_id == organization_id, OrganizationApiKey.revoked_at.is_(None)
    )


async def count_keys(session: AsyncSession, organization_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(_live_keys(organization_id).subquery())
    return int(await session.scalar(statement) or 0)


async def keys_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[OrganizationApiKey]:
    statement = newest_first(
        _live_keys(organization_id), OrganizationApiKey.created_at, OrganizationApiKey.id, after, limit
    )
    return list((await session.scalars(statement)).all())


async def key(
    session: AsyncSession, organization_id: uuid.UUID, key_id: uuid.UUID
) -> OrganizationApiKey | None:
    statement = _live_keys(organization_id).where(OrganizationApiKey.id == key_id)
    return (await session.scalars(statement)).one_or_none()


def _live_clients(organization_id: uuid.UUID) -> Select[tuple[OAuthClient]]:
    return select(OAuthClient).where(
        OAuthClient.organization_id == organization_id, OAuthClient.revoked_at.is_(None)
    )


async def count_clients(session: AsyncSession, organization_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(_live_clients(organization_id).subquery())
    return int(await session.scalar(statement) or 0)


async def clients_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[OAuthClient]:
    statement = newest_first(
        _live_clients(organization_id), OAuthClient.created_at, OAuthClient.id, after, limit
    )
    return list((await session.scalars(statement)).all())


async def client(
    session: AsyncSession, organization_id: uuid.UUID, client_id: uuid.UUID
) -> OAuthClient | None:
    statement = _live_clients(organization_id).where(OAuthClient.id == client_id)
    return (await session.scalars(statement)).one_or_none()
