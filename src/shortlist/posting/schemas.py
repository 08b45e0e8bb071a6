from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from shortlist.kit.schemas import RequestModel, ResponseModel

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Criterion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
SkillName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Language = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class PostingStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    archived = "archived"


class Workplace(StrEnum):
    onsite = "onsite"
    hybrid = "hybrid"
    remote = "remote"


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    contract = "contract"
    temporary = "temporary"
    internship = "internship"


class SalaryPeriod(StrEnum):
    year = "year"
    month = "month"
    hour = "hour"


class Salary(RequestModel):
    min: int | None = Field(default=None, ge=0, le=100_000_000)
    max: int | None = Field(default=None, ge=0, le=100_000_000)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    period: SalaryPeriod = SalaryPeriod.year

    @model_validator(mode="after")
    def _ordered(self) -> Salary:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("salary min is above max")
        return self


class Requirements(RequestModel):
    """Recruiter-set requirements. A field given here wins over what was read from the description; a
    field left out keeps the extraction."""

    required_skills: list[SkillName] | None = Field(default=None, max_length=50)
    preferred_skills: list[SkillName] | None = Field(default=None, max_length=50)
    years: float | None = Field(default=None, ge=0, le=50)
    seniority: Annotated[str, StringConstraints(max_length=40)] | None = None
    education: Annotated[str, StringConstraints(max_length=300)] | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)


class Blind(RequestModel):
    """Blind screening: below admin, candidates' identities are hidden until shortlisted."""

    enabled: bool = False
    hide_schools: bool = False


class PostingCreate(RequestModel):
    title: Title
    description: str = Field(default="", max_length=50_000, description="Markdown.")
    location: Annotated[str, StringConstraints(max_length=200)] | None = None
    workplace: Workplace = Workplace.onsite
    employment_type: EmploymentType = EmploymentType.full_time
    salary: Salary | None = None
    requirements: Requirements = Field(default_factory=Requirements)
    blind: Blind = Field(default_factory=Blind)
    hiring_manager_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    scorecard_criteria: list[Criterion] = Field(
        default_factory=list, max_length=20, description="What interviewers rate 1–5 in a scorecard."
    )


class PostingUpdate(RequestModel):
    title: Title | None = None
    description: str | None = Field(default=None, max_length=50_000)
    location: Annotated[str, StringConstraints(max_length=200)] | None = None
    workplace: Workplace | None = None
    employment_type: EmploymentType | None = None
    salary: Salary | None = None
    requirements: Requirements | None = None
    blind: Blind | None = None
    hiring_manager_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    scorecard_criteria: list[Criterion] | None = Field(default=None, max_length=20)


StageId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class Stage(RequestModel):
    id: StageId
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class StagesReplace(RequestModel):
    stages: list[Stage] = Field(min_length=2, max_length=20)


class SalaryOut(ResponseModel):
    min: int | None
    max: int | None
    currency: str | None
    period: str | None


class PostingOut(ResponseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    status: PostingStatus
    title: str
    description: str
    location: str | None
    workplace: Workplace
    employment_type: EmploymentType
    salary: SalaryOut | None
    requirements: dict[str, Any] = Field(description="What the recruiter set (wins).")
    extracted: dict[str, Any] = Field(description="What was read from the description.")
    effective: dict[str, Any] = Field(description="The requirements applications are scored against.")
    unrecognised_skills: list[str] = Field(
        description="Skills the matching engine does not know: they are shown but not scored."
    )
    stages: list[dict[str, str]]
    scorecard_criteria: list[str]
    blind: dict[str, Any]
    hiring_manager_ids: list[uuid.UUID]
    version: int
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
