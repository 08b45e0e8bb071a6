"""Access and refresh tokens: forged, expired and confused tokens, rotation, reuse detection."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from shortlist.context import AppContext
from tests.conftest import Register, assert_problem, login


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _claims(context: AppContext, sub: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": context.settings.jwt_issuer,
        "aud": context.settings.jwt_audience,
        "sub": sub,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "scope": "profile:read",
        "role": "user",
    }
    claims.update(overrides)
    return claims


async def _user_id(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    return str((await client.get("/v1/users/me", headers=headers)).json()["id"])


async def test_jwks_verifies_issued_tokens(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    token = headers["Authorization"].removeprefix("Bearer ")
    jwks = (await client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert "d" not in key  # the private part never leaves
    public = OKPAlgorithm.from_jwk(json.dumps(key))
    claims = jwt.decode(token, public, algorithms=["EdDSA"], audience="shortlist-api", issuer="shortlist")  # type: ignore[arg-type]
    assert claims["exp"] - claims["iat"] <= 900


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "Bearer", _b64(b'{"alg":"EdDSA"}') + ".e30.", "eyJhbGciOiJFZERTQSJ9.e30.AAAA"],
)
async def test_garbage_tokens_are_401(client: httpx.AsyncClient, token: str) -> None:
    assert_problem(await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"}), 401)


async def test_wrong_scheme_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/users/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_problem(response, 401)


async def test_alg_none_is_refused(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    user_id = await _user_id(client, headers)
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(app_context, user_id)).encode())
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {header}.{payload}."})
    assert "algorithm" in assert_problem(response, 401)["detail"]


async def test_hmac_key_confusion_is_refused(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    user_id = await _user_id(client, headers)
    jwk = (await client.get("/.well-known/jwks.json")).json()["keys"][0]
    # Sign with HS256 using the public key as the shared secret: the classic algorithm-confusion attack.
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]}).encode())
    payload = _b64(json.dumps(_claims(app_context, user_id)).encode())
    secret = json.dumps(jwk).encode()
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    forged = f"{header}.{payload}.{_b64(mac)}"
    assert_problem(await client.get("/v1/users/me", headers={"Authorization": f"Bearer {forged}"}), 401)


async def test_foreign_key_and_unknown_kid_are_refused(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    user_id = await _user_id(client, headers)
    kid = jwt.get_unverified_header(headers["Authorization"].removeprefix("Bearer "))["kid"]
    attacker = Ed25519PrivateKey.generate()
    same_kid = jwt.encode(_claims(app_context, user_id), attacker, algorithm="EdDSA", headers={"kid": kid})
    assert_problem(await client.get("/v1/users/me", headers={"Authorization": f"Bearer {same_kid}"}), 401)
    other_kid = jwt.encode(
        _claims(app_context, user_id), attacker, algorithm="EdDSA", headers={"kid": "kid_x"}
    )
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {other_kid}"})
    assert "unknown key" in assert_problem(response, 401)["detail"]


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"aud": "someone-else"}, "invalid"),
        ({"iss": "https://evil.example"}, "invalid"),
        ({"exp": int(time.time()) - 10, "iat": int(time.time()) - 1000}, "expired"),
        ({"nbf": int(time.time()) + 3600}, "invalid"),
    ],
)
async def test_claims_are_checked(
    client: httpx.AsyncClient,
    register: Register,
    app_context: AppContext,
    override: dict[str, Any],
    reason: str,
) -> None:
    headers = await register()
    user_id = await _user_id(client, headers)
    token = app_context.tokens.keyring.sign(_claims(app_context, user_id, **override))
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert reason in assert_problem(response, 401)["detail"]


async def test_token_scopes_are_enforced(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    user_id = await _user_id(client, headers)
    narrow = app_context.tokens.keyring.sign(_claims(app_context, user_id, scope="profile:read"))
    ok = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {narrow}"})
    assert ok.status_code == 200
    denied = await client.get("/v1/resumes", headers={"Authorization": f"Bearer {narrow}"})
    assert "resumes:read" in assert_problem(denied, 403, "forbidden")["detail"]
    # A token cannot grant itself more than the account's role allows.
    inflated = app_context.tokens.keyring.sign(_claims(app_context, user_id, scope="admin profile:read"))
    me = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {inflated}"})
    assert me.status_code == 200


async def test_refresh_rotates(client: httpx.AsyncClient, register: Register) -> None:
    await register("rot@example.com")
    first = await login(client, "rot@example.com")
    second = (await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"]
    third = await client.post("/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    me = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {third.json()['access_token']}"})
    assert me.status_code == 200


async def test_reuse_after_grace_revokes_the_family(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_context.settings, "refresh_reuse_grace_seconds", 0.0)
    await register("reuse@example.com")
    first = await login(client, "reuse@example.com")
    other_login = await login(client, "reuse@example.com")
    second = (await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    await asyncio.sleep(0.01)
    replay = await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert "revoked" in assert_problem(replay, 401, "invalid-grant")["detail"]
    # The legitimate holder of the newest token is logged out too: the family is compromised.
    assert_problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}), 401
    )
    # Another sign-in (another family) is untouched.
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": other_login["refresh_token"]})
    ).status_code == 200


async def test_retry_within_grace_returns_the_same_pair(
    client: httpx.AsyncClient, register: Register
) -> None:
    await register("grace@example.com")
    first = await login(client, "grace@example.com")
    a = (await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    b = (await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert a["refresh_token"] == b["refresh_token"]
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": b["refresh_token"]})
    ).status_code == 200


async def test_replay_two_rotations_back_revokes_the_family_within_grace(
    client: httpx.AsyncClient, register: Register
) -> None:
    # The grace window (5 s by default) is open for the whole test: only the successor's use closes it.
    await register("chain@example.com")
    r1 = await login(client, "chain@example.com")
    r2 = (await client.post("/v1/auth/refresh", json={"refresh_token": r1["refresh_token"]})).json()
    r3 = await client.post("/v1/auth/refresh", json={"refresh_token": r2["refresh_token"]})
    assert r3.status_code == 200
    replay = await client.post("/v1/auth/refresh", json={"refresh_token": r1["refresh_token"]})
    body = assert_problem(replay, 401, "invalid-grant")
    assert "already used" in body["detail"]
    assert "access_token" not in replay.text
    # The whole family is gone, including the newest token.
    assert_problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": r3.json()["refresh_token"]}), 401
    )


async def test_replay_of_the_previous_token_after_its_successor_was_used_revokes(
    client: httpx.AsyncClient, register: Register
) -> None:
    await register("used@example.com")
    r1 = await login(client, "used@example.com")
    r2 = (await client.post("/v1/auth/refresh", json={"refresh_token": r1["refresh_token"]})).json()
    # A retry of r1 while r2 is unused still gets r2 back (a lost response, not an attack).
    again = (await client.post("/v1/auth/refresh", json={"refresh_token": r1["refresh_token"]})).json()
    assert again["refresh_token"] == r2["refresh_token"]
    r3 = (await client.post("/v1/auth/refresh", json={"refresh_token": r2["refresh_token"]})).json()
    # r2 has been used: r1 is no longer a retry but a replay.
    assert_problem(await client.post("/v1/auth/refresh", json={"refresh_token": r1["refresh_token"]}), 401)
    assert_problem(await client.post("/v1/auth/refresh", json={"refresh_token": r3["refresh_token"]}), 401)


async def test_concurrent_refreshes_agree(client: httpx.AsyncClient, register: Register) -> None:
    await register("race@example.com")
    first = await login(client, "race@example.com")
    responses = await asyncio.gather(
        *[client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}) for _ in range(5)]
    )
    assert [r.status_code for r in responses] == [200] * 5
    assert len({r.json()["refresh_token"] for r in responses}) == 1


async def test_malformed_and_unknown_refresh_tokens(client: httpx.AsyncClient) -> None:
    assert (
        "malformed"
        in assert_problem(await client.post("/v1/auth/refresh", json={"refresh_token": "slr_nope"}), 401)[
            "detail"
        ]
    )
    from shortlist.kit.crypto import generate_token

    unknown = generate_token("slr")
    assert_problem(await client.post("/v1/auth/refresh", json={"refresh_token": unknown}), 401)


async def test_revoke_is_rfc7009(client: httpx.AsyncClient, register: Register) -> None:
    await register("rev@example.com")
    tokens = await login(client, "rev@example.com")
    assert (await client.post("/v1/auth/revoke", json={"token": tokens["refresh_token"]})).status_code == 200
    assert (await client.post("/v1/auth/revoke", json={"token": "whatever"})).status_code == 200
    assert_problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )


async def test_key_rotation_keeps_old_tokens_valid(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register("keys@example.com")
    old_kid = jwt.get_unverified_header(headers["Authorization"].removeprefix("Bearer "))["kid"]
    async with app_context.database.writer() as session:
        new_kid = await app_context.tokens.keyring.rotate(session, overlap=timedelta(minutes=16))
    assert new_kid != old_kid
    assert (await client.get("/v1/users/me", headers=headers)).status_code == 200
    fresh = await login(client, "keys@example.com")
    assert jwt.get_unverified_header(fresh["access_token"])["kid"] == new_kid
    kids = {key["kid"] for key in (await client.get("/.well-known/jwks.json")).json()["keys"]}
    assert {old_kid, new_kid} <= kids


async def test_a_changed_secret_is_a_clear_start_up_error(app_context: AppContext) -> None:
    from shortlist.auth.keys import KeyRing, KeyRingError
    from shortlist.kit.crypto import derive_key

    keyring = KeyRing(derive_key(b"another secret entirely", "sealing"))
    async with app_context.database.reader() as session:
        with pytest.raises(KeyRingError, match="SHORTLIST_SECRET_KEY"):
            await keyring.load(session)
