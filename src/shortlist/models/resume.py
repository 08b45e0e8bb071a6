from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class Resume(IdMixin, TimestampMixin, Base):
    __tablename__ = "resumes"
    __table_args__ = (Index("ix_resumes_owner_updated", "owner_id", "updated_at", "id"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]

    # Optimistic concurrency: every UPDATE carries "WHERE version = <the version we read>", so two
    # writers that read the same version cannot both win. The service sets the next version itself.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012
