"""The same subjects, scopes and tenancy as REST: another account's ids give null or a not-found
problem, never data; a credential without the scope is refused; errors carry the problem slug and the
request id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id, parse_global_id
from shortlist.graphql.schema import get_schema
from shortlist.job import tasks as _tasks  # noqa: F401 - registers the system.* kinds
from tests.conftest import Register, assert_problem
from tests.graphql.conftest import api_key
from tests.graphql.helpers import codes, create_resume, gql
from tests.graphql.recruiting import ACCOUNT_WRITES, CANDIDATE_WRITES, ORGANIZATION_WRITES
from tests.job.helpers import enqueue

# Every root field that takes another tenant's id, with what it must answer: null (queries) or a
# NotFoundProblem (mutations). A new field must be added here (the test below checks the schema).
READS = {
    "resume": "query($id: ID!) { x: resume(id: $id) { id title } }",
    "node": "query($id: ID!) { x: node(id: $id) { id ... on Resume { title } } }",
    "job": "query($id: ID!) { x: job(id: $id) { id status } }",
    "webhook": "query($id: ID!) { x: webhook(id: $id) { id url } }",
}
WRITES = {
    "replaceResume": 'replaceResume(id: $id, input: {title: "stolen", content: {}})',
    "updateResume": 'updateResume(id: $id, patch: {title: "stolen"})',
    "deleteResume": "deleteResume(id: $id)",
    "restoreResume": "restoreResume(id: $id)",
    "duplicateResume": "duplicateResume(id: $id)",
    "restoreResumeVersion": "restoreResumeVersion(id: $id, number: 1)",
    "replaceDesign": 'replaceDesign(resumeId: $id, input: {color: "navy"})',
    "updateDesign": 'updateDesign(resumeId: $id, patch: {color: "navy"})',
    "createShare": "createShare(resumeId: $id)",
    "revokeShare": "revokeShare(id: $id)",
    "updateWebhook": 'updateWebhook(id: $id, patch: {description: "stolen"})',
    "deleteWebhook": "deleteWebhook(id: $id)",
    "rotateWebhookSecret": "rotateWebhookSecret(id: $id)",
    "pingWebhook": "pingWebhook(id: $id)",
    "redeliverWebhookDelivery": "redeliverWebhookDelivery(id: $id)",
    "cancelJob": "cancelJob(id: $id)",
}
# Reads whose result is computed from the resume (no nullable object to hide behind): a not-found error.
COMPUTED = {
    "atsReport": "query($id: ID!) { x: atsReport(resumeId: $id) { score } }",
    "atsMatch": 'query($id: ID!) { x: atsMatch(resumeId: $id, job: "Python") { score } }',
    "atsProfileScore": 'query($id: ID!) { x: atsProfileScore(resumeId: $id, profile: "backend") { score } }',
}
# Mutations that take no existing object's id.
# Mutations that take no id and create objects of the caller's (uploads: tests/graphql/test_uploads.py
# checks that another account cannot see their jobs).
CREATING = {
    "createResume",
    "importResume",
    "createWebhook",
    "parseResumeFile",
    "reportResumeFile",
    "importResumeFile",
}


async def _alices_objects(
    client: httpx.AsyncClient, alice: dict[str, str], context: AppContext
) -> dict[str, str]:
    resume = await create_resume(client, alice)
    share = await gql(
        client,
        "mutation($id: ID!) { createShare(resumeId: $id) { ... on ShareCreated { share { id } } } }",
        {"id": resume["id"]},
        alice,
    )
    hook = await gql(
        client,
        'mutation { createWebhook(input: {url: "http://127.0.0.1:9/hook"}) { __typename '
        "... on WebhookWithSecret { webhook { id } } ... on Problem { detail } } }",
        headers=alice,
    )
    assert hook["data"]["createWebhook"]["__typename"] == "WebhookWithSecret", hook
    ping = await gql(
        client,
        "mutation($id: ID!) { pingWebhook(id: $id) { ... on WebhookDelivery { id } } }",
        {"id": hook["data"]["createWebhook"]["webhook"]["id"]},
        alice,
    )
    me = await gql(client, "{ me { id } }", headers=alice)
    owner = me["data"]["me"]["id"]
    job_id = await enqueue(
        context, "system.sleep", {"seconds": 30}, owner_id=uuid.UUID(parse_global_id(owner)[1]), publish=False
    )
    return {
        "resume": resume["id"],
        "share": share["data"]["createShare"]["share"]["id"],
        "webhook": hook["data"]["createWebhook"]["webhook"]["id"],
        "job": global_id("Job", job_id),
        "delivery": ping["data"]["pingWebhook"]["id"],
        "version": global_id("ResumeVersion", f"{resume['resumeId']}:1"),
        "user": owner,
    }


def _target(field: str, ids: dict[str, str]) -> str:
    if field in {"revokeShare"}:
        return ids["share"]
    if field == "redeliverWebhookDelivery":
        return ids["delivery"]
    if "Webhook" in field or field == "webhook":
        return ids["webhook"]
    if "Job" in field or field == "job":
        return ids["job"]
    return ids["resume"]


async def test_another_accounts_ids_give_null_or_not_found(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    bob = await register()
    ids = await _alices_objects(client, alice, app_context)

    schema: Any = get_schema()._schema
    mutations = set(schema.mutation_type.fields)
    # Recruiting has its own cross-organisation cases (tests/graphql/test_recruiting*.py).
    recruiting = set(ORGANIZATION_WRITES) | CANDIDATE_WRITES | ACCOUNT_WRITES | {"createOrganization"}
    assert mutations == set(WRITES) | CREATING | recruiting, "a new mutation needs a cross-tenant case"
    with_ids = {
        name for name, field in schema.query_type.fields.items() if {"id", "resumeId"} & set(field.args)
    }
    assert with_ids == set(READS) | set(COMPUTED), "a new query field with an id needs a cross-tenant case"

    for field, query in READS.items():
        result = await gql(client, query, {"id": _target(field, ids)}, bob)
        assert result == {"data": {"x": None}}, (field, result)
    for field, query in COMPUTED.items():
        result = await gql(client, query, {"id": ids["resume"]}, bob)
        assert result["data"] is None, (field, result)
        assert [e["extensions"]["code"] for e in result["errors"]] == ["resume-not-found"], (field, result)
    for key in ("version", "share", "user", "delivery"):
        result = await gql(client, READS["node"], {"id": ids[key]}, bob)
        assert result == {"data": {"x": None}}, (key, result)

    for field, call in WRITES.items():
        document = f"mutation($id: ID!) {{ x: {call} {{ __typename ... on Problem {{ code httpStatus }} }} }}"
        result = await gql(client, document, {"id": _target(field, ids)}, bob)
        assert "errors" not in result, (field, result)
        assert result["data"]["x"]["__typename"] == "NotFoundProblem", (field, result)
        assert result["data"]["x"]["httpStatus"] == 404

    # Nothing of Alice's changed, and Bob's lists are empty.
    mine = await gql(
        client,
        "query($id: ID!) { resume(id: $id) { title version design { version } shares { status } } }",
        {"id": ids["resume"]},
        alice,
    )
    assert mine["data"]["resume"] == {
        "title": "Backend",
        "version": 1,
        "design": {"version": 0},
        "shares": [{"status": "active"}],
    }
    lists = await gql(
        client, "{ resumes { nodes { id } } jobs { nodes { id } } webhooks { nodes { id } } }", headers=bob
    )
    assert lists["data"] == {"resumes": {"nodes": []}, "jobs": {"nodes": []}, "webhooks": {"nodes": []}}


async def test_entities_resolve_only_the_callers_objects(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    bob = await register()
    ids = await _alices_objects(client, alice, app_context)
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      __typename ... on Resume { title } ... on Webhook { url } ... on User { email } } }"""
    representations = [
        {"__typename": "Resume", "id": ids["resume"]},
        {"__typename": "Webhook", "id": ids["webhook"]},
        {"__typename": "User", "id": ids["user"]},
    ]
    own = await gql(client, query, {"r": representations}, alice)
    assert [e["__typename"] for e in own["data"]["_entities"]] == ["Resume", "Webhook", "User"]
    assert own["data"]["_entities"][0]["title"] == "Backend"
    other = await gql(client, query, {"r": representations}, bob)
    assert other["data"]["_entities"] == [None, None, None]


