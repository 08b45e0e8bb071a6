"""One delivery attempt: claim, sign, send through the SSRF-safe client, record, schedule the next one.

`attempt_delivery` is idempotent: it first claims the delivery with a conditional UPDATE, so calling it for a
delivery that is not due, already being sent or finished does nothing. The embedded loop (`runner.py`) and a
jobs worker call the same function.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
import uuid
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Final, Literal

import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models import WebhookDelivery, WebhookEndpoint
from shortlist.platform.safehttp import EgressBlocked, EgressError, EgressTimeout, safe_post
from shortlist.webhook import repository
from shortlist.webhook.service import signing_secrets
from shortlist.webhook.signing import signature_headers

log = structlog.get_logger(__name__)

# Labels are fixed small sets (never URLs or ids), so cardinality stays bounded.
ATTEMPTS: Final = Counter("shortlist_webhook_attempts", "Webhook delivery attempts by outcome.", ["result"])
EXCHANGE_SECONDS: Final = Histogram(
    "shortlist_webhook_exchange_seconds",
    "Duration of webhook HTTP exchanges (resolution to last byte).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

Result = Literal["succeeded", "retrying", "failed", "deferred", "skipped"]

MAX_LOGGED_ATTEMPTS = 25
MAX_ERROR_LENGTH = 500
# A receiver's Retry-After is honoured up to a day; beyond that it reads as "never", which we do not accept.
MAX_RETRY_AFTER = timedelta(hours=24)
JITTER = 0.1
SUCCESS_STAMP_RESOLUTION = timedelta(minutes=1)


# SQLite admits one writer at a time and makes the others sleep and retry (busy_timeout), which wastes most
# of the time when many deliveries finish together. Queueing our own write transactions in-process is cheaper.
_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def _writing(context: AppContext) -> AsyncIterator[AsyncSession]:
    database = context.database
    if not database.is_sqlite:
        async with database.writer() as session:
            yield session
        return
    lock = _sqlite_write_locks.setdefault(database.engine.sync_engine, asyncio.Lock())
    async with lock, database.writer() as session:
        yield session


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    delivery_id: uuid.UUID
    result: Result
    status_code: int | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Sent:
    status_code: int | None
    latency_ms: int
    error: str | None
    retry_after: timedelta | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delay(
    settings: Settings, round_attempts: int, rng: random.Random | None = None
) -> timedelta | None:
    """The wait after the ``round_attempts``-th failed attempt, with ±10 % jitter; None when none are left."""
    schedule = settings.webhook_retry_schedule
    if round_attempts > len(schedule):
        return None
    base = schedule[round_attempts - 1]
    # Jitter spreads the retries of a burst that failed together, so they do not all return at once.
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return timedelta(seconds=max(0.0, base * factor))


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value[:9]))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        delay = when - now
    return max(timedelta(0), min(delay, MAX_RETRY_AFTER))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + "…"


async def attempt_delivery(context: AppContext, delivery_id: uuid.UUID) -> DeliveryOutcome:
    """Make one attempt of a due delivery; returns what happened. Safe to call any number of times."""
    settings = context.settings
    policy = context.webhook_egress
    now = utcnow()
    token = secrets.token_hex(16)
    # The claim outlives the longest possible exchange, so a live sender never loses it mid-request.
    lease_until = now + timedelta(seconds=policy.total_timeout + 30)

    async with _writing(context) as session:
        if not await repository.claim(session, delivery_id, token, now, lease_until):
            await session.commit()
            return DeliveryOutcome(delivery_id, "skipped")
        delivery = await session.get_one(WebhookDelivery, delivery_id, populate_existing=True)
        endpoint = await session.get_one(WebhookEndpoint, delivery.endpoint_id, populate_existing=True)
        if not endpoint.active:
            outcome = _finish(delivery, "failed", now, error="endpoint disabled")
            await session.commit()
            return outcome
        opened = endpoint.circuit_open_until
        if opened is not None:
            # Open: wait for the cool-down without using up an attempt. Half-open (cool-down over): one
            # sender wins the probe by moving the deadline on; the others wait for the probe's verdict.
            probe_until = now + timedelta(seconds=settings.webhook_breaker_cooldown_seconds)
            resume_at: datetime | None = opened if opened > now else None
            if resume_at is None and not await repository.take_probe(
                session, endpoint.id, opened, probe_until
            ):
                resume_at = probe_until
            if resume_at is not None:
                spread = timedelta(seconds=random.uniform(0, 1))  # noqa: S311 - not a secret
                outcome = _defer(delivery, resume_at + spread)
                await session.commit()
                return outcome
        keys = signing_secrets(context.keys.webhooks, endpoint, now)
        url, message_id, payload = endpoint.url, delivery.message_id, delivery.payload.encode()
        endpoint_id = endpoint.id
        await session.commit()

    sent = await _send(url, message_id, payload, keys, context)

    async with _writing(context) as session:
        outcome = await _record(session, settings, delivery_id, endpoint_id, token, sent)
        await session.commit()
    ATTEMPTS.labels(outcome.result).inc()
    EXCHANGE_SECONDS.observe(sent.latency_ms / 1000)
    log.info(
        "webhook.attempt",
        delivery_id=str(delivery_id),
        endpoint_id=str(endpoint_id),
        result=outcome.result,
        status_code=sent.status_code,
        latency_ms=sent.latency_ms,
    )
    return outcome


async def _send(url: str, message_id: str, payload: bytes, keys: list[str], context: AppContext) -> _Sent:
    headers = signature_headers(message_id, payload, keys)
    headers["content-type"] = "application/json"
    started = time.monotonic()
    try:
        response = await safe_post(url, payload, headers, policy=context.webhook_egress)
    except EgressBlocked as exc:
        error = f"blocked: {exc.reason}"
    except EgressTimeout as exc:
        error = f"timeout: {exc}"
    except EgressError as exc:
        error = f"connection failed: {exc}"
    else:
        latency = int(response.elapsed * 1000)
        if response.is_success:
            return _Sent(response.status, latency, None, None)
        retry_after = parse_retry_after(response.headers.get("retry-after"), utcnow())
        return _Sent(response.status, latency, f"HTTP {response.status}", retry_after)
    return _Sent(None, int((time.monotonic() - started) * 1000), _clip(error), None)


def _log_attempt(delivery: WebhookDelivery, now: datetime, sent: _Sent) -> None:
    delivery.attempts += 1
    delivery.round_attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = sent.status_code
    delivery.last_latency_ms = sent.latency_ms
    delivery.last_error = sent.error
    entry = {
        "attempt": delivery.attempts,
        "at": now.isoformat(),
        "status_code": sent.status_code,
        "latency_ms": sent.latency_ms,
        "error": sent.error,
    }
    # A new list, so the ORM sees the change to the JSON column.
    delivery.attempt_log = [*(delivery.attempt_log or []), entry][-MAX_LOGGED_ATTEMPTS:]


def _finish(
    delivery: WebhookDelivery, result: Result, now: datetime, *, error: str | None = None
) -> DeliveryOutcome:
    delivery.status = repository.SUCCEEDED if result == "succeeded" else repository.FAILED
    delivery.next_attempt_at = None
    delivery.completed_at = now
    delivery.claim_token = None
    delivery.claimed_until = None
    if error is not None:
        delivery.last_error = error
    return DeliveryOutcome(delivery.id, result, delivery.last_status_code, delivery.last_error)


def _defer(delivery: WebhookDelivery, when: datetime) -> DeliveryOutcome:
    delivery.status = repository.PENDING
    delivery.next_attempt_at = when
    delivery.claim_token = None
    delivery.claimed_until = None
    return DeliveryOutcome(delivery.id, "deferred", next_attempt_at=when)


async def _record(
    session: AsyncSession,
    settings: Settings,
    delivery_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    token: str,
    sent: _Sent,
) -> DeliveryOutcome:
    now = utcnow()
    delivery = await repository.lock_delivery(session, delivery_id)
    if delivery is None or delivery.claim_token != token:
        # Our lease ran out and someone else took the delivery over (or it was deleted): their result counts.
        return DeliveryOutcome(delivery_id, "skipped", sent.status_code, sent.error)
    _log_attempt(delivery, now, sent)
    if sent.ok:
        # The common case takes no lock on the endpoint row (many deliveries to one endpoint finish at
        # once): the health is reset only when there is something to reset, and last_success_at is
        # refreshed at most once a minute.
        await repository.record_endpoint_success(session, endpoint_id, now, SUCCESS_STAMP_RESOLUTION)
        return _finish(delivery, "succeeded", now)

    # A failure reads the health under a row lock, so concurrent failures count one by one.
    endpoint = await repository.lock_endpoint(session, endpoint_id)
    if endpoint is None:
        return _finish(delivery, "failed", now, error="endpoint deleted")

    failures = endpoint.consecutive_failures + 1
    failing_since = endpoint.failing_since or now
    health: dict[str, object] = {"consecutive_failures": failures, "failing_since": failing_since}
    disabled: str | None = None
    if sent.status_code == 410:
        disabled = "the endpoint answered 410 Gone"
    elif now - failing_since >= timedelta(days=settings.webhook_disable_after_days):
        disabled = f"every delivery failed for more than {settings.webhook_disable_after_days:g} days"
    if disabled is not None:
        health.update(active=False, disabled_reason=disabled, circuit_open_until=None)
    elif failures >= settings.webhook_breaker_threshold:
        health["circuit_open_until"] = now + timedelta(seconds=settings.webhook_breaker_cooldown_seconds)
    await repository.set_endpoint_health(session, endpoint_id, health)
    if disabled is not None:
        return _finish(delivery, "failed", now)

    delay = retry_delay(settings, delivery.round_attempts)
    if delay is None:
        return _finish(delivery, "failed", now)
    if sent.retry_after is not None:
        # Never sooner than the receiver asked, nor sooner than our own schedule.
        delay = max(delay, sent.retry_after)
    delivery.status = repository.PENDING
    delivery.next_attempt_at = now + delay
    delivery.claim_token = None
    delivery.claimed_until = None
    return DeliveryOutcome(delivery.id, "retrying", sent.status_code, sent.error, delivery.next_attempt_at)
