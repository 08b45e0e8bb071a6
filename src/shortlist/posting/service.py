"""Job posting rules: status changes, requirements (extraction + corrections), stages, hiring managers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.event.outbox import emit
from shortlist.kit.db import utcnow
from shortlist.models import JobPosting
from shortlist.organization.service import Access
from shortlist.posting import ats_adapter, repository
from shortlist.posting.exceptions import (
    InvalidHiringManager,
    InvalidStages,
    InvalidTransition,
    PostingNotFound,
    StageInUse,
)
from shortlist.posting.schemas import PostingCreate, PostingOut, PostingStatus, Requirements, Stage

DEFAULT_STAGES = [
    {"id": "applied", "name": "Applied"},
    {"id": "screening", "name": "Screening"},
    {"id": "interview", "name": "Interview"},
    {"id": "offer", "name": "Offer"},
    {"id": "hired", "name": "Hired"},
    {"id": "rejected", "name": "Rejected"},
]
# Stages every pipeline keeps: where applications start, and the two ends.
FIXED_STAGES = ("applied", "hired", "rejected")

TRANSITIONS: dict[PostingStatus, frozenset[PostingStatus]] = {
    PostingStatus.draft: frozenset({PostingStatus.open, PostingStatus.archived}),
    PostingStatus.open: frozenset({PostingStatus.closed}),
    PostingStatus.closed: frozenset({PostingStatus.open, PostingStatus.archived}),
    PostingStatus.archived: frozenset(),
}
EVENTS = {PostingStatus.open: "job.opened", PostingStatus.closed: "job.closed"}


def etag_of(posting: JobPosting) -> str:
    return f'"r{posting.version}"'


def effective_requirements(posting: JobPosting) -> dict[str, Any]:
    """The extraction with every recruiter-set field winning."""
    effective = dict(posting.extracted)
    effective.setdefault("languages", [])
    for key, value in posting.requirements.items():
        if value is not None:
            effective[key] = value
    required = set(effective.get("required_skills") or [])
    effective["alternatives"] = [
        group for group in effective.get("alternatives") or [] if len(set(group) & required) > 1
    ]
    return effective


def _normalised_requirements(requirements: Requirements) -> dict[str, Any]:
    """Recruiter skills in the engine's spelling where it knows them ("postgres" → "PostgreSQL")."""
    data = requirements.model_dump(exclude_none=True)
    for key in ("required_skills", "preferred_skills"):
        if key in data:
            names = [ats_adapter.canonical_skill(n) or n for n in data[key]]
            data[key] = list(dict.fromkeys(names))
    return data


def unrecognised(effective: dict[str, Any]) -> list[str]:
    names = [*(effective.get("required_skills") or []), *(effective.get("preferred_skills") or [])]
    return [n for n in names if ats_adapter.canonical_skill(n) is None]


def to_out(posting: JobPosting, managers: list[uuid.UUID]) -> PostingOut:
    effective = effective_requirements(posting)
    salary = None
    if posting.salary_min is not None or posting.salary_max is not None:
        salary = {
            "min": posting.salary_min,
            "max": posting.salary_max,
            "currency": posting.salary_currency,
            "period": posting.salary_period,
        }
    return PostingOut.model_validate(
        {
            "id": posting.id,
            "organization_id": posting.organization_id,
            "status": posting.status,
            "title": posting.title,
            "description": posting.description,
            "location": posting.location,
            "workplace": posting.workplace,
            "employment_type": posting.employment_type,
            "salary": salary,
            "requirements": posting.requirements,
            "extracted": posting.extracted,
            "effective": effective,
            "unrecognised_skills": unrecognised(effective),
            "stages": posting.stages["stages"],
            "scorecard_criteria": posting.stages.get("criteria", []),
            "blind": posting.blind,
            "hiring_manager_ids": managers,
            "version": posting.version,
            "created_at": posting.created_at,
            "updated_at": posting.updated_at,
            "opened_at": posting.opened_at,
            "closed_at": posting.closed_at,
        }
    )


async def get(session: AsyncSession, access: Access, posting_id: uuid.UUID) -> JobPosting:
    posting = await repository.get(session, access, posting_id)
    if posting is None:
        raise PostingNotFound()
    return posting


