"""Request and response models of the ATS endpoints (REST and GraphQL share them)."""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shortlist.ats.engine.results import FileType, LayoutInfo, MatchResult, ProfileResult, Report

MAX_JOB_CHARS = 50_000


class ReportOut(Report):
    """The compatibility report, with the file's layout facts and the optional match and profile."""

    file_type: FileType
    layout: LayoutInfo
    warnings: list[str] = Field(default_factory=list)
    match: MatchResult | None = None
    profile: ProfileResult | None = None


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resume_id: uuid.UUID | None = Field(default=None, description="A stored resume of yours.")
    resume: dict[str, Any] | None = Field(default=None, description="Or a JSON Resume document inline.")
    job: str | dict[str, Any] = Field(
        description="The posting as text, or a JSON Resume job document (title, skills, qualifications, ...)."
    )

    @model_validator(mode="after")
    def _one_resume(self) -> MatchIn:
        if (self.resume_id is None) == (self.resume is None):
            raise ValueError("Give exactly one of `resume_id` and `resume`.")
        if isinstance(self.job, str) and not self.job.strip():
            raise ValueError("`job` is empty.")
        if len(json.dumps(self.job)) > MAX_JOB_CHARS:
            raise ValueError(f"`job` is longer than {MAX_JOB_CHARS} characters.")
        return self


class AreaSummary(BaseModel):
    id: str
    name: str
    weight: float
    skills: list[str]


class ProfileSummary(BaseModel):
    id: str
    name: str
    areas: list[AreaSummary]


# What the worker does with an uploaded file once parsed (the parse job's `action`).
UploadAction = Literal["parse", "report", "import"]
