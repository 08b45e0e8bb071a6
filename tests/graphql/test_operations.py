"""Webhooks and background jobs over GraphQL: the same services and rules as their REST routes."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import update as sql_update

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id
from shortlist.job import tasks as _tasks  # noqa: F401 - registers the system.* kinds
from shortlist.models import WebhookDelivery
from tests.conftest import Register
from tests.graphql.helpers import gql
from tests.job.helpers import enqueue, get_job

WEBHOOK_FIELDS = "id webhookId url description eventTypes active version etag"


async def test_webhook_lifecycle(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    types = await gql(client, "{ webhookEventTypes { name } }", headers=alice)
    assert "resume.updated" in {t["name"] for t in types["data"]["webhookEventTypes"]}

    created = await gql(
        client,
        f"""mutation {{ createWebhook(input: {{url: "http://127.0.0.1:9/hook", eventTypes: ["resume.updated"]}})
          {{ __typename ... on WebhookWithSecret {{ secret webhook {{ {WEBHOOK_FIELDS} }} }} }} }}""",
        headers=alice,
    )
    made = created["data"]["createWebhook"]
    assert made["secret"].startswith("whsec_") and made["webhook"]["version"] == 1
    hook = made["webhook"]
    rest = await client.get(f"/v1/webhooks/{hook['webhookId']}", headers=alice)
    assert rest.status_code == 200 and rest.headers["etag"] == hook["etag"]

    bad = await gql(
        client,
        'mutation { createWebhook(input: {url: "http://127.0.0.1:9/x", eventTypes: ["no.such"]}) '
        "{ __typename ... on Problem { code httpStatus } } }",
        headers=alice,
    )
    assert bad["data"]["createWebhook"]["__typename"] == "ValidationProblem"

    update = """mutation($id: ID!, $patch: WebhookPatch!, $v: Int) {
      updateWebhook(id: $id, patch: $patch, expectedVersion: $v) {
        __typename ... on Webhook { description active version } ... on Problem { code httpStatus } } }"""
    changed = await gql(client, update, {"id": hook["id"], "patch": {"description": "CI"}, "v": 1}, alice)
    assert changed["data"]["updateWebhook"] == {
        "__typename": "Webhook",
        "description": "CI",
        "active": True,
        "version": 2,
    }
    stale = await gql(client, update, {"id": hook["id"], "patch": {"description": "x"}, "v": 1}, alice)
    assert stale["data"]["updateWebhook"]["code"] == "precondition-failed"
    cleared = await gql(client, update, {"id": hook["id"], "patch": {"url": None}}, alice)
    assert cleared["data"]["updateWebhook"] == {
        "__typename": "ValidationProblem",
        "code": "validation-error",
        "httpStatus": 422,
    }

    rotated = await gql(
        client,
        "mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 60) { __typename "
        "... on WebhookWithSecret { secret webhook { previousSecretExpiresAt } } } }",
        {"id": hook["id"]},
        alice,
    )
    rotation = rotated["data"]["rotateWebhookSecret"]
    assert rotation["secret"] != made["secret"] and rotation["webhook"]["previousSecretExpiresAt"]
    # An overlap past a week is refused by the service rule both faces share.
    too_long = await gql(
        client,
        "mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 604801) { __typename } }",
        {"id": hook["id"]},
        alice,
    )
    assert too_long["data"]["rotateWebhookSecret"] == {"__typename": "ValidationProblem"}

    ping = """mutation($id: ID!, $key: String) { pingWebhook(id: $id, idempotencyKey: $key) {
      __typename ... on WebhookDelivery { id deliveryId eventType status } } }"""
    key = uuid.uuid4().hex
    one = await gql(client, ping, {"id": hook["id"], "key": key}, alice)
    two = await gql(client, ping, {"id": hook["id"], "key": key}, alice)
    assert one["data"]["pingWebhook"]["eventType"] == "webhook.ping"
    assert one["data"]["pingWebhook"]["id"] == two["data"]["pingWebhook"]["id"]
    deliveries = await client.get(f"/v1/webhooks/{hook['webhookId']}/deliveries", headers=alice)
    assert len(deliveries.json()["items"]) == 1

    log = await gql(
        client,
        """query($id: ID!) { webhook(id: $id) { deliveries(first: 5) { nodes { id eventType status payload } } }
          failed: webhook(id: $id) { deliveries(status: "failed") { nodes { id } } } }""",
        {"id": hook["id"]},
        alice,
    )
    nodes = log["data"]["webhook"]["deliveries"]["nodes"]
    assert [n["eventType"] for n in nodes] == ["webhook.ping"] and nodes[0]["payload"][
        "type"
    ] == "webhook.ping"
    assert log["data"]["failed"]["deliveries"]["nodes"] == []
    by_node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on WebhookDelivery { deliveryId messageId } } }",
        {"id": nodes[0]["id"]},
        alice,
    )
    assert by_node["data"]["node"]["deliveryId"] == one["data"]["pingWebhook"]["deliveryId"]
    odd = await gql(
        client,
        'query($id: ID!) { webhook(id: $id) { deliveries(status: "lost") { nodes { id } } } }',
        {"id": hook["id"]},
        alice,
    )
    assert odd["errors"][0]["extensions"]["code"] == "validation-error"

    redeliver = """mutation($id: ID!) { redeliverWebhookDelivery(id: $id) {
      __typename ... on WebhookDelivery { status } ... on Problem { code httpStatus } } }"""
    delivery = one["data"]["pingWebhook"]
    pending = await gql(client, redeliver, {"id": delivery["id"]}, alice)
    assert pending["data"]["redeliverWebhookDelivery"] == {
        "__typename": "ConflictProblem",
        "code": "webhook-delivery-in-progress",
        "httpStatus": 409,
    }
    async with app_context.database.writer() as session:
        await session.execute(
            sql_update(WebhookDelivery)
            .where(WebhookDelivery.id == uuid.UUID(delivery["deliveryId"]))
            .values(status="failed")
        )
        await session.commit()
    again = await gql(client, redeliver, {"id": delivery["id"]}, alice)
    assert again["data"]["redeliverWebhookDelivery"] == {"__typename": "WebhookDelivery", "status": "pending"}

    one_hook = await gql(
        client, "query($id: ID!) { webhook(id: $id) { url version } }", {"id": hook["id"]}, alice
    )
    assert one_hook["data"]["webhook"]["version"] == 3  # created, described, rotated
    listed = await gql(client, "{ webhooks(first: 5) { nodes { id description } } }", headers=alice)
    assert listed["data"]["webhooks"]["nodes"] == [{"id": hook["id"], "description": "CI"}]
    deleted = await gql(
        client,
        "mutation($id: ID!) { deleteWebhook(id: $id) { __typename ... on Webhook { id } } }",
        {"id": hook["id"]},
        alice,
    )
    assert deleted["data"]["deleteWebhook"] == {"__typename": "Webhook", "id": hook["id"]}
    assert (await client.get(f"/v1/webhooks/{hook['webhookId']}", headers=alice)).status_code == 404


async def test_jobs_list_read_and_cancel(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    owner = uuid.UUID((await client.get("/v1/users/me", headers=alice)).json()["id"])
    first = await enqueue(app_context, "system.sleep", {"seconds": 30}, owner_id=owner, publish=False)
    second = await enqueue(app_context, "system.sleep", {"seconds": 30}, owner_id=owner, publish=False)

    page = await gql(
        client,
        "{ jobs(first: 1) { edges { node { id jobId kind status progress } } pageInfo { hasNextPage endCursor } } }",
        headers=alice,
    )
    jobs = page["data"]["jobs"]
    assert [e["node"]["jobId"] for e in jobs["edges"]] == [str(second)] and jobs["pageInfo"]["hasNextPage"]
    rest = await client.get(
        "/v1/jobs", params={"limit": 1, "cursor": jobs["pageInfo"]["endCursor"]}, headers=alice
    )
    assert [j["id"] for j in rest.json()["items"]] == [str(first)]

    cancel = "mutation($id: ID!) { cancelJob(id: $id) { __typename ... on Job { status } ... on Problem { code } } }"
    job_id = global_id("Job", first)
    cancelled = await gql(client, cancel, {"id": job_id}, alice)
    assert cancelled["data"]["cancelJob"] == {"__typename": "Job", "status": "cancelled"}
    assert (await get_job(app_context, first)).status == "cancelled"
    again = await gql(client, cancel, {"id": job_id}, alice)
    assert again["data"]["cancelJob"] == {"__typename": "Job", "status": "cancelled"}

    one = await gql(client, "query($id: ID!) { job(id: $id) { status finishedAt } }", {"id": job_id}, alice)
    assert one["data"]["job"]["status"] == "cancelled" and one["data"]["job"]["finishedAt"]
    unknown = await gql(client, cancel, {"id": global_id("Job", uuid.uuid4())}, alice)
    assert unknown["data"]["cancelJob"] == {"__typename": "NotFoundProblem", "code": "job-not-found"}
    wrong_type = await gql(client, cancel, {"id": global_id("Resume", first)}, alice)
    assert wrong_type["data"]["cancelJob"] == {"__typename": "NotFoundProblem", "code": "unknown-id"}
