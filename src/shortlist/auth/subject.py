"""Who is calling: resolved once per request from a bearer JWT or an API key, shared by every interface."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from fastapi import Request

from shortlist.auth import repository
from shortlist.auth.access import Credential
from shortlist.auth.clients import repository as client_repository
from shortlist.auth.clients.service import client_state_key
from shortlist.auth.keys import UnknownKeyId
from shortlist.auth.scopes import scopes_for_role
from shortlist.auth.tokens import AccessClaims, InvalidAccessToken
from shortlist.context import AppContext, request_state
from shortlist.kit.crypto import keyed_hash, token_has_valid_shape
from shortlist.kit.db import utcnow
from shortlist.kit.problems import Unauthorized
from shortlist.platform.cache import CacheError
from shortlist.platform.stale import CACHE_FALLBACKS, drop_stale, mark_stale

API_KEY_PREFIX = "slk"
# An organisation's API key: told apart from a person's by its prefix alone.
ORGANIZATION_KEY_PREFIX = "slo"
# last_used_at is a hint for humans; writing it on every call would turn each read into a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Subject:
    user_id: uuid.UUID
    role: str
    scopes: frozenset[str]
    api_key_id: uuid.UUID | None = None
    # The OAuth client whose client-credentials token this is; user_id is then the client's owner.
    client_id: uuid.UUID | None = None
    # An organisation's key or client: the organisation it acts in and its organisation scopes. user_id is
    # then the member who issued it, and `scopes` is empty, so no personal route or field accepts it.
    organization_id: uuid.UUID | None = None
    organization_scopes: frozenset[str] = frozenset()

    @property
    def credential(self) -> Credential:
        if self.api_key_id is not None:
            if self.organization_id is not None:
                return Credential.organization_key
            return Credential.api_key
        if self.client_id is not None:
            if self.organization_id is not None:
                return Credential.organization_client
            return Credential.client
        return Credential.session

    @property
    def credential_id(self) -> uuid.UUID | None:
        """The key or client that acts, if not a person's session."""
        return self.api_key_id or self.client_id

    @property
    def principal(self) -> str:
        """A stable name for per-caller state such as rate limits and idempotency keys."""
        if self.api_key_id is not None:
            return f"api_key:{self.api_key_id}"
        if self.client_id is not None:
            return f"client:{self.client_id}"
        return f"user:{self.user_id}"


_MISSING = object()

# The cache key a hot route reads right after authentication, given the request and the token's user: fetched
# in the same round trip as the account state (see `prefetched`). None when the route has nothing to read.
AlongKey = Callable[[Request, uuid.UUID], str | None]


def _credentials(request: Request) -> str | None:
    api_key = request.headers.get("x-api-key")
    if api_key:
        return api_key.strip()
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "basic":
        # HTTP Basic authenticates an OAuth client at the token endpoint (Swagger UI sends it with the
        # password grant); it never names a user. Routes that need a subject explain this themselves.
        return None
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized(
            "Send an access token as 'Authorization: Bearer <token>' or an API key as 'X-API-Key: <key>'.",
            error="invalid_request",
        )
    return credentials.strip()


def _along_key(request: Request | None, along: AlongKey | None, user_id: uuid.UUID) -> str | None:
    """The cache entry to read with `user_id`'s account state, if the route named one."""
    return along(request, user_id) if along is not None and request is not None else None


def prefetched(request: Request, key: str | None = None) -> bytes | None:
    """The value of `key` if `resolve_subject` fetched it along with the account state, else None.

    Without `key`: the entry the route's `along` function named, whatever its key (the route's caller
    dependency computed it from this very request, so the route need not again).
    """
    found: dict[str, bytes] | None = request_state(request).get("prefetched", None)
    if not found:
        return None
    return found.get(key) if key is not None else next(iter(found.values()))


async def resolve_subject(
    request: Request, context: AppContext, along: AlongKey | None = None
) -> Subject | None:
    cached = request_state(request).get("subject", _MISSING)
    if cached is not _MISSING:
        assert cached is None or isinstance(cached, Subject)
        return cached
    credentials = _credentials(request)
    subject: Subject | None = None
    if credentials is not None:
        if credentials.startswith((API_KEY_PREFIX + "_", ORGANIZATION_KEY_PREFIX + "_")):
            subject = await _from_api_key(context, credentials, request, along)
        else:
            subject = await _from_access_token(context, credentials, request, along)
    request.state.subject = subject
    return subject


