from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class OrganizationApiKey(IdMixin, Base):
    """A long-lived key (`slo_…`) that an owner or admin issues for an organisation's integration.

    It carries organisation scopes (auth/scopes.py `OrgScope`) and acts within its organisation only, on behalf
    of the member who issued it: never beyond that member's current role, and not at all once they leave.
    """

    __tablename__ = "organization_api_keys"
    __table_args__ = (Index("ix_organization_api_keys_org_created", "organization_id", "created_at", "id"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the key, shown in listings so keys can be told apart.
    display_prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
