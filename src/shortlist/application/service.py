"""Application rules: applying (with a resume or a file), duplicates and abuse limits, the pipeline,
overrides and the shortlist, and what each reader may see. Takes the session; never commits."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import repository
from shortlist.application.blind import Scrubber, identity_terms, redact_resume
from shortlist.application.exceptions import (
    ApplicationClosed,
    ApplicationNotFound,
    ApplyRateLimited,
    DuplicateApplication,
    JobNotOpen,
    UnknownStage,
)
from shortlist.application.schemas import ApplicationDetail, ApplicationOut, MoveOut, RatingSummary
from shortlist.context import AppContext
from shortlist.event.outbox import emit
from shortlist.kit.db import utcnow
from shortlist.models import Application, ApplicationFile, ApplicationMove, JobPosting, Organization
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service

SCORE_KIND = "application.score"
READY, PARSING, FAILED, WITHDRAWN = "ready", "parsing", "failed", "withdrawn"


def etag_of(application: Application) -> str:
    return f'"r{application.version}"'


# --- applying ------------------------------------------------------------------------------------------------


async def open_posting(session: AsyncSession, posting_id: uuid.UUID) -> tuple[JobPosting, Organization]:
    posting = await session.get(JobPosting, posting_id)
    if posting is None or posting.status != "open":
        raise JobNotOpen()
    organization = await session.get(Organization, posting.organization_id)
    if organization is None or organization.deleted_at is not None:
        raise JobNotOpen()
    return posting, organization


async def check_apply_limits(context: AppContext, client_address: str, posting_id: uuid.UUID) -> None:
    """Abuse limits: per client address (any job) and per job (everyone together)."""
    settings = context.settings
    limiter = context.rate_limiter
    for policy, limit, identity in (
        ("apply_address", settings.careers_apply_limit_per_address, client_address),
        ("apply_job", settings.careers_apply_limit_per_job, str(posting_id)),
    ):
        result = await limiter.hit(policy, limit, identity)
        if not result.allowed:
            raise ApplyRateLimited(
                f"Too many applications ({policy.removeprefix('apply_')} limit {result.limit} per "
                f"{result.window_seconds} s); retry in {max(1, result.reset_after)} s.",
                headers=result.headers(),
            )


async def _insert(session: AsyncSession, application: Application) -> None:
    if await repository.exists(session, application.posting_id, application.email):
        raise DuplicateApplication()
    session.add(application)
    try:
        # A savepoint: a concurrent duplicate trips the unique index without spoiling the transaction.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise DuplicateApplication() from exc


def emit_application_event(
    session: AsyncSession,
    event_type: str,
    owner_id: uuid.UUID | None,
    application: Application,
    **extra: Any,
) -> None:
    """An event about one application, to its organisation's owner: the ids that place it, then `extra`."""
    emit(
        session,
        event_type,
        owner_id=owner_id,
        resource_type="application",
        resource_id=application.id,
        data={
            "organization_id": str(application.organization_id),
            "job_id": str(application.posting_id),
            "application_id": str(application.id),
            **extra,
        },
    )


def _created_event(session: AsyncSession, organization: Organization, application: Application) -> None:
    emit_application_event(session, "application.created", organization.owner_id, application)


async def apply_with_resume(
    session: AsyncSession,
    posting: JobPosting,
    organization: Organization,
    candidate_id: uuid.UUID,
    name: str,
    email: str,
    resume_id: uuid.UUID,
    content: dict[str, Any],
) -> Application:
    application = Application(
        organization_id=organization.id,
        posting_id=posting.id,
        candidate_id=candidate_id,
        name=name,
        email=email.lower(),
        source="resume",
        source_resume_id=resume_id,
        resume=content,
        status=READY,
        stage="applied",
    )
    await _insert(session, application)
    _created_event(session, organization, application)
    return application


