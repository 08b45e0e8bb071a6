"""Live progress over real HTTP: Server-Sent Events, the WebSocket, and Redis fan-out between instances."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from shortlist.context import AppContext
from shortlist.job import endpoints, live
from shortlist.job.embedded import JobRunner
from shortlist.job.runtime import job_services
from shortlist.main import build_context, close_context, create_app
from shortlist.models import Job
from shortlist.platform.pubsub import RedisPubSub
from tests.conftest import Register, worker_services
from tests.job.helpers import enqueue, make_user, wait_for
from tests.job.live_server import served


async def _account(client: httpx.AsyncClient, register: Register) -> tuple[dict[str, str], uuid.UUID, str]:
    headers = await register()
    me = (await client.get("/v1/users/me", headers=headers)).json()
    return headers, uuid.UUID(me["id"]), headers["Authorization"].removeprefix("Bearer ")


async def _sse(url: str, headers: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    async with httpx.AsyncClient(timeout=20) as http, http.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    return events


async def test_sse_streams_progress_until_the_job_ends(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    headers, owner, _ = await _account(client, register)
    job_id = await enqueue(
        app_context, "system.sleep", {"seconds": 1.0, "steps": 5}, owner_id=owner, publish=False
    )
    async with served(create_app(context=app_context)) as address:
        reader = asyncio.create_task(_sse(f"http://{address}/v1/jobs/{job_id}/events", headers))
        await asyncio.sleep(0.2)
        await job_services(app_context).publish([job_id])
        events = await asyncio.wait_for(reader, 20)
    jobs = [data for name, data in events if name == "job"]
    assert jobs[0]["status"] in ("queued", "running")
    assert jobs[-1]["status"] == "succeeded" and jobs[-1]["progress"] == 100
    progress = [j["progress"] for j in jobs]
    assert progress == sorted(progress) and len(set(progress)) >= 3  # saw it move
    assert events[-1] == ("end", {"id": str(job_id), "status": "succeeded"})


async def _receive(socket: ClientConnection, within: float = 5.0) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
        if message["type"] != "ping":
            return message


async def test_websocket_needs_a_valid_token(app_context: AppContext) -> None:
    async with served(create_app(context=app_context)) as address:
        async with connect(f"ws://{address}/v1/ws") as socket:
            await socket.send(json.dumps({"type": "subscribe", "topic": "jobs"}))
            assert (await _receive(socket))["error"]["type"].endswith("/unauthorized")
            with pytest.raises(ConnectionClosed) as closed:
                await socket.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        async with connect(f"ws://{address}/v1/ws?access_token=not.a.token") as socket:
            assert (await _receive(socket))["type"] == "error"
            with pytest.raises(ConnectionClosed):
                await socket.recv()


async def test_websocket_sends_own_jobs_and_events_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    alice_headers, alice, alice_token = await _account(client, register)
    _, _, bob_token = await _account(client, register)
    async with (
        served(create_app(context=app_context)) as address,
        connect(f"ws://{address}/v1/ws?access_token={alice_token}") as alice_ws,
        connect(f"ws://{address}/v1/ws") as bob_ws,
    ):
        assert (await _receive(alice_ws))["type"] == "ready"
        await bob_ws.send(json.dumps({"type": "auth", "token": bob_token}))  # token as first message
        assert (await _receive(bob_ws))["type"] == "ready"
        for topic in ("jobs", "events"):
            await alice_ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            await bob_ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            assert (await _receive(alice_ws))["type"] == "subscribed"
            assert (await _receive(bob_ws))["type"] == "subscribed"

        job_id = await enqueue(app_context, "system.sleep", {"seconds": 0.3, "steps": 3}, owner_id=alice)
        await bob_ws.send(json.dumps({"type": "subscribe", "topic": f"job:{job_id}"}))
        refused = await _receive(bob_ws)
        assert refused["type"] == "error" and refused["error"]["type"].endswith("/not-found")

        statuses: list[str] = []
        while "succeeded" not in statuses:
            message = await _receive(alice_ws)
            if message["type"] == "job":
                assert message["job"]["id"] == str(job_id)
                statuses.append(message["job"]["status"])
        assert statuses[0] == "running"
        created = await client.post("/v1/resumes", json={"title": "CV", "content": {}}, headers=alice_headers)
        names = []
        while "resume.created" not in names:
            message = await _receive(alice_ws)
            if message["type"] == "event":
                names.append(message["event"]["name"])
                assert message["event"]["resource_id"] in (created.json()["id"], str(job_id))
        # Bob heard nothing of all this.
        with pytest.raises(TimeoutError):
            await _receive(bob_ws, within=0.5)
        await bob_ws.send(json.dumps({"type": "ping"}))
        assert (await _receive(bob_ws))["type"] == "pong"
        await bob_ws.send("not json")
        assert (await _receive(bob_ws))["type"] == "error"


async def test_websocket_token_without_jobs_scope_is_refused(app_context: AppContext) -> None:
    user = await make_user(app_context)
    token = app_context.tokens.issue(user, "user", frozenset({"resumes:read"}))
    async with (
        served(create_app(context=app_context)) as address,
        connect(f"ws://{address}/v1/ws?access_token={token}") as socket,
    ):
        assert (await _receive(socket))["error"]["type"].endswith("/forbidden")
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


needs_redis = pytest.mark.skipif(
    not os.environ.get("SHORTLIST_REDIS_URL"), reason="needs SHORTLIST_REDIS_URL"
)


@needs_redis
async def test_redis_pubsub_reaches_another_instance() -> None:
    url = os.environ["SHORTLIST_REDIS_URL"]
    first, second = RedisPubSub(url), RedisPubSub(url)
    channel = f"test:{uuid.uuid4().hex}"
    try:
        async with second.subscribe(channel) as subscription, second.subscribe(channel + "x") as other:
            await first.publish(channel, {"n": 1})
            assert await subscription.get(5) == {"n": 1}
            assert await other.get(0.2) is None
    finally:
        await first.close()
        await second.close()


@needs_redis
async def test_progress_crosses_instances_through_redis(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker runs with instance B; a client streams from instance A. Polling is slowed to a crawl, so
    only Redis pub/sub can bring the progress over in time."""
    monkeypatch.setattr(endpoints, "STREAM_POLL_SECONDS", 60.0)
    headers, owner, _ = await _account(client, register)
    other = await build_context(app_context.settings)
    services = worker_services(other)
    try:
        async with JobRunner(services), served(create_app(context=app_context)) as address:
            job_id = await enqueue(
                other, "system.sleep", {"seconds": 0.5, "steps": 5}, owner_id=owner, publish=False
            )
            reader = asyncio.create_task(_sse(f"http://{address}/v1/jobs/{job_id}/events", headers))
            await asyncio.sleep(0.3)
            await job_services(other).publish([job_id])
            events = await asyncio.wait_for(reader, 15)
            await wait_for(other, job_id, "succeeded")
    finally:
        await services.queue.shutdown()
        await close_context(other)
    jobs = [data for name, data in events if name == "job"]
    # With polling at 60 s, every update after the first read came over Redis from the other instance.
    assert jobs[-1]["status"] == "succeeded"
    assert len({(j["status"], j["progress"]) for j in jobs}) >= 3
    assert events[-1][0] == "end"


