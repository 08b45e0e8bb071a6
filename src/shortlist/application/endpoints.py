"""A job's applications as the organisation sees them: ranked with reasons, filtered, moved through the
pipeline, overridden and shortlisted (URL: /organizations/{org_id}/jobs/{posting_id}/applications)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import StringConstraints

from shortlist.application import collaboration, ranking, repository, service, tasks
from shortlist.application.audit.recording import Audited, record_listed
from shortlist.application.audit.service import AccessAction
from shortlist.application.exceptions import ApplicationNotFound, ResumeNotReady
from shortlist.application.schemas import (
    ApplicationDetail,
    ApplicationOut,
    ApplicationUpdate,
    BulkMove,
    BulkMoveResult,
    Move,
    StageId,
)
from shortlist.design.http import PngPage, PngPpi, render_response
from shortlist.http.deps import Context, Paging, Session, release_read
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.job.schemas import JobOut
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.merge_patch import changes_of
from shortlist.kit.pagination import Page, set_next_link
from shortlist.kit.problems import Forbidden
from shortlist.models import Application, JobPosting
from shortlist.organization.access import ApplicationsReader, ApplicationsWriter
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service
from shortlist.rendering import Design, OutputFormat

# Idempotency-Key on the POSTs that create something (jobs); a move is guarded by If-Match instead.
router = APIRouter(tags=["applications"], route_class=TransactionalRoute)

APPS = "/organizations/{org_id}/jobs/{posting_id}/applications"
APP = APPS + "/{application_id}"


async def _detail(
    session: Session, access: Access, posting: JobPosting, application: Application, response: Response
) -> ApplicationDetail:
    response.headers["ETag"] = service.etag_of(application)
    moves = await repository.moves_of(session, application.id)
    tags = await repository.tags_of(session, [application.id])
    ratings = await repository.ratings_of(session, [application.id])
    detail = service.present(
        access,
        posting,
        application,
        moves,
        tags=tags[application.id],
        rating=collaboration.rating_summary(ratings[application.id], access.user_id),
    )
    assert isinstance(detail, ApplicationDetail)
    return detail


@router.get(APPS, operation_id="list_applications")
async def list_applications(
    posting_id: uuid.UUID,
    access: ApplicationsReader,
    session: Session,
    paging: Paging,
    request: Request,
    stage: Annotated[StageId | None, Query()] = None,
    shortlisted: Annotated[bool | None, Query()] = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    min_years: Annotated[float | None, Query(ge=0, le=60)] = None,
    applied_after: Annotated[datetime | None, Query()] = None,
    applied_before: Annotated[datetime | None, Query()] = None,
    include_withdrawn: bool = False,
    skill: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None,
        Query(max_length=20, description="Repeat for several; see skills_mode."),
    ] = None,
    skills_mode: Annotated[Literal["all", "any"], Query(description="Every listed skill, or any.")] = "all",
    tag: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] | None,
        Query(max_length=20, description="Any of these tags."),
    ] = None,
    min_rating: Annotated[float | None, Query(ge=1, le=5, description="Average member rating.")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Full-text search in resumes and notes.")
    ] = None,
) -> Page[ApplicationOut]:
    """Ranked: the recruiter's override, else the score, best first (unscored last). Each item carries the
    explanation: matched requirements with the resume line that proves each, what is missing, years and
    seniority. On a blind job, identities are hidden below admin until shortlisted. Each page is on the
    candidate-data access log: one `applications.listed` entry per application it shows."""
    posting = await posting_service.get(session, access, posting_id)
    arguments = ranking.ListArguments(
        stage=stage,
        shortlisted=shortlisted,
        min_score=min_score,
        max_score=max_score,
        min_years=min_years,
        applied_after=applied_after,
        applied_before=applied_before,
        include_withdrawn=include_withdrawn,
        skills=tuple(skill or ()),
        all_skills=skills_mode == "all",
        tags=tuple(tag or ()),
        min_rating=min_rating,
        q=q,
    )
    # The ranked list pages by (rank, id), shared with GraphQL's connection (application/ranking.py).
    page = await ranking.ranked(
        session, paging.cursors, access, posting, arguments, paging.limit, paging.cursor
    )
    record_listed(request, access, posting.id, page.items)
    next_cursor = page.next_cursor(paging.cursors)
    set_next_link(paging.url, paging.headers, next_cursor)
    ids = [a.id for a in page.items]
    tags, ratings = await repository.tags_of(session, ids), await repository.ratings_of(session, ids)
    out = [
        service.present(
            access,
            posting,
            a,
            tags=tags[a.id],
            rating=collaboration.rating_summary(ratings[a.id], access.user_id),
            snippet=page.snippets.get(a.id),
        )
        for a in page.items
    ]
    return Page[ApplicationOut](items=out, next_cursor=next_cursor)


@router.get(
    APP,
    operation_id="get_application",
    responses={304: {}},
    dependencies=[Depends(Audited(AccessAction.application_read))],
)
async def get_application(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    access: ApplicationsReader,
    session: Session,
    request: Request,
    response: Response,
) -> Any:
    """One application with its (frozen) resume, explanation and the record of every move."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    etag = service.etag_of(application)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return await _detail(session, access, posting, application, response)


