from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class WebhookDelivery(IdMixin, TimestampMixin, Base):
    """One event for one endpoint, with every attempt to deliver it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # An event enqueued twice (a redelivered dispatch) still yields one delivery per endpoint.
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    # The endpoint's owning account; None for an organisation's endpoint.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(100))
    # The webhook-id header: stable across attempts and redeliveries, so receivers can deduplicate.
    message_id: Mapped[str] = mapped_column(String(64))
    # The exact JSON bytes that are signed and sent, fixed at enqueue time.
    payload: Mapped[str] = mapped_column(Text)
    # pending -> delivering -> succeeded | pending (retry) | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # Attempts in the current round: drives the retry schedule; a manual redelivery starts a new round.
    round_attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    # The claim: whoever set claim_token owns the attempt until claimed_until (a crashed sender's claim lapses).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_latency_ms: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    completed_at: Mapped[datetime | None]
    # The most recent attempts, newest last: {"attempt", "at", "status_code", "latency_ms", "error"}.
    attempt_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
