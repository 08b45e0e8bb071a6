from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints

from shortlist.kit.schemas import RequestModel, ResponseModel

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
StageId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class ApplyWithResume(RequestModel):
    posting_id: uuid.UUID
    resume_id: uuid.UUID = Field(description="One of your resumes; the application keeps a frozen copy.")


class GuestFields(RequestModel):
    posting_id: uuid.UUID
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: EmailStr = Field(max_length=320)


class MyApplication(ResponseModel):
    """What a candidate sees of their own application."""

    id: uuid.UUID
    posting_id: uuid.UUID
    job_title: str
    organization: str
    status: str
    stage: str
    stage_name: str
    created_at: datetime
    withdrawn_at: datetime | None


class Move(RequestModel):
    stage: StageId
    reason: Reason | None = None
    rejection_reason: Reason | None = Field(default=None, description="Kept when moving to `rejected`.")


class BulkMove(Move):
    application_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class ApplicationUpdate(RequestModel):
    override_score: int | None = Field(
        default=None, ge=0, le=100, description="Wins over the score; null clears."
    )
    shortlisted: bool | None = None


class MoveOut(ResponseModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    from_stage: str | None
    to_stage: str
    reason: str | None
    created_at: datetime


class ApplicationOut(ResponseModel):
    """An application as a recruiter sees it; identity fields are null while blind screening hides them."""

    id: uuid.UUID
    posting_id: uuid.UUID
    name: str | None
    email: str | None
    blinded: bool
    source: str
    status: str
    stage: str
    shortlisted: bool
    score: int | None
    override_score: int | None
    rank_score: int | None = Field(description="The override when set, else the score.")
    years: float | None
    explanation: dict[str, Any] | None
    rejection_reason: str | None
    tags: list[str] = Field(default_factory=list)
    rating: RatingSummary | None = None
    snippet: str | None = Field(
        default=None, description="With `q`: the matching text, hits between [[ and ]]."
    )
    version: int
    created_at: datetime
    scored_at: datetime | None


class ApplicationDetail(ApplicationOut):
    resume: dict[str, Any] | None
    moves: list[MoveOut]


class BulkMoveResult(ResponseModel):
    moved: list[uuid.UUID]
    unchanged: list[uuid.UUID]


Tag = Annotated[str, StringConstraints(pattern=r"^[\w][\w .+#-]{0,39}$")]


class TagsReplace(RequestModel):
    tags: list[Tag] = Field(max_length=20)


class RatingSet(RequestModel):
    rating: int = Field(ge=1, le=5)


class RatingSummary(ResponseModel):
    average: float | None
    count: int
    mine: int | None


class NoteCreate(RequestModel):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)] = Field(
        description="Plain text; `@colleague@example.com` mentions a member (they are e-mailed)."
    )


class NoteOut(ResponseModel):
    id: uuid.UUID
    author_id: uuid.UUID | None
    body: str
    mentions: list[uuid.UUID]
    created_at: datetime


class TimelineEntry(ResponseModel):
    at: datetime
    kind: str = Field(description="applied, scored, moved, note")
    actor_id: uuid.UUID | None
    summary: str


ApplicationOut.model_rebuild()
ApplicationDetail.model_rebuild()


class ScorecardSet(RequestModel):
    criteria: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=60)], Annotated[int, Field(ge=1, le=5)]
    ] = Field(min_length=1, max_length=20, description="1–5 for each criterion the job defines.")
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None = None


class ScorecardOut(ResponseModel):
    user_id: uuid.UUID
    stage: str
    criteria: dict[str, int]
    summary: str | None
    updated_at: datetime


class Person(RequestModel):
    """Whose candidate data an organisation exports or erases."""

    email: EmailStr = Field(max_length=320, description="The address the person applied with.")
