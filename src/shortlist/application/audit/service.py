"""Recording reads and exports of candidate data, and reading the log back. Takes the session; never commits:
an entry commits with the request that disclosed the data, and only if it succeeded."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application.audit import repository
from shortlist.application.audit.repository import AccessFilters
from shortlist.event.outbox import current_request_id
from shortlist.kit.problems import ValidationFailed
from shortlist.models import Application, CandidateDataAccess
from shortlist.organization.service import Access


class AccessAction(StrEnum):
    application_read = "application.read"
    # A ranked list page: one entry per application on it, written together in one statement.
    applications_listed = "applications.listed"
    file_downloaded = "application.file_downloaded"
    resume_rendered = "application.resume_rendered"
    export_requested = "applications.export_requested"
    export_downloaded = "applications.export_downloaded"
    candidate_exported = "candidate_data.exported"
    candidate_erased = "candidate_data.erased"
    retention_erased = "candidate_data.retention_erased"


# The credential column of an entry written by the retention scheduler: no one acted, a rule did.
SCHEDULER_CREDENTIAL = "scheduler"


def _fields(
    actor: Access,
    action: AccessAction,
    *,
    posting_id: uuid.UUID | None,
    application_id: uuid.UUID | None,
    person_id: uuid.UUID | None,
) -> dict[str, Any]:
    subject = actor.subject
    return {
        "organization_id": actor.organization.id,
        "actor_id": actor.user_id,
        "credential": str(subject.credential),
        "credential_id": subject.credential_id,
        "action": str(action),
        "posting_id": posting_id,
        "application_id": application_id,
        "person_id": person_id,
        "request_id": current_request_id(),
    }


def _entry(
    actor: Access,
    action: AccessAction,
    *,
    posting_id: uuid.UUID | None,
    application_id: uuid.UUID | None,
    person_id: uuid.UUID | None,
) -> CandidateDataAccess:
    return CandidateDataAccess(
        **_fields(actor, action, posting_id=posting_id, application_id=application_id, person_id=person_id)
    )


async def record(
    session: AsyncSession,
    actor: Access,
    action: AccessAction,
    *,
    posting_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
) -> None:
    """One entry; the candidate's account is looked up from the application (ids only)."""
    person = None
    if application_id is not None:
        person = (await repository.candidates_of(session, actor.organization.id, [application_id])).get(
            application_id
        )
    repository.add(
        session,
        [_entry(actor, action, posting_id=posting_id, application_id=application_id, person_id=person)],
    )
    await session.flush()


def record_applications(
    session: AsyncSession,
    actor: Access,
    action: AccessAction,
    applications: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]],
) -> None:
    """One entry per (application, job, candidate account) touched; one without ids when none was found,
    so a request that disclosed nothing is still on record. Call before an erasure deletes the rows."""
    entries = [
        _entry(actor, action, posting_id=posting, application_id=application, person_id=person)
        for application, posting, person in applications
    ] or [_entry(actor, action, posting_id=None, application_id=None, person_id=None)]
    repository.add(session, entries)


async def record_listed(
    session: AsyncSession, actor: Access, posting_id: uuid.UUID, applications: Sequence[Application]
) -> None:
    """A ranked list page: one `applications.listed` entry per application on it (job, application,
    candidate account, all already loaded), in one INSERT however long the page; one naming the job alone
    when the page is empty."""
    action = AccessAction.applications_listed
    rows = [
        _fields(actor, action, posting_id=a.posting_id, application_id=a.id, person_id=a.candidate_id)
        for a in applications
    ] or [_fields(actor, action, posting_id=posting_id, application_id=None, person_id=None)]
    await repository.insert_rows(session, rows)


def record_retention_erasures(session: AsyncSession, applications: Sequence[Application]) -> None:
    """One entry per application the retention rule erases, with no actor. Call before the rows go."""
    repository.add(
        session,
        [
            CandidateDataAccess(
                organization_id=a.organization_id,
                actor_id=None,
                credential=SCHEDULER_CREDENTIAL,
                credential_id=None,
                action=str(AccessAction.retention_erased),
                posting_id=a.posting_id,
                application_id=a.id,
                person_id=a.candidate_id,
                request_id=None,
            )
            for a in applications
        ],
    )


def filters(
    *,
    action: AccessAction | None,
    actor_id: uuid.UUID | None,
    credential: str | None,
    application_id: uuid.UUID | None,
    person_id: uuid.UUID | None,
    since: datetime | None,
    until: datetime | None,
) -> AccessFilters:
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and moment.tzinfo is None:
            raise ValidationFailed(
                f"{name} needs a UTC offset, e.g. 2030-01-01T00:00:00Z.",
                [{"location": ["query", name], "message": "offset missing", "type": "timezone_aware"}],
            )
    return AccessFilters(
        action=str(action) if action is not None else None,
        actor_id=actor_id,
        credential=credential,
        application_id=application_id,
        person_id=person_id,
        since=since,
        until=until,
    )


def ids_of(applications: Sequence[Application]) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]]:
    return [(a.id, a.posting_id, a.candidate_id) for a in applications]


async def page(
    session: AsyncSession,
    actor: Access,
    filters: AccessFilters,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[CandidateDataAccess]:
    return await repository.page(session, actor.organization.id, filters, limit=limit, after=after)


async def purge_expired(session: AsyncSession, now: datetime, retention_days: int) -> int:
    """Entries past the retention go (the scheduler's maintenance pass)."""
    return await repository.purge_before(session, now - timedelta(days=retention_days))
