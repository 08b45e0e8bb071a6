"""Fault injection under load, shared by the suite (tests/scaleout/test_fault_injection.py) and the bench
(bench/fault_injection.py): the service's connections to PostgreSQL, Redis and RabbitMQ go through
tests/faultproxy.py, writers and uploads run concurrently, and a script of faults plays out meanwhile (added
latency, every connection cut, each dependency down for a while). What was acknowledged is then compared with
what is stored.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from shortlist.main import build_context, close_context, create_app
from shortlist.models import Job, Resume
from tests.conftest import PASSWORD, worker_services
from tests.faultproxy import FaultProxy

TERMINAL = {"succeeded", "failed", "dead", "cancelled"}


@dataclass
class Proxies:
    postgres: FaultProxy
    redis: FaultProxy
    rabbitmq: FaultProxy

    def all(self) -> tuple[FaultProxy, ...]:
        return (self.postgres, self.redis, self.rabbitmq)


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parsed = make_url(url)
    return parsed.host or "127.0.0.1", parsed.port or default_port


@asynccontextmanager
async def proxied_service(settings: Settings) -> AsyncIterator[tuple[AppContext, Proxies]]:
    """An application context whose every connection to PostgreSQL, Redis and RabbitMQ passes a fault proxy
    (same database, same Redis and broker as ``settings``; a broker queue of its own)."""
    assert settings.redis_url and settings.broker_url
    proxies = Proxies(
        FaultProxy(*_host_port(settings.resolved_database_url, 5432)).start(),
        FaultProxy(*_host_port(settings.redis_url, 6379)).start(),
        FaultProxy(*_host_port(settings.broker_url, 5672)).start(),
    )
    database = make_url(settings.resolved_database_url).set(host="127.0.0.1", port=proxies.postgres.port)
    redis = make_url(settings.redis_url).set(host="127.0.0.1", port=proxies.redis.port)
    broker = make_url(settings.broker_url).set(host="127.0.0.1", port=proxies.rabbitmq.port)
    proxied = settings.model_copy(
        update={
            "database_url": database.render_as_string(hide_password=False),
            "redis_url": redis.render_as_string(hide_password=False),
            "broker_url": broker.render_as_string(hide_password=False),
            "broker_queue": f"shortlist.test.faults.{uuid.uuid4().hex[:10]}",
            # The writers create resumes as fast as the machine lets them: the per-account cap (a product
            # limit, not what is under test here) would otherwise refuse them once a quick run reaches it.
            "resume_max_per_user": 1_000_000,
        }
    )
    context = await build_context(proxied)
    try:
        yield context, proxies
    finally:
        for proxy in proxies.all():
            proxy.up()
            proxy.set_latency(0)
        await close_context(context)
        for proxy in proxies.all():
            proxy.stop()


@dataclass
class Ledger:
    """Every answer the load got, and what was acknowledged."""

    statuses: Counter[int] = field(default_factory=Counter)
    by_phase: dict[str, Counter[int]] = field(default_factory=dict)
    acknowledged_resumes: list[str] = field(default_factory=list)
    accepted_jobs: list[str] = field(default_factory=list)
    unavailable_without_retry_after: int = 0
    transport_errors: int = 0
    phase: str = "steady"

    def record(self, response: httpx.Response) -> None:
        self.statuses[response.status_code] += 1
        self.by_phase.setdefault(self.phase, Counter())[response.status_code] += 1
        if response.status_code == 503 and "retry-after" not in response.headers:
            self.unavailable_without_retry_after += 1


async def sign_in(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"faults-{uuid.uuid4().hex[:10]}@example.com"
    (await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})).raise_for_status()
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def _writer(
    client: httpx.AsyncClient, headers: dict[str, str], ledger: Ledger, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        title = f"fault-{uuid.uuid4().hex}"
        try:
            answer = await client.post("/v1/resumes", json={"title": title, "content": {}}, headers=headers)
        except httpx.TransportError:
            ledger.transport_errors += 1
            await asyncio.sleep(0.05)
            continue
        ledger.record(answer)
        if answer.status_code == 201:
            ledger.acknowledged_resumes.append(answer.json()["id"])
        elif answer.status_code == 503:
            await asyncio.sleep(0.1)  # a client that honours Retry-After would wait longer; keep the load up


async def _importer(
    client: httpx.AsyncClient, headers: dict[str, str], ledger: Ledger, stop: asyncio.Event
) -> None:
    text = (
        b"Ada Lovelace\nada@example.com\n\nExperience\nAnalyst, Engines Ltd, 2019 - 2024\n- Wrote programs\n"
    )
    while not stop.is_set():
        try:
            answer = await client.post(
                "/v1/resumes/import-file", files={"file": ("cv.txt", text, "text/plain")}, headers=headers
            )
        except httpx.TransportError:
            ledger.transport_errors += 1
            await asyncio.sleep(0.05)
            continue
        ledger.record(answer)
        if answer.status_code == 202:
            ledger.accepted_jobs.append(answer.json()["id"])
        await asyncio.sleep(0.3)


async def fault_script(proxies: Proxies, ledger: Ledger, seconds_down: float) -> list[tuple[str, float]]:
    """Latency, cuts and outages one after another; returns (phase, seconds) as played."""
    played: list[tuple[str, float]] = []

    async def phase(name: str, seconds: float) -> None:
        ledger.phase = name
        played.append((name, seconds))
        await asyncio.sleep(seconds)

    await phase("steady", 2.0)
    for proxy in proxies.all():
        proxy.set_latency(0.05)
    await phase("latency 50 ms on every link", 1.5)
    for proxy in proxies.all():
        proxy.set_latency(0)
    proxies.postgres.cut()
    await phase("postgres connections cut", 1.0)
    proxies.redis.cut()
    proxies.rabbitmq.cut()
    await phase("redis and rabbitmq connections cut", 1.0)
    proxies.postgres.down()
    await phase("postgres down", seconds_down)
    proxies.postgres.up()
    await phase("after postgres", 1.0)
    proxies.redis.down()
    await phase("redis down", seconds_down)
    proxies.redis.up()
    await phase("after redis", 1.0)
    proxies.rabbitmq.down()
    await phase("rabbitmq down", seconds_down)
    proxies.rabbitmq.up()
    await phase("recovered", 2.0)
    return played


@dataclass
class Outcome:
    ledger: Ledger
    played: list[tuple[str, float]]
    lost_writes: list[str]
    job_statuses: Counter[str]
    imported_resumes: int
    duplicate_effects: int
    recovery_seconds: float
    ready_during_postgres_outage: set[int]


async def run_under_faults(
    context: AppContext,
    proxies: Proxies,
    reference: AppContext,
    *,
    writers: int = 4,
    importers: int = 1,
    seconds_down: float = 3.0,
    settle_seconds: float = 60.0,
) -> Outcome:
    """Load through the proxied ``context`` while the fault script plays; then check against ``reference`` (a
    context that reaches the database directly)."""
    app = create_app(context=context)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    runner = await JobRunner(worker_services(context)).start()
    ledger = Ledger()
    ready_during_outage: set[int] = set()
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as client:
            # An account per client, as separate people would write.
            accounts = [await sign_in(client) for _ in range(writers + importers + 1)]
            headers = accounts.pop()
            stop = asyncio.Event()
            load = [
                asyncio.create_task(_writer(client, accounts.pop(), ledger, stop)) for _ in range(writers)
            ]
            load += [
                asyncio.create_task(_importer(client, accounts.pop(), ledger, stop)) for _ in range(importers)
            ]

            async def probe_ready() -> None:
                while not stop.is_set():
                    if ledger.phase == "postgres down":
                        status = (await client.get("/readyz")).status_code
                        # A probe sent in the outage's last instant may be answered after it ended.
                        if ledger.phase == "postgres down":
                            ready_during_outage.add(status)
                    await asyncio.sleep(0.25)

            load.append(asyncio.create_task(probe_ready()))
            played = await fault_script(proxies, ledger, seconds_down)
            stop.set()
            await asyncio.gather(*load)
            # Recovery without restart: the same process answers a write again.
            recovered_at = time.monotonic()
            while True:
                answer = await client.post(
                    "/v1/resumes", json={"title": "after", "content": {}}, headers=headers
                )
                if answer.status_code == 201:
                    ledger.acknowledged_resumes.append(answer.json()["id"])
                    break
                assert time.monotonic() - recovered_at < settle_seconds, answer.text
                await asyncio.sleep(0.2)
            recovery = time.monotonic() - recovered_at
            deadline = time.monotonic() + settle_seconds
            while time.monotonic() < deadline:
                if await _all_jobs_ended(reference, ledger.accepted_jobs):
                    break
                await asyncio.sleep(0.25)
    finally:
        await runner.stop()
        if runner.services.queue is not context.queue:
            await runner.services.queue.shutdown()
    return await _reconcile(reference, ledger, played, recovery, ready_during_outage)


async def _all_jobs_ended(reference: AppContext, job_ids: list[str]) -> bool:
    if not job_ids:
        return True
    async with reference.database.reader() as session:
        statuses = (
            await session.scalars(select(Job.status).where(Job.id.in_([uuid.UUID(i) for i in job_ids])))
        ).all()
    return len(statuses) == len(job_ids) and all(status in TERMINAL for status in statuses)


async def _reconcile(
    reference: AppContext,
    ledger: Ledger,
    played: list[tuple[str, float]],
    recovery: float,
    ready_during_outage: set[int],
) -> Outcome:
    async with reference.database.reader() as session:
        acknowledged = [uuid.UUID(i) for i in ledger.acknowledged_resumes]
        stored = set((await session.scalars(select(Resume.id).where(Resume.id.in_(acknowledged)))).all())
        jobs = [uuid.UUID(i) for i in ledger.accepted_jobs]
        job_rows = (await session.execute(select(Job.id, Job.status).where(Job.id.in_(jobs)))).all()
        # An import keys its resume by the job id: one resume per job, however often the job ran.
        imported = (
            await session.execute(
                select(Resume.id, func.count()).where(Resume.id.in_(jobs)).group_by(Resume.id)
            )
        ).all()
    lost = [str(i) for i in acknowledged if i not in stored]
    statuses = Counter(str(status) for _, status in job_rows)
    missing_jobs = len(jobs) - len(job_rows)
    if missing_jobs:
        statuses["missing"] += missing_jobs
    duplicates = sum(count - 1 for _, count in imported if count > 1)
    return Outcome(ledger, played, lost, statuses, len(imported), duplicates, recovery, ready_during_outage)
