from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class Job(IdMixin, Base):
    """One unit of background work. The row is the truth; a broker message only says "look at this row"."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_owner_created", "owner_id", "created_at", "id"),
        # The sweeper scans by status and due time.
        Index("ix_jobs_status_next_attempt", "status", "next_attempt_at"),
    )

    kind: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The object the job works on (e.g. a resume), so live updates can be followed per resource.
    resource_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]]
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int]
    progress: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None]
    # The last failure as an RFC 9457 problem document.
    error: Mapped[dict[str, Any] | None]
    worker_id: Mapped[str | None] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(128))
    trace_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
