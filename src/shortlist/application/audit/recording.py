"""`dependencies=[Depends(Audited(action))]` on a route that discloses candidate data: after the handler has
succeeded, and before the response leaves, the read is recorded with the caller and the ids in the path
(`record_listed` does the same for a ranked list page, with the ids on it). A failed request records nothing
(it disclosed nothing); a refused one never reaches the hook.

An entry goes into the request's own transaction when that transaction can write: always for a write, and
on PostgreSQL for a read too (no second connection, no second commit). A read on SQLite runs on a deferred
reader transaction, which cannot safely turn into a writer, so its entry is written and committed in a writer
session of its own. Either way it is committed before the response leaves: if the entry cannot be written,
the response fails rather than disclose unrecorded."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application.audit import service
from shortlist.application.audit.service import AccessAction
from shortlist.context import get_context
from shortlist.http.route import SAFE_METHODS, on_before_commit
from shortlist.models import Application
from shortlist.organization.service import Access


def _path_id(request: Request, name: str) -> uuid.UUID | None:
    value = request.path_params.get(name)
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _on_success(request: Request, record: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """Run `record` once the handler has succeeded (2xx), in a transaction committed before the response."""

    async def write(request: Request, response: Response, session: AsyncSession) -> None:
        if not 200 <= response.status_code < 300:
            return  # a 304 discloses nothing new
        database = get_context(request).database
        if request.method not in SAFE_METHODS or not database.is_sqlite:
            await record(session)
            await session.flush()
            return
        async with database.writer() as own:
            await record(own)
            await own.commit()

    on_before_commit(request, write)


class Audited:
    def __init__(self, action: AccessAction) -> None:
        self.action = action

    async def __call__(self, request: Request) -> None:
        action = self.action

        async def record(session: AsyncSession) -> None:
            actor = getattr(request.state, "organization_access", None)
            if not isinstance(actor, Access):
                return
            posting_id = _path_id(request, "posting_id")
            application_id = _path_id(request, "application_id")
            await service.record(session, actor, action, posting_id=posting_id, application_id=application_id)

        _on_success(request, record)


def record_listed(
    request: Request, actor: Access, posting_id: uuid.UUID, applications: Sequence[Application]
) -> None:
    """A ranked list page discloses every application on it: one `applications.listed` entry each, written
    in one INSERT (`service.record_listed`), on the same terms as `Audited`."""
    shown = list(applications)

    async def record(session: AsyncSession) -> None:
        await service.record_listed(session, actor, posting_id, shown)

    _on_success(request, record)
