from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from shortlist.platform.cache import CacheUnavailable, RedisCache
from shortlist.platform.near_cache import NearCachedRedis

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


async def eventually(condition: Callable[[], bool | Awaitable[bool]], within: float = 3.0) -> float:
    """Seconds until ``condition`` held; fails the test if it did not within ``within``."""
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        outcome = condition()
        if outcome if isinstance(outcome, bool) else await outcome:
            return time.perf_counter() - started
        await asyncio.sleep(0.001)
    pytest.fail(f"condition not met within {within} s")


@contextlib.asynccontextmanager
async def open_redis_cache(*, near: bool = False) -> AsyncIterator[RedisCache]:
    """A RedisCache on the real server under a fresh prefix; skips the test only if Redis is unreachable.
    With ``near``, the cache keeps a near copy of every key (``NearCachedRedis``)."""
    prefix = f"test:{uuid.uuid4().hex}:"
    cache = (
        NearCachedRedis.from_url(REDIS_URL, prefix=prefix, name="redis-near-test", near_namespaces=("",))
        if near
        else RedisCache.from_url(REDIS_URL, prefix=prefix, name="redis-test")
    )
    try:
        await cache.ping()
    except CacheUnavailable as exc:
        await cache.close()
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    if isinstance(cache, NearCachedRedis):
        await cache.get("warm-up")  # starts its listener; the tests run with the near tier on
        await eventually(lambda: cache.coherent)
    try:
        yield cache
    finally:
        keys = [key async for key in cache.client.scan_iter(match=f"{cache.prefix}*", count=1000)]
        if keys:
            await cache.client.delete(*keys)
        await cache.close()


@pytest.fixture
async def redis_cache() -> AsyncIterator[RedisCache]:
    async with open_redis_cache() as cache:
        yield cache
