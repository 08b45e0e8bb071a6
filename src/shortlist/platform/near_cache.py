"""A Redis cache with an in-process near tier for hot namespaces, kept coherent by Redis itself.

Redis's server-assisted client-side caching (``CLIENT TRACKING`` in broadcast mode) tells a listening connection
the name of every key under the tracked prefixes that anyone changes, deletes or lets expire. Each process keeps
one such connection; it drops its near copy of a key when the key's message arrives. A read found in the near
tier costs no round trip, so a cached read with a warm token makes no Redis call for its state.

The rules that keep a near copy from outliving a change:
- a copy is kept only while the listener is subscribed; losing the connection (or a heartbeat going unanswered)
  empties the tier and turns it off until the listener is subscribed again;
- a value read from Redis is not kept if the key's invalidation arrived while the read was in flight, nor if
  the listener reconnected meanwhile (the message may have gone to the old connection);
- this process's own writes and deletes drop its copy at once, before Redis is asked;
- copies live at most ``near_ttl`` seconds, a bound for the case no rule above catches (a listener that is
  deaf without knowing it, until its heartbeat fails).
Another instance's change reaches this one when Redis's message does: the time of one message on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Iterable
from typing import Any, Final

import redis.asyncio as redis_asyncio
import structlog
from prometheus_client import Counter
from redis import exceptions as redis_exceptions
from redis.asyncio.connection import AbstractConnection

from shortlist.platform.cache import CACHE_HITS, MemoryCache, RedisCache

log = structlog.get_logger(__name__)

INVALIDATION_CHANNEL: Final = "__redis__:invalidate"

NEAR_CACHE_RESETS: Final = Counter(
    "shortlist_cache_near_resets",
    "Times the near cache tier was emptied because its invalidation listener lost or regained Redis.",
)


class _ListenerDeaf(Exception):
    """The listener's heartbeat went unanswered."""


class _TrackingRefused(Exception):
    """Redis answered CLIENT TRACKING (or CLIENT ID) with an error."""


