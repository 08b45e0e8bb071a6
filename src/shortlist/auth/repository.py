"""All SQL for accounts and tokens."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import ActionToken, ApiKey, OrganizationApiKey, RefreshToken, SigningKey, User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.scalars(select(User).where(User.email == email.lower()))).one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def claim_refresh_rotation(session: AsyncSession, token_hash: str, now: datetime) -> bool:
    """Mark a live token as rotated; exactly one of several concurrent callers wins."""
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == token_hash,
            RefreshToken.rotated_at.is_(None),
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .values(rotated_at=now)
    )
    return result.rowcount == 1


async def refresh_token_by_hash(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    return (
        await session.scalars(
            select(RefreshToken)
            .where(RefreshToken.token_hash == token_hash)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now, successor_sealed=None)
    )


async def revoke_all_families(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now, successor_sealed=None)
    )


async def consume_action_token(
    session: AsyncSession, token_hash: str, purpose: str, now: datetime
) -> uuid.UUID | None:
    """Use a single-use token; return its user, or None when it is unknown, used or expired."""
    row = await session.scalar(
        select(ActionToken).where(ActionToken.token_hash == token_hash, ActionToken.purpose == purpose)
    )
    if row is None:
        return None
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(ActionToken)
        .where(ActionToken.id == row.id, ActionToken.used_at.is_(None), ActionToken.expires_at > now)
        .values(used_at=now)
    )
    return row.user_id if result.rowcount == 1 else None


async def role_and_revocation(
    session: AsyncSession, user_id: uuid.UUID
) -> Row[tuple[str, datetime | None]] | None:
    """(role, sessions revoked at) of an account, read on every authenticated request."""
    statement = select(User.role, User.sessions_revoked_at).where(User.id == user_id)
    return (await session.execute(statement)).one_or_none()


async def api_key_by_hash(
    session: AsyncSession, digest: str
) -> (
    Row[tuple[uuid.UUID, uuid.UUID, list[str], datetime | None, datetime | None, datetime | None, str]] | None
):
    """The key (with its owner's role) whose keyed hash is ``digest``, revoked or not."""
    statement = (
        select(
            ApiKey.id,
            ApiKey.user_id,
            ApiKey.scopes,
            ApiKey.expires_at,
            ApiKey.revoked_at,
            ApiKey.last_used_at,
            User.role,
        )
        .join(User, User.id == ApiKey.user_id)
        .where(ApiKey.key_hash == digest)
    )
    return (await session.execute(statement)).one_or_none()


async def touch_api_key(session: AsyncSession, key_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


async def delete_expired_refresh_tokens(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(RefreshToken).where(RefreshToken.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_expired_action_tokens(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(ActionToken).where(ActionToken.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class OrganizationKeyState:
    id: uuid.UUID
    organization_id: uuid.UUID
    created_by: uuid.UUID
    role: str
    scopes: list[str]
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


async def organization_key_by_hash(session: AsyncSession, key_hash: str) -> OrganizationKeyState | None:
    """An organisation key with its issuer's account role (the organisation checks membership later)."""
    row = (
        await session.execute(
            select(
                OrganizationApiKey.id,
                OrganizationApiKey.organization_id,
                OrganizationApiKey.created_by,
                User.role,
                OrganizationApiKey.scopes,
                OrganizationApiKey.expires_at,
                OrganizationApiKey.last_used_at,
                OrganizationApiKey.revoked_at,
            )
            .join(User, User.id == OrganizationApiKey.created_by)
            .where(OrganizationApiKey.key_hash == key_hash)
        )
    ).one_or_none()
    if row is None:
        return None
    key_id, organization_id, created_by, role, scopes, expires_at, last_used_at, revoked_at = row
    return OrganizationKeyState(
        key_id, organization_id, created_by, role, list(scopes), expires_at, last_used_at, revoked_at
    )


async def touch_organization_key(session: AsyncSession, key_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(OrganizationApiKey).where(OrganizationApiKey.id == key_id).values(last_used_at=now)
    )


async def signing_keys(session: AsyncSession) -> Sequence[SigningKey]:
    """Every signing key, oldest first (the newest active one signs)."""
    return (await session.scalars(select(SigningKey).order_by(SigningKey.created_at))).all()


async def retire_signing_keys(session: AsyncSession, now: datetime, verify_until: datetime) -> None:
    """The active keys stop signing now and keep verifying until ``verify_until``."""
    await session.execute(
        update(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .values(retired_at=now, verify_until=verify_until)
    )
