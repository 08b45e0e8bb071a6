"""Tags, ratings, notes with @mentions and the activity timeline of one application."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, status

from shortlist.application import collaboration, repository, search, service
from shortlist.application.schemas import (
    NoteCreate,
    NoteOut,
    RatingSet,
    RatingSummary,
    ScorecardOut,
    ScorecardSet,
    StageId,
    TagsReplace,
    TimelineEntry,
)
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute, on_after_commit
from shortlist.kit.pagination import Page, by_created
from shortlist.organization.access import ApplicationsCommenter, ApplicationsReader, ApplicationsWriter
from shortlist.posting import service as posting_service

router = APIRouter(tags=["applications"], route_class=TransactionalRoute)

APP = "/organizations/{org_id}/jobs/{posting_id}/applications/{application_id}"


@router.put(APP + "/tags", operation_id="replace_application_tags")
async def replace_tags(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    body: TagsReplace,
    access: ApplicationsWriter,
    session: Session,
) -> list[str]:
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    return await collaboration.set_tags(session, access.organization, application, body.tags)


@router.put(APP + "/rating", operation_id="rate_application")
async def rate_application(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    body: RatingSet,
    access: ApplicationsCommenter,
    session: Session,
) -> RatingSummary:
    """Your 1–5 rating (one per member; sending again replaces it)."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    return await collaboration.rate(session, access.organization, application, access.user_id, body.rating)


@router.post(
    APP + "/notes",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_application_note",
    dependencies=[Depends(idempotency)],
)
async def create_note(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    body: NoteCreate,
    access: ApplicationsCommenter,
    context: Context,
    session: Session,
    request: Request,
) -> NoteOut:
    """A note; `@member@example.com` mentions a member of the organisation, who gets an e-mail."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    note, addresses = await collaboration.add_note(
        session, access.organization, application, access.user_id, body.body
    )
    await search.reindex(session, application.id)
    subject, text = collaboration.mention_mail(posting, access.organization, application.id)

    async def notify() -> None:
        for address in addresses:
            await context.mailer.send(address, subject, text)

    on_after_commit(request, notify)
    return collaboration.note_out(note)


@router.get(APP + "/notes", operation_id="list_application_notes")
async def list_notes(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    access: ApplicationsReader,
    session: Session,
    paging: Paging,
) -> Page[NoteOut]:
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    scope = f"notes:{application.id}"
    rows = await repository.notes_page(session, application.id, paging.position(scope), paging.limit)
    scrub = service.scrubber_for(access, posting, application)
    return paging.page(
        scope,
        rows,
        NoteOut,
        key=by_created,
        item=lambda note: collaboration.note_out(note, scrub.text(note.body) if scrub else None),
    )


@router.get(APP + "/timeline", operation_id="get_application_timeline")
async def get_timeline(
    posting_id: uuid.UUID, application_id: uuid.UUID, access: ApplicationsReader, session: Session
) -> list[TimelineEntry]:
    """Everything that happened to the application, oldest first: applied, scored, moves, notes."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    moves = await repository.moves_of(session, application.id)
    notes = await repository.all_notes(session, application.id)
    entries = collaboration.timeline(application, moves, notes)
    scrub = service.scrubber_for(access, posting, application)
    if scrub is not None:
        entries = [e.model_copy(update={"summary": scrub.text(e.summary)}) for e in entries]
    return entries


@router.put(APP + "/scorecards/{stage}", operation_id="put_application_scorecard")
async def put_scorecard(
    posting_id: uuid.UUID,
    application_id: uuid.UUID,
    stage: StageId,
    body: ScorecardSet,
    access: ApplicationsCommenter,
    session: Session,
) -> ScorecardOut:
    """Your scorecard for this application at one stage: 1–5 per criterion defined on the job."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    card = await collaboration.set_scorecard(
        session, access.organization, posting, application, access.user_id, stage, body
    )
    return collaboration.scorecard_out(card)


@router.get(APP + "/scorecards", operation_id="list_application_scorecards")
async def list_scorecards(
    posting_id: uuid.UUID, application_id: uuid.UUID, access: ApplicationsReader, session: Session
) -> list[ScorecardOut]:
    """Every member's scorecards for the application, by stage."""
    posting = await posting_service.get(session, access, posting_id)
    application = await service.get_for_job(session, posting, application_id)
    scrub = service.scrubber_for(access, posting, application)
    cards = [collaboration.scorecard_out(c) for c in await repository.scorecards_of(session, application.id)]
    if scrub is not None:
        cards = [c.model_copy(update={"summary": scrub.deep(c.summary)}) for c in cards]
    return cards
