"""The candidate's side: your applications with their stage, applying with one of your resumes, and
withdrawing — REST's `/v1/applications` routes, with the same scopes (`resumes:read`) and service calls."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from shortlist.application import privacy
from shortlist.application import repository as application_repository
from shortlist.application import service as application_service
from shortlist.application.exceptions import ApplicationNotFound
from shortlist.application.schemas import MyApplication as MyApplicationOut
from shortlist.application.submission import apply_with_own_resume, mine
from shortlist.auth.scopes import Scope
from shortlist.graphql.context import GraphInfo, authorized_as, require
from shortlist.graphql.ids import global_id, uuid_of
from shortlist.graphql.organization_mutations import (
    CandidateDataExport,
    CandidateErasure,
    CandidateErasureResult,
)
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
)
from shortlist.graphql.types import Connection, Edge, Node, PageInfo, page_size
from shortlist.kit.pagination import page_of

First = Annotated[int | None, strawberry.argument(description="Page size (at most 100).")]
After = Annotated[str | None, strawberry.argument(description="`endCursor` of the previous page.")]
IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="Makes a retry safe: the same key and arguments give the first result."),
]


@strawberry.type(description="One of your applications, as you see it.")
class MyApplication(Node):
    id: strawberry.ID
    application_id: uuid.UUID
    job_posting_id: uuid.UUID
    job_title: str
    organization: str
    status: str
    stage: str = strawberry.field(description="The stage's id.")
    stage_name: str = strawberry.field(description="The stage's current name.")
    created_at: datetime
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, out: MyApplicationOut) -> MyApplication:
        return cls(
            id=strawberry.ID(global_id("MyApplication", out.id)),
            application_id=out.id,
            job_posting_id=out.posting_id,
            job_title=out.job_title,
            organization=out.organization,
            status=out.status,
            stage=out.stage,
            stage_name=out.stage_name,
            created_at=out.created_at,
            withdrawn_at=out.withdrawn_at,
        )


MyApplicationResult = Annotated[
    MyApplication | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("MyApplicationResult"),
]


async def my_application(info: GraphInfo, raw_id: str) -> MyApplication | None:
    subject = require(info, Scope.resumes_read)
    async with info.context.gate.use() as session:
        found = await application_repository.mine(session, subject.user_id, uuid_of(raw_id, "MyApplication"))
    return MyApplication.of(mine(*found)) if found is not None else None


@strawberry.type
class CandidateQuery:
    @strawberry.field(description="Your applications with each one's stage, newest first.")
    async def my_applications(
        self, info: GraphInfo, first: First = None, after: After = None
    ) -> Connection[MyApplication]:
        subject = require(info, Scope.resumes_read)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = f"my-applications:{subject.user_id}"
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await application_repository.mine_page(session, subject.user_id, position, size)
        items, more = page_of(rows, size)
        edges = [
            Edge(
                cursor=cursors.encode(scope, row[0].created_at, str(row[0].id)),
                node=MyApplication.of(mine(*row)),
            )
            for row in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(
        description="Everything held about you in your applications (to any organisation): REST's "
        "`GET /v1/candidate-data` document."
    )
    async def my_candidate_data(self, info: GraphInfo) -> CandidateDataExport:
        subject = authorized_as(info, "export_my_candidate_data")
        async with info.context.gate.use() as session:
            document = await privacy.export_mine(session, subject.user_id)
        return CandidateDataExport(data=JSON(document))


@strawberry.type
class CandidateMutations:
    @strawberry.mutation(
        description="Apply in one step with one of your resumes; the application keeps a frozen copy. The same "
        "person applying to the same job again gets a ConflictProblem (duplicate-application)."
    )
    async def apply_with_resume(
        self,
        info: GraphInfo,
        job_posting_id: uuid.UUID,
        resume_id: uuid.UUID,
        idempotency_key: IdempotencyKey = None,
    ) -> MyApplicationResult:
        subject = require(info, Scope.resumes_read)
        context = info.context

        async def create(session: AsyncSession) -> uuid.UUID:
            application, _, _ = await apply_with_own_resume(
                context.app, context.request, session, subject, job_posting_id, resume_id
            )
            return application.id

        async def read(session: AsyncSession, application_id: uuid.UUID) -> MyApplication:
            found = await application_repository.mine(session, subject.user_id, application_id)
            if found is None:
                raise ApplicationNotFound()
            return MyApplication.of(mine(*found))

        arguments = {"jobPostingId": str(job_posting_id), "resumeId": str(resume_id)}
        return await idempotent(info, idempotency_key, "applyWithResume", arguments, create, read)

    @strawberry.mutation(description="Withdraw: it leaves the organisation's ranked list; moves are refused.")
    async def withdraw_application(self, info: GraphInfo, id: strawberry.ID) -> MyApplicationResult:
        subject = require(info, Scope.resumes_read)

        async def work(session: AsyncSession) -> MyApplication:
            found = await application_repository.mine(session, subject.user_id, uuid_of(id, "MyApplication"))
            if found is None:
                raise ApplicationNotFound()
            await application_service.withdraw(session, found[0])
            return MyApplication.of(mine(*found))

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Erase all your applications (to any organisation) and everything derived from them; "
        "your account and resumes stay (a signed-in session with `resumes:write`)."
    )
    async def erase_my_candidate_data(self, info: GraphInfo) -> CandidateErasureResult:
        subject = authorized_as(info, "erase_my_candidate_data")

        async def work(session: AsyncSession) -> CandidateErasure:
            return CandidateErasure(erased_applications=await privacy.erase_mine(session, subject.user_id))

        return await run_mutation(info, work)