async def _check_managers(session: AsyncSession, access: Access, user_ids: list[uuid.UUID]) -> None:
    if not user_ids:
        return
    members = await repository.members_among(session, access.organization.id, user_ids)
    strangers = sorted(str(u) for u in set(user_ids) - members)
    if strangers:
        raise InvalidHiringManager(f"Not members of this organization: {', '.join(strangers)}.")


def _apply_salary(posting: JobPosting, salary: dict[str, Any] | None) -> None:
    salary = salary or {}
    posting.salary_min = salary.get("min")
    posting.salary_max = salary.get("max")
    posting.salary_currency = salary.get("currency") if salary else None
    posting.salary_period = salary.get("period") if salary else None


async def create(session: AsyncSession, access: Access, body: PostingCreate) -> JobPosting:
    await _check_managers(session, access, body.hiring_manager_ids)
    posting = JobPosting(
        organization_id=access.organization.id,
        title=body.title,
        description=body.description,
        location=body.location,
        workplace=body.workplace,
        employment_type=body.employment_type,
        requirements=_normalised_requirements(body.requirements),
        extracted=ats_adapter.extract(body.title, body.description),
        stages={"stages": DEFAULT_STAGES, "criteria": list(dict.fromkeys(body.scorecard_criteria))},
        blind=body.blind.model_dump(),
        created_by=access.user_id,
    )
    _apply_salary(posting, body.salary.model_dump() if body.salary else None)
    session.add(posting)
    await session.flush()
    await repository.set_managers(session, posting.id, body.hiring_manager_ids)
    return posting


async def update(session: AsyncSession, access: Access, posting: JobPosting, changes: dict[str, Any]) -> None:
    if posting.status == PostingStatus.archived:
        raise InvalidTransition("An archived job is read-only.")
    for field in ("title", "description", "location", "workplace", "employment_type"):
        if field in changes and (changes[field] is not None or field == "location"):
            setattr(posting, field, changes[field])
    if "salary" in changes:
        _apply_salary(posting, changes["salary"])
    if changes.get("requirements") is not None:
        posting.requirements = _normalised_requirements(Requirements.model_validate(changes["requirements"]))
    if changes.get("blind") is not None:
        posting.blind = dict(changes["blind"])
    if "title" in changes or "description" in changes:
        posting.extracted = ats_adapter.extract(posting.title, posting.description)
    if changes.get("scorecard_criteria") is not None:
        posting.stages = {**posting.stages, "criteria": list(dict.fromkeys(changes["scorecard_criteria"]))}
    if changes.get("hiring_manager_ids") is not None:
        await _check_managers(session, access, changes["hiring_manager_ids"])
        await repository.set_managers(session, posting.id, changes["hiring_manager_ids"])
    posting.updated_at = utcnow()
    await session.flush()


async def transition(
    session: AsyncSession, access: Access, posting: JobPosting, target: PostingStatus
) -> None:
    current = PostingStatus(posting.status)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing"
        raise InvalidTransition(f"A {current} job can become {allowed}, not {target}.")
    now = utcnow()
    posting.status = target
    if target is PostingStatus.open:
        posting.opened_at = now
        posting.closed_at = None
    elif target is PostingStatus.closed:
        posting.closed_at = now
    posting.updated_at = now
    event = EVENTS.get(target)
    if event:
        emit(
            session,
            event,
            owner_id=access.organization.owner_id,
            resource_type="job_posting",
            resource_id=posting.id,
            data={"organization_id": str(posting.organization_id), "job_id": str(posting.id)},
        )
    await session.flush()


async def replace_stages(session: AsyncSession, posting: JobPosting, stages: list[Stage]) -> None:
    ids = [s.id for s in stages]
    if len(set(ids)) != len(ids):
        raise InvalidStages("Stage ids must be unique.")
    missing = [s for s in FIXED_STAGES if s not in ids]
    if missing:
        raise InvalidStages(
            f"Every pipeline keeps the stages {', '.join(FIXED_STAGES)}; missing: {', '.join(missing)}."
        )
    counts = await repository.stage_counts(session, posting.id)
    dropped = sorted(s for s, n in counts.items() if n and s not in ids)
    if dropped:
        raise StageInUse(f"Move the applications out of {', '.join(dropped)} before removing it.")
    posting.stages = {**posting.stages, "stages": [s.model_dump() for s in stages]}
    posting.updated_at = utcnow()
    await session.flush()


def stage_ids(posting: JobPosting) -> list[str]:
    return [str(s["id"]) for s in posting.stages["stages"]]
