"""The queue facade against each broker: in-process always, RabbitMQ and Redis Streams when configured."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from taskiq import BrokerMessage

from shortlist.platform.queue import JobQueue
from tests.conftest import drop_broker_queue, make_settings


def _urls() -> list[str | None]:
    urls: list[str | None] = [None]
    broker = os.environ.get("SHORTLIST_BROKER_URL")
    if broker:
        urls.append(broker)
    redis = os.environ.get("SHORTLIST_REDIS_URL")
    if redis and redis not in urls:
        urls.append(redis)
    return urls


@pytest.mark.parametrize("url", _urls(), ids=lambda u: (u or "local").split(":")[0])
async def test_publish_consume_ack(url: str | None, tmp_path: object) -> None:
    name = f"shortlist.test.{uuid.uuid4().hex[:12]}"
    publisher = JobQueue.from_url(url, queue_name=name)
    consumer = publisher if publisher.is_local else JobQueue.from_url(url, queue_name=name, consumer=True)
    ids = [uuid.uuid4() for _ in range(50)]
    received: list[uuid.UUID | None] = []

    async def consume() -> None:
        async for delivery in consumer.consume():
            received.append(delivery.job_id)
            await delivery.ack()
            if len(received) == len(ids) + 1:
                return

    try:
        await consumer.startup()  # the consumer group / queue exists before the first message
        reader = asyncio.create_task(consume())
        await asyncio.sleep(0.2)
        for job_id in ids:
            await publisher.publish(job_id)
        # A note that is not ours is delivered as "no job" (and acknowledged), never a crash.
        await publisher.broker.kick(
            BrokerMessage(task_id="x", task_name="other", message=b"not json at all", labels={})
        )
        await asyncio.wait_for(reader, 20)
    finally:
        await publisher.shutdown()
        if consumer is not publisher:
            await consumer.shutdown()
        if url:
            await drop_broker_queue(make_settings(tmp_path, broker_url=url, broker_queue=name))  # type: ignore[arg-type]
    assert sorted(str(i) for i in received[:-1] if i) == sorted(str(i) for i in ids) or set(ids) <= set(
        received
    )
    assert None in received


async def test_publisher_queue_refuses_to_consume() -> None:
    url = os.environ.get("SHORTLIST_BROKER_URL")
    if not url:
        pytest.skip("needs SHORTLIST_BROKER_URL")
    queue = JobQueue.from_url(url, queue_name="unused")
    with pytest.raises(RuntimeError, match="publishing"):
        async for _ in queue.consume():
            break
