"""`/readyz` with a job broker configured: the broker is checked with one round trip (RabbitMQ and Redis
Streams, the real servers on this machine), and a broker that does not answer makes the replica unready with a
problem document naming it. Without a broker (in-process queue) there is nothing to check."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.platform.queue import JobQueue
from tests.conftest import assert_problem, drop_broker_queue
from tests.support import free_port

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
REDIS_URL = "redis://127.0.0.1:6379/0"

Served = Callable[[str | None], AbstractAsyncContextManager[httpx.AsyncClient]]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(app_context: AppContext) -> Served:
    """A client of the app whose settings and job queue name `broker_url` (None: the in-process queue)."""

    @asynccontextmanager
    async def serve(broker_url: str | None) -> AsyncIterator[httpx.AsyncClient]:
        settings = app_context.settings.model_copy(
            update={"broker_url": broker_url, "broker_queue": f"shortlist.test.ready.{uuid.uuid4().hex[:12]}"}
        )
        queue = JobQueue.from_url(broker_url, queue_name=settings.broker_queue)
        app = create_app(context=replace(app_context, settings=settings, queue=queue))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield client
        finally:
            await queue.shutdown()
            if broker_url is not None and _listening(int(broker_url.rsplit(":", 1)[1].split("/")[0])):
                await drop_broker_queue(settings)

    return serve


@pytest.mark.parametrize(
    ("url", "port"), [(RABBITMQ_URL, 5672), (REDIS_URL, 6379)], ids=["rabbitmq", "redis"]
)
async def test_a_broker_that_answers_is_ready(served: Served, url: str, port: int) -> None:
    if not _listening(port):
        pytest.skip(f"no broker listening on 127.0.0.1:{port}")
    async with served(url) as client:
        for _ in range(2):  # the first probe opens the publishing connection, the second reuses it
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"]["broker"] == "ok"
            assert ready.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("scheme", ["amqp://guest:guest@", "redis://"], ids=["rabbitmq", "redis"])
async def test_a_broker_that_does_not_answer_makes_the_replica_unready(served: Served, scheme: str) -> None:
    async with served(f"{scheme}127.0.0.1:{free_port()}/") as client:  # nothing listens there
        ready = await client.get("/readyz")
        body = assert_problem(ready, 503, "not-ready")
        assert body["failing"] == ["broker"]
        assert body["checks"]["broker"].startswith("failing: ")
        assert body["checks"]["database"] == "ok"
        assert "broker" in body["detail"]
        assert ready.headers["cache-control"] == "no-store"


async def test_the_in_process_queue_needs_no_check(served: Served) -> None:
    async with served(None) as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert "broker" not in ready.json()["checks"]
