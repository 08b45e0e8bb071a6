from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shortlist.platform import safehttp
from shortlist.platform.safehttp import (
    EgressBlocked,
    EgressError,
    EgressPolicy,
    EgressResponseTooLarge,
    EgressTimeout,
    check_address,
    resolve_target,
    safe_post,
)

from .httpserver import LocalServer

LOOPBACK = ("127.0.0.1/32",)


class FakeResolver:
    """Stands in for DNS (unreachable here): fixed answers per name, and a count of lookups."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append((host, port))
        if host not in self.answers:
            raise OSError(f"no such host {host}")
        return self.answers[host]


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, instead of sending traffic anywhere, if a request that must be blocked gets to connecting."""

    async def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a blocked request reached the connection stage")

    monkeypatch.setattr(safehttp, "_exchange", refuse)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    yield srv
    srv.stop()


def local_policy(**overrides: object) -> EgressPolicy:
    options: dict[str, object] = {
        "allow_http": True,
        "allowed_ports": None,
        "allow_networks": LOOPBACK,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
    }
    options.update(overrides)
    return EgressPolicy(**options)  # type: ignore[arg-type]


# --- delivery to a real local server -----------------------------------------------------------------------


async def test_delivery_when_loopback_allow_listed(server: LocalServer) -> None:
    before = len(server.state.requests)
    response = await safe_post(
        f"http://127.0.0.1:{server.port}/ok?x=1",
        b'{"event":"resume.rendered"}',
        {"content-type": "application/json", "webhook-id": "msg_1"},
        policy=local_policy(),
    )
    assert response.status == 200
    assert response.is_success
    assert response.body == b'echo:{"event":"resume.rendered"}'
    assert response.headers["x-reply"] == "yes"
    assert not response.truncated
    assert response.address == "127.0.0.1"
    assert 0 < response.elapsed < 5
    seen = server.state.requests[before]
    assert seen.path == "/ok?x=1"
    assert seen.headers["webhook-id"] == "msg_1"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert seen.headers["accept-encoding"] == "identity"
    assert seen.headers["user-agent"].startswith("Shortlist-Webhooks")


async def test_loopback_blocked_without_allow_list(server: LocalServer) -> None:
    before = len(server.state.requests)
    with pytest.raises(EgressBlocked, match="loopback"):
        await safe_post(f"http://127.0.0.1:{server.port}/ok", b"x", policy=local_policy(allow_networks=()))
    assert len(server.state.requests) == before


async def test_named_host_connects_to_the_resolved_ip_and_keeps_host(server: LocalServer) -> None:
    resolver = FakeResolver({"hooks.customer.test": ["127.0.0.1"]})
    before = len(server.state.requests)
    response = await safe_post(
        f"http://hooks.customer.test:{server.port}/ok",
        b"hi",
        # The caller cannot override these; its own User-Agent replaces the default rather than adding one.
        {"Host": "evil.internal", "Content-Length": "999", "User-Agent": "custom/1"},
        policy=local_policy(resolver=resolver),
    )
    assert response.status == 200
    assert resolver.calls == [("hooks.customer.test", server.port)]  # resolved exactly once
    seen = server.state.requests[before]
    assert seen.headers["host"] == f"hooks.customer.test:{server.port}"
    assert seen.body == b"hi"
    assert [v for k, v in seen.raw_headers if k == "user-agent"] == ["custom/1"]
    assert [v for k, v in seen.raw_headers if k == "host"] == [f"hooks.customer.test:{server.port}"]


async def test_real_getaddrinfo_localhost_is_blocked(server: LocalServer) -> None:
    with pytest.raises(EgressBlocked, match="loopback"):
        await safe_post(f"http://localhost:{server.port}/ok", b"x", policy=local_policy(allow_networks=()))


async def test_allow_hosts_exempts_a_name(server: LocalServer) -> None:
    resolver = FakeResolver({"internal.receiver.test": ["127.0.0.1"]})
    policy = local_policy(
        allow_networks=(), allow_hosts=frozenset({"Internal.Receiver.Test."}), resolver=resolver
    )
    response = await safe_post(f"http://internal.receiver.test:{server.port}/ok", b"x", policy=policy)
    assert response.status == 200


