from __future__ import annotations

import asyncio
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from prometheus_client import REGISTRY

from shortlist.platform import cache as cache_module
from shortlist.platform.cache import (
    Cache,
    CacheUnavailable,
    MemoryCache,
    RedisCache,
    cache_from_url,
    namespace_label,
)

from .conftest import REDIS_URL, open_redis_cache

# Single-flight and cancellation race wall-clock leases and sleeps: these run by themselves, not beside
# parallel tests.
pytestmark = pytest.mark.alone


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingLoader:
    """A loader that records how often it ran and takes a while, so concurrent callers overlap."""

    def __init__(self, value: bytes = b"loaded", delay: float = 0.05) -> None:
        self.calls = 0
        self.value = value
        self.delay = delay

    async def __call__(self) -> bytes:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return self.value


def metric(name: str, cache: str, namespace: str) -> float:
    return REGISTRY.get_sample_value(name, {"cache": cache, "namespace": namespace}) or 0.0


@pytest.fixture(params=["memory", "redis", "redis_near"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield MemoryCache(name="memory-test")
    else:
        # Opened only for this variant, so the memory variants still run when Redis is unreachable.
        async with open_redis_cache(near=request.param == "redis_near") as redis_cache:
            yield redis_cache


def closed_port() -> int:
    # Bind then close: nothing listens there afterwards, so connections are refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- both backends -----------------------------------------------------------------------------------------


async def test_protocol_satisfied(cache: Cache) -> None:
    assert isinstance(cache, Cache)


async def test_set_get_delete(cache: Cache) -> None:
    assert await cache.get("resume:1") is None
    await cache.set("resume:1", b"\x00binary\xffvalue", ttl=60)
    await cache.set("resume:2", b"two", ttl=60)
    assert await cache.get("resume:1") == b"\x00binary\xffvalue"
    assert await cache.delete("resume:1", "resume:2", "resume:missing") == 2
    assert await cache.get("resume:1") is None
    assert await cache.get("resume:2") is None
    assert await cache.delete() == 0


async def test_set_overwrites(cache: Cache) -> None:
    await cache.set("k:1", b"a", ttl=60)
    await cache.set("k:1", b"b", ttl=60)
    assert await cache.get("k:1") == b"b"


async def test_invalid_arguments(cache: Cache) -> None:
    with pytest.raises(ValueError):
        await cache.set("k:1", b"a", ttl=0)
    with pytest.raises(ValueError):
        await cache.set("k:1", b"a", ttl=float("inf"))
    with pytest.raises(ValueError):
        await cache.get("")
    with pytest.raises(ValueError):
        await cache.set("_lock:k:1", b"a", ttl=60)


async def test_hit_miss_metrics(cache: Cache) -> None:
    ns = f"m{uuid.uuid4().hex[:8]}"
    await cache.get(f"{ns}:x")
    await cache.set(f"{ns}:x", b"v", ttl=60)
    await cache.get(f"{ns}:x")
    await cache.get(f"{ns}:x")
    assert metric("shortlist_cache_misses_total", cache.name, ns) == 1
    assert metric("shortlist_cache_hits_total", cache.name, ns) == 2


async def test_get_many_reads_several_keys_and_counts_each_miss_once(cache: Cache) -> None:
    ns = f"m{uuid.uuid4().hex[:8]}"
    await cache.set(f"{ns}:a", b"\x00first", ttl=60)
    assert await cache.get_many(f"{ns}:a", f"{ns}:b") == [b"\x00first", None]
    assert await cache.get_many() == []
    # The miss is counted by the get_or_set that follows it, as a hot read does.
    assert await cache.get_or_set(f"{ns}:b", _constant(b"second"), ttl=60) == b"second"
    assert await cache.get_many(f"{ns}:b", f"{ns}:a") == [b"second", b"\x00first"]
    assert metric("shortlist_cache_misses_total", cache.name, ns) == 1
    assert metric("shortlist_cache_hits_total", cache.name, ns) == 3
    with pytest.raises(ValueError):
        await cache.get_many(f"{ns}:a", "")


def _constant(value: bytes) -> Callable[[], Awaitable[bytes]]:
    async def load() -> bytes:
        return value

    return load


async def test_single_flight_100_concurrent(cache: Cache) -> None:
    loader = CountingLoader(b"value")
    ns = f"sf{uuid.uuid4().hex[:8]}"
    results = await asyncio.gather(*(cache.get_or_set(f"{ns}:key", loader, ttl=60) for _ in range(100)))
    assert loader.calls == 1
    assert results == [b"value"] * 100
    assert metric("shortlist_cache_loads_total", cache.name, ns) == 1
    assert metric("shortlist_cache_coalesced_total", cache.name, ns) == 99
    # Filled: later calls are plain hits.
    assert await cache.get_or_set(f"{ns}:key", loader, ttl=60) == b"value"
    assert loader.calls == 1


async def test_get_or_set_distinct_keys_load_separately(cache: Cache) -> None:
    loader = CountingLoader()
    await asyncio.gather(*(cache.get_or_set(f"k:{i % 5}", loader, ttl=60) for i in range(50)))
    assert loader.calls == 5


async def test_delete_invalidates_get_or_set(cache: Cache) -> None:
    loader = CountingLoader(delay=0)
    assert await cache.get_or_set("user:1", loader, ttl=60) == b"loaded"
    assert await cache.get_or_set("user:1", loader, ttl=60) == b"loaded"
    assert loader.calls == 1
    await cache.delete("user:1")
    loader.value = b"fresh"
    assert await cache.get_or_set("user:1", loader, ttl=60) == b"fresh"
    assert loader.calls == 2


async def test_loader_error_reaches_every_waiter_and_is_not_cached(cache: Cache) -> None:
    calls = 0

    async def failing() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        raise RuntimeError("source down")

    results = await asyncio.gather(
        *(cache.get_or_set("k:err", failing, ttl=60) for _ in range(10)), return_exceptions=True
    )
    assert calls == 1
    assert all(isinstance(r, RuntimeError) for r in results)
    assert await cache.get("k:err") is None
    assert await cache.get_or_set("k:err", CountingLoader(delay=0), ttl=60) == b"loaded"


async def test_cancelled_leader_does_not_strand_followers(cache: Cache) -> None:
    started = asyncio.Event()
    calls = 0

    async def slow() -> bytes:
        nonlocal calls
        calls += 1
        started.set()
        await asyncio.sleep(0.2)
        return b"ok"

    leader = asyncio.create_task(cache.get_or_set("k:cancel", slow, ttl=60))
    await started.wait()
    followers = [asyncio.create_task(cache.get_or_set("k:cancel", slow, ttl=60)) for _ in range(5)]
    await asyncio.sleep(0.01)
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    assert await asyncio.gather(*followers) == [b"ok"] * 5
    assert calls == 2  # one follower took over the load


async def test_follower_cancelled_with_leader_stays_cancelled(cache: Cache) -> None:
    loader = CountingLoader(delay=0.2)
    leader = asyncio.create_task(cache.get_or_set("k:both", loader, ttl=60))
    await asyncio.sleep(0.01)
    follower = asyncio.create_task(cache.get_or_set("k:both", loader, ttl=60))
    await asyncio.sleep(0.01)
    leader.cancel()
    follower.cancel()
    results = await asyncio.gather(leader, follower, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert loader.calls == 1  # the follower did not take over a load nobody wants


async def test_cancelled_follower_does_not_cancel_load(cache: Cache) -> None:
    loader = CountingLoader(delay=0.1)
    leader = asyncio.create_task(cache.get_or_set("k:fc", loader, ttl=60))
    await asyncio.sleep(0.01)
    follower = asyncio.create_task(cache.get_or_set("k:fc", loader, ttl=60))
    await asyncio.sleep(0.01)
    follower.cancel()
    with pytest.raises(asyncio.CancelledError):
        await follower
    assert await leader == b"loaded"
    assert loader.calls == 1


# --- memory backend ----------------------------------------------------------------------------------------


async def test_memory_lru_evicts_least_recently_used() -> None:
    cache = MemoryCache(max_entries=3)
    for key in ("a:1", "a:2", "a:3"):
        await cache.set(key, b"v", ttl=60)
    assert await cache.get("a:1") == b"v"  # a:1 becomes most recent; a:2 is now the oldest
    await cache.set("a:4", b"v", ttl=60)
    assert len(cache) == 3
    assert await cache.get("a:2") is None
    for key in ("a:1", "a:3", "a:4"):
        assert await cache.get(key) == b"v"


async def test_memory_byte_bound() -> None:
    cache = MemoryCache(max_entries=100, max_bytes=100)
    await cache.set("b:1", b"x" * 40, ttl=60)  # 43 bytes with the key
    await cache.set("b:2", b"x" * 40, ttl=60)  # 86
    await cache.set("b:3", b"x" * 40, ttl=60)  # 129 -> b:1 evicted
    assert cache.total_bytes == 86
    assert await cache.get("b:1") is None
    assert await cache.get("b:2") is not None
    # A value that can never fit is not stored and does not flush the others.
    await cache.set("b:big", b"x" * 200, ttl=60)
    assert await cache.get("b:big") is None
    assert len(cache) == 2
    # Overwriting frees the old size.
    await cache.set("b:2", b"y", ttl=60)
    assert cache.total_bytes == 43 + 4


async def test_memory_ttl_expiry() -> None:
    clock = FakeClock()
    cache = MemoryCache(clock=clock)
    await cache.set("t:1", b"v", ttl=10)
    clock.now += 9.9
    assert await cache.get("t:1") == b"v"
    clock.now += 0.1
    assert await cache.get("t:1") is None
    assert len(cache) == 0
    assert cache.total_bytes == 0


async def test_memory_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError):
        MemoryCache(max_entries=0)


# --- redis backend -----------------------------------------------------------------------------------------


async def test_redis_ttl_expiry(redis_cache: RedisCache) -> None:
    await redis_cache.set("t:1", b"v", ttl=0.1)
    assert await redis_cache.get("t:1") == b"v"
    pttl = await redis_cache.client.pttl(redis_cache.data_key("t:1"))
    assert 0 < pttl <= 100
    await asyncio.sleep(0.25)
    assert await redis_cache.get("t:1") is None


async def test_redis_keys_are_prefixed(redis_cache: RedisCache) -> None:
    await redis_cache.set("p:1", b"v", ttl=60)
    assert await redis_cache.client.get(redis_cache.prefix + "p:1") == b"v"
    assert await redis_cache.client.exists("p:1") == 0
    assert redis_cache.lock_key("p:1") != redis_cache.data_key("p:1")


async def test_redis_single_flight_across_instances(redis_cache: RedisCache) -> None:
    # Two instances with separate pools share nothing in-process: only the Redis lock can coalesce them.
    other = RedisCache.from_url(REDIS_URL, prefix=redis_cache.prefix, name="redis-test-2")
    try:
        loader = CountingLoader(b"shared", delay=0.1)
        calls = [(redis_cache if i % 2 else other).get_or_set("x:key", loader, ttl=60) for i in range(100)]
        results = await asyncio.gather(*calls)
        assert loader.calls == 1
        assert set(results) == {b"shared"}
        # The lock is released once the value is stored.
        assert await redis_cache.client.exists(redis_cache.lock_key("x:key")) == 0
    finally:
        await other.close()


_WORKER = """
import asyncio, sys, time
from shortlist.platform.cache import RedisCache


async def main() -> None:
    url, prefix, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    cache = RedisCache.from_url(url, prefix=prefix)

    async def loader() -> bytes:
        # Count loads in Redis itself so the test sees runs from every process.
        await cache.client.incr(prefix + "loads")
        await asyncio.sleep(0.3)
        return b"from-some-process"

    await asyncio.sleep(max(0.0, start_at - time.time()))
    values = await asyncio.gather(*(cache.get_or_set("proc:key", loader, ttl=60) for _ in range(50)))
    assert set(values) == {b"from-some-process"}, values
    await cache.close()

asyncio.run(main())
"""


async def test_redis_single_flight_across_processes(redis_cache: RedisCache) -> None:
    start_at = time.time() + 1.5  # both interpreters are up and connected by then
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _WORKER, REDIS_URL, redis_cache.prefix, str(start_at)
        )
        for _ in range(2)
    ]
    codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), timeout=30)
    assert codes == [0, 0]
    assert await redis_cache.client.get(redis_cache.prefix + "loads") == b"1"
    assert await redis_cache.get("proc:key") == b"from-some-process"


