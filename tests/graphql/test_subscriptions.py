"""Subscriptions over WebSocket (graphql-transport-ws), served over real HTTP in the test's loop."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id
from shortlist.job.embedded import JobRunner
from shortlist.job.runtime import job_services
from shortlist.main import create_app
from tests.conftest import Register
from tests.graphql.conftest import api_key
from tests.graphql.wsclient import PROTOCOL, graphql_socket, next_message, subscribe
from tests.job.helpers import enqueue, wait_for
from tests.job.live_server import served

JOB_PROGRESS = "subscription($id: ID!) { jobProgress(id: $id) { jobId status progress } }"
RESUME_CHANGES = "subscription { resumeChanges { event resumeId version resumeGlobalId } }"


async def test_job_progress_and_resume_changes(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    headers = await register()
    owner = uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])
    job_id = await enqueue(
        app_context, "system.sleep", {"seconds": 0.6, "steps": 4}, owner_id=owner, publish=False
    )
    async with served(create_app(context=app_context)) as address:
        url = f"ws://{address}/graphql"
        async with graphql_socket(url, {"authorization": headers["Authorization"]}) as socket:
            await subscribe(socket, "job", JOB_PROGRESS, {"id": global_id("Job", job_id)})
            await subscribe(socket, "resumes", RESUME_CHANGES)
            first = await next_message(socket)
            assert first["id"] == "job" and first["payload"]["data"]["jobProgress"]["status"] == "queued"
            await job_services(app_context).publish([job_id])

            created = await client.post(
                "/graphql",
                json={
                    "query": 'mutation { createResume(input: {title: "Live", content: {}}) { ... on Resume { resumeId } } }'
                },
                headers=headers,
            )
            resume_id = created.json()["data"]["createResume"]["resumeId"]

            updates: list[dict[str, object]] = []
            change: dict[str, object] | None = None
            completed = False
            while not (completed and change):
                message = await next_message(socket, 20)
                if message["type"] == "complete":
                    assert message["id"] == "job"
                    completed = True
                elif message["id"] == "job":
                    updates.append(message["payload"]["data"]["jobProgress"])
                elif message["id"] == "resumes":
                    change = message["payload"]["data"]["resumeChanges"]
            assert updates[-1]["status"] == "succeeded"
            assert len({(u["status"], u["progress"]) for u in updates}) >= 2
            assert change == {
                "event": "resume.created",
                "resumeId": resume_id,
                "version": 1,
                "resumeGlobalId": global_id("Resume", resume_id),
            }
    await wait_for(app_context, job_id, "succeeded")


async def test_sockets_need_credentials_and_see_only_their_own(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    alice = await register()
    bob = await register()
    alice_id = uuid.UUID((await client.get("/v1/users/me", headers=alice)).json()["id"])
    job_id = await enqueue(app_context, "system.sleep", {"seconds": 0.1}, owner_id=alice_id, publish=False)
    reader = await api_key(client, bob, "resumes:read")
    async with served(create_app(context=app_context)) as address:
        url = f"ws://{address}/graphql"
        # No credentials: the connection is refused (4403, as graphql-transport-ws says).
        async with connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            try:
                await asyncio.wait_for(socket.recv(), 10)
                raise AssertionError("the socket should have closed")
            except ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 4403
        # Bob's API key (resumes:read only) is accepted; Alice's job is not his, and jobs need jobs:read.
        async with graphql_socket(url, {"apiKey": reader["X-API-Key"]}) as socket:
            await subscribe(socket, "1", JOB_PROGRESS, {"id": global_id("Job", job_id)})
            refused = await next_message(socket)
            assert refused["type"] == "error" or refused["payload"]["errors"], refused
        async with graphql_socket(url, {"authorization": bob["Authorization"]}) as socket:
            await subscribe(socket, "1", JOB_PROGRESS, {"id": global_id("Job", job_id)})
            message = await next_message(socket)
            errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
            assert "No such job" in json.dumps(errors), message


async def test_a_subscription_ends_when_the_token_expires(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    # Sockets measure the token's life with the setting; one second makes the expiry come during the test.
    monkeypatch.setattr(app_context.settings, "access_token_ttl_seconds", 1)
    async with (
        served(create_app(context=app_context)) as address,
        graphql_socket(f"ws://{address}/graphql", {"authorization": headers["Authorization"]}) as socket,
    ):
        await subscribe(socket, "r", RESUME_CHANGES)
        message = await next_message(socket, 10)
    assert message["type"] in ("next", "error"), message
    payload = message["payload"]
    errors = payload["errors"] if message["type"] == "next" else payload
    assert "expired" in json.dumps(errors)
