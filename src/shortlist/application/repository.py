"""All SQL for applications. Recruiter reads are scoped by organisation and job (the job itself was loaded
through the posting repository's scoping); candidate reads by the candidate's user id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, delete, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from shortlist.kit.db import utcnow
from shortlist.kit.pagination import newest_first
from shortlist.models import (
    Application,
    ApplicationFile,
    ApplicationMove,
    ApplicationNote,
    ApplicationRating,
    ApplicationScorecard,
    ApplicationSkill,
    ApplicationTag,
    JobPosting,
    Organization,
    OrganizationMember,
    User,
)


def job_statement(organization_id: uuid.UUID, posting_id: uuid.UUID) -> Select[tuple[Application]]:
    return select(Application).where(
        Application.organization_id == organization_id, Application.posting_id == posting_id
    )


async def get_for_job(
    session: AsyncSession, organization_id: uuid.UUID, posting_id: uuid.UUID, application_id: uuid.UUID
) -> Application | None:
    statement = job_statement(organization_id, posting_id).where(Application.id == application_id)
    return (await session.scalars(statement)).one_or_none()


async def many_for_job(
    session: AsyncSession, organization_id: uuid.UUID, posting_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Application]:
    statement = job_statement(organization_id, posting_id).where(Application.id.in_(ids))
    return list((await session.scalars(statement.order_by(Application.id))).all())


@dataclass(frozen=True)
class Filters:
    stage: str | None = None
    shortlisted: bool | None = None
    min_score: int | None = None
    max_score: int | None = None
    min_years: float | None = None
    applied_after: datetime | None = None
    applied_before: datetime | None = None
    include_withdrawn: bool = False
    skills: tuple[str, ...] = ()
    all_skills: bool = True
    tags: tuple[str, ...] = ()
    min_rating: float | None = None
    # Only these (the full-text matches), when set.
    only_ids: tuple[uuid.UUID, ...] | None = None

    def key(self) -> str:
        return repr(self)


def ranked_statement(
    organization_id: uuid.UUID,
    posting_id: uuid.UUID,
    filters: Filters,
    after: tuple[int, uuid.UUID] | None,
    limit: int,
) -> Select[tuple[Application]]:
    """Best effective score first (the recruiter's override wins), then newest id; keyset on both."""
    statement = job_statement(organization_id, posting_id)
    if not filters.include_withdrawn:
        statement = statement.where(Application.status != "withdrawn")
    if filters.stage is not None:
        statement = statement.where(Application.stage == filters.stage)
    if filters.shortlisted is not None:
        statement = statement.where(Application.shortlisted.is_(filters.shortlisted))
    if filters.min_score is not None:
        statement = statement.where(Application.rank_score >= filters.min_score)
    if filters.max_score is not None:
        statement = statement.where(Application.rank_score <= filters.max_score)
    if filters.min_years is not None:
        statement = statement.where(Application.years >= filters.min_years)
    if filters.applied_after is not None:
        statement = statement.where(Application.created_at >= filters.applied_after)
    if filters.applied_before is not None:
        statement = statement.where(Application.created_at < filters.applied_before)
    if filters.only_ids is not None:
        statement = statement.where(Application.id.in_(filters.only_ids))
    # Correlated EXISTS: the ranked walk of the index stops once a page is full, checking each candidate
    # row by primary key, instead of first collecting every application in the organisation with a skill.
    if filters.skills:

        def has(*names: str) -> Any:
            return (
                select(ApplicationSkill.application_id)
                .where(ApplicationSkill.application_id == Application.id, ApplicationSkill.skill.in_(names))
                .exists()
            )

        if filters.all_skills:
            statement = statement.where(*(has(name) for name in dict.fromkeys(filters.skills)))
        else:
            statement = statement.where(has(*filters.skills))
    if filters.tags:
        tagged = select(ApplicationTag.application_id).where(
            ApplicationTag.application_id == Application.id, ApplicationTag.tag.in_(filters.tags)
        )
        statement = statement.where(tagged.exists())
    if filters.min_rating is not None:
        average = (
            select(func.avg(ApplicationRating.rating))
            .where(ApplicationRating.application_id == Application.id)
            .scalar_subquery()
        )
        statement = statement.where(average >= filters.min_rating)
    if after is not None:
        # A row value, not `rank < r OR (rank = r AND id < i)`: both databases turn it into a range on
        # (posting_id, rank_score, id), so page n starts where page n - 1 ended instead of walking from the top.
        statement = statement.where(tuple_(Application.rank_score, Application.id) < after)
    return statement.order_by(Application.rank_score.desc(), Application.id.desc()).limit(limit + 1)


async def ranked_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    posting_id: uuid.UUID,
    filters: Filters,
    after: tuple[int, uuid.UUID] | None,
    limit: int,
    *,
    with_resume: bool = True,
) -> list[Application]:
    statement = ranked_statement(organization_id, posting_id, filters, after, limit)
    if not with_resume:
        statement = statement.options(defer(Application.resume, raiseload=True))
    return list((await session.scalars(statement)).all())


