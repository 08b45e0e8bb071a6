from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, Field, field_validator

from shortlist.kit.schemas import RequestModel, ResponseModel

ShareFormat = Literal["html", "pdf"]
MAX_LIFETIME = timedelta(days=3653)


def _both() -> list[ShareFormat]:
    return ["html", "pdf"]


class ShareCreate(RequestModel):
    formats: list[ShareFormat] = Field(
        default_factory=_both,
        min_length=1,
        max_length=2,
        description="What the link may serve: the web page (`/s/{token}`), the PDF (`/s/{token}.pdf`) or both.",
    )
    expires_at: AwareDatetime | None = Field(default=None, description="When the link stops working.")

    @field_validator("formats")
    @classmethod
    def _unique(cls, value: list[ShareFormat]) -> list[ShareFormat]:
        if len(set(value)) != len(value):
            raise ValueError("formats lists a format twice")
        return value

    @field_validator("expires_at")
    @classmethod
    def _bounded(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            utc = value.astimezone(UTC)  # year 9999 at -14:00 does not fit in UTC
        except OverflowError:
            raise ValueError("expires_at is out of range") from None
        if utc > datetime.now(UTC) + MAX_LIFETIME:
            raise ValueError("expires_at may be at most ten years ahead")
        return utc


class ShareOut(ResponseModel):
    id: uuid.UUID
    resume_id: uuid.UUID
    display_prefix: str = Field(description="The first characters of the token, to tell links apart.")
    formats: list[ShareFormat]
    status: Literal["active", "expired", "revoked"]
    view_count: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_viewed_at: datetime | None


class ShareCreated(ShareOut):
    token: str = Field(description="Shown once: only a keyed hash is stored.")
    urls: dict[ShareFormat, str]
