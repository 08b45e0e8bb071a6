"""Helpers for job tests: users, enqueueing, waiting on the jobs table."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from sqlalchemy import select

from shortlist.context import AppContext
from shortlist.job import service
from shortlist.job import tasks as _tasks  # noqa: F401 - registers the system.* kinds
from shortlist.job.runtime import job_services
from shortlist.models import Event, Job, User


async def make_user(context: AppContext) -> uuid.UUID:
    async with context.database.writer() as session:
        user = User(email=f"u-{uuid.uuid4().hex[:10]}@example.com", password_hash="x")
        session.add(user)
        await session.commit()
        return user.id


async def enqueue(
    context: AppContext,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    owner_id: uuid.UUID | None = None,
    max_attempts: int | None = None,
    publish: bool = True,
) -> uuid.UUID:
    async with context.database.writer() as session:
        job = await service.enqueue(
            session, kind, payload, owner_id=owner_id, max_attempts=max_attempts, settings=context.settings
        )
        await session.commit()
    if publish:
        await job_services(context).after_commit(session)
    else:
        service.take_pending(session)
    return job.id


async def get_job(context: AppContext, job_id: uuid.UUID) -> Job:
    async with context.database.reader() as session:
        return (
            await session.scalars(
                select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
            )
        ).one()


async def wait_for(
    context: AppContext, job_id: uuid.UUID, *statuses: str, within: float = 10.0, progress: int | None = None
) -> Job:
    deadline = time.monotonic() + within
    while True:
        job = await get_job(context, job_id)
        if job.status in statuses and (progress is None or job.progress >= progress):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} is {job.status} ({job.progress}%), not {statuses}")
        await asyncio.sleep(0.02)


async def event_names(context: AppContext, resource_id: uuid.UUID | None = None) -> list[str]:
    async with context.database.reader() as session:
        statement = select(Event.name).order_by(Event.seq)
        if resource_id is not None:
            statement = statement.where(Event.resource_id == resource_id)
        return list((await session.scalars(statement)).all())
