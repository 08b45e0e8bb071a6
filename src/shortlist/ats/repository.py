"""The ATS domain's SQL: uploaded files on their way to the worker, stored in the request's transaction next
to the job that parses them, read by that job, and deleted once the job is over (or at expiry if it never
finishes)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.job.service import TERMINAL
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.models import AtsUpload, Job

# The job kind that parses an upload (ats/tasks.py): once such a job has ended, its upload can go.
PARSE_KIND = "ats.parse_upload"


def store(
    settings: Settings,
    session: AsyncSession,
    owner_id: uuid.UUID,
    data: bytes,
    file_type: str,
    filename: str | None,
) -> AtsUpload:
    upload = AtsUpload(
        id=new_id(),  # known now: the job that parses it names it before the flush
        owner_id=owner_id,
        file_type=file_type,
        filename=(filename or None) and filename[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        expires_at=utcnow() + timedelta(hours=settings.ats_upload_retention_hours),
    )
    session.add(upload)
    return upload


async def load(session: AsyncSession, upload_id: uuid.UUID, owner_id: uuid.UUID | None) -> AtsUpload | None:
    statement = select(AtsUpload).where(AtsUpload.id == upload_id, AtsUpload.owner_id == owner_id)
    upload: AtsUpload | None = (await session.scalars(statement)).first()
    return upload


async def purge(session: AsyncSession) -> int:
    """Delete uploads whose parse job has ended, and any past expiry; returns how many went."""
    finished = select(Job.resource_id).where(
        Job.kind == PARSE_KIND, Job.status.in_(TERMINAL), Job.resource_id.is_not(None)
    )
    result = await session.execute(
        delete(AtsUpload).where((AtsUpload.expires_at < utcnow()) | AtsUpload.id.in_(finished))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
