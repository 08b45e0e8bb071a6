"""All SQL for job postings. Every statement is scoped by the caller's organisation, and for a hiring
manager by the jobs they were added to (`readable_statement`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import Application, JobPosting, JobPostingManager, OrganizationMember
from shortlist.organization.policy import job_scoped
from shortlist.organization.service import Access


def readable_statement(access: Access) -> Select[tuple[JobPosting]]:
    statement = select(JobPosting).where(JobPosting.organization_id == access.organization.id)
    if job_scoped(access.role):
        mine = select(JobPostingManager.posting_id).where(JobPostingManager.user_id == access.user_id)
        statement = statement.where(JobPosting.id.in_(mine))
    return statement


async def get(session: AsyncSession, access: Access, posting_id: uuid.UUID) -> JobPosting | None:
    statement = readable_statement(access).where(JobPosting.id == posting_id)
    return (await session.scalars(statement)).one_or_none()


async def page(
    session: AsyncSession,
    access: Access,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    status: str | None,
) -> list[JobPosting]:
    statement = readable_statement(access)
    if status is not None:
        statement = statement.where(JobPosting.status == status)
    statement = newest_first(statement, JobPosting.updated_at, JobPosting.id, after, limit)
    return list((await session.scalars(statement)).all())


async def manager_ids(
    session: AsyncSession, posting_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = {pid: [] for pid in posting_ids}
    if not posting_ids:
        return found
    rows = await session.execute(
        select(JobPostingManager.posting_id, JobPostingManager.user_id)
        .where(JobPostingManager.posting_id.in_(posting_ids))
        .order_by(JobPostingManager.user_id)
    )
    for posting_id, user_id in rows.tuples():
        found[posting_id].append(user_id)
    return found


async def members_among(
    session: AsyncSession, organization_id: uuid.UUID, user_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(OrganizationMember.user_id).where(
            OrganizationMember.organization_id == organization_id, OrganizationMember.user_id.in_(user_ids)
        )
    )
    return set(rows.all())


async def set_managers(session: AsyncSession, posting_id: uuid.UUID, user_ids: list[uuid.UUID]) -> None:
    await session.execute(delete(JobPostingManager).where(JobPostingManager.posting_id == posting_id))
    for user_id in dict.fromkeys(user_ids):
        session.add(JobPostingManager(posting_id=posting_id, user_id=user_id))
    await session.flush()


async def stage_counts(session: AsyncSession, posting_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(
        select(Application.stage, func.count())
        .where(Application.posting_id == posting_id)
        .group_by(Application.stage)
    )
    return {stage: int(count) for stage, count in rows.tuples()}


# --- the public careers page: open jobs of an organisation, no caller ---------------------------------------


def open_jobs_statement(organization_id: uuid.UUID) -> Select[tuple[JobPosting]]:
    return select(JobPosting).where(
        JobPosting.organization_id == organization_id, JobPosting.status == "open"
    )


async def open_job(
    session: AsyncSession, organization_id: uuid.UUID, posting_id: uuid.UUID
) -> JobPosting | None:
    statement = open_jobs_statement(organization_id).where(JobPosting.id == posting_id)
    return (await session.scalars(statement)).one_or_none()


async def open_jobs(session: AsyncSession, organization_id: uuid.UUID, query: str | None) -> list[JobPosting]:
    statement = open_jobs_statement(organization_id)
    if query:
        statement = statement.where(
            func.lower(JobPosting.title).contains(query.lower(), autoescape=True)
            | func.lower(func.coalesce(JobPosting.location, "")).contains(query.lower(), autoescape=True)
            | func.lower(JobPosting.description).contains(query.lower(), autoescape=True)
        )
    statement = statement.order_by(JobPosting.opened_at.desc(), JobPosting.id.desc()).limit(500)
    return list((await session.scalars(statement)).all())
