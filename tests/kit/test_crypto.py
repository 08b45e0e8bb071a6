"""Prefixed tokens, keyed hashes, sealing and signed blobs."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from shortlist.kit.crypto import (
    derive_key,
    generate_token,
    keyed_hash,
    seal,
    sign_blob,
    token_has_valid_shape,
    unseal,
    verify_blob,
)

SECRET = b"0123456789abcdef0123456789abcdef"


def test_tokens_carry_their_prefix_and_a_checksum() -> None:
    token = generate_token("slk")
    assert token.startswith("slk_") and token_has_valid_shape(token, "slk")
    assert not token_has_valid_shape(token, "slr")  # the prefix names the kind of secret


def test_a_changed_character_breaks_the_checksum() -> None:
    token = generate_token("slk")
    position = 10
    changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
    assert not token_has_valid_shape(changed, "slk")


@pytest.mark.parametrize(
    "token", ["", "slk", "slk_", "slk_short", "slk_has spaces in it", "slk_ünïcödé12345"]
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert not token_has_valid_shape(token, "slk")


def test_tokens_are_unique() -> None:
    assert len({generate_token("slk") for _ in range(500)}) == 500


def test_each_purpose_gets_its_own_key() -> None:
    cursor_key = derive_key(SECRET, "cursors")
    assert cursor_key == derive_key(SECRET, "cursors") and len(cursor_key) == 32
    assert cursor_key != derive_key(SECRET, "refresh-tokens")
    assert cursor_key != derive_key(b"another secret of the same length!", "cursors")


def test_keyed_hash_depends_on_key_and_value() -> None:
    key = derive_key(SECRET, "api-keys")
    assert keyed_hash(key, "slk_x") == keyed_hash(key, "slk_x")
    assert keyed_hash(key, "slk_x") != keyed_hash(key, "slk_y")
    assert keyed_hash(key, "slk_x") != keyed_hash(derive_key(SECRET, "other"), "slk_x")


def test_sealed_data_opens_only_with_its_key_and_context() -> None:
    key = derive_key(SECRET, "signing-keys")
    sealed = seal(key, b"private key bytes", b"kid-1")
    assert b"private key bytes" not in sealed.encode()
    assert unseal(key, sealed, b"kid-1") == b"private key bytes"
    with pytest.raises(InvalidTag):
        unseal(key, sealed, b"kid-2")
    with pytest.raises(InvalidTag):
        unseal(derive_key(SECRET, "other"), sealed, b"kid-1")
    assert seal(key, b"same", b"") != seal(key, b"same", b"")  # a fresh nonce each time


@given(st.binary(max_size=200))
def test_signed_blobs_round_trip(payload: bytes) -> None:
    key = derive_key(SECRET, "cursors")
    assert verify_blob(key, sign_blob(key, payload)) == payload


def test_signed_blobs_refuse_tampering_and_other_keys() -> None:
    key = derive_key(SECRET, "cursors")
    token = sign_blob(key, b'["scope","2026-01-01T00:00:00+00:00","id"]')
    body, mac = token.split(".")
    forged = sign_blob(key, b"other")
    assert verify_blob(key, f"{forged.split('.')[0]}.{mac}") is None
    assert verify_blob(derive_key(SECRET, "other"), token) is None
    for broken in ("", "no-dot", f"{body}.", f"{body}.!!!", f"{body}"):
        assert verify_blob(key, broken) is None
