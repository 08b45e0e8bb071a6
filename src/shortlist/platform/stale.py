"""Cache keys made stale by a transaction, dropped around its commit.

Services mark keys on the session (``mark_stale``); whoever commits calls ``drop_stale`` twice: before the
commit with ``strict=True`` (a cache that cannot be reached fails the write, so no stale entry can outlive
it) and after the commit with ``strict=False`` (a reader that refilled the key from the old row between the
first drop and the commit is corrected).
"""

from __future__ import annotations

import structlog
from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.platform.cache import Cache, CacheError

_INFO_KEY = "shortlist_stale_cache_keys"
log = structlog.get_logger(__name__)

CACHE_FALLBACKS = Counter(
    "shortlist_cache_fallbacks",
    "Reads served from the source because the cache failed.",
    ["namespace"],
)


def mark_stale(session: AsyncSession, *keys: str) -> None:
    pending: set[str] = session.info.setdefault(_INFO_KEY, set())
    pending.update(keys)


def stale_keys(session: AsyncSession) -> list[str]:
    return sorted(session.info.get(_INFO_KEY, ()))


async def drop_stale(cache: Cache, session: AsyncSession, *, strict: bool) -> None:
    keys = stale_keys(session)
    if not keys:
        return
    if strict:
        await cache.delete(*keys)
        return
    session.info.pop(_INFO_KEY, None)
    try:
        await cache.delete(*keys)
    except CacheError as exc:
        # The write is committed; the strict drop before it already removed the keys.
        log.warning("cache.invalidation_failed", keys=len(keys), error=type(exc).__name__)
