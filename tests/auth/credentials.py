"""Credentials of every kind for one fresh account, made through the API (or the token codec)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import httpx

from shortlist.auth.access import Credential
from shortlist.auth.scopes import OrgScope, Role, scopes_for_role
from shortlist.context import AppContext
from tests.conftest import PASSWORD

ALL_USER_SCOPES = frozenset(str(scope) for scope in scopes_for_role(Role.user))
ALL_ORG_SCOPES = frozenset(str(scope) for scope in OrgScope)
ORGANIZATION_KINDS = (Credential.organization_key, Credential.organization_client)


def all_scopes(kind: Credential) -> frozenset[str]:
    """Every scope a credential of `kind` can hold."""
    return ALL_ORG_SCOPES if kind in ORGANIZATION_KINDS else ALL_USER_SCOPES


async def new_account(http: httpx.AsyncClient, app_context: AppContext) -> uuid.UUID:
    email = f"acc-{uuid.uuid4().hex[:10]}@example.com"
    created = await http.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["id"])


def session_headers(app_context: AppContext, user_id: uuid.UUID, scopes: Iterable[str]) -> dict[str, str]:
    """A signed-in session's access token narrowed to `scopes` (the same codec that sign-in uses)."""
    token = app_context.tokens.issue(user_id, Role.user, frozenset(scopes))
    return {"Authorization": f"Bearer {token}"}


async def credential_headers(
    http: httpx.AsyncClient, app_context: AppContext, kind: Credential, scopes: Iterable[str]
) -> dict[str, str]:
    """Headers of a credential of `kind` holding exactly `scopes`, for a fresh account."""
    wanted = sorted(set(scopes))
    user_id = await new_account(http, app_context)
    owner = session_headers(app_context, user_id, ALL_USER_SCOPES)
    if kind is Credential.session:
        return session_headers(app_context, user_id, wanted)
    if kind is Credential.api_key:
        made = await http.post("/v1/api-keys", json={"name": "probe", "scopes": wanted}, headers=owner)
        assert made.status_code == 201, made.text
        return {"X-API-Key": made.json()["key"]}
    clients = "/v1/oauth-clients"
    if kind in ORGANIZATION_KINDS:
        slug = f"probe-{uuid.uuid4().hex[:10]}"
        org = await http.post("/v1/organizations", json={"name": "Probe", "slug": slug}, headers=owner)
        assert org.status_code == 201, org.text
        if kind is Credential.organization_key:
            made = await http.post(
                f"/v1/organizations/{org.json()['id']}/api-keys",
                json={"name": "probe", "scopes": wanted},
                headers=owner,
            )
            assert made.status_code == 201, made.text
            return {"X-API-Key": made.json()["key"]}
        clients = f"/v1/organizations/{org.json()['id']}/oauth-clients"
    made = await http.post(clients, json={"name": "probe", "scopes": wanted}, headers=owner)
    assert made.status_code == 201, made.text
    return await client_token_headers(http, made.json())


async def client_token_headers(http: httpx.AsyncClient, client: dict[str, Any]) -> dict[str, str]:
    """A client-credentials access token of a registered client (the answer that registered it)."""
    token = await http.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}
