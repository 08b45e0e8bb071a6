from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class CandidateDataAccess(IdMixin, Base):
    """One read or export of candidate data: who, with which credential, what, when, in which request.

    Ids only (no names, e-mails or contents), and no foreign keys: the entry must outlive the application it
    names (an erasure is itself recorded here) and the account that acted.
    """

    __tablename__ = "candidate_data_access"
    __table_args__ = (
        Index("ix_candidate_data_access_org_created", "organization_id", "created_at", "id"),
        Index("ix_candidate_data_access_created", "created_at"),
    )

    organization_id: Mapped[uuid.UUID]
    actor_id: Mapped[uuid.UUID | None]
    # session, api_key, client, organization_key, organization_client (auth/access.py Credential)
    credential: Mapped[str] = mapped_column(String(32))
    # The organisation key or OAuth client that acted, when one did.
    credential_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(50))
    posting_id: Mapped[uuid.UUID | None]
    application_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The candidate's account, when the application was made signed in.
    person_id: Mapped[uuid.UUID | None]
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
