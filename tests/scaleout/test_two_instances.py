"""Scale-out: two API processes and a worker process on one PostgreSQL, Redis and (when set) broker.

Runs when the suite is pointed at real services (CI's second run); the embedded defaults are one process.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from shortlist.context import AppContext
from tests.conftest import PASSWORD, empty_tables
from tests.support import running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (
            os.environ.get("SHORTLIST_DATABASE_URL", "").startswith("postgresql")
            and os.environ.get("SHORTLIST_REDIS_URL")
        ),
        reason="needs SHORTLIST_DATABASE_URL (PostgreSQL) and SHORTLIST_REDIS_URL: shared state across processes",
    ),
]

USER_LIMIT = 200


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, context: AppContext) -> Iterator[tuple[str, str]]:
    env = {
        "SHORTLIST_SECRET_KEY": context.settings.secret_key.get_secret_value(),
        "SHORTLIST_DATABASE_URL": context.settings.resolved_database_url,
        "SHORTLIST_PASSWORD_TIME_COST": "1",
        "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
        "SHORTLIST_RATE_LIMIT_USER": f"{USER_LIMIT}/minute",
        "SHORTLIST_RATE_LIMIT_ANONYMOUS": "100000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_IP": "100000/minute",
        "SHORTLIST_REFRESH_REUSE_GRACE_SECONDS": "0.5",
        "SHORTLIST_BROKER_QUEUE": context.settings.broker_queue,  # the run's own queue
    }
    with ExitStack() as stack:
        a, _ = stack.enter_context(running_server(tmp_path_factory.mktemp("api-a"), env))
        b, _ = stack.enter_context(running_server(tmp_path_factory.mktemp("api-b"), env))
        if os.environ.get("SHORTLIST_BROKER_URL"):
            worker = subprocess.Popen(
                [sys.executable, "-m", "shortlist.cli", "worker", "--scheduler"],
                env={**os.environ, **env, "SHORTLIST_LOG_LEVEL": "WARNING"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(worker.wait, 15)
            stack.callback(worker.terminate)
        yield a, b


@pytest.fixture
async def account(cluster: tuple[str, str], context: AppContext) -> Any:
    a, _ = cluster
    email = f"scale-{uuid.uuid4().hex[:10]}@example.com"
    async with httpx.AsyncClient(base_url=a, timeout=20) as client:
        assert (
            await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
        ).status_code == 201
        tokens = (await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})).json()
    yield email, tokens
    await empty_tables(context)


async def test_a_rate_limit_holds_across_instances(cluster: tuple[str, str], account: Any) -> None:
    _, tokens = account
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    statuses: list[int] = []
    async with httpx.AsyncClient(timeout=20) as client:
        for index in range(USER_LIMIT + 60):
            base = cluster[index % 2]
            statuses.append((await client.get(f"{base}/v1/resumes", headers=headers)).status_code)
    allowed = statuses.count(200)
    assert set(statuses) <= {200, 429}
    # One budget for the user, wherever the requests land (within 1 %).
    assert abs(allowed - USER_LIMIT) <= USER_LIMIT * 0.01, allowed


async def test_one_idempotency_key_one_effect_across_instances(
    cluster: tuple[str, str], account: Any
) -> None:
    _, tokens = account
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Idempotency-Key": uuid.uuid4().hex}
    body = {"title": "Once", "content": {"basics": {"name": "Ada"}}}
    async with httpx.AsyncClient(timeout=20) as client:
        responses = await asyncio.gather(
            *[client.post(f"{cluster[i % 2]}/v1/resumes", json=body, headers=headers) for i in range(8)]
        )
        # Whatever was still in flight settles into a replay.
        again = await client.post(f"{cluster[1]}/v1/resumes", json=body, headers=headers)
        listed = (await client.get(f"{cluster[0]}/v1/resumes", headers=headers)).json()["items"]
    assert {r.status_code for r in responses} <= {201, 409}
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert len(listed) == 1 and listed[0]["id"] == again.json()["id"]


async def test_a_write_on_one_instance_applies_to_the_next_read_on_the_other(
    cluster: tuple[str, str], account: Any
) -> None:
    """Each instance keeps its own copy of account states and resume entries; a write made through the other
    instance must still reach the very next request (the copy goes with Redis's invalidation message)."""
    _, tokens = account
    a, b = cluster
    async with httpx.AsyncClient(timeout=20) as client:
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        created = await client.post(
            f"{a}/v1/resumes",
            json={"title": "Round 0", "content": {"basics": {"name": "Ada"}}},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        url = f"/v1/resumes/{created.json()['id']}"
        for round_ in range(1, 11):
            for _ in range(3):  # b now answers from its own copy
                held = await client.get(f"{b}{url}", headers=headers)
                assert held.status_code == 200
            edited = await client.put(
                f"{a}{url}",
                json={"title": f"Round {round_}", "content": {"basics": {"name": "Ada"}}},
                headers={**headers, "If-Match": held.headers["etag"]},
            )
            assert edited.status_code == 200, edited.text
            seen = await client.get(f"{b}{url}", headers=headers)
            assert seen.json()["title"] == f"Round {round_}", round_
            assert seen.headers["etag"] == edited.headers["etag"]

        # Signing out everywhere on a refuses the same token on b at once.
        assert (await client.post(f"{a}/v1/auth/logout-all", headers=headers)).status_code == 204
        refused = await client.get(f"{b}{url}", headers=headers)
        assert refused.status_code == 401, refused.text


async def test_refresh_token_reuse_is_caught_across_instances(cluster: tuple[str, str], account: Any) -> None:
    _, tokens = account
    a, b = cluster
    async with httpx.AsyncClient(timeout=20) as client:
        rotated = await client.post(f"{a}/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert rotated.status_code == 200
        await asyncio.sleep(0.8)  # past the retry grace period
        replay = await client.post(f"{b}/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert replay.status_code == 401 and "revoked" in replay.json()["detail"]
        # The whole sign-in is gone, on either instance.
        newest = rotated.json()["refresh_token"]
        assert (await client.post(f"{a}/v1/auth/refresh", json={"refresh_token": newest})).status_code == 401


@pytest.mark.skipif(not os.environ.get("SHORTLIST_BROKER_URL"), reason="needs a broker and a worker process")
async def test_job_progress_reaches_a_client_on_the_other_instance(
    cluster: tuple[str, str], account: Any, context: AppContext
) -> None:
    from shortlist.job import service as job_service
    from shortlist.job.registry import load_task_modules
    from shortlist.job.runtime import job_services

    load_task_modules()

    _, tokens = account
    a, b = cluster
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with httpx.AsyncClient(timeout=30) as client:
        owner = uuid.UUID((await client.get(f"{a}/v1/users/me", headers=headers)).json()["id"])
        async with context.database.writer() as session:
            job = await job_service.enqueue(
                session,
                "system.sleep",
                {"seconds": 1.5, "steps": 5},
                owner_id=owner,
                settings=context.settings,
            )
            await session.commit()

        async def stream() -> list[tuple[str, dict[str, Any]]]:
            events: list[tuple[str, dict[str, Any]]] = []
            async with client.stream("GET", f"{b}/v1/jobs/{job.id}/events", headers=headers) as response:
                assert response.status_code == 200
                name = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        name = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        events.append((name, json.loads(line.removeprefix("data: "))))
            return events

        reader = asyncio.create_task(stream())
        await asyncio.sleep(0.3)
        # Published by this process to the broker; a separate worker process runs it, and instance B,
        # which neither enqueued nor ran it, streams the progress it hears through Redis.
        await job_services(context).publish([job.id])
        events = await asyncio.wait_for(reader, 30)
    progress = [data["progress"] for name, data in events if name == "job"]
    assert len(set(progress)) >= 3 and progress[-1] == 100
    assert events[-1][0] == "end" and events[-1][1]["status"] == "succeeded"
