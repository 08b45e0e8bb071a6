"""Object types: users, resumes, versions, designs, templates, renders, share links, jobs, webhooks.

Each wraps the ORM row its REST twin serialises; relations resolve through the request's loaders.
Entities carry a federation `@key` on their global id, and implement the Relay `Node` interface.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

import strawberry
from strawberry.scalars import JSON

from shortlist.auth.scopes import Scope
from shortlist.design import service as design_service
from shortlist.design.schemas import TemplateOut
from shortlist.graphql.content import ResumeContent, content_of
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.ids import UnknownId, global_id, parse_global_id, uuid_of
from shortlist.job import repository as job_repository
from shortlist.kit.pagination import clamp_limit
from shortlist.models import Job as JobRow
from shortlist.models import Resume as ResumeRow
from shortlist.models import ResumeDesign, ResumeShare, ResumeVersion, WebhookEndpoint
from shortlist.models import User as UserRow
from shortlist.models import WebhookDelivery as DeliveryRow
from shortlist.rendering import Design as DesignModel
from shortlist.rendering import TemplateInfo
from shortlist.resume import repository as resume_repository
from shortlist.resume import service as resume_service
from shortlist.share import service as share_service
from shortlist.webhook import repository as webhook_repository
from shortlist.webhook import service as webhook_service

NodeT = TypeVar("NodeT")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page. The same signed cursor as REST's `next_cursor`."
    )


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors per item.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


def page_size(first: int | None) -> int:
    """GraphQL's `first` clamps like REST's `limit` (at most 100)."""
    return clamp_limit(first)


@strawberry.federation.type(keys=["id"], description="The signed-in account.")
class User(Node):
    id: strawberry.ID
    email: str
    name: str | None
    role: str
    email_verified: bool
    created_at: datetime
    scopes: list[str] = strawberry.field(description="What these credentials may do.")

    @classmethod
    def of(cls, row: UserRow, scopes: frozenset[str]) -> User:
        return cls(
            id=strawberry.ID(global_id("User", row.id)),
            email=row.email,
            name=row.name,
            role=row.role,
            email_verified=row.email_verified_at is not None,
            created_at=row.created_at,
            scopes=sorted(scopes),
        )

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> User | None:
        subject = require(info, Scope.profile_read)
        if uuid_of(id, "User") != subject.user_id:
            return None  # an account is visible to itself only
        async with info.context.gate.use() as session:
            row = await session.get(UserRow, subject.user_id)
        return cls.of(row, subject.scopes) if row is not None else None


@strawberry.type(description="How a resume looks: the saved design, or the defaults when none was saved.")
class Design:
    etag: str = strawberry.field(description='The design\'s ETag ("d<version>"), as REST sends it.')
    version: int = strawberry.field(description="Pass as `expectedVersion` to update safely; 0 = defaults.")
    template: str
    color: str | None
    font: str | None
    base_size: float | None
    line_spacing: float | None
    margins_mm: float | None
    page_size: str
    section_order: list[str] | None
    hidden_sections: list[str]
    date_format: str | None
    show_icons: bool | None
    show_links: bool
    language: str

    @classmethod
    def of(cls, row: ResumeDesign | None) -> Design:
        return cls.from_model(design_service.stored_design(row), row.version if row else 0)

    @classmethod
    def from_model(cls, design: DesignModel, version: int) -> Design:
        values = design.model_dump(mode="json")
        return cls(
            etag=f'"d{version}"',
            version=version,
            template=values["template"],
            color=values["color"],
            font=values["font"],
            base_size=values["base_size"],
            line_spacing=values["line_spacing"],
            margins_mm=values["margins_mm"],
            page_size=values["page_size"],
            section_order=values["section_order"],
            hidden_sections=values["hidden_sections"],
            date_format=values["date_format"],
            show_icons=values["show_icons"],
            show_links=values["show_links"],
            language=values["language"],
        )


@strawberry.type(description="A design template from the catalogue (public).")
class Template:
    slug: str
    name: str
    description: str
    version: str
    layout: str
    options: JSON = strawberry.field(description="Every option the template honours, with its default.")
    thumbnail_url: str

    @classmethod
    def of(cls, info: TemplateInfo, thumbnail_url: str) -> Template:
        out = TemplateOut.of(info, thumbnail_url)
        return cls(
            slug=out.slug,
            name=out.name,
            description=out.description,
            version=out.version,
            layout=out.layout,
            options=JSON(out.options),
            thumbnail_url=out.thumbnail_url,
        )


@strawberry.type(description="Where the rendered resume is: the REST render endpoint, per format.")
class Renders:
    pdf: str
    png: str
    html: str
    docx: str
    text: str
    markdown: str
    json: str


def render_links(info: GraphInfo, resume_id: uuid.UUID) -> Renders:
    base = str(info.context.request.url_for("render_resume", resume_id=resume_id))

    def url(fmt: str) -> str:
        return f"{base}?{urlencode({'format': fmt})}"

    return Renders(
        pdf=url("pdf"),
        png=url("png"),
        html=url("html"),
        docx=url("docx"),
        text=url("txt"),
        markdown=url("md"),
        json=url("json"),
    )


@strawberry.type(description="A public read-only link. The token is shown only when the link is created.")
class ShareLink(Node):
    id: strawberry.ID
    share_id: uuid.UUID
    display_prefix: str
    formats: list[str]
    status: str = strawberry.field(description="active, expired or revoked.")
    view_count: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_viewed_at: datetime | None

    @classmethod
    def of(cls, row: ResumeShare) -> ShareLink:
        return cls(
            id=strawberry.ID(global_id("ShareLink", row.id)),
            share_id=row.id,
            display_prefix=row.display_prefix,
            formats=list(row.formats),
            status=share_service.status_of(row),
            view_count=row.view_count,
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_viewed_at=row.last_viewed_at,
        )


@strawberry.federation.type(
    keys=["id"], name="ResumeVersion", description="A saved version of a resume (history is never rewritten)."
)
class ResumeVersionNode(Node):
    id: strawberry.ID
    number: int
    title: str
    created_at: datetime
    row: strawberry.Private[ResumeVersion]

    @strawberry.field(description="The JSON Resume document of this version.")
    def content(self) -> ResumeContent:
        return content_of(self.row.content)

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> ResumeVersionNode | None:
        require(info, Scope.resumes_read)
        type_name, key = parse_global_id(id)
        resume_key, _, number = key.rpartition(":")
        if type_name != "ResumeVersion" or not number.isdigit():
            raise UnknownId()
        try:
            resume_id = uuid.UUID(resume_key)
        except ValueError as exc:
            raise UnknownId() from exc
        # Through the caller's own resume first: another account's version is simply not found.
        if await info.context.loaders.resumes.load(resume_id) is None:
            return None
        async with info.context.gate.use() as session:
            row = await resume_repository.version(session, resume_id, int(number))
        return cls.of(row) if row is not None else None

    @classmethod
    def of(cls, row: ResumeVersion) -> ResumeVersionNode:
        return cls(
            id=strawberry.ID(global_id("ResumeVersion", f"{row.resume_id}:{row.version}")),
            number=row.version,
            title=row.title,
            created_at=row.created_at,
            row=row,
        )


@strawberry.federation.type(keys=["id"], description="A JSON Resume document with its versions.")
class Resume(Node):
    id: strawberry.ID
    resume_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    title: str
    version: int = strawberry.field(description="Pass as `expectedVersion` to update safely.")
    etag: str = strawberry.field(description='The ETag REST sends ("r<version>").')
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    row: strawberry.Private[ResumeRow]

    @classmethod
    def of(cls, row: ResumeRow) -> Resume:
        return cls(
            id=strawberry.ID(global_id("Resume", row.id)),
            resume_id=row.id,
            title=row.title,
            version=row.version,
            etag=resume_service.etag_of(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
            deleted_at=row.deleted_at,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> Resume | None:
        require(info, Scope.resumes_read)
        row = await info.context.loaders.resumes.load(uuid_of(id, "Resume"))
        return cls.of(row) if row is not None else None

    @strawberry.field(description="The JSON Resume document, as typed objects.")
    def content(self) -> ResumeContent:
        return content_of(self.row.content)

    @strawberry.field(description="The snapshot of the current version.")
    async def latest_version(self, info: GraphInfo) -> ResumeVersionNode | None:
        row = await info.context.loaders.current_versions.load(self.resume_id)
        return ResumeVersionNode.of(row) if row is not None else None

    @strawberry.field(description="Saved versions, newest first.")
    async def versions(
        self,
        info: GraphInfo,
        first: Annotated[int | None, strawberry.argument(description="Page size (at most 100).")] = None,
        after: str | None = None,
    ) -> Connection[ResumeVersionNode]:
        size = page_size(first)
        scope = f"versions:{self.resume_id}"
        before = int(info.context.app.cursors.decode(scope, after)[1]) if after else None
        rows = await info.context.loaders.versions.load((self.resume_id, size, before))
        items, more = rows[:size], len(rows) > size
        cursors = info.context.app.cursors
        edges = [
            Edge(cursor=cursors.encode(scope, v.created_at, str(v.version)), node=ResumeVersionNode.of(v))
            for v in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="The saved design (or the defaults).")
    async def design(self, info: GraphInfo) -> Design:
        return Design.of(await info.context.loaders.designs.load(self.resume_id))

    @strawberry.field(description="Share links, newest first, revoked and expired ones included.")
    async def shares(self, info: GraphInfo) -> list[ShareLink]:
        return [ShareLink.of(row) for row in await info.context.loaders.shares.load(self.resume_id)]

    @strawberry.field(description="URLs of the REST render endpoint for each output format.")
    def renders(self, info: GraphInfo) -> Renders:
        return render_links(info, self.resume_id)


@strawberry.federation.type(keys=["id"], description="A background job: status, progress, result or error.")
class Job(Node):
    id: strawberry.ID
    job_id: uuid.UUID
    kind: str
    status: str
    progress: int
    attempts: int
    max_attempts: int
    resource_id: uuid.UUID | None
    result: JSON | None
    error: JSON | None = strawberry.field(description="The last failure, as an RFC 9457 problem document.")
    request_id: str | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, row: JobRow) -> Job:
        return cls(
            id=strawberry.ID(global_id("Job", row.id)),
            job_id=row.id,
            kind=row.kind,
            status=row.status,
            progress=row.progress,
            attempts=row.attempts,
            max_attempts=row.max_attempts,
            resource_id=row.resource_id,
            result=JSON(row.result) if row.result is not None else None,
            error=JSON(row.error) if row.error is not None else None,
            request_id=row.request_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> Job | None:
        subject = require(info, Scope.jobs_read)
        async with info.context.gate.use() as session:
            row = await job_repository.get(session, subject, uuid_of(id, "Job"))
        return cls.of(row) if row is not None else None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        """From the live message a worker publishes (the same fields as the row)."""

        def moment(name: str) -> datetime | None:
            value = data.get(name)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        job_id = uuid.UUID(str(data["id"]))
        resource = data.get("resource_id")
        return cls(
            id=strawberry.ID(global_id("Job", job_id)),
            job_id=job_id,
            kind=str(data.get("kind", "")),
            status=str(data.get("status", "")),
            progress=int(data.get("progress") or 0),
            attempts=int(data.get("attempts") or 0),
            max_attempts=int(data.get("max_attempts") or 0),
            resource_id=uuid.UUID(str(resource)) if resource else None,
            result=data.get("result"),
            error=data.get("error"),
            request_id=data.get("request_id"),
            created_at=moment("created_at") or datetime.min,
            updated_at=moment("updated_at") or datetime.min,
            started_at=moment("started_at"),
            finished_at=moment("finished_at"),
        )


def delivery_keys(raw_id: str) -> tuple[uuid.UUID, uuid.UUID]:
    """(endpoint id, delivery id) inside a delivery's global id: tenancy is checked through the endpoint."""
    type_name, key = parse_global_id(raw_id)
    endpoint_key, _, delivery_key = key.partition(":")
    if type_name != "WebhookDelivery":
        raise UnknownId()
    try:
        return uuid.UUID(endpoint_key), uuid.UUID(delivery_key)
    except ValueError as exc:
        raise UnknownId() from exc


