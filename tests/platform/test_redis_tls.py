"""Redis over TLS with verification, against a redis-server started here with a certificate from a CA made
here: the cache (and its near tier's listener), the rate limiter and the pub/sub channel all connect with
`rediss://…?ssl_ca_certs=…`, and refuse a server their CA did not sign."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shortlist.platform.cache import CacheUnavailable, cache_from_url
from shortlist.platform.near_cache import NearCachedRedis
from shortlist.platform.pubsub import create_pubsub
from shortlist.platform.ratelimit import RateLimiter
from tests.platform.conftest import eventually
from tests.platform.tls import causes, make_authority, make_server_certificate
from tests.support import free_port

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    """(port, our CA's file, another CA's file) of a TLS-only redis-server on 127.0.0.1."""
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server")
    directory = tmp_path_factory.mktemp("redis-tls")
    authority = make_authority(directory, "internal-ca")
    other = make_authority(directory, "other-ca")
    cert_file, key_file = make_server_certificate(directory, authority, "redis")
    ca_file, other_ca_file = authority.file, other.file
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
    cache = cache_from_url(url, near_namespaces=("tls:",), near_ttl=5)
    assert isinstance(cache, NearCachedRedis)
    try:
        await cache.ping()
        await cache.set("tls:probe", b"over tls", 30)
        assert await cache.get("tls:probe") == b"over tls"
        # The near tier's invalidation listener subscribes over the same verified TLS.
        await eventually(lambda: cache.coherent)
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
        assert "certificate" in causes(refused.value), causes(refused.value)
    finally:
        await cache.close()
