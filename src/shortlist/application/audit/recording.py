"""`dependencies=[Depends(Audited(action))]` on a route that discloses candidate data: after the handler has
succeeded, and in the request's own transaction, the read is recorded with the caller and the ids in the path.
A failed request records nothing (it disclosed nothing); a refused one never reaches the hook.

A read (GET) runs on a deferred reader transaction, which on SQLite cannot safely turn into a writer, so
its entry is written and committed in a writer session of its own before the response leaves: if the entry
cannot be written, the response fails rather than disclose unrecorded."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

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


class Audited:
    def __init__(self, action: AccessAction) -> None:
        self.action = action

    async def __call__(self, request: Request) -> None:
        action = self.action

        async def write(request: Request, response: Response, session: AsyncSession) -> None:
            actor = getattr(request.state, "organization_access", None)
            if not isinstance(actor, Access) or not 200 <= response.status_code < 300:
                return  # a 304 discloses nothing new
            posting_id = _path_id(request, "posting_id")
            application_id = _path_id(request, "application_id")
            if request.method not in SAFE_METHODS:
                await service.record(
                    session, actor, action, posting_id=posting_id, application_id=application_id
                )
                return
            async with get_context(request).database.writer() as own:
                await service.record(own, actor, action, posting_id=posting_id, application_id=application_id)
                await own.commit()

        on_before_commit(request, write)


def record_listed(
    request: Request, actor: Access, posting_id: uuid.UUID, applications: Sequence[Application]
) -> None:
    """A ranked list page discloses every application on it: one `applications.listed` entry each (job,
    application, candidate account, all already loaded), added together so the write is one INSERT however
    long the page; an empty page still names the job it searched. Like `Audited`, only once the handler has succeeded, and before the response leaves."""
    listed = service.ids_of(applications)

    async def write(request: Request, response: Response, session: AsyncSession) -> None:
        if not 200 <= response.status_code < 300:
            return
        if request.method not in SAFE_METHODS:
            service.record_applications(
                session, actor, AccessAction.applications_listed, listed, posting_id=posting_id
            )
            await session.flush()
            return
        async with get_context(request).database.writer() as own:
            service.record_applications(
                own, actor, AccessAction.applications_listed, listed, posting_id=posting_id
            )
            await own.commit()

    on_before_commit(request, write)
