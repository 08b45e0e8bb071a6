"""Browser sessions: refresh token in an HttpOnly cookie on the refresh path, Origin-checked, rotated."""

from __future__ import annotations

import uuid
from http.cookies import SimpleCookie

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.web.session import REFRESH_COOKIE, SESSION_PATH
from tests.conftest import PASSWORD, assert_problem

ORIGIN = {"Origin": "http://testserver"}


async def _account(client: httpx.AsyncClient) -> str:
    email = f"browser-{uuid.uuid4().hex[:10]}@example.com"
    created = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text
    return email


def _cookie(response: httpx.Response) -> tuple[str, SimpleCookie]:
    jar = SimpleCookie()
    jar.load(response.headers["set-cookie"])
    return jar[REFRESH_COOKIE].value, jar


async def _sign_in(client: httpx.AsyncClient, email: str) -> tuple[httpx.Response, str]:
    response = await client.post(
        f"{SESSION_PATH}/sign-in", json={"email": email, "password": PASSWORD}, headers=ORIGIN
    )
    assert response.status_code == 200, response.text
    return response, _cookie(response)[0]


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    # The cookie is Secure: httpx would not send it over http, so it goes in by hand, as a browser would.
    return await client.post(
        f"{SESSION_PATH}/refresh", headers={**ORIGIN, "Cookie": f"{REFRESH_COOKIE}={token}"}
    )


async def test_sign_in_sets_a_locked_down_cookie_and_keeps_the_refresh_token_out_of_the_body(
    client: httpx.AsyncClient,
) -> None:
    response, token = await _sign_in(client, await _account(client))
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert token.startswith("slr_") and token not in response.text
    morsel = _cookie(response)[1][REFRESH_COOKIE]
    assert morsel["path"] == SESSION_PATH
    assert morsel["httponly"] and morsel["secure"]
    assert morsel["samesite"] == "strict"
    assert int(morsel["max-age"]) > 0
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


async def test_refresh_rotates_and_a_replayed_cookie_revokes_the_sign_in(
    client: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first = await _sign_in(client, await _account(client))
    rotated = await _refresh(client, first)
    assert rotated.status_code == 200, rotated.text
    second = _cookie(rotated)[0]
    assert second != first
    # Within the grace window a retried refresh (two tabs at once) gets the same successor back.
    retried = await _refresh(client, first)
    assert retried.status_code == 200 and _cookie(retried)[0] == second
    # After it, replaying the spent token revokes the whole sign-in, the successor included.
    monkeypatch.setattr(app_context.settings, "refresh_reuse_grace_seconds", 0.0)
    assert_problem(await _refresh(client, first), 401, "invalid-grant")
    assert_problem(await _refresh(client, second), 401, "invalid-grant")


async def test_wrong_password_and_missing_cookie_are_problems(client: httpx.AsyncClient) -> None:
    email = await _account(client)
    wrong = await client.post(
        f"{SESSION_PATH}/sign-in", json={"email": email, "password": "not the password"}, headers=ORIGIN
    )
    assert_problem(wrong, 401, "invalid-credentials")
    assert "set-cookie" not in wrong.headers
    assert_problem(await client.post(f"{SESSION_PATH}/refresh", headers=ORIGIN), 401)


async def test_requests_from_another_origin_or_without_one_are_refused(client: httpx.AsyncClient) -> None:
    _, token = await _sign_in(client, await _account(client))
    cookie = {"Cookie": f"{REFRESH_COOKIE}={token}"}
    for headers in ({"Origin": "https://evil.example"}, {}, {"Origin": "null"}):
        refused = await client.post(f"{SESSION_PATH}/refresh", headers={**cookie, **headers})
        assert_problem(refused, 403, "cross-origin-refused")
    # The refused attempts did not spend the token.
    assert (await _refresh(client, token)).status_code == 200


async def test_sign_out_revokes_the_session_and_clears_the_cookie(client: httpx.AsyncClient) -> None:
    _, token = await _sign_in(client, await _account(client))
    out = await client.post(
        f"{SESSION_PATH}/sign-out", headers={**ORIGIN, "Cookie": f"{REFRESH_COOKIE}={token}"}
    )
    assert out.status_code == 204
    assert f"{REFRESH_COOKIE}=" in out.headers["set-cookie"]
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert_problem(await _refresh(client, token), 401)
