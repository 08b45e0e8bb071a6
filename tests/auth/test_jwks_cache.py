"""The published JWKS comes through the shared cache and follows rotations made by any instance."""

from __future__ import annotations

import dataclasses
import socket
import uuid
from datetime import timedelta

import httpx
import jwt
from prometheus_client import REGISTRY

from shortlist.auth.keys import JWKS_CACHE_KEY, KeyRing
from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.platform.cache import RedisCache


def _kids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return {key["kid"] for key in response.json()["keys"]}


async def test_jwks_is_cached_and_follows_a_rotation_elsewhere(
    client: httpx.AsyncClient, app_context: AppContext
) -> None:
    await app_context.cache.delete(JWKS_CACHE_KEY)
    labels = {"cache": app_context.cache.name, "namespace": "jwks"}
    hits = REGISTRY.get_sample_value("shortlist_cache_hits_total", labels) or 0.0
    before = _kids(await client.get("/.well-known/jwks.json"))
    assert _kids(await client.get("/.well-known/jwks.json")) == before
    assert REGISTRY.get_sample_value("shortlist_cache_hits_total", labels) == hits + 1

    # Another instance (its own key ring) rotates, as `shortlist rotate-signing-key` does, and drops the key.
    other = KeyRing(app_context.keys.sealing)
    async with app_context.database.writer() as session:
        await other.load(session)
        new_kid = await other.rotate(session, overlap=timedelta(minutes=16))
    assert new_kid not in before
    assert _kids(await client.get("/.well-known/jwks.json")) == before  # still cached
    await app_context.cache.delete(JWKS_CACHE_KEY)
    after = _kids(await client.get("/.well-known/jwks.json"))
    assert new_kid in after and before <= after
    # The reload also made this process sign with the new key.
    token = app_context.tokens.issue(uuid.uuid4(), "user", frozenset())
    assert jwt.get_unverified_header(token)["kid"] == new_kid


async def test_jwks_served_from_process_keys_when_the_cache_is_down(app_context: AppContext) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = RedisCache.from_url(f"redis://127.0.0.1:{port}/0", name="redis-down")
    try:
        app = create_app(context=dataclasses.replace(app_context, cache=dead))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
            response = await api.get("/.well-known/jwks.json")
        assert _kids(response) == {key["kid"] for key in app_context.tokens.keyring.jwks()["keys"]}
    finally:
        await dead.close()
