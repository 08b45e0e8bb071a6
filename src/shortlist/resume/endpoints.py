from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from shortlist.auth.dependencies import LimitedCaller, ResumeReader, ResumeWriter
from shortlist.auth.scopes import Scope
from shortlist.auth.subject import Subject, prefetched
from shortlist.context import get_context
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.pagination import Page, by_updated
from shortlist.kit.problems import BadRequest, UnsupportedMediaType
from shortlist.models import Resume
from shortlist.resume import repository, service
from shortlist.resume.cache import read_through, resume_key, unpack_fetched
from shortlist.resume.exceptions import VersionNotFound
from shortlist.resume.jsonresume import EXAMPLE_DOCUMENT, ResumeDocument
from shortlist.resume.schemas import (
    ResumeCreate,
    ResumeOut,
    ResumeReplace,
    ResumeSummary,
    VersionOut,
    VersionSummary,
)

router = APIRouter(
    prefix="/resumes", tags=["resumes"], route_class=TransactionalRoute, dependencies=[Depends(idempotency)]
)

VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="Version number, from 1.")]
ETAG_HEADERS = {"ETag": {"description": "Version tag; send it back in If-Match to update safely."}}


def _out(resume: Resume, response: Response) -> ResumeOut:
    response.headers["ETag"] = service.etag_of(resume)
    return ResumeOut.model_validate(resume)


def _created(resume: Resume, request: Request, response: Response) -> ResumeOut:
    response.headers["Location"] = str(request.url_for("get_resume", resume_id=resume.id))
    return _out(resume, response)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_resume",
    responses={201: {"headers": ETAG_HEADERS}},
)
async def create_resume(
    body: ResumeCreate,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> ResumeOut:
    """Create a resume from a JSON Resume document. Send `Idempotency-Key` to make retries safe."""
    resume = await service.create(context.settings, session, subject, body.title, body.content.to_json())
    return _created(resume, request, response)


@router.post("/import", status_code=status.HTTP_201_CREATED, operation_id="import_resume")
async def import_resume(
    document: Annotated[ResumeDocument, Body(examples=[EXAMPLE_DOCUMENT])],
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    title: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> ResumeOut:
    """Create a resume from a bare JSON Resume document; every property is kept."""
    content = document.to_json()
    chosen = service.import_title(content, title)
    resume = await service.create(context.settings, session, subject, chosen, content)
    return _created(resume, request, response)


@router.get("", operation_id="list_resumes")
async def list_resumes(
    subject: ResumeReader,
    session: Session,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=200, description="Only titles containing this text.")] = None,
    deleted: Annotated[bool, Query(description="List the trash (soft-deleted resumes) instead.")] = False,
) -> Page[ResumeSummary]:
    """Your resumes, most recently updated first."""
    scope = service.list_cursor_scope(subject, q, deleted)
    rows = await repository.list_page(
        session, subject, limit=paging.limit, after=paging.position(scope), title_contains=q, deleted=deleted
    )
    return paging.page(scope, rows, ResumeSummary, key=by_updated)


# The most requested route has a router of its own: no router-level dependencies (rate limit, idempotency),
# one dependency that resolves the caller, its rate limit and its access at once (`api.hot_router`).
read_router = APIRouter(prefix="/resumes", tags=["resumes"], route_class=TransactionalRoute)


def _cached_resume_key(request: Request, user_id: uuid.UUID) -> str | None:
    """The cache entry `get_resume` reads, read by its caller dependency with the account state."""
    if get_context(request).settings.resume_cache_ttl_seconds == 0:
        return None
    try:
        return resume_key(user_id, uuid.UUID(request.path_params["resume_id"]))
    except (KeyError, ValueError):
        return None  # not a resume id: validation answers 422 after authentication


# The hot read's one dependency (see LimitedCaller): the resume entry comes with the account state.
_cached_resume_reader = LimitedCaller(Scope.resumes_read, along=_cached_resume_key)
CachedResumeReader = Annotated[Subject, Depends(_cached_resume_reader)]


async def serve_cached_resume(request: Request) -> Response | None:
    """`get_resume` before routing (http/fast_path.py): the answer when the caller's account state came with
    the resume's cache entry, else None and the route answers (a miss, a malformed id)."""
    if get_context(request).settings.resume_cache_ttl_seconds == 0:
        return None
    await _cached_resume_reader(request)
    # The entry `_cached_resume_key` named for this caller and path (none for a malformed id: 422 follows).
    fetched = prefetched(request)
    if fetched is None:
        return None
    return _resume_response(request, *unpack_fetched(fetched))


