from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        Index("ix_webhook_endpoints_owner_created", "owner_id", "created_at", "id"),
        Index("ix_webhook_endpoints_org_created", "organization_id", "created_at", "id"),
        CheckConstraint("(owner_id IS NULL) <> (organization_id IS NULL)", name="one_owner"),
    )

    # Owned by one account (its events) or one organisation (the organisation's events), never both.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    # Why the service turned the endpoint off (410 Gone, failing for days); None when a user did.
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    # Signing secrets, sealed (AES-GCM) with the endpoint id as associated data. The previous secret keeps
    # signing until previous_secret_expires_at, so receivers can switch over without dropping messages.
    secret_sealed: Mapped[str] = mapped_column(Text)
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None]
    # Circuit breaker and health, written by the delivery code with conditional UPDATEs.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    circuit_open_until: Mapped[datetime | None]
    failing_since: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    # Optimistic concurrency for user edits (ETag / If-Match); delivery bookkeeping never bumps it.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012
