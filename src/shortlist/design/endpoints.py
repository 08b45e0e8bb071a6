"""A resume's saved design, and its rendering to every output format."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from shortlist.auth.dependencies import ResumeReader, ResumeWriter
from shortlist.design import repository, service
from shortlist.design.exceptions import UnsupportedRenderOption
from shortlist.design.http import PngPage, PngPpi, render_response
from shortlist.design.schemas import PdfStandardName, RenderFormat
from shortlist.http.deps import Context, Session, release_read
from shortlist.http.route import TransactionalRoute
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.rendering import Design
from shortlist.rendering.schemas import ColorName, FontSlug, Language, PageSize
from shortlist.resume import service as resume_service

router = APIRouter(prefix="/resumes", tags=["rendering"], route_class=TransactionalRoute)
options_router = APIRouter(prefix="/design-options", tags=["rendering"])

ETAG_HEADERS = {"ETag": {"description": "Design version; send it back in If-Match to update safely."}}
MERGE_PATCH = "application/merge-patch+json"

RENDER_MEDIA: dict[str, dict[str, Any]] = {
    "application/pdf": {},
    "image/png": {},
    "text/html": {},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
    "text/plain": {},
    "text/markdown": {},
    "application/json": {},
}


# RFC 9745: `locale` on the render endpoint was deprecated on this date in favour of `language`.
LOCALE_DEPRECATION = "@1796515200"  # 2026-12-06T00:00:00Z


@options_router.get("", operation_id="get_design_options")
async def get_design_options() -> Response:
    """Every font, colour, language, page size, date format and section a design may use, with the limits
    of the numeric options. No sign-in needed."""
    body = service.design_options().model_dump_json()
    return Response(body, media_type="application/json", headers={"Cache-Control": "public, max-age=3600"})


def _design_response(row_etag: str, design: Design, response: Response) -> Design:
    response.headers["ETag"] = row_etag
    return design


@router.get(
    "/{resume_id}/design",
    operation_id="get_resume_design",
    responses={200: {"headers": ETAG_HEADERS}, 304: {}},
)
async def get_design(
    resume_id: uuid.UUID, subject: ResumeReader, session: Session, request: Request, response: Response
) -> Any:
    """The saved design, or the defaults when none was saved (ETag `"d0"`)."""
    resume = await resume_service.get(session, subject, resume_id)
    row = await repository.get(session, resume.id)
    etag = service.etag_of(row)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return _design_response(etag, service.stored_design(row), response)


@router.put(
    "/{resume_id}/design", operation_id="replace_resume_design", responses={200: {"headers": ETAG_HEADERS}}
)
async def replace_design(
    resume_id: uuid.UUID,
    design: Design,
    subject: ResumeWriter,
    session: Session,
    request: Request,
    response: Response,
) -> Design:
    """Save the design. Options the chosen template does not honour are dropped (they would be ignored).
    Send `If-Match` with the ETag you read: a stale one gets 412."""
    resume = await resume_service.get(session, subject, resume_id)
    row = await service.for_write(session, resume)
    check_if_match(request, service.etag_of(row))
    normalised = service.normalise(design)
    row = await service.save(session, resume, row, normalised)
    return _design_response(service.etag_of(row), normalised, response)


@router.patch(
    "/{resume_id}/design",
    operation_id="patch_resume_design",
    responses={200: {"headers": ETAG_HEADERS}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {MERGE_PATCH: {"schema": {"type": "object"}, "example": {"template": "modern"}}},
        }
    },
)
async def patch_design(
    resume_id: uuid.UUID,
    patch: Annotated[Any, Body(media_type=MERGE_PATCH)],
    subject: ResumeWriter,
    session: Session,
    request: Request,
    response: Response,
) -> Design:
    """JSON Merge Patch of the design; `null` restores an option's default. Changing `template` keeps every
    option the new template honours."""
    resume = await resume_service.get(session, subject, resume_id)
    row = await service.for_write(session, resume)
    check_if_match(request, service.etag_of(row))
    design = service.merged(service.stored_design(row), service.require_object(patch))
    row = await service.save(session, resume, row, design)
    return _design_response(service.etag_of(row), design, response)


@router.get(
    "/{resume_id}/render",
    operation_id="render_resume",
    response_class=Response,
    responses={
        200: {
            "content": RENDER_MEDIA,
            "description": "The rendered resume. `X-Page-Count` for PDF and PNG; a strong `ETag`.",
        },
        304: {"description": "Unchanged since the ETag in If-None-Match."},
    },
)
async def render_resume(
    resume_id: uuid.UUID,
    subject: ResumeReader,
    context: Context,
    session: Session,
    request: Request,
    fmt: Annotated[RenderFormat, Query(alias="format", description="Output format.")] = RenderFormat.pdf,
    template: Annotated[str | None, Query(max_length=40, description="Preview with this template.")] = None,
    color: Annotated[ColorName | None, Query(max_length=20, description="Palette name or #rrggbb.")] = None,
    font: Annotated[FontSlug | None, Query(max_length=40, description="Font slug.")] = None,
    language: Annotated[
        Language | None, Query(description="Language of headings and dates (the design's `language`).")
    ] = None,
    locale: Annotated[
        Language | None,
        Query(deprecated=True, description="Deprecated: the old name of `language`, still accepted."),
    ] = None,
    page_size: Annotated[PageSize | None, Query(description="Page size.")] = None,
    base_size: Annotated[float | None, Query(description="Body text size in pt.")] = None,
    page: PngPage = None,
    ppi: PngPpi = None,
    pdf_standard: Annotated[PdfStandardName | None, Query(description="PDF only.")] = None,
    download: Annotated[bool, Query(description="Send as an attachment instead of inline.")] = False,
) -> Response:
    """Render with the saved design; query options override it for this response only (live previews).
    Results are cached by content and design: send `If-None-Match` to get 304. The allowed values of each
    option are listed by `GET /v1/design-options`."""
    if locale is not None:
        if language is not None and language != locale:
            raise UnsupportedRenderOption("`locale` is the old name of `language`: send only `language`.")
        language = locale
    resume = await resume_service.get(session, subject, resume_id)
    row = await repository.get(session, resume.id)
    document, title = resume.content, resume.title
    await release_read(session)  # a queued render must not hold a database connection

    overrides = {
        "template": template,
        "color": color,
        "font": font,
        "language": language,
        "page_size": page_size,
        "base_size": base_size,
    }
    design = service.with_overrides(service.stored_design(row), overrides)
    extra = {"Deprecation": LOCALE_DEPRECATION} if locale is not None else {}
    return await render_response(
        context,
        request,
        document,
        design,
        fmt.output,
        page=page,
        ppi=ppi,
        title=title,
        standard=pdf_standard.standard if pdf_standard else None,
        download=download,
        headers=extra,
    )
