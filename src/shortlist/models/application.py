from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class Application(IdMixin, TimestampMixin, Base):
    """A candidate's application to one job, with a frozen copy of the resume it was made with."""

    __tablename__ = "applications"
    __table_args__ = (
        # Same person, same job: one application (the address is normalised to lower case).
        UniqueConstraint("posting_id", "email"),
        # The ranked list: best effective score first within a job.
        Index("ix_applications_posting_rank", "posting_id", "rank_score", "id"),
        # The same within one pipeline stage (a board column, `stage=`): no walk past the other stages.
        Index("ix_applications_posting_stage_rank", "posting_id", "stage", "rank_score", "id"),
        Index("ix_applications_org_created", "organization_id", "created_at", "id"),
        Index("ix_applications_candidate", "candidate_id", "created_at"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    posting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job_postings.id", ondelete="CASCADE"))
    # The signed-in candidate, or None for a guest.
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    source: Mapped[str] = mapped_column(String(16))
    source_resume_id: Mapped[uuid.UUID | None]
    # The frozen JSON Resume document (None until an upload is parsed).
    resume: Mapped[dict[str, Any] | None]
    # parsing → ready (scored or not) | failed; withdrawn by the candidate.
    status: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(40), default="applied")
    shortlisted: Mapped[bool] = mapped_column(default=False)
    score: Mapped[int | None]
    override_score: Mapped[int | None]
    # The override when set, else the score; -1 until scored, so unscored rows sort last.
    rank_score: Mapped[int] = mapped_column(default=-1)
    explanation: Mapped[dict[str, Any] | None]
    years: Mapped[float | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    scored_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
