"""All SQL for organisations. Every read that takes an id from a caller also takes the organisation id, so
another organisation's ids are simply not found."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import (
    JobPosting,
    JobPostingManager,
    Organization,
    OrganizationInvitation,
    OrganizationMember,
    User,
)

RowsT = TypeVar("RowsT", bound=tuple[Any, ...])


async def membership(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[Organization, OrganizationMember] | None:
    statement = (
        select(Organization, OrganizationMember)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(
            Organization.id == organization_id,
            Organization.deleted_at.is_(None),
            OrganizationMember.user_id == user_id,
        )
    )
    row = (await session.execute(statement)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def slug_exists(session: AsyncSession, slug: str) -> bool:
    return (await session.scalar(select(Organization.id).where(Organization.slug == slug))) is not None


async def by_slug(session: AsyncSession, slug: str) -> Organization | None:
    statement = select(Organization).where(Organization.slug == slug, Organization.deleted_at.is_(None))
    return (await session.scalars(statement)).one_or_none()


def my_organizations_statement(user_id: uuid.UUID) -> Select[tuple[Organization, OrganizationMember]]:
    return (
        select(Organization, OrganizationMember)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(OrganizationMember.user_id == user_id, Organization.deleted_at.is_(None))
    )


async def my_organizations_page(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> list[tuple[Organization, OrganizationMember]]:
    statement = _members_newest_first(my_organizations_statement(user_id), after, limit)
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


def _members_newest_first(
    statement: Select[RowsT], after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Select[RowsT]:
    """`newest_first` for statements that select a member together with another entity."""
    if after is not None:
        moment, last_id = after
        statement = statement.where(
            or_(
                OrganizationMember.created_at < moment,
                and_(OrganizationMember.created_at == moment, OrganizationMember.id < last_id),
            )
        )
    return statement.order_by(OrganizationMember.created_at.desc(), OrganizationMember.id.desc()).limit(
        limit + 1
    )


def _members(organization_id: uuid.UUID) -> Select[tuple[OrganizationMember, User]]:
    return (
        select(OrganizationMember, User)
        .join(User, User.id == OrganizationMember.user_id)
        .where(OrganizationMember.organization_id == organization_id)
    )


async def members_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[tuple[OrganizationMember, User]]:
    statement = _members_newest_first(_members(organization_id), after, limit)
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


async def member(
    session: AsyncSession, organization_id: uuid.UUID, member_id: uuid.UUID
) -> tuple[OrganizationMember, User] | None:
    statement = _members(organization_id).where(OrganizationMember.id == member_id)
    row = (await session.execute(statement)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def member_by_user(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> OrganizationMember | None:
    statement = select(OrganizationMember).where(
        OrganizationMember.organization_id == organization_id, OrganizationMember.user_id == user_id
    )
    return (await session.scalars(statement)).one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def invitations_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[OrganizationInvitation]:
    statement = select(OrganizationInvitation).where(
        OrganizationInvitation.organization_id == organization_id
    )
    statement = newest_first(
        statement, OrganizationInvitation.created_at, OrganizationInvitation.id, after, limit
    )
    return list((await session.scalars(statement)).all())


async def invitation(
    session: AsyncSession, organization_id: uuid.UUID, invitation_id: uuid.UUID
) -> OrganizationInvitation | None:
    statement = select(OrganizationInvitation).where(
        OrganizationInvitation.organization_id == organization_id,
        OrganizationInvitation.id == invitation_id,
    )
    return (await session.scalars(statement)).one_or_none()


async def consume_invitation(
    session: AsyncSession, token_hash: str, user_id: uuid.UUID, now: datetime
) -> OrganizationInvitation | None:
    """Mark a pending invitation used. A conditional UPDATE: of two concurrent accepts exactly one wins."""
    result = await session.execute(
        update(OrganizationInvitation)
        .where(
            OrganizationInvitation.token_hash == token_hash,
            OrganizationInvitation.accepted_at.is_(None),
            OrganizationInvitation.revoked_at.is_(None),
            OrganizationInvitation.expires_at > now,
        )
        .values(accepted_at=now, accepted_by=user_id)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return None
    statement = select(OrganizationInvitation).where(OrganizationInvitation.token_hash == token_hash)
    return (await session.scalars(statement)).one()


async def forget_job_assignments(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """A member who leaves stops being a hiring manager on the organisation's jobs."""
    postings = select(JobPosting.id).where(JobPosting.organization_id == organization_id)
    await session.execute(
        delete(JobPostingManager).where(
            JobPostingManager.user_id == user_id, JobPostingManager.posting_id.in_(postings)
        )
    )
