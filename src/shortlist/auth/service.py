"""Account and token rules. Takes the session as an argument and never commits (the request does)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import repository
from shortlist.auth.exceptions import (
    EmailTaken,
    InvalidActionToken,
    InvalidCredentials,
    InvalidGrant,
    RefreshTokenReused,
    WeakPassword,
)
from shortlist.auth.schemas import TokenPair
from shortlist.auth.scopes import Role, scopes_for_role
from shortlist.auth.subject import user_state_key
from shortlist.context import AppContext
from shortlist.kit.crypto import generate_token, keyed_hash, seal, token_has_valid_shape, unseal
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.models import ActionToken, RefreshToken, User
from shortlist.platform.stale import mark_stale

REFRESH_PREFIX = "slr"
ACTION_PREFIX = "sla"
PURPOSE_PASSWORD_RESET = "password_reset"
PURPOSE_VERIFY_EMAIL = "verify_email"


def check_password_strength(context: AppContext, password: str, email: str) -> None:
    minimum = context.settings.password_min_length
    if len(password) < minimum:
        raise WeakPassword(f"The password must have at least {minimum} characters.")
    if password.strip().lower() == email.strip().lower():
        raise WeakPassword("The password must not be the e-mail address.")
    if len(set(password)) < 4:
        raise WeakPassword("The password must use more than a few distinct characters.")


async def register(
    context: AppContext, session: AsyncSession, email: str, password: str, name: str | None
) -> User:
    email = email.lower()
    check_password_strength(context, password, email)
    if await repository.user_by_email(session, email) is not None:
        raise EmailTaken("An account with this e-mail address already exists.")
    user = User(email=email, name=name, password_hash=await context.passwords.hash(password), role=Role.user)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same address won the race
        raise EmailTaken("An account with this e-mail address already exists.") from exc
    return user


async def create_admin(context: AppContext, session: AsyncSession, email: str, password: str) -> User:
    user = await repository.user_by_email(session, email)
    if user is None:
        user = await register(context, session, email, password, None)
    user.role = Role.admin
    mark_stale(session, user_state_key(user.id))
    user.email_verified_at = user.email_verified_at or utcnow()
    return user


async def sign_in(context: AppContext, session: AsyncSession, email: str, password: str) -> TokenPair:
    """Check the password and issue a token pair.

    The account is read and the password verified outside `session`: on SQLite a write transaction holds the
    database's only write lock (BEGIN IMMEDIATE), and Argon2 takes tens of milliseconds or more. `session` is
    used only afterwards, for the short write of the refresh token (and of a rehashed password).
    """
    async with context.database.reader() as reader:
        found = await repository.user_by_email(reader, email)
        user_id, verified_hash = (found.id, found.password_hash) if found else (None, None)
    # Verify even when there is no such user: both paths cost one Argon2 verification.
    valid, rehashed = await context.passwords.verify_and_update(password, verified_hash)
    if user_id is None or verified_hash is None or not valid:
        raise InvalidCredentials()
    user = await repository.user_by_id(session, user_id)
    # The password changed (or the account went) while it was being verified: the old one no longer counts.
    if user is None or user.password_hash != verified_hash:
        raise InvalidCredentials()
    if rehashed is not None:
        # The stored hash used older cost settings: keep the one just made with the current ones.
        user.password_hash = rehashed
    return await issue_pair(context, session, user)


def _refresh_hash(context: AppContext, token: str) -> str:
    return keyed_hash(context.keys.refresh_tokens, token)


def _pair(
    context: AppContext, user_id: uuid.UUID, role: str, refresh_token: str, refresh_ttl: int
) -> TokenPair:
    scopes = scopes_for_role(role)
    return TokenPair(
        access_token=context.tokens.issue(user_id, role, frozenset(scopes)),
        expires_in=context.tokens.ttl_seconds,
        refresh_token=refresh_token,
        refresh_expires_in=refresh_ttl,
        scope=" ".join(sorted(scopes)),
    )


async def _new_refresh_token(
    context: AppContext, session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID
) -> tuple[str, int]:
    ttl = context.settings.refresh_token_ttl_seconds
    plaintext = generate_token(REFRESH_PREFIX)
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
            token_hash=_refresh_hash(context, plaintext),
            expires_at=utcnow() + timedelta(seconds=ttl),
        )
    )
    await session.flush()
    return plaintext, ttl


async def issue_pair(context: AppContext, session: AsyncSession, user: User) -> TokenPair:
    plaintext, ttl = await _new_refresh_token(context, session, user.id, new_id())
    return _pair(context, user.id, user.role, plaintext, ttl)


async def refresh(context: AppContext, session: AsyncSession, token: str) -> TokenPair:
    if not token_has_valid_shape(token, REFRESH_PREFIX):
        raise InvalidGrant("The refresh token is malformed.")
    token_hash = _refresh_hash(context, token)
    now = utcnow()
    won = await repository.claim_refresh_rotation(session, token_hash, now)
    row = await repository.refresh_token_by_hash(session, token_hash)
    if row is None:
        raise InvalidGrant("The refresh token is not valid.")
    user = await repository.user_by_id(session, row.user_id)
    if user is None:
        raise InvalidGrant("The account behind this refresh token no longer exists.")
    sealing_context = row.id.bytes
    if won:
        plaintext, ttl = await _new_refresh_token(context, session, row.user_id, row.family_id)
        row.successor_sealed = seal(context.keys.sealing, plaintext.encode(), sealing_context)
        return _pair(context, user.id, user.role, plaintext, ttl)
    if row.revoked_at is not None:
        raise InvalidGrant("The refresh token was revoked; sign in again.")
    if row.rotated_at is None:
        raise InvalidGrant("The refresh token has expired; sign in again.")
    grace = timedelta(seconds=context.settings.refresh_reuse_grace_seconds)
    if row.successor_sealed is not None and now - row.rotated_at <= grace:
        # A retried or concurrent refresh of the same token: hand back the pair the first call got.
        successor = unseal(context.keys.sealing, row.successor_sealed, sealing_context).decode()
        successor_row = await repository.refresh_token_by_hash(session, _refresh_hash(context, successor))
        # Only while the successor is unused: once it has been rotated in turn, a client that still holds
        # this token is not retrying, it is replaying a stolen copy two rotations back.
        if (
            successor_row is not None
            and successor_row.revoked_at is None
            and successor_row.rotated_at is None
        ):
            remaining = int((successor_row.expires_at - now).total_seconds())
            return _pair(context, user.id, user.role, successor, remaining)
    await repository.revoke_family(session, row.family_id, now)
    raise RefreshTokenReused()


async def revoke(context: AppContext, session: AsyncSession, token: str) -> None:
    """RFC 7009: revoking an unknown or already revoked token is not an error."""
    if not token_has_valid_shape(token, REFRESH_PREFIX):
        return
    row = await repository.refresh_token_by_hash(session, _refresh_hash(context, token))
    if row is not None:
        await repository.revoke_family(session, row.family_id, utcnow())


async def logout_all(session: AsyncSession, user: User) -> None:
    now = utcnow()
    await repository.revoke_all_families(session, user.id, now)
    user.sessions_revoked_at = now
    mark_stale(session, user_state_key(user.id))


async def change_password(
    context: AppContext, session: AsyncSession, user: User, current: str, new: str
) -> None:
    if not await context.passwords.verify(current, user.password_hash):
        raise InvalidCredentials()
    check_password_strength(context, new, user.email)
    user.password_hash = await context.passwords.hash(new)
    await logout_all(session, user)


async def _issue_action_token(context: AppContext, session: AsyncSession, user: User, purpose: str) -> str:
    plaintext = generate_token(ACTION_PREFIX)
    session.add(
        ActionToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=keyed_hash(context.keys.action_tokens, plaintext),
            expires_at=utcnow() + timedelta(seconds=context.settings.action_token_ttl_seconds),
        )
    )
    await session.flush()
    return plaintext


async def send_verification_email(context: AppContext, session: AsyncSession, user: User) -> None:
    token = await _issue_action_token(context, session, user, PURPOSE_VERIFY_EMAIL)
    # The link opens a page whose button confirms: mail scanners follow links, and a GET changes nothing.
    link = f"{context.settings.public_url}/account/confirm-email?{urlencode({'token': token})}"
    minutes = context.settings.action_token_ttl_seconds // 60
    await context.mailer.send(
        user.email,
        "Confirm your e-mail address for Shortlist",
        f"Confirm your address by opening this link:\n\n{link}\n\n"
        f"It expires in {minutes} minutes and works once. A program can instead send the token to "
        f"POST /v1/auth/verify-email:\n\n{token}\n",
    )


async def request_password_reset(context: AppContext, session: AsyncSession, email: str) -> None:
    user = await repository.user_by_email(session, email)
    if user is None:
        return  # the answer is the same either way: nothing to learn about which accounts exist
    token = await _issue_action_token(context, session, user, PURPOSE_PASSWORD_RESET)
    link = f"{context.settings.public_url}/account/reset-password?{urlencode({'token': token})}"
    minutes = context.settings.action_token_ttl_seconds // 60
    await context.mailer.send(
        user.email,
        "Reset your Shortlist password",
        "Someone asked to reset the password of this account. If it was you, choose a new password here:"
        f"\n\n{link}\n\nIt expires in {minutes} minutes and works once. A program can instead send the "
        f"token with the new password to POST /v1/auth/password-reset/confirm:\n\n{token}\n\n"
        "If it was not you, ignore this message: the password stays as it is.",
    )


async def _consume(context: AppContext, session: AsyncSession, token: str, purpose: str) -> User:
    if not token_has_valid_shape(token, ACTION_PREFIX):
        raise InvalidActionToken("The token is malformed.")
    digest = keyed_hash(context.keys.action_tokens, token)
    user_id = await repository.consume_action_token(session, digest, purpose, utcnow())
    user = await repository.user_by_id(session, user_id) if user_id else None
    if user is None:
        raise InvalidActionToken("The token is unknown, already used or expired.")
    return user


async def confirm_password_reset(context: AppContext, session: AsyncSession, token: str, new: str) -> None:
    user = await _consume(context, session, token, PURPOSE_PASSWORD_RESET)
    check_password_strength(context, new, user.email)
    user.password_hash = await context.passwords.hash(new)
    await logout_all(session, user)


async def confirm_email(context: AppContext, session: AsyncSession, token: str) -> User:
    user = await _consume(context, session, token, PURPOSE_VERIFY_EMAIL)
    user.email_verified_at = user.email_verified_at or utcnow()
    return user
