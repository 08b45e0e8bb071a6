"""Outbound HTTP to user-supplied URLs (webhook delivery) without server-side request forgery.

How a request is made safe:

1. The URL is parsed once with httpx's parser (the same one that builds the request), then checked: scheme,
   no credentials, port in an allowed set, host normalised (IDNA to punycode; legacy IPv4 spellings such as
   ``2130706433`` or ``0x7f.1`` converted to the address they mean).
2. The host is resolved **once**. Every resolved address is checked against the blocked ranges (loopback,
   private, link-local/cloud metadata, CGNAT, ULA, multicast, reserved, ...), and for IPv6 forms that embed an
   IPv4 address (mapped, compatible, NAT64, 6to4) the embedded address is checked too. One bad address
   blocks the request: an attacker controls the whole answer, not just its first entry.
3. The connection goes to the checked IP itself: the request URL carries the IP, the ``Host`` header keeps the
   original name, and for HTTPS the ``sni_hostname`` request extension makes httpcore send the name as SNI
   *and verify the certificate against it* (it is passed as ``server_hostname`` to ``ssl.wrap``). There is
   no second DNS lookup, so DNS rebinding between check and connect is impossible.
4. No redirects are followed, environment proxies are ignored (``trust_env=False``), the response body is read
   raw (``Accept-Encoding: identity``, no decompression bombs) and capped while streaming, and the whole
   exchange runs under a total deadline on top of httpx's connect/read/write timeouts.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import certifi
import httpx

__all__ = [
    "EgressBlocked",
    "EgressError",
    "EgressPolicy",
    "EgressResponseTooLarge",
    "EgressTimeout",
    "Resolver",
    "SafeResponse",
    "Target",
    "check_address",
    "resolve_target",
    "safe_post",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Takes (host, port), returns the addresses as strings. The only seam for tests: public DNS is out of reach.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]


class EgressError(Exception):
    """The outbound request failed (connection refused, TLS failure, protocol error, ...)."""


class EgressBlocked(EgressError):
    """The policy refused the request before anything was sent; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EgressTimeout(EgressError):
    """A connect, read, write or total deadline passed."""


class EgressResponseTooLarge(EgressError):
    """The response body passed ``max_response_bytes`` and the policy asks to fail rather than truncate."""


# --- address checks ----------------------------------------------------------------------------------------


