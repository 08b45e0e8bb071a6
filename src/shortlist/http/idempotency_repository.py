"""All SQL for stored idempotency keys (one row per caller and key)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import IdempotencyKey


async def by_key(session: AsyncSession, principal: str, key: str) -> IdempotencyKey | None:
    statement = select(IdempotencyKey).where(IdempotencyKey.subject == principal, IdempotencyKey.key == key)
    return (await session.scalars(statement)).one_or_none()


async def store_response(
    session: AsyncSession, claim_id: uuid.UUID, status: int, headers: dict[str, Any], body: bytes
) -> None:
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == claim_id)
        .values(status="completed", response_status=status, response_headers=headers, response_body=body)
    )


async def forget_claim(session: AsyncSession, claim_id: uuid.UUID) -> None:
    """Drop a claim whose request failed, unless its response was stored after all."""
    await session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.id == claim_id, IdempotencyKey.status != "completed")
    )


async def delete_expired(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
