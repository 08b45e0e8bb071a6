"""SSRF at delivery time, claims that never double-send, lapsed claims, and the loop in the app lifespan."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Sequence
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.main import create_app
from shortlist.models import WebhookDelivery
from shortlist.platform import safehttp
from shortlist.platform.db import create_database
from shortlist.webhook import delivery as delivery_module
from shortlist.webhook import repository
from shortlist.webhook.delivery import attempt_delivery
from shortlist.webhook.runner import DeliveryRunner
from shortlist.webhook.signing import verify

from .conftest import context_with
from .helpers import create_hook, delivery, run_until_settled
from .receiver import Receiver


class SwitchingDns:
    """A name that resolves to a public address when checked, and to a private one later (rebinding)."""

    def __init__(self, first: str) -> None:
        self.address = first

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        return [self.address]


async def test_dns_change_to_a_private_address_is_blocked_at_delivery(
    app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dns = SwitchingDns("93.184.215.14")
    base = context_with(app_context, webhook_retry_schedule=[0.1], webhook_delivery_embedded=False)
    context = dataclasses.replace(base, webhook_egress=dataclasses.replace(base.webhook_egress, resolver=dns))

    async def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a blocked delivery reached the connection stage")

    monkeypatch.setattr(safehttp, "_exchange", refuse)
    transport = httpx.ASGITransport(app=create_app(context=context))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        email = f"dns-{uuid.uuid4().hex[:8]}@example.com"
        password = "correct horse battery staple"
        await client.post("/v1/auth/register", json={"email": email, "password": password})
        token = (await client.post("/v1/auth/token", data={"username": email, "password": password})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        hook = await create_hook(client, headers, "https://hooks.example.com/in")
        ping = (await client.post(f"/v1/webhooks/{hook['id']}/ping", headers=headers)).json()

        dns.address = "169.254.169.254"
        [outcome] = await DeliveryRunner(context).run_once()
        assert outcome.result == "retrying"
        logged = await delivery(client, headers, hook["id"], ping["id"])
        assert logged["last_error"].startswith("blocked: hooks.example.com resolves to 169.254.169.254")
        assert logged["last_status_code"] is None

        # Changing the URL to a refused one fails at once, with the reason.
        moved = await client.patch(
            f"/v1/webhooks/{hook['id']}", json={"url": "https://192.168.1.1/x"}, headers=headers
        )
        assert moved.status_code == 422 and "private network" in moved.json()["detail"]


@pytest.mark.alone  # counts what two loops deliver within a deadline: parallel load would stretch it
async def test_two_loops_on_two_connections_never_send_an_attempt_twice(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    # The claim rule is under test, not timeouts: a busy machine must not turn a slow send into a retry.
    patient = context_with(fast_context, webhook_timeout_seconds=10.0)
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    count = 30
    for _ in range(count):
        assert (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).status_code == 202
    # A second engine and pool: as separate from the first as another process would be.
    other_db = create_database(fast_context.settings.resolved_database_url)
    try:
        other = dataclasses.replace(patient, database=other_db)
        loops = [DeliveryRunner(patient, concurrency=8), DeliveryRunner(other, concurrency=8)]
        outcomes = []
        for _ in range(3):
            for batch in await asyncio.gather(*(loop.run_once() for loop in loops)):
                outcomes += batch
        outcomes += await run_until_settled(loops[0])
    finally:
        await other_db.dispose()
    seen = receiver.at(hook_path)
    ids = [s.headers["webhook-id"] for s in seen]
    assert len(ids) == count and len(set(ids)) == count
    for item in seen:
        verify(item.headers, item.body, hook["secret"])
    # Every delivery succeeded exactly once across both loops; the losers of each claim skipped.
    assert sum(o.result == "succeeded" for o in outcomes) == count
    listed = await fast_client.get(
        f"/v1/webhooks/{hook['id']}/deliveries", params={"limit": 100}, headers=auth
    )
    assert {d["attempts"] for d in listed.json()["items"]} == {1}


async def test_claim_is_exclusive_and_a_lapsed_claim_is_taken_over(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook = await create_hook(fast_client, auth, receiver.url(hook_path))
    ping = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    delivery_id = uuid.UUID(ping["id"])
    now = utcnow()
    async with fast_context.database.writer() as session:
        assert await repository.claim(session, delivery_id, "a" * 32, now, now + timedelta(minutes=1))
        assert not await repository.claim(session, delivery_id, "b" * 32, now, now + timedelta(minutes=1))
        await session.commit()
    # Claimed by someone else and still leased: this caller does nothing.
    assert (await attempt_delivery(fast_context, delivery_id)).result == "skipped"
    assert receiver.at(hook_path) == []

    # The holder died: once its lease lapses, the delivery is due again and is sent.
    async with fast_context.database.writer() as session:
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(claimed_until=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    assert [o.result for o in await run_until_settled(DeliveryRunner(fast_context))] == ["succeeded"]
    assert len(receiver.at(hook_path)) == 1

    # A sender whose claim was taken over while it was sending does not overwrite the new owner's result.
    second = (await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth)).json()
    original_send = delivery_module._send

    async def slow_send(*args: object, **kwargs: object) -> object:
        result = await original_send(*args, **kwargs)  # type: ignore[arg-type]
        async with fast_context.database.writer() as session:
            await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == uuid.UUID(second["id"]))
                .values(claim_token="someone-else")
            )
            await session.commit()
        return result

    monkeypatch.setattr(delivery_module, "_send", slow_send)
    outcome = await attempt_delivery(fast_context, uuid.UUID(second["id"]))
    assert outcome.result == "skipped"
    assert (await delivery(fast_client, auth, hook["id"], second["id"]))["attempts"] == 0


async def test_the_app_lifespan_runs_the_delivery_loop(
    app_context: AppContext, receiver: Receiver, hook_path: str
) -> None:
    context = context_with(
        app_context,
        webhook_allow_hosts=["127.0.0.1"],
        webhook_delivery_embedded=True,
        webhook_poll_interval_seconds=0.05,
    )
    app = create_app(context=context)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        email = f"loop-{uuid.uuid4().hex[:8]}@example.com"
        password = "correct horse battery staple"
        await client.post("/v1/auth/register", json={"email": email, "password": password})
        token = (await client.post("/v1/auth/token", data={"username": email, "password": password})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        hook = await create_hook(client, headers, receiver.url(hook_path))
        ping = (await client.post(f"/v1/webhooks/{hook['id']}/ping", headers=headers)).json()
        for _ in range(100):
            if (await delivery(client, headers, hook["id"], ping["id"]))["status"] == "succeeded":
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the embedded loop did not deliver the ping")
    assert len(receiver.at(hook_path)) == 1
