"""Rate limits on the `limits` library: in memory by default, Redis when configured (shared by instances)."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Final, cast

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from shortlist.platform.cache import blocking_pool

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    policy: str
    limit: int
    window_seconds: int
    remaining: int
    reset_after: int

    def headers(self) -> dict[str, str]:
        # draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it now.
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={self.window_seconds}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset_after}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.reset_after))
        return headers


# A process takes at most this share of a limit in one lease, and holds a lease this long (seconds).
LEASE_SHARE: Final = 100
LEASE_SECONDS: Final = 1.0
_MAX_LEASES: Final = 10_000
# A request waits for at most this many of its caller's leases before it makes a trip of its own.
_MAX_WAITS: Final = 3
# Connections to Redis a process's limiter may hold, and how long a hit waits for one when all are busy.
POOL_CONNECTIONS: Final = 64
POOL_WAIT_SECONDS: Final = 2.0


@dataclass
class _Lease:
    """Hits a process has counted in the store ahead of the requests that use them."""

    units: int
    remaining: int  # what the store reported left after the lease was counted
    reset_time: float
    expires: float  # monotonic
    size: int  # hits counted when it was taken
    demand: int = 0  # requests of the caller that waited for it


@dataclass
class _Taking:
    """A lease being counted in the store: the caller's other requests wait for it, not each making a trip."""

    done: asyncio.Event
    waiting: int = 0


