"""Sign-in and linking rules. Takes the session as an argument and never commits (the request does).

A sign-in is two requests. `begin` keeps the flow's secrets (state, nonce, PKCE verifier, and the account
being linked, if any) in the shared cache under a hash of `state`, for ten minutes; the browser also gets
`state` in a cookie. `complete` accepts the provider's answer only from that browser (cookie equals
`state`, against login CSRF) and only once (the cache entry is deleted before anything else happens).
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from authlib.common.security import generate_token
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import repository as accounts
from shortlist.auth.oidc import provider as oidc
from shortlist.auth.oidc import repository
from shortlist.auth.oidc.exceptions import AccountExistsUnverified, LastSignInMethod, OidcSignInFailed
from shortlist.auth.passwords import NO_PASSWORD, has_password
from shortlist.auth.scopes import Role
from shortlist.config import OidcProvider
from shortlist.context import AppContext
from shortlist.kit.crypto import keyed_hash
from shortlist.kit.db import utcnow
from shortlist.kit.problems import Conflict, NotFound, ServiceUnavailable
from shortlist.models import User, UserIdentity
from shortlist.platform.cache import CacheError

STATE_TTL_SECONDS = 600
STATE_COOKIE = "shortlist_oidc_state"


def find_provider(context: AppContext, name: str) -> OidcProvider:
    for candidate in context.settings.oidc_providers:
        if candidate.name == name:
            return candidate
    raise NotFound(f"No sign-in provider named {name!r}.")


def redirect_uri(context: AppContext, name: str) -> str:
    return f"{context.settings.public_url.rstrip('/')}/v1/auth/oidc/{name}/callback"


def _state_key(context: AppContext, state: str) -> str:
    return "oidc_state:" + keyed_hash(context.keys.action_tokens, state)


async def begin(context: AppContext, name: str, link_user_id: uuid.UUID | None = None) -> tuple[str, str]:
    """(the provider's authorization URL, state)."""
    provider = find_provider(context, name)
    metadata = await oidc.discover(provider)
    state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
    flow = {"provider": name, "nonce": nonce, "verifier": verifier, "link": str(link_user_id or "")}
    try:
        await context.cache.set(_state_key(context, state), orjson.dumps(flow), STATE_TTL_SECONDS)
    except CacheError as exc:
        raise _unavailable() from exc
    url = oidc.authorization_url(provider, metadata, redirect_uri(context, name), state, nonce, verifier)
    return url, state


def _unavailable() -> ServiceUnavailable:
    # Sign-in state lives in the shared cache: without it no flow can be started or finished safely.
    return ServiceUnavailable(
        "Signing in with a provider is unavailable for a moment; try again.", headers={"Retry-After": "5"}
    )


@dataclass(frozen=True)
class Completed:
    user: User
    identity: UserIdentity


async def complete(
    context: AppContext, session: AsyncSession, name: str, code: str, state: str, cookie: str | None
) -> Completed:
    provider = find_provider(context, name)
    if not cookie or not hmac.compare_digest(cookie, state):
        raise OidcSignInFailed("This sign-in was not started in this browser (state does not match).")
    key = _state_key(context, state)
    try:
        stored = await context.cache.get(key)
        # Deleting first makes the flow single-use even when the same answer arrives twice at once.
        used = stored is None or await context.cache.delete(key) != 1
    except CacheError as exc:
        raise _unavailable() from exc
    if stored is None or used:
        raise OidcSignInFailed("The sign-in expired or was already used; start again.")
    flow = orjson.loads(stored)
    if flow["provider"] != name:
        raise OidcSignInFailed("The sign-in was started with another provider.")
    metadata = await oidc.discover(provider)
    tokens = await oidc.exchange_code(provider, metadata, code, redirect_uri(context, name), flow["verifier"])
    claims = await oidc.verify_id_token(provider, metadata, str(tokens["id_token"]), flow["nonce"])
    link_to = uuid.UUID(flow["link"]) if flow["link"] else None
    return await _account_for(session, provider.name, metadata.issuer, claims, link_to)


async def _account_for(
    session: AsyncSession, name: str, issuer: str, claims: dict[str, Any], link_to: uuid.UUID | None
) -> Completed:
    subject = str(claims["sub"])
    email = claims.get("email") if isinstance(claims.get("email"), str) else None
    verified = claims.get("email_verified") is True
    now = utcnow()
    identity = await repository.by_subject(session, name, subject)
    if identity is not None:
        if link_to is not None and identity.user_id != link_to:
            raise Conflict("This sign-in is already linked to another account.")
        user = await accounts.user_by_id(session, identity.user_id)
        assert user is not None  # the identity's foreign key cascades on delete
        identity.last_used_at, identity.email = now, email or identity.email
        return Completed(user, identity)
    if link_to is not None:
        # The signed-in person proved both sides: their session, and the provider's sign-in.
        user = await accounts.user_by_id(session, link_to)
        if user is None:
            raise OidcSignInFailed("The account to link no longer exists.")
    else:
        user = await _user_by_email_or_new(session, email, verified)
    identity = UserIdentity(
        user_id=user.id, provider=name, issuer=issuer, subject=subject, email=email, last_used_at=now
    )
    session.add(identity)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same sign-in completed twice at once
        raise Conflict("This sign-in was just linked; try again.") from exc
    return Completed(user, identity)


async def _user_by_email_or_new(session: AsyncSession, email: str | None, verified: bool) -> User:
    if not email:
        raise OidcSignInFailed("The provider did not share an e-mail address; allow it and try again.")
    existing = await accounts.user_by_email(session, email)
    if existing is not None:
        # Linking by address only when the provider vouches for it: otherwise anyone who can register
        # someone else's address at a lax provider would take over that person's account here.
        if not verified:
            raise AccountExistsUnverified(
                "An account with this e-mail address exists, and the provider has not verified the address. "
                "Sign in with your password and link the provider from your account instead."
            )
        existing.email_verified_at = existing.email_verified_at or utcnow()
        return existing
    user = User(
        email=email.lower(),
        password_hash=NO_PASSWORD,
        role=Role.user,
        email_verified_at=utcnow() if verified else None,
    )
    session.add(user)
    await session.flush()
    return user


async def unlink(session: AsyncSession, user: User, identity_id: uuid.UUID) -> None:
    identity = await repository.owned_one(session, user.id, identity_id)
    if identity is None:
        raise NotFound("No such linked sign-in.")
    if not has_password(user) and await repository.count_owned(session, user.id) <= 1:
        raise LastSignInMethod(
            "This is the account's only way to sign in. Set a password (password reset) or link another "
            "provider first."
        )
    await session.delete(identity)