def _nets(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


# Ordered: the first match names the reason. Anything not listed still has to be ``is_global``.
_BLOCKED_V4: Final[tuple[tuple[IPNetwork, str], ...]] = tuple(
    (net, reason)
    for cidrs, reason in (
        (("255.255.255.255/32",), "broadcast"),
        (("0.0.0.0/8",), "unspecified / this network"),
        (("127.0.0.0/8",), "loopback"),
        (("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), "private network"),
        (("169.254.0.0/16",), "link-local (cloud metadata)"),
        (("100.64.0.0/10",), "carrier-grade NAT"),
        (("192.0.0.0/24",), "IETF protocol assignments"),
        (("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"), "documentation"),
        (("192.88.99.0/24",), "6to4 relay anycast"),
        (("198.18.0.0/15",), "benchmarking"),
        (("224.0.0.0/4",), "multicast"),
        (("240.0.0.0/4",), "reserved"),
    )
    for net in _nets(*cidrs)
)
_BLOCKED_V6: Final[tuple[tuple[IPNetwork, str], ...]] = tuple(
    (net, reason)
    for cidrs, reason in (
        (("::/128",), "unspecified"),
        (("::1/128",), "loopback"),
        (("64:ff9b:1::/48",), "local-use NAT64"),
        (("100::/64",), "discard-only"),
        (("2001::/32",), "Teredo tunnel"),
        (("2001:db8::/32", "3fff::/20"), "documentation"),
        (("fc00::/7",), "unique local address"),
        (("fe80::/10",), "link-local"),
        (("fec0::/10",), "site-local"),
        (("ff00::/8",), "multicast"),
    )
    for net in _nets(*cidrs)
)
_V4_COMPATIBLE: Final = ipaddress.ip_network("::/96")
_V4_TRANSLATED: Final = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")
_GLOBAL_UNICAST_V6: Final = ipaddress.ip_network("2000::/3")


def _embedded_v4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 form carries, if any: traffic to it may end up at that v4 host."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip in _V4_TRANSLATED:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-translated"
    if ip in _V4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-compatible"
    return None


def _blocked_reason(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv4Address):
        for net, reason in _BLOCKED_V4:
            if ip in net:
                return reason
        return None if ip.is_global else "not globally routable"
    for net, reason in _BLOCKED_V6:
        if ip in net:
            return reason
    embedded = _embedded_v4(ip)
    if embedded is not None:
        v4, kind = embedded
        inner = _blocked_reason(v4)
        # The v6 wrapper itself counts as routable only through the embedded v4 verdict.
        return f"{kind} {v4}: {inner}" if inner else None
    if ip not in _GLOBAL_UNICAST_V6:
        # Only 2000::/3 is allocated for public unicast; default-deny the rest of the space.
        return "outside IPv6 global unicast (2000::/3)"
    return None if ip.is_global else "not globally routable"


def check_address(ip: IPAddress, policy: EgressPolicy) -> str | None:
    """Why ``ip`` may not be contacted under ``policy``, or None when it may."""
    if policy.is_allowed_network(ip):
        return None
    return _blocked_reason(ip)


# --- URL checks --------------------------------------------------------------------------------------------

_LABEL_RE: Final = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_LEGACY_PART_RE: Final = re.compile(r"0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse the forms inet_aton accepts (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``).

    getaddrinfo would quietly turn these into addresses, so they are recognised here and checked as IPs.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_LEGACY_PART_RE.fullmatch(p) for p in parts):
        return None
    numbers = []
    for part in parts:
        if part.startswith("0x"):
            numbers.append(int(part[2:] or "0", 16))
        elif part.startswith("0") and len(part) > 1:
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    # All but the last part are single bytes; the last fills the rest (a.b.c.d, a.b.cd, a.bcd, abcd).
    *head, last = numbers
    if any(n > 0xFF for n in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    value = last
    for i, n in enumerate(head):
        value |= n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


@dataclass(frozen=True, slots=True)
class Target:
    """A checked destination: where to connect (``addresses``) and what to call it (``host``)."""

    url: httpx.URL
    scheme: str
    host: str  # ASCII (punycode) name, or the normalised IP text for IP literals
    port: int
    addresses: tuple[IPAddress, ...]
    is_ip_literal: bool

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == _DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


def _parse(url: str, policy: EgressPolicy) -> tuple[httpx.URL, str, int, IPAddress | None]:
    if len(url) > policy.max_url_length:
        raise EgressBlocked("URL too long")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        # httpx rejects invalid IDNA names (e.g. fullwidth digits that would map to an IP) here.
        raise EgressBlocked(f"invalid URL: {exc}") from exc
    scheme = parsed.scheme.lower()
    if scheme not in policy.schemes:
        raise EgressBlocked(f"scheme {scheme or '(none)'!r} not allowed")
    if parsed.userinfo:
        raise EgressBlocked("credentials in URL not allowed")
    try:
        host = parsed.raw_host.decode("ascii").lower()
    except UnicodeDecodeError as exc:
        raise EgressBlocked("host is not ASCII after IDNA encoding") from exc
    host = host.removesuffix(".")
    if not host:
        raise EgressBlocked("URL has no host")
    if "%" in host:
        raise EgressBlocked("percent-encoded host or IPv6 zone identifier not allowed")
    port = parsed.port if parsed.port is not None else _DEFAULT_PORTS[scheme]
    if policy.allowed_ports is not None and port not in policy.allowed_ports:
        raise EgressBlocked(f"port {port} not allowed")

    literal: IPAddress | None
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = _legacy_ipv4(host)
    if literal is None:
        labels = host.split(".")
        if len(host) > 253 or not all(_LABEL_RE.fullmatch(label) for label in labels):
            raise EgressBlocked("invalid host name")
        if labels[-1].isdigit() or labels[-1].startswith("0x"):
            # No top-level domain is numeric: this is an address spelling we do not recognise, refuse it.
            raise EgressBlocked("ambiguous numeric host")
    return parsed, host, port, literal


async def _system_resolver(host: str, port: int) -> Sequence[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return [str(info[4][0]) for info in infos]


async def resolve_target(url: str, policy: EgressPolicy) -> Target:
    """Parse, resolve once and check ``url``; raises EgressBlocked. Connects to nothing."""
    parsed, host, port, literal = _parse(url, policy)
    if literal is not None:
        raw_addresses: Sequence[str] = [str(literal)]
        host = str(literal)
    else:
        resolver = policy.resolver or _system_resolver
        try:
            raw_addresses = await resolver(host, port)
        except OSError as exc:
            raise EgressError(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for raw in raw_addresses:
        try:
            ip = ipaddress.ip_address(raw.split("%", 1)[0])
        except ValueError as exc:
            raise EgressBlocked(f"{host} resolved to an unparsable address {raw!r}") from exc
        # Treat a v6-mapped address as the v4 host it is: one set of checks, and we connect over v4.
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        reason = check_address(ip, policy)
        if reason is not None and host not in policy.allow_hosts:
            raise EgressBlocked(f"{host} resolves to {ip}: {reason}")
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise EgressError(f"cannot resolve {host}: no addresses")
    return Target(parsed, parsed.scheme.lower(), host, port, tuple(addresses), literal is not None)


# --- policy and request ------------------------------------------------------------------------------------


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Built once: loading the CA bundle costs milliseconds per context.
    return ssl.create_default_context(cafile=certifi.where())


@dataclass(frozen=True, slots=True)
class EgressPolicy:
    """What outbound requests may do. Defaults are for production: HTTPS only, standard ports, tight caps."""

    allow_http: bool = False
    allowed_ports: frozenset[int] | None = frozenset({80, 443, 8080, 8443})
    # Exemptions from the blocked ranges, e.g. an internal receiver the operator trusts, or loopback in tests.
    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[str, ...] = ()
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    write_timeout: float = 15.0
    total_timeout: float = 30.0
    max_request_bytes: int = 1024 * 1024
    max_response_bytes: int = 64 * 1024
    truncate_response: bool = True
    max_url_length: int = 2048
    user_agent: str = "Shortlist-Webhooks/1"
    resolver: Resolver | None = None
    ssl_context: ssl.SSLContext | None = None
    _networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        networks = tuple(ipaddress.ip_network(n, strict=False) for n in self.allow_networks)
        object.__setattr__(self, "_networks", networks)
        object.__setattr__(
            self, "allow_hosts", frozenset(h.lower().removesuffix(".") for h in self.allow_hosts)
        )
        if min(self.connect_timeout, self.read_timeout, self.write_timeout, self.total_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_request_bytes < 0 or self.max_response_bytes < 0:
            raise ValueError("size caps must not be negative")

    @property
    def schemes(self) -> frozenset[str]:
        return frozenset({"https", "http"}) if self.allow_http else frozenset({"https"})

    def is_allowed_network(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self._networks)


@dataclass(frozen=True, slots=True)
class SafeResponse:
    status: int
    headers: Mapping[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes  # at most policy.max_response_bytes, raw (not decompressed)
    truncated: bool
    elapsed: float  # seconds, whole exchange including resolution
    address: str  # the IP actually contacted

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


# Headers the caller may not set: they would contradict the pinned connection or the body we send.
_RESERVED_HEADERS: Final = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "upgrade", "te"}
)


async def _exchange(
    client: httpx.AsyncClient,
    target: Target,
    ip: IPAddress,
    body: bytes,
    headers: dict[str, str],
    policy: EgressPolicy,
) -> tuple[int, dict[str, str], bytes, bool]:
    request_url = target.url.copy_with(host=str(ip))
    extensions = {}
    if target.scheme == "https" and not target.is_ip_literal:
        extensions["sni_hostname"] = target.host
    async with client.stream(
        "POST", request_url, content=body, headers=headers, extensions=extensions
    ) as response:
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in response.aiter_raw():
            room = policy.max_response_bytes - size
            if len(chunk) > room:
                if not policy.truncate_response:
                    raise EgressResponseTooLarge(f"response exceeds {policy.max_response_bytes} bytes")
                chunks.append(chunk[:room])
                truncated = True
                break  # leaving the block closes the connection; the rest is never read
            chunks.append(chunk)
            size += len(chunk)
        merged: dict[str, str] = {}
        for name, value in response.headers.multi_items():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return response.status_code, merged, b"".join(chunks), truncated


async def safe_post(
    url: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    policy: EgressPolicy,
) -> SafeResponse:
    """POST ``body`` to a user-supplied ``url`` under ``policy``. A 3xx is returned as is, never followed.

    Raises EgressBlocked (nothing was sent), EgressTimeout, EgressResponseTooLarge or EgressError.
    """
    if len(body) > policy.max_request_bytes:
        raise EgressBlocked(f"request body exceeds {policy.max_request_bytes} bytes")
    started = time.monotonic()
    # Lower-cased so a caller's "User-Agent" replaces our default instead of being sent alongside it.
    send_headers = {k.lower(): v for k, v in (headers or {}).items() if k.lower() not in _RESERVED_HEADERS}
    send_headers.setdefault("user-agent", policy.user_agent)
    send_headers["accept-encoding"] = "identity"

    timeout = httpx.Timeout(
        connect=policy.connect_timeout,
        read=policy.read_timeout,
        write=policy.write_timeout,
        pool=policy.connect_timeout,
    )
    try:
        async with asyncio.timeout(policy.total_timeout):
            target = await resolve_target(url, policy)
            send_headers["host"] = target.host_header
            async with httpx.AsyncClient(
                verify=policy.ssl_context or _default_ssl_context(),
                trust_env=False,  # an environment proxy would resolve the name again, defeating the pin
                follow_redirects=False,
                timeout=timeout,
            ) as client:
                last_error: Exception | None = None
                for ip in target.addresses:
                    try:
                        status, response_headers, data, truncated = await _exchange(
                            client, target, ip, body, send_headers, policy
                        )
                    except httpx.ConnectError as exc:
                        # Nothing was sent yet, so trying the next checked address is safe for a POST.
                        last_error = exc
                        continue
                    return SafeResponse(
                        status=status,
                        headers=response_headers,
                        body=data,
                        truncated=truncated,
                        elapsed=time.monotonic() - started,
                        address=str(ip),
                    )
                raise EgressError(f"cannot connect to {target.host}: {last_error}") from last_error
    except TimeoutError as exc:
        raise EgressTimeout(f"no complete response within {policy.total_timeout}s") from exc
    except httpx.TimeoutException as exc:
        raise EgressTimeout(f"{type(exc).__name__}: {exc}") from exc
    except httpx.HTTPError as exc:
        raise EgressError(f"{type(exc).__name__}: {exc}") from exc
