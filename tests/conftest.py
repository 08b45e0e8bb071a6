"""Shared fixtures: one migrated database per run (SQLite by default, PostgreSQL when
SHORTLIST_DATABASE_URL is set), emptied after every test, and an HTTP client through the full ASGI app."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from shortlist.job.runtime import JobServices, job_services
from shortlist.main import build_context, close_context, create_app
from shortlist.models import Base
from shortlist.platform.db import create_database
from shortlist.platform.migrate import upgrade_to_head
from shortlist.platform.queue import JobQueue
from tests.served import live_server, server_dir  # noqa: F401 - the browser tests' shared server

PASSWORD = "correct horse battery staple"


def _redis_database_per_worker() -> None:
    """Under pytest-xdist each worker takes a Redis database of its own (1, 2, …), so one worker's limiter
    reset or cache keys never reach another's. Databases, queues and data directories are per run already."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("SHORTLIST_REDIS_URL")
    if not worker or not url:
        return
    index = int(worker.removeprefix("gw"))
    os.environ["SHORTLIST_REDIS_URL"] = urlsplit(url)._replace(path=f"/{index + 1}").geturl()


_redis_database_per_worker()


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp,
        "database_url": f"sqlite+aiosqlite:///{tmp / 'test.db'}",
        "redis_url": os.environ.get("SHORTLIST_REDIS_URL") or None,
        "secret_key": "test-secret-key-that-is-long-enough-for-production-checks",
        # Cheap Argon2: the algorithm is the same, the cost is not what tests are about.
        "password_time_cost": 1,
        "password_memory_cost_kib": 64,
        "rate_limit_anonymous": "100000/minute",
        "rate_limit_user": "100000/minute",
        "rate_limit_api_key": "100000/minute",
        "log_level": "WARNING",
        "gc_freeze_after_startup": False,
        # A broker only when the environment names one; a queue of our own so parallel runs never share.
        "broker_url": os.environ.get("SHORTLIST_BROKER_URL") or None,
        "broker_queue": f"shortlist.test.{uuid.uuid4().hex[:12]}",
        # Fast job timings: the logic is the same, the waiting is not what tests are about.
        "worker_heartbeat_seconds": 0.1,
        "worker_shutdown_grace_seconds": 5.0,
        "job_stale_after_seconds": 1.0,
        "job_redeliver_after_seconds": 2.0,
        "job_retry_base_seconds": 0.05,
        "job_retry_max_seconds": 0.2,
        "scheduler_interval_seconds": 0.05,
    }
    values.update(overrides)
    return Settings(**values)


DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


async def _reset_schema(url: str) -> None:
    database = create_database(url)
    try:
        async with database.engine.begin() as connection:
            if database.is_sqlite:
                await connection.run_sync(Base.metadata.drop_all)
                await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            else:
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        await upgrade_to_head(database.engine)
    finally:
        await database.dispose()


async def empty_tables(context: AppContext) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "signing_keys"]
    if context.database.is_sqlite:
        async with context.database.engine.begin() as connection:
            for name in tables:
                await connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - names from our metadata
        return
    # Server processes a test started (a worker, a scheduler) may still be reading when it ends: TRUNCATE
    # locks every table, so PostgreSQL can pick it as the victim of a deadlock. Its answer is to try again.
    for attempt in range(5):
        try:
            async with context.database.engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
            return
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED or attempt == 4:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shortlist")


@pytest.fixture(scope="session")
async def settings(data_dir: Path) -> AsyncIterator[Settings]:
    """SQLite under a temporary directory, or a database of this run's own on the configured server."""
    server_url = os.environ.get("SHORTLIST_DATABASE_URL")
    if not server_url or server_url.startswith("sqlite"):
        yield make_settings(data_dir)
        return
    # A database per run: concurrent runs on one server never see each other's rows or migrations.
    url = make_url(server_url)
    name = f"{url.database or 'shortlist'}_run_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_settings(
            data_dir, database_url=url.set(database=name).render_as_string(hide_password=False)
        )
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
async def context(settings: Settings) -> AsyncIterator[AppContext]:
    await _reset_schema(settings.resolved_database_url)
    context = await build_context(settings)
    yield context
    await drop_broker_queue(settings)
    await close_context(context)


@pytest.fixture
async def app_context(context: AppContext) -> AsyncIterator[AppContext]:
    await context.rate_limiter.reset()
    yield context
    await empty_tables(context)


@pytest.fixture
async def client(app_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(context=app_context)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


Register = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture
def register(client: httpx.AsyncClient) -> Register:
    """Create an account and sign in; returns the Authorization header."""

    async def make(email: str | None = None, password: str = PASSWORD) -> dict[str, str]:
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        created = await client.post("/v1/auth/register", json={"email": email, "password": password})
        assert created.status_code == 201, created.text
        tokens = await login(client, email, password)
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    return make


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post("/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: httpx.Response, status: int, type_suffix: str | None = None) -> dict[str, Any]:
    """Every error is a problem document with the fields a client relies on."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    assert body["instance"].startswith("/")
    assert body["request_id"] == response.headers["x-request-id"]
    if type_suffix is not None:
        assert body["type"].endswith("/" + type_suffix), body["type"]
    return body


async def drop_broker_queue(settings: Settings) -> None:
    """Remove the per-run queue from the real broker (they are durable)."""
    url, name = settings.broker_url, settings.broker_queue
    if not url:
        return
    if url.startswith("amqp"):
        import aio_pika

        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(name)
            await channel.exchange_delete(name)
    elif url.startswith("redis"):
        from redis.asyncio import Redis

        redis = Redis.from_url(url)
        await redis.delete(name)
        await redis.aclose()


def worker_services(context: AppContext) -> JobServices:
    """The context's job services, with a consuming queue of its own when a real broker is configured."""
    services = job_services(context)
    if not context.queue.is_local:
        settings = context.settings
        consumer = JobQueue.from_url(settings.broker_url, queue_name=settings.broker_queue, consumer=True)
        services = replace(services, queue=consumer)
    return services


@pytest.fixture
async def job_runner(app_context: AppContext) -> AsyncIterator[JobRunner]:
    """Worker and scheduler loops on the test's event loop, on the configured broker."""
    services = worker_services(app_context)
    runner = await JobRunner(services).start()
    yield runner
    await runner.stop()
    if services.queue is not app_context.queue:
        await services.queue.shutdown()