async def test_next_address_tried_when_connect_fails(server: LocalServer) -> None:
    # The server listens on 127.0.0.1 only: ::1 refuses the connection, then the next checked address is used.
    resolver = FakeResolver({"multi.test": ["::1", "127.0.0.1"]})
    policy = local_policy(allow_networks=("127.0.0.1/32", "::1/128"), resolver=resolver)
    response = await safe_post(f"http://multi.test:{server.port}/ok", b"x", policy=policy)
    assert response.status == 200
    assert response.address == "127.0.0.1"


async def test_connection_refused_is_egress_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EgressError, match="cannot connect"):
        await safe_post(f"http://127.0.0.1:{port}/ok", b"x", policy=local_policy())


async def test_redirect_is_returned_not_followed(server: LocalServer) -> None:
    before = len(server.state.requests)
    response = await safe_post(f"http://127.0.0.1:{server.port}/redirect", b"x", policy=local_policy())
    assert response.status == 302
    assert response.headers["location"] == "/ok"
    assert not response.is_success
    assert len(server.state.requests) == before + 1


async def test_oversized_response_truncated(server: LocalServer) -> None:
    response = await safe_post(
        f"http://127.0.0.1:{server.port}/big", b"x", policy=local_policy(max_response_bytes=1000)
    )
    assert response.status == 200
    assert response.body == b"x" * 1000
    assert response.truncated


async def test_oversized_response_raises_when_asked(server: LocalServer) -> None:
    with pytest.raises(EgressResponseTooLarge):
        await safe_post(
            f"http://127.0.0.1:{server.port}/big",
            b"x",
            policy=local_policy(max_response_bytes=1000, truncate_response=False),
        )


async def test_response_body_not_decompressed(server: LocalServer) -> None:
    response = await safe_post(f"http://127.0.0.1:{server.port}/gzip", b"x", policy=local_policy())
    assert response.body == b"\x1f\x8bnot-really-gzip"


async def test_request_body_cap(server: LocalServer) -> None:
    before = len(server.state.requests)
    with pytest.raises(EgressBlocked, match="request body"):
        await safe_post(
            f"http://127.0.0.1:{server.port}/ok", b"x" * 101, policy=local_policy(max_request_bytes=100)
        )
    assert len(server.state.requests) == before


async def test_slow_server_read_timeout(server: LocalServer) -> None:
    with pytest.raises(EgressTimeout):
        await safe_post(f"http://127.0.0.1:{server.port}/slow", b"x", policy=local_policy(read_timeout=0.3))


async def test_total_timeout_caps_trickling_response(server: LocalServer) -> None:
    with pytest.raises(EgressTimeout, match="within"):
        await safe_post(
            f"http://127.0.0.1:{server.port}/trickle",
            b"x",
            policy=local_policy(read_timeout=1.0, total_timeout=0.5),
        )


async def test_production_policy_refuses_plain_http(server: LocalServer) -> None:
    with pytest.raises(EgressBlocked, match="scheme"):
        await safe_post(f"http://127.0.0.1:{server.port}/ok", b"x", policy=EgressPolicy())


# --- TLS: pinned IP, SNI and certificate checked against the name -------------------------------------------


def _write_certs(directory: Path, names: list[str]) -> tuple[Path, Path, str]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path = directory / "leaf.pem"
    key_path = directory / "leaf.key"
    cert_path.write_bytes(leaf_cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path, ca_cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalServer, str]]:
    cert, key, ca_pem = _write_certs(tmp_path_factory.mktemp("tls"), ["hooks.customer.test"])
    srv = LocalServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def remember_sni(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, ctx: ssl.SSLContext) -> None:
        srv.state.sni.append(name)

    context.sni_callback = remember_sni
    srv.httpd.socket = context.wrap_socket(srv.httpd.socket, server_side=True)
    srv.start()
    yield srv, ca_pem
    srv.stop()


async def test_https_pins_ip_and_verifies_certificate_for_the_name(
    tls_server: tuple[LocalServer, str],
) -> None:
    srv, ca_pem = tls_server
    resolver = FakeResolver({"hooks.customer.test": ["127.0.0.1"]})
    policy = local_policy(resolver=resolver, ssl_context=ssl.create_default_context(cadata=ca_pem))
    before = len(srv.state.requests)
    response = await safe_post(f"https://hooks.customer.test:{srv.port}/ok", b"tls", policy=policy)
    assert response.status == 200
    assert response.body == b"echo:tls"
    assert srv.state.sni[-1] == "hooks.customer.test"
    assert srv.state.requests[before].headers["host"] == f"hooks.customer.test:{srv.port}"
    assert len(resolver.calls) == 1


