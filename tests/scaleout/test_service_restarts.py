"""Real services restarted under load: no job is lost, and the API degrades to clear answers and recovers.

These tests stop and start the machine's own RabbitMQ and Redis, so they run only where that is allowed:
CI sets SHORTLIST_TEST_RESTART_SERVICES=1 for its run on real services.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from shortlist.context import AppContext
from shortlist.job.registry import load_task_modules
from shortlist.job.runtime import job_services
from shortlist.main import create_app
from shortlist.models import Event, Job
from tests.conftest import Register
from tests.job.helpers import enqueue

pytestmark = [
    pytest.mark.slow,
    pytest.mark.alone,
    pytest.mark.skipif(
        os.environ.get("SHORTLIST_TEST_RESTART_SERVICES") != "1",
        reason="restarts the machine's RabbitMQ and Redis: set SHORTLIST_TEST_RESTART_SERVICES=1 (CI does)",
    ),
]


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def _wait(probe: list[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while subprocess.run(probe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode:
        assert time.monotonic() < deadline, f"{probe[0]} did not come back"
        time.sleep(0.5)


def restart_rabbitmq() -> None:
    _run("rabbitmqctl", "stop_app")
    time.sleep(2)
    _run("rabbitmqctl", "start_app")
    _wait(["rabbitmq-diagnostics", "-q", "check_port_connectivity"])


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False, timeout=30)


def start_redis() -> None:
    Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
    Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
    _run(
        "redis-server",
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        "6379",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/var/lib/redis",
        "--logfile",
        "/var/log/redis/ci.log",
    )
    _wait(["redis-cli", "-h", "127.0.0.1", "ping"])


@pytest.fixture
def worker(app_context: AppContext) -> Iterator[None]:
    settings = app_context.settings
    if not (settings.broker_url or "").startswith("amqp"):
        pytest.skip("needs SHORTLIST_BROKER_URL pointing at RabbitMQ")
    env = {
        **os.environ,
        "SHORTLIST_DATABASE_URL": settings.resolved_database_url,
        "SHORTLIST_SECRET_KEY": settings.secret_key.get_secret_value(),
        "SHORTLIST_BROKER_QUEUE": settings.broker_queue,
        "SHORTLIST_JOB_REDELIVER_AFTER_SECONDS": "2",
        "SHORTLIST_JOB_STALE_AFTER_SECONDS": "3",
        "SHORTLIST_SCHEDULER_INTERVAL_SECONDS": "0.2",
        "SHORTLIST_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "worker", "--scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(30)


async def test_rabbitmq_restart_under_load_loses_no_job(app_context: AppContext, worker: None) -> None:
    load_task_modules()
    services = job_services(app_context)
    ids: list[uuid.UUID] = []

    async def produce(count: int) -> None:
        for index in range(count):
            job_id = await enqueue(app_context, "system.noop", {"n": index}, publish=False)
            ids.append(job_id)
            await services.publish([job_id])  # best effort: fails quietly while the broker is away
            await asyncio.sleep(0.05)

    producer = asyncio.create_task(produce(80))
    await asyncio.sleep(1.0)
    await asyncio.to_thread(restart_rabbitmq)
    await producer
    deadline = time.monotonic() + 120
    while True:
        async with app_context.database.reader() as session:
            done = await session.scalar(
                select(func.count()).select_from(Job).where(Job.id.in_(ids), Job.status == "succeeded")
            )
        if done == len(ids):
            break
        assert time.monotonic() < deadline, f"{done} of {len(ids)} jobs finished after the restart"
        await asyncio.sleep(0.5)
    async with app_context.database.reader() as session:
        events = await session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.name == "job.succeeded", Event.resource_id.in_(ids))
        )
    assert events == len(ids)  # every job once: none lost, none doubled


async def test_redis_down_means_clear_answers_then_recovery(
    app_context: AppContext, register: Register
) -> None:
    if not app_context.settings.redis_url:
        pytest.skip("needs SHORTLIST_REDIS_URL")
    transport = httpx.ASGITransport(app=create_app(context=app_context), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        headers = await register()
        created = await client.post("/v1/resumes", json={"title": "r", "content": {}}, headers=headers)
        url = f"/v1/resumes/{created.json()['id']}"
        assert (await client.get(url, headers=headers)).status_code == 200
        await asyncio.to_thread(stop_redis)
        try:
            read = await client.get(url, headers=headers)
            write = await client.put(url, json={"title": "changed", "content": {}}, headers=headers)
        finally:
            await asyncio.to_thread(start_redis)
        # Reads fall back to the database; a write that cannot invalidate the cache refuses cleanly.
        assert read.status_code == 200
        assert write.status_code == 503, write.text
        assert write.headers["content-type"].startswith("application/problem+json")
        assert "retry-after" in write.headers
        recovered = None
        for _ in range(40):
            recovered = await client.put(url, json={"title": "changed", "content": {}}, headers=headers)
            if recovered.status_code == 200:
                break
            await asyncio.sleep(0.25)
        assert recovered is not None and recovered.status_code == 200, recovered.text if recovered else None
        assert (await client.get(url, headers=headers)).json()["title"] == "changed"
