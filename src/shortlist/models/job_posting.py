from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.kit.db import Base, IdMixin, TimestampMixin


class JobPosting(IdMixin, TimestampMixin, Base):
    """A job an organisation hires for (draft → open → closed → archived)."""

    __tablename__ = "job_postings"
    __table_args__ = (
        Index("ix_job_postings_org_updated", "organization_id", "updated_at", "id"),
        Index("ix_job_postings_org_status", "organization_id", "status"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(200))
    workplace: Mapped[str] = mapped_column(String(16), default="onsite")
    employment_type: Mapped[str] = mapped_column(String(16), default="full_time")
    salary_min: Mapped[int | None]
    salary_max: Mapped[int | None]
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(8))
    # What the recruiter typed (skills, years, languages) and what the ATS engine read from the description;
    # the effective requirements are the extraction with every recruiter-set field winning.
    requirements: Mapped[dict[str, Any]]
    extracted: Mapped[dict[str, Any]]
    # Pipeline stages in order ({"id", "name", "kind"}), blind screening options.
    stages: Mapped[dict[str, Any]]
    blind: Mapped[dict[str, Any]]
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
