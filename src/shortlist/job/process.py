"""The `shortlist worker` and `shortlist scheduler` process roles."""

from __future__ import annotations

import asyncio
import signal

import structlog
from prometheus_client import start_http_server

from shortlist.config import Settings
from shortlist.job.embedded import JobRunner
from shortlist.job.runtime import JobServices
from shortlist.platform.db import create_database
from shortlist.platform.observability.logging import configure_logging
from shortlist.platform.pubsub import create_pubsub
from shortlist.platform.queue import JobQueue

log = structlog.get_logger(__name__)


async def run_process(
    settings: Settings,
    *,
    worker: bool,
    scheduler: bool,
    concurrency: int | None = None,
    metrics_port: int | None = None,
) -> None:
    configure_logging(settings.log_level, json=settings.log_json)
    if metrics_port is not None:
        # Worker and scheduler serve no HTTP API: a bare /metrics endpoint is how Prometheus sees them.
        start_http_server(metrics_port, addr=settings.metrics_bind_host)
    queue = JobQueue.from_url(
        settings.broker_url,
        queue_name=settings.broker_queue,
        prefetch=concurrency or settings.worker_concurrency,
        consumer=worker,
    )
    services = JobServices(
        settings, create_database(settings.resolved_database_url), queue, create_pubsub(settings.redis_url)
    )
    runner = JobRunner(services, worker=worker, scheduler=scheduler, concurrency=concurrency)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # First signal: stop taking jobs, finish or hand back the running ones (graceful shutdown).
        loop.add_signal_handler(signum, runner.stop_event.set)
    await runner.start()
    log.info(
        "jobs.process_started", worker=worker, scheduler=scheduler, broker=queue.broker.__class__.__name__
    )
    try:
        await runner.stop_event.wait()
    finally:
        await runner.stop()
        await queue.shutdown()
        await services.pubsub.close()
        await services.database.dispose()
        log.info("jobs.process_stopped")
