"""Webhook and background-job writes, over the same services as their REST routes."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.scopes import Scope
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.ids import uuid_of
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.graphql.types import Job, Webhook, WebhookDelivery, delivery_keys
from shortlist.http.route import on_after_commit
from shortlist.job import repository as job_repository
from shortlist.job import service as job_service
from shortlist.job.exceptions import JobNotFound
from shortlist.job.runtime import job_services
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.models import WebhookEndpoint
from shortlist.webhook import service as webhook_service
from shortlist.webhook.schemas import WebhookCreate, WebhookUpdate

ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(description="The version you read (If-Match): a stale one gets a ConflictProblem."),
]


@strawberry.type(description="The endpoint and its signing secret (shown only here).")
class WebhookWithSecret:
    webhook: Webhook
    secret: str


@strawberry.input
class WebhookInput:
    url: str
    event_types: list[str] = strawberry.field(default_factory=lambda: ["*"])
    description: str | None = None
    active: bool = True


@strawberry.input(description="Only the fields given change.")
class WebhookPatch:
    url: str | None = strawberry.UNSET
    event_types: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


WebhookResult = Annotated[
    Webhook | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("WebhookResult")
]
WebhookSecretResult = Annotated[
    WebhookWithSecret | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("WebhookSecretResult"),
]
DeliveryResult = Annotated[
    WebhookDelivery | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("DeliveryResult"),
]
JobResult = Annotated[Job | ConflictProblem | NotFoundProblem, strawberry.union("JobResult")]


async def deleted(session: AsyncSession, endpoint: WebhookEndpoint, expected_version: int | None) -> Webhook:
    """Delete a person's or an organisation's endpoint, if it is still the version the caller read."""
    check_expected_version(endpoint.version, expected_version, webhook_service.etag_of(endpoint))
    gone = Webhook.of(endpoint)
    await webhook_service.delete_endpoint(session, endpoint)
    return gone


async def rotated(
    session: AsyncSession, key: bytes, endpoint: WebhookEndpoint, overlap: timedelta
) -> WebhookWithSecret:
    """A new signing secret for a person's or an organisation's endpoint; the old one signs for `overlap`."""
    secret = webhook_service.rotate_secret(key, endpoint, overlap)
    await session.flush()
    return WebhookWithSecret(webhook=Webhook.of(endpoint), secret=secret)


def _given(patch: Any) -> dict[str, Any]:
    return {
        name: value
        for name in patch.__dataclass_fields__
        if (value := getattr(patch, name)) is not strawberry.UNSET
    }


@strawberry.type
class OperationMutations:
    @strawberry.mutation(description="Register a URL; the signing secret is in this answer only.")
    async def create_webhook(self, info: GraphInfo, input: WebhookInput) -> WebhookSecretResult:
        subject = require(info, Scope.webhooks_manage)
        app = info.context.app

        async def create(session: AsyncSession) -> WebhookWithSecret:
            body = validated(
                WebhookCreate,
                {
                    "url": input.url,
                    "event_types": input.event_types,
                    "description": input.description,
                    "active": input.active,
                },
            )
            endpoint, secret = await webhook_service.create_endpoint(
                app.settings,
                session,
                subject,
                app.keys.webhooks,
                app.webhook_egress,
                url=body.url,
                event_types=body.event_types,
                description=body.description,
                active=body.active,
            )
            return WebhookWithSecret(webhook=Webhook.of(endpoint), secret=secret)

        return await run_mutation(info, create)

    @strawberry.mutation(description="Change url, event types, description or active.")
    async def update_webhook(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        patch: WebhookPatch,
        expected_version: ExpectedVersion = None,
    ) -> WebhookResult:
        subject = require(info, Scope.webhooks_manage)
        app = info.context.app

        async def update(session: AsyncSession) -> Webhook:
            changes = changes_of(validated(WebhookUpdate, _given(patch)))
            webhook_service.check_changes(changes)
            endpoint = await webhook_service.get_endpoint(session, subject, uuid_of(id, "Webhook"))
            check_expected_version(endpoint.version, expected_version, webhook_service.etag_of(endpoint))
            await webhook_service.update_endpoint(session, endpoint, app.webhook_egress, changes)
            return Webhook.of(endpoint)

        return await run_mutation(info, update)

    @strawberry.mutation(description="Delete the endpoint and its delivery log.")
    async def delete_webhook(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        expected_version: ExpectedVersion = None,
    ) -> WebhookResult:
        subject = require(info, Scope.webhooks_manage)

        async def remove(session: AsyncSession) -> Webhook:
            endpoint = await webhook_service.get_endpoint(session, subject, uuid_of(id, "Webhook"))
            return await deleted(session, endpoint, expected_version)

        return await run_mutation(info, remove)

    @strawberry.mutation(description="A new signing secret; the old one keeps signing for the overlap.")
    async def rotate_webhook_secret(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        overlap_seconds: int | None = None,
    ) -> WebhookSecretResult:
        subject = require(info, Scope.webhooks_manage)
        app = info.context.app

        async def rotate(session: AsyncSession) -> WebhookWithSecret:
            overlap = webhook_service.rotation_overlap(app.settings, overlap_seconds)
            endpoint = await webhook_service.get_endpoint(session, subject, uuid_of(id, "Webhook"))
            return await rotated(session, app.keys.webhooks, endpoint, overlap)

        return await run_mutation(info, rotate)

    @strawberry.mutation(description="Queue a `webhook.ping` test event.")
    async def ping_webhook(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        idempotency_key: str | None = None,
    ) -> DeliveryResult:
        subject = require(info, Scope.webhooks_manage)
        endpoint_id = uuid_of(id, "Webhook")

        async def ping(session: AsyncSession) -> uuid.UUID:
            endpoint = await webhook_service.get_endpoint(session, subject, endpoint_id)
            return (await webhook_service.ping(session, endpoint)).id

        async def read(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery:
            endpoint = await webhook_service.get_endpoint(session, subject, endpoint_id)
            return WebhookDelivery.of(await webhook_service.get_delivery(session, endpoint, delivery_id))

        return await idempotent(info, idempotency_key, "pingWebhook", {"id": id}, ping, read)

    @strawberry.mutation(description="Send a finished delivery again (same webhook-id).")
    async def redeliver_webhook_delivery(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        idempotency_key: str | None = None,
    ) -> DeliveryResult:
        subject = require(info, Scope.webhooks_manage)

        async def redeliver(session: AsyncSession) -> uuid.UUID:
            endpoint_id, delivery_id = delivery_keys(id)
            endpoint = await webhook_service.get_endpoint(session, subject, endpoint_id)
            delivery = await webhook_service.get_delivery(session, endpoint, delivery_id)
            await webhook_service.redeliver(session, endpoint, delivery)
            return delivery.id

        async def read(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery:
            endpoint = await webhook_service.get_endpoint(session, subject, delivery_keys(id)[0])
            return WebhookDelivery.of(await webhook_service.get_delivery(session, endpoint, delivery_id))

        return await idempotent(
            info, idempotency_key, "redeliverWebhookDelivery", {"id": id}, redeliver, read
        )

    @strawberry.mutation(description="Cancel a queued or running job.")
    async def cancel_job(self, info: GraphInfo, id: strawberry.ID) -> JobResult:
        subject = require(info, Scope.jobs_write)
        context = info.context

        async def cancel(session: AsyncSession) -> Job:
            job = await job_repository.get(session, subject, uuid_of(id, "Job"))
            if job is None:
                raise JobNotFound()
            cancelled, changed = await job_service.cancel_owned(session, job)
            if changed:
                services = job_services(context.app)

                async def notify() -> None:
                    await services.notify(cancelled)

                # Workers hear of it only once the cancel is committed, as from REST.
                on_after_commit(context.request, notify)
            return Job.of(cancelled)

        result = await run_mutation(info, cancel)
        assert not isinstance(result, ValidationProblem)
        return result