@router.patch(APP, operation_id="update_application")
async def update_application(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    body: ApplicationUpdate,
    access: ApplicationsWriter,
    session: Session,
    request: Request,
    response: Response,
) -> ApplicationDetail:
    """Override the score (it wins in the ranking) or set the shortlist flag. Send `If-Match`."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    check_if_match(request, service.etag_of(application))
    await service.update(session, access.organization, application, changes_of(body))
    return await _detail(session, access, posting, application, response)


@router.post(APP + "/move", operation_id="move_application")
async def move_application(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    body: Move,
    access: ApplicationsWriter,
    session: Session,
    request: Request,
    response: Response,
) -> ApplicationDetail:
    """Move to another stage, recording who, when and why (`rejection_reason` when rejecting). Send
    `If-Match` with the ETag you read: two recruiters moving the same application cannot both win."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    check_if_match(request, service.etag_of(application))
    await service.move_one(
        session, access, posting, application, body.stage, body.reason, body.rejection_reason
    )
    return await _detail(session, access, posting, application, response)


@router.post(APPS + "/bulk-move", operation_id="bulk_move_applications")
async def bulk_move(
    posting_id: uuid.UUID, body: BulkMove, access: ApplicationsWriter, session: Session
) -> BulkMoveResult:
    """Move many applications of this job at once (all or none: an unknown id fails the whole request)."""
    posting = await posting_service.get(session, access, posting_id)
    moved, unchanged = await service.move_many(
        session, access, posting, body.application_ids, body.stage, body.reason, body.rejection_reason
    )
    return BulkMoveResult(moved=moved, unchanged=unchanged)


@router.post(
    APP + "/rescore",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="rescore_application",
    dependencies=[Depends(idempotency)],
)
async def rescore_application(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    access: ApplicationsWriter,
    session: Session,
    request: Request,
) -> JobOut:
    """Score again (e.g. after the job's requirements were corrected); follow the returned job."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    job = await tasks.request_rescore(request, session, access, application)
    return JobOut.model_validate(job)


@router.get(
    APP + "/resume",
    operation_id="render_application_resume",
    response_class=Response,
    dependencies=[Depends(Audited(AccessAction.resume_rendered))],
    responses={
        200: {
            "content": {"application/pdf": {}, "image/png": {}},
            "description": "The application's resume, rendered. `X-Page-Count`; a strong `ETag`.",
        },
        304: {"description": "Unchanged since the ETag in If-None-Match."},
    },
)
async def render_application_resume(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    access: ApplicationsReader,
    context: Context,
    session: Session,
    request: Request,
    fmt: Annotated[Literal["pdf", "png"], Query(alias="format", description="Output format.")] = "pdf",
    page: PngPage = None,
    ppi: PngPpi = None,
) -> Response:
    """The application's frozen resume in Shortlist's default design, as this reader may see it: on a blind job
    the same redactions as the JSON (no name, contacts or photo; schools if the job hides them)."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    document = service.visible_resume(access, posting, application)
    if document is None:
        raise ResumeNotReady(
            "The resume is not readable yet (the file is still being parsed, or could not be)."
        )
    await release_read(session)  # a queued render must not hold a database connection
    return await render_response(
        context,
        request,
        document,
        Design(),
        OutputFormat.PNG if fmt == "png" else OutputFormat.PDF,
        page=page,
        ppi=ppi,
        title="application-resume",
    )


@router.get(
    APP + "/file",
    operation_id="download_application_file",
    response_class=Response,
    dependencies=[Depends(Audited(AccessAction.file_downloaded))],
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_file(
    posting_id: uuid.UUID, application_id: uuid.UUID, access: ApplicationsReader, session: Session
) -> Response:
    """The file a guest applied with. Not on a blind job before the shortlist (below admin): it names them."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    if service.hides_identity(access, posting, application):
        raise Forbidden("Blind screening: the original file is available once the candidate is shortlisted.")
    stored = await repository.file_of(session, application.id)
    if stored is None:
        raise ApplicationNotFound()
    media = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "txt": "text/plain; charset=utf-8",
    }[stored.file_type]
    return Response(
        stored.content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="application.{stored.file_type}"'},
    )
