"""Cached reads of one resume: the serialised response body and its ETag, per owner.

Key ``resume:{owner_id}:{resume_id}``: the owner is part of the key, so one tenant's entry can never answer
another's request, even if the ids were known. Writes mark the key stale on their session; the route drops
it before and after the commit (see ``shortlist.platform.stale``).

When the cache cannot be reached the read falls back to the database (counted in
``shortlist_cache_fallbacks_total``): a resume read is worth serving slower rather than not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.platform.cache import Cache, CacheError
from shortlist.platform.observability.tracing import annotate, span
from shortlist.platform.stale import CACHE_FALLBACKS, mark_stale


def resume_key(owner_id: uuid.UUID, resume_id: uuid.UUID) -> str:
    return f"resume:{owner_id}:{resume_id}"


def pack(etag: str, body: bytes) -> bytes:
    return etag.encode() + b"\n" + body


def unpack(value: bytes) -> tuple[str, bytes]:
    etag, _, body = value.partition(b"\n")
    return etag.decode(), body


def unpack_fetched(fetched: bytes) -> tuple[str, bytes]:
    """An entry read along with the account state: no I/O is left to time, so it gets no span of its own."""
    annotate(**{"shortlist.cache.namespace": "resume", "shortlist.cache.hit": True})
    return unpack(fetched)


async def read_through(
    cache: Cache,
    key: str,
    ttl: int,
    load: Callable[[], Awaitable[tuple[str, bytes]]],
    fetched: bytes | None = None,
) -> tuple[str, bytes]:
    """The cached (etag, body), loading it once for concurrent misses; the database alone if the cache fails.

    `fetched` is the entry when the caller already read it (with the account state, in one round trip).
    Loader errors (404 and the like) propagate and nothing is cached.
    """
    if fetched is not None:
        return unpack_fetched(fetched)
    loaded: tuple[str, bytes] | None = None

    async def loader() -> bytes:
        nonlocal loaded
        loaded = await load()
        return pack(*loaded)

    with span("cache.read") as current:
        if current is not None:
            current.set_attribute("shortlist.cache.namespace", "resume")
        try:
            value = unpack(await cache.get_or_set(key, loader, ttl))
        except CacheError as exc:
            CACHE_FALLBACKS.labels("resume").inc()
            if current is not None:
                current.set_attribute("shortlist.cache.error", type(exc).__name__)
            # The load may have succeeded before storing failed: do not read the database twice.
            value = loaded if loaded is not None else await load()
        if current is not None:
            current.set_attribute("shortlist.cache.hit", loaded is None)
        return value


def mark_resume_stale(session: AsyncSession, owner_id: uuid.UUID, resume_id: uuid.UUID) -> None:
    mark_stale(session, resume_key(owner_id, resume_id))
