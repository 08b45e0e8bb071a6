"""Full-text search over applications (resume text and the team's notes), with highlighted snippets.

The index is dialect-specific and lives outside the ORM metadata: an FTS5 virtual table on SQLite, a table
with a generated `tsvector` column and a GIN index on PostgreSQL (created by migration 0007). Both are
named `application_search`; schema comparison skips them (`is_managed_by_orm`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import repository
from shortlist.models import Application

SEARCH_TABLE = "application_search"
MARK_START, MARK_END = "[[", "]]"


def is_managed_by_orm(name: str | None, type_: str, _parent: Any) -> bool:
    """For Alembic's `include_name`: the search index (and FTS5's shadow tables) are not ORM tables."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def document_text(resume: dict[str, Any] | None, notes: Iterable[str]) -> str:
    """Every string of the resume, then the notes, one per line."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.strip():
                parts.append(value.strip())
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(resume or {})
    parts += [n for n in notes if n.strip()]
    return "\n".join(parts)


async def index(
    session: AsyncSession,
    application_id: uuid.UUID,
    organization_id: uuid.UUID,
    posting_id: uuid.UUID,
    body: str,
) -> None:
    await forget(session, [application_id])
    await session.execute(
        text(
            "INSERT INTO application_search (application_id, organization_id, posting_id, body) "
            "VALUES (:application_id, :organization_id, :posting_id, :body)"
        ),
        {
            "application_id": _key(session, application_id),
            "organization_id": _key(session, organization_id),
            "posting_id": _key(session, posting_id),
            "body": body,
        },
    )


async def forget(session: AsyncSession, application_ids: list[uuid.UUID]) -> None:
    for application_id in application_ids:
        await session.execute(
            text("DELETE FROM application_search WHERE application_id = :id"),
            {"id": _key(session, application_id)},
        )


def _key(session: AsyncSession, value: uuid.UUID) -> str | uuid.UUID:
    # The FTS5 table stores text: ids as the ORM writes them on SQLite (32 hex digits).
    return value.hex if _is_sqlite(session) else value


def _fts_query(words: str) -> str:
    """A user's words as an FTS5 query: every term must match, each as a quoted prefix-free string."""
    terms = [t for t in re.findall(r"\w+", words, re.UNICODE) if t]
    return " ".join('"' + t.replace('"', "") + '"' for t in terms[:20])


@dataclass(frozen=True)
class Matches:
    """A search's matching applications, best first, and where each sits in the index (the FTS5 rowid on
    SQLite: the snippets of a page are then fetched by rowid, not by scanning every match's id)."""

    ids: list[uuid.UUID]
    rows: dict[uuid.UUID, int] = field(default_factory=dict)


async def matches(session: AsyncSession, posting_id: uuid.UUID, words: str, limit: int = 1000) -> Matches:
    """The applications whose resume or notes hold every word, best match first (at most `limit`): ids only,
    the snippets are made for the page shown (`snippets`), not for every match."""
    if _is_sqlite(session):
        query = _fts_query(words)
        if not query:
            return Matches([])
        rows = await session.execute(
            text(
                "SELECT application_id, rowid FROM application_search "
                "WHERE application_search MATCH :query AND posting_id = :posting ORDER BY rank LIMIT :limit"
            ),
            {"query": query, "posting": posting_id.hex, "limit": limit},
        )
        found = {uuid.UUID(str(row[0])): int(row[1]) for row in rows.all()}
        return Matches(list(found), found)
    rows = await session.execute(
        text(
            "SELECT application_id FROM application_search, plainto_tsquery('simple', :words) AS q "
            "WHERE posting_id = :posting AND document @@ q ORDER BY ts_rank(document, q) DESC LIMIT :limit"
        ),
        {"words": words, "posting": posting_id, "limit": limit},
    )
    return Matches([row[0] for row in rows.all()])


async def snippets(
    session: AsyncSession, found: Matches, words: str, application_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """application id -> snippet with the matched words between [[ and ]], for these applications (a page of
    `found`)."""
    if not application_ids:
        return {}
    if _is_sqlite(session):
        query = _fts_query(words)
        rowids = [found.rows[i] for i in application_ids if i in found.rows]
        if not query or not rowids:
            return {}
        rows = await session.execute(
            text(
                "SELECT application_id, snippet(application_search, 3, :start, :end, '…', 12) "
                "FROM application_search WHERE application_search MATCH :query AND rowid IN :rowids"
            ).bindparams(bindparam("rowids", expanding=True)),
            {"start": MARK_START, "end": MARK_END, "query": query, "rowids": rowids},
        )
        return {uuid.UUID(str(row[0])): str(row[1]) for row in rows.all()}
    rows = await session.execute(
        text(
            "SELECT application_id, ts_headline('simple', body, q, :options) "
            "FROM application_search, plainto_tsquery('simple', :words) AS q "
            "WHERE application_id = ANY(:ids) AND document @@ q"
        ),
        {
            "options": f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8",
            "words": words,
            "ids": list(application_ids),
        },
    )
    return {row[0]: str(row[1]) for row in rows.all()}


async def reindex(session: AsyncSession, application_id: uuid.UUID) -> None:
    """Index an application's resume and notes again (after scoring, after a note)."""
    application = await session.get(Application, application_id)
    if application is None:
        return
    notes = [note.body for note in await repository.all_notes(session, application_id)]
    body = document_text(application.resume, notes)
    await index(session, application.id, application.organization_id, application.posting_id, body)
