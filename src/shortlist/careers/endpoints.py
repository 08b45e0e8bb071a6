"""The public careers pages, server-rendered (no script needed): an organisation's open jobs with a
search, one page per job with its schema.org JobPosting, and the apply form."""

from __future__ import annotations

import uuid
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from shortlist.application.submission import apply_with_upload, guest_fields
from shortlist.auth.dependencies import optional_subject
from shortlist.auth.subject import Subject
from shortlist.careers import service
from shortlist.http.deps import Context, Session
from shortlist.http.ratelimit import rate_limit
from shortlist.http.route import TransactionalRoute
from shortlist.kit.problems import AppError, BadRequest, NotFound
from shortlist.models import Organization
from shortlist.organization import repository as organization_repository
from shortlist.posting import repository as posting_repository

router = APIRouter(
    prefix="/careers",
    tags=["careers"],
    route_class=TransactionalRoute,
    dependencies=[Depends(rate_limit)],
    include_in_schema=False,
)

APPLY_PATH = "/careers/apply"
CAREERS_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
WORKPLACE = {"onsite": "On site", "hybrid": "Hybrid", "remote": "Remote"}
EMPLOYMENT = {
    "full_time": "Full time",
    "part_time": "Part time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}

_templates = Environment(
    loader=FileSystemLoader(str(files("shortlist.careers") / "templates")),
    autoescape=select_autoescape(default=True),
    enable_async=False,
)


class OrganizationPageNotFound(NotFound):
    slug = "careers-page-not-found"
    title = "Careers page not found"


def _page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    body = _templates.get_template(template).render(workplace=WORKPLACE, employment=EMPLOYMENT, **values)
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CAREERS_CSP})


def _problem_page(exc: AppError, organization: Organization | None) -> HTMLResponse:
    page = _page(
        "problem.html",
        exc.status,
        problem=exc,
        organization=organization or {"name": "Shortlist", "slug": ""},
    )
    page.headers.update(exc.headers)
    return page


async def _organization(session: Session, slug: str) -> Organization:
    organization = await organization_repository.by_slug(session, slug)
    if organization is None:
        raise OrganizationPageNotFound("No organisation has a careers page at this address.")
    return organization


@router.get("/{org_slug}", response_class=HTMLResponse)
async def careers_page(
    org_slug: str,
    session: Session,
    q: Annotated[str | None, Query(max_length=100, description="Words in the title, place or text.")] = None,
) -> HTMLResponse:
    try:
        organization = await _organization(session, org_slug)
    except AppError as exc:
        return _problem_page(exc, None)
    query = (q or "").strip() or None
    jobs = await posting_repository.open_jobs(session, organization.id, query)
    return _page("jobs.html", organization=organization, jobs=jobs, query=query)


@router.get("/{org_slug}/jobs/{posting_id}", response_class=HTMLResponse)
async def job_page(org_slug: str, posting_id: uuid.UUID, session: Session, request: Request) -> HTMLResponse:
    try:
        organization = await _organization(session, org_slug)
        job = await posting_repository.open_job(session, organization.id, posting_id)
        if job is None:
            raise NotFound("This job is not open (or never was).")
    except AppError as exc:
        return _problem_page(exc, None)
    url = str(request.url_for("job_page", org_slug=organization.slug, posting_id=job.id))
    careers_url = str(request.url_for("careers_page", org_slug=organization.slug))
    ld = service.json_ld(service.job_posting_ld(job, organization, url, careers_url))
    return _page(
        "job.html",
        organization=organization,
        job=job,
        url=url,
        ld=ld,
        description=service.description_html(job),
    )


@router.post("/apply", response_class=HTMLResponse)
async def apply_form(
    context: Context,
    session: Session,
    request: Request,
    subject: Annotated[Subject | None, Depends(optional_subject)],
    posting_id: Annotated[str, Form(max_length=64)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """The careers page's form: the same checks as `POST /v1/applications/upload`, answered in HTML."""
    organization: Organization | None = None
    try:
        fields = guest_fields(posting_id, name, email)
        if file is None:
            raise BadRequest("Attach your resume (PDF, DOCX or plain text).")
        application, job, organization = await apply_with_upload(
            context, request, session, subject, fields, file
        )
    except AppError as exc:
        # Nothing of a refused application is kept (the error page is a normal response, so roll back here).
        await session.rollback()
        return _problem_page(exc, organization)
    return _page("applied.html", 201, organization=organization, job=job, name=application.name)
