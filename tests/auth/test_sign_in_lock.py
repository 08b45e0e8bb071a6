"""Sign-in verifies the password outside the write transaction, so a slow hash never holds up other writes.

The hashes here are real Argon2 hashes made with a production-like cost (the suite's default is cheap), so the
verification really takes a while.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from sqlalchemy import select, update

from shortlist.auth.passwords import PasswordHasher
from shortlist.context import AppContext
from shortlist.models import User
from tests.conftest import PASSWORD, assert_problem

# Production memory cost and a raised time cost: one verification takes a good fraction of a second.
SLOW_TIME_COST = 12
SLOW_MEMORY_KIB = 65536


async def _account(client: httpx.AsyncClient, context: AppContext) -> tuple[str, uuid.UUID]:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    created = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text
    async with context.database.reader() as session:
        user_id = await session.scalar(select(User.id).where(User.email == email))
    assert user_id is not None
    return email, user_id


async def _set_hash(context: AppContext, user_id: uuid.UUID, password_hash: str) -> None:
    async with context.database.writer() as session:
        await session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))
        await session.commit()


async def _stored_hash(context: AppContext, user_id: uuid.UUID) -> str:
    async with context.database.reader() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == user_id))
    assert stored is not None
    return stored


async def _slow_account(
    client: httpx.AsyncClient, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, uuid.UUID, float]:
    """An account whose stored hash is slow to verify; returns it and the time one verification takes."""
    slow = PasswordHasher(time_cost=SLOW_TIME_COST, memory_cost_kib=SLOW_MEMORY_KIB)
    email, user_id = await _account(client, context)
    slow_hash = await slow.hash(PASSWORD)
    await _set_hash(context, user_id, slow_hash)
    # The service hashes with the same settings, so signing in does not rehash.
    monkeypatch.setattr(context, "passwords", slow)
    started = time.perf_counter()
    assert await slow.verify(PASSWORD, slow_hash)
    return email, user_id, time.perf_counter() - started


@pytest.mark.alone  # times a write against a hash: parallel load stretches one and not the other
async def test_a_write_completes_while_a_sign_in_verifies_its_password(
    client: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, other_id = await _account(client, app_context)
    email, _, verify_seconds = await _slow_account(client, app_context, monkeypatch)

    sign_in = asyncio.create_task(
        client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    )
    # The account lookup takes milliseconds; by now the sign-in is hashing.
    await asyncio.sleep(verify_seconds / 4)
    started = time.perf_counter()
    async with app_context.database.writer() as session:
        await session.execute(update(User).where(User.id == other_id).values(name="written meanwhile"))
        await session.commit()
    write_seconds = time.perf_counter() - started

    assert not sign_in.done(), "the write waited for the sign-in to finish"
    assert write_seconds < verify_seconds / 2, (write_seconds, verify_seconds)
    response = await sign_in
    assert response.status_code == 200, response.text
    assert response.json()["refresh_token"]


@pytest.mark.alone  # times a write against a hash: parallel load stretches one and not the other
async def test_a_browser_sign_in_does_not_hold_writes_either(
    client: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, other_id = await _account(client, app_context)
    email, _, verify_seconds = await _slow_account(client, app_context, monkeypatch)

    sign_in = asyncio.create_task(
        client.post(
            "/v1/auth/browser/sign-in",
            json={"email": email, "password": PASSWORD},
            headers={"Origin": "http://testserver"},
        )
    )
    await asyncio.sleep(verify_seconds / 4)
    started = time.perf_counter()
    async with app_context.database.writer() as session:
        await session.execute(update(User).where(User.id == other_id).values(name="written meanwhile"))
        await session.commit()
    write_seconds = time.perf_counter() - started

    assert not sign_in.done()
    assert write_seconds < verify_seconds / 2, (write_seconds, verify_seconds)
    response = await sign_in
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


async def test_a_password_changed_while_it_is_verified_no_longer_signs_in(
    client: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, user_id, verify_seconds = await _slow_account(client, app_context, monkeypatch)

    sign_in = asyncio.create_task(
        client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    )
    await asyncio.sleep(verify_seconds / 4)
    replaced = await PasswordHasher(time_cost=1, memory_cost_kib=64).hash("another password entirely")
    await _set_hash(app_context, user_id, replaced)

    assert_problem(await sign_in, 401, "invalid-credentials")
    assert await _stored_hash(app_context, user_id) == replaced


async def test_sign_in_rehashes_a_password_made_with_older_cost_settings(
    client: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, user_id = await _account(client, app_context)
    old_hash = await _stored_hash(app_context, user_id)
    monkeypatch.setattr(app_context, "passwords", PasswordHasher(time_cost=2, memory_cost_kib=128))

    wrong = await client.post("/v1/auth/token", data={"username": email, "password": "not the password"})
    assert_problem(wrong, 401, "invalid-credentials")
    assert await _stored_hash(app_context, user_id) == old_hash

    signed_in = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    new_hash = await _stored_hash(app_context, user_id)
    assert new_hash != old_hash
    assert "m=128,t=2" in new_hash
    again = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert again.status_code == 200, again.text
    assert await _stored_hash(app_context, user_id) == new_hash
