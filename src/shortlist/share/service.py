"""Share link rules: creation (the token is shown once), revocation, and resolving a public token."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.kit.crypto import generate_token, keyed_hash, token_has_valid_shape
from shortlist.kit.db import utcnow
from shortlist.models import Resume, ResumeShare
from shortlist.platform.db import Database
from shortlist.share import repository
from shortlist.share.exceptions import ShareExpiryInPast, ShareLimitReached, ShareNotFound
from shortlist.share.schemas import ShareFormat

TOKEN_PREFIX = "sls"


def status_of(share: ResumeShare, now: datetime | None = None) -> str:
    now = now or utcnow()
    if share.revoked_at is not None:
        return "revoked"
    if share.expires_at is not None and share.expires_at <= now:
        return "expired"
    return "active"


async def create(
    settings: Settings,
    key: bytes,
    session: AsyncSession,
    resume: Resume,
    formats: list[ShareFormat],
    expires_at: datetime | None,
) -> tuple[ResumeShare, str]:
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        raise ShareExpiryInPast("expires_at must be in the future.")
    if await repository.count_live(session, resume.id, now) >= settings.share_max_per_resume:
        raise ShareLimitReached(
            f"A resume can have at most {settings.share_max_per_resume} live share links; revoke one first."
        )
    token = generate_token(TOKEN_PREFIX)
    share = ResumeShare(
        resume_id=resume.id,
        token_hash=keyed_hash(key, token),
        display_prefix=token[:12],
        formats=list(formats),
        view_count=0,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(share)
    await session.flush()
    return share, token


def revoke(share: ResumeShare) -> None:
    if share.revoked_at is None:  # revoking twice keeps the first time
        share.revoked_at = utcnow()


async def resolve(
    key: bytes, session: AsyncSession, token: str, fmt: ShareFormat
) -> tuple[ResumeShare, Resume]:
    """The live link behind a public token. Unknown, malformed, revoked, expired, trashed or a format the
    link does not offer: all the same ShareNotFound."""
    if not token_has_valid_shape(token, TOKEN_PREFIX):
        raise ShareNotFound()
    found = await repository.find_live(session, keyed_hash(key, token), utcnow())
    if found is None or fmt not in found[0].formats:
        raise ShareNotFound()
    return found


async def record_view(database: Database, share_id: uuid.UUID) -> None:
    """Count one view, in a write transaction of its own.

    The link was served from a read that ended before the render (on SQLite a reader cannot turn into a
    writer), so the count is a unit of work by itself: a lost count never undoes a served view.
    """
    async with database.writer() as writer:
        await repository.record_view(writer, share_id, utcnow())
        await writer.commit()
