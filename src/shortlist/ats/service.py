"""Running the engine from the API: CPU-bound work off the event loop, behind one bounded limiter.

Untrusted uploads are never parsed here: the upload routes queue a job, and the worker parses the file in
a limited child process (ats/tasks.py). The API process parses only PDFs it rendered itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.requests import Request

from shortlist.ats import uploads
from shortlist.ats.files import Limits, sniff
from shortlist.ats.parser import parse_bytes
from shortlist.ats.problems import ProfileNotFound, ats_problems
from shortlist.ats.profiles import load_profiles, score_profile
from shortlist.ats.schemas import ParseResult, ProfileResult
from shortlist.ats.web import MAX_JOB_CHARS, ReportOut, job_from_form, profile_of, report_of
from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.context import get_context
from shortlist.design import service as design_service
from shortlist.design.exceptions import rendering_problems
from shortlist.design.renderer import Renderer
from shortlist.job.enqueue import enqueue_in_request
from shortlist.kit.problems import PayloadTooLarge, ValidationFailed
from shortlist.models import Job, ResumeDesign
from shortlist.rendering import OutputFormat

T = TypeVar("T")


class AtsRunner:
    """One per application: bounds how many parses (each a child process or a thread) run at once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = Limits(max_bytes=settings.ats_upload_max_bytes)
        # Created on first use, inside the running event loop.
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.settings.ats_parse_concurrency)
        return self._limiter

    async def run(self, call: Callable[[], T]) -> T:
        """Run CPU-bound engine work in a worker thread; engine errors become problem documents."""
        with ats_problems():
            return await anyio.to_thread.run_sync(call, limiter=self.limiter)

    async def parse_rendered(self, pdf: bytes) -> ParseResult:
        """Parse a PDF we rendered ourselves: trusted, so in-process (no child start-up cost)."""
        return await self.run(partial(parse_bytes, pdf, self.limits, cross_check=True))


async def get_runner(request: Request) -> AtsRunner:
    """The application's runner, made on first use (it needs no start-up or shutdown). `async def` so that
    FastAPI does not send this dependency to the thread pool."""
    state: Any = request.app.state
    runner: AtsRunner | None = getattr(state, "ats_runner", None)
    if runner is None:
        runner = AtsRunner(get_context(request).settings)
        state.ats_runner = runner
    return runner


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
    parsed = await runner.parse_rendered(rendered.document.content)
    return await runner.run(partial(report_of, parsed, None, None))


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
    action: uploads.UploadAction,
    **options: Any,
) -> Job:
    """Check the file's size, type and structure here (cheap, nothing opens the document), store it, and
    queue the job that parses it on the worker. Both join the request's transaction: both exist, or
    neither. The REST upload routes and the GraphQL upload mutations both come here."""
    data = await read_upload(runner, file)
    # Off the event loop: listing a large archive's directory takes seconds (refused, but only after).
    file_type = await runner.run(partial(sniff, data, runner.limits))
    upload = uploads.store(runner.settings, session, subject.user_id, data, file_type, file.filename)
    payload = {"action": action, **{key: value for key, value in options.items() if value is not None}}
    return await enqueue_in_request(
        request, session, uploads.PARSE_KIND, payload, owner_id=subject.user_id, resource_id=upload.id
    )
