"""One DataLoader per relation, per request: a list of N resumes costs the same few statements as one.

Every batch runs through the tenant-scoped repositories (a resume is loaded for the caller or not at all;
its versions, design and links are read only by ids that came back from that check). All batches share the
request's one session, which cannot run two statements at once: `Database.use` serialises them.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from shortlist.auth.subject import Subject
from shortlist.design import repository as design_repository
from shortlist.models import Resume, ResumeDesign, ResumeShare, ResumeVersion, WebhookDelivery
from shortlist.resume import repository as resume_repository
from shortlist.share import repository as share_repository
from shortlist.webhook import repository as webhook_repository

# (resume id, page size, version number to start below)
VersionsKey = tuple[uuid.UUID, int, int | None]
# (webhook endpoint id, page size, status filter): first pages of delivery logs
DeliveriesKey = tuple[uuid.UUID, int, str | None]


class SessionGate:
    """The request's session, one statement at a time (resolvers and loaders run concurrently)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def use(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            yield self.session


@dataclass
class Loaders:
    resumes: DataLoader[uuid.UUID, Resume | None]
    current_versions: DataLoader[uuid.UUID, ResumeVersion | None]
    versions: DataLoader[VersionsKey, list[ResumeVersion]]
    designs: DataLoader[uuid.UUID, ResumeDesign | None]
    shares: DataLoader[uuid.UUID, list[ResumeShare]]
    deliveries: DataLoader[DeliveriesKey, list[WebhookDelivery]]


def build_loaders(gate: SessionGate, subject: Subject | None, share_limit: int) -> Loaders:
    async def load_resumes(ids: Sequence[uuid.UUID]) -> list[Resume | None]:
        if subject is None:
            return [None] * len(ids)
        async with gate.use() as session:
            rows = await resume_repository.get_many(session, subject, list(ids))
        found = {row.id: row for row in rows}
        return [found.get(key) for key in ids]

    async def load_current_versions(ids: Sequence[uuid.UUID]) -> list[ResumeVersion | None]:
        async with gate.use() as session:
            rows = await resume_repository.current_versions(session, list(ids))
        found = {row.resume_id: row for row in rows}
        return [found.get(key) for key in ids]

    async def load_versions(keys: Sequence[VersionsKey]) -> list[list[ResumeVersion]]:
        # One statement per distinct (page size, start): in practice one for the whole list.
        groups: dict[tuple[int, int | None], list[uuid.UUID]] = defaultdict(list)
        for resume_id, limit, before in keys:
            groups[(limit, before)].append(resume_id)
        pages: dict[VersionsKey, list[ResumeVersion]] = {}
        for (limit, before), ids in groups.items():
            async with gate.use() as session:
                rows = await resume_repository.versions_pages(session, ids, limit=limit, before=before)
            for row in rows:
                pages.setdefault((row.resume_id, limit, before), []).append(row)
        return [pages.get(key, []) for key in keys]

    async def load_designs(ids: Sequence[uuid.UUID]) -> list[ResumeDesign | None]:
        async with gate.use() as session:
            rows = await design_repository.get_many(session, list(ids))
        found = {row.resume_id: row for row in rows}
        return [found.get(key) for key in ids]

    async def load_shares(ids: Sequence[uuid.UUID]) -> list[list[ResumeShare]]:
        async with gate.use() as session:
            rows = await share_repository.list_for_resumes(session, list(ids), limit=share_limit)
        grouped: dict[uuid.UUID, list[ResumeShare]] = defaultdict(list)
        for row in rows:
            grouped[row.resume_id].append(row)
        return [grouped.get(key, []) for key in ids]

    async def load_deliveries(keys: Sequence[DeliveriesKey]) -> list[list[WebhookDelivery]]:
        groups: dict[tuple[int, str | None], list[uuid.UUID]] = defaultdict(list)
        for endpoint_id, limit, status in keys:
            groups[(limit, status)].append(endpoint_id)
        pages: dict[DeliveriesKey, list[WebhookDelivery]] = {}
        for (limit, status), ids in groups.items():
            async with gate.use() as session:
                rows = await webhook_repository.first_delivery_pages(session, ids, limit=limit, status=status)
            for row in rows:
                pages.setdefault((row.endpoint_id, limit, status), []).append(row)
        return [pages.get(key, []) for key in keys]

    return Loaders(
        resumes=DataLoader(load_fn=load_resumes),
        current_versions=DataLoader(load_fn=load_current_versions),
        versions=DataLoader(load_fn=load_versions),
        designs=DataLoader(load_fn=load_designs),
        shares=DataLoader(load_fn=load_shares),
        deliveries=DataLoader(load_fn=load_deliveries),
    )
