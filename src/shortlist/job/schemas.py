from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from shortlist.kit.schemas import ResponseModel


class JobStatusName(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    dead = "dead"
    cancelled = "cancelled"


class JobOut(ResponseModel):
    id: uuid.UUID
    kind: str = Field(examples=["resume.rendered"])
    status: JobStatusName
    progress: int = Field(ge=0, le=100)
    attempts: int
    max_attempts: int
    resource_id: uuid.UUID | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None = Field(description="The last failure, as an RFC 9457 problem document.")
    request_id: str | None = Field(description="The request that asked for the job.")
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime
