"""A job's pipeline stages, scorecards, rescoring and the CSV export: the same service calls and role checks
as REST's routes (`posting/`, `application/collaboration.py`, `application/tasks.py`,
`application/privacy.py`), each in its own savepoint, with typed results to branch on."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import collaboration, privacy, tasks
from shortlist.application.audit import service as audit
from shortlist.application.audit.service import AccessAction
from shortlist.application.schemas import ScorecardSet
from shortlist.graphql.application_mutations import _application_for_write
from shortlist.graphql.applications import CriterionScore, Scorecard
from shortlist.graphql.context import GraphInfo, require_member
from shortlist.graphql.postings import JobPosting
from shortlist.graphql.recruiting_common import recruiting_keys, writer_access
from shortlist.graphql.recruiting_mutations import (
    ExpectedVersion,
    IdempotencyKey,
    JobPostingResult,
    _posting_for_write,
)
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.graphql.types import Job
from shortlist.job.exceptions import JobNotFound
from shortlist.models import Job as JobRow
from shortlist.organization.policy import Operation
from shortlist.posting import service as posting_service
from shortlist.posting.schemas import StagesReplace

QueuedJobResult = Annotated[
    Job | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("QueuedJobResult")
]
ScorecardResult = Annotated[
    Scorecard | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("ScorecardResult")
]


@strawberry.input(description="A pipeline stage: `id` is what applications carry, `name` what people read.")
class StageInput:
    id: str
    name: str


@strawberry.input(description="A 1–5 score for one of the criteria the job defines.")
class CriterionScoreInput:
    criterion: str
    score: int


async def _own_job(session: AsyncSession, info: GraphInfo, job_id: uuid.UUID) -> Job:
    """A job this caller queued (an idempotent replay reads it again)."""
    await session.flush()  # a job queued just now is only pending (enqueue does not flush)
    row = await session.get(JobRow, job_id)
    if row is None or row.owner_id != require_member(info).user_id:
        raise JobNotFound()
    return Job.of(row)


@strawberry.type
class PipelineMutations:
    @strawberry.mutation(
        description="Rename, reorder, add or remove the job's pipeline stages (applied, hired and rejected "
        "stay; a stage that still holds applications cannot go). A stale `expectedVersion` gets a "
        "ConflictProblem."
    )
    async def replace_job_stages(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        stages: list[StageInput],
        expected_version: ExpectedVersion = None,
    ) -> JobPostingResult:
        async def work(session: AsyncSession) -> JobPosting:
            access, posting = await _posting_for_write(info, session, id, expected_version)
            body = validated(StagesReplace, {"stages": [{"id": s.id, "name": s.name} for s in stages]})
            await posting_service.replace_stages(session, posting, body.stages)
            return JobPosting.of(access, posting)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Your scorecard for the application at one stage: 1–5 for each criterion the job "
        "defines (replaces your earlier one for that stage)."
    )
    async def set_application_scorecard(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        stage: str,
        criteria: list[CriterionScoreInput],
        summary: str | None = None,
    ) -> ScorecardResult:
        async def work(session: AsyncSession) -> Scorecard:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_comment
            )
            body = validated(
                ScorecardSet, {"criteria": {c.criterion: c.score for c in criteria}, "summary": summary}
            )
            card = await collaboration.set_scorecard(
                session, access.organization, posting, application, access.user_id, stage, body
            )
            out = collaboration.scorecard_out(card)
            return Scorecard(
                user_id=out.user_id,
                stage=out.stage,
                criteria=[CriterionScore(criterion=k, score=v) for k, v in out.criteria.items()],
                summary=out.summary,
                updated_at=out.updated_at,
            )

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Score the application again (e.g. after the job's requirements were corrected): "
        "follow the returned job with `job(id:)` or `jobProgress`."
    )
    async def rescore_application(
        self, info: GraphInfo, id: strawberry.ID, idempotency_key: IdempotencyKey = None
    ) -> QueuedJobResult:
        request = info.context.request

        async def queue(session: AsyncSession) -> uuid.UUID:
            access, _posting, application = await _application_for_write(
                info, session, id, Operation.applications_write
            )
            return (await tasks.request_rescore(request, session, access, application)).id

        async def read(session: AsyncSession, job_id: uuid.UUID) -> Job:
            return await _own_job(session, info, job_id)

        return await idempotent(info, idempotency_key, "rescoreApplication", {"id": id}, queue, read)

    @strawberry.mutation(
        description="Queue the CSV of the job's applications, ranked, as you may see them (blind screening "
        "applies). Follow the returned job; once it has succeeded, download the file from REST's "
        "`GET /v1/organizations/{org}/jobs/{job}/applications/exports/{jobId}`."
    )
    async def export_applications(
        self, info: GraphInfo, job_posting_id: strawberry.ID, idempotency_key: IdempotencyKey = None
    ) -> QueuedJobResult:
        request = info.context.request

        async def queue(session: AsyncSession) -> uuid.UUID:
            organization_id, posting_id = recruiting_keys(job_posting_id, "JobPosting", 2)
            access = await writer_access(info, session, organization_id, Operation.applications_read)
            posting = await posting_service.get(session, access, posting_id)
            job = await privacy.request_export(request, session, access, posting)
            await audit.record(session, access, AccessAction.export_requested, posting_id=posting.id)
            return job.id

        async def read(session: AsyncSession, job_id: uuid.UUID) -> Job:
            return await _own_job(session, info, job_id)

        arguments = {"jobPostingId": job_posting_id}
        return await idempotent(info, idempotency_key, "exportApplications", arguments, queue, read)
