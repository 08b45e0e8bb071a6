from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class AtsUpload(IdMixin, Base):
    """An uploaded resume file waiting for the worker that parses it. The job that parses it names it as
    its resource; the row goes when that job ends, or at `expires_at` if no job ever finishes."""

    __tablename__ = "ats_uploads"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The type found from the bytes ("pdf", "docx", "txt"), never the client's name or header.
    file_type: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
