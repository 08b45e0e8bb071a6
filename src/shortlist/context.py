"""Everything a request may need, built once in the lifespan and typed (no globals, no import-time I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from shortlist.auth.passwords import PasswordHasher
from shortlist.auth.tokens import AccessTokenCodec
from shortlist.config import Settings
from shortlist.design.renderer import Renderer
from shortlist.kit.pagination import CursorCodec
from shortlist.platform.cache import Cache
from shortlist.platform.db import Database
from shortlist.platform.email import Mailer
from shortlist.platform.pubsub import PubSub
from shortlist.platform.queue import JobQueue
from shortlist.platform.ratelimit import RateLimiter
from shortlist.platform.safehttp import EgressPolicy


@dataclass(frozen=True)
class SecretKeys:
    refresh_tokens: bytes
    api_keys: bytes
    action_tokens: bytes
    sealing: bytes
    share_tokens: bytes
    webhooks: bytes


@dataclass
class AppContext:
    settings: Settings
    database: Database
    tokens: AccessTokenCodec
    passwords: PasswordHasher
    mailer: Mailer
    rate_limiter: RateLimiter
    cursors: CursorCodec
    keys: SecretKeys
    renderer: Renderer
    # Memory by default, Redis when SHORTLIST_REDIS_URL is set (shared by every replica).
    cache: Cache
    # Publishes job ids after commit; in the embedded mode the same queue feeds the in-process worker.
    queue: JobQueue
    # Live updates (job progress, domain events) to SSE and WebSocket clients on any instance.
    pubsub: PubSub
    # Outbound webhook requests; tests swap in a policy with a fake resolver.
    webhook_egress: EgressPolicy = field(default_factory=EgressPolicy)


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def request_state(request: Request) -> dict[str, Any]:
    """The dict behind ``request.state``. Hot paths read it directly: ``getattr(request.state, name,
    default)`` raises and catches two exceptions (Starlette's AttributeError over a KeyError) per name unset."""
    state: dict[str, Any] = request.scope.setdefault("state", {})
    return state


async def request_context(request: Request) -> AppContext:
    """`get_context` as a dependency. It must be `async def`: FastAPI runs a plain `def` dependency in a
    thread pool, which cost about a third of a cached read's CPU time."""
    return get_context(request)