async def test_redis_burst_larger_than_pool_waits_for_connections(redis_cache: RedisCache) -> None:
    small = RedisCache.from_url(REDIS_URL, prefix=redis_cache.prefix, max_connections=4, name="redis-small")
    try:
        await small.set("burst:1", b"v", ttl=60)
        results = await asyncio.gather(*(small.get("burst:1") for _ in range(300)))
        assert results == [b"v"] * 300
        loader = CountingLoader(delay=0.05)
        values = await asyncio.gather(*(small.get_or_set("burst:2", loader, ttl=60) for _ in range(300)))
        assert set(values) == {b"loaded"}
        assert loader.calls == 1
        assert small.client.connection_pool.max_connections == 4
    finally:
        await small.close()


async def test_redis_waits_for_other_process_value(redis_cache: RedisCache) -> None:
    # Simulate another process holding the lock and filling the key shortly after.
    await redis_cache.client.set(redis_cache.lock_key("w:1"), "someone-else", px=5000)
    loader = CountingLoader(b"mine", delay=0)

    async def other_process_fills() -> None:
        await asyncio.sleep(0.1)
        await redis_cache.client.set(redis_cache.data_key("w:1"), b"theirs", px=60_000)

    filler = asyncio.create_task(other_process_fills())
    assert await redis_cache.get_or_set("w:1", loader, ttl=60) == b"theirs"
    await filler
    assert loader.calls == 0


