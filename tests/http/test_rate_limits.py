"""Rate limits per user, per API key and per client address, with the standard headers."""

from __future__ import annotations

import httpx
import pytest

from shortlist.context import AppContext
from tests.conftest import Register, assert_problem


async def test_headers_on_every_answer(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    response = await client.get("/v1/resumes", headers=headers)
    assert response.headers["ratelimit-policy"] == '"user";q=100000;w=60'
    assert response.headers["ratelimit"].startswith('"user";r=')


async def test_user_limit(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    monkeypatch.setattr(app_context.settings, "rate_limit_user", "3/minute")
    statuses = [(await client.get("/v1/resumes", headers=headers)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await client.get("/v1/resumes", headers=headers)
    body = assert_problem(limited, 429, "rate-limited")
    assert "3 requests per 60 s" in body["detail"]
    assert 0 < int(limited.headers["retry-after"]) <= 60
    assert limited.headers["ratelimit"].startswith('"user";r=0;')
    # Another user has a budget of their own.
    other = await register()
    assert (await client.get("/v1/resumes", headers=other)).status_code == 200


async def test_api_key_and_anonymous_limits(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    key = (
        await client.post("/v1/api-keys", json={"name": "k", "scopes": ["resumes:read"]}, headers=headers)
    ).json()
    monkeypatch.setattr(app_context.settings, "rate_limit_api_key", "2/minute")
    monkeypatch.setattr(app_context.settings, "rate_limit_anonymous", "2/minute")
    key_statuses = [
        (await client.get("/v1/resumes", headers={"X-API-Key": key["key"]})).status_code for _ in range(3)
    ]
    assert key_statuses == [200, 200, 429]
    anonymous = [
        (await client.post("/v1/auth/refresh", json={"refresh_token": "x"})).status_code for _ in range(3)
    ]
    assert anonymous == [401, 401, 429]


async def test_the_hot_resume_read_counts_against_the_same_limit_and_checks_in_the_same_order(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /v1/resumes/{id} resolves caller, limit and access in one dependency: same budget, same answers."""
    headers = await register()
    created = await client.post("/v1/resumes", json={"title": "Hot", "content": {}}, headers=headers)
    url = f"/v1/resumes/{created.json()['id']}"
    key = (
        await client.post("/v1/api-keys", json={"name": "k", "scopes": ["profile:read"]}, headers=headers)
    ).json()
    read = await client.get(url, headers=headers)
    assert read.status_code == 200 and read.headers["ratelimit"].startswith('"user";r=')
    assert read.headers["ratelimit-policy"] == '"user";q=100000;w=60'
    # Credentials first: a bad token is 401 whatever the budget.
    assert_problem(await client.get(url, headers={"Authorization": "Bearer nope"}), 401)
    monkeypatch.setattr(app_context.settings, "rate_limit_user", "2/minute")
    await app_context.rate_limiter.reset()
    # The hot read and any other route draw on one budget per caller.
    statuses = [
        (await client.get(url, headers=headers)).status_code,
        (await client.get("/v1/resumes", headers=headers)).status_code,
        (await client.get(url, headers=headers)).status_code,
    ]
    assert statuses == [200, 200, 429]
    limited = await client.get(url, headers=headers)
    assert_problem(limited, 429, "rate-limited")
    assert int(limited.headers["retry-after"]) > 0
    # The limit is counted before the access check: a key without the scope is refused, then limited.
    monkeypatch.setattr(app_context.settings, "rate_limit_api_key", "1/minute")
    assert_problem(await client.get(url, headers={"X-API-Key": key["key"]}), 403)
    assert_problem(await client.get(url, headers={"X-API-Key": key["key"]}), 429, "rate-limited")
