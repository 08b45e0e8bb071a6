"""The jobs API: owner-scoped reads, filters and cursors, cancellation, problem documents."""

from __future__ import annotations

import uuid

import httpx

from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from tests.conftest import Register, assert_problem
from tests.job.helpers import enqueue, wait_for


async def _me(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])


async def test_list_filter_and_paginate(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    owner = await _me(client, headers)
    ids = [await enqueue(app_context, "system.noop", owner_id=owner, publish=False) for _ in range(5)]
    ids.append(await enqueue(app_context, "system.sleep", owner_id=owner, publish=False))
    seen: list[str] = []
    url: str | None = "/v1/jobs?limit=4"
    while url:
        page = await client.get(url, headers=headers)
        assert page.status_code == 200
        body = page.json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        url = f"/v1/jobs?limit=4&cursor={cursor}" if cursor else None
        if cursor:
            assert 'rel="next"' in page.headers["link"]
    assert seen == [str(i) for i in reversed(ids)]  # newest first, each once
    sleepers = (await client.get("/v1/jobs", params={"kind": "system.sleep"}, headers=headers)).json()
    assert [item["id"] for item in sleepers["items"]] == [str(ids[-1])]
    queued = (await client.get("/v1/jobs", params={"status": "queued"}, headers=headers)).json()
    assert len(queued["items"]) == 6
    assert (await client.get("/v1/jobs", params={"status": "running"}, headers=headers)).json()["items"] == []
    assert_problem(await client.get("/v1/jobs", params={"status": "bogus"}, headers=headers), 422)
    other_cursor = (await client.get("/v1/jobs?limit=1", headers=headers)).json()["next_cursor"]
    assert_problem(
        await client.get("/v1/jobs", params={"cursor": other_cursor, "kind": "x.y"}, headers=headers), 400
    )


async def test_get_and_cancel(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    headers = await register()
    owner = await _me(client, headers)
    done = await enqueue(app_context, "system.noop", owner_id=owner)
    await wait_for(app_context, done, "succeeded")
    body = (await client.get(f"/v1/jobs/{done}", headers=headers)).json()
    assert body["status"] == "succeeded" and body["progress"] == 100 and body["result"]["ok"] is True
    conflict = assert_problem(
        await client.post(f"/v1/jobs/{done}/cancel", headers=headers), 409, "job-finished"
    )
    assert "succeeded" in conflict["detail"]

    slow = await enqueue(app_context, "system.sleep", {"seconds": 5, "steps": 50}, owner_id=owner)
    await wait_for(app_context, slow, "running")
    cancelled = await client.post(f"/v1/jobs/{slow}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = await client.post(f"/v1/jobs/{slow}/cancel", headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "cancelled"

    missing = uuid.UUID(int=0)
    assert_problem(await client.get(f"/v1/jobs/{missing}", headers=headers), 404, "job-not-found")
    assert_problem(await client.get("/v1/jobs/not-a-uuid", headers=headers), 422)


async def test_finished_job_stream_sends_state_and_end(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    headers = await register()
    job_id = await enqueue(app_context, "system.noop", owner_id=await _me(client, headers))
    await wait_for(app_context, job_id, "succeeded")
    response = await client.get(f"/v1/jobs/{job_id}/events", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.startswith("event: job\ndata: {")
    assert response.text.endswith('event: end\ndata: {"id":"' + str(job_id) + '","status":"succeeded"}\n\n')


async def test_jobs_need_the_jobs_scopes(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    key = (
        await client.post("/v1/api-keys", json={"name": "r", "scopes": ["resumes:read"]}, headers=headers)
    ).json()
    api = {"X-API-Key": key["key"]}
    assert_problem(await client.get("/v1/jobs", headers=api), 403, "forbidden")
    assert_problem(await client.get("/v1/jobs"), 401, "unauthorized")
    reader = (
        await client.post("/v1/api-keys", json={"name": "j", "scopes": ["jobs:read"]}, headers=headers)
    ).json()
    assert (await client.get("/v1/jobs", headers={"X-API-Key": reader["key"]})).status_code == 200
    assert_problem(
        await client.post(f"/v1/jobs/{uuid.UUID(int=1)}/cancel", headers={"X-API-Key": reader["key"]}), 403
    )
