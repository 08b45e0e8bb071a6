"""Job postings of an organisation (URL: /organizations/{org_id}/jobs)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from shortlist.http.deps import Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.merge_patch import changes_of
from shortlist.kit.pagination import Page, by_updated
from shortlist.models import JobPosting
from shortlist.organization.access import JobsReader, JobsWriter
from shortlist.posting import repository, service
from shortlist.posting.schemas import PostingCreate, PostingOut, PostingStatus, PostingUpdate, StagesReplace

router = APIRouter(tags=["jobs"], route_class=TransactionalRoute, dependencies=[Depends(idempotency)])

JOBS = "/organizations/{org_id}/jobs"
JOB = JOBS + "/{posting_id}"


async def _out(session: Session, posting: JobPosting, response: Response) -> PostingOut:
    response.headers["ETag"] = service.etag_of(posting)
    managers = await repository.manager_ids(session, [posting.id])
    return service.to_out(posting, managers[posting.id])


@router.post(JOBS, status_code=status.HTTP_201_CREATED, operation_id="create_job_posting")
async def create_posting(
    body: PostingCreate, access: JobsWriter, session: Session, request: Request, response: Response
) -> PostingOut:
    """A draft job. The description is read into requirements (`extracted`); what you set in
    `requirements` wins. Send `Idempotency-Key` to make retries safe."""
    posting = await service.create(session, access, body)
    response.headers["Location"] = str(
        request.url_for("get_posting", org_id=access.organization.id, posting_id=posting.id)
    )
    return await _out(session, posting, response)


@router.get(JOBS, operation_id="list_job_postings")
async def list_postings(
    access: JobsReader,
    session: Session,
    paging: Paging,
    status_filter: Annotated[PostingStatus | None, Query(alias="status")] = None,
) -> Page[PostingOut]:
    """The organisation's jobs, most recently changed first (a hiring manager sees the jobs they are on)."""
    scope = f"jobs:{access.organization.id}:{access.user_id}:{status_filter or ''}"
    rows = await repository.page(
        session, access, limit=paging.limit, after=paging.position(scope), status=status_filter
    )
    managers = await repository.manager_ids(session, [p.id for p in rows[: paging.limit]])
    return paging.page(
        scope, rows, PostingOut, key=by_updated, item=lambda p: service.to_out(p, managers[p.id])
    )


@router.get(JOB, operation_id="get_job_posting", responses={304: {}})
async def get_posting(
    posting_id: uuid.UUID, access: JobsReader, session: Session, request: Request, response: Response
) -> Any:
    posting = await service.get(session, access, posting_id)
    etag = service.etag_of(posting)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return await _out(session, posting, response)


@router.patch(JOB, operation_id="update_job_posting")
async def update_posting(
    posting_id: uuid.UUID,
    body: PostingUpdate,
    access: JobsWriter,
    session: Session,
    request: Request,
    response: Response,
) -> PostingOut:
    """Change fields; a new title or description is read again. Send `If-Match` with the ETag you read."""
    posting = await service.get(session, access, posting_id)
    check_if_match(request, service.etag_of(posting))
    await service.update(session, access, posting, changes_of(body))
    return await _out(session, posting, response)


async def _transition(
    posting_id: uuid.UUID,
    target: PostingStatus,
    access: JobsWriter,
    session: Session,
    request: Request,
    response: Response,
) -> PostingOut:
    posting = await service.get(session, access, posting_id)
    check_if_match(request, service.etag_of(posting))
    await service.transition(session, access, posting, target)
    return await _out(session, posting, response)


@router.post(JOB + "/open", operation_id="open_job_posting")
async def open_posting(
    posting_id: uuid.UUID, access: JobsWriter, session: Session, request: Request, response: Response
) -> PostingOut:
    """Publish on the careers page (from draft or closed); emits `job.opened`."""
    return await _transition(posting_id, PostingStatus.open, access, session, request, response)


@router.post(JOB + "/close", operation_id="close_job_posting")
async def close_posting(
    posting_id: uuid.UUID, access: JobsWriter, session: Session, request: Request, response: Response
) -> PostingOut:
    """Stop taking applications; emits `job.closed`."""
    return await _transition(posting_id, PostingStatus.closed, access, session, request, response)


@router.post(JOB + "/archive", operation_id="archive_job_posting")
async def archive_posting(
    posting_id: uuid.UUID, access: JobsWriter, session: Session, request: Request, response: Response
) -> PostingOut:
    """Archive a draft or closed job (read-only from then on)."""
    return await _transition(posting_id, PostingStatus.archived, access, session, request, response)


@router.put(JOB + "/stages", operation_id="replace_job_stages")
async def replace_stages(
    posting_id: uuid.UUID,
    body: StagesReplace,
    access: JobsWriter,
    session: Session,
    request: Request,
    response: Response,
) -> PostingOut:
    """Rename, reorder, add or remove pipeline stages (applied, hired and rejected stay; a stage that still
    holds applications cannot go). Send `If-Match`."""
    posting = await service.get(session, access, posting_id)
    check_if_match(request, service.etag_of(posting))
    await service.replace_stages(session, posting, body.stages)
    return await _out(session, posting, response)
