"""The worker side of the upload routes: parse an uploaded file in the limited child process, then
return the parse, the report, or the imported resume as the job's result.

The request already checked the type and archive structure (cheap, no parser runs there); everything
that opens the document runs here, on the worker role. Errors leave as the same problem types the request
would have answered (`encrypted-document`, `parse-timeout`, ...) in the job's `error`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

import anyio.to_thread
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.ats import repository
from shortlist.ats.engine.errors import AtsError
from shortlist.ats.engine.files import Limits
from shortlist.ats.engine.results import ParseResult
from shortlist.ats.exceptions import NoTextFound, problem_for
from shortlist.ats.sandbox import parse_file_sandboxed
from shortlist.ats.schemas import UploadAction
from shortlist.ats.service import report_of, title_from
from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.design.exceptions import validation_failed
from shortlist.job.registry import JobContext, JobFailed, register_job
from shortlist.kit.problems import AppError
from shortlist.models import Resume
from shortlist.platform.periodic import PeriodicTask
from shortlist.resume import service as resume_service
from shortlist.resume.jsonresume import ResumeDocument


@contextmanager
def _as_job_failure() -> Iterator[None]:
    """An unreadable file or a refused import will not change on retry: fail the job with its problem."""
    try:
        yield
    except AtsError as exc:
        problem = problem_for(exc)
        raise JobFailed(
            problem.detail, slug=problem.slug, title=problem.title, status=problem.status
        ) from exc
    except AppError as exc:
        raise JobFailed(exc.detail, slug=exc.slug, title=exc.title, status=exc.status) from exc


async def _parse(ctx: JobContext, data: bytes, *, cross_check: bool) -> ParseResult:
    settings = ctx.settings
    call = partial(
        parse_file_sandboxed,
        data,
        timeout=settings.ats_parse_timeout_seconds,
        limits=Limits(max_bytes=settings.ats_upload_max_bytes),
        cross_check=cross_check,
    )
    return await anyio.to_thread.run_sync(call)


async def _import(ctx: JobContext, parsed: ParseResult) -> dict[str, Any]:
    if not parsed.layout.has_text_layer or not parsed.resume:
        raise NoTextFound("No resume text was found in the file (a scan or an image needs OCR first).")
    try:
        content = ResumeDocument.model_validate(parsed.resume).to_json()
    except ValidationError as exc:
        raise validation_failed(exc, "file") from exc
    if ctx.owner_id is None:
        raise JobFailed("An import needs an owner.")
    subject = Subject(user_id=ctx.owner_id, role="user", scopes=frozenset())
    async with ctx.database.writer() as session:
        # The resume takes the job's id: an attempt that runs again finds the resume the first one made.
        resume = await session.get(Resume, ctx.job_id)
        if resume is None:
            resume = await resume_service.create(
                ctx.settings, session, subject, title_from(content), content, resume_id=ctx.job_id
            )
        await session.commit()
        return _imported(resume)


def _imported(resume: Resume) -> dict[str, Any]:
    return {"resume_id": str(resume.id), "title": resume.title, "version": resume.version}


async def parse_upload(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Payload: `action` ("parse", "report" or "import"), and for reports the optional `job` posting and
    `profile` id. The upload is the job's resource."""
    action: UploadAction = payload["action"]
    async with ctx.database.reader() as session:
        done = await session.get(Resume, ctx.job_id) if action == "import" else None
        upload = await repository.load(session, ctx.resource_id, ctx.owner_id) if ctx.resource_id else None
        data = upload.content if upload is not None else None
    if done is not None:  # an earlier attempt imported it and then lost its result
        return _imported(done)
    if data is None:
        raise JobFailed(
            "The uploaded file is no longer stored (it expired before a worker took the job); upload it again.",
            slug="upload-expired",
            title="Upload expired",
            status=410,
        )
    await ctx.progress(10)
    with _as_job_failure():
        parsed = await _parse(ctx, data, cross_check=action == "report")
        await ctx.progress(80)
        if action == "parse":
            return parsed.model_dump(mode="json", exclude_none=True)
        if action == "report":
            call = partial(report_of, parsed, payload.get("job"), payload.get("profile"))
            return (await anyio.to_thread.run_sync(call)).model_dump(mode="json")
        return await _import(ctx, parsed)


register_job(repository.PARSE_KIND, parse_upload, max_attempts=3)


async def purge_uploads(_settings: Settings, session: AsyncSession, _now: datetime) -> int:
    """Uploads whose parse job has ended, and any past their retention."""
    return await repository.purge(session)


PERIODIC_TASKS = (PeriodicTask("ats_uploads", purge_uploads),)
