"""Recruiter writes on applications: move (with `expectedVersion`, REST's If-Match), bulk move, shortlist
and score override, tags, ratings and notes — the same service calls and role checks as REST's routes."""

from __future__ import annotations

import contextlib
import uuid
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from shortlist.application import collaboration, search
from shortlist.application import service as application_service
from shortlist.application.exceptions import ApplicationNotFound
from shortlist.application.schemas import (
    ApplicationUpdate,
    BulkMove,
    Move,
    NoteCreate,
    RatingSet,
    TagsReplace,
)
from shortlist.graphql.applications import Application, Note, RatingSummary
from shortlist.graphql.context import GraphInfo
from shortlist.graphql.recruiting_common import recruiting_keys, writer_access
from shortlist.graphql.recruiting_mutations import IdempotencyKey
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.http.route import on_after_commit
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.models import Application as ApplicationRow
from shortlist.models import ApplicationNote
from shortlist.models import JobPosting as PostingRow
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service

ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(description="The version you read (If-Match): a stale one gets a ConflictProblem."),
]

ApplicationResult = Annotated[
    Application | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("ApplicationResult")
]


@strawberry.type(description="What a bulk move did: all or nothing (an unknown id fails the whole move).")
class BulkMoveOutcome:
    moved: list[uuid.UUID]
    unchanged: list[uuid.UUID] = strawberry.field(description="Already there, or withdrawn.")


BulkMoveResult = Annotated[
    BulkMoveOutcome | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("BulkMoveResult"),
]
NoteResult = Annotated[
    Note | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("NoteResult")
]
RatingResult = Annotated[
    RatingSummary | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("RatingResult")
]


@strawberry.input(description="Only the fields given change.")
class ApplicationPatch:
    shortlisted: bool | None = strawberry.UNSET
    override_score: int | None = strawberry.field(
        default=strawberry.UNSET, description="Wins over the score in the ranking; null clears it."
    )


async def _application_for_write(
    info: GraphInfo, session: AsyncSession, raw_id: str, operation: Operation
) -> tuple[Access, PostingRow, ApplicationRow]:
    organization_id, posting_id, application_id = recruiting_keys(raw_id, "Application", 3)
    access = await writer_access(info, session, organization_id, operation)
    posting = await posting_service.get(session, access, posting_id)
    application = await application_service.get_for_job(session, posting, application_id)
    return access, posting, application


def _forget(loader: DataLoader[uuid.UUID, Any], key: uuid.UUID) -> None:
    """Drop a loader's cached answer after a write, so later fields of the same document read afresh."""
    with contextlib.suppress(KeyError):
        loader.clear(key)


