"""A job's ranked applications for one reader: the filters, full-text search and signed keyset cursor that
REST's list and GraphQL's connection share, so both faces page and filter exactly alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import repository, search, service
from shortlist.application.repository import Filters
from shortlist.kit.pagination import CursorCodec, page_of
from shortlist.kit.problems import BadRequest
from shortlist.models import Application, JobPosting
from shortlist.organization.service import Access
from shortlist.posting import ats_adapter as posting_ats

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ListArguments:
    """The ranked list's filters as a client sends them (REST query parameters, GraphQL arguments)."""

    stage: str | None = None
    shortlisted: bool | None = None
    min_score: int | None = None
    max_score: int | None = None
    min_years: float | None = None
    applied_after: datetime | None = None
    applied_before: datetime | None = None
    include_withdrawn: bool = False
    skills: tuple[str, ...] = ()
    all_skills: bool = True
    tags: tuple[str, ...] = ()
    min_rating: float | None = None
    q: str | None = None


@dataclass(frozen=True)
class RankedPage:
    items: list[Application]
    more: bool
    scope: str
    # With `q`: the page's applications -> their snippet, not yet scrubbed for the reader.
    snippets: dict[uuid.UUID, str] = field(default_factory=dict)

    def cursor_of(self, cursors: CursorCodec, application: Application) -> str:
        return cursors.encode(self.scope, _EPOCH, f"{application.rank_score}|{application.id}")

    def next_cursor(self, cursors: CursorCodec) -> str | None:
        return self.cursor_of(cursors, self.items[-1]) if self.more and self.items else None


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _position(cursors: CursorCodec, scope: str, cursor: str | None) -> tuple[int, uuid.UUID] | None:
    if not cursor:
        return None
    _, packed = cursors.decode(scope, cursor)
    rank, _, row_id = packed.partition("|")
    try:
        return int(rank), uuid.UUID(row_id)
    except ValueError as exc:
        raise BadRequest("The cursor does not belong to this list; start again without a cursor.") from exc


def filters_of(arguments: ListArguments, only_ids: tuple[uuid.UUID, ...] | None) -> Filters:
    """The repository's filters for these arguments; `only_ids`: the full-text matches, when searching."""
    return Filters(
        stage=arguments.stage,
        shortlisted=arguments.shortlisted,
        min_score=arguments.min_score,
        max_score=arguments.max_score,
        min_years=arguments.min_years,
        applied_after=_aware(arguments.applied_after),
        applied_before=_aware(arguments.applied_before),
        include_withdrawn=arguments.include_withdrawn,
        skills=tuple(posting_ats.canonical_skill(s) or s for s in arguments.skills),
        all_skills=arguments.all_skills,
        tags=arguments.tags,
        min_rating=arguments.min_rating,
        only_ids=only_ids,
    )


async def _without_identity_hits(
    session: AsyncSession, access: Access, posting: JobPosting, q: str, found: list[uuid.UUID]
) -> list[uuid.UUID]:
    """A blind reader must not find a hidden candidate by their name, address or school: drop the matches
    whose identity the query names."""
    applications = await repository.many_for_job(session, posting.organization_id, posting.id, found)
    kept = set()
    for application in applications:
        scrub = service.scrubber_for(access, posting, application)
        if scrub is None or scrub.text(q) == q:
            kept.add(application.id)
    return [i for i in found if i in kept]


async def ranked(
    session: AsyncSession,
    cursors: CursorCodec,
    access: Access,
    posting: JobPosting,
    arguments: ListArguments,
    size: int,
    cursor: str | None,
) -> RankedPage:
    """One page, best first: the recruiter's override, else the score (unscored last). Loads the resumes
    only when this reader needs them to find what to scrub (`service.needs_resume`)."""
    q = arguments.q
    found = await search.matches(session, posting.id, q) if q else search.Matches([])
    ids = found.ids
    if q and ids and service.needs_resume(access, posting):
        ids = await _without_identity_hits(session, access, posting, q, ids)
    filters = filters_of(arguments, tuple(sorted(ids)) if q else None)
    scope = f"applications:{posting.id}:{filters.key()}"
    rows = await repository.ranked_page(
        session,
        posting.organization_id,
        posting.id,
        filters,
        _position(cursors, scope, cursor),
        size,
        with_resume=service.needs_resume(access, posting),
    )
    items, more = page_of(rows, size)
    # Snippets for the page shown only: highlighting is the costly part of a search.
    snippets = await search.snippets(session, found, q, [a.id for a in items]) if q else {}
    return RankedPage(items=items, more=more, scope=scope, snippets=snippets)