class NearCachedRedis(RedisCache):
    """``RedisCache`` whose reads of keys under ``near_namespaces`` are served from process memory when possible."""

    def __init__(
        self,
        client: redis_asyncio.Redis,
        *,
        near_namespaces: Iterable[str],
        near_ttl: float = 5.0,
        near_max_entries: int = 10_000,
        near_max_bytes: int = 32 * 1024 * 1024,
        heartbeat: float = 1.0,
        **options: Any,
    ) -> None:
        super().__init__(client, **options)
        self.near_namespaces = tuple(near_namespaces)
        if not self.near_namespaces:
            raise ValueError("near_namespaces must name at least one key prefix ('' for every key)")
        if not (near_ttl > 0 and math.isfinite(near_ttl)):
            raise ValueError("near_ttl must be a positive number of seconds")
        self.near_ttl = near_ttl
        self.heartbeat = heartbeat
        self._near = MemoryCache(
            max_entries=near_max_entries, max_bytes=near_max_bytes, name=f"{self.name}_near"
        )
        # Whether the listener is subscribed now; copies are neither read nor kept while it is not.
        self.coherent = False
        # Keys being read from Redis now (how many reads), and those of them invalidated meanwhile (a reset of
        # the tier, when coherence is lost or regained, counts as invalidating them all).
        self._reading: dict[str, int] = {}
        self._invalidated_while_reading: set[str] = set()
        self._listener: asyncio.Task[None] | None = None
        self._listener_loop: asyncio.AbstractEventLoop | None = None
        # Set when the server refuses client-side caching: the tier stays off for this cache's life.
        self.tracking_refused = False
        self._closed = False

    # --- reads and writes ----------------------------------------------------------------------------------

    def _is_near(self, key: str) -> bool:
        return key.startswith(self.near_namespaces)

    async def get(self, key: str) -> bytes | None:
        return (await self._read((key,), count_misses=True))[0]

    async def get_many(self, *keys: str) -> list[bytes | None]:
        return await self._read(keys, count_misses=False)

    async def _read(self, keys: tuple[str, ...], *, count_misses: bool) -> list[bytes | None]:
        self._ensure_listener()
        if not self.coherent:
            return await self._read_remote(keys, count_misses=count_misses)
        values = await self._near.get_many(*keys)
        missing: list[str] = []
        for key, value in zip(keys, values, strict=True):
            if value is None:
                missing.append(key)
            else:
                self._count(CACHE_HITS, key)  # a hit of this cache too; `{name}_near` counts the near share
        if not missing:
            return values
        near_missing = [key for key in missing if self._is_near(key)]
        self._begin_read(near_missing)
        try:
            remote = await self._read_remote(tuple(missing), count_misses=count_misses)
            fetched = dict(zip(missing, remote, strict=True))
        finally:
            keep = self._end_read(near_missing)
        for key in keep:
            value = fetched[key]
            if value is not None:
                await self._near.set(key, value, self.near_ttl)
        return [value if value is not None else fetched[key] for key, value in zip(keys, values, strict=True)]

    async def _read_remote(self, keys: tuple[str, ...], *, count_misses: bool) -> list[bytes | None]:
        # `get` counts a miss, `get_many` leaves it to the `get_or_set` that follows (see Cache.get_many).
        if count_misses:
            return [await super().get(keys[0])]
        return await super().get_many(*keys)

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self._forget(key)
        await super().set(key, value, ttl)

    async def delete(self, *keys: str) -> int:
        self._forget(*keys)
        return await super().delete(*keys)

    async def close(self) -> None:
        self._closed = True  # a read after this must not start another listener
        listener, self._listener = self._listener, None
        if listener is not None and not listener.done():
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await listener
        self._lose_coherence()
        await super().close()

    # --- coherence -----------------------------------------------------------------------------------------

    def _begin_read(self, keys: list[str]) -> None:
        for key in keys:
            self._reading[key] = self._reading.get(key, 0) + 1

    def _end_read(self, keys: list[str]) -> list[str]:
        """Finish a read of ``keys``; the keys whose value may be kept."""
        keep: list[str] = []
        for key in keys:
            invalidated = key in self._invalidated_while_reading
            left = self._reading[key] - 1
            if left:
                self._reading[key] = left
            else:
                del self._reading[key]
                self._invalidated_while_reading.discard(key)
            if not invalidated and self.coherent:
                keep.append(key)
        return keep

    def _forget(self, *keys: str) -> None:
        for key in keys:
            self._near.discard(key)
            if key in self._reading:
                self._invalidated_while_reading.add(key)

    def invalidate(self, redis_keys: list[bytes] | None) -> None:
        """Apply one message from Redis: the changed keys, or None when the whole database was flushed."""
        if redis_keys is None:
            self._reset_tier()
            return
        prefix = self.prefix.encode()
        for redis_key in redis_keys:
            if redis_key.startswith(prefix):
                self._forget(redis_key[len(prefix) :].decode(errors="replace"))

    def _reset_tier(self) -> None:
        self._near.clear()
        self._invalidated_while_reading.update(self._reading)

    def _lose_coherence(self) -> None:
        if self.coherent:
            NEAR_CACHE_RESETS.inc()
        self.coherent = False
        self._reset_tier()

    # --- the listener --------------------------------------------------------------------------------------

    def _ensure_listener(self) -> None:
        if self.tracking_refused or self._closed:
            return
        loop = asyncio.get_running_loop()
        if self._listener is not None and not self._listener.done() and self._listener_loop is loop:
            return
        # First use, a listener that ended, or a new event loop (the old one's task died with it).
        self._lose_coherence()
        self._listener_loop = loop
        self._listener = loop.create_task(self._listen(), name="cache-near-invalidation")

    def _listener_connection(self) -> AbstractConnection:
        pool = self.client.connection_pool
        options = dict(pool.connection_kwargs)
        # RESP2 pub/sub: invalidations arrive as ordinary messages on the subscribed connection. (redis-py's
        # maintenance notifications need RESP3; this connection has no use for them.)
        options.update(protocol=2, socket_timeout=None, maint_notifications_config=None)
        options.pop("maint_notifications_pool_handler", None)
        connection: AbstractConnection = pool.connection_class(**options)
        return connection

    async def _subscribe(self, connection: AbstractConnection) -> None:
        await connection.connect()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
        prefixes = [
            part for namespace in self.near_namespaces for part in ("PREFIX", self.data_key(namespace))
        ]
        try:
            await connection.send_command("CLIENT", "ID")
            client_id = await connection.read_response()
            await connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", *prefixes
            )
            await connection.read_response()
        except redis_exceptions.ResponseError as exc:
            # A server (or a proxy in front of it) without client-side caching, or an ACL that forbids it.
            raise _TrackingRefused(str(exc)) from exc
        await connection.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
        await connection.read_response()

    async def _listen(self) -> None:
        delay = 0.05
        while True:
            connection = self._listener_connection()
            try:
                await self._subscribe(connection)
                self._reset_tier()
                self.coherent = True
                NEAR_CACHE_RESETS.inc()
                delay = 0.05
                await self._receive(connection)
            except asyncio.CancelledError:
                raise
            except _TrackingRefused as exc:
                # Asking again would be refused again: the cache works on without its near tier.
                log.warning("cache.near_tier_unavailable", detail=str(exc)[:200])
                self.tracking_refused = True
                return
            except Exception as exc:
                # Whatever went wrong, the tier is off until a new subscription: keep trying, never die.
                log.warning("cache.near_listener_lost", error=type(exc).__name__, detail=str(exc)[:200])
            finally:
                self._lose_coherence()
                with contextlib.suppress(Exception):
                    await connection.disconnect()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _receive(self, connection: AbstractConnection) -> None:
        awaiting_pong = False
        while True:
            # With a timeout of its own, redis-py answers None when nothing arrived in time.
            message = await connection.read_response(timeout=self.heartbeat, disconnect_on_error=False)
            if message is None:
                if awaiting_pong:
                    raise _ListenerDeaf
                await connection.send_command("PING")
                awaiting_pong = True
                continue
            awaiting_pong = False  # anything arriving shows the connection is alive
            if isinstance(message, list) and len(message) == 3 and message[0] == b"message":
                self.invalidate(message[2])
