from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortlist.webhook.signing import (
    HEADER_ID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    InvalidSecretError,
    InvalidSignatureError,
    MalformedHeaderError,
    MissingHeaderError,
    TimestampTooNewError,
    TimestampTooOldError,
    WebhookVerificationError,
    decode_secret,
    generate_secret,
    sign,
    signature_headers,
    verify,
)

NOW = 1_700_000_000
MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
PAYLOAD = b'{"type":"resume.rendered","data":{"id":"r_1"}}'


def _headers(msg_id: str, ts: int, signature: str) -> dict[str, str]:
    return {HEADER_ID: msg_id, HEADER_TIMESTAMP: str(ts), HEADER_SIGNATURE: signature}


def test_generate_secret_shape() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(decode_secret(secret)) == 32
    assert generate_secret() != secret
    assert len(decode_secret(generate_secret(24))) == 24
    assert len(decode_secret(generate_secret(64))) == 64


@pytest.mark.parametrize("nbytes", [0, 23, 65])
def test_generate_secret_rejects_bad_length(nbytes: int) -> None:
    with pytest.raises(ValueError):
        generate_secret(nbytes)


def test_round_trip() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    assert headers[HEADER_SIGNATURE].startswith("v1,")
    assert " " not in headers[HEADER_SIGNATURE]
    verify(headers, PAYLOAD, secret, now=NOW)


def test_signature_headers_default_to_now() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret])
    assert abs(int(headers[HEADER_TIMESTAMP]) - time.time()) < 5
    verify(headers, PAYLOAD, secret)


def test_known_vector_computed_independently() -> None:
    # Published Standard Webhooks example values; the expected value is recomputed here with hmac.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    msg_id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    ts = 1614265330
    payload = b'{"test": 2432232314}'
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    mac = hmac.new(key, b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330." + payload, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    assert expected == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign(msg_id, ts, payload, [secret]) == expected
    verify(_headers(msg_id, ts, expected), payload, secret, now=ts + 10)


def test_rotation_signs_with_each_secret_and_either_verifies() -> None:
    old, new = generate_secret(), generate_secret()
    header = sign(MSG_ID, NOW, PAYLOAD, [new, old])
    parts = header.split(" ")
    assert len(parts) == 2
    assert parts[0] == sign(MSG_ID, NOW, PAYLOAD, [new])
    assert parts[1] == sign(MSG_ID, NOW, PAYLOAD, [old])
    headers = _headers(MSG_ID, NOW, header)
    verify(headers, PAYLOAD, old, now=NOW)
    verify(headers, PAYLOAD, new, now=NOW)
    # A receiver mid-rotation can hold both secrets and accept a message signed by only one of them.
    verify(_headers(MSG_ID, NOW, sign(MSG_ID, NOW, PAYLOAD, [old])), PAYLOAD, [new, old], now=NOW)
    with pytest.raises(InvalidSignatureError):
        verify(headers, PAYLOAD, generate_secret(), now=NOW)


def test_tampered_payload_rejected() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    with pytest.raises(InvalidSignatureError):
        verify(headers, PAYLOAD + b" ", secret, now=NOW)


def test_tampered_timestamp_rejected() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    headers[HEADER_TIMESTAMP] = str(NOW + 1)
    with pytest.raises(InvalidSignatureError):
        verify(headers, PAYLOAD, secret, now=NOW)


def test_tampered_id_rejected() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    headers[HEADER_ID] = MSG_ID + "x"
    with pytest.raises(InvalidSignatureError):
        verify(headers, PAYLOAD, secret, now=NOW)


def test_tampered_signature_rejected() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    raw = bytearray(base64.b64decode(headers[HEADER_SIGNATURE][3:]))
    raw[0] ^= 1
    headers[HEADER_SIGNATURE] = "v1," + base64.b64encode(bytes(raw)).decode()
    with pytest.raises(InvalidSignatureError):
        verify(headers, PAYLOAD, secret, now=NOW)


def test_other_versions_ignored() -> None:
    secret = generate_secret()
    good = sign(MSG_ID, NOW, PAYLOAD, [secret])
    # The same bytes under an unknown version tag must not count.
    with pytest.raises(InvalidSignatureError):
        verify(_headers(MSG_ID, NOW, "v1a," + good[3:]), PAYLOAD, secret, now=NOW)
    verify(_headers(MSG_ID, NOW, "v1a,AAAA garbage " + good), PAYLOAD, secret, now=NOW)


@pytest.mark.parametrize(
    ("offset", "error"),
    [(-301, TimestampTooOldError), (301, TimestampTooNewError), (-3600, TimestampTooOldError)],
)
def test_tolerance_outside(offset: int, error: type[WebhookVerificationError]) -> None:
    secret = generate_secret()
    ts = NOW + offset
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=ts)
    with pytest.raises(error):
        verify(headers, PAYLOAD, secret, now=NOW)


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_tolerance_edges_accepted(offset: int) -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW + offset)
    verify(headers, PAYLOAD, secret, now=NOW)


