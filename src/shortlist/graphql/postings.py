"""Job postings (the organisation's jobs; `Job` is a background job) with their parsed requirements, stages
and the ranked applications — the same ranked query, filters and signed cursors as REST's list."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from pydantic import BaseModel, Field

from shortlist.application import ranking
from shortlist.graphql.applications import Application, PipelineStage
from shortlist.graphql.context import GraphInfo
from shortlist.graphql.recruiting_audit import record_listed, record_read
from shortlist.graphql.recruiting_common import member_access, recruiting_id, recruiting_keys
from shortlist.graphql.results import validated
from shortlist.graphql.types import Connection, Edge, Node, PageInfo, page_size
from shortlist.models import JobPosting as PostingRow
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service
from shortlist.posting.exceptions import PostingNotFound


@strawberry.type(
    description="Requirements: what was read from the description, what the recruiter set, or the effective "
    "ones (the reading with every recruiter-set field winning)."
)
class JobRequirements:
    required_skills: list[str] | None
    preferred_skills: list[str] | None
    alternatives: list[list[str]] | None = strawberry.field(description='Groups such as "Kafka or RabbitMQ".')
    years: float | None
    seniority: str | None
    education: str | None
    languages: list[str] | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> JobRequirements:
        def names(key: str) -> list[str] | None:
            value = raw.get(key)
            return [str(v) for v in value] if isinstance(value, list) else None

        alternatives = raw.get("alternatives")
        return cls(
            required_skills=names("required_skills"),
            preferred_skills=names("preferred_skills"),
            alternatives=[[str(v) for v in group] for group in alternatives if isinstance(group, list)]
            if isinstance(alternatives, list)
            else None,
            years=raw.get("years"),
            seniority=raw.get("seniority"),
            education=raw.get("education"),
            languages=names("languages"),
        )


@strawberry.type
class Salary:
    min: int | None
    max: int | None
    currency: str | None
    period: str | None


@strawberry.type(description="Blind screening: below admin, identities are hidden until shortlisted.")
class BlindScreening:
    enabled: bool
    hide_schools: bool


@strawberry.enum(description="A job posting's status.")
class JobPostingStatus(Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


@strawberry.enum
class SkillsMode(Enum):
    ALL = "all"
    ANY = "any"


class RankedFilters(BaseModel):
    """The bounds REST's query parameters carry, checked before the query runs."""

    stage: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$")
    min_score: int | None = Field(default=None, ge=0, le=100)
    max_score: int | None = Field(default=None, ge=0, le=100)
    min_years: float | None = Field(default=None, ge=0, le=60)
    skills: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default=[], max_length=20)
    tags: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default=[], max_length=20)
    min_rating: float | None = Field(default=None, ge=1, le=5)
    query: str | None = Field(default=None, min_length=1, max_length=200)


