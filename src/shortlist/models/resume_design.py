from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, utcnow


class ResumeDesign(Base):
    """The saved look of one resume (a `shortlist.rendering.Design` as JSON); absent means the defaults.

    A table of its own rather than a column on resumes: changing the look is not a new content version.
    """

    __tablename__ = "resume_designs"

    resume_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), primary_key=True
    )
    design: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Same optimistic concurrency as resumes: a concurrent PUT cannot silently overwrite another.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012
