"""The ATS engine over HTTP: parse, report on and import uploads (as jobs on the worker role: see
ats/tasks.py), match against a job, score role profiles, and report on how a stored resume reads once
rendered. Engine work in the API process runs off the event loop (see ats/service.py)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile, status

from shortlist.ats.engine.matching import match
from shortlist.ats.engine.results import MatchResult, ProfileResult
from shortlist.ats.runner import AtsRunner, get_runner
from shortlist.ats.schemas import MatchIn, ProfileSummary, ReportOut, UploadAction
from shortlist.ats.service import (
    enqueue_upload,
    profile_summaries,
    report_on_stored,
    report_options,
    score_stored_profile,
)
from shortlist.auth.dependencies import ResumeReader, ResumeWriter
from shortlist.auth.subject import Subject
from shortlist.design import repository as design_repository
from shortlist.http.deps import Context, Session, release_read
from shortlist.http.route import TransactionalRoute
from shortlist.job.schemas import JobOut
from shortlist.resume import service as resume_service

router = APIRouter(tags=["ats"], route_class=TransactionalRoute)

# POST paths that take a file: the request guard lets their binary bodies through, up to the upload limit.
PARSE_PATH = "/v1/ats/parse"
REPORT_PATH = "/v1/ats/report"
IMPORT_PATH = "/v1/resumes/import-file"
UPLOAD_PATHS = frozenset({PARSE_PATH, REPORT_PATH, IMPORT_PATH})

Runner = Annotated[AtsRunner, Depends(get_runner)]
Upload = Annotated[UploadFile, File(description="A resume: PDF, DOCX or plain text (identified by content).")]
JobField = Annotated[
    str | None,
    Form(max_length=50_000, description="Job posting: plain text, or a JSON Resume job document as JSON."),
]
ProfileField = Annotated[
    str | None, Form(max_length=64, description="Role profile id (GET /v1/ats/profiles).")
]
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The file is larger than the upload limit."},
    415: {"description": "Not a PDF, DOCX or text file, or a macro-enabled document."},
    422: {
        "description": "An empty file, or a DOCX archive that is malformed, encrypted or unsafe (found before "
        "anything is queued; what only parsing finds fails the job instead, with the same problem type)."
    },
}


async def _enqueue_parse(
    request: Request,
    response: Response,
    session: Session,
    runner: AtsRunner,
    subject: Subject,
    file: UploadFile,
    action: UploadAction,
    **options: Any,
) -> JobOut:
    """Store the file and queue its parse (ats/service.py), and point the client at the job."""
    job = await enqueue_upload(request, session, runner, subject, file, action, **options)
    location = str(request.url_for("get_job", job_id=job.id))
    response.headers["Location"] = location
    response.headers["Link"] = f'<{location}/events>; rel="monitor"'
    return JobOut.model_validate(job)


@router.post(
    "/ats/parse",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="ats_parse",
    responses=UPLOAD_ERRORS,
)
async def parse_file(
    file: Upload,
    runner: Runner,
    subject: ResumeReader,
    session: Session,
    request: Request,
    response: Response,
) -> JobOut:
    """Queue the parse of a resume file; the worker turns it into a JSON Resume with a confidence per
    field, the reading-order text and layout facts. Follow the job at `Location` (or its SSE stream): its
    `result` is the parse. An image-only PDF comes back with `layout.has_text_layer` false and nothing
    invented; a document that cannot be read fails the job with the problem in `error`."""
    return await _enqueue_parse(request, response, session, runner, subject, file, "parse")


@router.post(
    "/ats/report", status_code=status.HTTP_202_ACCEPTED, operation_id="ats_report", responses=UPLOAD_ERRORS
)
async def report_file(
    file: Upload,
    runner: Runner,
    subject: ResumeReader,
    session: Session,
    request: Request,
    response: Response,
    job: JobField = None,
    profile: ProfileField = None,
) -> JobOut:
    """Queue a report on how an applicant tracking system reads this file: the job's `result` holds a
    score, named checks with evidence and fixes, bullet feedback, and the match against `job` and the
    `profile` score when given."""
    options = report_options(job, profile)
    return await _enqueue_parse(request, response, session, runner, subject, file, "report", **options)


@router.get("/resumes/{resume_id}/ats-report", operation_id="resume_ats_report")
async def resume_ats_report(
    resume_id: uuid.UUID,
    subject: ResumeReader,
    context: Context,
    session: Session,
    runner: Runner,
    template: Annotated[str | None, Query(max_length=40, description="Check this template instead.")] = None,
) -> ReportOut:
    """Render the resume to PDF (its saved design, or `template`) and report on that PDF: what an ATS
    sees of the file the candidate would send."""
    resume = await resume_service.get(session, subject, resume_id)
    row = await design_repository.get(session, resume.id)
    document = resume.content
    await release_read(session)  # rendering and parsing need no database connection
    return await report_on_stored(runner, context.renderer, document, row, template)


@router.post("/ats/match", operation_id="ats_match")
async def match_job(body: MatchIn, subject: ResumeReader, session: Session, runner: Runner) -> MatchResult:
    """Explain how well a resume (stored, by `resume_id`, or given inline) matches a job posting: a score
    from weighted parts, matched skills with evidence, what is missing, and suggestions."""
    if body.resume_id is not None:
        resume = (await resume_service.get(session, subject, body.resume_id)).content
        await release_read(session)
    else:
        resume = body.resume or {}
    return await runner.run(partial(match, resume, body.job))


@router.get("/ats/profiles", operation_id="list_ats_profiles")
async def list_profiles(_subject: ResumeReader) -> list[ProfileSummary]:
    """The built-in role profiles with their weighted areas."""
    return profile_summaries()


@router.get(
    "/resumes/{resume_id}/profiles/{profile_id}",
    operation_id="score_resume_profile",
    responses={404: {"description": "No such resume, or no such profile."}},
)
async def score_resume_profile(
    resume_id: uuid.UUID,
    profile_id: Annotated[str, Path(max_length=64, description="A profile id.")],
    subject: ResumeReader,
    session: Session,
    runner: Runner,
) -> ProfileResult:
    """Score a stored resume against a role profile: each area with its evidence, what is lacking, advice."""
    resume = await resume_service.get(session, subject, resume_id)
    content = resume.content
    await release_read(session)
    return await score_stored_profile(runner, content, profile_id)


@router.post(
    "/resumes/import-file",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="import_resume_file",
    responses=UPLOAD_ERRORS,
)
async def import_file(
    file: Upload,
    subject: ResumeWriter,
    session: Session,
    runner: Runner,
    request: Request,
    response: Response,
) -> JobOut:
    """Queue the creation of a resume from a PDF, DOCX or text file: parsed on the worker, then stored like
    `POST /v1/resumes` (title from the name found). The job's `result` names the new resume
    (`resume_id`); a file with no readable text fails the job (`no-text-found`) rather than store it empty."""
    return await _enqueue_parse(request, response, session, runner, subject, file, "import")
