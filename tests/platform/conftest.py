from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator

import pytest

from shortlist.platform.cache import CacheUnavailable, RedisCache
from shortlist.platform.near_cache import NearCachedRedis

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


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
        for _ in range(500):
            if cache.coherent:
                break
            await asyncio.sleep(0.01)
        assert cache.coherent, "the near tier's listener did not subscribe"
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
