"""The near tier of the Redis cache, on the real server: what it serves, and every way a copy is dropped."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
import redis.asyncio as redis_asyncio
from prometheus_client import REGISTRY

from shortlist.auth.clients.service import client_state_key
from shortlist.auth.subject import api_key_state_key, user_state_key
from shortlist.main import NEAR_CACHED_NAMESPACES
from shortlist.platform.cache import CacheUnavailable, cache_from_url
from shortlist.platform.near_cache import NearCachedRedis
from shortlist.resume.cache import resume_key
from tests.faultproxy import FaultProxy

from .conftest import REDIS_URL, eventually

# Waits on messages from Redis and on a heartbeat: these run by themselves, not beside parallel tests.
pytestmark = pytest.mark.alone


def near_hits(cache: NearCachedRedis, namespace: str) -> float:
    labels = {"cache": f"{cache.name}_near", "namespace": namespace}
    return REGISTRY.get_sample_value("shortlist_cache_hits_total", labels) or 0.0


async def open_near(
    url: str = REDIS_URL, prefix: str | None = None, heartbeat: float = 1.0
) -> NearCachedRedis:
    cache = NearCachedRedis.from_url(
        url,
        prefix=prefix or f"test:{uuid.uuid4().hex}:",
        name=f"near{uuid.uuid4().hex[:6]}",
        near_namespaces=("user:", "resume:"),
        heartbeat=heartbeat,
    )
    try:
        await cache.ping()
    except CacheUnavailable as exc:
        await cache.close()
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    assert isinstance(cache, NearCachedRedis)
    await cache.get("user:warm-up")  # starts the listener
    await eventually(lambda: cache.coherent)
    return cache


@pytest.fixture
async def near() -> AsyncIterator[NearCachedRedis]:
    cache = await open_near()
    yield cache
    await cache.close()


@pytest.fixture
async def raw() -> AsyncIterator[redis_asyncio.Redis]:
    """Another client of the same server: a second instance of the service, as far as Redis can tell."""
    client = redis_asyncio.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


async def settled() -> None:
    """Let the message Redis sends for the test's own write arrive, so it drops nothing the test reads next."""
    await asyncio.sleep(0.05)


async def test_a_tracked_key_is_served_from_process_memory(near: NearCachedRedis) -> None:
    await near.set("user:1", b"member\n", ttl=30)
    await settled()
    assert await near.get_many("user:1", "resume:1") == [b"member\n", None]
    hits_before = near_hits(near, "user")
    assert await near.get_many("user:1") == [b"member\n"]
    assert await near.get("user:1") == b"member\n"
    assert near_hits(near, "user") == hits_before + 2


async def test_keys_outside_the_tracked_namespaces_always_go_to_redis(
    near: NearCachedRedis, raw: redis_asyncio.Redis
) -> None:
    await near.set("render:1", b"pdf", ttl=30)
    assert await near.get("render:1") == b"pdf"
    await raw.set(near.data_key("render:1"), b"other")
    # No message comes for this namespace, and none is needed: the read goes to Redis.
    assert await near.get("render:1") == b"other"


@pytest.mark.parametrize("change", ["set", "delete", "expire"])
async def test_another_clients_change_drops_the_copy(
    near: NearCachedRedis, raw: redis_asyncio.Redis, change: str
) -> None:
    await near.set("user:2", b"member\n", ttl=30)
    assert await near.get("user:2") == b"member\n"  # now held near
    assert await near.get("user:2") == b"member\n"
    key = near.data_key("user:2")
    if change == "set":
        await raw.set(key, b"admin\n")
        expected: bytes | None = b"admin\n"
    elif change == "delete":
        await raw.delete(key)
        expected = None
    else:
        await raw.pexpire(key, 20)
        expected = None
    waited = await eventually(lambda: _reads(near, "user:2", expected))
    assert waited < 1.0


async def _reads(cache: NearCachedRedis, key: str, expected: bytes | None) -> bool:
    return await cache.get(key) == expected


async def test_a_change_made_through_another_instance_reaches_this_one(near: NearCachedRedis) -> None:
    other = await open_near(prefix=near.prefix)
    try:
        await near.set("user:3", b"member\n", ttl=30)
        assert await other.get("user:3") == b"member\n"
        assert await other.get("user:3") == b"member\n"  # held near by the other instance
        await near.delete("user:3")  # a revocation, as the service makes it
        waited = await eventually(lambda: _reads(other, "user:3", None))
        assert waited < 1.0
    finally:
        await other.close()


async def test_this_processs_own_write_drops_its_copy_before_redis_answers(near: NearCachedRedis) -> None:
    await near.set("user:4", b"member\n", ttl=30)
    await near.get("user:4")
    await near.delete("user:4")
    assert await near.get("user:4") is None  # no wait: the copy went with the call
    await near.set("user:4", b"admin\n", ttl=30)
    assert await near.get("user:4") == b"admin\n"


