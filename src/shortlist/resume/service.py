"""Resume rules: limits, versions, soft delete. Takes the session; never commits."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.event import emit
from shortlist.kit.db import utcnow
from shortlist.kit.merge_patch import apply_merge_patch
from shortlist.kit.problems import ValidationFailed
from shortlist.models import Resume, ResumeVersion
from shortlist.resume import repository
from shortlist.resume.cache import mark_resume_stale
from shortlist.resume.exceptions import (
    ResumeLimitReached,
    ResumeNotFound,
    ResumeTooLarge,
    ResumeValueTooLong,
    VersionNotFound,
)
from shortlist.resume.jsonresume import validate_document

MAX_ITEMS_PER_LIST = 500


def etag_of(resume: Resume) -> str:
    return f'"r{resume.version}"'


def list_cursor_scope(subject: Subject, title_contains: str | None, deleted: bool) -> str:
    """What a list cursor is bound to (caller and filters): REST and GraphQL accept each other's cursors."""
    return f"resumes:{subject.user_id}:{title_contains or ''}:{int(deleted)}"


def versions_cursor_scope(resume_id: uuid.UUID) -> str:
    return f"versions:{resume_id}"


def import_title(content: dict[str, Any], title: str | None) -> str:
    """An imported document's title: the one given, else the person's name or label."""
    if title:
        return title
    basics = content.get("basics") or {}
    default_title = basics.get("name") or basics.get("label") or "Imported resume"
    return (default_title if isinstance(default_title, str) else "Imported resume")[:200]


def _walk_limits(value: Any, path: list[str], max_length: int) -> None:
    if isinstance(value, str):
        if len(value) > max_length:
            where = ".".join(path) or "content"
            raise ResumeValueTooLong(f"{where} has {len(value)} characters; the limit is {max_length}.")
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS_PER_LIST:
            where = ".".join(path) or "content"
            raise ResumeValueTooLong(f"{where} has {len(value)} items; the limit is {MAX_ITEMS_PER_LIST}.")
        for index, item in enumerate(value):
            _walk_limits(item, [*path, str(index)], max_length)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk_limits(key, [*path, "<key>"], 200)
            _walk_limits(item, [*path, str(key)], max_length)


def check_limits(settings: Settings, content: dict[str, Any]) -> None:
    size = len(json.dumps(content, ensure_ascii=False).encode())
    if size > settings.resume_max_bytes:
        raise ResumeTooLarge(f"The resume is {size} bytes as JSON; the limit is {settings.resume_max_bytes}.")
    _walk_limits(content, ["content"], settings.resume_max_string_length)


def _snapshot(resume: Resume) -> ResumeVersion:
    return ResumeVersion(
        resume_id=resume.id, version=resume.version, title=resume.title, content=resume.content
    )


async def create(
    settings: Settings,
    session: AsyncSession,
    subject: Subject,
    title: str,
    content: dict[str, Any],
    *,
    resume_id: uuid.UUID | None = None,
) -> Resume:
    """`resume_id` lets a retried job create "its" resume once (it passes its own id)."""
    check_limits(settings, content)
    if await repository.count_owned(session, subject) >= settings.resume_max_per_user:
        raise ResumeLimitReached(
            f"An account can keep at most {settings.resume_max_per_user} resumes (deleted ones included "
            "until purged); delete one permanently or restore space first."
        )
    resume = Resume(owner_id=subject.user_id, title=title, content=content, version=1)
    if resume_id is not None:
        resume.id = resume_id
    session.add(resume)
    await session.flush()
    session.add(_snapshot(resume))
    _emit(session, "resume.created", resume)
    await session.flush()
    return resume


def _emit(session: AsyncSession, name: str, resume: Resume) -> None:
    # Ids and version only: subscribers read the resume if they need it (contents never sit in the outbox).
    data = {"resume_id": str(resume.id), "version": resume.version}
    emit(session, name, owner_id=resume.owner_id, resource_type="resume", resource_id=resume.id, data=data)


async def get(session: AsyncSession, subject: Subject, resume_id: uuid.UUID) -> Resume:
    resume = await repository.get(session, subject, resume_id)
    if resume is None:
        raise ResumeNotFound()
    return resume


async def replace(
    settings: Settings, session: AsyncSession, resume: Resume, title: str, content: dict[str, Any]
) -> Resume:
    check_limits(settings, content)
    mark_resume_stale(session, resume.owner_id, resume.id)
    if title == resume.title and content == resume.content:
        return resume  # nothing changed: no new version
    resume.title = title
    resume.content = content
    resume.version += 1
    resume.updated_at = utcnow()
    session.add(_snapshot(resume))
    _emit(session, "resume.updated", resume)
    await session.flush()
    return resume


async def merge_patch(settings: Settings, session: AsyncSession, resume: Resume, patch: Any) -> Resume:
    current = {"title": resume.title, "content": resume.content}
    patched = apply_merge_patch(current, patch)
    if not isinstance(patched, dict):
        raise ValidationFailed("The merge patch must be a JSON object.", [])
    unknown = sorted(set(patched) - {"title", "content"})
    if unknown:
        raise ValidationFailed.for_fields(
            f"Unknown field(s): {', '.join(unknown)}; only title and content can be patched.",
            unknown,
            "unknown field",
            "extra_forbidden",
        )
    title = patched.get("title")
    if not isinstance(title, str) or not 1 <= len(title) <= 200:
        raise ValidationFailed.for_fields(
            "title must be a string of 1 to 200 characters.", ["title"], "invalid title", "string_type"
        )
    content = validate_document(patched.get("content") or {})
    return await replace(settings, session, resume, title, content)


async def soft_delete(session: AsyncSession, resume: Resume) -> None:
    mark_resume_stale(session, resume.owner_id, resume.id)
    resume.deleted_at = utcnow()
    _emit(session, "resume.deleted", resume)


async def restore(session: AsyncSession, subject: Subject, resume_id: uuid.UUID) -> Resume:
    resume = await repository.get(session, subject, resume_id, deleted=True)
    if resume is None:
        raise ResumeNotFound()
    mark_resume_stale(session, resume.owner_id, resume.id)
    resume.deleted_at = None
    resume.updated_at = utcnow()
    _emit(session, "resume.restored", resume)
    await session.flush()
    return resume


async def duplicate(settings: Settings, session: AsyncSession, subject: Subject, resume: Resume) -> Resume:
    title = f"{resume.title[:193]} (copy)"
    return await create(settings, session, subject, title, resume.content)


async def restore_version(settings: Settings, session: AsyncSession, resume: Resume, number: int) -> Resume:
    snapshot = await repository.version(session, resume.id, number)
    if snapshot is None:
        raise VersionNotFound(number)
    return await replace(settings, session, resume, snapshot.title, snapshot.content)
