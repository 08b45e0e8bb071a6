"""Who hears about events. A subscriber runs inside the dispatcher's transaction for that event:

- what it writes with the session (e.g. enqueued jobs, webhook deliveries) commits together with the
  "dispatched" mark, so an event is handed to a transactional subscriber exactly once;
- if it raises, nothing of that dispatch commits and the event is offered again later (to every subscriber
  matching it), up to the dispatcher's attempt limit. Side effects outside the session must be idempotent
  (deduplicate on `event.id`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.event.outbox import DomainEvent

Subscriber = Callable[[AsyncSession, DomainEvent], Awaitable[None]]


@dataclass(frozen=True)
class _Entry:
    name: str
    pattern: str
    handler: Subscriber


_subscribers: dict[str, _Entry] = {}


def subscribe(pattern: str, handler: Subscriber, *, name: str) -> None:
    """Call `handler` for every event whose name matches `pattern` ("resume.*", "job.succeeded", "*").

    `name` identifies the subscriber; subscribing again under the same name replaces it.
    """
    _subscribers[name] = _Entry(name, pattern, handler)


def unsubscribe(name: str) -> None:
    _subscribers.pop(name, None)


def matching(event_name: str) -> list[Subscriber]:
    return [e.handler for e in _subscribers.values() if fnmatch.fnmatchcase(event_name, e.pattern)]
