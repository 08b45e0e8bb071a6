"""The round trips a cached resume read makes to Redis, measured through a proxy that delays every packet, so
each one shows up as time. Warm, it makes none most of the time: the account state and the resume entry come
from the process's near tier, and a busy caller's rate-limit hits from a lease taken now and then. Without the
near tier it makes one for the account state and the resume entry (one MGET)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from shortlist.main import build_context, close_context, create_app
from tests.conftest import PASSWORD, _reset_schema, login, make_settings
from tests.faultproxy import FaultProxy

REDIS_URL = os.environ.get("SHORTLIST_REDIS_URL") or "redis://127.0.0.1:6379/0"
DELAY = 0.05  # per packet, each way: one round trip through the proxy takes about 0.1 s


@pytest.fixture(params=[5.0, 0.0], ids=["near", "no-near"])
async def slow_redis_client(
    tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[httpx.AsyncClient, FaultProxy]]:
    """The app on SQLite, with its cache and rate limiter on real Redis through a fault proxy."""
    probe = Redis.from_url(REDIS_URL)
    try:
        await probe.ping()
    except OSError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    finally:
        await probe.aclose()
    target = httpx.URL(REDIS_URL)
    proxy = FaultProxy(target.host, target.port or 6379).start()
    settings = make_settings(
        tmp_path,
        redis_url=str(target.copy_with(host="127.0.0.1", port=proxy.port)),
        cache_near_ttl_seconds=request.param,
    )
    await _reset_schema(settings.resolved_database_url)
    context = await build_context(settings)
    try:
        transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.9", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, proxy
    finally:
        await close_context(context)
        proxy.stop()


async def test_round_trips_of_a_cached_read(
    slow_redis_client: tuple[httpx.AsyncClient, FaultProxy], request: pytest.FixtureRequest
) -> None:
    client, proxy = slow_redis_client
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    assert (await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})).is_success
    headers = {"Authorization": f"Bearer {(await login(client, email))['access_token']}"}
    created = await client.post(
        "/v1/resumes", json={"title": "Hot", "content": {"basics": {"name": "Ada"}}}, headers=headers
    )
    assert created.status_code == 201, created.text
    url = f"/v1/resumes/{created.json()['id']}"
    first = await client.get(url, headers=headers)  # fills the resume and account entries
    assert first.status_code == 200, first.text

    proxy.set_latency(DELAY)
    timings = []
    remaining = []
    for _ in range(12):
        started = time.perf_counter()
        read = await client.get(url, headers=headers)
        timings.append(time.perf_counter() - started)
        assert read.status_code == 200 and read.content == first.content
        assert read.headers["etag"] == first.headers["etag"]
        remaining.append(int(read.headers["ratelimit"].rpartition("r=")[2].partition(";")[0]))
    one_trip = 2 * DELAY
    # The limiter counted every read, leased or not.
    assert remaining == list(range(remaining[0], remaining[0] - 12, -1)), remaining
    if request.node.callspec.id == "near":
        # Leases of 2, 4 and 6 hits (600/minute // 100): three reads wait for the limiter, none for the cache.
        assert sum(elapsed >= 0.9 * one_trip for elapsed in timings) <= 3, timings
        assert max(timings) < 1.9 * one_trip, timings
    else:
        # Every read waits for the account state and the resume entry; none for two more trips.
        assert min(timings) >= 0.9 * one_trip, timings
        assert max(timings) < 2.9 * one_trip, timings
