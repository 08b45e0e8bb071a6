"""GraphQL reads of an application's detail on the candidate-data access log, as REST's `Audited` records
`GET …/applications/{id}`: one `application.read` per application a request reads one by one (`node(id:)`,
`JobPosting.application`) or whose frozen resume it reads, once per request, batched; and, as REST's ranked
list, one `applications.listed` per application on each page of `JobPosting.applications`.

Entries go into the request's own transaction when it can write (a mutation; any request on PostgreSQL),
committed with it before the answer leaves. A query on SQLite runs on a deferred reader transaction, so its
entries are written and committed in a writer session of their own before the field answers. Either way an
entry that cannot be written fails rather than disclose unrecorded."""

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


def _in_request(context: GraphQLContext, in_mutation: bool) -> bool:
    return in_mutation or not context.app.database.is_sqlite


class ReadLog:
    def __init__(self, context: GraphQLContext, in_mutation: bool) -> None:
        self.context = context
        self.in_request = _in_request(context, in_mutation)
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
        if self.in_request:
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
    per application on the page (an empty page names the job), in one INSERT."""
    context = info.context
    if _in_request(context, info.operation.operation is OperationType.MUTATION):
        async with context.gate.use() as session:
            await audit.record_listed(session, actor, posting_id, applications)
        return
    async with context.app.database.writer() as own:
        await audit.record_listed(own, actor, posting_id, applications)
        await own.commit()
