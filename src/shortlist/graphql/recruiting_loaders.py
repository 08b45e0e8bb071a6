"""The recruiter side's loaders, per request: the caller's standing in each organisation (resolved once), and
each relation of an application (tags, ratings, moves, notes, scorecards, the frozen resume) for a whole page
in one statement. Applications reach these loaders only after the organisation and job checks, so the
batches are keyed by ids that already passed them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from shortlist.application import repository as application_repository
from shortlist.auth.subject import Subject
from shortlist.graphql.loaders import SessionGate
from shortlist.models import (
    Application,
    ApplicationMove,
    ApplicationNote,
    ApplicationRating,
    ApplicationScorecard,
)
from shortlist.organization import service as organization_service
from shortlist.organization.exceptions import OrganizationNotFound
from shortlist.organization.service import Access
from shortlist.posting import repository as posting_repository

# (organization id, posting id, application id): the scoping `many_for_job` applies
ApplicationKey = tuple[uuid.UUID, uuid.UUID, uuid.UUID]


@dataclass
class RecruitingLoaders:
    access: DataLoader[uuid.UUID, Access | None]
    managers: DataLoader[uuid.UUID, list[uuid.UUID]]
    tags: DataLoader[uuid.UUID, list[str]]
    ratings: DataLoader[uuid.UUID, list[ApplicationRating]]
    moves: DataLoader[uuid.UUID, list[ApplicationMove]]
    notes: DataLoader[uuid.UUID, list[ApplicationNote]]
    scorecards: DataLoader[uuid.UUID, list[ApplicationScorecard]]
    # Whole rows (the resume column included: lists leave it unloaded when no identity is hidden).
    applications: DataLoader[ApplicationKey, Application | None]


def build_recruiting_loaders(gate: SessionGate, subject: Subject | None) -> RecruitingLoaders:
    async def load_access(ids: Sequence[uuid.UUID]) -> list[Access | None]:
        found: list[Access | None] = []
        for organization_id in ids:
            if subject is None:
                found.append(None)
                continue
            try:
                async with gate.use() as session:
                    found.append(await organization_service.access(session, subject, organization_id))
            except OrganizationNotFound:
                found.append(None)  # not a member: the organisation does not exist for them
        return found

    async def load_managers(ids: Sequence[uuid.UUID]) -> list[list[uuid.UUID]]:
        async with gate.use() as session:
            found = await posting_repository.manager_ids(session, list(ids))
        return [found[key] for key in ids]

    async def load_tags(ids: Sequence[uuid.UUID]) -> list[list[str]]:
        async with gate.use() as session:
            found = await application_repository.tags_of(session, list(ids))
        return [found[key] for key in ids]

    async def load_ratings(ids: Sequence[uuid.UUID]) -> list[list[ApplicationRating]]:
        async with gate.use() as session:
            found = await application_repository.ratings_of(session, list(ids))
        return [found[key] for key in ids]

    async def load_moves(ids: Sequence[uuid.UUID]) -> list[list[ApplicationMove]]:
        async with gate.use() as session:
            found = await application_repository.moves_of_many(session, list(ids))
        return [found[key] for key in ids]

    async def load_notes(ids: Sequence[uuid.UUID]) -> list[list[ApplicationNote]]:
        async with gate.use() as session:
            found = await application_repository.notes_of_many(session, list(ids))
        return [found[key] for key in ids]

    async def load_scorecards(ids: Sequence[uuid.UUID]) -> list[list[ApplicationScorecard]]:
        async with gate.use() as session:
            found = await application_repository.scorecards_of_many(session, list(ids))
        return [found[key] for key in ids]

    async def load_applications(keys: Sequence[ApplicationKey]) -> list[Application | None]:
        groups: dict[tuple[uuid.UUID, uuid.UUID], list[uuid.UUID]] = defaultdict(list)
        for organization_id, posting_id, application_id in keys:
            groups[(organization_id, posting_id)].append(application_id)
        rows: dict[uuid.UUID, Application] = {}
        for (organization_id, posting_id), ids in groups.items():
            async with gate.use() as session:
                found = await application_repository.many_for_job(session, organization_id, posting_id, ids)
            rows.update({row.id: row for row in found})
        return [rows.get(key[2]) for key in keys]

    return RecruitingLoaders(
        access=DataLoader(load_fn=load_access),
        managers=DataLoader(load_fn=load_managers),
        tags=DataLoader(load_fn=load_tags),
        ratings=DataLoader(load_fn=load_ratings),
        moves=DataLoader(load_fn=load_moves),
        notes=DataLoader(load_fn=load_notes),
        scorecards=DataLoader(load_fn=load_scorecards),
        applications=DataLoader(load_fn=load_applications),
    )
