from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, utcnow


class SigningKey(Base):
    """JWT signing keys, shared by every API instance; the private half is sealed with the app secret."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    private_sealed: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a newer key takes over: the key still verifies until then, and no longer signs.
    retired_at: Mapped[datetime | None]
    verify_until: Mapped[datetime | None]
