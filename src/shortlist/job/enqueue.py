"""Enqueueing from a request: the job row joins the request's transaction and is published after commit."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.context import get_context
from shortlist.http.route import on_after_commit
from shortlist.job import service
from shortlist.job.runtime import job_services
from shortlist.models import Job


async def enqueue_in_request(
    request: Request,
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    owner_id: uuid.UUID | None,
    resource_id: uuid.UUID | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Insert a job in the request's transaction; it is published once the request commits, and never
    exists if the request fails. The request id travels in the job's metadata."""
    context = get_context(request)
    job = await service.enqueue(
        session,
        kind,
        payload,
        owner_id=owner_id,
        resource_id=resource_id,
        max_attempts=max_attempts,
        settings=context.settings,
        trace_id=request.headers.get("traceparent", "")[3:35] or None,
    )
    if not getattr(request.state, "jobs_publish_hooked", False):
        request.state.jobs_publish_hooked = True
        services = job_services(context)

        async def publish() -> None:
            await services.after_commit(session)

        on_after_commit(request, publish)
    return job