@strawberry.federation.type(keys=["id"], description="A job posting of an organisation.")
class JobPosting(Node):
    id: strawberry.ID
    job_posting_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    organization_id: uuid.UUID
    status: JobPostingStatus
    title: str
    description: str = strawberry.field(description="Markdown.")
    location: str | None
    workplace: str
    employment_type: str
    salary: Salary | None
    requirements: JobRequirements = strawberry.field(description="What the recruiter set (wins).")
    extracted: JobRequirements = strawberry.field(description="What was read from the description.")
    effective: JobRequirements = strawberry.field(description="What applications are scored against.")
    unrecognised_skills: list[str] = strawberry.field(description="Shown, not scored: unknown to the engine.")
    stages: list[PipelineStage]
    scorecard_criteria: list[str]
    blind: BlindScreening
    version: int = strawberry.field(description="Pass as `expectedVersion` to change it safely.")
    etag: str
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    access: strawberry.Private[Access]
    row: strawberry.Private[PostingRow]

    @classmethod
    def of(cls, access: Access, row: PostingRow) -> JobPosting:
        out = posting_service.to_out(row, [])
        return cls(
            id=recruiting_id("JobPosting", row.organization_id, row.id),
            job_posting_id=row.id,
            organization_id=row.organization_id,
            status=JobPostingStatus(str(out.status)),
            title=out.title,
            description=out.description,
            location=out.location,
            workplace=str(out.workplace),
            employment_type=str(out.employment_type),
            salary=Salary(**out.salary.model_dump()) if out.salary is not None else None,
            requirements=JobRequirements.of(out.requirements),
            extracted=JobRequirements.of(out.extracted),
            effective=JobRequirements.of(out.effective),
            unrecognised_skills=out.unrecognised_skills,
            stages=[PipelineStage(id=s["id"], name=s["name"]) for s in out.stages],
            scorecard_criteria=out.scorecard_criteria,
            blind=BlindScreening(
                enabled=bool(out.blind.get("enabled")), hide_schools=bool(out.blind.get("hide_schools"))
            ),
            version=out.version,
            etag=posting_service.etag_of(row),
            created_at=out.created_at,
            updated_at=out.updated_at,
            opened_at=out.opened_at,
            closed_at=out.closed_at,
            access=access,
            row=row,
        )

    @strawberry.field(description="The members added as hiring managers (user ids).")
    async def hiring_manager_ids(self, info: GraphInfo) -> list[uuid.UUID]:
        return await info.context.recruiting.managers.load(self.job_posting_id)

    @strawberry.field(
        description="Ranked: the recruiter's override, else the score, best first (unscored last); the same "
        "filters and signed cursors as REST's list (an `endCursor` works as REST's `cursor`)."
    )
    async def applications(
        self,
        info: GraphInfo,
        first: Annotated[int | None, strawberry.argument(description="Page size (at most 100).")] = None,
        after: str | None = None,
        stage: str | None = None,
        shortlisted: bool | None = None,
        min_score: int | None = None,
        max_score: int | None = None,
        min_years: float | None = None,
        applied_after: datetime | None = None,
        applied_before: datetime | None = None,
        include_withdrawn: bool = False,
        skills: list[str] | None = None,
        skills_mode: SkillsMode = SkillsMode.ALL,
        tags: list[str] | None = None,
        min_rating: float | None = None,
        query: Annotated[
            str | None, strawberry.argument(description="Full-text search in resumes and notes.")
        ] = None,
    ) -> Connection[Application] | None:
        self.access.require(Operation.applications_read)
        checked = validated(
            RankedFilters,
            {
                "stage": stage,
                "min_score": min_score,
                "max_score": max_score,
                "min_years": min_years,
                "skills": skills or [],
                "tags": tags or [],
                "min_rating": min_rating,
                "query": query,
            },
            location="arguments",
        )
        arguments = ranking.ListArguments(
            stage=checked.stage,
            shortlisted=shortlisted,
            min_score=checked.min_score,
            max_score=checked.max_score,
            min_years=checked.min_years,
            applied_after=applied_after,
            applied_before=applied_before,
            include_withdrawn=include_withdrawn,
            skills=tuple(checked.skills),
            all_skills=skills_mode is SkillsMode.ALL,
            tags=tuple(checked.tags),
            min_rating=checked.min_rating,
            q=checked.query,
        )
        cursors = info.context.app.cursors
        async with info.context.gate.use() as session:
            page = await ranking.ranked(
                session, cursors, self.access, self.row, arguments, page_size(first), after
            )
        await record_listed(info, self.access, self.row.id, page.items)
        edges = [
            Edge(
                cursor=page.cursor_of(cursors, row),
                node=Application.of(self.access, self.row, row, page.snippets.get(row.id)),
            )
            for row in page.items
        ]
        return Connection(
            edges=edges, page_info=PageInfo(has_next_page=page.more, end_cursor=page.next_cursor(cursors))
        )

    @strawberry.field(description="One application to this job; null when there is none.")
    async def application(self, info: GraphInfo, application_id: uuid.UUID) -> Application | None:
        self.access.require(Operation.applications_read)
        key = (self.row.organization_id, self.row.id, application_id)
        row = await info.context.recruiting.applications.load(key)
        if row is None:
            return None
        await record_read(info, self.access, row)
        return Application.of(self.access, self.row, row)

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> JobPosting | None:
        organization_id, posting_id = recruiting_keys(id, "JobPosting", 2)
        access = await member_access(info, organization_id, Operation.jobs_read)
        if access is None:
            return None
        return await posting_for(info, access, posting_id)


async def posting_for(info: GraphInfo, access: Access, posting_id: uuid.UUID) -> JobPosting | None:
    """One posting the member may read (a hiring manager only the jobs they are on), or None."""
    async with info.context.gate.use() as session:
        try:
            row = await posting_service.get(session, access, posting_id)
        except PostingNotFound:
            return None
    return JobPosting.of(access, row)
