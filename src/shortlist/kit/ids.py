"""Identifiers: UUIDv7 is time-ordered (index friendly, sortable) and carries 74 random bits (not guessable)."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    return uuid.UUID(bytes=uuid6.uuid7().bytes)
