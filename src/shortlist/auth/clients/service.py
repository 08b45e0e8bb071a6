"""OAuth client rules: registration within the owner's scopes, secrets shown once, the client-credentials
grant. Takes the session as an argument and never commits (the request does)."""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.clients import repository
from shortlist.auth.clients.schemas import ClientAccessToken, OAuthClientOut, OAuthClientWithSecret
from shortlist.auth.oauth import ClientAuthentication, OAuthError, invalid_client
from shortlist.auth.repository import user_by_id
from shortlist.auth.scopes import scopes_for_role
from shortlist.context import AppContext
from shortlist.kit.crypto import generate_token, keyed_hash, token_has_valid_shape
from shortlist.kit.db import utcnow
from shortlist.kit.problems import Forbidden, NotFound, UnprocessableContent
from shortlist.models import OAuthClient
from shortlist.platform.stale import mark_stale

CLIENT_SECRET_PREFIX = "slc"
MAX_CLIENTS_PER_OWNER = 25


def client_state_key(client_id: uuid.UUID) -> str:
    """Cache key of a client's owner, scopes, token cut-off and organisation; marked stale on rotation and
    revocation. Versioned with the entry's shape: a server of the release before does not read it, nor this
    one theirs, while both run during a rolling upgrade."""
    return f"oauth_client:v2:{client_id}"


def _secret_hash(context: AppContext, secret: str) -> str:
    # The same keyed hash as API keys: the prefix keeps the two kinds of secret apart.
    return keyed_hash(context.keys.api_keys, secret)


def _new_secret(context: AppContext, client: OAuthClient) -> str:
    secret = generate_token(CLIENT_SECRET_PREFIX)
    client.secret_hash = _secret_hash(context, secret)
    client.secret_prefix = secret[:12]
    return secret


def describe(client: OAuthClient) -> OAuthClientOut:
    return OAuthClientOut.model_validate({**_fields(client), "client_id": str(client.id)})


def with_secret(client: OAuthClient, secret: str) -> OAuthClientWithSecret:
    return OAuthClientWithSecret.model_validate(
        {**_fields(client), "client_id": str(client.id), "client_secret": secret}
    )


def _fields(client: OAuthClient) -> dict[str, object]:
    return {name: getattr(client, name) for name in OAuthClientOut.model_fields if name != "client_id"}


async def register(
    context: AppContext,
    session: AsyncSession,
    owner_id: uuid.UUID,
    owner_scopes: frozenset[str],
    name: str,
    scopes: set[str],
) -> tuple[OAuthClient, str]:
    if not scopes <= owner_scopes:
        raise Forbidden(
            "A client cannot carry scopes its owner lacks: " + ", ".join(sorted(scopes - owner_scopes))
        )
    if await repository.count_owned(session, owner_id) >= MAX_CLIENTS_PER_OWNER:
        raise UnprocessableContent(f"An account can hold at most {MAX_CLIENTS_PER_OWNER} OAuth clients.")
    client = OAuthClient(user_id=owner_id, name=name, scopes=sorted(scopes))
    secret = _new_secret(context, client)
    session.add(client)
    await session.flush()
    return client, secret


def register_for_organization(
    context: AppContext,
    session: AsyncSession,
    organization_id: uuid.UUID,
    created_by: uuid.UUID,
    name: str,
    scopes: set[str],
) -> tuple[OAuthClient, str]:
    """An organisation's client: organisation scopes (checked by the caller), acting for `created_by`."""
    client = OAuthClient(
        organization_id=organization_id, created_by=created_by, name=name, scopes=sorted(scopes)
    )
    secret = _new_secret(context, client)
    session.add(client)
    return client, secret


async def owned(session: AsyncSession, owner_id: uuid.UUID, client_id: uuid.UUID) -> OAuthClient:
    """A live client of this owner; another owner's is as unknown as a missing one."""
    client = await repository.owned(session, owner_id, client_id)
    if client is None:
        raise NotFound("No such OAuth client.")
    return client


def rotate_secret(context: AppContext, session: AsyncSession, client: OAuthClient) -> str:
    """A new secret; the old one and every token issued with it stop working at once."""
    secret = _new_secret(context, client)
    client.tokens_valid_after = utcnow()
    mark_stale(session, client_state_key(client.id))
    return secret


def revoke(session: AsyncSession, client: OAuthClient) -> None:
    client.revoked_at = utcnow()
    mark_stale(session, client_state_key(client.id))


async def exchange(
    context: AppContext, session: AsyncSession, credentials: ClientAuthentication | None, scope: str
) -> ClientAccessToken:
    """The client-credentials grant (RFC 6749 §4.4): a short-lived access token with the client's scopes."""
    if credentials is None or credentials.public:
        raise invalid_client(
            "The client_credentials grant needs the client's id and secret, in HTTP Basic or in the form "
            "fields client_id and client_secret.",
            basic=credentials is not None and credentials.method == "basic",
        )
    basic = credentials.method == "basic"
    refused = invalid_client("Unknown client, or a wrong or revoked secret.", basic=basic)
    try:
        client_id = uuid.UUID(credentials.client_id)
    except ValueError:
        raise refused from None
    client = await repository.live_by_id(session, client_id)
    digest = _secret_hash(context, credentials.client_secret)
    if (
        client is None
        or not token_has_valid_shape(credentials.client_secret, CLIENT_SECRET_PREFIX)
        or not hmac.compare_digest(client.secret_hash, digest)
    ):
        raise refused
    # An organisation's client acts for the member who registered it; its scopes are organisation scopes,
    # bounded by that member's role when an organisation route checks them.
    acting = client.created_by if client.organization_id is not None else client.user_id
    owner = await user_by_id(session, acting) if acting is not None else None
    if owner is None:
        raise invalid_client("The account this client acts for no longer exists.", basic=basic)
    allowed = frozenset(client.scopes)
    if client.organization_id is None:
        allowed &= scopes_for_role(owner.role)
    requested = frozenset(scope.split()) if scope.strip() else allowed
    if not requested <= allowed:
        raise OAuthError(
            "invalid_scope", "The client may not ask for: " + ", ".join(sorted(requested - allowed)) + "."
        )
    client.last_used_at = utcnow()
    ttl = context.settings.client_token_ttl_seconds
    token = context.tokens.issue(owner.id, owner.role, requested, client_id=client.id, ttl_seconds=ttl)
    return ClientAccessToken(access_token=token, expires_in=ttl, scope=" ".join(sorted(requested)))
