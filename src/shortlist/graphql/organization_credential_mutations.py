"""An organisation's own API keys, OAuth clients and webhook endpoints: the same service calls, access-table
entries and role checks as REST's `/v1/organizations/{org_id}/api-keys`, `…/oauth-clients` and
`…/webhooks` routes (`organization/credentials/`, `webhook/organization.py`), each in its own savepoint.
Keys and clients are a person's act (owner and admin, a signed-in session); webhooks also accept the
organisation's own credential with `webhooks:manage`, as over REST."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.clients import service as client_service
from shortlist.graphql.context import GraphInfo, authorized_as
from shortlist.graphql.ids import global_id
from shortlist.graphql.operations import (
    DeliveryResult,
    WebhookInput,
    WebhookPatch,
    WebhookResult,
    WebhookSecretResult,
    WebhookWithSecret,
    _given,
    deleted,
    rotated,
)
from shortlist.graphql.recruiting_common import writer_access
from shortlist.graphql.recruiting_mutations import ExpectedVersion, IdempotencyKey
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.graphql.types import Webhook, WebhookDelivery
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.models import OAuthClient as OAuthClientRow
from shortlist.models import OrganizationApiKey as KeyRow
from shortlist.organization.credentials import service as credential_service
from shortlist.organization.credentials.schemas import OrganizationClientCreate, OrganizationKeyCreate
from shortlist.organization.policy import Operation
from shortlist.webhook import organization as organization_webhooks
from shortlist.webhook import service as webhook_service
from shortlist.webhook.schemas import WebhookCreate, WebhookUpdate


@strawberry.type(
    description="An organisation's API key (`X-API-Key: slo_…`); it acts for the member who made it."
)
class OrganizationApiKey:
    id: strawberry.ID
    api_key_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    name: str
    display_prefix: str
    scopes: list[str] = strawberry.field(description="Organisation scopes.")
    created_by: uuid.UUID = strawberry.field(description="The member it acts for; it stops if they leave.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: KeyRow) -> OrganizationApiKey:
        return cls(
            id=strawberry.ID(global_id("OrganizationApiKey", f"{row.organization_id}:{row.id}")),
            api_key_id=row.id,
            name=row.name,
            display_prefix=row.display_prefix,
            scopes=list(row.scopes),
            created_by=row.created_by,
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="The key with the key itself: in this answer only (only a hash is kept).")
class OrganizationApiKeyWithSecret:
    api_key: OrganizationApiKey
    key: str


@strawberry.type(description="An organisation's client-credentials integration; it acts for its maker.")
class OrganizationOAuthClient:
    id: strawberry.ID
    oauth_client_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    client_id: str = strawberry.field(description="The client id to authenticate with (HTTP Basic user).")
    name: str
    scopes: list[str] = strawberry.field(description="Organisation scopes.")
    secret_prefix: str
    created_by: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, row: OAuthClientRow) -> OrganizationOAuthClient:
        out = client_service.describe(row)
        return cls(
            id=strawberry.ID(global_id("OrganizationOAuthClient", f"{row.organization_id}:{row.id}")),
            oauth_client_id=out.id,
            client_id=out.client_id,
            name=out.name,
            scopes=list(out.scopes),
            secret_prefix=out.secret_prefix,
            created_by=row.created_by,
            created_at=out.created_at,
            last_used_at=out.last_used_at,
        )


@strawberry.type(description="The client with its secret: in this answer only (only a hash is kept).")
class OrganizationOAuthClientWithSecret:
    oauth_client: OrganizationOAuthClient
    client_secret: str


OrganizationApiKeyResult = Annotated[
    OrganizationApiKey | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OrganizationApiKeyResult"),
]
OrganizationApiKeySecretResult = Annotated[
    OrganizationApiKeyWithSecret | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OrganizationApiKeySecretResult"),
]
OrganizationOAuthClientResult = Annotated[
    OrganizationOAuthClient | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OrganizationOAuthClientResult"),
]
OrganizationOAuthClientSecretResult = Annotated[
    OrganizationOAuthClientWithSecret | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OrganizationOAuthClientSecretResult"),
]


@strawberry.input
class OrganizationApiKeyInput:
    name: str
    scopes: list[str] = strawberry.field(description="Organisation scopes your role has.")
    expires_at: datetime | None = strawberry.field(default=None, description="With a UTC offset.")


@strawberry.input
class OrganizationOAuthClientInput:
    name: str
    scopes: list[str] = strawberry.field(description="Organisation scopes your role has.")


@strawberry.type
class OrganizationCredentialMutations:
    @strawberry.mutation(
        description="Issue an API key for the organisation with organisation scopes your role has (owner and "
        "admin). It acts for you, never beyond your role. The key is in this answer only."
    )
    async def create_organization_api_key(
        self, info: GraphInfo, organization_id: uuid.UUID, input: OrganizationApiKeyInput
    ) -> OrganizationApiKeySecretResult:
        authorized_as(info, "create_organization_api_key")
        app = info.context.app

        async def work(session: AsyncSession) -> OrganizationApiKeyWithSecret:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            body = validated(
                OrganizationKeyCreate,
                {"name": input.name, "scopes": input.scopes, "expires_at": input.expires_at},
            )
            key, plaintext = await credential_service.issue_key(
                app, access, session, body.name, body.scopes, body.expires_at
            )
            return OrganizationApiKeyWithSecret(api_key=OrganizationApiKey.of(key), key=plaintext)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="A new secret for the key, shown once; the old one stops working at once."
    )
    async def rotate_organization_api_key(
        self, info: GraphInfo, organization_id: uuid.UUID, api_key_id: uuid.UUID
    ) -> OrganizationApiKeySecretResult:
        authorized_as(info, "rotate_organization_api_key")
        app = info.context.app

        async def work(session: AsyncSession) -> OrganizationApiKeyWithSecret:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            key = await credential_service.get_key(session, access, api_key_id)
            plaintext = await credential_service.rotate_key(app, session, key)
            return OrganizationApiKeyWithSecret(api_key=OrganizationApiKey.of(key), key=plaintext)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Revoke the organisation's key at once.")
    async def revoke_organization_api_key(
        self, info: GraphInfo, organization_id: uuid.UUID, api_key_id: uuid.UUID
    ) -> OrganizationApiKeyResult:
        authorized_as(info, "revoke_organization_api_key")

        async def work(session: AsyncSession) -> OrganizationApiKey:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            key = await credential_service.get_key(session, access, api_key_id)
            await credential_service.revoke_key(session, key)
            return OrganizationApiKey.of(key)

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="createOrganizationOAuthClient",
        description="Register a client-credentials integration for the organisation (organisation scopes "
        "your role has; it acts for you). The secret is in this answer only.",
    )
    async def create_organization_oauth_client(
        self, info: GraphInfo, organization_id: uuid.UUID, input: OrganizationOAuthClientInput
    ) -> OrganizationOAuthClientSecretResult:
        authorized_as(info, "create_organization_oauth_client")
        app = info.context.app

        async def work(session: AsyncSession) -> OrganizationOAuthClientWithSecret:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            body = validated(OrganizationClientCreate, {"name": input.name, "scopes": input.scopes})
            client, secret = await credential_service.register_client(
                app, access, session, body.name, body.scopes
            )
            await session.flush()
            return OrganizationOAuthClientWithSecret(
                oauth_client=OrganizationOAuthClient.of(client), client_secret=secret
            )

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="rotateOrganizationOAuthClientSecret",
        description="A new secret, shown once; the old secret and every token issued with it stop at once.",
    )
    async def rotate_organization_oauth_client_secret(
        self, info: GraphInfo, organization_id: uuid.UUID, oauth_client_id: uuid.UUID
    ) -> OrganizationOAuthClientSecretResult:
        authorized_as(info, "rotate_organization_oauth_client_secret")
        app = info.context.app

        async def work(session: AsyncSession) -> OrganizationOAuthClientWithSecret:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            client = await credential_service.get_client(session, access, oauth_client_id)
            secret = await credential_service.rotate_client_secret(app, session, client)
            return OrganizationOAuthClientWithSecret(
                oauth_client=OrganizationOAuthClient.of(client), client_secret=secret
            )

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="revokeOrganizationOAuthClient",
        description="Revoke the organisation's client and every token it holds, at once.",
    )
    async def revoke_organization_oauth_client(
        self, info: GraphInfo, organization_id: uuid.UUID, oauth_client_id: uuid.UUID
    ) -> OrganizationOAuthClientResult:
        authorized_as(info, "revoke_organization_oauth_client")

        async def work(session: AsyncSession) -> OrganizationOAuthClient:
            access = await writer_access(info, session, organization_id, Operation.credentials_manage)
            client = await credential_service.get_client(session, access, oauth_client_id)
            await credential_service.revoke_client(session, client)
            return OrganizationOAuthClient.of(client)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Register a URL for the organisation's recruiting events (ids and blind-safe fields "
        "only). The signing secret is in this answer only."
    )
    async def create_organization_webhook(
        self, info: GraphInfo, organization_id: uuid.UUID, input: WebhookInput
    ) -> WebhookSecretResult:
        authorized_as(info, "create_organization_webhook")
        app = info.context.app

        async def work(session: AsyncSession) -> WebhookWithSecret:
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            body = validated(
                WebhookCreate,
                {
                    "url": input.url,
                    "event_types": input.event_types,
                    "description": input.description,
                    "active": input.active,
                },
            )
            endpoint, secret = await organization_webhooks.create_endpoint(
                app.settings,
                session,
                access.organization.id,
                app.keys.webhooks,
                app.webhook_egress,
                url=body.url,
                event_types=body.event_types,
                description=body.description,
                active=body.active,
            )
            return WebhookWithSecret(webhook=Webhook.of(endpoint), secret=secret)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Change url, event types, description or active of the organisation's hook."
    )
    async def update_organization_webhook(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        webhook_id: uuid.UUID,
        patch: WebhookPatch,
        expected_version: ExpectedVersion = None,
    ) -> WebhookResult:
        authorized_as(info, "update_organization_webhook")
        app = info.context.app

        async def work(session: AsyncSession) -> Webhook:
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            changes = changes_of(validated(WebhookUpdate, _given(patch)))
            endpoint = await organization_webhooks.get_endpoint(session, access.organization.id, webhook_id)
            check_expected_version(endpoint.version, expected_version, webhook_service.etag_of(endpoint))
            await organization_webhooks.update_endpoint(session, endpoint, app.webhook_egress, changes)
            return Webhook.of(endpoint)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Delete the organisation's endpoint and its delivery log.")
    async def delete_organization_webhook(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        webhook_id: uuid.UUID,
        expected_version: ExpectedVersion = None,
    ) -> WebhookResult:
        authorized_as(info, "delete_organization_webhook")

        async def work(session: AsyncSession) -> Webhook:
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            endpoint = await organization_webhooks.get_endpoint(session, access.organization.id, webhook_id)
            return await deleted(session, endpoint, expected_version)

        return await run_mutation(info, work)

    @strawberry.mutation(description="A new signing secret; the old one keeps signing for the overlap.")
    async def rotate_organization_webhook_secret(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        webhook_id: uuid.UUID,
        overlap_seconds: int | None = None,
    ) -> WebhookSecretResult:
        authorized_as(info, "rotate_organization_webhook_secret")
        app = info.context.app

        async def work(session: AsyncSession) -> WebhookWithSecret:
            overlap = webhook_service.rotation_overlap(app.settings, overlap_seconds)
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            endpoint = await organization_webhooks.get_endpoint(session, access.organization.id, webhook_id)
            return await rotated(session, app.keys.webhooks, endpoint, overlap)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Queue a `webhook.ping` test event to the organisation's endpoint.")
    async def ping_organization_webhook(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        webhook_id: uuid.UUID,
        idempotency_key: IdempotencyKey = None,
    ) -> DeliveryResult:
        authorized_as(info, "ping_organization_webhook")

        async def ping(session: AsyncSession) -> uuid.UUID:
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            endpoint = await organization_webhooks.get_endpoint(session, access.organization.id, webhook_id)
            return (await webhook_service.ping(session, endpoint)).id

        async def read(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery:
            access = await writer_access(info, session, organization_id, Operation.webhooks_manage)
            endpoint = await organization_webhooks.get_endpoint(session, access.organization.id, webhook_id)
            return WebhookDelivery.of(await webhook_service.get_delivery(session, endpoint, delivery_id))

        arguments = {"organizationId": str(organization_id), "webhookId": str(webhook_id)}
        return await idempotent(info, idempotency_key, "pingOrganizationWebhook", arguments, ping, read)
