"""One `shortlist serve` (and a worker behind a broker) for every browser test of the run.

Starting a server costs seconds (imports, migrations, the renderer's first compile); the browser journeys
and Swagger UI's check need no isolation beyond their own accounts, so they share this one. It has a
database and a queue of its own (a SQLite file, or a database made on the suite's PostgreSQL server): its
job runner and webhook delivery loop live for the whole run, and must never claim the rows of the tests
that run beside it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Coroutine, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from shortlist.context import AppContext
from tests.support import running_server

# A small upload limit: the "too large" journey need not push megabytes through the browser.
UPLOAD_LIMIT = 512 * 1024


def _in_thread(work: Coroutine[Any, Any, None]) -> None:
    """Sync Playwright keeps an event loop on the main thread: async set-up runs on a thread of its own."""
    worker = threading.Thread(target=asyncio.run, args=(work,))
    worker.start()
    worker.join()


async def _on_server(suite_url: str, statement: str) -> None:
    engine = create_async_engine(suite_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _served_database(suite_url: str, server_dir: Path) -> str:
    url = make_url(suite_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite+aiosqlite:///{server_dir / 'served.db'}"
    return url.set(database=f"{url.database}_served").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared server's data directory: its outbox holds the e-mails it sent."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="session")
def live_server(server_dir: Path, context: AppContext) -> Iterator[str]:
    suite_url = context.settings.resolved_database_url
    url = _served_database(suite_url, server_dir)
    on_server = not url.startswith("sqlite")
    if on_server:
        _in_thread(_on_server(suite_url, f'CREATE DATABASE "{make_url(url).database}"'))
    queue = f"{context.settings.broker_queue}.served"
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
        "SHORTLIST_BROKER_QUEUE": queue,
    }
    try:
        with ExitStack() as stack:
            base, process = stack.enter_context(running_server(server_dir, env, "--migrate"))
            if os.environ.get("SHORTLIST_BROKER_URL"):
                # Behind a broker `serve` runs no jobs (an import's parse, say) and no scheduler (which dispatches
                # the outbox's events to live pages): a worker with the scheduler loop takes both, as deployed.
                worker = subprocess.Popen(
                    [sys.executable, "-m", "shortlist.cli", "worker", "--scheduler"],
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
        if on_server:
            name = make_url(url).database
            _in_thread(_on_server(suite_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        from tests.conftest import drop_broker_queue  # conftest imports this module: import late

        _in_thread(drop_broker_queue(context.settings.model_copy(update={"broker_queue": queue})))
