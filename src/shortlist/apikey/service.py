"""API keys: a key carries a subset of its creator's scopes, an account holds a bounded number of them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.apikey import repository
from shortlist.auth.subject import API_KEY_PREFIX, Subject, api_key_state_key
from shortlist.kit.crypto import generate_token, keyed_hash
from shortlist.kit.db import utcnow
from shortlist.kit.problems import Forbidden, NotFound, UnprocessableContent
from shortlist.models import ApiKey
from shortlist.platform.stale import mark_stale

MAX_KEYS_PER_USER = 50


def list_cursor_scope(subject: Subject) -> str:
    return f"api-keys:{subject.user_id}"


async def create(
    session: AsyncSession,
    subject: Subject,
    hashing_key: bytes,
    name: str,
    scopes: set[str],
    expires_at: datetime | None,
) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is shown once and stored only as a keyed hash."""
    if not scopes <= subject.scopes:
        raise Forbidden(
            "A key cannot carry scopes its creator lacks: " + ", ".join(sorted(scopes - subject.scopes))
        )
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise UnprocessableContent("expires_at needs a UTC offset, e.g. 2030-01-01T00:00:00Z.")
        if expires_at <= utcnow():
            raise UnprocessableContent("expires_at must be in the future.")
    if await repository.count_active(session, subject.user_id) >= MAX_KEYS_PER_USER:
        raise UnprocessableContent(f"An account can hold at most {MAX_KEYS_PER_USER} active keys.")
    plaintext = generate_token(API_KEY_PREFIX)
    row = ApiKey(
        user_id=subject.user_id,
        name=name,
        display_prefix=plaintext[:12],
        key_hash=keyed_hash(hashing_key, plaintext),
        scopes=sorted(scopes),
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row, plaintext


async def list_page(
    session: AsyncSession, subject: Subject, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[ApiKey]:
    return await repository.active_page(session, subject.user_id, after, limit)


async def revoke(session: AsyncSession, subject: Subject, key_id: uuid.UUID) -> ApiKey:
    row = await repository.active_key(session, subject.user_id, key_id)
    if row is None:
        raise NotFound("No such API key.")
    row.revoked_at = utcnow()
    # The key's cached state goes with the commit: the next request with it is refused.
    mark_stale(session, api_key_state_key(row.key_hash))
    return row
