"""Talking to a provider: discovery, its key set, the code exchange and ID-token verification.

Authlib supplies the protocol pieces (the authorization URI, PKCE's S256 challenge, random values) and its
JOSE library, joserfc, verifies the ID token. Discovery documents and key sets are cached per process; an
ID token signed with a key we have not seen makes us fetch the key set again (at most once a minute).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from shortlist.auth.oidc.exceptions import OidcSignInFailed
from shortlist.config import OidcProvider

_CACHE_SECONDS = 3600.0
_KEY_REFETCH_SECONDS = 60.0
_TIMEOUT = httpx.Timeout(10.0)
# Asymmetric algorithms only: an ID token "signed" with the client secret (HS256) or `none` is refused.
_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


_metadata: dict[str, tuple[float, Metadata]] = {}
_keys: dict[str, tuple[float, KeySet]] = {}


async def _get_json(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcSignInFailed(f"The sign-in provider could not be reached ({type(exc).__name__}).") from exc
    if not isinstance(body, dict):
        raise OidcSignInFailed("The sign-in provider answered with something other than a JSON object.")
    return body


async def discover(provider: OidcProvider) -> Metadata:
    cached = _metadata.get(provider.issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    issuer = provider.issuer.rstrip("/")
    document = await _get_json(issuer + "/.well-known/openid-configuration")
    # OpenID Connect Discovery §4.3: the document must name exactly the issuer we asked.
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise OidcSignInFailed("The provider's discovery document names another issuer.")
    try:
        offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        metadata = Metadata(
            issuer=str(document["issuer"]),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            algorithms=tuple(alg for alg in offered if alg in _ALGORITHMS),
        )
    except KeyError as exc:
        raise OidcSignInFailed(f"The provider's discovery document lacks {exc.args[0]}.") from exc
    _metadata[provider.issuer] = (time.monotonic() + _CACHE_SECONDS, metadata)
    return metadata


async def _key_set(metadata: Metadata, *, fresh: bool = False) -> KeySet:
    """The provider's keys; `fresh` fetches them again unless that was done in the last minute."""
    cached = _keys.get(metadata.jwks_uri)
    now = time.monotonic()
    if cached is not None:
        age = now - cached[0]
        if age < _CACHE_SECONDS and not (fresh and age >= _KEY_REFETCH_SECONDS):
            return cached[1]
    try:
        keys = KeySet.import_key_set(await _get_json(metadata.jwks_uri))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcSignInFailed("The provider's key set could not be read.") from exc
    _keys[metadata.jwks_uri] = (now, keys)
    return keys


def authorization_url(
    provider: OidcProvider, metadata: Metadata, redirect_uri: str, state: str, nonce: str, verifier: str
) -> str:
    uri: str = prepare_grant_uri(
        metadata.authorization_endpoint,
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=provider.scopes,
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),  # type: ignore[no-untyped-call]
        code_challenge_method="S256",
    )
    return uri


async def exchange_code(
    provider: OidcProvider, metadata: Metadata, code: str, redirect_uri: str, verifier: str
) -> dict[str, Any]:
    """The token request (RFC 6749 §4.1.3 with PKCE's verifier), client authentication by HTTP Basic."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    auth = (provider.client_id, provider.client_secret.get_secret_value())
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            response = await client.post(
                metadata.token_endpoint, data=form, auth=auth, headers={"Accept": "application/json"}
            )
    except httpx.HTTPError as exc:
        raise OidcSignInFailed(f"The sign-in provider could not be reached ({type(exc).__name__}).") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "id_token" not in body:
        reason = body.get("error", response.status_code) if isinstance(body, dict) else response.status_code
        raise OidcSignInFailed(f"The provider refused the sign-in code ({reason}).")
    return body


async def verify_id_token(
    provider: OidcProvider, metadata: Metadata, id_token: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims, once its signature (the provider's published keys), issuer, audience, expiry
    and nonce have all been checked (OpenID Connect Core §3.1.3.7)."""
    algorithms = list(metadata.algorithms) or ["RS256"]
    try:
        try:
            token = jwt.decode(id_token, await _key_set(metadata), algorithms=algorithms)
        except JoseError:
            # Perhaps a key the provider added since we fetched its set.
            token = jwt.decode(id_token, await _key_set(metadata, fresh=True), algorithms=algorithms)
        registry = jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": metadata.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise OidcSignInFailed(f"The ID token did not verify: {exc}") from exc
    claims = dict(token.claims)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise OidcSignInFailed("The ID token was issued to another party (azp).")
    return claims