async def moves_of(session: AsyncSession, application_id: uuid.UUID) -> list[ApplicationMove]:
    statement = (
        select(ApplicationMove)
        .where(ApplicationMove.application_id == application_id)
        .order_by(ApplicationMove.created_at, ApplicationMove.id)
    )
    return list((await session.scalars(statement)).all())


async def exists(session: AsyncSession, posting_id: uuid.UUID, email: str) -> bool:
    statement = select(Application.id).where(Application.posting_id == posting_id, Application.email == email)
    return (await session.scalar(statement)) is not None


async def file_of(session: AsyncSession, application_id: uuid.UUID) -> ApplicationFile | None:
    return await session.get(ApplicationFile, application_id)


# --- the candidate's own applications ----------------------------------------------------------------------


def mine_statement(candidate_id: uuid.UUID) -> Select[tuple[Application, JobPosting, Organization]]:
    return (
        select(Application, JobPosting, Organization)
        .join(JobPosting, JobPosting.id == Application.posting_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.candidate_id == candidate_id)
    )


async def mine_page(
    session: AsyncSession, candidate_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[tuple[Application, JobPosting, Organization]]:
    statement = mine_statement(candidate_id)
    if after is not None:
        moment, last_id = after
        statement = statement.where(
            or_(
                Application.created_at < moment,
                and_(Application.created_at == moment, Application.id < last_id),
            )
        )
    statement = statement.order_by(Application.created_at.desc(), Application.id.desc()).limit(limit + 1)
    return [(r[0], r[1], r[2]) for r in (await session.execute(statement)).all()]


async def mine(
    session: AsyncSession, candidate_id: uuid.UUID, application_id: uuid.UUID
) -> tuple[Application, JobPosting, Organization] | None:
    row = (
        await session.execute(mine_statement(candidate_id).where(Application.id == application_id))
    ).one_or_none()
    return (row[0], row[1], row[2]) if row is not None else None


async def count_for_job(session: AsyncSession, posting_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(Application).where(Application.posting_id == posting_id)
    return int(await session.scalar(statement) or 0)


# --- skills, tags, ratings, notes ------------------------------------------------------------------------------


async def set_skills(session: AsyncSession, application_id: uuid.UUID, skills: list[str]) -> None:
    await session.execute(delete(ApplicationSkill).where(ApplicationSkill.application_id == application_id))
    for skill in dict.fromkeys(skills):
        session.add(ApplicationSkill(application_id=application_id, skill=skill[:100]))
    await session.flush()


async def set_tags(session: AsyncSession, application_id: uuid.UUID, tags: list[str]) -> None:
    await session.execute(delete(ApplicationTag).where(ApplicationTag.application_id == application_id))
    for tag in dict.fromkeys(tags):
        session.add(ApplicationTag(application_id=application_id, tag=tag))
    await session.flush()


async def tags_of(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    if ids:
        rows = await session.execute(
            select(ApplicationTag.application_id, ApplicationTag.tag)
            .where(ApplicationTag.application_id.in_(ids))
            .order_by(ApplicationTag.tag)
        )
        for application_id, tag in rows.tuples():
            found[application_id].append(tag)
    return found


async def ratings_of(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[ApplicationRating]]:
    found: dict[uuid.UUID, list[ApplicationRating]] = {i: [] for i in ids}
    if ids:
        rows = await session.scalars(
            select(ApplicationRating).where(ApplicationRating.application_id.in_(ids))
        )
        for rating in rows:
            found[rating.application_id].append(rating)
    return found


async def rate(session: AsyncSession, application_id: uuid.UUID, user_id: uuid.UUID, rating: int) -> None:
    row = await session.get(ApplicationRating, (application_id, user_id))
    if row is None:
        session.add(ApplicationRating(application_id=application_id, user_id=user_id, rating=rating))
    else:
        row.rating = rating
        row.updated_at = utcnow()
    await session.flush()


async def notes_page(
    session: AsyncSession, application_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[ApplicationNote]:
    statement = newest_first(
        select(ApplicationNote).where(ApplicationNote.application_id == application_id),
        ApplicationNote.created_at,
        ApplicationNote.id,
        after,
        limit,
    )
    return list((await session.scalars(statement)).all())


async def all_notes(session: AsyncSession, application_id: uuid.UUID) -> list[ApplicationNote]:
    statement = select(ApplicationNote).where(ApplicationNote.application_id == application_id)
    return list((await session.scalars(statement.order_by(ApplicationNote.created_at))).all())


async def members_by_email(
    session: AsyncSession, organization_id: uuid.UUID, emails: list[str]
) -> list[tuple[uuid.UUID, str]]:
    if not emails:
        return []
    rows = await session.execute(
        select(User.id, User.email)
        .join(OrganizationMember, OrganizationMember.user_id == User.id)
        .where(OrganizationMember.organization_id == organization_id, User.email.in_(emails))
    )
    return [(user_id, email) for user_id, email in rows.tuples()]


async def scorecards_of(session: AsyncSession, application_id: uuid.UUID) -> list[ApplicationScorecard]:
    statement = (
        select(ApplicationScorecard)
        .where(ApplicationScorecard.application_id == application_id)
        .order_by(ApplicationScorecard.stage, ApplicationScorecard.updated_at)
    )
    return list((await session.scalars(statement)).all())


# --- batches for GraphQL's loaders (one statement for a whole page of applications) ---------------------------


RowT = TypeVar("RowT", ApplicationMove, ApplicationNote, ApplicationScorecard)


async def _grouped_by_application(
    session: AsyncSession, ids: list[uuid.UUID], statement: Select[tuple[RowT]]
) -> dict[uuid.UUID, list[RowT]]:
    """One statement for a page of applications, its rows grouped by application (every id has a list)."""
    found: dict[uuid.UUID, list[RowT]] = {i: [] for i in ids}
    if ids:
        for row in await session.scalars(statement):
            found[row.application_id].append(row)
    return found


async def moves_of_many(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ApplicationMove]]:
    statement = (
        select(ApplicationMove)
        .where(ApplicationMove.application_id.in_(ids))
        .order_by(ApplicationMove.created_at, ApplicationMove.id)
    )
    return await _grouped_by_application(session, ids, statement)


async def notes_of_many(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ApplicationNote]]:
    statement = (
        select(ApplicationNote)
        .where(ApplicationNote.application_id.in_(ids))
        .order_by(ApplicationNote.created_at, ApplicationNote.id)
    )
    return await _grouped_by_application(session, ids, statement)


async def scorecards_of_many(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ApplicationScorecard]]:
    statement = (
        select(ApplicationScorecard)
        .where(ApplicationScorecard.application_id.in_(ids))
        .order_by(ApplicationScorecard.stage, ApplicationScorecard.updated_at)
    )
    return await _grouped_by_application(session, ids, statement)
