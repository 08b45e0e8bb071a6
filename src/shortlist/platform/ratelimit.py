"""Rate limits on the `limits` library: in memory by default, Redis when configured (shared by instances)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

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


class RateLimiter:
    def __init__(self, redis_url: str | None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._storage: Storage
        if redis_url:
            uri = redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            # redis-py, the client the rest of the service uses (the default would be coredis).
            storage = storage_from_string(uri, implementation="redispy")
            assert isinstance(storage, Storage)
            self._storage = storage
        else:
            self._storage = MemoryStorage()
        self._limiter = SlidingWindowCounterRateLimiter(self._storage)
        self._parsed: dict[str, RateLimitItem] = {}

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
            if count:
                allowed = await self._limiter.hit(item, policy, *identifiers)
            else:
                allowed = await self._limiter.test(item, policy, *identifiers)
            stats = await self._limiter.get_window_stats(item, policy, *identifiers)
        except Exception as exc:
            # Fail open: refusing every request because the counter store is away would be the larger harm.
            log.warning("ratelimit.storage_unavailable", error=type(exc).__name__)
            return RateLimitResult(True, policy, item.amount, window, item.amount, window)
        reset_after = max(0, math.ceil(stats.reset_time - time.time()))
        return RateLimitResult(allowed, policy, item.amount, window, max(0, stats.remaining), reset_after)

    async def clear(self, policy: str, limit: str, *identifiers: str) -> None:
        await self._limiter.clear(self._item(limit), policy, *identifiers)

    async def ping(self) -> bool:
        return bool(await self._storage.check())

    async def reset(self) -> None:
        await self._storage.reset()
