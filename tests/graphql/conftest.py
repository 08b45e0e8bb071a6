"""GraphQL tests talk to the full ASGI app over HTTP, with webhook URLs on loopback allowed."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.webhook.policy import egress_policy
from tests.conftest import PASSWORD


@pytest.fixture
async def client(app_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    settings = app_context.settings.model_copy(
        update={"webhook_allow_hosts": ["127.0.0.1"], "webhook_delivery_embedded": False}
    )
    context = dataclasses.replace(app_context, settings=settings, webhook_egress=egress_policy(settings))
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def api_key(client: httpx.AsyncClient, headers: dict[str, str], *scopes: str) -> dict[str, str]:
    """An API key with only `scopes`, as the X-API-Key header."""
    created = await client.post(
        "/v1/api-keys", json={"name": f"k-{uuid.uuid4().hex[:6]}", "scopes": list(scopes)}, headers=headers
    )
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["key"]}


__all__ = ["PASSWORD", "api_key"]
