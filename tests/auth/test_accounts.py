"""Accounts: registration, sign-in, profile, password flows, e-mail flows, deletion."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

import httpx

from shortlist.context import AppContext
from tests.conftest import PASSWORD, Register, assert_problem, login


def latest_token_mailed_to(outbox: Path, address: str) -> str:
    messages = sorted(outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    for path in reversed(messages):
        message = message_from_bytes(path.read_bytes())
        if message["To"] == address:
            body = message.get_payload(decode=True)
            assert isinstance(body, bytes)
            match = re.search(r"\bsla_[A-Za-z0-9]+\b", body.decode())
            assert match, body
            return match.group(0)
    raise AssertionError(f"no mail to {address}")


async def test_register_returns_the_account(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register", json={"email": "Grace@Example.com", "password": PASSWORD, "name": "Grace Hopper"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "grace@example.com"
    assert body["name"] == "Grace Hopper"
    assert body["role"] == "user"
    assert body["email_verified_at"] is None
    assert "password" not in response.text and "argon2" not in response.text


async def test_duplicate_registration_is_409(client: httpx.AsyncClient, register: Register) -> None:
    await register("dup@example.com")
    response = await client.post("/v1/auth/register", json={"email": "DUP@example.com", "password": PASSWORD})
    assert_problem(response, 409, "email-taken")


async def test_weak_passwords_are_refused(client: httpx.AsyncClient) -> None:
    short = await client.post("/v1/auth/register", json={"email": "w@example.com", "password": "short"})
    assert "at least" in assert_problem(short, 422, "weak-password")["detail"]
    same = await client.post(
        "/v1/auth/register", json={"email": "aaaa@example.com", "password": "aaaaaaaaaaaa"}
    )
    assert_problem(same, 422, "weak-password")


async def test_login_errors_do_not_reveal_accounts(client: httpx.AsyncClient, register: Register) -> None:
    await register("known@example.com")
    wrong_password = await client.post(
        "/v1/auth/token", data={"username": "known@example.com", "password": "not the password"}
    )
    unknown_user = await client.post(
        "/v1/auth/token", data={"username": "nobody@example.com", "password": "not the password"}
    )
    first = assert_problem(wrong_password, 401, "invalid-credentials")
    second = assert_problem(unknown_user, 401, "invalid-credentials")
    assert first["detail"] == second["detail"]


async def test_token_response_shape(client: httpx.AsyncClient, register: Register) -> None:
    await register("shape@example.com")
    tokens = await login(client, "shape@example.com")
    assert tokens["token_type"] == "bearer"
    assert 0 < tokens["expires_in"] <= 900
    assert tokens["refresh_token"].startswith("slr_")
    assert "resumes:write" in tokens["scope"].split()


async def test_brute_force_is_limited_per_account(client: httpx.AsyncClient, register: Register) -> None:
    await register("target@example.com")
    statuses = []
    for _ in range(12):
        response = await client.post(
            "/v1/auth/token", data={"username": "target@example.com", "password": "guess guess guess"}
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [401] * 10
    limited = await client.post(
        "/v1/auth/token", data={"username": "target@example.com", "password": PASSWORD}
    )
    body = assert_problem(limited, 429, "rate-limited")
    assert int(limited.headers["retry-after"]) > 0
    assert "sign-in" in body["detail"]


async def test_profile_read_and_update(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register("me@example.com")
    updated = await client.patch("/v1/users/me", json={"name": "Dr. Me 🎓 مرحبا 你好"}, headers=headers)
    assert updated.status_code == 200
    assert (await client.get("/v1/users/me", headers=headers)).json()["name"] == "Dr. Me 🎓 مرحبا 你好"
    assert_problem(await client.patch("/v1/users/me", json={"email": "x@example.com"}, headers=headers), 422)


async def test_password_change_revokes_every_session(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register("pw@example.com")
    tokens = await login(client, "pw@example.com")
    wrong = await client.post(
        "/v1/users/me/password",
        json={"current_password": "wrong wrong wrong", "new_password": "a brand new passphrase"},
        headers=headers,
    )
    assert_problem(wrong, 401)
    changed = await client.post(
        "/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=headers,
    )
    assert changed.status_code == 204
    assert_problem(await client.get("/v1/users/me", headers=headers), 401)
    refreshed = await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401)
    await login(client, "pw@example.com", "a brand new passphrase")


async def test_logout_all(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register("out@example.com")
    tokens = await login(client, "out@example.com")
    assert (await client.post("/v1/auth/logout-all", headers=headers)).status_code == 204
    assert_problem(await client.get("/v1/users/me", headers=headers), 401)
    assert_problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )


async def test_password_reset_flow(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    await register("reset@example.com")
    old = await login(client, "reset@example.com")
    for address in ("reset@example.com", "nobody@example.com"):
        requested = await client.post("/v1/auth/password-reset", json={"email": address})
        assert requested.status_code == 202
        assert requested.json()["detail"].startswith("If an account exists")
    token = latest_token_mailed_to(app_context.settings.data_dir / "outbox", "reset@example.com")
    weak = await client.post("/v1/auth/password-reset/confirm", json={"token": token, "new_password": "x"})
    assert_problem(weak, 422, "weak-password")
    confirmed = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": "reset passphrase 2026"}
    )
    assert confirmed.status_code == 204
    again = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": "another passphrase 2026"}
    )
    assert_problem(again, 422, "invalid-token")
    assert_problem(await client.post("/v1/auth/refresh", json={"refresh_token": old["refresh_token"]}), 401)
    await login(client, "reset@example.com", "reset passphrase 2026")


async def test_email_verification(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register("verify@example.com")
    token = latest_token_mailed_to(app_context.settings.data_dir / "outbox", "verify@example.com")
    altered = token[:-1] + ("x" if token[-1] != "x" else "y")
    assert_problem(await client.post("/v1/auth/verify-email", json={"token": altered}), 422)
    verified = await client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["email_verified_at"] is not None
    me = (await client.get("/v1/users/me", headers=headers)).json()
    assert me["email_verified_at"] is not None


async def test_deleted_account_tokens_stop_working(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register("gone@example.com")
    tokens = await login(client, "gone@example.com")
    created = await client.post("/v1/resumes", json={"title": "t", "content": {}}, headers=headers)
    assert created.status_code == 201
    assert (await client.delete("/v1/users/me", headers=headers)).status_code == 204
    assert (
        "no longer exists" in assert_problem(await client.get("/v1/users/me", headers=headers), 401)["detail"]
    )
    assert_problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )
    relogin = await client.post("/v1/auth/token", data={"username": "gone@example.com", "password": PASSWORD})
    assert_problem(relogin, 401)