@strawberry.type(description="One event sent (or to be sent) to a webhook endpoint, with its attempts.")
class WebhookDelivery(Node):
    id: strawberry.ID
    delivery_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    event_type: str
    event_id: str
    message_id: str = strawberry.field(description="The webhook-id header: the same for every attempt.")
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_latency_ms: int | None
    last_error: str | None
    created_at: datetime
    completed_at: datetime | None
    payload: JSON = strawberry.field(description="The JSON body that is signed and sent.")
    attempt_log: JSON = strawberry.field(description="The most recent attempts, oldest first.")

    @classmethod
    def of(cls, row: DeliveryRow) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(global_id("WebhookDelivery", f"{row.endpoint_id}:{row.id}")),
            delivery_id=row.id,
            event_type=row.event_type,
            event_id=row.event_id,
            message_id=row.message_id,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_attempt_at=row.last_attempt_at,
            last_status_code=row.last_status_code,
            last_latency_ms=row.last_latency_ms,
            last_error=row.last_error,
            created_at=row.created_at,
            completed_at=row.completed_at,
            payload=JSON(webhook_service.payload_of(row)),
            attempt_log=JSON(row.attempt_log or []),
        )

    @classmethod
    async def resolve_node(cls, info: GraphInfo, raw_id: str) -> WebhookDelivery | None:
        subject = require(info, Scope.webhooks_manage)
        endpoint_id, delivery_id = delivery_keys(raw_id)
        async with info.context.gate.use() as session:
            endpoint = await webhook_repository.get_endpoint(session, subject, endpoint_id)
            if endpoint is None:
                return None
            row = await webhook_repository.get_delivery(session, endpoint.id, delivery_id)
        return cls.of(row) if row is not None else None


