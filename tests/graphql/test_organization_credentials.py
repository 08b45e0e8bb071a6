"""An organisation's API keys, OAuth clients and webhook endpoints over GraphQL, over HTTP: they work where
REST's do, only owners and admins manage them (keys and clients with a person's session; webhooks also with
the organisation's own `webhooks:manage` credential), another organisation's ids are unknown, and bad input
is a typed problem."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import hiring

PROBLEM = "... on Problem { __typename code httpStatus } ... on ConflictProblem { currentVersion }"
KEY = "__typename ... on OrganizationApiKeyWithSecret { key apiKey { apiKeyId scopes createdBy } } " + PROBLEM
CREATE_KEY = (
    "mutation($org: UUID!, $scopes: [String!]!) { x: createOrganizationApiKey(organizationId: $org, "
    'input: {name: "sync", scopes: $scopes}) { ' + KEY + " } }"
)
ROTATE_KEY = (
    "mutation($org: UUID!, $id: UUID!) { x: rotateOrganizationApiKey(organizationId: $org, apiKeyId: $id) { "
    + KEY
    + " } }"
)
REVOKE_KEY = (
    "mutation($org: UUID!, $id: UUID!) { x: revokeOrganizationApiKey(organizationId: $org, apiKeyId: $id) { "
    "__typename ... on OrganizationApiKey { revokedAt } " + PROBLEM + " } }"
)
JOBS = "query($org: UUID!) { organization(organizationId: $org) { jobs { nodes { title } } } }"


async def _second_organization(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    made = await gql(
        client,
        'mutation($slug: String!) { createOrganization(input: {name: "Elsewhere", slug: $slug}) '
        "{ ... on Organization { organizationId } } }",
        {"slug": f"elsewhere-{uuid.uuid4().hex[:8]}"},
        headers,
    )
    organization_id: str = made["data"]["createOrganization"]["organizationId"]
    return organization_id


async def test_organization_api_keys(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, recruiter = h.team.headers(OrgRole.owner), h.team.headers(OrgRole.recruiter)
    org = str(h.org_id)

    by_recruiter = await gql(client, CREATE_KEY, {"org": org, "scopes": ["jobs:read"]}, recruiter)
    assert by_recruiter["data"] is None and codes(by_recruiter) == ["organization-operation-forbidden"]
    personal_scope = await gql(client, CREATE_KEY, {"org": org, "scopes": ["resumes:read"]}, owner)
    assert personal_scope["data"]["x"]["__typename"] == "ValidationProblem"

    made = (await gql(client, CREATE_KEY, {"org": org, "scopes": ["organization:read", "jobs:read"]}, owner))[
        "data"
    ]["x"]
    assert made["apiKey"]["scopes"] == ["jobs:read", "organization:read"]
    assert made["apiKey"]["createdBy"] == str(h.team.people[OrgRole.owner].user_id)
    key = {"X-API-Key": made["key"]}
    listed = await gql(client, JOBS, {"org": org}, key)
    assert [j["title"] for j in listed["data"]["organization"]["jobs"]["nodes"]] == [h.job["title"]]
    # The key itself cannot mint keys: a person's act.
    by_key = await gql(client, CREATE_KEY, {"org": org, "scopes": ["jobs:read"]}, key)
    assert codes(by_key) == ["credential-not-accepted"]

    # The outsider's own organisation, naming this key: unknown there, and the key keeps working.
    elsewhere = await _second_organization(client, h.outsider.headers)
    key_id = made["apiKey"]["apiKeyId"]
    for document in (ROTATE_KEY, REVOKE_KEY):
        crossed = await gql(client, document, {"org": elsewhere, "id": key_id}, h.outsider.headers)
        assert crossed["data"]["x"]["code"] == "organization-credential-not-found", crossed
    assert "errors" not in await gql(client, JOBS, {"org": org}, key)

    rotated = (await gql(client, ROTATE_KEY, {"org": org, "id": key_id}, owner))["data"]["x"]
    assert rotated["key"] != made["key"]
    assert (await client.get(f"/v1/organizations/{org}", headers=key)).status_code == 401
    assert (
        await client.get(f"/v1/organizations/{org}/jobs", headers={"X-API-Key": rotated["key"]})
    ).is_success
    revoked = await gql(client, REVOKE_KEY, {"org": org, "id": key_id}, owner)
    assert revoked["data"]["x"]["revokedAt"]
    assert (
        await client.get(f"/v1/organizations/{org}/jobs", headers={"X-API-Key": rotated["key"]})
    ).status_code == 401


CLIENT = (
    "__typename ... on OrganizationOAuthClientWithSecret { clientSecret oauthClient { oauthClientId clientId } } "
    + PROBLEM
)


async def _grant(client: httpx.AsyncClient, made: dict[str, Any], secret: str | None = None) -> int:
    response = await client.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(made["oauthClient"]["clientId"], secret or made["clientSecret"]),
    )
    return response.status_code


async def test_organization_oauth_clients(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, admin = h.team.headers(OrgRole.owner), h.team.headers(OrgRole.admin)
    org = str(h.org_id)
    create = (
        "mutation($org: UUID!, $scopes: [String!]!) { x: createOrganizationOAuthClient(organizationId: $org, "
        'input: {name: "nightly", scopes: $scopes}) { ' + CLIENT + " } }"
    )
    rotate = (
        "mutation($org: UUID!, $id: UUID!) { x: rotateOrganizationOAuthClientSecret(organizationId: $org, "
        "oauthClientId: $id) { " + CLIENT + " } }"
    )
    revoke = (
        "mutation($org: UUID!, $id: UUID!) { x: revokeOrganizationOAuthClient(organizationId: $org, "
        "oauthClientId: $id) { __typename " + PROBLEM + " } }"
    )
    empty = await gql(client, create, {"org": org, "scopes": []}, admin)
    assert empty["data"]["x"]["__typename"] == "ValidationProblem"
    viewer = await gql(client, create, {"org": org, "scopes": ["jobs:read"]}, h.team.headers(OrgRole.viewer))
    assert codes(viewer) == ["organization-operation-forbidden"]

    made = (await gql(client, create, {"org": org, "scopes": ["jobs:read"]}, admin))["data"]["x"]
    assert await _grant(client, made) == 200
    client_id = made["oauthClient"]["oauthClientId"]
    elsewhere = await _second_organization(client, h.outsider.headers)
    for document in (rotate, revoke):
        crossed = await gql(client, document, {"org": elsewhere, "id": client_id}, h.outsider.headers)
        assert crossed["data"]["x"]["code"] == "organization-credential-not-found", crossed
    assert await _grant(client, made) == 200

    rotated = (await gql(client, rotate, {"org": org, "id": client_id}, owner))["data"]["x"]
    assert await _grant(client, made) == 401
    assert await _grant(client, made, rotated["clientSecret"]) == 200
    revoked = await gql(client, revoke, {"org": org, "id": client_id}, owner)
    assert revoked["data"]["x"]["__typename"] == "OrganizationOAuthClient"
    assert await _grant(client, made, rotated["clientSecret"]) == 401


HOOK = "__typename ... on Webhook { webhookId version active eventTypes } " + PROBLEM


async def test_organization_webhooks(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, recruiter = h.team.headers(OrgRole.owner), h.team.headers(OrgRole.recruiter)
    org = str(h.org_id)
    create = (
        "mutation($org: UUID!, $events: [String!]!) { x: createOrganizationWebhook(organizationId: $org, "
        'input: {url: "http://127.0.0.1:9/hook", eventTypes: $events}) { __typename '
        "... on WebhookWithSecret { secret webhook { webhookId version } } " + PROBLEM + " } }"
    )
    update = (
        "mutation($org: UUID!, $id: UUID!, $v: Int) { x: updateOrganizationWebhook(organizationId: $org, "
        "webhookId: $id, patch: {active: false}, expectedVersion: $v) { " + HOOK + " } }"
    )
    rotate = (
        "mutation($org: UUID!, $id: UUID!, $o: Int) { x: rotateOrganizationWebhookSecret(organizationId: $org, "
        "webhookId: $id, overlapSeconds: $o) { __typename ... on WebhookWithSecret { secret } "
        + PROBLEM
        + " } }"
    )
    ping = (
        "mutation($org: UUID!, $id: UUID!, $k: String) { x: pingOrganizationWebhook(organizationId: $org, "
        "webhookId: $id, idempotencyKey: $k) { __typename ... on WebhookDelivery { deliveryId eventType } "
        + PROBLEM
        + " } }"
    )
    delete = (
        "mutation($org: UUID!, $id: UUID!, $v: Int) { x: deleteOrganizationWebhook(organizationId: $org, "
        "webhookId: $id, expectedVersion: $v) { " + HOOK + " } }"
    )

    personal_event = await gql(client, create, {"org": org, "events": ["resume.created"]}, owner)
    assert personal_event["data"]["x"]["__typename"] == "ValidationProblem", personal_event
    by_recruiter = await gql(client, create, {"org": org, "events": ["job.opened"]}, recruiter)
    assert codes(by_recruiter) == ["organization-operation-forbidden"]
    # The organisation's own key with webhooks:manage may manage them, as over REST.
    key = (
        await client.post(
            f"/v1/organizations/{org}/api-keys",
            json={"name": "hooks", "scopes": ["webhooks:manage"]},
            headers=owner,
        )
    ).json()["key"]
    made = await gql(client, create, {"org": org, "events": ["job.opened"]}, {"X-API-Key": key})
    hook = made["data"]["x"]["webhook"]
    assert made["data"]["x"]["secret"]
    ids = {"org": org, "id": hook["webhookId"]}

    elsewhere = await _second_organization(client, h.outsider.headers)
    for document in (update, rotate, ping, delete):
        crossed = await gql(client, document, {"org": elsewhere, "id": hook["webhookId"]}, h.outsider.headers)
        assert crossed["data"]["x"]["__typename"] == "NotFoundProblem", crossed

    first = await gql(client, ping, {**ids, "k": "ping-1"}, owner)
    again = await gql(client, ping, {**ids, "k": "ping-1"}, owner)
    assert first["data"]["x"]["eventType"] == "webhook.ping"
    assert again["data"]["x"]["deliveryId"] == first["data"]["x"]["deliveryId"]
    log = await client.get(f"/v1/organizations/{org}/webhooks/{hook['webhookId']}/deliveries", headers=owner)
    assert len(log.json()["items"]) == 1

    stale = await gql(client, update, {**ids, "v": hook["version"] + 1}, owner)
    assert stale["data"]["x"]["currentVersion"] == hook["version"]
    paused = await gql(client, update, {**ids, "v": hook["version"]}, owner)
    assert paused["data"]["x"]["active"] is False
    too_long = await gql(client, rotate, {**ids, "o": -1}, owner)
    assert too_long["data"]["x"]["__typename"] == "ValidationProblem"
    assert (await gql(client, rotate, ids, owner))["data"]["x"]["secret"] != made["data"]["x"]["secret"]

    paused_ping = await gql(client, ping, ids, owner)
    assert paused_ping["data"]["x"]["code"] == "webhook-inactive"

    version = paused["data"]["x"]["version"]
    gone = await gql(client, delete, {**ids, "v": version + 5}, owner)
    assert gone["data"]["x"]["__typename"] == "ConflictProblem"
    deleted = await gql(client, delete, ids, owner)
    assert deleted["data"]["x"]["webhookId"] == hook["webhookId"]
    assert (
        await client.get(f"/v1/organizations/{org}/webhooks/{hook['webhookId']}", headers=owner)
    ).status_code == 404