async def test_redis_stuck_lock_falls_back_to_loading(redis_cache: RedisCache) -> None:
    stuck = RedisCache(redis_cache.client, prefix=redis_cache.prefix, lock_ttl=5, lock_wait=0.2)
    await redis_cache.client.set(redis_cache.lock_key("s:1"), "dead-process", px=5000)
    loader = CountingLoader(b"mine", delay=0)
    started = time.monotonic()
    assert await stuck.get_or_set("s:1", loader, ttl=60) == b"mine"
    assert loader.calls == 1
    assert 0.2 <= time.monotonic() - started < 2
    # Someone else's lock is left alone.
    assert await redis_cache.client.get(redis_cache.lock_key("s:1")) == b"dead-process"


async def test_redis_released_lock_is_taken_over(redis_cache: RedisCache) -> None:
    # If the holder gives up (its loader failed) the waiter takes the lock and loads, before lock_wait ends.
    await redis_cache.client.set(redis_cache.lock_key("r:1"), "failing-process", px=5000)

    async def release() -> None:
        await asyncio.sleep(0.05)
        await redis_cache.client.delete(redis_cache.lock_key("r:1"))

    releaser = asyncio.create_task(release())
    loader = CountingLoader(b"mine", delay=0)
    started = time.monotonic()
    assert await redis_cache.get_or_set("r:1", loader, ttl=60) == b"mine"
    await releaser
    assert loader.calls == 1
    assert time.monotonic() - started < 1


