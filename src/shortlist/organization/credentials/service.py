"""Rules for an organisation's keys and clients: issued by an owner or admin with scopes their role has,
secrets shown once and stored as keyed hashes, rotation and revocation effective at once. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.clients import service as client_service
from shortlist.auth.scopes import OrgScope
from shortlist.auth.subject import ORGANIZATION_KEY_PREFIX, api_key_state_key
from shortlist.context import AppContext
from shortlist.kit.crypto import generate_token, keyed_hash
from shortlist.kit.db import utcnow
from shortlist.models import OAuthClient, OrganizationApiKey
from shortlist.organization.credentials import repository
from shortlist.organization.credentials.exceptions import (
    CredentialLimitReached,
    CredentialNotFound,
    InvalidExpiry,
    ScopeNotGrantable,
)
from shortlist.organization.policy import Operation, grantable_scopes
from shortlist.organization.service import Access
from shortlist.platform.stale import mark_stale

MAX_KEYS_PER_ORGANIZATION = 50
MAX_CLIENTS_PER_ORGANIZATION = 25


def _check_scopes(actor: Access, scopes: list[OrgScope]) -> set[str]:
    actor.require(Operation.credentials_manage)
    refused = sorted(str(scope) for scope in set(scopes) - grantable_scopes(actor.role))
    if refused:
        raise ScopeNotGrantable(
            f"A {actor.role} cannot put these scopes on a credential: {', '.join(refused)}."
        )
    return {str(scope) for scope in scopes}


def _new_key_secret(context: AppContext, key: OrganizationApiKey) -> str:
    plaintext = generate_token(ORGANIZATION_KEY_PREFIX)
    key.key_hash = keyed_hash(context.keys.api_keys, plaintext)
    key.display_prefix = plaintext[:12]
    return plaintext


async def issue_key(
    context: AppContext,
    actor: Access,
    session: AsyncSession,
    name: str,
    scopes: list[OrgScope],
    expires_at: datetime | None,
) -> tuple[OrganizationApiKey, str]:
    wanted = _check_scopes(actor, scopes)
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise InvalidExpiry("expires_at needs a UTC offset, e.g. 2030-01-01T00:00:00Z.")
        if expires_at <= utcnow():
            raise InvalidExpiry("expires_at must be in the future.")
    if await repository.count_keys(session, actor.organization.id) >= MAX_KEYS_PER_ORGANIZATION:
        raise CredentialLimitReached(
            f"An organization can hold at most {MAX_KEYS_PER_ORGANIZATION} active API keys."
        )
    key = OrganizationApiKey(
        organization_id=actor.organization.id,
        created_by=actor.user_id,
        name=name,
        scopes=sorted(wanted),
        expires_at=expires_at,
    )
    plaintext = _new_key_secret(context, key)
    session.add(key)
    await session.flush()
    return key, plaintext


async def get_key(session: AsyncSession, actor: Access, key_id: uuid.UUID) -> OrganizationApiKey:
    key = await repository.key(session, actor.organization.id, key_id)
    if key is None:
        raise CredentialNotFound("This organization has no such active API key.")
    return key


async def rotate_key(context: AppContext, session: AsyncSession, key: OrganizationApiKey) -> str:
    """A new secret for the same key (same id, name, scopes); the old secret stops working at once."""
    # The old secret's cached state goes with the commit.
    mark_stale(session, api_key_state_key(key.key_hash))
    plaintext = _new_key_secret(context, key)
    await session.flush()
    return plaintext


async def revoke_key(session: AsyncSession, key: OrganizationApiKey) -> None:
    key.revoked_at = utcnow()
    # The key's cached state goes with the commit: the next request with it is refused.
    mark_stale(session, api_key_state_key(key.key_hash))
    await session.flush()


async def register_client(
    context: AppContext, actor: Access, session: AsyncSession, name: str, scopes: list[OrgScope]
) -> tuple[OAuthClient, str]:
    wanted = _check_scopes(actor, scopes)
    if await repository.count_clients(session, actor.organization.id) >= MAX_CLIENTS_PER_ORGANIZATION:
        raise CredentialLimitReached(
            f"An organization can hold at most {MAX_CLIENTS_PER_ORGANIZATION} OAuth clients."
        )
    client, secret = client_service.register_for_organization(
        context, session, actor.organization.id, actor.user_id, name, wanted
    )
    await session.flush()
    return client, secret


async def get_client(session: AsyncSession, actor: Access, client_id: uuid.UUID) -> OAuthClient:
    client = await repository.client(session, actor.organization.id, client_id)
    if client is None:
        raise CredentialNotFound("This organization has no such OAuth client.")
    return client


async def rotate_client_secret(context: AppContext, session: AsyncSession, client: OAuthClient) -> str:
    secret = client_service.rotate_secret(context, session, client)
    await session.flush()
    return secret


async def revoke_client(session: AsyncSession, client: OAuthClient) -> None:
    client_service.revoke(session, client)
    await session.flush()
