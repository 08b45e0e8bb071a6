"""Webhook signatures following the Standard Webhooks specification (symmetric ``v1`` scheme).

Signed content is ``{msg_id}.{timestamp}.{payload}``; the signature header is a space separated list of
``v1,<base64 HMAC-SHA256>`` entries, one per active secret, so a secret can be rotated without downtime:
during the overlap the message is signed with both the old and the new secret and the receiver accepts either.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets as _secrets
import time
from collections.abc import Mapping, Sequence

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
DEFAULT_SECRET_BYTES = 32
DEFAULT_TOLERANCE_SECONDS = 300.0

# Ids are ours, never user supplied; forbidding "." (and anything exotic) keeps the "id.ts.payload" framing
# unambiguous, so one signature cannot be replayed under a different id/timestamp split.
_MSG_ID_RE = re.compile(r"[A-Za-z0-9_\-]{1,256}")
_TIMESTAMP_RE = re.compile(r"[0-9]{1,12}")
# A header with hundreds of entries is an attack on our CPU, not a rotation.
_MAX_SIGNATURES = 16


class WebhookSigningError(Exception):
    """Base class of every signing/verification error."""


class InvalidSecretError(WebhookSigningError, ValueError):
    """The secret is not ``whsec_`` + base64 of 24-64 bytes."""


class WebhookVerificationError(WebhookSigningError):
    """The message cannot be trusted; ``reason`` is safe to log."""

    reason = "verification failed"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.reason)


class MissingHeaderError(WebhookVerificationError):
    reason = "missing webhook header"


class MalformedHeaderError(WebhookVerificationError):
    reason = "malformed webhook header"


class TimestampTooOldError(WebhookVerificationError):
    reason = "webhook timestamp is too old"


class TimestampTooNewError(WebhookVerificationError):
    reason = "webhook timestamp is too far in the future"


class InvalidSignatureError(WebhookVerificationError):
    reason = "no matching webhook signature"


def generate_secret(nbytes: int = DEFAULT_SECRET_BYTES) -> str:
    """A fresh secret, ``whsec_`` + standard base64 of ``nbytes`` random bytes."""
    if not MIN_SECRET_BYTES <= nbytes <= MAX_SECRET_BYTES:
        raise ValueError(f"secret length must be {MIN_SECRET_BYTES}..{MAX_SECRET_BYTES} bytes")
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(nbytes)).decode("ascii")


def decode_secret(secret: str) -> bytes:
    """The raw key bytes of a ``whsec_`` secret; raises InvalidSecretError for anything else."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecretError(f"secret must start with {SECRET_PREFIX!r}")
    encoded = secret[len(SECRET_PREFIX) :]
    try:
        # validate=True rejects stray characters instead of silently dropping them.
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidSecretError("secret is not valid base64") from exc
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise InvalidSecretError(f"secret must decode to {MIN_SECRET_BYTES}..{MAX_SECRET_BYTES} bytes")
    return key


def _check_msg_id(msg_id: str) -> None:
    if not _MSG_ID_RE.fullmatch(msg_id):
        raise ValueError("msg_id must be 1-256 characters of [A-Za-z0-9_-]")


def _signed_content(msg_id: str, timestamp: int, payload: bytes) -> bytes:
    return f"{msg_id}.{timestamp}.".encode("ascii") + payload


def _digest(key: bytes, content: bytes) -> bytes:
    return hmac.new(key, content, hashlib.sha256).digest()


def sign(msg_id: str, timestamp: int, payload: bytes, secrets: Sequence[str]) -> str:
    """The ``webhook-signature`` header value: one ``v1,<sig>`` per secret, space separated.

    Pass two secrets while rotating (new and old); receivers holding either one verify the message.
    """
    if isinstance(secrets, str):
        # A bare string is a Sequence[str] of characters: refuse rather than sign with "w", "h", ...
        raise TypeError("secrets must be a sequence of secrets, not a single string")
    if not secrets:
        raise ValueError("at least one secret is required")
    if timestamp < 0:
        raise ValueError("timestamp must be a non-negative unix time in seconds")
    _check_msg_id(msg_id)
    content = _signed_content(msg_id, timestamp, payload)
    parts = [
        f"{SIGNATURE_VERSION},{base64.b64encode(_digest(decode_secret(s), content)).decode('ascii')}"
        for s in secrets
    ]
    return " ".join(parts)


def signature_headers(
    msg_id: str, payload: bytes, secrets: Sequence[str], *, timestamp: int | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt (timestamp defaults to now)."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(ts),
        HEADER_SIGNATURE: sign(msg_id, ts, payload, secrets),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    # HTTP header names are case-insensitive; a plain dict from a framework may keep any casing.
    value = headers.get(name)
    if value is None:
        for key, candidate in headers.items():
            if key.lower() == name:
                value = candidate
                break
    if value is None or not value.strip():
        raise MissingHeaderError(f"missing {name} header")
    return value.strip()


def verify(
    headers: Mapping[str, str],
    payload: bytes,
    secret: str | Sequence[str],
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Check a received webhook; returns None when trusted, raises a WebhookVerificationError otherwise.

    ``secret`` may be one secret or several (a receiver in the middle of a rotation). Signatures with other
    version tags (``v1a`` for the asymmetric scheme) are ignored, as the specification asks.
    """
    keys = [decode_secret(secret)] if isinstance(secret, str) else [decode_secret(s) for s in secret]
    if not keys:
        raise ValueError("at least one secret is required")

    msg_id = _header(headers, HEADER_ID)
    raw_ts = _header(headers, HEADER_TIMESTAMP)
    raw_sig = _header(headers, HEADER_SIGNATURE)

    if not _MSG_ID_RE.fullmatch(msg_id):
        raise MalformedHeaderError(f"malformed {HEADER_ID} header")
    if not _TIMESTAMP_RE.fullmatch(raw_ts):
        raise MalformedHeaderError(f"malformed {HEADER_TIMESTAMP} header")
    timestamp = int(raw_ts)

    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise TimestampTooOldError()
    if timestamp > current + tolerance:
        raise TimestampTooNewError()

    candidates: list[bytes] = []
    for entry in raw_sig.split()[:_MAX_SIGNATURES]:
        version, sep, encoded = entry.partition(",")
        if not sep or version != SIGNATURE_VERSION:
            continue
        try:
            candidates.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    if not candidates:
        raise InvalidSignatureError("no v1 signature in header")

    content = _signed_content(msg_id, timestamp, payload)
    matched = False
    for key in keys:
        expected = _digest(key, content)
        for candidate in candidates:
            # Do every comparison (no early exit) so timing reveals nothing about which entry matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise InvalidSignatureError()
