"""Candidate data out and gone: a job's applications as CSV (a job on the worker), a person's data export
and erasure, by the organisation on request or by the candidate themself."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from shortlist.application import privacy
from shortlist.application.audit.recording import Audited
from shortlist.application.audit.service import AccessAction
from shortlist.application.schemas import Person
from shortlist.auth.dependencies import ResumeReader, ResumeWriter
from shortlist.http.deps import Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.job.schemas import JobOut
from shortlist.kit.problems import Conflict, NotFound
from shortlist.kit.schemas import ResponseModel
from shortlist.models import Job
from shortlist.organization.access import ApplicationsReader, CandidateDataExporter
from shortlist.posting import service as posting_service

router = APIRouter(tags=["candidate data"], route_class=TransactionalRoute)

APPS = "/organizations/{org_id}/jobs/{posting_id}/applications"


class Erased(ResponseModel):
    erased_applications: int


class ExportNotReady(Conflict):
    slug = "export-not-ready"
    title = "Export not ready"


@router.post(
    APPS + "/export",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="export_applications",
    dependencies=[Depends(idempotency), Depends(Audited(AccessAction.export_requested))],
)
async def export_applications(
    posting_id: uuid.UUID, access: ApplicationsReader, session: Session, request: Request, response: Response
) -> JobOut:
    """CSV of the job's applications, ranked, as you may see them (blind screening applies), built on the
    worker with progress. Download it from `Location` once the job has succeeded."""
    posting = await posting_service.get(session, access, posting_id)
    job = await privacy.request_export(request, session, access, posting)
    response.headers["Location"] = str(
        request.url_for(
            "download_export", org_id=posting.organization_id, posting_id=posting.id, export_id=job.id
        )
    )
    return JobOut.model_validate(job)


@router.get(
    APPS + "/exports/{export_id}",
    operation_id="download_application_export",
    response_class=Response,
    dependencies=[Depends(Audited(AccessAction.export_downloaded))],
    responses={200: {"content": {"text/csv": {}}}, 409: {"description": "Still being built."}},
)
async def download_export(
    posting_id: uuid.UUID, export_id: uuid.UUID, access: ApplicationsReader, session: Session
) -> Response:
    posting = await posting_service.get(session, access, posting_id)
    job = await session.get(Job, export_id)
    if (
        job is None
        or job.kind != privacy.EXPORT_KIND
        or job.owner_id != access.user_id
        or job.payload.get("posting_id") != str(posting.id)
    ):
        raise NotFound("No such export of yours for this job.")
    if job.status != "succeeded" or not job.result or "csv" not in job.result:
        raise ExportNotReady(
            f"The export is {job.status}; follow the job and download it once it has succeeded.",
            headers={"Retry-After": "1"},
        )
    return Response(
        str(job.result["csv"]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="applications-{posting.id}.csv"'},
    )


@router.post("/organizations/{org_id}/candidates/export", operation_id="export_candidate_data")
async def export_candidate(body: Person, access: CandidateDataExporter, session: Session) -> dict[str, Any]:
    """Everything the organisation holds about one person (their applications here), as JSON — for a
    data-access request. Recorded as a `candidate_data.exported` event."""
    return await privacy.export_for_organization(session, access, str(body.email))


@router.post("/organizations/{org_id}/candidates/erase", operation_id="erase_candidate_data")
async def erase_candidate(body: Person, access: CandidateDataExporter, session: Session) -> Erased:
    """Erase one person's applications to this organisation and everything derived from them."""
    return Erased(erased_applications=await privacy.erase_for_organization(session, access, str(body.email)))


@router.get("/candidate-data", operation_id="export_my_candidate_data")
async def export_mine(subject: ResumeReader, session: Session) -> dict[str, Any]:
    """Everything held about you in your applications (to any organisation), as JSON."""
    return await privacy.export_mine(session, subject.user_id)


@router.post("/candidate-data/erase", operation_id="erase_my_candidate_data")
async def erase_mine(subject: ResumeWriter, session: Session) -> Erased:
    """Erase all your applications and everything derived from them (your account stays)."""
    return Erased(erased_applications=await privacy.erase_mine(session, subject.user_id))
