from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import update

from shortlist.context import AppContext
from shortlist.models import WebhookDelivery, WebhookEndpoint
from shortlist.webhook.delivery import DeliveryOutcome
from shortlist.webhook.runner import DeliveryRunner


async def create_hook(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, **fields: Any
) -> dict[str, Any]:
    response = await client.post("/v1/webhooks", json={"url": url, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def delivery(
    client: httpx.AsyncClient, headers: dict[str, str], hook_id: str, delivery_id: str
) -> dict[str, Any]:
    response = await client.get(f"/v1/webhooks/{hook_id}/deliveries/{delivery_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def run_until_settled(runner: DeliveryRunner, *, within: float = 10.0) -> list[DeliveryOutcome]:
    """Poll like the loop does until nothing is pending any more (or the timeout passes)."""
    outcomes: list[DeliveryOutcome] = []
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        outcomes += [o for o in await runner.run_once() if o.result != "skipped"]
        if not await pending(runner.context):
            return outcomes
        await asyncio.sleep(0.05)
    raise AssertionError(f"deliveries still pending after {within}s: {outcomes}")


async def pending(context: AppContext) -> bool:
    from sqlalchemy import func, select

    async with context.database.reader() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.status.in_(("pending", "delivering")))
        )
    return bool(count)


async def make_due(context: AppContext, delivery_id: uuid.UUID | str) -> None:
    async with context.database.writer() as session:
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == uuid.UUID(str(delivery_id)))
            .values(next_attempt_at=WebhookDelivery.created_at)
        )
        await session.commit()


async def set_endpoint(context: AppContext, endpoint_id: str, **values: Any) -> None:
    async with context.database.writer() as session:
        await session.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id == uuid.UUID(endpoint_id)).values(**values)
        )
        await session.commit()
