"""Idempotency-Key: replay, conflicts, in-flight requests, and failures that free the key."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from hashlib import sha256

import httpx

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models import IdempotencyKey
from tests.conftest import Register, assert_problem

BODY = {"title": "Once", "content": {"basics": {"name": "Ada"}}}


async def _count(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    return len((await client.get("/v1/resumes", headers=headers)).json()["items"])


async def test_same_key_same_body_replays(client: httpx.AsyncClient, register: Register) -> None:
    headers = {**(await register()), "Idempotency-Key": "k-1"}
    first = await client.post("/v1/resumes", json=BODY, headers=headers)
    second = await client.post("/v1/resumes", json=BODY, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert await _count(client, headers) == 1


async def test_same_key_other_body_is_422(client: httpx.AsyncClient, register: Register) -> None:
    headers = {**(await register()), "Idempotency-Key": "k-2"}
    await client.post("/v1/resumes", json=BODY, headers=headers)
    other = await client.post("/v1/resumes", json={**BODY, "title": "Twice"}, headers=headers)
    assert "different request" in assert_problem(other, 422)["detail"]
    assert await _count(client, headers) == 1


async def test_keys_are_per_caller(client: httpx.AsyncClient, register: Register) -> None:
    alice = {**(await register()), "Idempotency-Key": "shared"}
    bob = {**(await register()), "Idempotency-Key": "shared"}
    assert (await client.post("/v1/resumes", json=BODY, headers=alice)).status_code == 201
    bobs = await client.post("/v1/resumes", json=BODY, headers=bob)
    assert bobs.status_code == 201 and "idempotent-replayed" not in bobs.headers
    assert await _count(client, bob) == 1


async def test_in_flight_is_409(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    user_id = (await client.get("/v1/users/me", headers=headers)).json()["id"]
    async with app_context.database.writer() as session:
        # Another instance is working on this key right now.
        session.add(
            IdempotencyKey(
                subject=f"user:{user_id}",
                key="busy",
                fingerprint="0" * 64,
                locked_until=utcnow() + timedelta(seconds=30),
                expires_at=utcnow() + timedelta(hours=24),
            )
        )
        await session.commit()
    response = await client.post("/v1/resumes", json=BODY, headers={**headers, "Idempotency-Key": "busy"})
    assert_problem(response, 422)  # same key, other request
    # With the fingerprint of this very body, it is the in-flight case.
    body = httpx.Request("POST", "http://t", json=BODY).content
    digest = sha256(b"POST /v1/resumes?\n" + body).hexdigest()
    async with app_context.database.writer() as session:
        session.add(
            IdempotencyKey(
                subject=f"user:{user_id}",
                key="busy-2",
                fingerprint=digest,
                locked_until=utcnow() + timedelta(seconds=30),
                expires_at=utcnow() + timedelta(hours=24),
            )
        )
        await session.commit()
    busy = await client.post("/v1/resumes", json=BODY, headers={**headers, "Idempotency-Key": "busy-2"})
    assert_problem(busy, 409)
    assert busy.headers["retry-after"] == "1"
    assert await _count(client, headers) == 0


async def test_failed_request_frees_the_key(client: httpx.AsyncClient, register: Register) -> None:
    headers = {**(await register()), "Idempotency-Key": "retry-me"}
    bad = {"title": "t", "content": {"work": [{"startDate": "nope"}]}}
    assert (await client.post("/v1/resumes", json=bad, headers=headers)).status_code == 422
    good = await client.post("/v1/resumes", json=bad | {"content": {}}, headers=headers)
    # A different body after a failure is a fresh attempt, not a conflict: the failed one left no record.
    assert good.status_code == 201, good.text


async def test_concurrent_duplicates_make_one_resume(client: httpx.AsyncClient, register: Register) -> None:
    headers = {**(await register()), "Idempotency-Key": "burst"}
    responses = await asyncio.gather(
        *[client.post("/v1/resumes", json=BODY, headers=headers) for _ in range(6)]
    )
    assert {r.status_code for r in responses} <= {201, 409}
    assert any(r.status_code == 201 for r in responses)
    assert await _count(client, headers) == 1


async def test_invalid_key_is_400(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    response = await client.post("/v1/resumes", json=BODY, headers={**headers, "Idempotency-Key": " "})
    assert_problem(response, 400)
    too_long = await client.post("/v1/resumes", json=BODY, headers={**headers, "Idempotency-Key": "k" * 300})
    assert_problem(too_long, 422)
