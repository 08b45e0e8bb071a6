from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from taskiq import AckableMessage, AsyncBroker, BrokerMessage, TaskiqMessage

TASK_NAME = "shortlist.run_job"


class LocalBroker(AsyncBroker):
    """In-process broker on an asyncio queue, so the embedded mode goes through the same consumer code as
    RabbitMQ and Redis (taskiq's InMemoryBroker runs tasks on kick and cannot be listened to)."""

    def __init__(self) -> None:
        super().__init__()
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def kick(self, message: BrokerMessage) -> None:
        self._queue.put_nowait(message.message)

    async def listen(self) -> AsyncGenerator[bytes, None]:
        while True:
            yield await self._queue.get()

    def qsize(self) -> int:
        return self._queue.qsize()


def create_broker(url: str | None, *, queue_name: str, prefetch: int) -> AsyncBroker:
    if not url:
        return LocalBroker()
    if url.startswith(("amqp://", "amqps://")):
        from taskiq_aio_pika import AioPikaBroker
        from taskiq_aio_pika.exchange import Exchange
        from taskiq_aio_pika.queue import Queue

        return AioPikaBroker(
            url,
            qos=prefetch,
            exchange=Exchange(name=queue_name),
            task_queues=[Queue(name=queue_name)],
        )
    if url.startswith(("redis://", "rediss://", "unix://")):
        from taskiq_redis import RedisStreamBroker

        return RedisStreamBroker(
            url,
            queue_name=queue_name,
            consumer_group_name=queue_name,
            # Bounded stream; the jobs table, not the stream, is the record of work.
            maxlen=100_000,
            # Messages of a killed consumer are claimed by another after this idle time (ms). Our sweeper
            # does not depend on it: it republishes from the jobs table.
            idle_timeout=60_000,
            unacknowledged_lock_timeout=5,
            xread_block=1000,
        )
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]}")


@dataclass(frozen=True)
class Delivery:
    job_id: uuid.UUID | None  # None: a message we cannot read (dropped after ack)
    ack: Callable[[], Awaitable[None]]


async def _no_ack() -> None:
    return None


class JobQueue:
    """Publishes job ids and yields deliveries. Starts the broker lazily on first use."""

    def __init__(self, broker: AsyncBroker, *, consumer: bool = False) -> None:
        self.broker = broker
        self.broker.is_worker_process = consumer
        self._started = False
        self._lock = asyncio.Lock()

    @classmethod
    def from_url(
        cls, url: str | None, *, queue_name: str, prefetch: int = 10, consumer: bool = False
    ) -> JobQueue:
        return cls(create_broker(url, queue_name=queue_name, prefetch=prefetch), consumer=consumer)

    @property
    def is_local(self) -> bool:
        return isinstance(self.broker, LocalBroker)

    async def startup(self) -> None:
        async with self._lock:
            if not self._started:
                try:
                    await self.broker.startup()
                except BaseException:
                    # A start cut short (refused, timed out) may hold half a connection: the next try opens anew.
                    with contextlib.suppress(Exception):
                        await self.broker.shutdown()
                    raise
                self._started = True

    async def ping(self) -> None:
        """Raise unless the broker answers one cheap round trip (readiness; no message is published).

        The publishing connection is the one checked, so it is opened here if no publish has opened it yet.
        """
        if self.is_local:
            return  # in-process: up as long as we are
        await self.startup()
        # Imported here, like the brokers themselves: an embedded server never loads either client.
        from redis.asyncio import Redis
        from taskiq_aio_pika import AioPikaBroker
        from taskiq_redis.redis_broker import BaseRedisBroker

        broker = self.broker
        if isinstance(broker, AioPikaBroker):
            connection = broker.write_conn
            if connection is None or connection.is_closed:
                raise ConnectionError("the broker connection is closed")
            # Opening and closing a channel is one exchange of frames with the server, nothing more.
            async with connection.channel():
                pass
        elif isinstance(broker, BaseRedisBroker):
            async with Redis(connection_pool=broker.connection_pool) as redis:
                await redis.ping()

    async def shutdown(self) -> None:
        async with self._lock:
            if self._started:
                self._started = False
                await self.broker.shutdown()

    async def publish(self, job_id: uuid.UUID) -> None:
        await self.startup()
        message = TaskiqMessage(
            task_id=uuid.uuid4().hex, task_name=TASK_NAME, labels={}, args=[str(job_id)], kwargs={}
        )
        await self.broker.kick(self.broker.formatter.dumps(message))

    async def consume(self) -> AsyncIterator[Delivery]:
        """Deliveries until cancelled. Ack once the job row says what happened (or the note was useless)."""
        if not self.is_local and not self.broker.is_worker_process:
            raise RuntimeError("this queue was opened for publishing; open it with consumer=True to consume")
        await self.startup()
        async for raw in self.broker.listen():
            data, ack = _unwrap(raw)
            yield Delivery(_job_id(self.broker, data), ack)


def _unwrap(raw: bytes | AckableMessage) -> tuple[bytes, Callable[[], Awaitable[None]]]:
    if isinstance(raw, AckableMessage):
        callback = raw.ack

        async def ack() -> None:
            outcome: Any = callback()
            if asyncio.iscoroutine(outcome) or isinstance(outcome, asyncio.Future):
                await outcome

        return raw.data, ack
    return raw, _no_ack


def _job_id(broker: AsyncBroker, data: bytes) -> uuid.UUID | None:
    try:
        message = broker.formatter.loads(data)
        if message.task_name != TASK_NAME or len(message.args) != 1:
            return None
        return uuid.UUID(str(message.args[0]))
    except (ValueError, TypeError):
        return None
