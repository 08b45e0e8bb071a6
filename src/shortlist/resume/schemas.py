from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from shortlist.kit.schemas import RequestModel, ResponseModel
from shortlist.resume.jsonresume import EXAMPLE_DOCUMENT, ResumeDocument

Title = Field(min_length=1, max_length=200, examples=["Backend engineer — 2026"])


class ResumeCreate(RequestModel):
    title: str = Title
    content: ResumeDocument = Field(examples=[EXAMPLE_DOCUMENT])


class ResumeReplace(ResumeCreate):
    pass


class ResumeSummary(ResponseModel):
    id: uuid.UUID
    title: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class ResumeOut(ResumeSummary):
    content: dict[str, Any] = Field(description="The JSON Resume document, exactly as stored.")


class VersionSummary(ResponseModel):
    version: int
    title: str
    created_at: datetime


class VersionOut(VersionSummary):
    content: dict[str, Any]
