"""The account's own actions: the profile, the password, signing out everywhere, unlinking a sign-in method,
deleting the account, and the API keys and OAuth clients a person makes for scripts and integrations. The
same service calls as REST's `/v1/users/me`, `/v1/auth/…`, `/v1/api-keys` and `/v1/oauth-clients`, and the
same access-table entries (`authorized_as`): the password, deletion, sessions and OAuth clients need a
person's signed-in session, as over REST, so a leaked key cannot lock its owner out or mint successors."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.apikey import service as apikey_service
from shortlist.apikey.schemas import ApiKeyCreate
from shortlist.auth import service as auth_service
from shortlist.auth.clients import service as client_service
from shortlist.auth.clients.schemas import OAuthClientCreate
from shortlist.auth.oidc import service as oidc_service
from shortlist.auth.subject import Subject
from shortlist.graphql.context import GraphInfo, authorized_as
from shortlist.graphql.ids import global_id
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    run_mutation,
    validated,
)
from shortlist.graphql.types import User
from shortlist.kit.merge_patch import changes_of
from shortlist.models import ApiKey as ApiKeyRow
from shortlist.models import OAuthClient as OAuthClientRow
from shortlist.user import service as user_service
from shortlist.user.schemas import PasswordChange, UserPatch


@strawberry.type(description="A personal API key (`X-API-Key: slk_…`); the key itself is shown only once.")
class ApiKey:
    id: strawberry.ID
    api_key_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    name: str
    display_prefix: str = strawberry.field(description="The start of the key, to tell keys apart.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiKeyRow) -> ApiKey:
        return cls(
            id=strawberry.ID(global_id("ApiKey", row.id)),
            api_key_id=row.id,
            name=row.name,
            display_prefix=row.display_prefix,
            scopes=list(row.scopes),
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="A new API key with the key itself: in this answer only (only a hash is kept).")
class ApiKeyWithSecret:
    api_key: ApiKey
    key: str


@strawberry.type(description="An integration that signs in with the client-credentials grant.")
class OAuthClient:
    id: strawberry.ID
    oauth_client_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    client_id: str = strawberry.field(description="The client id to authenticate with (HTTP Basic user).")
    name: str
    scopes: list[str]
    secret_prefix: str = strawberry.field(description="The start of the current secret.")
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, row: OAuthClientRow) -> OAuthClient:
        out = client_service.describe(row)
        return cls(
            id=strawberry.ID(global_id("OAuthClient", row.id)),
            oauth_client_id=out.id,
            client_id=out.client_id,
            name=out.name,
            scopes=list(out.scopes),
            secret_prefix=out.secret_prefix,
            created_at=out.created_at,
            last_used_at=out.last_used_at,
        )


@strawberry.type(description="A client with its secret: in this answer only (only a hash is kept).")
class OAuthClientWithSecret:
    oauth_client: OAuthClient
    client_secret: str


UserResult = Annotated[
    User | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("UserResult")
]
ApiKeyResult = Annotated[
    ApiKey | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("ApiKeyResult")
]
ApiKeyCreatedResult = Annotated[
    ApiKeyWithSecret | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("ApiKeyCreatedResult"),
]
OAuthClientResult = Annotated[
    OAuthClient | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("OAuthClientResult")
]
OAuthClientSecretResult = Annotated[
    OAuthClientWithSecret | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OAuthClientSecretResult"),
]


@strawberry.input(description="Only the fields given change (a merge patch, as REST's PATCH /v1/users/me).")
class ProfilePatch:
    name: str | None = strawberry.UNSET


@strawberry.input
class ApiKeyInput:
    name: str
    scopes: list[str] = strawberry.field(description="A subset of your own scopes.")
    expires_at: datetime | None = strawberry.field(default=None, description="With a UTC offset.")


@strawberry.input
class OAuthClientInput:
    name: str
    scopes: list[str] = strawberry.field(description="A subset of your own scopes.")


async def _account(session: AsyncSession, subject: Subject) -> User:
    return User.of(await user_service.me(session, subject), subject.scopes)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Rename the account (`profile:write`).")
    async def update_me(self, info: GraphInfo, input: ProfilePatch) -> UserResult:
        subject = authorized_as(info, "update_me")
        given = {} if input.name is strawberry.UNSET else {"name": input.name}

        async def work(session: AsyncSession) -> User:
            body = validated(UserPatch, given)
            row = await user_service.update(session, subject, changes_of(body))
            return User.of(row, subject.scopes)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Change the password (a signed-in session only). Every sign-in, this one's too, is "
        "revoked: sign in again. A wrong current password is the `invalid-credentials` error, as REST's 401."
    )
    async def change_password(self, info: GraphInfo, current_password: str, new_password: str) -> UserResult:
        subject = authorized_as(info, "change_password")
        app = info.context.app

        async def work(session: AsyncSession) -> User:
            body = validated(
                PasswordChange, {"current_password": current_password, "new_password": new_password}
            )
            account = await _account(session, subject)
            await user_service.change_password(
                app, session, subject, body.current_password, body.new_password
            )
            return account

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Revoke every refresh token and every access token issued so far for this account (a "
        "signed-in session only); this request finishes, the next needs a new sign-in."
    )
    async def logout_all(self, info: GraphInfo) -> UserResult:
        subject = authorized_as(info, "logout_all")

        async def work(session: AsyncSession) -> User:
            row = await user_service.me(session, subject)
            await auth_service.logout_all(session, row)
            return User.of(row, subject.scopes)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Unlink an OpenID Connect provider (a signed-in session only). Refused while it is the "
        "account's only way to sign in."
    )
    async def unlink_identity(self, info: GraphInfo, identity_id: uuid.UUID) -> UserResult:
        subject = authorized_as(info, "unlink_identity")

        async def work(session: AsyncSession) -> User:
            row = await user_service.me(session, subject)
            await oidc_service.unlink(session, row, identity_id)
            return User.of(row, subject.scopes)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Delete the account with its resumes, tokens and API keys (a signed-in session only). "
        "Answers the account as it was."
    )
    async def delete_account(self, info: GraphInfo) -> UserResult:
        subject = authorized_as(info, "delete_me")

        async def work(session: AsyncSession) -> User:
            gone = await _account(session, subject)
            await user_service.delete(session, subject)
            return gone

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="A personal API key with a subset of your scopes (`api_keys:manage`). The key is in this "
        "answer only."
    )
    async def create_api_key(self, info: GraphInfo, input: ApiKeyInput) -> ApiKeyCreatedResult:
        subject = authorized_as(info, "create_api_key")
        keys = info.context.app.keys

        async def work(session: AsyncSession) -> ApiKeyWithSecret:
            body = validated(
                ApiKeyCreate, {"name": input.name, "scopes": input.scopes, "expires_at": input.expires_at}
            )
            scopes = {scope.value for scope in body.scopes}
            row, plaintext = await apikey_service.create(
                session, subject, keys.api_keys, body.name, scopes, body.expires_at
            )
            return ApiKeyWithSecret(api_key=ApiKey.of(row), key=plaintext)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Revoke one of your API keys at once (`api_keys:manage`).")
    async def revoke_api_key(self, info: GraphInfo, api_key_id: uuid.UUID) -> ApiKeyResult:
        subject = authorized_as(info, "revoke_api_key")

        async def work(session: AsyncSession) -> ApiKey:
            row = await apikey_service.revoke(session, subject, api_key_id)
            return ApiKey.of(row)

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="createOAuthClient",
        description="Register a client-credentials integration with a subset of your scopes (a signed-in "
        "session only). The secret is in this answer only.",
    )
    async def create_oauth_client(self, info: GraphInfo, input: OAuthClientInput) -> OAuthClientSecretResult:
        subject = authorized_as(info, "create_oauth_client")
        app = info.context.app

        async def work(session: AsyncSession) -> OAuthClientWithSecret:
            body = validated(OAuthClientCreate, {"name": input.name, "scopes": input.scopes})
            row, secret = await client_service.register(
                app,
                session,
                subject.user_id,
                subject.scopes,
                body.name,
                {scope.value for scope in body.scopes},
            )
            await session.flush()
            return OAuthClientWithSecret(oauth_client=OAuthClient.of(row), client_secret=secret)

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="rotateOAuthClientSecret",
        description="A new secret for one of your clients, shown once; the old secret and every token "
        "issued with it stop working at once.",
    )
    async def rotate_oauth_client_secret(
        self, info: GraphInfo, oauth_client_id: uuid.UUID
    ) -> OAuthClientSecretResult:
        subject = authorized_as(info, "rotate_oauth_client_secret")
        app = info.context.app

        async def work(session: AsyncSession) -> OAuthClientWithSecret:
            row = await client_service.owned(session, subject.user_id, oauth_client_id)
            secret = client_service.rotate_secret(app, session, row)
            await session.flush()
            return OAuthClientWithSecret(oauth_client=OAuthClient.of(row), client_secret=secret)

        return await run_mutation(info, work)

    @strawberry.mutation(
        name="revokeOAuthClient", description="Revoke one of your clients and every token it holds, at once."
    )
    async def revoke_oauth_client(self, info: GraphInfo, oauth_client_id: uuid.UUID) -> OAuthClientResult:
        subject = authorized_as(info, "revoke_oauth_client")

        async def work(session: AsyncSession) -> OAuthClient:
            row = await client_service.owned(session, subject.user_id, oauth_client_id)
            client_service.revoke(session, row)
            await session.flush()
            return OAuthClient.of(row)

        return await run_mutation(info, work)
