"""Global object ids (Relay): the type name and the key, base64url-encoded, so `node(id:)` can route them."""

from __future__ import annotations

import base64
import binascii
import uuid

from shortlist.kit.problems import NotFound


class UnknownId(NotFound):
    slug = "unknown-id"
    title = "Unknown id"

    def __init__(self) -> None:
        super().__init__("The id is not one this API issued; ids come from the `id` field of an object.")


def global_id(type_name: str, key: str | uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, str]:
    padded = value + "=" * (-len(value) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise UnknownId() from exc
    type_name, _, key = text.partition(":")
    if not type_name or not key:
        raise UnknownId()
    return type_name, key


def uuid_of(value: str, expected: str) -> uuid.UUID:
    """The UUID inside a global id of the `expected` type; anything else is an unknown id."""
    type_name, key = parse_global_id(value)
    if type_name != expected:
        raise UnknownId()
    try:
        return uuid.UUID(key)
    except ValueError as exc:
        raise UnknownId() from exc
