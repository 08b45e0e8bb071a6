"""Cache adapter: a small async Protocol with an in-process LRU backend and a Redis backend.

Values are opaque bytes (callers serialise). ``get_or_set`` is single-flight: concurrent misses for one key
run the loader once per process (asyncio futures) and, on Redis, once across processes (a short ``SET NX PX``
lock that other processes wait on by polling for the value).

Redis being down surfaces as ``CacheUnavailable`` so the caller can choose: answer 503, or skip the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol, runtime_checkable
from urllib.parse import parse_qs, urlsplit

import redis.asyncio as redis_asyncio
from prometheus_client import Counter
from redis import exceptions as redis_exceptions
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

__all__ = [
    "Cache",
    "CacheError",
    "CacheUnavailable",
    "Loader",
    "MemoryCache",
    "RedisCache",
    "cache_from_url",
]

Loader = Callable[[], Awaitable[bytes]]


class CacheError(Exception):
    """A cache operation failed."""


class CacheUnavailable(CacheError):
    """The cache backend cannot be reached (connection refused, timeout, ...)."""


@runtime_checkable
class Cache(Protocol):
    """What the service needs from a cache. Keys are ``namespace:rest`` strings; values are bytes."""

    name: str

    async def get(self, key: str) -> bytes | None: ...

    async def get_many(self, *keys: str) -> list[bytes | None]:
        """Several values at once (one round trip on Redis), None for each missing key.

        Counts hits only: a caller follows a miss with `get_or_set`, which counts it.
        """
        ...

    async def set(self, key: str, value: bytes, ttl: float) -> None: ...

    async def delete(self, *keys: str) -> int: ...

    async def get_or_set(self, key: str, loader: Loader, ttl: float) -> bytes: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


# --- metrics -----------------------------------------------------------------------------------------------

_LABELS = ("cache", "namespace")
CACHE_HITS: Final = Counter("shortlist_cache_hits", "Cache lookups that found a value.", _LABELS)
CACHE_MISSES: Final = Counter("shortlist_cache_misses", "Cache lookups that found nothing.", _LABELS)
CACHE_ERRORS: Final = Counter("shortlist_cache_errors", "Cache operations that failed.", _LABELS)
CACHE_LOADS: Final = Counter("shortlist_cache_loads", "Loader runs in get_or_set (after a miss).", _LABELS)
CACHE_COALESCED: Final = Counter(
    "shortlist_cache_coalesced",
    "get_or_set misses served by another caller's load (single-flight savings).",
    _LABELS,
)
CACHE_EVICTIONS: Final = Counter(
    "shortlist_cache_evictions", "Live entries evicted to stay within the memory cache bounds.", _LABELS
)

_NAMESPACE_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")
_MAX_NAMESPACES: Final = 64
_seen_namespaces: set[str] = set()


def namespace_label(key: str) -> str:
    """The metric label for a key: its first ``:`` segment, folded to ``other`` when odd or too many.

    Keys often embed ids; only the leading segment is used, it must look like an identifier, and at most
    ``_MAX_NAMESPACES`` distinct values are ever emitted, so a bug cannot explode label cardinality.
    """
    head = key.split(":", 1)[0]
    if not _NAMESPACE_RE.fullmatch(head):
        return "other"
    if head in _seen_namespaces:
        return head
    if len(_seen_namespaces) >= _MAX_NAMESPACES:
        return "other"
    _seen_namespaces.add(head)
    return head


def _check_key(key: str) -> None:
    if not key:
        raise ValueError("cache key must be a non-empty string")
    if key.startswith("_"):
        # Reserved for the adapter's own keys (the Redis single-flight locks), so they never collide.
        raise ValueError("cache keys starting with '_' are reserved")


def _check_ttl(ttl: float) -> None:
    if not (ttl > 0 and math.isfinite(ttl)):
        raise ValueError("ttl must be a positive number of seconds")


# --- single-flight base ------------------------------------------------------------------------------------


class _SingleFlight:
    """Shared ``get_or_set``: per-process coalescing of concurrent misses through asyncio futures."""

    name: str

    def __init__(self) -> None:
        self._inflight: dict[str, asyncio.Future[bytes]] = {}
        # Labelled series by (counter, key head): a cached read counts a hit on every request.
        self._series: dict[tuple[int, str], Any] = {}

    async def get(self, key: str) -> bytes | None:
        raise NotImplementedError

    async def _load(self, key: str, loader: Loader, ttl: float) -> bytes:
        """Run the loader (backend-specific: Redis adds a cross-process lock) and store the value."""
        raise NotImplementedError

    def _count(self, counter: Counter, key: str) -> None:
        slot = (id(counter), key.split(":", 1)[0])
        series = self._series.get(slot)
        if series is None:
            series = counter.labels(self.name, namespace_label(key))
            if len(self._series) < 4 * _MAX_NAMESPACES:  # odd heads fold to "other"; never grow without end
                self._series[slot] = series
        series.inc()

    async def get_or_set(self, key: str, loader: Loader, ttl: float) -> bytes:
        _check_key(key)
        _check_ttl(ttl)
        value = await self.get(key)
        if value is not None:
            return value
        while (pending := self._inflight.get(key)) is not None:
            try:
                # shield: a cancelled follower must not cancel the shared load for everyone else.
                value = await asyncio.shield(pending)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if pending.cancelled() and (task is None or not task.cancelling()):
                    continue  # the leader was cancelled, not us: take over or join a newer load
                raise
            self._count(CACHE_COALESCED, key)
            return value

        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await self._load(key, loader, ttl)
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # followers re-raise it; mark retrieved so asyncio does not log it as lost
            raise
        except BaseException:
            future.cancel()  # cancelled (or the process is exiting): followers retry on their own
            raise
        else:
            future.set_result(value)
            return value
        finally:
            if self._inflight.get(key) is future:
                del self._inflight[key]


# --- memory backend ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    value: bytes
    expires_at: float
    size: int


class MemoryCache(_SingleFlight):
    """In-process LRU bounded by entry count and total bytes, with per-entry TTL.

    For the embedded (no services) setup and tests. Not shared between processes or replicas.
    """

    def __init__(
        self,
        *,
        max_entries: int = 10_000,
        max_bytes: int = 64 * 1024 * 1024,
        name: str = "memory",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("max_entries and max_bytes must be positive")
        self.name = name
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._clock = clock
        self._data: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def _drop(self, key: str) -> bool:
        entry = self._data.pop(key, None)
        if entry is None:
            return False
        self._bytes -= entry.size
        return True

    def discard(self, key: str) -> None:
        """Drop one entry now (without awaiting, so no other task runs in between)."""
        self._drop(key)

    def clear(self) -> None:
        self._data.clear()
        self._bytes = 0

    async def get(self, key: str) -> bytes | None:
        _check_key(key)
        entry = self._data.get(key)
        if entry is not None and entry.expires_at <= self._clock():
            self._drop(key)
            entry = None
        if entry is None:
            self._count(CACHE_MISSES, key)
            return None
        self._data.move_to_end(key)
        self._count(CACHE_HITS, key)
        return entry.value

    async def get_many(self, *keys: str) -> list[bytes | None]:
        values: list[bytes | None] = []
        for key in keys:
            _check_key(key)
            entry = self._data.get(key)
            if entry is None or entry.expires_at <= self._clock():
                values.append(None)  # counted (and an expired entry dropped) by the get_or_set that follows
                continue
            self._data.move_to_end(key)
            self._count(CACHE_HITS, key)
            values.append(entry.value)
        return values

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        _check_key(key)
        _check_ttl(ttl)
        self._drop(key)
        # Keys count towards the byte budget too, so many tiny values cannot overrun it.
        size = len(value) + len(key)
        if size > self.max_bytes:
            return  # could never fit; storing it would only flush everything else
        self._data[key] = _Entry(bytes(value), self._clock() + ttl, size)
        self._bytes += size
        self._evict()

    def _evict(self) -> None:
        now = self._clock()
        while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
            oldest_key, oldest = next(iter(self._data.items()))
            self._drop(oldest_key)
            if oldest.expires_at > now:
                self._count(CACHE_EVICTIONS, oldest_key)

    async def delete(self, *keys: str) -> int:
        return sum(self._drop(key) for key in keys)

    async def _load(self, key: str, loader: Loader, ttl: float) -> bytes:
        value = await loader()
        self._count(CACHE_LOADS, key)
        await self.set(key, value, ttl)
        return value

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self.clear()


# --- redis backend -----------------------------------------------------------------------------------------

# Delete the lock only if we still own it: a loader slower than the lock TTL may see another process take it.
_UNLOCK_SCRIPT: Final = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""

_UNAVAILABLE_ERRORS: Final = (
    redis_exceptions.ConnectionError,
    redis_exceptions.TimeoutError,
    redis_exceptions.BusyLoadingError,
    OSError,
    asyncio.TimeoutError,
)


def blocking_pool(
    url: str,
    *,
    max_connections: int,
    wait_seconds: float,
    connect_timeout: float = 1.0,
    socket_timeout: float = 1.0,
    **options: Any,
) -> redis_asyncio.BlockingConnectionPool:
    """A Redis pool that waits up to ``wait_seconds`` for a free connection when all are busy.

    redis-py's default pool raises at once past its limit: a burst of requests would become errors (the
    cache's CacheUnavailable, the rate limiter's failing open). Short connect and socket timeouts, so a Redis
    that is down or hung is answered for quickly.
    """
    return redis_asyncio.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=wait_seconds,
        socket_connect_timeout=connect_timeout,
        socket_timeout=socket_timeout,
        **options,
    )


class RedisCache(_SingleFlight):
    """Redis backend on ``redis.asyncio``; every key is stored under ``prefix``."""

    def __init__(
        self,
        client: redis_asyncio.Redis,
        *,
        prefix: str = "shortlist:cache:",
        name: str = "redis",
        lock_ttl: float = 5.0,
        lock_wait: float | None = None,
        poll_interval: float = 0.01,
        max_poll_interval: float = 0.05,
    ) -> None:
        super().__init__()
        self.name = name
        self.client = client
        self.prefix = prefix
        self.lock_ttl = lock_ttl
        # By default wait as long as a lock can live: past that its holder is dead or stuck.
        self.lock_wait = lock_ttl if lock_wait is None else lock_wait
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        connect_timeout: float = 1.0,
        socket_timeout: float = 1.0,
        max_connections: int = 32,
        pool_timeout: float = 2.0,
        prefix: str = "shortlist:cache:",
        name: str = "redis",
        lock_ttl: float = 5.0,
        **options: Any,
    ) -> RedisCache:
        """A cache with its own blocking connection pool (`blocking_pool`); short timeouts and one quick
        retry so outages fail fast."""
        pool = blocking_pool(
            url,
            max_connections=max_connections,
            wait_seconds=pool_timeout,
            connect_timeout=connect_timeout,
            socket_timeout=socket_timeout,
            decode_responses=False,
            retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), 1),
        )
        client = redis_asyncio.Redis.from_pool(pool)
        return cls(client, prefix=prefix, name=name, lock_ttl=lock_ttl, **options)

    def data_key(self, key: str) -> str:
        """The Redis key holding ``key``'s value."""
        return self.prefix + key

    def lock_key(self, key: str) -> str:
        """The Redis key of ``key``'s single-flight lock (callers cannot use the ``_`` namespace)."""
        return f"{self.prefix}_lock:{key}"

    @contextlib.asynccontextmanager
    async def _errors(self, key: str) -> AsyncIterator[None]:
        try:
            yield
        except _UNAVAILABLE_ERRORS as exc:
            self._count(CACHE_ERRORS, key)
            raise CacheUnavailable(f"redis unavailable: {type(exc).__name__}: {exc}") from exc
        except redis_exceptions.RedisError as exc:
            self._count(CACHE_ERRORS, key)
            raise CacheError(f"redis error: {type(exc).__name__}: {exc}") from exc

    async def _raw_get(self, key: str) -> bytes | None:
        async with self._errors(key):
            value = await self.client.get(self.data_key(key))
        if value is None:
            return None
        return value if isinstance(value, bytes) else str(value).encode()

    async def get(self, key: str) -> bytes | None:
        _check_key(key)
        value = await self._raw_get(key)
        self._count(CACHE_MISSES if value is None else CACHE_HITS, key)
        return value

    async def get_many(self, *keys: str) -> list[bytes | None]:
        if not keys:
            return []
        for key in keys:
            _check_key(key)
        async with self._errors(keys[0]):
            raw = await self.client.mget([self.data_key(key) for key in keys])
        values: list[bytes | None] = []
        for key, value in zip(keys, raw, strict=True):
            if value is not None:
                self._count(CACHE_HITS, key)
            values.append(value if value is None or isinstance(value, bytes) else str(value).encode())
        return values

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        _check_key(key)
        _check_ttl(ttl)
        async with self._errors(key):
            await self.client.set(self.data_key(key), value, px=max(1, math.ceil(ttl * 1000)))

    async def delete(self, *keys: str) -> int:
        if not keys:
            return 0
        async with self._errors(keys[0]):
            return int(await self.client.delete(*(self.data_key(k) for k in keys)))

    async def ping(self) -> None:
        async with self._errors("ping"):
            await self.client.ping()

    async def close(self) -> None:
        await self.client.aclose()

    async def _try_lock(self, key: str, token: str) -> bool:
        async with self._errors(key):
            px = max(1, math.ceil(self.lock_ttl * 1000))
            return bool(await self.client.set(self.lock_key(key), token, nx=True, px=px))

    async def _unlock(self, key: str, token: str) -> None:
        # The lock expires by itself; failing to release it early must not mask the load's own outcome.
        with contextlib.suppress(CacheError):
            async with self._errors(key):
                await self.client.eval(_UNLOCK_SCRIPT, 1, self.lock_key(key), token)

    async def _fill(self, key: str, loader: Loader, ttl: float) -> bytes:
        value = await loader()
        self._count(CACHE_LOADS, key)
        await self.set(key, value, ttl)
        return value

    async def _load(self, key: str, loader: Loader, ttl: float) -> bytes:
        loop = asyncio.get_running_loop()
        token = secrets.token_hex(16)
        deadline = loop.time() + self.lock_wait
        delay = self.poll_interval
        while True:
            if await self._try_lock(key, token):
                try:
                    # Another process may have filled the key between our miss and taking the lock.
                    value = await self._raw_get(key)
                    if value is not None:
                        self._count(CACHE_COALESCED, key)
                        return value
                    return await self._fill(key, loader, ttl)
                finally:
                    await self._unlock(key, token)
            # Someone else is loading: wait for their value rather than hitting the source again.
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_poll_interval)
            value = await self._raw_get(key)
            if value is not None:
                self._count(CACHE_COALESCED, key)
                return value
            if loop.time() >= deadline:
                # The holder is stuck or gone; serve this request instead of failing it.
                return await self._fill(key, loader, ttl)