async def apply_with_file(
    session: AsyncSession,
    posting: JobPosting,
    organization: Organization,
    candidate_id: uuid.UUID | None,
    name: str,
    email: str,
    data: bytes,
    file_type: str,
    filename: str | None,
) -> Application:
    application = Application(
        organization_id=organization.id,
        posting_id=posting.id,
        candidate_id=candidate_id,
        name=name,
        email=email.lower(),
        source="upload",
        status=PARSING,
        stage="applied",
    )
    await _insert(session, application)
    session.add(
        ApplicationFile(
            application_id=application.id,
            file_type=file_type,
            filename=(filename or "")[:255] or None,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
        )
    )
    _created_event(session, organization, application)
    await session.flush()
    return application


def confirmation_mail(organization: Organization, posting: JobPosting, name: str) -> tuple[str, str]:
    # One line: a title with a line break must not end the header (or fail the mail).
    subject = " ".join(f"Your application to {organization.name}: {posting.title}".split())
    body = (
        f"Hello {name},\n\nthank you for applying to {posting.title} at {organization.name}. "
        "Your application has arrived; the team will be in touch.\n\n"
        "If you have a Shortlist account, you can follow it and withdraw it under your applications."
    )
    return subject, body


async def withdraw(session: AsyncSession, application: Application) -> None:
    if application.status == WITHDRAWN:
        raise ApplicationClosed("The application was already withdrawn.")
    application.status = WITHDRAWN
    application.withdrawn_at = utcnow()
    await session.flush()


# --- the recruiter's side -----------------------------------------------------------------------------------


async def get_for_job(session: AsyncSession, posting: JobPosting, application_id: uuid.UUID) -> Application:
    application = await repository.get_for_job(session, posting.organization_id, posting.id, application_id)
    if application is None:
        raise ApplicationNotFound()
    return application


def _check_stage(posting: JobPosting, stage: str) -> None:
    stages = posting_service.stage_ids(posting)
    if stage not in stages:
        raise UnknownStage(f"This job's stages are {', '.join(stages)}; there is no '{stage}'.")


def move(
    session: AsyncSession,
    access: Access,
    organization: Organization,
    application: Application,
    stage: str,
    reason: str | None,
    rejection_reason: str | None,
) -> bool:
    """Record a move (who, when, why). False when the application is already in that stage."""
    if application.status == WITHDRAWN:
        raise ApplicationClosed("The candidate withdrew this application.")
    if application.stage == stage:
        return False
    session.add(
        ApplicationMove(
            application_id=application.id,
            actor_id=access.user_id,
            from_stage=application.stage,
            to_stage=stage,
            reason=reason,
        )
    )
    emit_application_event(
        session,
        "application.stage_changed",
        organization.owner_id,
        application,
        from_stage=application.stage,
        to_stage=stage,
    )
    application.stage = stage
    if stage == "rejected":
        application.rejection_reason = rejection_reason or reason
    application.updated_at = utcnow()
    return True


async def move_one(
    session: AsyncSession,
    access: Access,
    posting: JobPosting,
    application: Application,
    stage: str,
    reason: str | None,
    rejection_reason: str | None,
) -> None:
    _check_stage(posting, stage)
    move(session, access, access.organization, application, stage, reason, rejection_reason)
    await session.flush()


