"""OAuth2 client credentials over real HTTP: registration, the grant, rotation, revocation, RFC 6749 errors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from shortlist.context import AppContext
from shortlist.models import OAuthClient
from tests.auth.credentials import ALL_USER_SCOPES, new_account, session_headers
from tests.conftest import assert_problem


async def _owner(http: httpx.AsyncClient, app_context: AppContext) -> dict[str, str]:
    return session_headers(app_context, await new_account(http, app_context), ALL_USER_SCOPES)


async def _register(http: httpx.AsyncClient, owner: dict[str, str], *scopes: str) -> dict[str, Any]:
    made = await http.post(
        "/v1/oauth-clients", json={"name": "Exporter", "scopes": list(scopes)}, headers=owner
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _token(http: httpx.AsyncClient, client: dict[str, Any], **form: str) -> httpx.Response:
    return await http.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials", **form},
        auth=(client["client_id"], client["client_secret"]),
    )


def _bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_secret_is_shown_once_and_stored_hashed(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    owner = await _owner(http, app_context)
    client = await _register(http, owner, "resumes:read", "jobs:read")
    assert (
        client["client_secret"].startswith("slc_") and client["secret_prefix"] == client["client_secret"][:12]
    )
    assert client["scopes"] == ["jobs:read", "resumes:read"]
    [listed] = (await http.get("/v1/oauth-clients", headers=owner)).json()["items"]
    assert "client_secret" not in listed and listed["client_id"] == client["client_id"]
    async with app_context.database.reader() as session:
        row = await session.get(OAuthClient, uuid.UUID(listed["id"]))
        assert row is not None and row.user_id is not None and row.organization_id is None
        assert client["client_secret"] not in row.secret_hash and len(row.secret_hash) == 64
    escalated = await http.post("/v1/oauth-clients", json={"name": "x", "scopes": ["admin"]}, headers=owner)
    assert "admin" in assert_problem(escalated, 403)["detail"]


async def test_client_credentials_grant_gives_a_short_lived_token_with_the_clients_scopes(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    owner = await _owner(http, app_context)
    client = await _register(http, owner, "resumes:read")
    created = await http.post("/v1/resumes", json={"title": "Mine", "content": {}}, headers=owner)
    assert created.status_code == 201
    issued = await _token(http, client)
    body = issued.json()
    assert body["token_type"] == "bearer" and body["scope"] == "resumes:read"
    assert "refresh_token" not in body
    assert body["expires_in"] == app_context.settings.client_token_ttl_seconds
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == claims["client_id"] == client["client_id"]
    headers = _bearer(issued)
    # It reads its owner's data, within its scopes only.
    listed = await http.get("/v1/resumes", headers=headers)
    assert [item["title"] for item in listed.json()["items"]] == ["Mine"]
    write = await http.post("/v1/resumes", json={"title": "x", "content": {}}, headers=headers)
    assert "resumes:write" in assert_problem(write, 403, "forbidden")["detail"]
    # Account actions and credential minting are not for machines.
    for path, payload in (
        ("/v1/auth/logout-all", None),
        ("/v1/api-keys", {"name": "k", "scopes": ["resumes:read"]}),
    ):
        assert_problem(await http.post(path, json=payload, headers=headers), 403, "credential-not-accepted")
    # Client authentication in the form body works the same way.
    in_body = await http.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )
    assert in_body.status_code == 200, in_body.text


async def test_scope_can_be_narrowed_not_widened(http: httpx.AsyncClient, app_context: AppContext) -> None:
    client = await _register(http, await _owner(http, app_context), "resumes:read", "jobs:read")
    narrowed = await _token(http, client, scope="jobs:read")
    assert narrowed.json()["scope"] == "jobs:read"
    assert_problem(await http.get("/v1/resumes", headers=_bearer(narrowed)), 403)
    widened = await _token(http, client, scope="resumes:write")
    body = assert_problem(widened, 400, "oauth-error")
    assert body["error"] == "invalid_scope" and "resumes:write" in body["detail"]


async def test_bad_client_authentication_is_rfc_6749_invalid_client(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    client = await _register(http, await _owner(http, app_context), "resumes:read")
    wrong = {**client, "client_secret": client["client_secret"][:-8] + "AAAAAAAA"}
    unknown = {**client, "client_id": "00000000-0000-7000-8000-000000000000"}
    for attempt in (wrong, unknown, {**client, "client_id": "not-a-uuid"}):
        response = await _token(http, attempt)
        assert assert_problem(response, 401, "invalid-client")["error"] == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")
    anonymous = await http.post("/v1/auth/token", data={"grant_type": "client_credentials"})
    assert assert_problem(anonymous, 401, "invalid-client")["error"] == "invalid_client"
    # Swagger's empty Basic header is a public client: not enough for this grant.
    public = await http.post(
        "/v1/auth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic Og=="}
    )
    assert_problem(public, 401, "invalid-client")


async def test_rotation_and_revocation_take_effect_at_once(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    owner = await _owner(http, app_context)
    client = await _register(http, owner, "resumes:read")
    old_token = _bearer(await _token(http, client))
    assert (await http.get("/v1/resumes", headers=old_token)).status_code == 200
    rotated = await http.post(f"/v1/oauth-clients/{client['id']}/rotate-secret", headers=owner)
    assert rotated.status_code == 200, rotated.text
    fresh = rotated.json()
    assert fresh["client_secret"] != client["client_secret"] and fresh["client_id"] == client["client_id"]
    assert "rotated" in assert_problem(await http.get("/v1/resumes", headers=old_token), 401)["detail"]
    assert_problem(await _token(http, client), 401, "invalid-client")
    new_token = _bearer(await _token(http, fresh))
    assert (await http.get("/v1/resumes", headers=new_token)).status_code == 200

    revoked = await http.delete(f"/v1/oauth-clients/{client['id']}", headers=owner)
    assert revoked.status_code == 204
    assert "revoked" in assert_problem(await http.get("/v1/resumes", headers=new_token), 401)["detail"]
    assert_problem(await _token(http, fresh), 401, "invalid-client")
    assert (await http.get("/v1/oauth-clients", headers=owner)).json()["items"] == []
    assert_problem(await http.delete(f"/v1/oauth-clients/{client['id']}", headers=owner), 404)


async def test_client_credentials_are_in_the_openapi_security_schemes(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/openapi.json")).json()
    scheme = schema["components"]["securitySchemes"]["OAuth2ClientCredentials"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/v1/auth/token"
    read = schema["paths"]["/v1/resumes"]["get"]["security"]
    assert {"OAuth2ClientCredentials": ["resumes:read"]} in read
    manage = schema["paths"]["/v1/oauth-clients"]["post"]
    assert manage["x-credentials"] == ["session"]
