"""Redis over TLS with verification, against a redis-server started here with a certificate from a CA made
here: the cache, the rate limiter and the pub/sub channel all connect with `rediss://…?ssl_ca_certs=…`, and
refuse a server their CA did not sign."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shortlist.platform.cache import CacheUnavailable, cache_from_url
from shortlist.platform.pubsub import create_pubsub
from shortlist.platform.ratelimit import RateLimiter
from tests.support import free_port

REDIS_SERVER = shutil.which("redis-server")


def _write_pem(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _authority(directory: Path, name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    return key, certificate, _write_pem(directory / f"{name}.pem", pem)


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    """(port, our CA's file, another CA's file) of a TLS-only redis-server on 127.0.0.1."""
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server")
    directory = tmp_path_factory.mktemp("redis-tls")
    ca_key, ca_certificate, ca_file = _authority(directory, "internal-ca")
    _, _, other_ca_file = _authority(directory, "other-ca")
    server_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    server_certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "redis")]))
        .issuer_name(ca_certificate.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_file = _write_pem(
        directory / "server.pem", server_certificate.public_bytes(serialization.Encoding.PEM)
    )
    key_file = _write_pem(
        directory / "server.key",
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port", "0",
            "--bind", "127.0.0.1",
            "--tls-port", str(port),
            "--tls-cert-file", str(cert_file),
            "--tls-key-file", str(key_file),
            "--tls-ca-cert-file", str(ca_file),
            "--tls-auth-clients", "no",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                pytest.fail("redis-server did not start: " + process.communicate()[1].decode()[-2000:])
            time.sleep(0.05)
        yield port, ca_file, other_ca_file
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_every_redis_client_connects_over_verified_tls(tls_redis: tuple[int, Path, Path]) -> None:
    port, ca_file, _ = tls_redis
    url = f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={ca_file}"
    cache = cache_from_url(url)
    try:
        await cache.ping()
        await cache.set("tls:probe", b"over tls", 30)
        assert await cache.get("tls:probe") == b"over tls"
    finally:
        await cache.close()
    limiter = RateLimiter(url)
    first = await limiter.hit("tls", "2/minute", "someone")
    second = await limiter.hit("tls", "2/minute", "someone")
    third = await limiter.hit("tls", "2/minute", "someone")
    assert first.allowed and second.allowed and not third.allowed  # the counter lives in the TLS Redis
    pubsub = create_pubsub(url)
    try:
        async with pubsub.subscribe("tls-channel") as subscription:
            await pubsub.publish("tls-channel", {"hello": "tls"})
            assert await asyncio.wait_for(subscription.queue.get(), 5) == {"hello": "tls"}
    finally:
        await pubsub.close()


def _causes(error: BaseException | None) -> str:
    """Every message down the exception chain, lower-cased: the TLS failure sits under the adapter's error."""
    seen: list[str] = []
    while error is not None and len(seen) < 10:
        seen.append(f"{type(error).__name__}: {error}")
        error = error.__cause__ or error.__context__
    return " | ".join(seen).lower()


@pytest.mark.parametrize("trust", ["other-ca", "system", "wrong-name"])
async def test_a_server_our_ca_did_not_sign_is_refused(tls_redis: tuple[int, Path, Path], trust: str) -> None:
    port, ca_file, other_ca_file = tls_redis
    host, query = "127.0.0.1", f"?ssl_ca_certs={other_ca_file}"
    if trust == "system":
        query = ""
    elif trust == "wrong-name":
        # Our CA signed it, but for 127.0.0.1 only: the name we dial must be in the certificate.
        host, query = "localhost", f"?ssl_ca_certs={ca_file}"
    cache = cache_from_url(f"rediss://{host}:{port}/0{query}")
    try:
        with pytest.raises(CacheUnavailable) as refused:
            await cache.ping()
        assert "certificate" in _causes(refused.value), _causes(refused.value)
    finally:
        await cache.close()