@pytest.mark.parametrize("message", ["the key", "a flush"])
async def test_a_value_invalidated_while_it_was_being_read_is_not_kept(
    near: NearCachedRedis, message: str
) -> None:
    await near.set("resume:5", b"old", ttl=30)
    await settled()
    reading = asyncio.create_task(near.get_many("resume:5"))
    await asyncio.sleep(0)  # the read is on its way to Redis
    # The message for a change made meanwhile: the key's, or a reset of the whole tier (a flush; a lost or
    # regained listener resets it the same way).
    near.invalidate([near.data_key("resume:5").encode()] if message == "the key" else None)
    assert await reading == [b"old"]
    hits_before = near_hits(near, "resume")
    assert await near.get("resume:5") == b"old"
    assert near_hits(near, "resume") == hits_before  # read from Redis again: the first read kept nothing


async def test_a_flush_empties_the_tier(near: NearCachedRedis) -> None:
    await near.set("user:6", b"member\n", ttl=30)
    await near.get("user:6")
    hits_before = near_hits(near, "user")
    near.invalidate(None)  # what Redis sends on FLUSHALL / FLUSHDB
    await near.get("user:6")
    assert near_hits(near, "user") == hits_before


@pytest.fixture
async def proxied() -> AsyncIterator[tuple[NearCachedRedis, FaultProxy]]:
    target = urlsplit(REDIS_URL)
    proxy = FaultProxy(target.hostname or "127.0.0.1", target.port or 6379).start()
    cache = await open_near(target._replace(netloc=proxy.url_host_port).geturl(), heartbeat=0.2)
    yield cache, proxy
    await cache.close()
    proxy.stop()


@pytest.mark.parametrize("fault", ["cut", "silence"])
async def test_a_lost_or_silent_listener_turns_the_tier_off_until_it_is_back(
    proxied: tuple[NearCachedRedis, FaultProxy], fault: str
) -> None:
    cache, proxy = proxied
    await cache.set("user:7", b"member\n", ttl=30)
    await settled()
    await cache.get("user:7")
    if fault == "cut":
        proxy.cut()  # a reset connection: Redis restarted, or the link dropped
    else:
        proxy.set_latency(2.0)  # the connection stays open, but nothing comes back in time
    waited = await eventually(lambda: not cache.coherent, within=2.0)
    assert waited < 1.0  # a heartbeat of 0.2 s: two of them unanswered
    proxy.set_latency(0.0)
    hits_before = near_hits(cache, "user")
    assert await cache.get("user:7") == b"member\n"  # from Redis: the copy went with the listener
    assert near_hits(cache, "user") == hits_before
    await eventually(lambda: cache.coherent, within=10.0)


async def test_a_server_that_refuses_tracking_leaves_the_tier_off_and_the_cache_working(
    raw: redis_asyncio.Redis,
) -> None:
    # A real refusal: an account whose ACL forbids CLIENT TRACKING, as a managed Redis or a proxy may.
    user = f"no-tracking-{uuid.uuid4().hex[:8]}"
    await raw.acl_setuser(
        user,
        enabled=True,
        passwords=["+secret"],
        keys=["~*"],
        channels=["&*"],
        categories=["+@all"],
        commands=["-client|tracking"],
    )
    try:
        target = urlsplit(REDIS_URL)
        url = target._replace(netloc=f"{user}:secret@{target.hostname}:{target.port or 6379}").geturl()
        cache = NearCachedRedis.from_url(url, prefix=f"test:{uuid.uuid4().hex}:", near_namespaces=("user:",))
        assert isinstance(cache, NearCachedRedis)
        try:
            await cache.set("user:9", b"member\n", ttl=30)
            assert await cache.get("user:9") == b"member\n"
            await eventually(lambda: cache.tracking_refused)
            assert not cache.coherent
            for _ in range(3):  # every read from Redis, and no new listener each time
                assert await cache.get("user:9") == b"member\n"
            assert cache._listener is not None and cache._listener.done()
        finally:
            await cache.close()
    finally:
        await raw.acl_deluser(user)


def test_the_factory_builds_a_near_tier_only_when_asked() -> None:
    assert type(cache_from_url(REDIS_URL)).__name__ == "RedisCache"
    assert type(cache_from_url(REDIS_URL, near_namespaces=("user:",), near_ttl=0)).__name__ == "RedisCache"
    built = cache_from_url(REDIS_URL, near_namespaces=("user:",), near_ttl=5)
    assert isinstance(built, NearCachedRedis)
    assert built.near_ttl == 5
    with pytest.raises(ValueError):
        NearCachedRedis(built.client, near_namespaces=())


def test_the_service_keeps_near_the_entries_every_authenticated_read_needs() -> None:
    some_id = uuid.uuid4()
    keys = [
        user_state_key(some_id),
        api_key_state_key("0" * 64),
        client_state_key(some_id),
        resume_key(some_id, some_id),
    ]
    assert [key for key in keys if not key.startswith(NEAR_CACHED_NAMESPACES)] == []
