"""Root query fields. Lists are Relay connections with REST's signed cursors; single objects answer null
when they do not exist or belong to someone else (never data, never a hint of which)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shortlist.auth.scopes import Scope
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.ids import UnknownId, global_id, parse_global_id, uuid_of
from shortlist.graphql.types import (
    Connection,
    Edge,
    Job,
    Node,
    PageInfo,
    Resume,
    ResumeVersionNode,
    ShareLink,
    Template,
    User,
    Webhook,
    WebhookDelivery,
    page_size,
)
from shortlist.job import repository as job_repository
from shortlist.job import service as job_service
from shortlist.kit.pagination import page_of
from shortlist.models import ResumeShare
from shortlist.rendering import TemplateNotFound
from shortlist.resume import repository as resume_repository
from shortlist.resume import service as resume_service
from shortlist.template.catalogue import get_template, list_templates
from shortlist.webhook import events as webhook_events
from shortlist.webhook import repository as webhook_repository
from shortlist.webhook import service as webhook_service

First = Annotated[int | None, strawberry.argument(description="Page size (at most 100).")]
After = Annotated[str | None, strawberry.argument(description="`endCursor` of the previous page.")]


def _thumbnail_url(info: GraphInfo, slug: str) -> str:
    return str(info.context.request.url_for("get_template_thumbnail", slug=slug))


@strawberry.type
class WebhookEventType:
    name: str
    description: str


async def resume_node(info: GraphInfo, raw_id: strawberry.ID) -> Resume | None:
    require(info, Scope.resumes_read)
    row = await info.context.loaders.resumes.load(uuid_of(raw_id, "Resume"))
    return Resume.of(row) if row is not None else None


async def _node(info: GraphInfo, raw_id: strawberry.ID) -> Node | None:
    type_name, _key = parse_global_id(raw_id)
    if type_name == "Resume":
        return await resume_node(info, raw_id)
    if type_name == "ResumeVersion":
        return await ResumeVersionNode.resolve_reference(info, raw_id)
    if type_name == "User":
        return await User.resolve_reference(info, raw_id)
    if type_name == "Job":
        return await Job.resolve_reference(info, raw_id)
    if type_name == "Webhook":
        return await Webhook.resolve_reference(info, raw_id)
    if type_name == "WebhookDelivery":
        return await WebhookDelivery.resolve_node(info, raw_id)
    if type_name == "ShareLink":
        require(info, Scope.resumes_read)
        share_id = uuid_of(raw_id, "ShareLink")
        async with info.context.gate.use() as session:
            share = await session.get(ResumeShare, share_id)
        # Visible only through a resume the caller can read.
        if share is None or await info.context.loaders.resumes.load(share.resume_id) is None:
            return None
        return ShareLink.of(share)
    return await _recruiting_node(info, raw_id, type_name)


async def _recruiting_node(info: GraphInfo, raw_id: str, type_name: str) -> Node | None:
    from shortlist.graphql.applications import Application
    from shortlist.graphql.candidate import my_application
    from shortlist.graphql.organizations import Organization, member_node
    from shortlist.graphql.postings import JobPosting

    if type_name == "Organization":
        return await Organization.resolve_reference(info, strawberry.ID(raw_id))
    if type_name == "OrganizationMember":
        return await member_node(info, raw_id)
    if type_name == "JobPosting":
        return await JobPosting.resolve_reference(info, strawberry.ID(raw_id))
    if type_name == "Application":
        return await Application.resolve_node(info, raw_id)
    if type_name == "MyApplication":
        return await my_application(info, raw_id)
    raise UnknownId()


async def job(info: GraphInfo, id: strawberry.ID) -> Job | None:
    subject = require(info, Scope.jobs_read)
    async with info.context.gate.use() as session:
        row = await job_repository.get(session, subject, uuid_of(id, "Job"))
    return Job.of(row) if row is not None else None


async def webhook(info: GraphInfo, id: strawberry.ID) -> Webhook | None:
    subject = require(info, Scope.webhooks_manage)
    async with info.context.gate.use() as session:
        row = await webhook_repository.get_endpoint(session, subject, uuid_of(id, "Webhook"))
    return Webhook.of(row) if row is not None else None


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in account.")
    async def me(self, info: GraphInfo) -> User | None:
        subject = require(info, Scope.profile_read)
        return await User.resolve_reference(info, strawberry.ID(global_id("User", subject.user_id)))

    @strawberry.field(description="Any object by its global id; null when it is not yours or does not exist.")
    async def node(self, info: GraphInfo, id: strawberry.ID) -> Node | None:
        return await _node(info, id)

    @strawberry.field(
        description="One resume; null when it is not yours, is in the trash, or does not exist."
    )
    async def resume(self, info: GraphInfo, id: strawberry.ID) -> Resume | None:
        return await resume_node(info, id)

    @strawberry.field(description="Your resumes, most recently updated first.")
    async def resumes(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        query: Annotated[
            str | None, strawberry.argument(description="Only titles containing this text.")
        ] = None,
        deleted: Annotated[bool, strawberry.argument(description="List the trash instead.")] = False,
    ) -> Connection[Resume]:
        subject = require(info, Scope.resumes_read)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = resume_service.list_cursor_scope(subject, query, deleted)
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await resume_repository.list_page(
                session, subject, limit=size, after=position, title_contains=query, deleted=deleted
            )
        items, more = page_of(rows, size)
        for row in items:
            if not deleted:
                info.context.loaders.resumes.prime(row.id, row)
        edges = [
            Edge(cursor=cursors.encode(scope, r.updated_at, str(r.id)), node=Resume.of(r)) for r in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="The template catalogue (no sign-in needed).")
    def templates(self, info: GraphInfo) -> list[Template]:
        return [Template.of(t, _thumbnail_url(info, t.slug)) for t in list_templates()]

    @strawberry.field(description="One template by slug; null when there is none.")
    def template(self, info: GraphInfo, slug: str) -> Template | None:
        try:
            found = get_template(slug)
        except TemplateNotFound:
            return None
        return Template.of(found, _thumbnail_url(info, found.slug))

    @strawberry.field(description="Your background jobs, newest first.")
    async def jobs(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        status: str | None = None,
        kind: str | None = None,
    ) -> Connection[Job]:
        subject = require(info, Scope.jobs_read)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = job_service.list_cursor_scope(subject.user_id, status, kind)
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await job_repository.list_page(
                session, subject, limit=size, after=position, status=status, kind=kind
            )
        items, more = page_of(rows, size)
        edges = [Edge(cursor=cursors.encode(scope, r.created_at, str(r.id)), node=Job.of(r)) for r in items]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="One job; null when it is not yours.")
    async def job(self, info: GraphInfo, id: strawberry.ID) -> Job | None:
        return await Job.resolve_reference(info, id)

    @strawberry.field(description="Your webhook endpoints, newest first.")
    async def webhooks(
        self, info: GraphInfo, first: First = None, after: After = None
    ) -> Connection[Webhook]:
        subject = require(info, Scope.webhooks_manage)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = webhook_service.list_cursor_scope(subject)
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await webhook_repository.endpoints_page(session, subject, limit=size, after=position)
        items, more = page_of(rows, size)
        edges = [
            Edge(cursor=cursors.encode(scope, r.created_at, str(r.id)), node=Webhook.of(r)) for r in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="One webhook endpoint; null when it is not yours.")
    async def webhook(self, info: GraphInfo, id: strawberry.ID) -> Webhook | None:
        return await Webhook.resolve_reference(info, id)

    @strawberry.field(description="The event types a webhook can subscribe to.")
    def webhook_event_types(self, info: GraphInfo) -> list[WebhookEventType]:
        require(info, Scope.webhooks_manage)
        return [WebhookEventType(name=n, description=t) for n, t in webhook_events.EVENT_TYPES.items()]