async def _from_access_token(
    context: AppContext, token: str, request: Request | None = None, along: AlongKey | None = None
) -> Subject:
    codec = context.tokens
    try:
        try:
            claims = codec.decode(token)
        except UnknownKeyId:
            # Another instance may have rotated keys since we loaded them.
            if not codec.keyring.may_reload():
                raise
            async with context.database.reader() as session:
                await codec.keyring.load(session)
            claims = codec.decode(token)
    except UnknownKeyId as exc:
        raise Unauthorized("The access token was signed by an unknown key.") from exc
    except InvalidAccessToken as exc:
        raise Unauthorized(str(exc)) from exc
    if claims.client_id is not None:
        return await _from_client_token(context, claims, request, along)
    along_key = _along_key(request, along, claims.user_id)
    state = await _user_state(context, claims.user_id, request, along_key)
    if state is None:
        raise Unauthorized("The account behind this token no longer exists.")
    role, revoked_at = state
    if revoked_at is not None and claims.issued_at < revoked_at:
        raise Unauthorized("The access token was revoked; sign in again.")
    # A role change applies at once: a token never carries more than the account has now.
    return Subject(claims.user_id, role, claims.scopes & scopes_for_role(role))


async def _from_client_token(
    context: AppContext, claims: AccessClaims, request: Request | None = None, along: AlongKey | None = None
) -> Subject:
    """A client-credentials token: the client must still be live, its owner too, and the token newer than the
    client's last secret rotation. Scopes: the token's, within the client's and the owner's role's now."""
    assert claims.client_id is not None
    client_id = claims.client_id

    async def load() -> bytes:
        async with context.database.reader() as session:
            found = await client_repository.state(session, client_id)
        if found is None or found.acting_user is None:
            return b""
        organization = str(found.organization_id) if found.organization_id else None
        return orjson.dumps(
            [str(found.acting_user), found.scopes, found.valid_after.timestamp(), organization]
        )

    value = await _through_cache(context, client_state_key(client_id), "oauth_client", load)
    if not value:
        raise Unauthorized("The OAuth client behind this token was revoked or no longer exists.")
    owner_text, client_scopes, valid_after, organization_text = orjson.loads(value)
    if claims.issued_at < valid_after:
        raise Unauthorized("The client's secret was rotated after this token was issued; ask for a new one.")
    owner = uuid.UUID(owner_text)
    along_key = _along_key(request, along, owner)
    state = await _user_state(context, owner, request, along_key)
    if state is None:
        raise Unauthorized("The account that owns this OAuth client no longer exists.")
    role, _ = state
    if organization_text is not None:
        # The organisation's client: organisation scopes, bounded by the registering member's role where
        # the organisation route is checked (organization/access.py).
        return Subject(
            owner,
            role,
            frozenset(),
            client_id=client_id,
            organization_id=uuid.UUID(organization_text),
            organization_scopes=claims.scopes & frozenset(client_scopes),
        )
    scopes = claims.scopes & frozenset(client_scopes) & scopes_for_role(role)
    return Subject(owner, role, scopes, client_id=client_id)


async def _through_cache(
    context: AppContext,
    key: str,
    namespace: str,
    load: Callable[[], Awaitable[bytes]],
    request: Request | None = None,
    along_key: str | None = None,
) -> bytes:
    """`load()`'s value, kept for the auth cache TTL; from the database alone when that TTL is 0 or the cache
    fails (authentication must not depend on the cache being up). With `along_key`, that entry is read in the
    same round trip and kept on the request for the route (`prefetched`)."""
    ttl = context.settings.auth_cache_ttl_seconds
    if ttl == 0:
        return await load()
    try:
        if along_key is not None and request is not None:
            value, along_value = await context.cache.get_many(key, along_key)
            if along_value is not None:
                request.state.prefetched = {along_key: along_value}
            if value is not None:
                return value
        return await context.cache.get_or_set(key, load, ttl)
    except CacheError:
        CACHE_FALLBACKS.labels(namespace).inc()
        return await load()


def user_state_key(user_id: uuid.UUID) -> str:
    """Cache key of an account's role and revocation time; mark it stale whenever either changes."""
    return f"user:{user_id}"


async def _user_state(
    context: AppContext, user_id: uuid.UUID, request: Request | None = None, along_key: str | None = None
) -> tuple[str, float | None] | None:
    """(role, sessions revoked at) of an account, or None when it does not exist.

    Cached briefly (shared through Redis across replicas). Every write that changes either value marks the
    key stale, so logout-all, password changes, role changes and deletion take effect on the next request.
    If the cache fails, the database answers. With `along_key`, that entry is read in the same round trip.
    """

    async def load() -> bytes:
        async with context.database.reader() as session:
            row = await repository.role_and_revocation(session, user_id)
        if row is None:
            return b""
        role, revoked_at = row
        return f"{role}\n{revoked_at.timestamp() if revoked_at is not None else ''}".encode()

    value = await _through_cache(context, user_state_key(user_id), "user", load, request, along_key)
    if not value:
        return None
    role, _, revoked = value.decode().partition("\n")
    return role, float(revoked) if revoked else None