async def test_embedded_serve_runs_jobs_itself(app_context: AppContext) -> None:
    """Without a broker the server's lifespan starts the worker and scheduler loops."""
    if app_context.settings.broker_url:
        pytest.skip("embedded mode only")
    job_id = await enqueue(app_context, "system.noop", publish=False)
    async with app_context.database.writer() as session:
        # Published into nobody's queue: the server's own sweeper has to find it.
        await session.execute(update(Job).where(Job.id == job_id).values(published_at=None))
        await session.commit()
    async with served(create_app(app_context.settings)):
        job = await wait_for(app_context, job_id, "succeeded")
    assert job.worker_id is not None


async def test_websocket_closes_when_its_token_expires(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, token = await _account(client, register)
    monkeypatch.setattr(app_context.settings, "access_token_ttl_seconds", 1)
    async with (
        served(create_app(context=app_context)) as address,
        connect(f"ws://{address}/v1/ws?access_token={token}") as socket,
    ):
        assert (await _receive(socket))["type"] == "ready"
        expired = await _receive(socket, within=5)
        assert expired["type"] == "error" and "expired" in expired["error"]["detail"]
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_websocket_takes_an_api_key_in_the_header_or_the_first_message(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    headers, owner, _ = await _account(client, register)
    keys = {}
    for name, scopes in (("live", ["jobs:read"]), ("no-jobs", ["resumes:read"])):
        created = await client.post("/v1/api-keys", json={"name": name, "scopes": scopes}, headers=headers)
        assert created.status_code == 201, created.text
        keys[name] = created.json()
    key = keys["live"]["key"]
    async with (
        served(create_app(context=app_context)) as address,
        connect(f"ws://{address}/v1/ws", additional_headers={"X-API-Key": key}) as by_header,
        connect(f"ws://{address}/v1/ws") as by_message,
    ):
        assert (await _receive(by_header))["type"] == "ready"
        await by_message.send(json.dumps({"type": "auth", "api_key": key}))
        assert (await _receive(by_message))["type"] == "ready"
        await by_header.send(json.dumps({"type": "subscribe", "topic": "jobs"}))
        assert (await _receive(by_header))["type"] == "subscribed"
        job_id = await enqueue(app_context, "system.noop", {}, owner_id=owner)
        while (message := await _receive(by_header))["type"] != "job" or message["job"][
            "status"
        ] != "succeeded":
            pass
        assert message["job"]["id"] == str(job_id)
        async with connect(
            f"ws://{address}/v1/ws", additional_headers={"X-API-Key": keys["no-jobs"]["key"]}
        ) as weak:
            assert (await _receive(weak))["error"]["type"].endswith("/forbidden")
        async with connect(f"ws://{address}/v1/ws", additional_headers={"X-API-Key": "slk_nonsense"}) as bad:
            assert (await _receive(bad))["error"]["type"].endswith("/unauthorized")

    # When its time comes the socket looks its key up again: a revoked key loses it.
    assert await live._key_still_valid(app_context, key)
    revoked = await client.delete(f"/v1/api-keys/{keys['live']['id']}", headers=headers)
    assert revoked.status_code == 204
    assert not await live._key_still_valid(app_context, key)
