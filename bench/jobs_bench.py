"""Jobs benchmark: no-op jobs through the full path (row insert, commit, publish, broker, claim, handler,
completion with its event), and enqueue-to-start latency.

    .venv/bin/python bench/jobs_bench.py [--jobs 2000] [--concurrency 32] [--batch 50 | --rate 20]
        [--broker-url amqp://guest:guest@127.0.0.1:5672/] [--database-url postgresql+asyncpg://…]

Without --database-url a fresh SQLite file is used. --broker-url "" measures the in-process queue. The
worker runs in this process (one event loop), so the figure is per worker process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete, select

from shortlist.config import Settings
from shortlist.job import service
from shortlist.job import tasks as _tasks  # noqa: F401 - registers system.noop
from shortlist.job.runtime import JobServices
from shortlist.job.worker import Worker
from shortlist.models import Event, Job
from shortlist.platform.db import create_database
from shortlist.platform.migrate import upgrade_to_head
from shortlist.platform.pubsub import MemoryPubSub
from shortlist.platform.queue import JobQueue


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="jobs-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    queue_name = f"shortlist.bench.{uuid.uuid4().hex[:8]}"
    settings = Settings(
        data_dir=tmp,
        database_url=url,
        broker_url=args.broker_url or None,
        broker_queue=queue_name,
        log_level="WARNING",
        worker_concurrency=args.concurrency,
    )
    database = create_database(url)
    await upgrade_to_head(database.engine)
    publisher = JobQueue.from_url(settings.broker_url, queue_name=queue_name, prefetch=args.concurrency)
    consumer = (
        publisher
        if publisher.is_local
        else JobQueue.from_url(
            settings.broker_url, queue_name=queue_name, prefetch=args.concurrency, consumer=True
        )
    )
    producer = JobServices(settings, database, publisher, MemoryPubSub())
    services = JobServices(settings, database, consumer, MemoryPubSub())
    stop = asyncio.Event()
    await consumer.startup()
    processes: list[subprocess.Popen[bytes]] = []
    if args.worker_processes:
        # Workers as separate `shortlist worker` processes, as deployed; this process only enqueues.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")}
        env.update(
            SHORTLIST_DATA_DIR=str(tmp),
            SHORTLIST_DATABASE_URL=url,
            SHORTLIST_BROKER_URL=settings.broker_url or "",
            SHORTLIST_BROKER_QUEUE=queue_name,
            SHORTLIST_LOG_LEVEL="WARNING",
        )
        command = [sys.executable, "-m", "shortlist.cli", "worker", "--concurrency", str(args.concurrency)]
        processes = [subprocess.Popen(command, env=env) for _ in range(args.worker_processes)]  # noqa: ASYNC220 - once, before timing
        await asyncio.sleep(5)  # let them start and declare their consumers
    worker = Worker(services, args.concurrency)
    worker_task: asyncio.Task[object] = asyncio.create_task(stop.wait() if processes else worker.run(stop))
    ids: list[uuid.UUID] = []
    started = time.perf_counter()
    # A burst (batches as fast as possible) measures throughput; --rate paces single-job transactions
    # below capacity, which is what enqueue-to-start latency means for a caller.
    batch = 1 if args.rate else args.batch
    for first in range(0, args.jobs, batch):
        async with database.writer() as session:
            for _ in range(min(batch, args.jobs - first)):
                job = await service.enqueue(session, "system.noop", {}, owner_id=None, settings=settings)
                ids.append(job.id)
            await session.commit()
        await producer.after_commit(session)
        if args.rate:
            await asyncio.sleep(max(0.0, started + len(ids) / args.rate - time.perf_counter()))
    enqueued = time.perf_counter() - started
    while True:
        async with database.reader() as session:
            done = await session.scalar(
                select(Job.id).where(Job.id.in_(ids[-1:] + ids[:1]), Job.status != "succeeded").limit(1)
            )
            pending = await session.scalar(select(Job.id).where(Job.status != "succeeded").limit(1))
        if done is None and pending is None:
            break
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    stop.set()
    await worker_task
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(30)
    async with database.reader() as session:
        rows = (
            await session.execute(
                select(Job.created_at, Job.started_at, Job.finished_at).where(Job.id.in_(ids))
            )
        ).all()
    to_start = [(s - c).total_seconds() * 1000 for c, s, _ in rows]
    to_finish = [(f - c).total_seconds() * 1000 for c, _, f in rows]
    broker = (settings.broker_url or "in-process").split("@")[-1]
    where = f"{args.worker_processes} worker processes" if args.worker_processes else "worker in this process"
    print(
        f"database: {database.engine.dialect.name}, broker: {broker}, {where}, concurrency {args.concurrency}"
    )
    mode = f"paced at {args.rate:g}/s, one per transaction" if args.rate else f"burst, batches of {batch}"
    print(
        f"{args.jobs} no-op jobs ({mode}) in {elapsed:.2f} s: {args.jobs / elapsed:,.0f} jobs/s end to end "
        f"(enqueueing alone {args.jobs / enqueued:,.0f} jobs/s)"
    )
    print(
        f"enqueue-to-start ms: p50 {_pct(to_start, 0.5):.1f}, p99 {_pct(to_start, 0.99):.1f}, "
        f"mean {statistics.fmean(to_start):.1f}"
    )
    print(f"enqueue-to-finish ms: p50 {_pct(to_finish, 0.5):.1f}, p99 {_pct(to_finish, 0.99):.1f}")
    async with database.writer() as session:
        await session.execute(delete(Event).where(Event.resource_id.in_(ids)))
        await session.execute(delete(Job).where(Job.id.in_(ids)))
        await session.commit()
    await publisher.shutdown()
    await consumer.shutdown()
    if settings.broker_url and settings.broker_url.startswith("amqp"):
        import aio_pika

        connection = await aio_pika.connect(settings.broker_url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(queue_name)
            await channel.exchange_delete(queue_name)
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--batch", type=int, default=50, help="jobs per enqueue transaction (burst mode)")
    parser.add_argument(
        "--rate", type=float, default=0, help="pace enqueues at this many jobs/s (latency mode)"
    )
    parser.add_argument("--broker-url", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--worker-processes", type=int, default=0, help="run workers as `shortlist worker`")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
