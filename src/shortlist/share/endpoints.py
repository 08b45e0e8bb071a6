"""Share links: the owner's routes under /v1, and the public pages under /s (no account needed)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response, status

from shortlist.auth.dependencies import ResumeReader, ResumeWriter
from shortlist.context import AppContext
from shortlist.design import repository as design_repository
from shortlist.design import service as design_service
from shortlist.design.exceptions import rendering_problems
from shortlist.design.http import SHARE_CSP, content_disposition, with_noindex
from shortlist.http.deps import Context, Session, release_read
from shortlist.http.ratelimit import rate_limit
from shortlist.http.route import TransactionalRoute
from shortlist.models import ResumeShare
from shortlist.rendering import OutputFormat
from shortlist.resume import service as resume_service
from shortlist.share import repository, service
from shortlist.share.exceptions import ShareNotFound
from shortlist.share.schemas import ShareCreate, ShareCreated, ShareFormat, ShareOut

# No Idempotency-Key here: like API keys, a replayed answer would mean storing the token.
router = APIRouter(prefix="/resumes", tags=["sharing"], route_class=TransactionalRoute)
public_router = APIRouter(
    prefix="/s", tags=["sharing"], route_class=TransactionalRoute, dependencies=[Depends(rate_limit)]
)


def _out(share: ResumeShare) -> ShareOut:
    return ShareOut.model_validate(
        {
            **{name: getattr(share, name) for name in ShareOut.model_fields if name != "status"},
            "status": service.status_of(share),
        }
    )


def share_urls(request: Request, token: str, formats: list[ShareFormat]) -> dict[ShareFormat, str]:
    urls: dict[ShareFormat, str] = {}
    if "html" in formats:
        urls["html"] = str(request.url_for("get_shared_resume", token=token))
    if "pdf" in formats:
        urls["pdf"] = str(request.url_for("get_shared_resume_pdf", token=token))
    return urls


@router.post("/{resume_id}/shares", status_code=status.HTTP_201_CREATED, operation_id="create_resume_share")
async def create_share(
    resume_id: uuid.UUID,
    body: ShareCreate,
    subject: ResumeWriter,
    context: Context,
    session: Session,
    request: Request,
) -> ShareCreated:
    """A public read-only link (the token is shown only in this answer). It shows the resume's current
    content with its saved design, and counts views."""
    resume = await resume_service.get(session, subject, resume_id)
    share, token = await service.create(
        context.settings, context.keys.share_tokens, session, resume, body.formats, body.expires_at
    )
    out = _out(share)
    return ShareCreated(**out.model_dump(), token=token, urls=share_urls(request, token, out.formats))


@router.get("/{resume_id}/shares", operation_id="list_resume_shares")
async def list_shares(
    resume_id: uuid.UUID, subject: ResumeReader, context: Context, session: Session
) -> list[ShareOut]:
    """This resume's links, newest first, revoked and expired ones included."""
    resume = await resume_service.get(session, subject, resume_id)
    limit = context.settings.share_max_per_resume * 4
    return [_out(s) for s in await repository.list_for_resume(session, resume.id, limit=limit)]


@router.delete(
    "/{resume_id}/shares/{share_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="revoke_resume_share",
)
async def revoke_share(
    resume_id: uuid.UUID, share_id: uuid.UUID, subject: ResumeWriter, session: Session
) -> None:
    """Revoke a link: it answers 404 from now on."""
    resume = await resume_service.get(session, subject, resume_id)
    share = await repository.get(session, resume.id, share_id)
    if share is None:
        raise ShareNotFound()
    service.revoke(share)


async def _serve(context: AppContext, session: Session, token: str, fmt: ShareFormat) -> Response:
    share, resume = await service.resolve(context.keys.share_tokens, session, token, fmt)
    design_row = await design_repository.get(session, resume.id)
    share_id, document, title = share.id, resume.content, resume.title
    await release_read(session)  # no connection held while the render is queued

    output = OutputFormat.HTML if fmt == "html" else OutputFormat.PDF
    with rendering_problems():
        result = await context.renderer.render(document, design_service.stored_design(design_row), output)
    await service.record_view(context.database, share_id)

    rendered = result.document
    headers = {
        "X-Robots-Tag": "noindex, nofollow",
        # A revoked link must stop working at once: nobody may keep a copy.
        "Cache-Control": "no-store",
        "Content-Disposition": content_disposition(title, rendered.extension, download=False),
    }
    if output is OutputFormat.HTML:
        headers["Content-Security-Policy"] = SHARE_CSP
        return Response(with_noindex(rendered.content), media_type=rendered.media_type, headers=headers)
    if rendered.page_count is not None:
        headers["X-Page-Count"] = str(rendered.page_count)
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


# Declared before "/{token}": the plain route's parameter would otherwise swallow "….pdf".
@public_router.get(
    "/{token}.pdf",
    operation_id="get_shared_resume_pdf",
    name="get_shared_resume_pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def shared_pdf(token: str, context: Context, session: Session) -> Response:
    """A shared resume as PDF. No account needed."""
    return await _serve(context, session, token, "pdf")


@public_router.get(
    "/{token}",
    operation_id="get_shared_resume",
    name="get_shared_resume",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}},
)
async def shared_page(token: str, context: Context, session: Session) -> Response:
    """A shared resume as a web page. No account needed."""
    return await _serve(context, session, token, "html")
