"""The worker: takes deliveries from the queue, claims the job row, runs the handler with a heartbeat, and
records the outcome. Deliveries are acknowledged after the row says what happened."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import structlog
from prometheus_client import Counter, Gauge, Histogram

from shortlist.config import Settings
from shortlist.job import service
from shortlist.job.registry import AsyncHandler, CpuHandler, JobFailed, JobKind, get_kind
from shortlist.job.runtime import JobServices
from shortlist.job.sandbox import SandboxCrashed, SandboxError, SandboxTimeout, run_in_sandbox
from shortlist.job.service import job_problem
from shortlist.models import Job
from shortlist.platform.db import Database
from shortlist.platform.observability.tracing import REQUEST_ID_KEY, continue_trace
from shortlist.platform.queue import Delivery

log = structlog.get_logger(__name__)

JOB_OUTCOMES = Counter("shortlist_jobs_total", "Job attempts by kind and outcome.", ["kind", "outcome"])
JOB_DURATION = Histogram(
    "shortlist_job_duration_seconds",
    "Duration of job attempts by kind.",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800),
)
JOBS_RUNNING = Gauge("shortlist_jobs_running", "Job attempts running in this process.")

T = TypeVar("T")


class _AttemptLost(Exception):
    """The row no longer says this attempt is ours (cancelled, or taken back by the sweeper)."""


@dataclass
class _Context:
    """The JobContext handed to async handlers."""

    services: JobServices
    job_id: uuid.UUID
    kind: str
    attempt: int
    owner_id: uuid.UUID | None
    resource_id: uuid.UUID | None

    @property
    def database(self) -> Database:
        return self.services.database

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def progress(self, percent: int) -> None:
        job = await write(self.services, service.set_progress, self.job_id, self.attempt, percent)
        if job is None:
            raise _AttemptLost()
        await self.services.notify(job)


async def write(services: JobServices, change: Callable[..., Awaitable[T]], *args: Any) -> T:
    """One short write transaction, shielded: a cancellation (job cancelled, shutdown) must not abandon a
    statement half-way and leave a connection holding a transaction (SQLite's lock)."""

    async def run() -> T:
        async with services.database.writer() as session:
            outcome = await change(session, *args)
            await session.commit()
            return outcome

    return await asyncio.shield(run())


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Worker:
    services: JobServices
    concurrency: int
    worker_id: str = field(default_factory=default_worker_id)
    _running: dict[asyncio.Task[None], tuple[uuid.UUID, int]] = field(default_factory=dict)

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set, then finish or hand back what is running."""
        slots = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()

        def done(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            slots.release()

        async def consume() -> None:
            while True:
                try:
                    async for delivery in self.services.queue.consume():
                        await slots.acquire()
                        task = asyncio.create_task(self._process(delivery))
                        tasks.add(task)
                        task.add_done_callback(done)
                except Exception:
                    # Broker down or connection lost: try again; the jobs table keeps the work meanwhile.
                    log.warning("worker.consume_failed", exc_info=True)
                    await asyncio.sleep(1.0)

        consumer = asyncio.create_task(consume())
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({consumer, stopper}, return_when=asyncio.FIRST_COMPLETED)
        consumer.cancel()
        stopper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
        if tasks:
            grace = self.services.settings.worker_shutdown_grace_seconds
            _, unfinished = await asyncio.wait(tasks, timeout=grace)
            for task in unfinished:
                task.cancel()  # _process hands the attempt back
            if unfinished:
                await asyncio.wait(unfinished)

    async def _process(self, delivery: Delivery) -> None:
        try:
            if delivery.job_id is not None:
                await self._run_job(delivery.job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The row is the truth: an unexpected error here leaves the job to the sweeper.
            log.exception("worker.job_crashed", job_id=str(delivery.job_id))
        finally:
            with contextlib.suppress(Exception):
                await delivery.ack()

    async def _run_job(self, job_id: uuid.UUID) -> None:
        services = self.services
        job = await write(services, service.claim, job_id, self.worker_id)
        if job is None:
            return  # duplicate delivery, not due yet, or finished: nothing to do
        await services.notify(job)
        attempt = job.attempts
        started = time.perf_counter()
        JOBS_RUNNING.inc()
        outcome = "succeeded"
        # One trace from the request that asked for the job to its execution here.
        carrier = {"traceparent": job.trace_id or "", REQUEST_ID_KEY: job.request_id or ""}
        try:
            with continue_trace(carrier, f"job {job.kind}", job_id=str(job_id), attempt=attempt):
                result = await self._execute(job)
        except asyncio.CancelledError:
            outcome = "handed_back"
            await asyncio.shield(self._hand_back(job_id, attempt))
            raise
        except _AttemptLost:
            outcome = "lost"
            log.info("worker.attempt_lost", job_id=str(job_id), attempt=attempt)
            return
        except _Failure as failure:
            fail = partial(service.fail, services.settings, retryable=failure.retryable)
            done = await write(services, fail, job_id, attempt, failure.problem)
            outcome = done.status if done is not None else "lost"
            await services.notify(done)
            return
        finally:
            JOBS_RUNNING.dec()
            JOB_OUTCOMES.labels(job.kind, outcome).inc()
            JOB_DURATION.labels(job.kind).observe(time.perf_counter() - started)
        done = await write(services, service.succeed, job_id, attempt, result)
        await services.notify(done)

    async def _hand_back(self, job_id: uuid.UUID, attempt: int) -> None:
        if await write(self.services, service.hand_back, job_id, attempt, self.worker_id):
            await self.services.publish([job_id])

    async def _execute(self, job: Job) -> dict[str, Any] | None:
        settings = self.services.settings
        kind = get_kind(job.kind)
        if kind is None:
            raise _Failure(
                job_problem(
                    "unknown-job-kind", "Unknown job kind", f"No handler is registered for {job.kind}."
                ),
                retryable=False,
            )
        time_limit = kind.timeout or settings.job_timeout_seconds
        work = asyncio.create_task(self._call(kind, job, time_limit))
        beat = asyncio.create_task(self._heartbeat(job.id, job.attempts, work))
        try:
            return await work
        except asyncio.CancelledError:
            me = asyncio.current_task()
            lost = beat.done() and not beat.cancelled() and beat.result()
            if lost and (me is None or not me.cancelling()):
                raise _AttemptLost() from None
            raise
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _call(self, kind: JobKind, job: Job, time_limit: float) -> dict[str, Any] | None:
        settings = self.services.settings
        try:
            if kind.cpu_bound:
                handler_cpu: CpuHandler = kind.handler  # type: ignore[assignment]
                return await run_in_sandbox(
                    handler_cpu,
                    dict(job.payload),
                    time_limit=time_limit,
                    memory_limit_mb=kind.memory_limit_mb or settings.job_memory_limit_mb,
                )
            handler: AsyncHandler = kind.handler  # type: ignore[assignment]
            context = _Context(self.services, job.id, job.kind, job.attempts, job.owner_id, job.resource_id)
            async with asyncio.timeout(time_limit):
                result = await handler(context, dict(job.payload))
            if result is not None and not isinstance(result, dict):
                raise JobFailed("the handler returned something other than a JSON object")
            return result
        except (_AttemptLost, asyncio.CancelledError):
            raise
        except (TimeoutError, SandboxTimeout) as exc:
            detail = f"The job ran longer than its limit of {time_limit:g} s."
            raise _Failure(job_problem("job-timeout", "Job timed out", detail), retryable=True) from exc
        except SandboxCrashed as exc:
            raise _Failure(job_problem("job-crashed", "Job process died", str(exc)), retryable=True) from exc
        except SandboxError as exc:
            slug, title = ("job-failed", "Job failed") if exc.permanent else ("job-error", "Job error")
            raise _Failure(job_problem(slug, title, exc.detail), retryable=not exc.permanent) from exc
        except JobFailed as exc:
            extra = {"status": exc.status} if exc.status is not None else {}
            raise _Failure(job_problem(exc.slug, exc.title, exc.detail, **extra), retryable=False) from exc
        except Exception as exc:
            # Only the exception's type and message: tracebacks stay in the worker's log.
            log.warning("worker.handler_error", job_id=str(job.id), kind=job.kind, exc_info=True)
            detail = f"{type(exc).__name__}: {exc}"
            raise _Failure(job_problem("job-error", "Job error", detail), retryable=True) from exc

    async def _heartbeat(self, job_id: uuid.UUID, attempt: int, work: asyncio.Task[Any]) -> bool:
        interval = self.services.settings.worker_heartbeat_seconds
        while True:
            await asyncio.sleep(interval)
            try:
                ours = await write(self.services, service.heartbeat, job_id, attempt)
            except Exception:
                log.warning("worker.heartbeat_failed", job_id=str(job_id), exc_info=True)
                continue
            if not ours:
                # Cancelled or taken back: stop the handler; its outcome would be discarded anyway.
                work.cancel()
                return True


class _Failure(Exception):
    def __init__(self, problem: dict[str, Any], *, retryable: bool) -> None:
        super().__init__(problem.get("detail", ""))
        self.problem = problem
        self.retryable = retryable