class RateLimiter:
    """Sliding-window counters from ``limits``. A caller hitting a limit often counts its hits in small
    leases: one trip to the store (a round trip to Redis; in memory, the library's own calls) counts up to
    ``amount // LEASE_SHARE`` hits at once (never past the limit: the store refuses a lease that would cross
    it, and the process falls back to single hits), and the process admits that many requests without asking
    again for up to ``LEASE_SECONDS``. A lease starts at one hit and doubles each time one is used up in
    time, so a caller making a request now and then is counted exactly as before; limits under twice
    ``LEASE_SHARE`` a window (sign-in's) never lease. Hits leased and not used count as made: a caller may
    be refused up to one lease's worth early per process, never admitted late.

    While one request of a caller takes a lease, the caller's other requests wait for it instead of each
    making a trip of their own (64 requests in flight would otherwise make up to 64 trips every time a lease
    runs out), and the next lease is taken large enough for as many as waited."""

    def __init__(self, redis_url: str | None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._storage: Storage
        if redis_url:
            uri = redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            # A blocking pool, as the cache's: a limiter that cannot count admits (fails open), so with redis-py's
            # default pool a burst of over 100 requests in flight would pass uncounted.
            pool = blocking_pool(redis_url, max_connections=POOL_CONNECTIONS, wait_seconds=POOL_WAIT_SECONDS)
            # redis-py, the client the rest of the service uses (the default would be coredis).
            storage = storage_from_string(uri, implementation="redispy", connection_pool=pool)  # type: ignore[arg-type]  # typed for URI options only
            assert isinstance(storage, Storage)
            self._storage = storage
        else:
            self._storage = MemoryStorage()
        self._limiter = SlidingWindowCounterRateLimiter(self._storage)
        self._parsed: dict[str, RateLimitItem] = {}
        # On redis-py, a hit and its window stats go to Redis in one pipelined round trip (see _hit_redis).
        self._redis: tuple[RedisStorage, RedispyBridge] | None = None
        if isinstance(self._storage, RedisStorage) and isinstance(self._storage.bridge, RedispyBridge):
            self._redis = (self._storage, self._storage.bridge)
        self._memory = self._storage if isinstance(self._storage, MemoryStorage) else None
        self._leases: dict[str, _Lease] = {}
        self._taking: dict[str, _Taking] = {}

    def _item(self, limit: str) -> RateLimitItem:
        item = self._parsed.get(limit)
        if item is None:
            item = self._parsed[limit] = parse(limit)
        return item

    async def hit(self, policy: str, limit: str, *identifiers: str) -> RateLimitResult:
        """Count one request and say whether it is within the limit."""
        return await self._check(policy, limit, identifiers, count=True)

    async def peek(self, policy: str, limit: str, *identifiers: str) -> RateLimitResult:
        """Whether one more hit would be allowed, without counting one."""
        return await self._check(policy, limit, identifiers, count=False)

    async def _check(
        self, policy: str, limit: str, identifiers: tuple[str, ...], *, count: bool
    ) -> RateLimitResult:
        item = self._item(limit)
        window = int(item.get_expiry())
        if not self.enabled:
            return RateLimitResult(True, policy, item.amount, window, item.amount, window)
        try:
            hit_in_one_trip = await self._hit_leased(item, policy, identifiers) if count else None
            if hit_in_one_trip is not None:
                allowed, remaining, reset_time = hit_in_one_trip
            else:
                if count:
                    allowed = await self._limiter.hit(item, policy, *identifiers)
                else:
                    allowed = await self._limiter.test(item, policy, *identifiers)
                stats = await self._limiter.get_window_stats(item, policy, *identifiers)
                remaining, reset_time = stats.remaining, stats.reset_time
        except Exception as exc:
            # Fail open: refusing every request because the counter store is away would be the larger harm.
            log.warning("ratelimit.storage_unavailable", error=type(exc).__name__)
            return RateLimitResult(True, policy, item.amount, window, item.amount, window)
        reset_after = max(0, math.ceil(reset_time - time.time()))
        return RateLimitResult(allowed, policy, item.amount, window, max(0, remaining), reset_after)

    async def _hit_leased(
        self, item: RateLimitItem, policy: str, identifiers: tuple[str, ...]
    ) -> tuple[bool, int, float] | None:
        """One hit: from this process's lease when it has one, else counted in the store with a lease taken
        along when the caller is busy. None when the library's own path must answer."""
        if self._redis is None and self._memory is None:
            return None
        key = item.key_for(policy, *identifiers)
        leasing = item.amount // LEASE_SHARE >= 2
        for waits in range(_MAX_WAITS + 1):
            now = time.monotonic()
            lease = self._leases.get(key)
            if lease is not None and lease.units and now < lease.expires:
                lease.units -= 1
                return True, lease.remaining + lease.units, lease.reset_time
            taking = self._taking.get(key) if leasing else None
            if taking is None or waits == _MAX_WAITS:
                break
            taking.waiting += 1
            await taking.done.wait()  # an Event: a waiter cancelled here cancels no one else's wait
        own = _Taking(asyncio.Event()) if leasing and key not in self._taking else None
        size = 1
        if own is not None:
            self._taking[key] = own
            if lease is not None and now < lease.expires:
                # The last lease was used up in time: the caller is busy, take twice as many, and at least
                # one for each request that waited for it (a lease that expired, used up or not, means a
                # slower caller: back to single hits). Only one lease of a caller is taken at a time, so at
                # most one lease's worth is ever counted ahead of the requests.
                size = max(1, min(max(lease.size * 2, lease.demand + 1), item.amount // LEASE_SHARE))
        try:
            answer = await self._hit_store(item, key, size)
            if answer is not None and not answer[0] and size > 1:
                answer = await self._hit_store(item, key, 1)  # the last few hits, one by one
                size = 1
        finally:
            if own is not None:
                del self._taking[key]
                own.done.set()
        if answer is None:
            return None
        allowed, remaining, reset_time = answer
        if not allowed or not leasing:
            current = self._leases.get(key)
            if current is None or not current.units:
                # Back to single hits; a lease another request took meanwhile keeps its hits (the store counted
                # them: dropping them would refuse the caller early by that many).
                self._leases.pop(key, None)
            return allowed, remaining, reset_time
        if own is None:
            # A single hit made while another request takes the caller's lease: that one keeps the lease.
            return allowed, remaining, reset_time
        # Only the request taking a caller's lease writes it, so no other lease of that caller can have
        # appeared meanwhile.
        if len(self._leases) >= _MAX_LEASES:
            self._leases.clear()  # dropping leases only refuses a little early
        self._leases[key] = _Lease(size - 1, remaining, reset_time, now + LEASE_SECONDS, size, own.waiting)
        return True, remaining + size - 1, reset_time

    async def _hit_store(self, item: RateLimitItem, key: str, amount: int) -> tuple[bool, int, float] | None:
        """`amount` hits counted in the store at once (all or none), and the window they leave."""
        if self._memory is not None:
            return await self._hit_memory(self._memory, item, key, amount)
        return await self._hit_redis(item, key, amount)

    @staticmethod
    async def _hit_memory(
        storage: MemoryStorage, item: RateLimitItem, key: str, amount: int
    ) -> tuple[bool, int, float]:
        """The two storage calls limits' strategy makes for a hit and its window stats.

        In memory a trip is no round trip, but limits' path costs a process more per request than the rest of
        the rate limiting (each counted hit also schedules a task that sweeps expired keys): leases save that.
        """
        expiry = item.get_expiry()
        acquired = await storage.acquire_sliding_window_entry(key, item.amount, expiry, amount)
        remaining, reset_time = window_stats(item, *await storage.get_sliding_window(key, expiry))
        return acquired, remaining, reset_time

    async def _hit_redis(self, item: RateLimitItem, key: str, amount: int) -> tuple[bool, int, float] | None:
        """The library's own two Lua scripts (acquire, then read the window) in one pipelined round trip.

        `limits` sends them one after the other (two round trips, the larger part of a cached read's Redis
        time). The scripts are sent by SHA, as the library does; after a Redis restart has emptied its script
        cache this returns None and the caller takes the library's path, which loads them again.
        """
        if self._redis is None:
            return None
        storage, bridge = self._redis
        keys = (
            bridge.prefixed_key(storage._previous_window_key(key)),
            bridge.prefixed_key(storage._current_window_key(key)),
        )
        expiry = item.get_expiry()
        # limits types its connection as a protocol; on the redis-py bridge it is a redis.asyncio.Redis.
        pipeline = cast(Redis, bridge.get_connection()).pipeline(transaction=False)
        pipeline.evalsha(bridge.lua_acquire_sliding_window.sha, 2, *keys, item.amount, expiry, amount)
        pipeline.evalsha(bridge.lua_sliding_window.sha, 2, *keys, expiry)
        try:
            acquired, window = await pipeline.execute()
        except NoScriptError:
            return None
        # Decoded exactly as limits' RedispyBridge.get_sliding_window does.
        previous_count = int(window[0] or 0) if window else 0
        previous_expires_in = max(0, float(window[1] or 0)) / 1000 if window else 0.0
        current_count = int(window[2] or 0) if window else 0
        current_expires_in = max(0, float(window[3] or 0)) / 1000 if window else 0.0
        remaining, reset_time = window_stats(
            item, previous_count, previous_expires_in, current_count, current_expires_in
        )
        return bool(acquired), remaining, reset_time

    async def clear(self, policy: str, limit: str, *identifiers: str) -> None:
        item = self._item(limit)
        self._leases.pop(item.key_for(policy, *identifiers), None)
        await self._limiter.clear(item, policy, *identifiers)

    async def ping(self) -> bool:
        return bool(await self._storage.check())

    async def reset(self) -> None:
        self._leases.clear()
        await self._storage.reset()


def window_stats(
    item: RateLimitItem,
    previous_count: int,
    previous_expires_in: float,
    current_count: int,
    current_expires_in: float,
) -> tuple[int, float]:
    """(remaining, reset time) of a sliding window counter, by the arithmetic of limits'
    `SlidingWindowCounterRateLimiter.get_window_stats` (tests compare the two on real Redis)."""
    expiry = item.get_expiry()
    weighted = previous_count * previous_expires_in / expiry + current_count
    remaining = max(0, item.amount - math.floor(weighted))
    now = time.time()
    if not (previous_count or current_count):
        return remaining, now
    previous_reset_in, current_reset_in = math.inf, math.inf
    if previous_count:
        previous_reset_in = previous_expires_in % (expiry / previous_count)
    if current_count:
        current_reset_in = current_expires_in % expiry
    return remaining, now + min(previous_reset_in, current_reset_in)