async def test_anonymous_and_bad_credentials(client: httpx.AsyncClient, register: Register) -> None:
    anonymous = await gql(client, "{ me { id } templates { slug } }")
    assert codes(anonymous) == ["unauthorized"]
    error = anonymous["errors"][0]
    assert error["extensions"]["status"] == 401 and error["path"] == ["me"]
    assert error["extensions"]["requestId"]
    assert anonymous["data"]["me"] is None and anonymous["data"]["templates"]  # public fields still answer

    # A broken credential is refused at the door, exactly as REST does.
    response = await client.post(
        "/graphql", json={"query": "{ templates { slug } }"}, headers={"Authorization": "Bearer nope"}
    )
    assert_problem(response, 401, "unauthorized")
    response = await client.post(
        "/graphql", json={"query": "{ templates { slug } }"}, headers={"X-API-Key": "slk_bad"}
    )
    assert_problem(response, 401, "unauthorized")


async def test_scopes_match_rest(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    reader = await api_key(client, alice, "resumes:read")
    read = await gql(client, "query($id: ID!) { resume(id: $id) { title } }", {"id": created["id"]}, reader)
    assert read == {"data": {"resume": {"title": "Backend"}}}

    refused = await gql(
        client,
        'mutation($id: ID!) { updateResume(id: $id, patch: {title: "x"}) { __typename } }',
        {"id": created["id"]},
        reader,
    )
    assert codes(refused) == ["forbidden"] and refused["errors"][0]["extensions"]["status"] == 403
    assert "resumes:write" in refused["errors"][0]["message"]
    for query in ("{ me { id } }", "{ jobs { nodes { id } } }", "{ webhooks { nodes { id } } }"):
        result = await gql(client, query, headers=reader)
        assert codes(result) == ["forbidden"], query
    # The REST twin agrees.
    rest = await client.patch(
        f"/v1/resumes/{created['resumeId']}",
        json={"title": "x"},
        headers={**reader, "Content-Type": "application/json"},
    )
    assert_problem(rest, 403, "forbidden")
    still = await client.get(f"/v1/resumes/{created['resumeId']}", headers=alice)
    assert still.json()["title"] == "Backend"


@pytest.mark.parametrize("method", ["GET"])
async def test_mutations_need_post(client: httpx.AsyncClient, register: Register, method: str) -> None:
    alice = await register()
    response = await client.request(
        method,
        "/graphql",
        params={"query": 'mutation { createResume(input: {title: "x", content: {}}) { __typename } }'},
        headers=alice,
    )
    assert_problem(response, 405, "method-not-allowed")
    query = await client.get("/graphql", params={"query": "{ me { email } }"}, headers=alice)
    assert query.status_code == 200 and query.json()["data"]["me"]["email"]
    listed = await client.get("/v1/resumes", headers=alice)
    assert listed.json()["items"] == []


async def test_bad_requests_are_problem_documents(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.post("/graphql", content=b"{nope", headers={"Content-Type": "application/json"}), 400
    )
    assert_problem(
        await client.post("/graphql", content=b"query", headers={"Content-Type": "text/plain"}), 415
    )
    assert_problem(await client.post("/graphql", json=[1, 2]), 400)
    assert_problem(await client.post("/graphql", json={"query": 5}), 400)
    assert_problem(await client.post("/graphql", json={"variables": {}}), 400)
    syntax = await client.post("/graphql", json={"query": "{ me { "})
    assert (
        syntax.status_code == 400
        and syntax.json()["errors"][0]["extensions"]["code"] == "graphql-parse-failed"
    )
    # An operationName the document does not hold, or several operations and no name: the request is wrong.
    for body in (
        {"query": "query Slugs { templates { slug } }", "operationName": "Templates"},
        {"query": "query A { templates { slug } } query B { templates { slug } }"},
        {"query": "fragment F on Template { slug }"},
    ):
        missing = await client.post("/graphql", json=body)
        assert missing.status_code == 400, missing.text
        assert missing.json()["errors"][0]["extensions"]["code"] == "unknown-operation"
    unknown = await client.post("/graphql", json={"query": "{ nothing }"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "graphql-validation-failed"
    variables = await client.post(
        "/graphql", json={"query": "query($id: ID!) { resume(id: $id) { id } }", "variables": {"id": 5.5}}
    )
    assert variables.status_code == 400 and "errors" in variables.json()