async def test_https_certificate_for_another_name_rejected(tls_server: tuple[LocalServer, str]) -> None:
    srv, ca_pem = tls_server
    # The attacker's name points at a server whose certificate is valid, but for a different host.
    resolver = FakeResolver({"attacker.test": ["127.0.0.1"]})
    policy = local_policy(resolver=resolver, ssl_context=ssl.create_default_context(cadata=ca_pem))
    with pytest.raises(EgressError, match=r"(?i)certificate|hostname"):
        await safe_post(f"https://attacker.test:{srv.port}/ok", b"x", policy=policy)


async def test_https_untrusted_certificate_rejected(tls_server: tuple[LocalServer, str]) -> None:
    srv, _ = tls_server
    resolver = FakeResolver({"hooks.customer.test": ["127.0.0.1"]})
    with pytest.raises(EgressError, match=r"(?i)certificate"):
        await safe_post(
            f"https://hooks.customer.test:{srv.port}/ok", b"x", policy=local_policy(resolver=resolver)
        )


# --- blocked destinations (no connection is ever attempted) -----------------------------------------------

BLOCKED_URLS = [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.255.255.254/", "loopback"),
    ("http://2130706433/", "loopback"),  # decimal
    ("http://0x7f.1/", "loopback"),  # hex + short form
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback|Invalid IPv4"),  # octal; httpx itself refuses the leading zero
    ("http://127.1/", "loopback"),
    ("http://127.0.0.1./", "loopback"),  # trailing dot
    ("http://127。0。0。1/", "loopback"),  # ideographic full stops, mapped by IDNA
    ("http://[::1]/", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[::127.0.0.1]/", "IPv4-compatible"),
    ("http://[::10.1.2.3]/", "IPv4-compatible"),
    ("http://[::ffff:0:7f00:1]/", "IPv4-translated 127.0.0.1"),
    ("http://[::ffff:0:a9fe:a9fe]/", "IPv4-translated 169.254.169.254"),
    ("http://[3fff::1]/", "documentation"),
    ("http://[5f00::1]/", "global unicast"),
    ("http://[4000::1]/", "global unicast"),
    ("http://[2001:2::1]/", "not globally routable"),
    ("http://169.254.169.254/", "link-local"),
    ("http://169.254.170.2/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fe80::a9fe:a9fe]/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("http://10.255.255.255/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://172.31.255.255/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://100.127.255.254/", "carrier-grade NAT"),
    ("http://[fc00::1]/", "unique local"),
    ("http://[fd12:3456:789a::1]/", "unique local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://239.255.255.250/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://0.1.2.3/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://255.255.255.255/", "broadcast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://192.0.2.10/", "documentation"),
    ("http://198.18.0.1/", "benchmarking"),
    ("http://192.0.0.8/", "IETF"),
    ("http://[2001:db8::1]/", "documentation"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 127.0.0.1"),
    ("http://[64:ff9b::a00:1]/", "NAT64 10.0.0.1"),
    ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 169.254.169.254"),
    ("http://[64:ff9b:1::1]/", "local-use NAT64"),
    ("http://[2002:7f00:1::]/", "6to4 127.0.0.1"),
    ("http://[2002:a9fe:a9fe::1]/", "6to4 169.254.169.254"),
    ("http://[2002:c0a8:101::]/", "6to4 192.168.1.1"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[100::1]/", "discard"),
]


@pytest.mark.parametrize(("url", "reason"), BLOCKED_URLS, ids=[u for u, _ in BLOCKED_URLS])
async def test_blocked_ranges(url: str, reason: str, no_connect: None) -> None:
    resolver = FakeResolver({})
    policy = EgressPolicy(allow_http=True, allowed_ports=None, resolver=resolver)
    with pytest.raises(EgressBlocked, match=reason):
        await safe_post(url, b"x", policy=policy)
    assert resolver.calls == []  # IP literals are never sent to DNS


BAD_URLS = [
    ("http://user:pass@example.com/", "credentials"),
    ("http://user@example.com/", "credentials"),
    ("https://example.com:22/", "port 22"),
    ("https://example.com:6379/", "port 6379"),
    ("ftp://example.com/", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("gopher://example.com/", "scheme"),
    ("example.com/hook", "scheme"),
    ("http:///path-only", "no host"),
    ("http://１２７.０.０.１/", "invalid URL"),  # fullwidth digits: refused by IDNA
    ("http://ⓛocalhost/", "invalid URL"),
    ("http://[fe80::1%25eth0]/", "zone"),
    ("http://1.2.3.4.5/", "ambiguous numeric"),
    ("http://foo.0x10/", "ambiguous numeric"),
    ("http://a..b/", "invalid host"),
    ("http://-bad.example/", "invalid host"),
    ("http://exa mple.com/", "percent-encoded"),
    ("http://" + "a" * 2100 + ".com/", "too long"),
]


@pytest.mark.parametrize(("url", "reason"), BAD_URLS, ids=[u[:40] for u, _ in BAD_URLS])
async def test_bad_urls_refused(url: str, reason: str, no_connect: None) -> None:
    resolver = FakeResolver({"example.com": ["93.184.215.14"]})
    with pytest.raises(EgressBlocked, match=reason):
        await safe_post(url, b"x", policy=EgressPolicy(allow_http=True, resolver=resolver))


# --- resolution: every address is checked -------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        ["93.184.215.14", "10.0.0.5"],
        ["10.0.0.5", "93.184.215.14"],
        ["93.184.215.14", "169.254.169.254"],
        ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"],
        ["93.184.215.14", "::ffff:127.0.0.1"],
        ["93.184.215.14", "fe80::1%2"],
    ],
)
async def test_any_private_answer_blocks(answers: list[str], no_connect: None) -> None:
    resolver = FakeResolver({"mixed.example": answers})
    with pytest.raises(EgressBlocked, match=r"mixed\.example resolves to"):
        await safe_post("https://mixed.example/hook", b"x", policy=EgressPolicy(resolver=resolver))
    assert len(resolver.calls) == 1


async def test_public_answers_pass_checks() -> None:
    resolver = FakeResolver(
        {"public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "93.184.215.14"]}
    )
    target = await resolve_target("https://public.example/hook?a=b", EgressPolicy(resolver=resolver))
    assert [str(a) for a in target.addresses] == ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    assert target.host == "public.example"
    assert target.host_header == "public.example"
    assert target.port == 443


async def test_idn_host_resolved_as_punycode() -> None:
    resolver = FakeResolver({"xn--bcher-kva.example": ["93.184.215.14"]})
    target = await resolve_target("https://Bücher.example:8443/x", EgressPolicy(resolver=resolver))
    assert resolver.calls == [("xn--bcher-kva.example", 8443)]
    assert target.host_header == "xn--bcher-kva.example:8443"


async def test_idn_host_resolving_private_is_blocked(no_connect: None) -> None:
    resolver = FakeResolver({"xn--bcher-kva.example": ["192.168.0.10"]})
    with pytest.raises(EgressBlocked, match="private"):
        await safe_post("https://bücher.example/x", b"x", policy=EgressPolicy(resolver=resolver))


async def test_unresolvable_host_is_egress_error(no_connect: None) -> None:
    with pytest.raises(EgressError, match="cannot resolve"):
        await safe_post("https://nowhere.example/", b"x", policy=EgressPolicy(resolver=FakeResolver({})))


async def test_garbage_resolver_answer_blocked(no_connect: None) -> None:
    resolver = FakeResolver({"odd.example": ["not-an-ip"]})
    with pytest.raises(EgressBlocked, match="unparsable"):
        await safe_post("https://odd.example/", b"x", policy=EgressPolicy(resolver=resolver))


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "2606:4700:4700::1111",
        "64:ff9b::808:808",  # NAT64 of a public v4
        "2002:808:808::1",  # 6to4 of a public v4
        "::ffff:8.8.8.8",
    ],
)
def test_public_addresses_allowed(address: str) -> None:
    assert check_address(ipaddress.ip_address(address), EgressPolicy()) is None


def test_allow_networks_exempts_only_listed_ranges() -> None:
    policy = EgressPolicy(allow_networks=("10.1.0.0/16", "fd00::/64"))
    assert check_address(ipaddress.ip_address("10.1.2.3"), policy) is None
    assert check_address(ipaddress.ip_address("fd00::5"), policy) is None
    assert check_address(ipaddress.ip_address("10.2.0.1"), policy) == "private network"
    assert check_address(ipaddress.ip_address("127.0.0.1"), policy) == "loopback"


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        EgressPolicy(total_timeout=0)
    with pytest.raises(ValueError):
        EgressPolicy(allow_networks=("not-a-network",))
    assert EgressPolicy().schemes == frozenset({"https"})
    assert EgressPolicy(allow_http=True).schemes == frozenset({"https", "http"})
