"""The account's own mutations over HTTP: the profile, the password, signing out everywhere, unlinking a
sign-in, deleting the account, personal API keys and OAuth clients. Each checks the REST access-table entry
(a session only where REST wants one), the scope, another account's ids, and bad input."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.models import UserIdentity
from tests.auth.credentials import ALL_USER_SCOPES, session_headers
from tests.conftest import PASSWORD, Register, login
from tests.graphql.conftest import api_key
from tests.graphql.helpers import codes, gql

PROBLEM = (
    "... on Problem { __typename code httpStatus detail } ... on ValidationProblem { errors { location } }"
)
USER = f"__typename ... on User {{ id email name }} {PROBLEM}"


async def _me_id(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])


async def test_update_me_renames_with_profile_write_and_validates(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    renamed = await gql(
        client, f'mutation {{ updateMe(input: {{name: "Ada"}}) {{ {USER} }} }}', headers=alice
    )
    assert renamed["data"]["updateMe"]["name"] == "Ada"
    assert (await client.get("/v1/users/me", headers=alice)).json()["name"] == "Ada"

    too_long = await gql(
        client,
        "mutation($n: String) { updateMe(input: {name: $n}) { " + USER + " } }",
        {"n": "x" * 201},
        alice,
    )
    problem = too_long["data"]["updateMe"]
    assert problem["__typename"] == "ValidationProblem" and problem["httpStatus"] == 422
    assert ["input", "name"] in [e["location"] for e in problem["errors"]]

    reader = await api_key(client, alice, "profile:read")
    refused = await gql(client, f'mutation {{ updateMe(input: {{name: "X"}}) {{ {USER} }} }}', headers=reader)
    assert refused["data"] is None and codes(refused) == ["forbidden"]
    assert (await client.get("/v1/users/me", headers=alice)).json()["name"] == "Ada"


async def test_change_password_needs_a_session_and_the_current_password(
    client: httpx.AsyncClient, register: Register
) -> None:
    email = f"pw-{uuid.uuid4().hex[:8]}@example.com"
    alice = await register(email)
    change = (
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { "
        + USER
        + " } }"
    )

    key = await api_key(client, alice, "profile:write")
    by_key = await gql(client, change, {"c": PASSWORD, "n": "a much better passphrase"}, key)
    assert codes(by_key) == ["credential-not-accepted"]

    wrong = await gql(client, change, {"c": "not it at all", "n": "a much better passphrase"}, alice)
    assert wrong["data"] is None and codes(wrong) == ["invalid-credentials"]
    weak = await gql(client, change, {"c": PASSWORD, "n": email}, alice)
    assert weak["data"]["changePassword"]["code"] == "weak-password"
    empty = await gql(client, change, {"c": PASSWORD, "n": ""}, alice)
    assert empty["data"]["changePassword"]["__typename"] == "ValidationProblem"

    done = await gql(client, change, {"c": PASSWORD, "n": "a much better passphrase"}, alice)
    assert done["data"]["changePassword"]["email"] == email
    # Every sign-in is revoked with the old password; the new one signs in.
    assert (await client.get("/v1/users/me", headers=alice)).status_code == 401
    assert (await login(client, email, "a much better passphrase"))["access_token"]


async def test_logout_all_revokes_every_sign_in(client: httpx.AsyncClient, register: Register) -> None:
    email = f"out-{uuid.uuid4().hex[:8]}@example.com"
    alice = await register(email)
    key = await api_key(client, alice, "resumes:read")
    assert codes(await gql(client, f"mutation {{ logoutAll {{ {USER} }} }}", headers=key)) == [
        "credential-not-accepted"
    ]
    other_device = {"Authorization": f"Bearer {(await login(client, email))['access_token']}"}
    done = await gql(client, f"mutation {{ logoutAll {{ {USER} }} }}", headers=alice)
    assert done["data"]["logoutAll"]["email"] == email
    assert (await client.get("/v1/users/me", headers=alice)).status_code == 401
    assert (await client.get("/v1/users/me", headers=other_device)).status_code == 401


async def test_unlink_identity_only_the_callers_own(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice, bob = await register(), await register()
    alice_id = await _me_id(client, alice)
    async with app_context.database.writer() as session:
        identity = UserIdentity(user_id=alice_id, provider="acme", issuer="https://idp.example", subject="a1")
        session.add(identity)
        await session.commit()
        identity_id = identity.id
    unlink = "mutation($id: UUID!) { unlinkIdentity(identityId: $id) { " + USER + " } }"

    stolen = await gql(client, unlink, {"id": str(identity_id)}, bob)
    assert stolen["data"]["unlinkIdentity"]["__typename"] == "NotFoundProblem"
    assert len((await client.get("/v1/auth/identities", headers=alice)).json()) == 1
    bad = await gql(client, unlink, {"id": "not-a-uuid"}, alice, status=400)
    assert codes(bad) == ["graphql-validation-failed"]

    done = await gql(client, unlink, {"id": str(identity_id)}, alice)
    assert done["data"]["unlinkIdentity"]["__typename"] == "User"
    assert (await client.get("/v1/auth/identities", headers=alice)).json() == []


async def test_delete_account_needs_a_session(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    key = await api_key(client, alice, "profile:write")
    by_key = await gql(client, f"mutation {{ deleteAccount {{ {USER} }} }}", headers=key)
    assert codes(by_key) == ["credential-not-accepted"]
    assert (await client.get("/v1/users/me", headers=alice)).status_code == 200

    gone = await gql(client, f"mutation {{ deleteAccount {{ {USER} }} }}", headers=alice)
    assert gone["data"]["deleteAccount"]["__typename"] == "User"
    assert (await client.get("/v1/users/me", headers=alice)).status_code == 401


CREATE_KEY = """
mutation($input: ApiKeyInput!) { createApiKey(input: $input) {
  __typename ... on ApiKeyWithSecret { key apiKey { apiKeyId name scopes displayPrefix } } PROBLEM
} }
""".replace("PROBLEM", PROBLEM)
REVOKE_KEY = (
    "mutation($id: UUID!) { revokeApiKey(apiKeyId: $id) { __typename ... on ApiKey { revokedAt } "
    + PROBLEM
    + " } }"
)


async def test_api_keys_within_the_callers_scopes_and_only_their_own(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice, bob = await register(), await register()
    made = await gql(client, CREATE_KEY, {"input": {"name": "CI", "scopes": ["resumes:read"]}}, alice)
    created = made["data"]["createApiKey"]
    assert created["__typename"] == "ApiKeyWithSecret", made
    key = {"X-API-Key": created["key"]}
    assert created["key"].startswith(created["apiKey"]["displayPrefix"])
    assert (await client.get("/v1/resumes", headers=key)).status_code == 200

    # Scopes the caller lacks are refused; an unknown scope or an empty name is a validation problem.
    narrow = session_headers(app_context, await _me_id(client, alice), {"api_keys:manage", "resumes:read"})
    wider = await gql(client, CREATE_KEY, {"input": {"name": "x", "scopes": ["resumes:write"]}}, narrow)
    assert wider["data"] is None and codes(wider) == ["forbidden"]
    unknown = await gql(client, CREATE_KEY, {"input": {"name": "x", "scopes": ["root"]}}, alice)
    assert unknown["data"]["createApiKey"]["__typename"] == "ValidationProblem"
    empty = await gql(client, CREATE_KEY, {"input": {"name": "", "scopes": ["resumes:read"]}}, alice)
    assert empty["data"]["createApiKey"]["__typename"] == "ValidationProblem"
    past = await gql(
        client,
        CREATE_KEY,
        {"input": {"name": "x", "scopes": ["resumes:read"], "expiresAt": "2001-01-01T00:00:00+00:00"}},
        alice,
    )
    assert past["data"]["createApiKey"]["code"] == "unprocessable-content"
    without_scope = session_headers(app_context, await _me_id(client, alice), {"resumes:read"})
    refused = await gql(
        client, CREATE_KEY, {"input": {"name": "x", "scopes": ["resumes:read"]}}, without_scope
    )
    assert codes(refused) == ["forbidden"]

    key_id = created["apiKey"]["apiKeyId"]
    stolen = await gql(client, REVOKE_KEY, {"id": key_id}, bob)
    assert stolen["data"]["revokeApiKey"]["__typename"] == "NotFoundProblem"
    assert (await client.get("/v1/resumes", headers=key)).status_code == 200
    revoked = await gql(client, REVOKE_KEY, {"id": key_id}, alice)
    assert revoked["data"]["revokeApiKey"]["revokedAt"]
    assert (await client.get("/v1/resumes", headers=key)).status_code == 401
    again = await gql(client, REVOKE_KEY, {"id": key_id}, alice)
    assert again["data"]["revokeApiKey"]["__typename"] == "NotFoundProblem"


CLIENT = (
    "__typename ... on OAuthClientWithSecret { clientSecret oauthClient { oauthClientId clientId scopes } }"
)


async def _grant(client: httpx.AsyncClient, client_id: str, secret: str) -> httpx.Response:
    return await client.post(
        "/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )


async def test_oauth_clients_need_a_session_and_stay_their_owners(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice, bob = await register(), await register()
    create = (
        "mutation($input: OAuthClientInput!) { createOAuthClient(input: $input) { "
        + CLIENT
        + PROBLEM
        + " } }"
    )
    key = await api_key(client, alice, *sorted(ALL_USER_SCOPES - {"admin"}))
    by_key = await gql(client, create, {"input": {"name": "Sync", "scopes": ["resumes:read"]}}, key)
    assert codes(by_key) == ["credential-not-accepted"]
    bad = await gql(client, create, {"input": {"name": "Sync", "scopes": []}}, alice)
    assert bad["data"]["createOAuthClient"]["__typename"] == "ValidationProblem"

    made: dict[str, Any] = (
        await gql(client, create, {"input": {"name": "Sync", "scopes": ["resumes:read"]}}, alice)
    )["data"]["createOAuthClient"]
    assert made["__typename"] == "OAuthClientWithSecret", made
    oauth = made["oauthClient"]
    assert (await _grant(client, oauth["clientId"], made["clientSecret"])).status_code == 200

    rotate = (
        "mutation($id: UUID!) { rotateOAuthClientSecret(oauthClientId: $id) { " + CLIENT + PROBLEM + " } }"
    )
    revoke = "mutation($id: UUID!) { revokeOAuthClient(oauthClientId: $id) { __typename " + PROBLEM + " } }"
    for document in (rotate, revoke):
        stolen = await gql(client, document, {"id": oauth["oauthClientId"]}, bob)
        [answer] = stolen["data"].values()
        assert answer["__typename"] == "NotFoundProblem", stolen
    assert (await _grant(client, oauth["clientId"], made["clientSecret"])).status_code == 200

    rotated = (await gql(client, rotate, {"id": oauth["oauthClientId"]}, alice))["data"][
        "rotateOAuthClientSecret"
    ]
    assert rotated["clientSecret"] != made["clientSecret"]
    assert (await _grant(client, oauth["clientId"], made["clientSecret"])).status_code == 401
    assert (await _grant(client, oauth["clientId"], rotated["clientSecret"])).status_code == 200

    revoked = await gql(client, revoke, {"id": oauth["oauthClientId"]}, alice)
    assert revoked["data"]["revokeOAuthClient"]["__typename"] == "OAuthClient"
    assert (await _grant(client, oauth["clientId"], rotated["clientSecret"])).status_code == 401
