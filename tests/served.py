"""One `shortlist serve` (and a worker behind a broker) for every browser test of the run.

Starting a server costs seconds (imports, migrations check, the renderer's first compile); the browser
journeys and Swagger UI's check need no isolation beyond their own accounts, so they share this one. It
runs on the suite's database (PostgreSQL in the second CI run), with the suite's secret and queue; what
the browser tests stored is deleted when the run ends, as after any other test."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shortlist.context import AppContext
from shortlist.models import Base
from tests.support import running_server

# A small upload limit: the "too large" journey need not push megabytes through the browser.
UPLOAD_LIMIT = 512 * 1024


def _empty_tables(url: str) -> None:
    """Sync Playwright keeps an event loop on the main thread, so the suite's async engine cannot be used
    here: a short-lived engine on a thread of its own."""

    async def run() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "signing_keys"]
                if engine.dialect.name == "sqlite":
                    for name in tables:
                        await connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own names
                else:
                    await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        finally:
            await engine.dispose()

    worker = threading.Thread(target=asyncio.run, args=(run(),))
    worker.start()
    worker.join()


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared server's data directory: its outbox holds the e-mails it sent."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="session")
def live_server(server_dir: Path, context: AppContext) -> Iterator[str]:
    url = context.settings.resolved_database_url
    env = {
        "SHORTLIST_SECRET_KEY": context.settings.secret_key.get_secret_value(),
        "SHORTLIST_DATABASE_URL": url,
        "SHORTLIST_PASSWORD_TIME_COST": "1",
        "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
        "SHORTLIST_RATE_LIMIT_ANONYMOUS": "100000/minute",
        "SHORTLIST_RATE_LIMIT_USER": "100000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_IP": "100000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_ACCOUNT": "100000/minute",
        "SHORTLIST_CAREERS_APPLY_LIMIT_PER_ADDRESS": "100000/hour",
        "SHORTLIST_ATS_UPLOAD_MAX_BYTES": str(UPLOAD_LIMIT),
        # Webhooks to a local port may be registered (nothing listens: deliveries just fail).
        "SHORTLIST_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
        "SHORTLIST_BROKER_QUEUE": context.settings.broker_queue,
    }
    try:
        with ExitStack() as stack:
            base, process = stack.enter_context(running_server(server_dir, env, "--no-migrate"))
            if os.environ.get("SHORTLIST_BROKER_URL"):
                # Behind a broker `serve` runs no jobs (an import's parse, say): a worker takes them, as deployed.
                worker = subprocess.Popen(
                    [sys.executable, "-m", "shortlist.cli", "worker"],
                    env={
                        **os.environ,
                        **env,
                        "SHORTLIST_DATA_DIR": str(server_dir),
                        "SHORTLIST_LOG_LEVEL": "WARNING",
                    },
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                stack.callback(worker.wait, 15)
                stack.callback(worker.terminate)
            yield base
            process.terminate()
            _, stderr = process.communicate(timeout=15)
        assert b"request.unhandled_error" not in stderr, stderr.decode()[-3000:]
    finally:
        _empty_tables(url)
