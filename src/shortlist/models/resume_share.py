from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class ResumeShare(IdMixin, Base):
    """A public read-only link to a resume. Only a keyed hash of the token is stored."""

    __tablename__ = "resume_shares"

    resume_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resumes.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so an owner can tell links apart without the secret.
    display_prefix: Mapped[str] = mapped_column(String(16))
    formats: Mapped[list[str]] = mapped_column(JSON)
    view_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_viewed_at: Mapped[datetime | None]
