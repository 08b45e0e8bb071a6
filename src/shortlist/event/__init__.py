"""Domain events: written with the change (outbox), delivered to subscribers by the dispatcher."""

from shortlist.event.outbox import DomainEvent, emit
from shortlist.event.subscribers import Subscriber, subscribe, unsubscribe

__all__ = ["DomainEvent", "Subscriber", "emit", "subscribe", "unsubscribe"]
