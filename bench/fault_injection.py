"""Fault injection under load, with a report: the service's connections to PostgreSQL, Redis and RabbitMQ pass a
TCP proxy (tests/faultproxy.py) that adds latency, cuts every connection and takes each dependency down in
turn while writers create resumes and an importer uploads files (jobs on the broker, parsed by a worker loop).

    SHORTLIST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
    SHORTLIST_REDIS_URL=redis://127.0.0.1:6379/0 SHORTLIST_BROKER_URL=amqp://guest:guest@127.0.0.1:5672/ \\
      .venv/bin/python bench/fault_injection.py [--seconds-down 5] [--writers 8] 2>/dev/null

Uses a database of its own on that server (created, migrated, dropped). Prints the answers by phase, the
acknowledged writes missing from the database (must be none), the jobs' end states and doubled effects (must be
none), and how long the first successful write took once everything was back. Exits 1 if any of it fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import make_settings  # noqa: E402
from tests.scaleout.faults import proxied_service, run_under_faults  # noqa: E402

from shortlist.main import build_context, close_context  # noqa: E402
from shortlist.platform.db import create_database  # noqa: E402
from shortlist.platform.migrate import upgrade_to_head  # noqa: E402


async def run(args: argparse.Namespace) -> int:
    server_url = os.environ.get("SHORTLIST_DATABASE_URL", "")
    if not server_url.startswith("postgresql") or not os.environ.get("SHORTLIST_REDIS_URL"):
        print("needs SHORTLIST_DATABASE_URL (PostgreSQL), SHORTLIST_REDIS_URL and SHORTLIST_BROKER_URL")
        return 2
    name = f"shortlist_faults_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        database = create_database(url)
        await upgrade_to_head(database.engine)
        await database.dispose()
        settings = make_settings(Path(tempfile.mkdtemp(prefix="faults-")), database_url=url)
        reference = await build_context(settings)
        try:
            async with proxied_service(settings) as (context, proxies):
                outcome = await run_under_faults(
                    context, proxies, reference, writers=args.writers, seconds_down=args.seconds_down
                )
        finally:
            await close_context(reference)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
    ledger = outcome.ledger
    print(f"{args.writers} writers + 1 importer; each dependency down {args.seconds_down} s in turn")
    print("phase                                  seconds  answers")
    for phase, seconds in outcome.played:
        counts = dict(sorted(ledger.by_phase.get(phase, {}).items()))
        print(f"  {phase:36} {seconds:6.1f}  {counts}")
    print(
        f"all answers: {dict(sorted(ledger.statuses.items()))}; transport errors: {ledger.transport_errors}"
    )
    print(f"503 without Retry-After: {ledger.unavailable_without_retry_after}")
    print(f"/readyz while PostgreSQL was down: {sorted(outcome.ready_during_postgres_outage)}")
    print(
        f"acknowledged writes: {len(ledger.acknowledged_resumes)}; missing from the database: {len(outcome.lost_writes)}"
    )
    print(
        f"import jobs accepted: {len(ledger.accepted_jobs)}; end states {dict(outcome.job_statuses)}; "
        f"resumes they made: {outcome.imported_resumes}; doubled effects: {outcome.duplicate_effects}"
    )
    print(f"first successful write after the last fault: {outcome.recovery_seconds:.2f} s (no restart)")
    ok = (
        not outcome.lost_writes
        and ledger.statuses[500] == 0
        and ledger.unavailable_without_retry_after == 0
        and set(outcome.job_statuses) <= {"succeeded"}
        and outcome.duplicate_effects == 0
    )
    print("OK" if ok else "NOT OK")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds-down", type=float, default=5.0)
    parser.add_argument("--writers", type=int, default=8)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