Op = Callable[[RedisCache], Awaitable[object]]


@pytest.mark.parametrize(
    "op",
    [
        lambda c: c.get("down:1"),
        lambda c: c.set("down:1", b"v", ttl=5),
        lambda c: c.delete("down:1"),
        lambda c: c.ping(),
        lambda c: c.get_or_set("down:1", CountingLoader(), ttl=5),
    ],
    ids=["get", "set", "delete", "ping", "get_or_set"],
)
async def test_redis_down_raises_cache_unavailable(op: Op) -> None:
    cache = RedisCache.from_url(f"redis://127.0.0.1:{closed_port()}/0", name="redis-down")
    before = metric("shortlist_cache_errors_total", "redis-down", "down") + metric(
        "shortlist_cache_errors_total", "redis-down", "ping"
    )
    started = time.monotonic()
    try:
        with pytest.raises(CacheUnavailable):
            await op(cache)
    finally:
        await cache.close()
    assert time.monotonic() - started < 3
    after = metric("shortlist_cache_errors_total", "redis-down", "down") + metric(
        "shortlist_cache_errors_total", "redis-down", "ping"
    )
    assert after > before


# --- labels and factory ------------------------------------------------------------------------------------


def test_namespace_label_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_seen_namespaces", set())
    assert namespace_label("resume:123:pdf") == "resume"
    assert namespace_label("nocolon") == "nocolon"
    assert namespace_label("Upper:1") == "other"
    assert namespace_label("123:1") == "other"
    assert namespace_label("x" * 40 + ":1") == "other"
    for i in range(200):
        namespace_label(f"ns{i}:key")
    assert len(cache_module._seen_namespaces) == cache_module._MAX_NAMESPACES
    assert namespace_label("ns199:key") == "other"
    assert namespace_label("resume:9") == "resume"


async def test_cache_from_url() -> None:
    assert isinstance(cache_from_url(None), MemoryCache)
    small = cache_from_url("memory://?max_entries=5&max_bytes=1000")
    assert isinstance(small, MemoryCache)
    assert (small.max_entries, small.max_bytes) == (5, 1000)
    with pytest.raises(ValueError):
        cache_from_url("memory://?colour=blue")
    with pytest.raises(ValueError):
        cache_from_url("memcached://127.0.0.1")
    redis_backed = cache_from_url("redis://127.0.0.1:6379/0", prefix="p:")
    assert isinstance(redis_backed, RedisCache)
    assert redis_backed.prefix == "p:"
    await redis_backed.close()
