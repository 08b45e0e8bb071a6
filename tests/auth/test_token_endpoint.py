"""The token endpoint as OAuth2 clients call it (RFC 6749), over real HTTP."""

from __future__ import annotations

import base64

import httpx

from shortlist.context import AppContext
from tests.auth.credentials import new_account
from tests.conftest import PASSWORD, assert_problem


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def _email(http: httpx.AsyncClient, app_context: AppContext) -> str:
    user_id = await new_account(http, app_context)
    async with app_context.database.reader() as session:
        from shortlist.models import User

        user = await session.get(User, user_id)
        assert user is not None
        return user.email


async def test_password_grant_with_swaggers_default_basic_header(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    email = await _email(http, app_context)
    form = {"grant_type": "password", "username": email, "password": PASSWORD, "scope": ""}
    # Swagger UI's default: an empty client id and secret in HTTP Basic.
    response = await http.post("/v1/auth/token", data=form, headers={"Authorization": "Basic Og=="})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert (await http.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})).json()[
        "email"
    ] == email
    # A named public client (no secret) in the header or in the body is accepted the same way.
    named = await http.post("/v1/auth/token", data=form, headers=_basic("swagger-ui", ""))
    assert named.status_code == 200, named.text
    in_body = await http.post("/v1/auth/token", data={**form, "client_id": "", "client_secret": ""})
    assert in_body.status_code == 200, in_body.text


async def test_token_endpoint_errors_follow_rfc_6749(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    email = await _email(http, app_context)
    form = {"grant_type": "password", "username": email, "password": PASSWORD}
    wrong_secret = await http.post("/v1/auth/token", data=form, headers=_basic("someone", "secret"))
    body = assert_problem(wrong_secret, 401, "invalid-client")
    assert body["error"] == "invalid_client"
    assert wrong_secret.headers["www-authenticate"].startswith("Basic")
    unknown = await http.post("/v1/auth/token", data={**form, "grant_type": "implicit"})
    assert assert_problem(unknown, 400, "oauth-error")["error"] == "unsupported_grant_type"
    incomplete = await http.post("/v1/auth/token", data={"grant_type": "password", "username": email})
    assert assert_problem(incomplete, 400, "oauth-error")["error"] == "invalid_request"
    garbled = await http.post("/v1/auth/token", data=form, headers={"Authorization": "Basic %%%"})
    assert assert_problem(garbled, 401, "invalid-client")["error"] == "invalid_client"
    both = await http.post("/v1/auth/token", data={**form, "client_secret": "x"}, headers=_basic("a", ""))
    assert assert_problem(both, 400, "oauth-error")["error"] == "invalid_request"
    wrong_password = await http.post("/v1/auth/token", data={**form, "password": "not it at all"})
    assert (
        assert_problem(wrong_password, 401, "invalid-credentials")["detail"]
        == "Incorrect e-mail or password."
    )


async def test_basic_on_an_api_route_says_what_to_do(http: httpx.AsyncClient) -> None:
    response = await http.get("/v1/users/me", headers={"Authorization": "Basic Og=="})
    detail = assert_problem(response, 401)["detail"]
    assert "/v1/auth/token" in detail and "Bearer" in detail
    other = await http.get("/v1/users/me", headers={"Authorization": "Token abc"})
    assert "X-API-Key" in assert_problem(other, 401)["detail"]