# --- factory -----------------------------------------------------------------------------------------------


def cache_from_url(
    url: str | None,
    *,
    prefix: str = "shortlist:cache:",
    near_namespaces: tuple[str, ...] = (),
    near_ttl: float = 0.0,
) -> Cache:
    """``None`` or ``memory://[?max_entries=N&max_bytes=N]`` -> MemoryCache; ``redis://``, ``rediss://``,
    ``unix://`` -> RedisCache, with a near tier for ``near_namespaces`` when they and ``near_ttl`` are given
    (see ``near_cache``)."""
    if url is None or url.startswith("memory:"):
        options = {"max_entries": 10_000, "max_bytes": 64 * 1024 * 1024}
        if url is not None:
            for name, values in parse_qs(urlsplit(url).query).items():
                if name not in options:
                    raise ValueError(f"unknown memory cache option {name!r}")
                options[name] = int(values[-1])
        return MemoryCache(max_entries=options["max_entries"], max_bytes=options["max_bytes"])
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        if near_namespaces and near_ttl > 0:
            from shortlist.platform.near_cache import NearCachedRedis  # it builds on this module

            return NearCachedRedis.from_url(
                url, prefix=prefix, near_namespaces=near_namespaces, near_ttl=near_ttl
            )
        return RedisCache.from_url(url, prefix=prefix)
    raise ValueError(f"unsupported cache URL scheme {scheme!r}")
