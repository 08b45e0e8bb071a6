"""Subscriptions over WebSocket (graphql-transport-ws): job progress and resume changes.

They read the caller's own pub/sub channel (`platform.pubsub`, Redis when configured), so a change made
on any instance reaches a socket on any other, as the REST SSE stream and `/v1/ws` do. The socket
authenticates in `connection_init` ({"authorization": "Bearer …"} or {"apiKey": "slk_…"}) or with the
upgrade request's Authorization / X-API-Key header, and closes when the access token expires.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from shortlist.auth.scopes import Scope
from shortlist.auth.subject import API_KEY_PREFIX, Subject, _from_access_token, _from_api_key
from shortlist.context import AppContext
from shortlist.graphql.ids import global_id, uuid_of
from shortlist.graphql.recruiting_common import recruiting_id, recruiting_keys
from shortlist.graphql.types import Job
from shortlist.job import repository as job_repository
from shortlist.job import service as job_service
from shortlist.job.exceptions import JobNotFound
from shortlist.kit.problems import Forbidden, Unauthorized
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation
from shortlist.platform.pubsub import organization_channel, user_channel
from shortlist.posting import service as posting_service

# Re-read the job when no message came for this long: correct without pub/sub, only slower.
POLL_SECONDS = 2.0


class SocketContext(BaseContext):
    """What a socket's resolvers get: the app's services and the subject authenticated at connection_init.
    (A Strawberry BaseContext: its router fills in the WebSocket as `request`.)"""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.subject: Subject | None = None
        self.expires_at = 0.0


async def authenticate(context: SocketContext) -> None:
    """Resolve the socket's subject from connection_init's payload or the upgrade headers."""
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    headers = context.request.headers if context.request is not None else {}
    credential = params.get("apiKey") or params.get("authorization") or headers.get("x-api-key")
    credential = credential or headers.get("authorization")
    if not isinstance(credential, str) or not credential.strip():
        raise Unauthorized("Send an access token or an API key in connection_init.", error="invalid_request")
    credential = credential.strip()
    if credential.lower().startswith("bearer "):
        credential = credential[7:].strip()
    ttl = context.app.settings.access_token_ttl_seconds
    if credential.startswith(API_KEY_PREFIX + "_"):
        context.subject = await _from_api_key(context.app, credential)
        context.expires_at = time.time() + ttl
    else:
        context.subject = await _from_access_token(context.app, credential)
        context.expires_at = context.app.tokens.decode(credential).issued_at + ttl


def _socket(info: Info[SocketContext, Any], scope: Scope) -> tuple[SocketContext, Subject]:
    context = info.context
    subject = context.subject
    if subject is None:
        raise Unauthorized("Authenticate the socket first.")
    if scope not in subject.scopes:
        raise Forbidden(f"The credentials lack the scope(s): {scope}.")
    return context, subject


def _check_expiry(context: SocketContext) -> float:
    left = context.expires_at - time.time()
    if left <= 0:
        raise Unauthorized("The credential expired; reconnect with a fresh token.")
    return left


@strawberry.type(description="A resume was created, changed, trashed or restored.")
class ResumeChange:
    event: str = strawberry.field(description="resume.created, resume.updated, resume.deleted, …")
    resume_id: uuid.UUID
    version: int | None
    occurred_at: datetime
    resume_global_id: strawberry.ID = strawberry.field(description="Fetch the resume with `node(id:)`.")


APPLICATION_EVENTS = (
    "application.created",
    "application.scored",
    "application.stage_changed",
    "application.updated",
)


@strawberry.type(description="An application to the job was created, scored, moved or changed (ids only).")
class ApplicationEvent:
    event: str = strawberry.field(
        description="application.created, application.scored, application.stage_changed or "
        "application.updated (a note, tags, a rating, a scorecard, the score override or the shortlist)."
    )
    application_id: uuid.UUID
    application_global_id: strawberry.ID = strawberry.field(description="Fetch it with `node(id:)`.")
    score: int | None
    from_stage: str | None
    to_stage: str | None
    change: str | None = strawberry.field(
        description="On application.updated, what changed: tags, note, rating, scorecard, override_score, "
        "shortlisted (comma-separated when several)."
    )
    occurred_at: datetime


@strawberry.type
class Subscription:
    @strawberry.subscription(description="A background job's progress, until it is over.")
    async def job_progress(
        self,
        info: Info[SocketContext, Any],
        id: strawberry.ID,
    ) -> AsyncGenerator[Job, None]:
        context, subject = _socket(info, Scope.jobs_read)
        job_id = uuid_of(id, "Job")
        database = context.app.database
        # Subscribe before reading, so no change between the read and the subscription is missed.
        async with context.app.pubsub.subscribe(user_channel(subject.user_id)) as subscription:
            async with database.reader() as session:
                row = await job_repository.get(session, subject, job_id)
            if row is None:
                raise JobNotFound()
            last = Job.of(row)
            yield last
            while not job_service.is_terminal(last.status):
                message = await subscription.get(min(POLL_SECONDS, _check_expiry(context)))
                fresh: Job | None = None
                if message is None:
                    async with database.reader() as session:
                        row = await job_repository.get(session, subject, job_id)
                    if row is None:
                        return
                    fresh = Job.of(row)
                elif message.get("type") == "job" and (message.get("job") or {}).get("id") == str(job_id):
                    fresh = Job.from_json(message["job"])
                changed = fresh is not None and (fresh.status, fresh.progress) != (last.status, last.progress)
                if fresh is not None and changed and fresh.updated_at >= last.updated_at:
                    last = fresh
                    yield last

    @strawberry.subscription(description="Changes to your resumes (or to one, with `id`).")
    async def resume_changes(
        self,
        info: Info[SocketContext, Any],
        id: strawberry.ID | None = None,
    ) -> AsyncGenerator[ResumeChange, None]:
        context, subject = _socket(info, Scope.resumes_read)
        wanted = str(uuid_of(id, "Resume")) if id is not None else None
        async with context.app.pubsub.subscribe(user_channel(subject.user_id)) as subscription:
            while True:
                message = await subscription.get(min(30.0, _check_expiry(context)))
                if message is None or message.get("type") != "event":
                    continue
                event = message.get("event") or {}
                resource = event.get("resource_id")
                if event.get("resource_type") != "resume" or not resource:
                    continue
                if wanted is not None and resource != wanted:
                    continue
                resume_id = uuid.UUID(resource)
                version = (event.get("data") or {}).get("version")
                yield ResumeChange(
                    event=str(event.get("name")),
                    resume_id=resume_id,
                    version=version if isinstance(version, int) else None,
                    occurred_at=datetime.fromisoformat(str(event.get("occurred_at"))),
                    resume_global_id=strawberry.ID(global_id("Resume", resume_id)),
                )

    @strawberry.subscription(
        description="Applications to one job: created, scored, moved, changed. For the organisation's members who may "
        "read the job's applications (a hiring manager only on their jobs); events carry ids, never identity."
    )
    async def application_events(
        self, info: Info[SocketContext, Any], job_posting_id: strawberry.ID
    ) -> AsyncGenerator[ApplicationEvent, None]:
        context = info.context
        subject = context.subject
        if subject is None:
            raise Unauthorized("Authenticate the socket first.")
        organization_id, posting_id = recruiting_keys(job_posting_id, "JobPosting", 2)
        # The same membership, role and job checks as the ranked list (not a member: "Organization not found").
        async with context.app.database.reader() as session:
            access = await organization_service.access(session, subject, organization_id)
            access.require(Operation.applications_read)
            posting = await posting_service.get(session, access, posting_id)
        # The organisation's channel carries its recruiting events whoever owns it: keep only this job's.
        wanted = str(posting.id)
        channel = organization_channel(organization_id)
        async with context.app.pubsub.subscribe(channel) as subscription:
            while True:
                message = await subscription.get(min(30.0, _check_expiry(context)))
                if message is None or message.get("type") != "event":
                    continue
                event = message.get("event") or {}
                data = event.get("data") or {}
                if event.get("name") not in APPLICATION_EVENTS or data.get("job_id") != wanted:
                    continue
                application_id = uuid.UUID(str(data.get("application_id")))
                score, change = data.get("score"), data.get("change")
                yield ApplicationEvent(
                    event=str(event.get("name")),
                    application_id=application_id,
                    application_global_id=recruiting_id(
                        "Application", organization_id, posting.id, application_id
                    ),
                    score=score if isinstance(score, int) else None,
                    from_stage=data.get("from_stage"),
                    to_stage=data.get("to_stage"),
                    change=change if isinstance(change, str) else None,
                    occurred_at=datetime.fromisoformat(str(event.get("occurred_at"))),
                )
