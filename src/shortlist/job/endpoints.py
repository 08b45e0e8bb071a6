from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from shortlist.auth.dependencies import JobReader, JobWriter
from shortlist.context import AppContext
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute, on_after_commit
from shortlist.job import repository, service
from shortlist.job.exceptions import JobNotFound
from shortlist.job.runtime import job_services
from shortlist.job.schemas import JobOut, JobStatusName
from shortlist.kit.pagination import Page, by_created
from shortlist.models import Job
from shortlist.platform.pubsub import user_channel

router = APIRouter(
    prefix="/jobs", tags=["jobs"], route_class=TransactionalRoute, dependencies=[Depends(idempotency)]
)


# How often a live stream re-reads the job when no notification came (a worker in another process without
# Redis, or a lost message): the stream is correct without pub/sub, only slower.
STREAM_POLL_SECONDS = 2.0


async def _get(session: Session, subject: Any, job_id: uuid.UUID) -> Job:
    job = await repository.get(session, subject, job_id)
    if job is None:
        raise JobNotFound()
    return job


@router.get("", operation_id="list_jobs")
async def list_jobs(
    subject: JobReader,
    session: Session,
    paging: Paging,
    status: Annotated[JobStatusName | None, Query(description="Only jobs in this state.")] = None,
    kind: Annotated[str | None, Query(max_length=100, description="Only jobs of this kind.")] = None,
) -> Page[JobOut]:
    """Your jobs, newest first."""
    scope = service.list_cursor_scope(subject.user_id, status.value if status else None, kind)
    rows = await repository.list_page(
        session,
        subject,
        limit=paging.limit,
        after=paging.position(scope),
        status=status.value if status else None,
        kind=kind,
    )
    return paging.page(scope, rows, JobOut, key=by_created)


@router.get("/{job_id}", operation_id="get_job")
async def get_job(job_id: uuid.UUID, subject: JobReader, session: Session) -> JobOut:
    """One job: status, progress, attempts, result or the last error (a problem document)."""
    return JobOut.model_validate(await _get(session, subject, job_id))


@router.post("/{job_id}/cancel", operation_id="cancel_job", responses={409: {"description": "Already over."}})
async def cancel_job(
    job_id: uuid.UUID, subject: JobWriter, context: Context, session: Session, request: Request
) -> JobOut:
    """Cancel a queued or running job. A running handler stops at its next heartbeat; its outcome is
    discarded. Cancelling a cancelled job is a no-op; a job that already ended otherwise gets 409."""
    cancelled, changed = await service.cancel_owned(session, await _get(session, subject, job_id))
    if not changed:
        return JobOut.model_validate(cancelled)
    services = job_services(context)

    async def notify() -> None:
        await services.notify(cancelled)

    on_after_commit(request, notify)
    return JobOut.model_validate(cancelled)


@router.get(
    "/{job_id}/events",
    operation_id="stream_job",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events."}},
)
async def stream_job(job_id: uuid.UUID, subject: JobReader, context: Context, session: Session) -> Response:
    """Live progress as Server-Sent Events: `job` events carry the job (as in GET), the stream sends `end`
    and closes once the job is over."""
    await _get(session, subject, job_id)
    return StreamingResponse(
        _stream(context, subject.user_id, job_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _frame(event: str, data: dict[str, Any]) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


async def _stream(context: AppContext, owner_id: uuid.UUID, job_id: uuid.UUID) -> AsyncIterator[bytes]:
    # Subscribe before reading, so no change between the read and the subscription is missed.
    async with context.pubsub.subscribe(user_channel(owner_id)) as subscription:
        last: dict[str, Any] | None = None
        fresh: dict[str, Any] | None = await _read(context, owner_id, job_id)
        while True:
            if fresh is None:  # deleted meanwhile (its owner was)
                yield _frame("end", {"id": str(job_id), "status": "gone"})
                return
            if fresh != last and (last is None or fresh["updated_at"] >= last["updated_at"]):
                yield _frame("job", fresh)
                last = fresh
            if service.is_terminal(last["status"]):
                yield _frame("end", {"id": str(job_id), "status": last["status"]})
                return
            message = await subscription.get(STREAM_POLL_SECONDS)
            if message is None:
                yield b": keep-alive\n\n"
                fresh = await _read(context, owner_id, job_id)
            elif message.get("type") == "job" and message["job"].get("id") == str(job_id):
                fresh = message["job"]
            else:
                fresh = last


async def _read(context: AppContext, owner_id: uuid.UUID, job_id: uuid.UUID) -> dict[str, Any] | None:
    async with context.database.reader() as session:
        job = await repository.get_owned(session, owner_id, job_id)
        return service.job_json(job) if job is not None else None
