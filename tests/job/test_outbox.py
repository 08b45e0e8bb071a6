"""Transactional outbox: jobs and events exist if and only if the change that asked for them committed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter, Request
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.context import AppContext
from shortlist.event import DomainEvent, emit, subscribe, unsubscribe
from shortlist.event.dispatcher import MAX_ATTEMPTS, dispatch_pending
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.job import service
from shortlist.job.embedded import JobRunner
from shortlist.job.enqueue import enqueue_in_request
from shortlist.job.runtime import job_services
from shortlist.job.scheduler import maintain_once
from shortlist.kit.db import utcnow
from shortlist.kit.problems import Conflict
from shortlist.main import create_app
from shortlist.models import Event, IdempotencyKey, Job, RefreshToken, Resume
from tests.conftest import Register
from tests.job.helpers import enqueue, event_names, make_user, wait_for


def _app_with_test_route(context: AppContext, owner: uuid.UUID) -> httpx.AsyncClient:
    app = create_app(context=context)
    router = APIRouter(route_class=TransactionalRoute)

    @router.post("/test/enqueue")
    async def enqueue_then(request: Request, fail: bool = False) -> dict[str, str]:
        session: AsyncSession = await get_session(request)
        job = await enqueue_in_request(request, session, "system.noop", {"echo": "x"}, owner_id=owner)
        emit(session, "test.happened", owner_id=owner, data={"job": str(job.id)})
        if fail:
            raise Conflict("the change failed after enqueueing")
        return {"id": str(job.id)}

    app.include_router(router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def _count(context: AppContext, model: type[Job] | type[Event]) -> int:
    async with context.database.reader() as session:
        return len((await session.scalars(select(model))).all())


async def test_committed_request_publishes_its_job(app_context: AppContext, job_runner: JobRunner) -> None:
    owner = await make_user(app_context)
    async with _app_with_test_route(app_context, owner) as client:
        response = await client.post("/test/enqueue", headers={"X-Request-ID": "req-outbox-1"})
    assert response.status_code == 200, response.text
    job = await wait_for(app_context, uuid.UUID(response.json()["id"]), "succeeded")
    assert job.request_id == "req-outbox-1"
    assert "test.happened" in await event_names(app_context)


async def test_rolled_back_request_leaves_no_job_and_no_event(app_context: AppContext) -> None:
    owner = await make_user(app_context)
    queued_before = app_context.queue.broker.qsize() if app_context.queue.is_local else 0  # type: ignore[attr-defined]
    async with _app_with_test_route(app_context, owner) as client:
        response = await client.post("/test/enqueue", params={"fail": "true"})
    assert response.status_code == 409
    assert await _count(app_context, Job) == 0
    assert await _count(app_context, Event) == 0
    if app_context.queue.is_local:
        assert app_context.queue.broker.qsize() == queued_before  # type: ignore[attr-defined]


async def test_resume_changes_emit_events_with_the_change(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    created = (await client.post("/v1/resumes", json={"title": "A", "content": {}}, headers=headers)).json()
    resume_id = uuid.UUID(created["id"])
    stale = await client.put(
        f"/v1/resumes/{resume_id}",
        json={"title": "B", "content": {}},
        headers={**headers, "If-Match": '"r99"'},
    )
    assert stale.status_code == 412
    assert await event_names(app_context, resume_id) == ["resume.created"]
    updated = await client.put(
        f"/v1/resumes/{resume_id}",
        json={"title": "B", "content": {}},
        headers={**headers, "If-Match": '"r1"'},
    )
    assert updated.status_code == 200
    assert (await client.delete(f"/v1/resumes/{resume_id}", headers=headers)).status_code == 204
    assert (await client.post(f"/v1/resumes/{resume_id}/restore", headers=headers)).status_code == 200
    assert await event_names(app_context, resume_id) == [
        "resume.created",
        "resume.updated",
        "resume.deleted",
        "resume.restored",
    ]
    async with app_context.database.reader() as session:
        event = (await session.scalars(select(Event).where(Event.resource_id == resume_id))).first()
    assert event is not None and event.data == {"resume_id": str(resume_id), "version": 1}
    assert event.request_id  # the request that made the change


async def test_dispatcher_delivers_in_the_subscribers_transaction(
    app_context: AppContext, job_runner: JobRunner
) -> None:
    owner = await make_user(app_context)
    seen: list[DomainEvent] = []

    async def on_ping(session: AsyncSession, event: DomainEvent) -> None:
        seen.append(event)
        # A subscriber's writes commit with the dispatch: here it asks for a job.
        await service.enqueue(session, "system.noop", {"echo": str(event.id)}, owner_id=event.owner_id)

    subscribe("test.ping", on_ping, name="test-ping")
    try:
        async with app_context.database.writer() as session:
            emit(session, "test.ping", owner_id=owner, data={"n": 1})
            emit(session, "test.other", owner_id=owner)
            await session.commit()
        # The runner's scheduler dispatches too; one more pass here must not deliver twice.
        await dispatch_pending(job_services(app_context))
        async with app_context.database.reader() as session:
            job = (await session.scalars(select(Job))).one_or_none()
        while job is None:
            await dispatch_pending(job_services(app_context))
            async with app_context.database.reader() as session:
                job = (await session.scalars(select(Job))).one_or_none()
        await wait_for(app_context, job.id, "succeeded")
        assert [e.name for e in seen] == ["test.ping"] and seen[0].data == {"n": 1}
        async with app_context.database.reader() as session:
            pending = (await session.scalars(select(Event).where(Event.dispatched_at.is_(None)))).all()
        assert [e.name for e in pending if e.name.startswith("test.")] == []
    finally:
        unsubscribe("test-ping")


async def test_failing_subscriber_gets_the_event_again_then_it_is_parked(app_context: AppContext) -> None:
    calls: list[int] = []

    async def broken(session: AsyncSession, event: DomainEvent) -> None:
        calls.append(event.seq)
        await service.enqueue(session, "system.noop", {}, owner_id=None)  # must roll back with the failure
        raise RuntimeError("subscriber is down")

    subscribe("test.fragile", broken, name="test-broken")
    try:
        async with app_context.database.writer() as session:
            emit(session, "test.fragile", owner_id=None)
            await session.commit()
        services = job_services(app_context)
        await dispatch_pending(services)
        async with app_context.database.reader() as session:
            event = (await session.scalars(select(Event))).one()
        assert event.dispatched_at is None and event.attempts == 1
        assert "subscriber is down" in (event.last_error or "")
        for _ in range(MAX_ATTEMPTS):
            await dispatch_pending(services)
        async with app_context.database.reader() as session:
            event = (await session.scalars(select(Event).execution_options(populate_existing=True))).one()
        assert event.dispatched_at is not None and event.attempts == MAX_ATTEMPTS
        assert len(calls) == MAX_ATTEMPTS
        assert await _count(app_context, Job) == 0
    finally:
        unsubscribe("test-broken")


async def test_maintenance_expires_keys_tokens_and_purges_old_trash(app_context: AppContext) -> None:
    owner = await make_user(app_context)
    now = utcnow()
    retention = timedelta(days=app_context.settings.resume_trash_retention_days)
    async with app_context.database.writer() as session:
        session.add_all(
            [
                IdempotencyKey(
                    subject="s",
                    key="old",
                    fingerprint="f",
                    locked_until=now,
                    expires_at=now - timedelta(hours=1),
                ),
                IdempotencyKey(
                    subject="s",
                    key="new",
                    fingerprint="f",
                    locked_until=now,
                    expires_at=now + timedelta(hours=1),
                ),
                RefreshToken(
                    user_id=owner,
                    family_id=uuid.uuid4(),
                    token_hash="a" * 64,
                    expires_at=now - timedelta(seconds=1),
                ),
                RefreshToken(
                    user_id=owner,
                    family_id=uuid.uuid4(),
                    token_hash="b" * 64,
                    expires_at=now + timedelta(days=1),
                ),
                Resume(
                    owner_id=owner, title="old", content={}, deleted_at=now - retention - timedelta(hours=1)
                ),
                Resume(owner_id=owner, title="recent", content={}, deleted_at=now - timedelta(days=1)),
                Resume(owner_id=owner, title="live", content={}),
            ]
        )
        await session.commit()
    old_job = await enqueue(app_context, "system.noop", publish=False)
    live_job = await enqueue(app_context, "system.noop", publish=False)
    long_ago = now - timedelta(days=app_context.settings.job_retention_days + 1)
    async with app_context.database.writer() as session:
        await session.execute(
            update(Job).where(Job.id == old_job).values(status="succeeded", finished_at=long_ago)
        )
        session.add(Event(name="test.old", owner_id=None, data={}, dispatched_at=long_ago))
        await session.commit()
    counts = await maintain_once(job_services(app_context))
    assert counts["jobs"] == 1 and counts["events"] == 1
    async with app_context.database.reader() as session:
        assert (await session.scalars(select(Job.id))).all() == [live_job]
    assert counts["idempotency_keys"] == 1 and counts["refresh_tokens"] == 1 and counts["resumes"] == 1
    async with app_context.database.reader() as session:
        assert sorted((await session.scalars(select(Resume.title))).all()) == ["live", "recent"]
        assert (await session.scalars(select(IdempotencyKey.key))).all() == ["new"]
    assert await event_names(app_context) == ["resume.purged"]
    assert (await maintain_once(job_services(app_context)))["resumes"] == 0


@pytest.mark.parametrize("status", ["queued", "running"])
async def test_cancel_is_conditional(app_context: AppContext, status: str) -> None:
    job_id = await enqueue(app_context, "system.noop", publish=False)
    if status == "running":
        async with app_context.database.writer() as session:
            await service.claim(session, job_id, "w")
            await session.commit()
    async with app_context.database.writer() as session:
        assert await service.cancel(session, job_id) is not None
        assert await service.cancel(session, job_id) is None
        # A worker finishing the cancelled attempt changes nothing.
        assert await service.succeed(session, job_id, 1, {"late": True}) is None
        await session.commit()
    assert await event_names(app_context, job_id) == ["job.cancelled"]
