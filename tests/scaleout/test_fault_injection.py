"""PostgreSQL, Redis and RabbitMQ fail under load, through a fault proxy (tests/faultproxy.py): added latency,
every connection cut, each one down for a few seconds. No acknowledged write is lost, no job's effect is
doubled, a dependency that is down gives 503 with Retry-After (never a 500), and the same process recovers
without a restart. The longer run with a report is bench/fault_injection.py.

Runs on the real services only (SHORTLIST_DATABASE_URL on PostgreSQL, SHORTLIST_REDIS_URL,
SHORTLIST_BROKER_URL on RabbitMQ), as CI's second pass does; the machine's services are never stopped: only
the proxy's connections are.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from shortlist.context import AppContext
from tests.scaleout.faults import proxied_service, run_under_faults

pytestmark = [
    pytest.mark.slow,
    pytest.mark.alone,  # outages are timed: parallel load would blur them
    pytest.mark.skipif(
        not (
            os.environ.get("SHORTLIST_DATABASE_URL", "").startswith("postgresql")
            and os.environ.get("SHORTLIST_REDIS_URL")
            and os.environ.get("SHORTLIST_BROKER_URL", "").startswith("amqp")
        ),
        reason="needs PostgreSQL, Redis and RabbitMQ (SHORTLIST_DATABASE_URL, _REDIS_URL, _BROKER_URL)",
    ),
]


async def test_faults_under_load_lose_nothing_and_answer_clearly(app_context: AppContext) -> None:
    async with proxied_service(app_context.settings) as (context, proxies):
        outcome = await run_under_faults(context, proxies, app_context, seconds_down=2.0)
    ledger = outcome.ledger
    report = f"{dict(ledger.statuses)} by phase {ledger.by_phase} jobs {dict(outcome.job_statuses)}"
    assert ledger.statuses[201] > 10 and ledger.accepted_jobs, report
    assert outcome.lost_writes == [], f"acknowledged but not stored: {outcome.lost_writes[:5]} {report}"
    assert ledger.statuses[500] == 0, report
    assert set(ledger.statuses) <= {201, 202, 503}, report
    assert ledger.by_phase.get("postgres down", Counter())[503], report  # the outage was seen, and said so
    assert ledger.unavailable_without_retry_after == 0, report
    assert outcome.ready_during_postgres_outage == {503}, outcome.ready_during_postgres_outage
    # Every accepted import ran to its end once: one resume per job.
    assert set(outcome.job_statuses) == {"succeeded"}, report
    assert outcome.imported_resumes == outcome.job_statuses["succeeded"], report
    assert outcome.duplicate_effects == 0, report
    assert outcome.recovery_seconds < 30, outcome.recovery_seconds
