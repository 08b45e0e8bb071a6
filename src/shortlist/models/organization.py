from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class Organization(IdMixin, TimestampMixin, Base):
    """A hiring organisation: the tenant of every recruiting object."""

    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    # The careers page lives at /careers/<slug>.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    # Denormalised from the members table (the one member with role "owner"); events are addressed to it.
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # Months after which rejected applications are deleted; None keeps them.
    retention_months: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
