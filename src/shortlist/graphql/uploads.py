"""Resume files over GraphQL (the multipart request spec): the same service call as REST's upload routes
(check size, type and structure, store the file, queue `ats.parse_upload`), answering with the Job to
follow with `job(id)` or `jobProgress(id)`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from shortlist.ats import service as ats_service
from shortlist.ats.runner import get_runner
from shortlist.ats.schemas import UploadAction
from shortlist.auth.scopes import Scope
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.results import ConflictProblem, NotFoundProblem, ValidationProblem, run_mutation
from shortlist.graphql.types import Job
from shortlist.kit.problems import BadRequest

UploadJobResult = Annotated[
    Job | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("UploadJobResult")
]
FileArgument = Annotated[
    Upload,
    strawberry.argument(
        description="A resume: PDF, DOCX or plain text (identified by content), sent as a multipart part."
    ),
]


async def _enqueue(
    info: GraphInfo, file: Any, action: UploadAction, scope: Scope, **options: Any
) -> UploadJobResult:
    subject = require(info, scope)
    if not isinstance(file, UploadFile):
        # `Upload` values only come from a multipart request's `map`; JSON cannot carry a file.
        raise BadRequest("`file` must be a file part of a multipart/form-data request (see `map`).")
    context = info.context
    runner = await get_runner(context.request)

    async def enqueue(session: AsyncSession) -> Job:
        found = ats_service.report_options(**options) if action == "report" else {}
        row = await ats_service.enqueue_upload(
            context.request, session, runner, subject, file, action, **found
        )
        return Job.of(row)

    return await run_mutation(info, enqueue)


@strawberry.type
class UploadMutations:
    @strawberry.mutation(
        description="Queue the parse of a resume file (as POST /v1/ats/parse): the job's `result` is the "
        "parse; a file that cannot be read fails the job with the problem in `error`."
    )
    async def parse_resume_file(self, info: GraphInfo, file: FileArgument) -> UploadJobResult:
        return await _enqueue(info, file, "parse", Scope.resumes_read)

    @strawberry.mutation(
        description="Queue an ATS report on a resume file (as POST /v1/ats/report): the job's `result` "
        "holds the score, checks, bullet feedback, and the match against `job` and the `profile` score "
        "when given."
    )
    async def report_resume_file(
        self,
        info: GraphInfo,
        file: FileArgument,
        job: Annotated[
            str | None,
            strawberry.argument(
                description="Job posting: plain text, or a JSON Resume job document as JSON text."
            ),
        ] = None,
        profile: Annotated[
            str | None, strawberry.argument(description="Role profile id (see `atsProfiles`).")
        ] = None,
    ) -> UploadJobResult:
        return await _enqueue(info, file, "report", Scope.resumes_read, job=job, profile=profile)

    @strawberry.mutation(
        description="Queue the creation of a resume from a file (as POST /v1/resumes/import-file): the "
        "job's `result` names the new resume (`resume_id`)."
    )
    async def import_resume_file(self, info: GraphInfo, file: FileArgument) -> UploadJobResult:
        return await _enqueue(info, file, "import", Scope.resumes_write)
