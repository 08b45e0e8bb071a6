"""Live fan-out of small JSON messages to whoever listens on a channel, in this process or (with Redis) in
every API instance. Best effort by design: the database holds the truth, listeners re-read it when unsure."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import orjson
import structlog

log = structlog.get_logger(__name__)

_PREFIX = "shortlist:live:"
_QUEUE_SIZE = 256  # a listener that falls this far behind loses messages rather than memory


class Subscription:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUE_SIZE)

    def offer(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(message)

    async def get(self, wait: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait)
        except TimeoutError:
            return None


class PubSub(Protocol):
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...

    async def close(self) -> None: ...


class _LocalFanout:
    def __init__(self) -> None:
        self._channels: dict[str, set[Subscription]] = {}

    def deliver(self, channel: str, message: dict[str, Any]) -> None:
        for subscription in tuple(self._channels.get(channel, ())):
            subscription.offer(message)

    @asynccontextmanager
    async def attach(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = Subscription()
        self._channels.setdefault(channel, set()).add(subscription)
        try:
            yield subscription
        finally:
            listeners = self._channels.get(channel)
            if listeners is not None:
                listeners.discard(subscription)
                if not listeners:
                    del self._channels[channel]


class MemoryPubSub:
    """One process: delivery is a queue put."""

    def __init__(self) -> None:
        self._fanout = _LocalFanout()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        self._fanout.deliver(channel, message)

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        return self._fanout.attach(channel)

    async def close(self) -> None:
        return None


class RedisPubSub:
    """Every instance holds one Redis connection subscribed to the whole live namespace and fans messages out
    to its local listeners; publishing is one PUBLISH."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._fanout = _LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(_PREFIX + channel, orjson.dumps(message))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        if self._reader is None or self._reader.done():
            self._ready.clear()
            self._reader = asyncio.create_task(self._read())
        async with self._fanout.attach(channel) as subscription:
            # Wait until Redis confirmed the subscription, so nothing published from now on is missed.
            await asyncio.wait_for(self._ready.wait(), 10)
            yield subscription

    async def _read(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.psubscribe(_PREFIX + "*")
            while True:
                message = await pubsub.get_message(timeout=5.0)
                if message is None:
                    continue
                if message["type"] == "psubscribe":
                    self._ready.set()
                    continue
                if message["type"] != "pmessage":
                    continue
                channel = message["channel"].decode()[len(_PREFIX) :]
                try:
                    body = orjson.loads(message["data"])
                except orjson.JSONDecodeError:
                    continue
                if isinstance(body, dict):
                    self._fanout.deliver(channel, body)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("pubsub.reader_failed", exc_info=True)
        finally:
            self._ready.clear()
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._redis.aclose()


def create_pubsub(redis_url: str | None) -> PubSub:
    return RedisPubSub(redis_url) if redis_url else MemoryPubSub()


def user_channel(user_id: object) -> str:
    return f"user:{user_id}"


def organization_channel(organization_id: object) -> str:
    """An organisation's recruiting events (ids, scores and stages only), for its members' live views."""
    return f"organization:{organization_id}"
