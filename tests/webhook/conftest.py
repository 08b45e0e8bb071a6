from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.webhook.policy import egress_policy

from .receiver import Receiver

# Small numbers: the rules are the same, the waits are not what these tests are about.
FAST: dict[str, Any] = {
    "webhook_allow_hosts": ["127.0.0.1"],
    "webhook_retry_schedule": [0.2, 0.4],
    "webhook_timeout_seconds": 0.5,
    "webhook_breaker_threshold": 3,
    "webhook_breaker_cooldown_seconds": 0.6,
    "webhook_delivery_embedded": False,
}


def context_with(base: AppContext, **settings: Any) -> AppContext:
    updated = base.settings.model_copy(update=settings)
    return dataclasses.replace(base, settings=updated, webhook_egress=egress_policy(updated))


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def hook_path() -> str:
    """A fresh path per test, so one module-wide receiver keeps tests apart."""
    return f"/hook/{uuid.uuid4().hex}"


@pytest.fixture
def fast_context(app_context: AppContext) -> AppContext:
    return context_with(app_context, **FAST)


@pytest.fixture
async def fast_client(fast_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(context=fast_context), client=("203.0.113.8", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def auth(fast_client: httpx.AsyncClient) -> dict[str, str]:
    email = f"hooks-{uuid.uuid4().hex[:10]}@example.com"
    password = "correct horse battery staple"
    created = await fast_client.post("/v1/auth/register", json={"email": email, "password": password})
    assert created.status_code == 201, created.text
    token = await fast_client.post("/v1/auth/token", data={"username": email, "password": password})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}