@read_router.get(
    "/{resume_id}", operation_id="get_resume", responses={200: {"headers": ETAG_HEADERS}, 304: {}}
)
async def get_resume(resume_id: uuid.UUID, subject: CachedResumeReader, request: Request) -> Any:
    """One resume. Send `If-None-Match` with its ETag to get 304 when it has not changed."""
    context = get_context(request)
    # The session is opened only on a miss: a cache hit touches no database object at all, and answers with
    # the body and ETag stored together (serialised once, when the entry was filled).
    ttl = context.settings.resume_cache_ttl_seconds
    if ttl == 0:
        resume = await service.get(await get_session(request), subject, resume_id)
        etag, body = service.etag_of(resume), _body_of(resume)
    else:

        async def load() -> tuple[str, bytes]:
            resume = await service.get(await get_session(request), subject, resume_id)
            return service.etag_of(resume), _body_of(resume)

        key = resume_key(subject.user_id, resume_id)
        etag, body = await read_through(context.cache, key, ttl, load, prefetched(request, key))
    return _resume_response(request, etag, body)


def _resume_response(request: Request, etag: str, body: bytes) -> Response:
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


def _body_of(resume: Resume) -> bytes:
    return ResumeOut.model_validate(resume).model_dump_json().encode()


@router.put("/{resume_id}", operation_id="replace_resume")
async def replace_resume(
    resume_id: uuid.UUID,
    body: ResumeReplace,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> ResumeOut:
    """Replace title and content. Send `If-Match` with the ETag you read: a stale one gets 412."""
    resume = await service.get(session, subject, resume_id)
    check_if_match(request, service.etag_of(resume))
    await service.replace(context.settings, session, resume, body.title, body.content.to_json())
    return _out(resume, response)


MERGE_PATCH = "application/merge-patch+json"


@router.patch(
    "/{resume_id}",
    operation_id="patch_resume",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {MERGE_PATCH: {"schema": {"type": "object"}, "example": {"title": "New title"}}},
        }
    },
)
async def patch_resume(
    resume_id: uuid.UUID,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> ResumeOut:
    """JSON Merge Patch (RFC 7396) of `{"title", "content"}`: `null` removes a property."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in (MERGE_PATCH, "application/json"):
        raise UnsupportedMediaType(
            f"PATCH takes {MERGE_PATCH} (or application/json), not {media_type or 'nothing'}."
        )
    try:
        patch = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    resume = await service.get(session, subject, resume_id)
    check_if_match(request, service.etag_of(resume))
    await service.merge_patch(context.settings, session, resume, patch)
    return _out(resume, response)


@router.delete("/{resume_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_resume")
async def delete_resume(
    resume_id: uuid.UUID, subject: ResumeWriter, session: Session, request: Request
) -> None:
    """Move to the trash; `POST /v1/resumes/{id}/restore` brings it back."""
    resume = await service.get(session, subject, resume_id)
    check_if_match(request, service.etag_of(resume))
    await service.soft_delete(session, resume)


@router.post("/{resume_id}/restore", operation_id="restore_resume")
async def restore_resume(
    resume_id: uuid.UUID, subject: ResumeWriter, session: Session, response: Response
) -> ResumeOut:
    """Take a resume out of the trash."""
    return _out(await service.restore(session, subject, resume_id), response)


@router.post("/{resume_id}/duplicate", status_code=status.HTTP_201_CREATED, operation_id="duplicate_resume")
async def duplicate_resume(
    resume_id: uuid.UUID,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> ResumeOut:
    """Copy a resume (content and title) into a new one."""
    source = await service.get(session, subject, resume_id)
    return _created(await service.duplicate(context.settings, session, subject, source), request, response)


@router.get("/{resume_id}/export", operation_id="export_resume")
async def export_resume(
    resume_id: uuid.UUID, subject: ResumeReader, session: Session, request: Request
) -> Any:
    """The bare JSON Resume document, as imported."""
    resume = await service.get(session, subject, resume_id)
    etag = service.etag_of(resume)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(resume.content, headers={"ETag": etag})


@router.get("/{resume_id}/versions", operation_id="list_resume_versions")
async def list_versions(
    resume_id: uuid.UUID, subject: ResumeReader, session: Session, paging: Paging
) -> Page[VersionSummary]:
    """Saved versions, newest first."""
    resume = await service.get(session, subject, resume_id)
    scope = service.versions_cursor_scope(resume.id)
    position = paging.raw_position(scope)
    before = int(position[1]) if position else None
    rows = await repository.versions_page(session, resume.id, limit=paging.limit, before=before)
    return paging.page(scope, rows, VersionSummary, key=lambda v: (v.created_at, str(v.version)))


@router.get("/{resume_id}/versions/{number}", operation_id="get_resume_version")
async def get_version(
    resume_id: uuid.UUID, number: VersionNumber, subject: ResumeReader, session: Session
) -> VersionOut:
    """One saved version."""
    resume = await service.get(session, subject, resume_id)
    snapshot = await repository.version(session, resume.id, number)
    if snapshot is None:
        raise VersionNotFound(number)
    return VersionOut.model_validate(snapshot)


@router.post("/{resume_id}/versions/{number}/restore", operation_id="restore_resume_version")
async def restore_version(
    resume_id: uuid.UUID,
    number: VersionNumber,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> ResumeOut:
    """Make an old version the current one (as a new version: history is never rewritten)."""
    resume = await service.get(session, subject, resume_id)
    check_if_match(request, service.etag_of(resume))
    return _out(await service.restore_version(context.settings, session, resume, number), response)
