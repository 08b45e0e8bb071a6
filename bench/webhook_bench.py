"""Webhook delivery benchmark: signed deliveries per second from the delivery loop to a local receiver.

    .venv/bin/python bench/webhook_bench.py [--deliveries 1000] [--concurrency 16] [--loops 1]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench]

Every delivery goes the whole way: claim (conditional UPDATE), unseal the secret, sign, SSRF-checked POST
over a new connection, record the attempt. The receiver (a threaded http.server on 127.0.0.1, in its own
process) verifies each signature. With --loops 2 two delivery loops on separate connection pools compete for the same rows, as
two replicas would. The default database is a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import multiprocessing
import tempfile
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.main import build_context
from shortlist.models import User, WebhookDelivery
from shortlist.platform.db import create_database
from shortlist.platform.migrate import upgrade_to_head
from shortlist.platform.observability.logging import configure_logging
from shortlist.webhook.policy import egress_policy
from shortlist.webhook.runner import DeliveryRunner
from shortlist.webhook.service import create_endpoint, enqueue_deliveries
from shortlist.webhook.signing import WebhookVerificationError, verify


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    secret = ""
    verified: Synchronized[int]
    rejected: Synchronized[int]


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            verify({k.lower(): v for k, v in self.headers.items()}, body, self.server.secret)
            ok = True
        except WebhookVerificationError:
            ok = False
        counter = self.server.verified if ok else self.server.rejected
        with counter.get_lock():
            counter.value += 1
        self.send_response(204 if ok else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _serve(
    ports: Queue[int], secrets: Queue[str], verified: Synchronized[int], rejected: Synchronized[int]
) -> None:
    """The receiver runs in its own process, so it never competes with the sender for the GIL."""
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.verified, server.rejected = verified, rejected
    ports.put(server.server_address[1])
    server.secret = secrets.get()
    server.serve_forever()


def _percentile(samples: list[int], q: float) -> int:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0


async def _prepare(context: AppContext, url: str, count: int) -> tuple[uuid.UUID, uuid.UUID, str]:
    async with context.database.writer() as session:
        user = User(email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password_hash="-", role="user")  # noqa: S106 - cannot sign in
        session.add(user)
        await session.flush()
        subject = Subject(user.id, "user", frozenset())
        endpoint, secret = await create_endpoint(
            context.settings,
            session,
            subject,
            context.keys.webhooks,
            context.webhook_egress,
            url=url,
            event_types=["*"],
            description="bench",
            active=True,
        )
        occurred = datetime.now(UTC)
        for i in range(count):
            await enqueue_deliveries(
                session, "resume.updated", f"evt_{i}", occurred, user.id, {"resume_id": str(uuid.uuid4())}
            )
        await session.commit()
    return user.id, endpoint.id, secret


async def main(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="webhook-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database_url=url,
        secret_key="bench-secret-key-that-is-long-enough-for-the-checks",  # noqa: S106 - throw-away database
        webhook_allow_hosts=["127.0.0.1"],
        webhook_delivery_embedded=False,
        log_level="WARNING",
    )
    configure_logging(settings.log_level, json=False)
    database = create_database(url)
    await upgrade_to_head(database.engine)
    await database.dispose()
    context = await build_context(settings)
    context = dataclasses.replace(context, webhook_egress=egress_policy(settings))

    ports: Queue[int] = multiprocessing.Queue()
    secrets: Queue[str] = multiprocessing.Queue()
    verified: Synchronized[int] = multiprocessing.Value("i", 0)
    rejected: Synchronized[int] = multiprocessing.Value("i", 0)
    receiver = multiprocessing.Process(target=_serve, args=(ports, secrets, verified, rejected), daemon=True)
    receiver.start()
    extra: list[AppContext] = []
    try:
        port = ports.get(timeout=30)
        owner_id, endpoint_id, secret = await _prepare(
            context, f"http://127.0.0.1:{port}/in", args.deliveries
        )
        secrets.put(secret)
        contexts = [context]
        for _ in range(args.loops - 1):
            extra.append(dataclasses.replace(context, database=create_database(url)))
        contexts += extra
        loops = [DeliveryRunner(c, concurrency=args.concurrency) for c in contexts]
        started = time.perf_counter()
        succeeded = 0
        while succeeded < args.deliveries and time.perf_counter() - started < args.max_seconds:
            rounds = await asyncio.gather(*(loop.run_once() for loop in loops))
            succeeded += sum(o.result == "succeeded" for batch in rounds for o in batch)
        elapsed = time.perf_counter() - started
        async with context.database.reader() as session:
            latencies = list(
                (
                    await session.scalars(
                        select(WebhookDelivery.last_latency_ms).where(
                            WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == "succeeded"
                        )
                    )
                ).all()
            )
        samples = [latency for latency in latencies if latency is not None]
        backend = "sqlite" if context.database.is_sqlite else "postgresql"
        print(
            f"{backend:10} loops={args.loops} concurrency={args.concurrency}: {succeeded} deliveries in "
            f"{elapsed:.2f} s = {succeeded / elapsed:,.0f} deliveries/s | HTTP exchange p50 "
            f"{_percentile(samples, 0.5)} ms p99 {_percentile(samples, 0.99)} ms | receiver verified "
            f"{verified.value}, rejected {rejected.value}"
        )
        if verified.value != args.deliveries:
            print(f"warning: receiver saw {verified.value} valid requests for {args.deliveries} deliveries")
        async with context.database.writer() as session:
            # Leave a reused database as it was: the account's endpoint and deliveries go with it.
            await session.execute(delete(User).where(User.id == owner_id))
            await session.commit()
    finally:
        receiver.terminate()
        receiver.join(timeout=5)
        for c in extra:
            await c.database.dispose()
        await context.database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--loops", type=int, default=1, choices=range(1, 9))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    asyncio.run(main(parser.parse_args()))
