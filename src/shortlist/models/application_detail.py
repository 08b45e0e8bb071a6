from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, utcnow


class ApplicationSkill(Base):
    """A skill the candidate's resume shows, in the engine's spelling (for the skills filter)."""

    __tablename__ = "application_skills"
    __table_args__ = (Index("ix_application_skills_skill", "skill", "application_id"),)

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(100), primary_key=True)


class ApplicationTag(Base):
    __tablename__ = "application_tags"
    __table_args__ = (Index("ix_application_tags_tag", "tag", "application_id"),)

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class ApplicationRating(Base):
    """One member's 1–5 rating of an application (their latest)."""

    __tablename__ = "application_ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    rating: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationNote(IdMixin, Base):
    __tablename__ = "application_notes"
    __table_args__ = (Index("ix_application_notes_application", "application_id", "created_at"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # {"user_ids": [...]}: the members the note mentions (they are e-mailed).
    mentions: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationScorecard(Base):
    """One member's scorecard for an application at one stage: 1–5 per criterion defined on the job."""

    __tablename__ = "application_scorecards"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(40), primary_key=True)
    # {"criteria": {"System design": 4, ...}, "summary": "..."}
    scores: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
