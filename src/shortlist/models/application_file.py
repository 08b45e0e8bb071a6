from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base


class ApplicationFile(Base):
    """The file a guest applied with; kept with the application (the recruiter may download it)."""

    __tablename__ = "application_files"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    file_type: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
