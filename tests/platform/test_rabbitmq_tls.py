"""RabbitMQ over TLS with verification, by settings alone: `amqps://…?cafile=…` as SHORTLIST_BROKER_URL.

The TLS listener is started here with a certificate from a CA made here, in front of the run's RabbitMQ
(tests/faultproxy.py terminates TLS and forwards the AMQP bytes): a second RabbitMQ node with an `ssl`
listener works too, but takes close to a minute to boot on this machine. The job queue publishes and consumes
a job through it, and refuses a listener our CA did not sign, or one whose certificate names another host.
Runs when the environment names a RabbitMQ broker, like the suite's other broker tests.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import uuid
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import pytest

from shortlist.platform.queue import JobQueue
from tests.faultproxy import FaultProxy
from tests.platform.tls import causes, make_authority, make_server_certificate

BROKER_URL = os.environ.get("SHORTLIST_BROKER_URL") or ""

pytestmark = pytest.mark.skipif(
    not BROKER_URL.startswith("amqp://"), reason="needs SHORTLIST_BROKER_URL naming a RabbitMQ (amqp://)"
)


@pytest.fixture(scope="module")
def tls_rabbitmq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultProxy, Path, Path]]:
    """(TLS listener forwarding to the run's RabbitMQ, our CA's file, another CA's file)."""
    from yarl import URL

    directory = tmp_path_factory.mktemp("rabbitmq-tls")
    authority = make_authority(directory, "internal-ca")
    other = make_authority(directory, "other-ca")
    cert_file, key_file = make_server_certificate(directory, authority, "rabbitmq")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    upstream = URL(BROKER_URL)
    proxy = FaultProxy(upstream.host or "127.0.0.1", upstream.port or 5672, server_tls=context).start()
    try:
        yield proxy, authority.file, other.file
    finally:
        proxy.stop()


def tls_url(proxy: FaultProxy, host: str, ca_file: Path) -> str:
    from yarl import URL

    plain = URL(BROKER_URL)
    return str(
        plain.with_scheme("amqps").with_host(host).with_port(proxy.port).with_query({"cafile": str(ca_file)})
    )


async def _delete_queue(name: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(BROKER_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)
        await channel.exchange_delete(name)


async def test_jobs_travel_over_verified_tls(tls_rabbitmq: tuple[FaultProxy, Path, Path]) -> None:
    proxy, ca_file, _ = tls_rabbitmq
    url, name = tls_url(proxy, "127.0.0.1", ca_file), f"shortlist.test.tls.{uuid.uuid4().hex[:10]}"
    consumer = JobQueue.from_url(url, queue_name=name, consumer=True)
    publisher = JobQueue.from_url(url, queue_name=name)
    job_id = uuid.uuid4()
    try:
        await consumer.startup()  # declares the queue before anything is published to it
        before = proxy.stats.bytes_up
        await publisher.publish(job_id)
        deliveries = consumer.consume()
        delivery = await asyncio.wait_for(anext(deliveries), 15)
        await delivery.ack()
        assert isinstance(deliveries, AsyncGenerator)
        await deliveries.aclose()
        assert delivery.job_id == job_id
        # Both connections went through the TLS listener: nothing reached RabbitMQ any other way.
        assert proxy.stats.accepted >= 2 and proxy.stats.bytes_up > before
    finally:
        await publisher.shutdown()
        await consumer.shutdown()
        await _delete_queue(name)


@pytest.mark.parametrize("trust", ["other-ca", "wrong-name"])
async def test_a_listener_our_ca_did_not_sign_for_is_refused(
    tls_rabbitmq: tuple[FaultProxy, Path, Path], trust: str
) -> None:
    proxy, ca_file, other_ca_file = tls_rabbitmq
    # wrong-name: our CA signed the certificate, but for 127.0.0.1 only; the name we dial must be in it.
    url = (
        tls_url(proxy, "127.0.0.1", other_ca_file)
        if trust == "other-ca"
        else tls_url(proxy, "localhost", ca_file)
    )
    publisher = JobQueue.from_url(url, queue_name=f"shortlist.test.tls.{uuid.uuid4().hex[:10]}")
    with pytest.raises(Exception) as refused:  # aio-pika wraps the TLS error in its own types
        await asyncio.wait_for(publisher.startup(), 15)
    assert "certificate" in causes(refused.value), causes(refused.value)