def _check_version(application: ApplicationRow, expected: int | None) -> None:
    check_expected_version(application.version, expected, application_service.etag_of(application))


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(
        description="Move to another stage, recording who, when and why (`rejectionReason` when rejecting). "
        "Send `expectedVersion`: of two people moving the same version, one gets a ConflictProblem."
    )
    async def move_application(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        stage: str,
        reason: str | None = None,
        rejection_reason: str | None = None,
        expected_version: ExpectedVersion = None,
    ) -> ApplicationResult:
        async def work(session: AsyncSession) -> Application:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_write
            )
            _check_version(application, expected_version)
            body = validated(Move, {"stage": stage, "reason": reason, "rejection_reason": rejection_reason})
            await application_service.move_one(
                session, access, posting, application, body.stage, body.reason, body.rejection_reason
            )
            return Application.of(access, posting, application)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Move many applications of one job at once (all or nothing).")
    async def bulk_move_applications(
        self,
        info: GraphInfo,
        job_posting_id: strawberry.ID,
        application_ids: list[uuid.UUID],
        stage: str,
        reason: str | None = None,
        rejection_reason: str | None = None,
    ) -> BulkMoveResult:
        async def work(session: AsyncSession) -> BulkMoveOutcome:
            organization_id, posting_id = recruiting_keys(job_posting_id, "JobPosting", 2)
            access = await writer_access(info, session, organization_id, Operation.applications_write)
            posting = await posting_service.get(session, access, posting_id)
            body = validated(
                BulkMove,
                {
                    "application_ids": [str(i) for i in application_ids],
                    "stage": stage,
                    "reason": reason,
                    "rejection_reason": rejection_reason,
                },
            )
            moved, unchanged = await application_service.move_many(
                session, access, posting, body.application_ids, body.stage, body.reason, body.rejection_reason
            )
            return BulkMoveOutcome(moved=moved, unchanged=unchanged)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Shortlist (lifts blind screening for that candidate) or override the score. "
        "Send `expectedVersion`."
    )
    async def update_application(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        input: ApplicationPatch,
        expected_version: ExpectedVersion = None,
    ) -> ApplicationResult:
        changes = {
            name: getattr(input, name)
            for name in ("shortlisted", "override_score")
            if getattr(input, name) is not strawberry.UNSET
        }

        async def work(session: AsyncSession) -> Application:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_write
            )
            _check_version(application, expected_version)
            body = validated(ApplicationUpdate, changes)
            await application_service.update(session, access.organization, application, changes_of(body))
            return Application.of(access, posting, application)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Replace the application's tags (recruiter and up).")
    async def set_application_tags(
        self, info: GraphInfo, id: strawberry.ID, tags: list[str]
    ) -> ApplicationResult:
        async def work(session: AsyncSession) -> Application:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_write
            )
            body = validated(TagsReplace, {"tags": tags})
            await collaboration.set_tags(session, access.organization, application, body.tags)
            _forget(info.context.recruiting.tags, application.id)
            return Application.of(access, posting, application)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Your 1–5 rating (one per member; sending again replaces it).")
    async def rate_application(self, info: GraphInfo, id: strawberry.ID, rating: int) -> RatingResult:
        async def work(session: AsyncSession) -> RatingSummary:
            access, _posting, application = await _application_for_write(
                info, session, id, Operation.applications_comment
            )
            body = validated(RatingSet, {"rating": rating})
            summary = await collaboration.rate(
                session, access.organization, application, access.user_id, body.rating
            )
            _forget(info.context.recruiting.ratings, application.id)
            return RatingSummary(average=summary.average, count=summary.count, mine=summary.mine)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="A note; `@member@example.com` mentions a member of the organisation, who gets an e-mail."
    )
    async def add_application_note(
        self, info: GraphInfo, id: strawberry.ID, body: str, idempotency_key: IdempotencyKey = None
    ) -> NoteResult:
        context = info.context

        async def create(session: AsyncSession) -> uuid.UUID:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_comment
            )
            checked = validated(NoteCreate, {"body": body})
            note, addresses = await collaboration.add_note(
                session, access.organization, application, access.user_id, checked.body
            )
            await search.reindex(session, application.id)
            subject, text = collaboration.mention_mail(posting, access.organization, application.id)

            async def notify() -> None:
                for address in addresses:
                    await context.app.mailer.send(address, subject, text)

            on_after_commit(context.request, notify)
            _forget(context.recruiting.notes, application.id)
            return note.id

        async def read(session: AsyncSession, note_id: uuid.UUID) -> Note:
            access, posting, application = await _application_for_write(
                info, session, id, Operation.applications_comment
            )
            note = await session.get(ApplicationNote, note_id)
            if note is None or note.application_id != application.id:
                raise ApplicationNotFound()
            scrub = application_service.scrubber_for(access, posting, application)
            out = collaboration.note_out(note, scrub.text(note.body) if scrub else None)
            return Note(
                note_id=out.id,
                author_id=out.author_id,
                body=out.body,
                mentions=out.mentions,
                created_at=out.created_at,
            )

        arguments = {"id": id, "body": body}
        return await idempotent(info, idempotency_key, "addApplicationNote", arguments, create, read)
