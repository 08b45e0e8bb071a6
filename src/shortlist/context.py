"""Everything a request may need, built once in the lifespan and typed (no globals, no import-time I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from shortlist.auth.passwords import PasswordHasher
from shortlist.auth.tokens import AccessTokenCodec
from shortlist.config import Settings
from shortlist.kit.pagination import CursorCodec
from shortlist.platform.db import Database
from shortlist.platform.email import Mailer
from shortlist.platform.pubsub import PubSub
from shortlist.platform.queue import JobQueue
from shortlist.platform.ratelimit import RateLimiter


@dataclass(frozen=True)
class SecretKeys:
    refresh_tokens: bytes
    api_keys: bytes
    action_tokens: bytes
    sealing: bytes


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
    # Publishes job ids after commit; in the embedded mode the same queue feeds the in-process worker.
    queue: JobQueue
    # Live updates (job progress, domain events) to SSE and WebSocket clients on any instance.
    pubsub: PubSub


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context
