"""Identifiers: UUIDv7 is time-ordered (index friendly, sortable) and carries 74 random bits (not guessable)."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    return uuid.UUID(bytes=uuid6.uuid7().bytes)


def new_id_hex() -> str:
    """A new id as 32 hex digits, for ids that are only ever text (request ids): it skips the second UUID
    object ``new_id().hex`` builds (~3.0 against ~3.7 µs)."""
    return uuid6.uuid7().hex
