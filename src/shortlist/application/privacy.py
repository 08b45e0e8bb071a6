"""Candidate data leaving or going: the CSV export of a job's applications (as its reader may see them),
a person's data export (everything held about them) and erasure."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import collaboration, repository, search, service
from shortlist.application.audit import service as audit
from shortlist.application.audit.service import AccessAction
from shortlist.event.outbox import emit
from shortlist.job.enqueue import enqueue_in_request
from shortlist.kit.problems import Unauthorized
from shortlist.models import (
    Application,
    ApplicationFile,
    ApplicationNote,
    IdempotencyKey,
    Job,
    JobPosting,
    Organization,
    User,
)
from shortlist.organization.service import Access

EXPORT_KIND = "application.export"
CSV_COLUMNS = [
    "application_id",
    "name",
    "email",
    "stage",
    "shortlisted",
    "status",
    "score",
    "override_score",
    "rank_score",
    "years",
    "matched_required",
    "missing_required",
    "tags",
    "rating",
    "applied_at",
]
EXPORT_BATCH = 500


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: make it plain text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def export_rows(
    session: AsyncSession,
    access: Access,
    posting: JobPosting,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> tuple[str, int]:
    """The ranked applications as CSV, each row as this reader may see it (blind screening applies)."""
    total = await repository.count_for_job(session, posting.id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    filters = repository.Filters(include_withdrawn=True)
    after: tuple[int, uuid.UUID] | None = None
    count = 0
    while True:
        rows = await repository.ranked_page(
            session, posting.organization_id, posting.id, filters, after, EXPORT_BATCH
        )
        batch = rows[:EXPORT_BATCH]
        ids = [a.id for a in batch]
        tags, ratings = await repository.tags_of(session, ids), await repository.ratings_of(session, ids)
        for application in batch:
            seen = service.present(
                access,
                posting,
                application,
                tags=tags[application.id],
                rating=collaboration.rating_summary(ratings[application.id], access.user_id),
            )
            explanation = seen.explanation or {}
            writer.writerow(
                _csv_cell(v)
                for v in (
                    seen.id,
                    seen.name,
                    seen.email,
                    seen.stage,
                    seen.shortlisted,
                    seen.status,
                    seen.score,
                    seen.override_score,
                    seen.rank_score,
                    seen.years,
                    "; ".join(m["skill"] for m in explanation.get("matched_required", [])),
                    "; ".join(explanation.get("missing_required", [])),
                    "; ".join(seen.tags),
                    seen.rating.average if seen.rating else None,
                    seen.created_at.isoformat(),
                )
            )
            count += 1
        if len(rows) <= EXPORT_BATCH:
            return out.getvalue(), count
        if progress is not None:
            await progress(10 + 85 * count // max(1, total))
        after = (batch[-1].rank_score, batch[-1].id)


# --- a person's data -------------------------------------------------------------------------------------------


def _person_filter(email: str, candidate_id: uuid.UUID | None) -> Any:
    condition = Application.email == email.lower()
    if candidate_id is not None:
        condition = or_(condition, Application.candidate_id == candidate_id)
    return condition


async def applications_of_person(
    session: AsyncSession, email: str, candidate_id: uuid.UUID | None, organization_id: uuid.UUID | None
) -> list[Application]:
    statement = select(Application).where(_person_filter(email, candidate_id))
    if organization_id is not None:
        statement = statement.where(Application.organization_id == organization_id)
    return list((await session.scalars(statement.order_by(Application.created_at))).all())


async def data_of(session: AsyncSession, applications: Sequence[Application]) -> dict[str, Any]:
    """Everything held about the person in these applications, as JSON."""
    items = []
    for application in applications:
        posting = await session.get(JobPosting, application.posting_id)
        stored = await repository.file_of(session, application.id)
        notes = await repository.all_notes(session, application.id)
        moves = await repository.moves_of(session, application.id)
        tags = await repository.tags_of(session, [application.id])
        ratings = await repository.ratings_of(session, [application.id])
        scorecards = await repository.scorecards_of(session, application.id)
        items.append(
            {
                "id": str(application.id),
                "organization_id": str(application.organization_id),
                "job": {"id": str(application.posting_id), "title": posting.title if posting else None},
                "name": application.name,
                "email": application.email,
                "source": application.source,
                "status": application.status,
                "stage": application.stage,
                "shortlisted": application.shortlisted,
                "score": application.score,
                "override_score": application.override_score,
                "years": application.years,
                "explanation": application.explanation,
                "rejection_reason": application.rejection_reason,
                "resume": application.resume,
                "file": {
                    "type": stored.file_type,
                    "name": stored.filename,
                    "size": stored.size,
                    "sha256": stored.sha256,
                }
                if stored
                else None,
                "moves": [
                    {
                        "from": m.from_stage,
                        "to": m.to_stage,
                        "reason": m.reason,
                        "at": m.created_at.isoformat(),
                    }
                    for m in moves
                ],
                "notes": [{"body": n.body, "at": n.created_at.isoformat()} for n in notes],
                "tags": tags[application.id],
                "ratings": [r.rating for r in ratings[application.id]],
                "scorecards": [{"stage": c.stage, **c.scores} for c in scorecards],
                "applied_at": application.created_at.isoformat(),
                "withdrawn_at": application.withdrawn_at.isoformat() if application.withdrawn_at else None,
            }
        )
    return {"applications": items}


async def erase(
    session: AsyncSession, applications: Sequence[Application], actor_id: uuid.UUID | None
) -> int:
    """Delete the applications and everything derived from them: files, parsed resumes, skills, notes,
    tags, ratings, moves (by cascade), stored idempotent responses that quote them, and the results of
    exports of their jobs. Events keep only ids (they never held more)."""
    if not applications:
        return 0
    ids = [a.id for a in applications]
    note_ids = await session.scalars(
        select(ApplicationNote.id).where(ApplicationNote.application_id.in_(ids))
    )
    needles = [str(i).encode() for i in [*ids, *note_ids.all()]]
    # Stored responses are kept a day or so: few rows, searched here rather than indexed.
    stored = await session.execute(
        select(IdempotencyKey.id, IdempotencyKey.response_body).where(
            IdempotencyKey.response_body.is_not(None)
        )
    )
    quoting = [row_id for row_id, body in stored.tuples() if body and any(n in body for n in needles)]
    if quoting:
        await session.execute(delete(IdempotencyKey).where(IdempotencyKey.id.in_(quoting)))
    postings = {str(a.posting_id) for a in applications}
    exports = await session.scalars(select(Job).where(Job.kind == EXPORT_KIND))
    for job in exports:
        if str(job.payload.get("posting_id")) in postings:
            job.result = None if job.result is None else {"erased": True}
    await search.forget(session, ids)
    await session.execute(delete(ApplicationFile).where(ApplicationFile.application_id.in_(ids)))
    await session.execute(delete(Application).where(Application.id.in_(ids)))
    for application in applications:
        emit(
            session,
            "application.erased",
            owner_id=None,
            resource_type="application",
            resource_id=application.id,
            data={
                "organization_id": str(application.organization_id),
                "actor_id": str(actor_id) if actor_id else None,
            },
        )
    await session.flush()
    return len(ids)


async def erase_for_organization(session: AsyncSession, access: Access, email: str) -> int:
    """An organisation erases one person's applications to it (a data request): each is on the access log,
    written before the rows go."""
    applications = await applications_of_person(session, email, None, access.organization.id)
    audit.record_applications(session, access, AccessAction.candidate_erased, audit.ids_of(applications))
    return await erase(session, applications, access.user_id)


async def export_for_organization(session: AsyncSession, access: Access, email: str) -> dict[str, Any]:
    """Everything an organisation holds about one person (a data-access request): each application is on
    the access log, and the export is a `candidate_data.exported` event."""
    applications = await applications_of_person(session, email, None, access.organization.id)
    audit.record_applications(session, access, AccessAction.candidate_exported, audit.ids_of(applications))
    emit(
        session,
        "candidate_data.exported",
        owner_id=access.organization.owner_id,
        resource_type="organization",
        resource_id=access.organization.id,
        data={"organization_id": str(access.organization.id), "actor_id": str(access.user_id)},
    )
    return await data_of(session, applications)


async def _candidate(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    return user


async def export_mine(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    """Everything held about a candidate in their applications (to any organisation)."""
    user = await _candidate(session, user_id)
    return await data_of(session, await applications_of_person(session, user.email, user.id, None))


async def erase_mine(session: AsyncSession, user_id: uuid.UUID) -> int:
    """A candidate erases all their applications and everything derived from them (the account stays)."""
    user = await _candidate(session, user_id)
    applications = await applications_of_person(session, user.email, user.id, None)
    return await erase(session, applications, user.id)


async def request_export(request: Request, session: AsyncSession, access: Access, posting: JobPosting) -> Job:
    """Queue the CSV of a job's applications (as the caller may see them) on the worker, and record the
    `candidate_data.exported` event. The job is published once the request commits."""
    job = await enqueue_in_request(
        request,
        session,
        EXPORT_KIND,
        {
            "organization_id": str(posting.organization_id),
            "posting_id": str(posting.id),
            "user_id": str(access.user_id),
        },
        owner_id=access.user_id,
        resource_id=posting.id,
    )
    emit(
        session,
        "candidate_data.exported",
        owner_id=access.organization.owner_id,
        resource_type="job_posting",
        resource_id=posting.id,
        data={
            "organization_id": str(posting.organization_id),
            "actor_id": str(access.user_id),
            "export_id": str(job.id),
        },
    )
    return job


# --- retention ------------------------------------------------------------------------------------------------

DAYS_PER_MONTH = 30


async def purge_expired(session: AsyncSession, now: datetime, limit: int = 1000) -> int:
    """Erase rejected applications kept past their organisation's retention (`retention_months`), counted
    from their last change (the move to rejected). Run by the scheduler's maintenance pass."""
    erased = 0
    organizations = await session.execute(
        select(Organization.id, Organization.retention_months).where(
            Organization.retention_months.is_not(None)
        )
    )
    for organization_id, months in organizations.tuples():
        if months is None:
            continue
        cutoff = now - timedelta(days=DAYS_PER_MONTH * months)
        statement = (
            select(Application)
            .where(
                Application.organization_id == organization_id,
                Application.stage == "rejected",
                Application.updated_at < cutoff,
            )
            .limit(limit - erased)
        )
        expired = list((await session.scalars(statement)).all())
        audit.record_retention_erasures(session, expired)
        erased += await erase(session, expired, None)
        if erased >= limit:
            break
    return erased
