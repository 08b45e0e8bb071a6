"""Event types that endpoints can subscribe to, and the thin payloads sent for them."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

WILDCARD = "*"
PING = "webhook.ping"

# What a subscription may name. Payloads carry ids only; a receiver fetches details with its own credentials.
EVENT_TYPES: dict[str, str] = {
    "resume.created": "A resume was created (data: resume_id).",
    "resume.updated": "A resume was changed (data: resume_id, version).",
    "resume.deleted": "A resume was moved to the trash (data: resume_id).",
    "resume.restored": "A resume was taken out of the trash (data: resume_id).",
    "resume.purged": "A resume was deleted for good after its time in the trash (data: resume_id).",
    "job.succeeded": "A background job finished (data: job_id, kind).",
    "job.failed": "A background job failed for good (data: job_id, kind).",
    "organization.created": "An organization was created (data: organization_id).",
    "job.opened": "A job posting opened on the careers page (data: organization_id, job_id).",
    "job.closed": "A job posting stopped taking applications (data: organization_id, job_id).",
    "application.created": "Someone applied to a job (data: organization_id, job_id, application_id).",
    "application.scored": "An application was scored (data: organization_id, job_id, application_id, score).",
    "application.stage_changed": "An application moved stage (data: application_id, from_stage, to_stage).",
}

# What an organisation's endpoint may subscribe to: the recruiting events of that organisation.
ORGANIZATION_EVENT_TYPES = frozenset(
    {"job.opened", "job.closed", "application.created", "application.scored", "application.stage_changed"}
)
# The only fields an organisation's payload carries: ids, the score and stage names. Whatever else an event
# holds stays out, so blind screening (names, contacts, schools) cannot leak through a webhook whatever is
# added to the events later. A receiver reads the application with its own credential, blind rules applying.
ORGANIZATION_PAYLOAD_FIELDS = frozenset(
    {"organization_id", "job_id", "application_id", "score", "from_stage", "to_stage", "stage"}
)


def unknown_organization_event_types(names: Iterable[str]) -> list[str]:
    return sorted({n for n in names if n != WILDCARD and n not in ORGANIZATION_EVENT_TYPES})


def blind_safe(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key in ORGANIZATION_PAYLOAD_FIELDS}


# Scalars only: a nested object is how resume contents would slip into a payload.
Scalar = str | int | float | bool | None
MAX_DATA_FIELDS = 32
MAX_PAYLOAD_BYTES = 16 * 1024


def unknown_event_types(names: Iterable[str]) -> list[str]:
    return sorted({n for n in names if n != WILDCARD and n not in EVENT_TYPES})


def subscribes_to(event_types: Iterable[str], event_type: str) -> bool:
    return any(name in (WILDCARD, event_type) for name in event_types)


def message_id(endpoint_id: uuid.UUID, event_id: str) -> str:
    """The webhook-id: the same for every attempt of one event to one endpoint, distinct across endpoints."""
    digest = hashlib.sha256(f"{endpoint_id}:{event_id}".encode()).hexdigest()[:32]
    return f"msg_{digest}"


def is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | uuid.UUID)


def check_thin_data(data: Mapping[str, Any]) -> dict[str, Scalar]:
    """Refuse anything but a small flat object of scalars (ids, counters, kinds)."""
    if len(data) > MAX_DATA_FIELDS:
        raise ValueError(f"event data has more than {MAX_DATA_FIELDS} fields")
    thin: dict[str, Scalar] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise ValueError("event data keys must be strings")
        if isinstance(value, uuid.UUID):
            value = str(value)
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValueError(
                f"event data field {key!r} must be a scalar (ids only), not {type(value).__name__}"
            )
        thin[key] = value
    return thin


def encode_payload(event_type: str, occurred_at: datetime, data: Mapping[str, Scalar]) -> str:
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    stamp = occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    body = json.dumps(
        {"type": event_type, "timestamp": stamp, "data": dict(data)},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    if len(body.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"event payload exceeds {MAX_PAYLOAD_BYTES} bytes")
    return body