async def move_many(
    session: AsyncSession,
    access: Access,
    posting: JobPosting,
    ids: list[uuid.UUID],
    stage: str,
    reason: str | None,
    rejection_reason: str | None,
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    _check_stage(posting, stage)
    unique = list(dict.fromkeys(ids))
    found = await repository.many_for_job(session, posting.organization_id, posting.id, unique)
    if len(found) != len(unique):
        raise ApplicationNotFound()
    moved, unchanged = [], []
    for application in found:
        if application.status != WITHDRAWN and move(
            session, access, access.organization, application, stage, reason, rejection_reason
        ):
            moved.append(application.id)
        else:
            unchanged.append(application.id)
    await session.flush()
    return moved, unchanged


def rank_of(application: Application) -> int:
    if application.override_score is not None:
        return application.override_score
    return application.score if application.score is not None else -1


def updated_event(
    session: AsyncSession, organization: Organization, application: Application, change: str
) -> None:
    """`application.updated`: a member changed what the team sees of the application (`change`: tags, note,
    rating, scorecard, override_score, shortlisted). It is pushed live, so an open application view reads it
    again; it is not a webhook event type. Ids and the kind of change only, never the content."""
    emit_application_event(session, "application.updated", organization.owner_id, application, change=change)


async def update(
    session: AsyncSession, organization: Organization, application: Application, changes: dict[str, Any]
) -> None:
    changed: list[str] = []
    if "override_score" in changes:
        changed.append("override_score")
        application.override_score = changes["override_score"]
    if changes.get("shortlisted") is not None:
        changed.append("shortlisted")
        application.shortlisted = bool(changes["shortlisted"])
    application.rank_score = rank_of(application)
    application.updated_at = utcnow()
    if changed:
        updated_event(session, organization, application, ",".join(changed))
    await session.flush()


# --- what a reader sees --------------------------------------------------------------------------------------


def hides_identity(access: Access, posting: JobPosting, application: Application) -> bool:
    return (
        bool(posting.blind.get("enabled"))
        and not access.can(Operation.identity_read)
        and not application.shortlisted
    )


def scrubber_for(access: Access, posting: JobPosting, application: Application) -> Scrubber | None:
    """What removes the candidate's identity from free text for this reader (None: nothing to hide)."""
    if not hides_identity(access, posting, application):
        return None
    schools = bool(posting.blind.get("hide_schools"))
    return Scrubber(identity_terms(application.name, application.email, application.resume, schools))


def needs_resume(access: Access, posting: JobPosting) -> bool:
    """Whether listing this job for this reader needs the resumes (to find what to scrub): the largest
    column, so a list leaves it unloaded when no identity is hidden."""
    return bool(posting.blind.get("enabled")) and not access.can(Operation.identity_read)


def visible_resume(access: Access, posting: JobPosting, application: Application) -> dict[str, Any] | None:
    """The frozen resume as this reader may see it: on a blind job, below admin and before the shortlist, without
    what identifies the candidate (and the schools, if the job says so)."""
    return _redacted(application.resume, posting, scrubber_for(access, posting, application))


def _redacted(
    resume: dict[str, Any] | None, posting: JobPosting, scrub: Scrubber | None
) -> dict[str, Any] | None:
    if scrub is None or resume is None:
        return resume
    redacted: dict[str, Any] = scrub.deep(
        redact_resume(resume, schools=bool(posting.blind.get("hide_schools")))
    )
    return redacted


def present(
    access: Access,
    posting: JobPosting,
    application: Application,
    moves: list[ApplicationMove] | None = None,
    *,
    tags: list[str] | None = None,
    rating: RatingSummary | None = None,
    snippet: str | None = None,
) -> ApplicationOut | ApplicationDetail:
    """The application for this reader: blind-screened jobs hide identity below admin until shortlisted."""
    blinded = hides_identity(access, posting, application)
    fields: dict[str, Any] = {
        "id": application.id,
        "posting_id": application.posting_id,
        "name": None if blinded else application.name,
        "email": None if blinded else application.email,
        "blinded": blinded,
        "source": application.source,
        "status": application.status,
        "stage": application.stage,
        "shortlisted": application.shortlisted,
        "score": application.score,
        "override_score": application.override_score,
        "rank_score": application.rank_score if application.rank_score >= 0 else None,
        "years": application.years,
        "explanation": application.explanation,
        "rejection_reason": application.rejection_reason,
        "tags": tags or [],
        "rating": rating,
        "snippet": snippet,
        "version": application.version,
        "created_at": application.created_at,
        "scored_at": application.scored_at,
    }
    scrub = scrubber_for(access, posting, application)
    if scrub is not None:
        fields["explanation"] = scrub.deep(application.explanation)
        fields["rejection_reason"] = scrub.deep(application.rejection_reason)
        fields["snippet"] = scrub.deep(snippet)
    if moves is None:
        # A list item has no resume: lists may load applications without it (see `needs_resume`).
        return ApplicationOut.model_validate(fields)
    resume = _redacted(application.resume, posting, scrub)
    move_list = [MoveOut.model_validate(m) for m in moves]
    if scrub is not None:
        move_list = [m.model_copy(update={"reason": scrub.deep(m.reason)}) for m in move_list]
    return ApplicationDetail.model_validate({**fields, "resume": resume, "moves": move_list})
