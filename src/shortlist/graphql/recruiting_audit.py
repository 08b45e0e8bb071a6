"""GraphQL reads of an application's detail on the candidate-data access log, as REST's `Audited` records
`GET …/applications/{id}`: one `application.read` per application a request reads one by one (`node(id:)`,
`JobPosting.application`) or whose frozen resume it reads, once per request, batched; and, as REST's ranked
list, one `applications.listed` per application on each page of `JobPosting.applications`.

A query runs on a deferred reader transaction, so its entries are written and committed in a writer session
of their own before the field answers (an entry that cannot be written fails the field rather than disclose
unrecorded); a mutation's go into the request's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from graphql import OperationType
from shortlist.application.audit import service as audit
from shortlist.application.audit.service import AccessAction
from shortlist.graphql.context import GraphInfo, GraphQLContext
from shortlist.models import Application as ApplicationRow
from shortlist.organization.service import Access


@dataclass(frozen=True)
class _Read:
    actor: Access
    posting_id: uuid.UUID
    candidate_id: uuid.UUID | None


class ReadLog:
    def __init__(self, context: GraphQLContext, in_mutation: bool) -> None:
        self.context = context
        self.in_mutation = in_mutation
        self.pending: dict[uuid.UUID, _Read] = {}
        self.seen: set[uuid.UUID] = set()
        # Keyed by application id: the loader's cache makes it once per request.
        self.loader: DataLoader[uuid.UUID, None] = DataLoader(load_fn=self._write)

    async def _write(self, application_ids: Sequence[uuid.UUID]) -> list[None]:
        by_actor: dict[uuid.UUID, tuple[Access, list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]]]] = {}
        for application_id in application_ids:
            read = self.pending.pop(application_id)
            group = by_actor.setdefault(read.actor.organization.id, (read.actor, []))
            group[1].append((application_id, read.posting_id, read.candidate_id))
        if self.in_mutation:
            async with self.context.gate.use() as session:
                for actor, ids in by_actor.values():
                    audit.record_applications(session, actor, AccessAction.application_read, ids)
                await session.flush()
        else:
            async with self.context.app.database.writer() as own:
                for actor, ids in by_actor.values():
                    audit.record_applications(own, actor, AccessAction.application_read, ids)
                await own.commit()
        return [None] * len(application_ids)


async def record_read(info: GraphInfo, actor: Access, application: ApplicationRow) -> None:
    """Record that the caller read this application's detail (once per request)."""
    context = info.context
    if context.read_log is None:
        context.read_log = ReadLog(context, info.operation.operation is OperationType.MUTATION)
    log = context.read_log
    if application.id not in log.seen:
        log.seen.add(application.id)
        log.pending[application.id] = _Read(actor, application.posting_id, application.candidate_id)
    await log.loader.load(application.id)


async def record_listed(
    info: GraphInfo, actor: Access, posting_id: uuid.UUID, applications: Sequence[ApplicationRow]
) -> None:
    """A ranked page of `JobPosting.applications`, as REST's list records it: one `applications.listed` entry
    per application on the page (an empty page names the job), added together and written in one INSERT."""
    listed = audit.ids_of(applications)
    context = info.context
    if info.operation.operation is OperationType.MUTATION:
        async with context.gate.use() as session:
            audit.record_applications(
                session, actor, AccessAction.applications_listed, listed, posting_id=posting_id
            )
            await session.flush()
        return
    async with context.app.database.writer() as own:
        audit.record_applications(own, actor, AccessAction.applications_listed, listed, posting_id=posting_id)
        await own.commit()
