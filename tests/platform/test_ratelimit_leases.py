"""The limiter's leases, in memory and on real Redis; on Redis, a hit and its window stats in one round trip
give what limits itself gives."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from limits import parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from shortlist.platform.cache import RedisCache
from shortlist.platform.ratelimit import RateLimiter
from tests.platform.conftest import REDIS_URL


async def _limiter(store: str = "redis") -> RateLimiter:
    if store == "memory":
        return RateLimiter(None)
    limiter = RateLimiter(REDIS_URL)
    if not await limiter.ping():
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    return limiter


# Leases are the same on either store: in memory they save the library's per-hit work, on Redis round trips.
stores = pytest.mark.parametrize("store", ["memory", "redis"])


async def test_one_trip_hits_count_and_report_like_the_library() -> None:
    limiter = await _limiter()
    identity = uuid.uuid4().hex
    item = parse("5/minute")
    library = SlidingWindowCounterRateLimiter(limiter._storage)

    answers = [await limiter.hit("probe", "5/minute", identity) for _ in range(7)]

    assert [a.allowed for a in answers] == [True] * 5 + [False] * 2
    assert [a.remaining for a in answers] == [4, 3, 2, 1, 0, 0, 0]
    stats = await library.get_window_stats(item, "probe", identity)
    assert stats.remaining == answers[-1].remaining == 0
    # Same reset as the library reports for the same window (to the second, as the header carries it).
    assert abs(max(0, stats.reset_time - time.time()) - answers[-1].reset_after) <= 1
    assert not answers[-1].allowed and answers[-1].headers()["Retry-After"]
    # The library's own view of the counter agrees: the refused hits were not counted.
    assert not await library.test(item, "probe", identity)
    await limiter.clear("probe", "5/minute", identity)
    assert (await limiter.hit("probe", "5/minute", identity)).remaining == 4


async def test_a_redis_that_lost_its_scripts_still_counts() -> None:
    limiter = await _limiter()
    identity = uuid.uuid4().hex
    assert (await limiter.hit("probe", "3/minute", identity)).remaining == 2
    # What a Redis restart does to the script cache: the one-trip path refuses, the library reloads them.
    cache = RedisCache.from_url(REDIS_URL, prefix="unused:")
    try:
        await cache.client.script_flush()
    finally:
        await cache.close()
    assert (await limiter.hit("probe", "3/minute", identity)).remaining == 1
    assert (await limiter.hit("probe", "3/minute", identity)).remaining == 0
    refused = await limiter.hit("probe", "3/minute", identity)
    assert not refused.allowed


class _CountingTrips:
    """Counts the limiter's trips to its store (each one an acquire and a window read; on Redis, pipelined)."""

    def __init__(self, limiter: RateLimiter, monkeypatch: pytest.MonkeyPatch) -> None:
        self.trips = 0
        send = limiter._hit_store

        async def counted(*args: object) -> tuple[bool, int, float] | None:
            self.trips += 1
            return await send(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(limiter, "_hit_store", counted)


@stores
async def test_a_busy_caller_is_counted_in_leases_and_admitted_exactly_to_the_limit(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = await _limiter(store)
    counter = _CountingTrips(limiter, monkeypatch)
    identity = uuid.uuid4().hex

    answers = [await limiter.hit("probe", "800/minute", identity) for _ in range(820)]

    assert sum(a.allowed for a in answers) == 800
    assert [a.allowed for a in answers] == [True] * 800 + [False] * 20
    # The caller sees its budget go down by one a request, leases or not.
    assert [a.remaining for a in answers[:800]] == list(range(799, -1, -1))
    assert counter.trips < 820 / 3  # leases of up to 8 hits (800 // 100)
    await limiter.clear("probe", "800/minute", identity)
    assert (await limiter.hit("probe", "800/minute", identity)).remaining == 799


@stores
async def test_limits_too_small_to_share_count_every_hit_in_the_store(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = await _limiter(store)
    counter = _CountingTrips(limiter, monkeypatch)
    identity = uuid.uuid4().hex
    answers = [await limiter.hit("login", "150/minute", identity) for _ in range(20)]
    assert all(a.allowed for a in answers)
    assert counter.trips == 20  # 150 // 100 is one hit a lease: no lease at all


async def test_processes_sharing_a_limit_never_admit_more_than_it_together() -> None:
    first, second = await _limiter(), await _limiter()
    identity = uuid.uuid4().hex

    async def burst(limiter: RateLimiter) -> int:
        admitted = 0
        for _ in range(400):
            admitted += (await limiter.hit("probe", "500/minute", identity)).allowed
        return admitted

    admitted = await asyncio.gather(burst(first), burst(second))
    # Never more than the limit; short of it by at most the hits still leased by one process when the
    # other was refused (a lease is at most 500 // 100 hits).
    assert 500 - 5 <= sum(admitted) <= 500


async def test_requests_in_flight_together_wait_for_one_lease_instead_of_a_trip_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On Redis only: in memory a trip never yields to the event loop, so no request is in flight beside it.
    limiter = await _limiter()
    counter = _CountingTrips(limiter, monkeypatch)
    identity = uuid.uuid4().hex

    first = await asyncio.gather(*(limiter.hit("probe", "100000/minute", identity) for _ in range(64)))
    cold_trips = counter.trips
    rounds = [
        await asyncio.gather(*(limiter.hit("probe", "100000/minute", identity) for _ in range(64)))
        for _ in range(20)
    ]

    assert all(answer.allowed for answer in first) and all(a.allowed for batch in rounds for a in batch)
    # A caller's 64 requests at once: one trip for the first, one lease sized for the 63 that waited.
    assert cold_trips <= 3, cold_trips
    # 1,280 requests more, 64 at a time: leases, not trips.
    assert counter.trips - cold_trips <= 8, counter.trips
    # The store counted every admitted hit (and at most the unused rest of the last lease beyond them).
    remaining = (await limiter.peek("probe", "100000/minute", identity)).remaining
    assert 100_000 - 64 * 21 - 1_000 <= remaining <= 100_000 - 64 * 21
    await limiter.clear("probe", "100000/minute", identity)


@stores
async def test_requests_in_flight_together_are_admitted_exactly_to_the_limit(store: str) -> None:
    limiter = await _limiter(store)
    identity = uuid.uuid4().hex

    # More requests at once than the limiter has connections to Redis: they wait for one, none is let
    # through uncounted (a pool that refused them would make the limiter fail open).
    burst = await asyncio.gather(*(limiter.hit("probe", "800/minute", identity) for _ in range(900)))
    later = [await limiter.hit("probe", "800/minute", identity) for _ in range(20)]

    admitted = sum(answer.allowed for answer in burst)
    # Never past the limit; short of it by at most one lease (800 // 100 hits) still held by this process.
    # The next requests get that lease's hits while it lasts (a second); on a slow machine it may have
    # expired, and its hits then stay counted as made.
    assert 800 - 8 <= admitted <= 800
    assert 800 - 8 <= admitted + sum(answer.allowed for answer in later) <= 800
    assert not later[-1].allowed and later[-1].remaining == 0
    await limiter.clear("probe", "800/minute", identity)
