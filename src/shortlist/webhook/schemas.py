from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from shortlist.kit.schemas import RequestModel, ResponseModel

Url = Field(min_length=1, max_length=2048, examples=["https://hooks.example.com/shortlist"])
DeliveryStatus = Literal["pending", "delivering", "succeeded", "failed"]


class WebhookCreate(RequestModel):
    url: str = Url
    event_types: list[str] = Field(
        default_factory=lambda: ["*"],
        min_length=1,
        max_length=20,
        description="Event types to receive; `*` means all of them.",
        examples=[["resume.created", "resume.updated"]],
    )
    description: str | None = Field(default=None, max_length=500)
    active: bool = True


class WebhookUpdate(RequestModel):
    url: str | None = Field(default=None, min_length=1, max_length=2048)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    # Explicit null is refused for fields that cannot be empty (see the endpoint).
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = None


class WebhookOut(ResponseModel):
    id: uuid.UUID
    url: str
    description: str | None
    event_types: list[str]
    active: bool
    disabled_reason: str | None = Field(description="Why the service disabled the endpoint, if it did.")
    consecutive_failures: int
    circuit_open_until: datetime | None = Field(
        description="While set and in the future, deliveries wait (circuit breaker open)."
    )
    failing_since: datetime | None
    last_success_at: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="During a rotation: until when the previous secret still signs."
    )
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_…). Shown once: store it now.")


class SecretRotated(ResponseModel):
    secret: str = Field(description="The new signing secret. Shown once.")
    previous_secret_expires_at: datetime | None


class EventTypeOut(ResponseModel):
    name: str
    description: str


class AttemptOut(ResponseModel):
    attempt: int
    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


class DeliverySummary(ResponseModel):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_type: str
    event_id: str
    message_id: str = Field(description="The webhook-id header: the same for every attempt.")
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_latency_ms: int | None
    last_error: str | None
    created_at: datetime
    completed_at: datetime | None


class DeliveryOut(DeliverySummary):
    payload: dict[str, Any] = Field(description="The JSON body that is signed and sent.")
    attempt_log: list[AttemptOut] = Field(description="The most recent attempts, oldest first.")
