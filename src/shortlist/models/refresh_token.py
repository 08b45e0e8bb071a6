from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class RefreshToken(IdMixin, Base):
    """One row per issued refresh token; the rows of one login form a family that is revoked as a whole."""

    __tablename__ = "refresh_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    # The successor's plaintext, sealed, kept only for the short grace window in which a retried
    # refresh gets the same new pair back instead of tripping reuse detection.
    successor_sealed: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None]
