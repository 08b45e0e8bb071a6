"""The ATS domain's rules: what a report, match or profile score needs from a stored resume, the checks on
an upload's options, and storing an upload next to the job that parses it.

Engine calls run through the application's `AtsRunner` (ats/runner.py), off the event loop. Untrusted
uploads are never parsed in the API process: `enqueue_upload` queues the worker's job (ats/tasks.py).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request

from shortlist.ats import repository
from shortlist.ats.engine.files import Limits, sniff
from shortlist.ats.engine.matching import match
from shortlist.ats.engine.parser import parse_bytes
from shortlist.ats.engine.profiles import UnknownProfileError, load_profiles, score_profile
from shortlist.ats.engine.report import build_report
from shortlist.ats.engine.results import ParseResult, ProfileResult
from shortlist.ats.exceptions import ProfileNotFound, UnknownProfile, UnreadableJob, ats_problems
from shortlist.ats.runner import AtsRunner
from shortlist.ats.schemas import MAX_JOB_CHARS, AreaSummary, ProfileSummary, ReportOut, UploadAction
from shortlist.auth.subject import Subject
from shortlist.design import service as design_service
from shortlist.design.exceptions import rendering_problems
from shortlist.design.renderer import Renderer
from shortlist.job.enqueue import enqueue_in_request
from shortlist.kit.problems import PayloadTooLarge, ValidationFailed
from shortlist.models import Job, ResumeDesign
from shortlist.rendering import OutputFormat


def profile_summaries() -> list[ProfileSummary]:
    return [
        ProfileSummary(
            id=profile_id,
            name=profile["name"],
            areas=[
                AreaSummary(
                    id=area["id"],
                    name=area["name"],
                    weight=float(area.get("weight", 1)),
                    skills=list(area.get("skills", [])),
                )
                for area in profile["areas"]
            ],
        )
        for profile_id, profile in sorted(load_profiles().items())
    ]


def job_from_form(job: str | None) -> str | dict[str, Any] | None:
    """A job form field: JSON when it is a JSON object (a JSON Resume job document), else posting text."""
    if job is None or not job.strip():
        return None
    text = job.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableJob(f"`job` starts like JSON but is not valid JSON: {exc.msg}.") from exc
        if isinstance(value, dict):
            return value
    return text


def title_from(content: dict[str, Any]) -> str:
    basics = content.get("basics") or {}
    for key in ("name", "label"):
        value = basics.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return "Imported resume"


def profile_of(resume: dict[str, Any], profile: str, parsed: ParseResult | None = None) -> ProfileResult:
    try:
        return score_profile(resume, profile, parsed.lines if parsed else None)
    except UnknownProfileError as exc:
        known = ", ".join(sorted(load_profiles()))
        raise UnknownProfile(f"There is no profile {profile!r}; known: {known}.") from exc


def report_of(parsed: ParseResult, job: str | dict[str, Any] | None, profile: str | None) -> ReportOut:
    """The report on a parsed file, with the match against `job` and the `profile` score when given."""
    report = build_report(parsed)
    matched = match(parsed.resume, job, parsed.lines) if job is not None else None
    scored = profile_of(parsed.resume, profile, parsed) if profile else None
    return ReportOut(
        **report.model_dump(),
        file_type=parsed.file_type,
        layout=parsed.layout,
        warnings=parsed.warnings,
        match=matched,
        profile=scored,
    )


def report_on_rendered_pdf(pdf: bytes, limits: Limits) -> ReportOut:
    """The report on a PDF we rendered ourselves (trusted: parsed without a sandbox). Runs in a render worker."""
    return report_of(parse_bytes(pdf, limits, cross_check=True), None, None)


async def report_on_stored(
    runner: AtsRunner,
    renderer: Renderer,
    document: dict[str, Any],
    design_row: ResumeDesign | None,
    template: str | None,
) -> ReportOut:
    """What an ATS sees of the file the candidate would send: render a stored resume to PDF with its saved
    design (or `template`), parse that PDF, report on it."""
    design = design_service.with_overrides(design_service.stored_design(design_row), {"template": template})
    with rendering_problems():
        rendered = await renderer.render(document, design, OutputFormat.PDF)
    # Parsing and scoring are CPU-bound too: they run in the same warm workers, off the event loop.
    with ats_problems():
        return await renderer.run(report_on_rendered_pdf, rendered.document.content, runner.limits)


async def score_stored_profile(runner: AtsRunner, document: dict[str, Any], profile_id: str) -> ProfileResult:
    if profile_id not in load_profiles():
        raise ProfileNotFound(f"There is no profile {profile_id!r}.")
    return await runner.run(partial(score_profile, document, profile_id))


async def read_upload(runner: AtsRunner, file: UploadFile) -> bytes:
    """The uploaded file's bytes, refused past the upload limit (reads at most one byte more than it)."""
    cap = runner.settings.ats_upload_max_bytes
    data = await file.read(cap + 1)
    if len(data) > cap:
        raise PayloadTooLarge(f"The file exceeds the upload limit of {cap} bytes.")
    return data


MAX_PROFILE_CHARS = 64


def _field_problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [{"location": [field], "message": message, "type": "string_too_long"}])


def report_options(job: str | None, profile: str | None) -> dict[str, Any]:
    """A report's optional job posting (text or a JSON job document) and profile id, checked before
    anything is stored. The same bounds as REST's form fields."""
    if job is not None and len(job) > MAX_JOB_CHARS:
        raise _field_problem("job", f"`job` is longer than {MAX_JOB_CHARS} characters.")
    if profile is not None and len(profile) > MAX_PROFILE_CHARS:
        raise _field_problem("profile", f"`profile` is longer than {MAX_PROFILE_CHARS} characters.")
    posting = job_from_form(job)
    if profile and profile not in load_profiles():
        profile_of({}, profile)  # raises the problem
    return {"job": posting, "profile": profile}


async def enqueue_upload(
    request: Request,
    session: AsyncSession,
    runner: AtsRunner,
    subject: Subject,
    file: UploadFile,
    action: UploadAction,
    **options: Any,
) -> Job:
    """Check the file's size, type and structure here (cheap, nothing opens the document), store it, and
    queue the job that parses it on the worker. Both join the request's transaction: both exist, or
    neither. The REST upload routes and the GraphQL upload mutations both come here."""
    data = await read_upload(runner, file)
    # Off the event loop: listing a large archive's directory takes seconds (refused, but only after).
    file_type = await runner.run(partial(sniff, data, runner.limits))
    upload = repository.store(runner.settings, session, subject.user_id, data, file_type, file.filename)
    payload = {"action": action, **{key: value for key, value in options.items() if value is not None}}
    return await enqueue_in_request(
        request, session, repository.PARSE_KIND, payload, owner_id=subject.user_id, resource_id=upload.id
    )
