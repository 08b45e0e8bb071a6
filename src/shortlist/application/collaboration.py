"""Working together on an application: tags, 1–5 ratings per member, notes with @mentions, a timeline."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import repository
from shortlist.application.exceptions import UnknownCriterion, UnknownStage
from shortlist.application.schemas import NoteOut, RatingSummary, ScorecardOut, ScorecardSet, TimelineEntry
from shortlist.application.service import updated_event
from shortlist.kit.db import utcnow
from shortlist.models import (
    Application,
    ApplicationMove,
    ApplicationNote,
    ApplicationRating,
    ApplicationScorecard,
    JobPosting,
    Organization,
)

# "@ada@example.com": a member's sign-in address after an @ (a word boundary before it).
_MENTION = re.compile(r"(?<![\w@])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def mentioned_addresses(body: str) -> list[str]:
    return list(dict.fromkeys(m.group(1).lower().rstrip(".") for m in _MENTION.finditer(body)))


async def add_note(
    session: AsyncSession,
    organization: Organization,
    application: Application,
    author_id: uuid.UUID,
    body: str,
) -> tuple[ApplicationNote, list[str]]:
    """The note, and the addresses of the members it mentions (to be e-mailed after commit)."""
    members = await repository.members_by_email(session, organization.id, mentioned_addresses(body))
    note = ApplicationNote(
        application_id=application.id,
        author_id=author_id,
        body=body,
        mentions={"user_ids": [str(user_id) for user_id, _ in members]},
    )
    session.add(note)
    updated_event(session, organization, application, "note")
    await session.flush()
    return note, [email for _, email in members]


async def set_tags(
    session: AsyncSession, organization: Organization, application: Application, tags: list[str]
) -> list[str]:
    """Replace the tags; the stored set, sorted."""
    await repository.set_tags(session, application.id, tags)
    updated_event(session, organization, application, "tags")
    return sorted(dict.fromkeys(tags))


async def rate(
    session: AsyncSession,
    organization: Organization,
    application: Application,
    user_id: uuid.UUID,
    rating: int,
) -> RatingSummary:
    """The member's rating (replacing theirs), and the summary as that member sees it."""
    await repository.rate(session, application.id, user_id, rating)
    updated_event(session, organization, application, "rating")
    ratings = await repository.ratings_of(session, [application.id])
    return rating_summary(ratings[application.id], user_id)


def mention_mail(
    posting: JobPosting, organization: Organization, application_id: uuid.UUID
) -> tuple[str, str]:
    """The e-mail a mentioned member gets: it names the job, never the candidate."""
    subject = " ".join(f"You were mentioned on an application for {posting.title}".split())
    text = (
        f"A colleague mentioned you in a note on an application for {posting.title} "
        f"({organization.name}). Open application {application_id} in Shortlist to read it."
    )
    return subject, text


def note_out(note: ApplicationNote, body: str | None = None) -> NoteOut:
    return NoteOut(
        id=note.id,
        author_id=note.author_id,
        body=note.body if body is None else body,
        mentions=[uuid.UUID(u) for u in note.mentions.get("user_ids", [])],
        created_at=note.created_at,
    )


def rating_summary(ratings: Sequence[ApplicationRating], user_id: uuid.UUID) -> RatingSummary:
    values = [r.rating for r in ratings]
    return RatingSummary(
        average=round(sum(values) / len(values), 2) if values else None,
        count=len(values),
        mine=next((r.rating for r in ratings if r.user_id == user_id), None),
    )


def timeline(
    application: Application, moves: Sequence[ApplicationMove], notes: Sequence[ApplicationNote]
) -> list[TimelineEntry]:
    entries = [TimelineEntry(at=application.created_at, kind="applied", actor_id=None, summary="Applied")]
    if application.scored_at is not None:
        entries.append(
            TimelineEntry(
                at=application.scored_at, kind="scored", actor_id=None, summary=f"Scored {application.score}"
            )
        )
    for move in moves:
        why = f" ({move.reason})" if move.reason else ""
        entries.append(
            TimelineEntry(
                at=move.created_at,
                kind="moved",
                actor_id=move.actor_id,
                summary=f"Moved from {move.from_stage} to {move.to_stage}{why}",
            )
        )
    for note in notes:
        entries.append(
            TimelineEntry(at=note.created_at, kind="note", actor_id=note.author_id, summary=note.body)
        )
    return sorted(entries, key=lambda e: e.at)


async def set_scorecard(
    session: AsyncSession,
    organization: Organization,
    posting: JobPosting,
    application: Application,
    user_id: uuid.UUID,
    stage: str,
    body: ScorecardSet,
) -> ApplicationScorecard:
    stages = [str(s["id"]) for s in posting.stages["stages"]]
    if stage not in stages:
        raise UnknownStage(f"This job's stages are {', '.join(stages)}; there is no '{stage}'.")
    criteria = list(posting.stages.get("criteria", []))
    unknown = sorted(set(body.criteria) - set(criteria))
    if unknown:
        raise UnknownCriterion(
            f"This job's scorecard criteria are {', '.join(criteria) or 'none'}; unknown: {', '.join(unknown)}."
        )
    card = await session.get(ApplicationScorecard, (application.id, user_id, stage))
    scores = {"criteria": dict(body.criteria), "summary": body.summary}
    if card is None:
        card = ApplicationScorecard(
            application_id=application.id, user_id=user_id, stage=stage, scores=scores
        )
        session.add(card)
    else:
        card.scores = scores
        card.updated_at = utcnow()
    updated_event(session, organization, application, "scorecard")
    await session.flush()
    return card


def scorecard_out(card: ApplicationScorecard) -> ScorecardOut:
    return ScorecardOut(
        user_id=card.user_id,
        stage=card.stage,
        criteria={str(k): int(v) for k, v in card.scores.get("criteria", {}).items()},
        summary=card.scores.get("summary"),
        updated_at=card.updated_at,
    )
