"""The egress policy for webhook delivery, and the URL check run when an endpoint is saved."""

from __future__ import annotations

from shortlist.config import Environment, Settings
from shortlist.platform.safehttp import EgressBlocked, EgressError, EgressPolicy, resolve_target


def egress_policy(settings: Settings) -> EgressPolicy:
    """HTTPS only in production; allow-listed hosts are the only way to reach loopback or private ranges."""
    timeout = settings.webhook_timeout_seconds
    production = settings.environment is Environment.production
    return EgressPolicy(
        allow_http=not production,
        allow_hosts=frozenset(settings.webhook_allow_hosts),
        # Standard web ports in production; a development receiver may listen anywhere.
        allowed_ports=frozenset({80, 443, 8080, 8443}) if production else None,
        connect_timeout=min(5.0, timeout),
        read_timeout=timeout,
        write_timeout=timeout,
        total_timeout=timeout + 5.0,
        max_response_bytes=16 * 1024,
        user_agent="Shortlist-Webhooks/1",
    )


async def url_problem(url: str, policy: EgressPolicy) -> str | None:
    """Why ``url`` cannot be a webhook endpoint, or None. Resolves the host once, like a delivery would."""
    try:
        await resolve_target(url, policy)
    except EgressBlocked as exc:
        return exc.reason
    except EgressError as exc:
        return str(exc)
    return None
