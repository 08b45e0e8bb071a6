"""`application.score` on the worker: parse an uploaded file (in the limited child process) if the
application has no resume yet, then score it against the job's effective requirements. Running it again
recomputes the same result, so a redelivered job does no harm."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import privacy, repository, search
from shortlist.application.audit import service as candidate_audit
from shortlist.application.service import (
    FAILED,
    PARSING,
    READY,
    SCORE_KIND,
    WITHDRAWN,
    emit_application_event,
    rank_of,
)
from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.job.enqueue import enqueue_in_request
from shortlist.job.registry import JobContext, JobFailed, register_job
from shortlist.kit.db import utcnow
from shortlist.kit.problems import AppError
from shortlist.models import Application, Job, JobPosting, Organization
from shortlist.organization import repository as organization_repository
from shortlist.organization.service import Access
from shortlist.platform.periodic import PeriodicTask
from shortlist.posting import ats_adapter
from shortlist.posting import repository as posting_repository
from shortlist.posting import service as posting_service


def explanation_of(
    resume: dict[str, Any], title: str, requirements: dict[str, Any], posting_id: uuid.UUID | None = None
) -> tuple[int, float, dict[str, Any]]:
    """(score, years, the explanation a recruiter reads at a glance). Pass the posting's id when scoring
    many applications: the job's requirements are then read once and reused."""
    result = ats_adapter.score(resume, title, requirements, posting_id)
    # The score already measured the resume's years; reading the resume again would double the cost.
    years = result.years if result.years is not None else ats_adapter.years_of_experience(resume)

    def proved(hits: list[Any]) -> list[dict[str, Any]]:
        return [
            {"skill": hit.skill, "evidence": hit.evidence[0].text if hit.evidence else None} for hit in hits
        ]

    seniority = next((p.detail for p in result.parts if p.id == "seniority"), None)
    explanation = {
        "matched_required": proved(result.matched_required),
        "missing_required": result.missing_required,
        "matched_preferred": proved(result.matched_preferred),
        "missing_preferred": result.missing_preferred,
        "years": round(years, 1),
        "years_asked": requirements.get("years"),
        "seniority": seniority,
        "parts": [{"id": p.id, "name": p.name, "points": p.points, "weight": p.weight} for p in result.parts],
    }
    return result.score, years, explanation


def skills_of(resume: dict[str, Any], explanation: dict[str, Any]) -> list[str]:
    """The skills a resume shows, in the engine's spelling: its skills section and every evidenced match."""
    names = [
        m["skill"] for key in ("matched_required", "matched_preferred") for m in explanation.get(key, [])
    ]
    for entry in resume.get("skills") or []:
        if isinstance(entry, dict):
            for word in [entry.get("name"), *(entry.get("keywords") or [])]:
                known = ats_adapter.canonical_skill(word) if isinstance(word, str) and word.strip() else None
                if known:
                    names.append(known)
    return list(dict.fromkeys(names))


async def _fail(ctx: JobContext, application_id: uuid.UUID, problem: tuple[str, str, str, int]) -> None:
    """The file cannot be read (retrying will not change that): mark the application and fail the job."""
    detail, slug, title, status = problem
    async with ctx.database.writer() as session:
        application = await session.get(Application, application_id)
        if application is not None and application.status == PARSING:
            application.status = FAILED
            application.explanation = {"error": {"type": slug, "detail": detail}}
            await session.commit()
    raise JobFailed(detail, slug=slug, title=title, status=status)


def _problem(exc: Exception) -> tuple[str, str, str, int] | None:
    if isinstance(exc, AppError):
        return exc.detail, exc.slug, exc.title, exc.status
    return ats_adapter.failure_of(exc)