def test_custom_tolerance() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW - 60)
    verify(headers, PAYLOAD, secret, now=NOW, tolerance=60)
    with pytest.raises(TimestampTooOldError):
        verify(headers, PAYLOAD, secret, now=NOW, tolerance=59)


@pytest.mark.parametrize("missing", [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE])
def test_missing_headers(missing: str) -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    del headers[missing]
    with pytest.raises(MissingHeaderError, match=missing):
        verify(headers, PAYLOAD, secret, now=NOW)


def test_header_names_case_insensitive() -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    verify({k.title(): v for k, v in headers.items()}, PAYLOAD, secret, now=NOW)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (HEADER_TIMESTAMP, "17e8"),
        (HEADER_TIMESTAMP, "-5"),
        (HEADER_TIMESTAMP, "1700000000.5"),
        (HEADER_ID, "msg.1"),
        (HEADER_ID, "msg 1"),
    ],
)
def test_malformed_headers(name: str, value: str) -> None:
    secret = generate_secret()
    headers = signature_headers(MSG_ID, PAYLOAD, [secret], timestamp=NOW)
    headers[name] = value
    with pytest.raises(MalformedHeaderError):
        verify(headers, PAYLOAD, secret, now=NOW)


@pytest.mark.parametrize("signature", ["v1", "v1,", "v1,!!!notbase64", "garbage", "v2,AAAA"])
def test_unusable_signature_header(signature: str) -> None:
    with pytest.raises(InvalidSignatureError):
        verify(_headers(MSG_ID, NOW, signature), PAYLOAD, generate_secret(), now=NOW)


@pytest.mark.parametrize(
    "secret",
    [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  # no prefix
        "whsec_",  # empty
        "whsec_not*base64*at*all*not*base64*at*all",
        "whsec_" + base64.b64encode(b"x" * 23).decode(),  # too short
        "whsec_" + base64.b64encode(b"x" * 65).decode(),  # too long
    ],
)
def test_malformed_secret(secret: str) -> None:
    with pytest.raises(InvalidSecretError):
        sign(MSG_ID, NOW, PAYLOAD, [secret])
    with pytest.raises(InvalidSecretError):
        verify(_headers(MSG_ID, NOW, "v1,AAAA"), PAYLOAD, secret, now=NOW)


def test_sign_rejects_bad_arguments() -> None:
    secret = generate_secret()
    with pytest.raises(TypeError):
        sign(MSG_ID, NOW, PAYLOAD, secret)
    with pytest.raises(ValueError):
        sign(MSG_ID, NOW, PAYLOAD, [])
    with pytest.raises(ValueError):
        sign("msg.with.dots", NOW, PAYLOAD, [secret])
    with pytest.raises(ValueError):
        sign(MSG_ID, -1, PAYLOAD, [secret])


@settings(max_examples=200, deadline=None)
@given(
    msg_id=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=64
    ),
    ts=st.integers(min_value=0, max_value=4_000_000_000),
    payload=st.binary(max_size=2048),
    key=st.binary(min_size=24, max_size=64),
    flip=st.integers(min_value=0),
)
def test_property_round_trip_and_tamper(msg_id: str, ts: int, payload: bytes, key: bytes, flip: int) -> None:
    secret = "whsec_" + base64.b64encode(key).decode()
    headers = signature_headers(msg_id, payload, [secret], timestamp=ts)
    verify(headers, payload, secret, now=ts)
    if payload:
        tampered = bytearray(payload)
        tampered[flip % len(payload)] ^= 0x01
        with pytest.raises(InvalidSignatureError):
            verify(headers, bytes(tampered), secret, now=ts)
