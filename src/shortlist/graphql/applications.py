"""Applications as an organisation member sees them: the score and its explanation, the pipeline stage,
moves, notes, ratings, tags, scorecards, the timeline and the frozen resume.

Blind screening is never decided here. Every identity field comes from `application.service.present`
(the same call REST's list and detail make), and every free-text relation is passed through the scrubber
`service.scrubber_for` returns for this reader, exactly where REST's handlers apply it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry

from shortlist.application import collaboration
from shortlist.application import service as application_service
from shortlist.application.schemas import ApplicationDetail, ApplicationOut
from shortlist.graphql.content import ResumeContent, content_of
from shortlist.graphql.context import GraphInfo
from shortlist.graphql.recruiting_audit import record_read
from shortlist.graphql.recruiting_common import member_access, recruiting_id, recruiting_keys
from shortlist.graphql.types import Node
from shortlist.models import Application as ApplicationRow
from shortlist.models import JobPosting as PostingRow
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service
from shortlist.posting.exceptions import PostingNotFound


@strawberry.type(description="A required or preferred skill the resume covers, with the line that proves it.")
class MatchedRequirement:
    skill: str
    evidence: str | None = strawberry.field(
        description="The resume line that proves it (scrubbed when blind)."
    )


@strawberry.type
class ScorePart:
    id: str
    name: str
    points: float
    weight: float


@strawberry.type(description="Why the resume could not be scored (an unreadable file).")
class ScoreError:
    type: str
    detail: str


@strawberry.type(description="Why the application scored what it did, readable at a glance.")
class ScoreExplanation:
    matched_required: list[MatchedRequirement]
    missing_required: list[str]
    matched_preferred: list[MatchedRequirement]
    missing_preferred: list[str]
    years: float | None = strawberry.field(description="Years of experience the resume shows.")
    years_asked: float | None
    seniority: str | None
    parts: list[ScorePart]
    error: ScoreError | None

    @classmethod
    def of(cls, raw: dict[str, Any] | None) -> ScoreExplanation | None:
        if not raw:
            return None

        def matched(key: str) -> list[MatchedRequirement]:
            return [
                MatchedRequirement(skill=str(m.get("skill")), evidence=m.get("evidence"))
                for m in raw.get(key) or []
                if isinstance(m, dict)
            ]

        error = raw.get("error")
        return cls(
            matched_required=matched("matched_required"),
            missing_required=[str(s) for s in raw.get("missing_required") or []],
            matched_preferred=matched("matched_preferred"),
            missing_preferred=[str(s) for s in raw.get("missing_preferred") or []],
            years=raw.get("years"),
            years_asked=raw.get("years_asked"),
            seniority=raw.get("seniority"),
            parts=[
                ScorePart(id=str(p["id"]), name=str(p["name"]), points=p["points"], weight=p["weight"])
                for p in raw.get("parts") or []
                if isinstance(p, dict)
            ],
            error=ScoreError(type=str(error.get("type")), detail=str(error.get("detail")))
            if isinstance(error, dict)
            else None,
        )


@strawberry.type(description="A pipeline stage of a job.")
class PipelineStage:
    id: str
    name: str


@strawberry.type(description="A move through the pipeline: who, when, from where to where and why.")
class StageMove:
    actor_id: uuid.UUID | None
    from_stage: str | None
    to_stage: str
    reason: str | None
    created_at: datetime


@strawberry.type
class RatingSummary:
    average: float | None
    count: int
    mine: int | None = strawberry.field(description="Your own rating, if you gave one.")


@strawberry.type
class Note:
    note_id: uuid.UUID
    author_id: uuid.UUID | None
    body: str
    mentions: list[uuid.UUID] = strawberry.field(description="The members the note mentions.")
    created_at: datetime


@strawberry.type
class CriterionScore:
    criterion: str
    score: int


@strawberry.type
class Scorecard:
    user_id: uuid.UUID
    stage: str
    criteria: list[CriterionScore]
    summary: str | None
    updated_at: datetime


@strawberry.type
class TimelineEntry:
    at: datetime
    kind: str = strawberry.field(description="applied, scored, moved, note")
    actor_id: uuid.UUID | None
    summary: str


def stage_of(posting: PostingRow, stage: str) -> PipelineStage:
    names = {str(s["id"]): str(s["name"]) for s in posting.stages["stages"]}
    return PipelineStage(id=stage, name=names.get(stage, stage))


@strawberry.type(
    description="An application to a job. On a blind-screened job, below admin and until shortlisted, the "
    "candidate's identity is hidden in every field: `name` and `email` are null, `blinded` is true, and "
    "free text (explanation evidence, notes, moves, scorecards, timeline, resume) is scrubbed."
)
class Application(Node):
    id: strawberry.ID
    application_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    job_posting_id: uuid.UUID
    name: str | None
    email: str | None
    blinded: bool
    source: str
    status: str
    shortlisted: bool
    score: int | None
    override_score: int | None
    rank_score: int | None = strawberry.field(description="The override when set, else the score.")
    years: float | None
    rejection_reason: str | None
    snippet: str | None = strawberry.field(description="With `query`: the match, hits between [[ and ]].")
    version: int = strawberry.field(description="Pass as `expectedVersion` to move safely.")
    etag: str
    created_at: datetime
    scored_at: datetime | None
    out: strawberry.Private[ApplicationOut]
    access: strawberry.Private[Access]
    posting: strawberry.Private[PostingRow]
    row: strawberry.Private[ApplicationRow]

    @classmethod
    def of(
        cls, access: Access, posting: PostingRow, row: ApplicationRow, snippet: str | None = None
    ) -> Application:
        out = application_service.present(access, posting, row, snippet=snippet)
        return cls(
            id=recruiting_id("Application", posting.organization_id, posting.id, row.id),
            application_id=out.id,
            job_posting_id=out.posting_id,
            name=out.name,
            email=out.email,
            blinded=out.blinded,
            source=out.source,
            status=out.status,
            shortlisted=out.shortlisted,
            score=out.score,
            override_score=out.override_score,
            rank_score=out.rank_score,
            years=out.years,
            rejection_reason=out.rejection_reason,
            snippet=out.snippet,
            version=out.version,
            etag=application_service.etag_of(row),
            created_at=out.created_at,
            scored_at=out.scored_at,
            out=out,
            access=access,
            posting=posting,
            row=row,
        )

    def _scrub(self, text: str) -> str:
        scrub = application_service.scrubber_for(self.access, self.posting, self.row)
        return scrub.text(text) if scrub is not None else text

    @strawberry.field(description="The pipeline stage it is in.")
    def stage(self) -> PipelineStage:
        return stage_of(self.posting, self.out.stage)

    @strawberry.field(description="Matched requirements with the proving resume line, missing ones, years.")
    def explanation(self) -> ScoreExplanation | None:
        return ScoreExplanation.of(self.out.explanation)

    @strawberry.field
    async def tags(self, info: GraphInfo) -> list[str]:
        return await info.context.recruiting.tags.load(self.application_id)

    @strawberry.field(description="Members' 1–5 ratings: average, count and yours.")
    async def rating(self, info: GraphInfo) -> RatingSummary:
        ratings = await info.context.recruiting.ratings.load(self.application_id)
        summary = collaboration.rating_summary(ratings, self.access.user_id)
        return RatingSummary(average=summary.average, count=summary.count, mine=summary.mine)

    @strawberry.field(description="Every move through the pipeline, oldest first.")
    async def moves(self, info: GraphInfo) -> list[StageMove]:
        rows = await info.context.recruiting.moves.load(self.application_id)
        return [
            StageMove(
                actor_id=m.actor_id,
                from_stage=m.from_stage,
                to_stage=m.to_stage,
                reason=self._scrub(m.reason) if m.reason is not None else None,
                created_at=m.created_at,
            )
            for m in rows
        ]

    @strawberry.field(description="Members' notes, oldest first.")
    async def notes(self, info: GraphInfo) -> list[Note]:
        rows = await info.context.recruiting.notes.load(self.application_id)
        out = [collaboration.note_out(n, self._scrub(n.body)) for n in rows]
        return [
            Note(
                note_id=n.id, author_id=n.author_id, body=n.body, mentions=n.mentions, created_at=n.created_at
            )
            for n in out
        ]

    @strawberry.field(description="Every member's scorecards, by stage.")
    async def scorecards(self, info: GraphInfo) -> list[Scorecard]:
        rows = await info.context.recruiting.scorecards.load(self.application_id)
        cards = [collaboration.scorecard_out(c) for c in rows]
        return [
            Scorecard(
                user_id=c.user_id,
                stage=c.stage,
                criteria=[CriterionScore(criterion=k, score=v) for k, v in c.criteria.items()],
                summary=self._scrub(c.summary) if c.summary is not None else None,
                updated_at=c.updated_at,
            )
            for c in cards
        ]

    @strawberry.field(description="Applied, scored, every move and every note, oldest first.")
    async def timeline(self, info: GraphInfo) -> list[TimelineEntry]:
        moves = await info.context.recruiting.moves.load(self.application_id)
        notes = await info.context.recruiting.notes.load(self.application_id)
        return [
            TimelineEntry(at=e.at, kind=e.kind, actor_id=e.actor_id, summary=self._scrub(e.summary))
            for e in collaboration.timeline(self.row, moves, notes)
        ]

    @strawberry.field(description="The frozen resume it was scored on (redacted and scrubbed when blind).")
    async def resume(self, info: GraphInfo) -> ResumeContent | None:
        key = (self.posting.organization_id, self.posting.id, self.application_id)
        full = await info.context.recruiting.applications.load(key)
        if full is None:
            return None
        await record_read(info, self.access, full)
        detail = application_service.present(self.access, self.posting, full, [])
        assert isinstance(detail, ApplicationDetail)
        return content_of(detail.resume) if detail.resume is not None else None

    @classmethod
    async def resolve_node(cls, info: GraphInfo, raw_id: str) -> Application | None:
        organization_id, posting_id, application_id = recruiting_keys(raw_id, "Application", 3)
        access = await member_access(info, organization_id, Operation.applications_read)
        if access is None:
            return None
        async with info.context.gate.use() as session:
            try:
                posting = await posting_service.get(session, access, posting_id)
            except PostingNotFound:
                return None  # another job, or one a hiring manager is not on
        row = await info.context.recruiting.applications.load((organization_id, posting.id, application_id))
        if row is None:
            return None
        await record_read(info, access, row)
        return cls.of(access, posting, row)