def api_key_state_key(digest: str) -> str:
    """Cache key of an API key's own state (a person's or an organisation's), by its keyed hash; mark it stale
    when the key is revoked or its secret replaced. Versioned with the entry's shape, as `client_state_key`
    is, for rolling upgrades."""
    return f"apikey:v1:{digest}"


@dataclass(frozen=True)
class _ApiKeyState:
    key_id: uuid.UUID
    # The key's owner; for an organisation's key, the member who issued it.
    owner: uuid.UUID
    scopes: frozenset[str]
    expires_at: float | None
    last_used_at: float | None
    organization_id: uuid.UUID | None


def _timestamp(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


async def _api_key_state(context: AppContext, digest: str, *, organization: bool) -> _ApiKeyState | None:
    """A live key's state, or None when no key has this hash or it was revoked.

    Cached like the account state: revoking a key (or rotating its secret) marks its entry stale, so that
    applies to the next request. The owner's role is not part of it: it comes from the account state, which a role change marks
    stale. If the cache fails, the database answers.
    """

    async def load() -> bytes:
        async with context.database.reader() as session:
            if organization:
                found = await repository.organization_key_by_hash(session, digest)
                if found is None or found.revoked_at is not None:
                    return b""
                key_id, owner, scopes = found.id, found.created_by, found.scopes
                expires_at, last_used_at = found.expires_at, found.last_used_at
                organization_id: str | None = str(found.organization_id)
            else:
                row = await repository.api_key_by_hash(session, digest)
                if row is None or row.revoked_at is not None:
                    return b""
                key_id, owner, scopes = row.id, row.user_id, list(row.scopes)
                expires_at, last_used_at, organization_id = row.expires_at, row.last_used_at, None
        return orjson.dumps(
            [
                str(key_id),
                str(owner),
                scopes,
                _timestamp(expires_at),
                _timestamp(last_used_at),
                organization_id,
            ]
        )

    value = await _through_cache(context, api_key_state_key(digest), "apikey", load)
    if not value:
        return None
    key_id, owner, scopes, expires_at, last_used_at, organization_id = orjson.loads(value)
    return _ApiKeyState(
        uuid.UUID(key_id),
        uuid.UUID(owner),
        frozenset(scopes),
        expires_at,
        last_used_at,
        uuid.UUID(organization_id) if organization_id is not None else None,
    )


async def _from_api_key(
    context: AppContext, key: str, request: Request | None = None, along: AlongKey | None = None
) -> Subject:
    organization = key.startswith(ORGANIZATION_KEY_PREFIX + "_")
    if not token_has_valid_shape(key, ORGANIZATION_KEY_PREFIX if organization else API_KEY_PREFIX):
        raise Unauthorized("The API key is malformed.")
    digest = keyed_hash(context.keys.api_keys, key)
    state = await _api_key_state(context, digest, organization=organization)
    if state is None:
        raise Unauthorized("The API key is not valid.")
    now = utcnow()
    if state.expires_at is not None and state.expires_at <= now.timestamp():
        raise Unauthorized("The API key has expired.")
    # An organisation's key reads no personal resource: nothing to fetch along.
    along_key = None if organization else _along_key(request, along, state.owner)
    account = await _user_state(context, state.owner, request, along_key)
    if account is None:
        raise Unauthorized("The API key is not valid.")
    role, _ = account
    if (
        state.last_used_at is None
        or now.timestamp() - state.last_used_at > _LAST_USED_RESOLUTION.total_seconds()
    ):
        async with context.database.writer() as session:
            if organization:
                await repository.touch_organization_key(session, state.key_id, now)
            else:
                await repository.touch_api_key(session, state.key_id, now)
            mark_stale(session, api_key_state_key(digest))
            await session.commit()
            # The next request reads the new time; if the cache cannot say so, the entry's TTL will (only a
            # last-use time is at stake, so the touch does not wait for the cache as a revocation does).
            await drop_stale(context.cache, session, strict=False)
    if state.organization_id is not None:
        # The organisation's scopes, bounded by the issuing member's role where the organisation's route is
        # checked (organization/access.py); no personal scope.
        return Subject(
            state.owner,
            role,
            frozenset(),
            api_key_id=state.key_id,
            organization_id=state.organization_id,
            organization_scopes=state.scopes,
        )
    return Subject(state.owner, role, state.scopes & scopes_for_role(role), state.key_id)
