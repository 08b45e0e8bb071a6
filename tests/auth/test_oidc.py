"""Sign in with OpenID Connect, end to end: our server and a real provider, both on loopback ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwk, jwt

from shortlist.auth.oidc import provider as oidc
from shortlist.auth.oidc.exceptions import OidcSignInFailed
from shortlist.config import OidcProvider
from shortlist.context import AppContext
from shortlist.platform.cache import CacheUnavailable
from tests.auth.credentials import ALL_USER_SCOPES, session_headers
from tests.auth.oidc_provider import PkceGate, running_provider
from tests.conftest import PASSWORD, assert_problem


@pytest.fixture(scope="session")
def provider_server() -> Iterator[tuple[str, PkceGate]]:
    with running_provider() as running:
        yield running


@pytest.fixture
def issuer(
    provider_server: tuple[str, PkceGate], app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> str:
    issuer, _ = provider_server
    configured = OidcProvider(
        name="acme",
        issuer=issuer,
        client_id="shortlist",
        client_secret="provider-secret",
        display_name="Acme",
    )
    monkeypatch.setattr(app_context.settings, "oidc_providers", [configured])
    return issuer


async def _at_provider(issuer: str, sub: str, **claims: Any) -> None:
    async with httpx.AsyncClient() as provider:
        assert (await provider.put(f"{issuer}/users/{sub}", json=claims)).status_code == 204


async def _consent(authorization_url: str, sub: str) -> dict[str, str]:
    """The person signs in at the provider; returns the query the provider sends the browser back with."""
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(authorization_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    return {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}


async def _sign_in(http: httpx.AsyncClient, issuer: str, sub: str) -> httpx.Response:
    start = await http.get("/v1/auth/oidc/acme/authorize")
    assert start.status_code == 302, start.text
    location = start.headers["location"]
    assert location.startswith(issuer + "/oauth2/authorize?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = await _consent(location, sub)
    return await http.get("/v1/auth/oidc/acme/callback", params=back)


def _bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_first_sign_in_creates_a_verified_account_and_the_next_finds_it(
    http: httpx.AsyncClient, issuer: str, provider_server: tuple[str, PkceGate]
) -> None:
    listed = (await http.get("/v1/auth/oidc/providers")).json()
    assert listed == [
        {"name": "acme", "display_name": "Acme", "authorize_url": "/v1/auth/oidc/acme/authorize"}
    ]
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    await _at_provider(issuer, "person-1" + email, email=email, email_verified=True)
    checked = provider_server[1].checked
    first = _bearer(await _sign_in(http, issuer, "person-1" + email))
    assert provider_server[1].checked == checked + 1  # the provider checked our PKCE verifier
    me = (await http.get("/v1/users/me", headers=first)).json()
    assert me["email"] == email and me["email_verified_at"] is not None
    again = _bearer(await _sign_in(http, issuer, "person-1" + email))
    assert (await http.get("/v1/users/me", headers=again)).json()["id"] == me["id"]
    [identity] = (await http.get("/v1/auth/identities", headers=again)).json()
    assert identity["provider"] == "acme" and identity["email"] == email
    # The account has no password: nothing signs in with one.
    no_password = await http.post("/v1/auth/token", data={"username": email, "password": "!none"})
    assert_problem(no_password, 401, "invalid-credentials")
    # Its only sign-in method cannot be unlinked.
    refused = await http.delete(f"/v1/auth/identities/{identity['id']}", headers=again)
    assert_problem(refused, 409, "last-sign-in-method")


async def test_existing_account_is_linked_only_on_a_verified_address(
    http: httpx.AsyncClient, issuer: str, app_context: AppContext
) -> None:
    email = f"known-{uuid.uuid4().hex[:8]}@example.com"
    created = await http.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201
    await _at_provider(issuer, "unverified-" + email, email=email, email_verified=False)
    refused = await _sign_in(http, issuer, "unverified-" + email)
    assert "password" in assert_problem(refused, 409, "oidc-link-refused")["detail"]
    await _at_provider(issuer, "verified-" + email, email=email, email_verified=True)
    linked = _bearer(await _sign_in(http, issuer, "verified-" + email))
    assert (await http.get("/v1/users/me", headers=linked)).json()["id"] == created.json()["id"]
    # With a password to fall back on, the provider can be unlinked; then it no longer signs in as this account.
    [identity] = (await http.get("/v1/auth/identities", headers=linked)).json()
    assert (await http.delete(f"/v1/auth/identities/{identity['id']}", headers=linked)).status_code == 204
    assert (await http.get("/v1/auth/identities", headers=linked)).json() == []


async def test_a_signed_in_person_links_a_provider_under_another_address(
    http: httpx.AsyncClient, issuer: str, app_context: AppContext
) -> None:
    email = f"linker-{uuid.uuid4().hex[:8]}@example.com"
    created = await http.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    user_id = uuid.UUID(created.json()["id"])
    session = session_headers(app_context, user_id, ALL_USER_SCOPES)
    started = await http.post("/v1/auth/oidc/acme/link", headers=session)
    assert started.status_code == 200, started.text
    sub = "work-" + email
    await _at_provider(issuer, sub, email="someone.else@work.example", email_verified=False)
    back = await _consent(started.json()["authorization_url"], sub)
    done = _bearer(await http.get("/v1/auth/oidc/acme/callback", params=back))
    assert (await http.get("/v1/users/me", headers=done)).json()["id"] == str(user_id)
    # From now on the provider signs in to this account.
    later = _bearer(await _sign_in(http, issuer, sub))
    assert (await http.get("/v1/users/me", headers=later)).json()["id"] == str(user_id)


async def test_answers_from_another_browser_or_replayed_are_refused(
    http: httpx.AsyncClient, issuer: str
) -> None:
    email = f"csrf-{uuid.uuid4().hex[:8]}@example.com"
    await _at_provider(issuer, email, email=email, email_verified=True)
    start = await http.get("/v1/auth/oidc/acme/authorize")
    back = await _consent(start.headers["location"], email)
    async with httpx.AsyncClient(base_url=str(http.base_url)) as other_browser:
        stolen = await other_browser.get("/v1/auth/oidc/acme/callback", params=back)
    assert "browser" in assert_problem(stolen, 400, "oidc-sign-in-failed")["detail"]
    assert (await http.get("/v1/auth/oidc/acme/callback", params=back)).status_code == 200
    http.cookies.set("shortlist_oidc_state", back["state"], path="/v1/auth/oidc")
    replayed = await http.get("/v1/auth/oidc/acme/callback", params=back)
    assert "already used" in assert_problem(replayed, 400, "oidc-sign-in-failed")["detail"]
    denied = await http.get(
        "/v1/auth/oidc/acme/callback", params={"error": "access_denied", "state": back["state"]}
    )
    assert "access_denied" in assert_problem(denied, 400, "oidc-sign-in-failed")["detail"]
    assert_problem(await http.get("/v1/auth/oidc/nosuch/authorize"), 404)


async def test_id_tokens_not_signed_by_the_provider_or_for_someone_else_are_refused(issuer: str) -> None:
    configured = OidcProvider(name="acme", issuer=issuer, client_id="shortlist", client_secret="s")
    metadata = await oidc.discover(configured)
    async with httpx.AsyncClient() as client:
        published = (await client.get(metadata.jwks_uri)).json()["keys"][0]
    forger = jwk.RSAKey.generate_key(2048, parameters={"kid": published["kid"]})
    claims = {"iss": issuer, "aud": "shortlist", "sub": "x", "iat": 1, "exp": 4102444800, "nonce": "n"}
    forged = jwt.encode({"alg": "RS256", "kid": published["kid"]}, claims, forger)
    with pytest.raises(OidcSignInFailed):
        await oidc.verify_id_token(configured, metadata, forged, "n")
    hmac_key = jwk.OctKey.import_key("provider-secret-used-as-an-hmac-key")
    confused = jwt.encode({"alg": "HS256"}, claims, hmac_key, algorithms=["HS256"])
    with pytest.raises(OidcSignInFailed):
        await oidc.verify_id_token(configured, metadata, confused, "n")


async def test_without_the_shared_cache_sign_in_answers_503_not_500(
    http: httpx.AsyncClient, issuer: str, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(*_args: Any, **_kwargs: Any) -> None:
        raise CacheUnavailable("redis: connection refused")

    monkeypatch.setattr(app_context.cache, "set", unreachable)
    response = await http.get("/v1/auth/oidc/acme/authorize")
    assert_problem(response, 503, "service-unavailable")
    assert response.headers["retry-after"] == "5"
