"""Delivery to a real receiver on 127.0.0.1: signatures, retries, Retry-After, 410, breaker, rotation."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError
from sqlalchemy import update

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models import WebhookDelivery
from shortlist.webhook.delivery import attempt_delivery, parse_retry_after, retry_delay
from shortlist.webhook.policy import egress_policy
from shortlist.webhook.runner import DeliveryRunner
from shortlist.webhook.service import enqueue_deliveries
from shortlist.webhook.signing import InvalidSignatureError, verify

from .conftest import context_with
from .helpers import create_hook, delivery, make_due, run_until_settled, set_endpoint
from .receiver import Receiver, Reply


async def owner_of(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])


def succeeded_attempts() -> float:
    return REGISTRY.get_sample_value("shortlist_webhook_attempts_total", {"result": "succeeded"}) or 0.0


async def test_ping_is_signed_delivered_and_logged(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    succeeded_before = succeeded_attempts()
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    ping = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    outcomes = await run_until_settled(DeliveryRunner(fast_context))
    assert [o.result for o in outcomes] == ["succeeded"]

    [seen] = receiver.at(hook_path)
    verify(seen.headers, seen.body, hook["secret"])
    assert seen.headers["webhook-id"] == ping["message_id"]
    assert seen.headers["content-type"] == "application/json"
    assert abs(int(seen.headers["webhook-timestamp"]) - time.time()) < 10
    payload = json.loads(seen.body)
    assert payload["type"] == "webhook.ping" and payload["data"] == {"endpoint_id": hook["id"]}
    assert payload["timestamp"].endswith("Z")

    logged = await delivery(fast_client, auth, hook["id"], ping["id"])
    assert logged["status"] == "succeeded" and logged["attempts"] == 1
    assert logged["last_status_code"] == 200 and logged["last_latency_ms"] >= 0
    assert logged["next_attempt_at"] is None and logged["completed_at"] is not None
    assert logged["payload"] == payload
    assert [a["status_code"] for a in logged["attempt_log"]] == [200]
    listed = (await fast_client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth)).json()
    assert [d["id"] for d in listed["items"]] == [ping["id"]]
    succeeded = await fast_client.get(
        f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "failed"}, headers=auth
    )
    assert succeeded.json()["items"] == []
    health = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert health["last_success_at"] is not None and health["consecutive_failures"] == 0

    # Against this test's own starting point: the registry is shared by the whole process.
    assert succeeded_attempts() == succeeded_before + 1

    # Idempotent: another call for a finished delivery sends nothing.
    again = await attempt_delivery(fast_context, uuid.UUID(ping["id"]))
    assert again.result == "skipped" and len(receiver.at(hook_path)) == 1


async def test_events_fan_out_to_subscribed_active_endpoints_once(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    everything = await create_hook(fast_client, auth, receiver.url(hook_path + "/all"))
    created_only = await create_hook(
        fast_client, auth, receiver.url(hook_path + "/created"), event_types=["resume.created"]
    )
    await create_hook(fast_client, auth, receiver.url(hook_path + "/jobs"), event_types=["job.failed"])
    await create_hook(fast_client, auth, receiver.url(hook_path + "/off"), active=False)
    owner = await owner_of(fast_client, auth)
    resume_id = str(uuid.uuid4())
    occurred = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    async with fast_context.database.writer() as session:
        ids = await enqueue_deliveries(
            session, "resume.created", "evt_1", occurred, owner, {"resume_id": resume_id}
        )
        # The dispatcher may deliver an event twice: the same deliveries come back, no new rows.
        assert (
            await enqueue_deliveries(
                session, "resume.created", "evt_1", occurred, owner, {"resume_id": resume_id}
            )
            == ids
        )
        await session.commit()
    assert len(ids) == 2
    async with fast_context.database.writer() as session:
        with pytest.raises(ValueError, match="scalar"):
            await enqueue_deliveries(
                session, "resume.updated", "evt_2", occurred, owner, {"content": {"basics": {}}}
            )
        with pytest.raises(ValueError, match="unknown event type"):
            await enqueue_deliveries(session, "resume.eaten", "evt_3", occurred, owner, {})
        # Another owner's endpoints never receive this owner's events.
        assert await enqueue_deliveries(session, "resume.created", "evt_4", occurred, uuid.uuid4(), {}) == []

    await run_until_settled(DeliveryRunner(fast_context))
    got_all = receiver.at(hook_path + "/all")
    got_created = receiver.at(hook_path + "/created")
    assert len(got_all) == len(got_created) == 1
    assert receiver.at(hook_path + "/jobs") == receiver.at(hook_path + "/off") == []
    verify(got_all[0].headers, got_all[0].body, everything["secret"])
    verify(got_created[0].headers, got_created[0].body, created_only["secret"])
    with pytest.raises(InvalidSignatureError):
        verify(got_all[0].headers, got_all[0].body, created_only["secret"])
    assert json.loads(got_all[0].body) == {
        "type": "resume.created",
        "timestamp": "2026-11-25T12:00:00Z",
        "data": {"resume_id": resume_id},
    }
    # One webhook-id per (event, endpoint): receivers dedupe retries, endpoints never share ids.
    assert got_all[0].headers["webhook-id"] != got_created[0].headers["webhook-id"]


async def test_retries_with_backoff_after_500_and_timeout_then_success(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    receiver.reply(hook_path, Reply(500), Reply(200, delay=1.5), Reply(200))
    ping = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    runner = DeliveryRunner(fast_context)

    first = await runner.run_once()
    assert [o.result for o in first] == ["retrying"] and first[0].status_code == 500
    logged = await delivery(fast_client, auth, hook["id"], ping["id"])
    wait = datetime.fromisoformat(logged["next_attempt_at"]) - datetime.fromisoformat(
        logged["last_attempt_at"]
    )
    assert timedelta(seconds=0.18) <= wait <= timedelta(seconds=0.22)  # 0.2 s ± 10 % jitter

    outcomes = await run_until_settled(runner)
    assert [o.result for o in outcomes] == ["retrying", "succeeded"]
    assert outcomes[0].error is not None and outcomes[0].error.startswith("timeout")
    logged = await delivery(fast_client, auth, hook["id"], ping["id"])
    assert logged["status"] == "succeeded" and logged["attempts"] == 3
    assert [a["status_code"] for a in logged["attempt_log"]] == [500, None, 200]
    seen = receiver.at(hook_path)
    assert len(seen) == 3 and len({s.headers["webhook-id"] for s in seen}) == 1
    gaps = [b.at - a.at for a, b in itertools.pairwise(seen)]
    assert gaps[0] >= 0.17 and gaps[1] >= 0.35  # the schedule: 0.2 s, then 0.4 s (after the timeout)


async def test_failed_after_last_attempt(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    receiver.reply(hook_path, Reply(500), Reply(502), Reply(503), Reply(200))
    ping = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    outcomes = await run_until_settled(DeliveryRunner(fast_context))
    assert [o.result for o in outcomes] == ["retrying", "retrying", "failed"]
    logged = await delivery(fast_client, auth, hook["id"], ping["id"])
    assert logged["status"] == "failed" and logged["attempts"] == 3 and logged["next_attempt_at"] is None
    assert logged["last_error"] == "HTTP 503"

    # Manual redelivery: a new round, the same webhook-id.
    again = await fast_client.post(
        f"/v1/webhooks/{hook['id']}/deliveries/{ping['id']}/redeliver", headers=auth
    )
    assert again.status_code == 202 and again.json()["status"] == "pending"
    # Three failures opened the breaker: the redelivery waits out the cool-down, then goes as the probe.
    outcomes = await run_until_settled(DeliveryRunner(fast_context))
    assert [o.result for o in outcomes] == ["deferred", "succeeded"]
    seen = receiver.at(hook_path)
    assert len(seen) == 4 and seen[-1].headers["webhook-id"] == seen[0].headers["webhook-id"]
    verify(seen[-1].headers, seen[-1].body, hook["secret"])
    assert (await delivery(fast_client, auth, hook["id"], ping["id"]))["attempts"] == 4


async def test_retry_after_is_honoured(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    receiver.reply(hook_path, Reply(429, {"Retry-After": "30"}))
    ping = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    [outcome] = await DeliveryRunner(fast_context).run_once()
    assert outcome.result == "retrying" and outcome.next_attempt_at is not None
    assert outcome.next_attempt_at - utcnow() > timedelta(seconds=28)  # not the 0.2 s of the schedule
    assert await DeliveryRunner(fast_context).run_once() == []
    logged = await delivery(fast_client, auth, hook["id"], ping["id"])
    assert logged["last_status_code"] == 429 and logged["status"] == "pending"


def test_retry_after_and_schedule_rules(fast_context: AppContext) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == timedelta(seconds=120)
    assert parse_retry_after("Wed, 25 Nov 2026 12:05:00 GMT", now) == timedelta(minutes=5)
    assert parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", now) == timedelta(0)
    assert parse_retry_after("99999999", now) == timedelta(hours=24)
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None
    default = fast_context.settings.model_copy(
        update={"webhook_retry_schedule": [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0]}
    )
    delays = [retry_delay(default, n) for n in range(1, 9)]
    assert delays[-1] is None
    for delay, base in zip(delays, default.webhook_retry_schedule, strict=False):
        assert delay is not None and base * 0.9 <= delay.total_seconds() <= base * 1.1


async def test_410_gone_disables_the_endpoint(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    receiver.reply(hook_path, Reply(410))
    first = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    second = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    outcomes = await run_until_settled(DeliveryRunner(fast_context, concurrency=1))
    assert sorted(o.result for o in outcomes) == ["failed", "failed"]
    assert len(receiver.at(hook_path)) == 1  # the second one was never sent
    endpoint = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert endpoint["active"] is False and "410" in endpoint["disabled_reason"]
    errors = {(await delivery(fast_client, auth, hook["id"], d["id"]))["last_error"] for d in (first, second)}
    assert errors == {"HTTP 410", "endpoint disabled"}
    # Turning it back on clears the verdict.
    back = await fast_client.patch(f"/v1/webhooks/{hook['id']}", json={"active": True}, headers=auth)
    assert back.json()["active"] is True and back.json()["disabled_reason"] is None


async def test_endpoint_failing_for_days_is_disabled(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    await set_endpoint(fast_context, hook["id"], failing_since=utcnow() - timedelta(days=5, minutes=1))
    receiver.reply(hook_path, Reply(500))
    await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)
    [outcome] = await DeliveryRunner(fast_context).run_once()
    assert outcome.result == "failed"
    endpoint = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert endpoint["active"] is False and "5 days" in endpoint["disabled_reason"]


async def test_circuit_opens_then_half_opens_with_one_probe(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    # Threshold 3 failures; a long cool-down, so a slow machine never reaches half-open by itself (the test
    # moves circuit_open_until into the past when it wants the cool-down to be over).
    context = context_with(fast_context, webhook_breaker_cooldown_seconds=60)
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    receiver.reply(hook_path, Reply(500), Reply(500), Reply(500), Reply(500))
    pings = [
        (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json() for _ in range(3)
    ]
    runner = DeliveryRunner(context, concurrency=1)
    assert [o.result for o in await runner.run_once()] == ["retrying"] * 3
    endpoint = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert endpoint["consecutive_failures"] == 3 and endpoint["circuit_open_until"] is not None

    # Open: due deliveries wait for the cool-down; nothing is sent and no attempt is used up.
    for ping in pings:
        await make_due(context, ping["id"])
    assert {o.result for o in await runner.run_once()} == {"deferred"}
    assert len(receiver.at(hook_path)) == 3
    for ping in pings:
        assert (await delivery(fast_client, auth, hook["id"], ping["id"]))["attempts"] == 1

    # Half-open after the cool-down: exactly one probe goes out; it fails, so the circuit opens again.
    await set_endpoint(context, hook["id"], circuit_open_until=utcnow() - timedelta(seconds=1))
    for ping in pings:
        await make_due(context, ping["id"])
    results = sorted(o.result for o in await runner.run_once())
    assert results == ["deferred", "deferred", "retrying"]
    assert len(receiver.at(hook_path)) == 4
    reopened = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert reopened["consecutive_failures"] == 4
    assert datetime.fromisoformat(reopened["circuit_open_until"]) > utcnow()

    # The next probe succeeds: the circuit closes and the rest go out.
    await set_endpoint(context, hook["id"], circuit_open_until=utcnow() - timedelta(seconds=1))
    for ping in pings:
        await make_due(context, ping["id"])
    first = await DeliveryRunner(context, concurrency=1, batch_size=1).run_once()
    assert [o.result for o in first] == ["succeeded"]
    closed = (await fast_client.get(f"/v1/webhooks/{hook['id']}", headers=auth)).json()
    assert closed["circuit_open_until"] is None and closed["consecutive_failures"] == 0
    for ping in pings:
        await make_due(context, ping["id"])
    await run_until_settled(runner)
    statuses = {(await delivery(fast_client, auth, hook["id"], p["id"]))["status"] for p in pings}
    assert statuses == {"succeeded"}


async def test_rotation_signs_with_both_secrets_during_the_overlap(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    old = hook["secret"]
    rotated = await fast_client.post(f"/v1/webhooks/{hook['id']}/rotate-secret", headers=auth)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new != old and rotated.json()["previous_secret_expires_at"] is not None
    await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)
    await run_until_settled(DeliveryRunner(fast_context))
    [seen] = receiver.at(hook_path)
    assert len(seen.headers["webhook-signature"].split()) == 2
    verify(seen.headers, seen.body, old)  # receivers not yet switched over
    verify(seen.headers, seen.body, new)  # receivers already switched over

    # Rotating with no overlap drops the old secrets at once.
    newest = (
        await fast_client.post(
            f"/v1/webhooks/{hook['id']}/rotate-secret", params={"overlap_seconds": 0}, headers=auth
        )
    ).json()
    assert newest["previous_secret_expires_at"] is None
    await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)
    await run_until_settled(DeliveryRunner(fast_context))
    last = receiver.at(hook_path)[-1]
    assert len(last.headers["webhook-signature"].split()) == 1
    verify(last.headers, last.body, newest["secret"])
    for stale in (old, new):
        with pytest.raises(InvalidSignatureError):
            verify(last.headers, last.body, stale)


async def test_finished_deliveries_are_purged_after_the_retention_period(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    old = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    recent = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    runner = DeliveryRunner(fast_context)
    await run_until_settled(runner)
    waiting = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    async with fast_context.database.writer() as session:
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_([uuid.UUID(old["id"]), uuid.UUID(waiting["id"])]))
            .values(completed_at=utcnow() - timedelta(days=31))
        )
        await session.commit()
    assert await runner.purge() == 1
    listed = (await fast_client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth)).json()
    # The pending one stays whatever its dates say; only finished deliveries are purged.
    assert {d["id"] for d in listed["items"]} == {recent["id"], waiting["id"]}


def test_schedule_and_allow_list_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHORTLIST_WEBHOOK_RETRY_SCHEDULE", "5, 300,1800")
    monkeypatch.setenv("SHORTLIST_WEBHOOK_ALLOW_HOSTS", "127.0.0.1, localhost")
    settings = Settings()
    assert settings.webhook_retry_schedule == [5.0, 300.0, 1800.0]
    assert settings.webhook_allow_hosts == ["127.0.0.1", "localhost"]
    assert egress_policy(settings).allow_hosts == frozenset({"127.0.0.1", "localhost"})
    monkeypatch.setenv("SHORTLIST_WEBHOOK_RETRY_SCHEDULE", "5,-1")
    with pytest.raises(ValidationError):
        Settings()