@strawberry.federation.type(keys=["id"], description="A URL that receives signed event notifications.")
class Webhook(Node):
    id: strawberry.ID
    webhook_id: uuid.UUID
    url: str
    description: str | None
    event_types: list[str]
    active: bool
    disabled_reason: str | None
    consecutive_failures: int
    circuit_open_until: datetime | None
    failing_since: datetime | None
    last_success_at: datetime | None
    previous_secret_expires_at: datetime | None
    version: int = strawberry.field(description="Pass as `expectedVersion` to update safely.")
    etag: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: WebhookEndpoint) -> Webhook:
        return cls(
            id=strawberry.ID(global_id("Webhook", row.id)),
            webhook_id=row.id,
            url=row.url,
            description=row.description,
            event_types=list(row.event_types),
            active=row.active,
            disabled_reason=row.disabled_reason,
            consecutive_failures=row.consecutive_failures,
            circuit_open_until=row.circuit_open_until,
            failing_since=row.failing_since,
            last_success_at=row.last_success_at,
            previous_secret_expires_at=row.previous_secret_expires_at,
            version=row.version,
            etag=webhook_service.etag_of(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="The delivery log, newest first.")
    async def deliveries(
        self,
        info: GraphInfo,
        first: Annotated[int | None, strawberry.argument(description="Page size (at most 100).")] = None,
        after: str | None = None,
        status: Annotated[
            str | None, strawberry.argument(description="pending, delivering, succeeded or failed.")
        ] = None,
    ) -> Connection[WebhookDelivery]:
        webhook_service.check_delivery_status(status)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = webhook_service.deliveries_cursor_scope(self.webhook_id, status)
        position = cursors.position(scope, after)
        if position is None:
            rows = await info.context.loaders.deliveries.load((self.webhook_id, size, status))
        else:
            async with info.context.gate.use() as session:
                rows = await webhook_repository.deliveries_page(
                    session, self.webhook_id, limit=size, after=position, status=status
                )
        items, more = rows[:size], len(rows) > size
        edges = [
            Edge(cursor=cursors.encode(scope, d.created_at, str(d.id)), node=WebhookDelivery.of(d))
            for d in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> Webhook | None:
        subject = require(info, Scope.webhooks_manage)
        async with info.context.gate.use() as session:
            row = await webhook_repository.get_endpoint(session, subject, uuid_of(id, "Webhook"))
        return cls.of(row) if row is not None else None