async def score_application(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    application_id = uuid.UUID(str(payload["application_id"]))
    async with ctx.database.reader() as session:
        application = await session.get(Application, application_id)
        if application is None or application.status == WITHDRAWN:
            return {"application_id": str(application_id), "skipped": True}
        posting = await session.get(JobPosting, application.posting_id)
        assert posting is not None
        title, requirements = posting.title, posting_service.effective_requirements(posting)
        posting_id = posting.id
        resume = application.resume
        upload = await repository.file_of(session, application_id) if resume is None else None
        data = upload.content if upload is not None else None
    await ctx.progress(10)
    if resume is None:
        if data is None:
            raise JobFailed("The application has neither a resume nor a file.", slug="application-no-resume")
        settings = ctx.settings
        call = partial(
            ats_adapter.parse_file,
            data,
            max_bytes=settings.careers_upload_max_bytes,
            timeout=settings.ats_parse_timeout_seconds,
        )
        try:
            resume = await anyio.to_thread.run_sync(call)
        except Exception as exc:
            problem = _problem(exc)
            if problem is None:
                raise
            await _fail(ctx, application_id, problem)
    await ctx.progress(60)
    assert resume is not None
    score, years, explanation = await anyio.to_thread.run_sync(
        explanation_of, resume, title, requirements, posting_id
    )
    async with ctx.database.writer() as session:
        application = await session.get(Application, application_id)
        if application is None:
            return {"application_id": str(application_id), "skipped": True}
        if application.resume is None:
            application.resume = resume
        if application.status == PARSING:
            application.status = READY
        application.score = score
        application.years = years
        application.explanation = explanation
        application.rank_score = rank_of(application)
        application.scored_at = utcnow()
        await repository.set_skills(session, application.id, skills_of(resume, explanation))
        await session.flush()
        await search.reindex(session, application.id)
        organization = await session.get(Organization, application.organization_id)
        owner_id = organization.owner_id if organization else None
        emit_application_event(session, "application.scored", owner_id, application, score=score)
        await session.commit()
    return {"application_id": str(application_id), "score": score}


register_job(SCORE_KIND, score_application, max_attempts=3)


async def request_rescore(
    request: Request, session: AsyncSession, access: Access, application: Application
) -> Job:
    """Queue the application's scoring again (after the job's requirements were corrected)."""
    return await enqueue_in_request(
        request,
        session,
        SCORE_KIND,
        {"application_id": str(application.id)},
        owner_id=access.user_id,
        resource_id=application.id,
    )


async def export_applications(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """CSV of a job's applications as the requesting member may see them (their role at run time)."""
    organization_id = uuid.UUID(str(payload["organization_id"]))
    posting_id = uuid.UUID(str(payload["posting_id"]))
    user_id = uuid.UUID(str(payload["user_id"]))
    async with ctx.database.reader() as session:
        found = await organization_repository.membership(session, organization_id, user_id)
        if found is None:
            raise JobFailed("The requester is no longer a member of the organization.", status=403)
        access = Access(found[0], found[1], Subject(user_id=user_id, role="user", scopes=frozenset()))
        posting = await posting_repository.get(session, access, posting_id)
        if posting is None:
            raise JobFailed("The job is gone or no longer visible to the requester.", status=404)
        await ctx.progress(10)
        text, rows = await privacy.export_rows(session, access, posting, ctx.progress)
    return {"rows": rows, "csv": text}


register_job(privacy.EXPORT_KIND, export_applications, max_attempts=3)


async def purge_expired_applications(_settings: Settings, session: AsyncSession, now: datetime) -> int:
    """Rejected applications past their organisation's retention are erased (application/privacy.py)."""
    return await privacy.purge_expired(session, now)


async def purge_expired_audit_entries(settings: Settings, session: AsyncSession, now: datetime) -> int:
    """The record of who read candidate data is kept for its own retention (application/audit/)."""
    return await candidate_audit.purge_expired(session, now, settings.candidate_audit_retention_days)


PERIODIC_TASKS = (
    PeriodicTask("applications", purge_expired_applications),
    PeriodicTask("candidate_data_access", purge_expired_audit_entries),
)
