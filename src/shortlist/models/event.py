from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, utcnow
from shortlist.kit.ids import new_id


class Event(Base):
    """A domain event, written in the same transaction as the change it describes (transactional outbox)."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_pending", "dispatched_at", "seq"),
        Index("ix_events_owner_seq", "owner_id", "seq"),
    )

    # A strictly increasing sequence gives subscribers an order and a resume point.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(default=new_id, unique=True)
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[uuid.UUID | None]
    resource_type: Mapped[str | None] = mapped_column(String(50))
    resource_id: Mapped[uuid.UUID | None]
    data: Mapped[dict[str, Any]]
    request_id: Mapped[str | None] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    # Failed deliveries to subscribers; after too many the event is parked (dispatched with an error).
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
