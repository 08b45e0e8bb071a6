from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class OAuthClient(IdMixin, Base):
    """An integration that signs in with the OAuth2 client-credentials grant. Its `id` is the client id.

    Owned by exactly one account or one organisation. An organisation's client carries organisation scopes
    and acts for the member who registered it (`created_by`), like an organisation API key.
    """

    __tablename__ = "oauth_clients"
    __table_args__ = (CheckConstraint("(user_id IS NULL) <> (organization_id IS NULL)", name="one_owner"),)

    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    # The secret is stored as a keyed hash only; its first characters tell secrets apart in listings.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    secret_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Access tokens issued before this instant are refused: set by a secret rotation.
    tokens_valid_after: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
