"""Writing events: one row in the caller's transaction, so an event exists if and only if its change does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.models import Event


@dataclass(frozen=True)
class DomainEvent:
    """What subscribers receive. `seq` orders events; `id` is the stable id to deduplicate on."""

    seq: int
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    resource_type: str | None
    resource_id: uuid.UUID | None
    data: dict[str, Any]
    occurred_at: datetime
    request_id: str | None

    @classmethod
    def of(cls, row: Event) -> DomainEvent:
        return cls(
            seq=row.seq,
            id=row.id,
            name=row.name,
            owner_id=row.owner_id,
            resource_type=row.resource_type,
            resource_id=row.resource_id,
            data=dict(row.data),
            occurred_at=row.occurred_at,
            request_id=row.request_id,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "seq": self.seq,
            "name": self.name,
            "resource_type": self.resource_type,
            "resource_id": str(self.resource_id) if self.resource_id else None,
            "data": self.data,
            "occurred_at": self.occurred_at.isoformat(),
            "request_id": self.request_id,
        }


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


def emit(
    session: AsyncSession,
    name: str,
    *,
    owner_id: uuid.UUID | None,
    resource_type: str | None = None,
    resource_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record `name` (a `domain.event` name) in the session's transaction; flushed with the change.

    `data` must be JSON and small: ids and what changed, never resume contents.
    """
    row = Event(
        name=name,
        owner_id=owner_id,
        resource_type=resource_type,
        resource_id=resource_id,
        data=data or {},
        request_id=current_request_id(),
    )
    session.add(row)
    return row
