"""API keys: shown once, prefixed with a checksum, hashed, scoped, revocable, expiring."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from shortlist.auth import repository as auth_repository
from shortlist.context import AppContext
from shortlist.kit.crypto import token_has_valid_shape
from shortlist.main import create_app
from shortlist.models import ApiKey
from shortlist.platform.cache import RedisCache
from tests.conftest import Register, assert_problem


async def _create(client: httpx.AsyncClient, headers: dict[str, str], **body: object) -> httpx.Response:
    payload = {"name": "integration", "scopes": ["resumes:read"], **body}
    return await client.post("/v1/api-keys", json=payload, headers=headers)


async def test_key_is_shown_once_and_stored_hashed(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    created = await _create(client, headers)
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith("slk_") and token_has_valid_shape(key, "slk")
    listed = (await client.get("/v1/api-keys", headers=headers)).json()["items"]
    assert len(listed) == 1 and "key" not in listed[0]
    assert listed[0]["display_prefix"] == key[:12]
    async with app_context.database.reader() as session:
        row = (await session.scalars(select(ApiKey))).one()
    assert key not in (row.key_hash, row.display_prefix) and len(row.key_hash) == 64


async def test_key_authenticates_within_its_scopes(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    await client.post("/v1/resumes", json={"title": "r", "content": {}}, headers=headers)
    key = (await _create(client, headers)).json()["key"]
    for key_headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        listed = await client.get("/v1/resumes", headers=key_headers)
        assert listed.status_code == 200 and len(listed.json()["items"]) == 1
        denied = await client.post("/v1/resumes", json={"title": "r", "content": {}}, headers=key_headers)
        assert "resumes:write" in assert_problem(denied, 403)["detail"]
    # Credential changes need a signed-in session, not a key.
    write_key = (await _create(client, headers, scopes=["profile:write"])).json()["key"]
    refused = await client.delete("/v1/users/me", headers={"X-API-Key": write_key})
    assert_problem(refused, 403)


async def test_last_used_is_recorded(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    key = (await _create(client, headers)).json()["key"]
    assert (await client.get("/v1/api-keys", headers=headers)).json()["items"][0]["last_used_at"] is None
    await client.get("/v1/resumes", headers={"X-API-Key": key})
    assert (await client.get("/v1/api-keys", headers=headers)).json()["items"][0]["last_used_at"] is not None


async def test_scopes_cannot_be_escalated(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    response = await _create(client, headers, scopes=["admin"])
    assert "admin" in assert_problem(response, 403)["detail"]
    invalid = await _create(client, headers, scopes=["root:everything"])
    assert_problem(invalid, 422, "validation-error")


async def test_revoked_expired_and_forged_keys(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = (await _create(client, headers)).json()
    revoke = await client.delete(f"/v1/api-keys/{created['id']}", headers=headers)
    assert revoke.status_code == 204
    assert_problem(await client.get("/v1/resumes", headers={"X-API-Key": created["key"]}), 401)
    assert_problem(await client.delete(f"/v1/api-keys/{created['id']}", headers=headers), 404)

    soon = datetime.now(UTC) + timedelta(seconds=1)
    expiring = (await _create(client, headers, expires_at=soon.isoformat())).json()
    await asyncio.sleep(1.1)
    assert (
        "expired"
        in assert_problem(await client.get("/v1/resumes", headers={"X-API-Key": expiring["key"]}), 401)[
            "detail"
        ]
    )

    tampered = created["key"][:-1] + ("A" if created["key"][-1] != "A" else "B")
    assert (
        "malformed"
        in assert_problem(await client.get("/v1/resumes", headers={"X-API-Key": tampered}), 401)["detail"]
    )
    past = await _create(client, headers, expires_at="2001-01-01T00:00:00Z")
    assert_problem(past, 422)
    naive = await _create(client, headers, expires_at="2099-01-01T00:00:00")
    assert_problem(naive, 422)


async def test_a_used_keys_state_comes_from_the_cache(
    client: httpx.AsyncClient, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    key = {"X-API-Key": (await _create(client, headers)).json()["key"]}
    lookups = 0
    lookup = auth_repository.api_key_by_hash

    async def counted(*args: Any) -> Any:
        nonlocal lookups
        lookups += 1
        return await lookup(*args)

    monkeypatch.setattr(auth_repository, "api_key_by_hash", counted)
    for _ in range(4):
        assert (await client.get("/v1/resumes", headers=key)).status_code == 200
    # The first request loads the key and records its first use, which drops the entry so the next request
    # reads the new time; after that the key's state is the cache's until its next minute of use.
    assert lookups == 2
    assert (await client.get("/v1/api-keys", headers=headers)).json()["items"][0]["last_used_at"] is not None


async def test_revoking_a_used_key_applies_at_once(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = (await _create(client, headers)).json()
    key = {"X-API-Key": created["key"]}
    for _ in range(3):
        assert (await client.get("/v1/resumes", headers=key)).status_code == 200
    assert (await client.delete(f"/v1/api-keys/{created['id']}", headers=headers)).status_code == 204
    assert "not valid" in assert_problem(await client.get("/v1/resumes", headers=key), 401)["detail"]


async def test_deleting_the_account_refuses_its_used_keys_at_once(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    key = {"X-API-Key": (await _create(client, headers)).json()["key"]}
    for _ in range(3):
        assert (await client.get("/v1/resumes", headers=key)).status_code == 200
    assert (await client.delete("/v1/users/me", headers=headers)).status_code == 204
    assert_problem(await client.get("/v1/resumes", headers=key), 401)


async def test_while_the_cache_is_down_keys_still_work_and_revoking_one_is_refused_whole(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    """Authentication falls back to the database; a revocation, which must drop the key's cached state, answers
    503 and changes nothing, so no replica can go on trusting a key the database says is revoked."""
    headers = await register()
    created = (await _create(client, headers)).json()
    key = {"X-API-Key": created["key"]}
    assert (await client.get("/v1/resumes", headers=key)).status_code == 200
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dead = RedisCache.from_url(f"redis://127.0.0.1:{closed_port}/0", name="redis-down")
    app = create_app(context=dataclasses.replace(app_context, cache=dead))
    try:
        transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as degraded:
            assert (await degraded.get("/v1/resumes", headers=key)).status_code == 200
            refused = await degraded.delete(f"/v1/api-keys/{created['id']}", headers=headers)
            assert "cache" in assert_problem(refused, 503, "service-unavailable")["detail"]
            assert refused.headers["retry-after"]
            assert (await degraded.get("/v1/resumes", headers=key)).status_code == 200
    finally:
        await dead.close()
    # Nothing was revoked: the key is listed and works where the cache is up.
    assert [k["id"] for k in (await client.get("/v1/api-keys", headers=headers)).json()["items"]] == [
        created["id"]
    ]
    assert (await client.get("/v1/resumes", headers=key)).status_code == 200
