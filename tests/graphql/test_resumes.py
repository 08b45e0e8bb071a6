"""Resumes, versions, designs, renders and share links over GraphQL, with real auth, against REST."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Register
from tests.graphql.helpers import RESUME_CONTENT, codes, create_resume, gql

RESUME = """
query One($id: ID!) {
  resume(id: $id) {
    id resumeId title version etag
    content { basics { name label email location { city countryCode } profiles { network url } }
              work { name position startDate } skills { name keywords } }
    latestVersion { id number title }
    versions(first: 1) { edges { cursor node { number } } pageInfo { hasNextPage endCursor } }
    design { template color version etag }
    renders { pdf html docx }
    shares { id status formats }
  }
}
"""


async def test_create_and_read_back_as_typed_content(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice, "Backend")
    assert created["version"] == 1 and created["etag"] == '"r1"'
    assert created["content"]["basics"]["location"]["city"] == "London"

    result = await gql(client, RESUME, {"id": created["id"]}, alice)
    resume = result["data"]["resume"]
    assert resume["content"]["basics"]["profiles"] == [{"network": "GitHub", "url": "https://github.com/ada"}]
    assert resume["content"]["skills"] == [{"name": "Backend", "keywords": ["Python", "SQL"]}]
    assert resume["latestVersion"]["number"] == 1
    assert resume["design"] == {"template": "classic", "color": None, "version": 0, "etag": '"d0"'}
    assert resume["renders"]["pdf"].endswith(f"/v1/resumes/{created['resumeId']}/render?format=pdf")

    # REST serves the same document: one store, two faces.
    rest = await client.get(f"/v1/resumes/{created['resumeId']}", headers=alice)
    assert rest.status_code == 200
    assert rest.json()["content"] == RESUME_CONTENT
    assert rest.headers["etag"] == resume["etag"]
    pdf = await client.get(resume["renders"]["pdf"].removeprefix("http://testserver"), headers=alice)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_invalid_content_is_a_validation_problem_and_stores_nothing(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    bad = {**RESUME_CONTENT, "basics": {"name": "A", "email": "not-an-address"}}
    result = await gql(
        client,
        "mutation($input: ResumeInput!) { createResume(input: $input) { __typename "
        "... on ValidationProblem { code httpStatus detail errors { location message type } } } }",
        {"input": {"title": "x", "content": bad}},
        alice,
    )
    problem = result["data"]["createResume"]
    assert problem["__typename"] == "ValidationProblem"
    assert problem["code"] == "validation-error" and problem["httpStatus"] == 422
    assert problem["errors"][0]["location"] == ["content", "basics", "email"]
    listed = await client.get("/v1/resumes", headers=alice)
    assert listed.json()["items"] == []

    empty_title = await gql(
        client,
        "mutation($input: ResumeInput!) { createResume(input: $input) { __typename "
        "... on ValidationProblem { errors { location } } } }",
        {"input": {"title": "", "content": {}}},
        alice,
    )
    assert empty_title["data"]["createResume"]["errors"][0]["location"] == ["input", "title"]


async def test_updates_honour_expected_version_and_show_in_rest(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    rest_before = await client.get(f"/v1/resumes/{created['resumeId']}", headers=alice)  # warms REST's cache
    assert rest_before.json()["title"] == "Backend"
    update = """
    mutation($id: ID!, $patch: ResumePatch!, $v: Int) {
      updateResume(id: $id, patch: $patch, expectedVersion: $v) {
        __typename ... on Resume { title version content { basics { name } } }
        ... on ConflictProblem { code httpStatus currentVersion }
      }
    }"""
    renamed = await gql(client, update, {"id": created["id"], "patch": {"title": "Renamed"}, "v": 1}, alice)
    assert renamed["data"]["updateResume"] == {
        "__typename": "Resume",
        "title": "Renamed",
        "version": 2,
        "content": {"basics": {"name": "Ada Lovelace"}},
    }
    stale = await gql(client, update, {"id": created["id"], "patch": {"title": "Lost"}, "v": 1}, alice)
    assert stale["data"]["updateResume"] == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "httpStatus": 412,
        "currentVersion": 2,
    }
    rest = await client.get(f"/v1/resumes/{created['resumeId']}", headers=alice)
    assert rest.json()["title"] == "Renamed" and rest.headers["etag"] == '"r2"'

    replaced = await gql(
        client,
        "mutation($id: ID!, $input: ResumeInput!) { replaceResume(id: $id, input: $input, expectedVersion: 2) "
        "{ __typename ... on Resume { version content { basics { name } work { name } } } } }",
        {"id": created["id"], "input": {"title": "New", "content": {"basics": {"name": "Grace"}}}},
        alice,
    )
    assert replaced["data"]["replaceResume"]["content"] == {"basics": {"name": "Grace"}, "work": None}

    versions = await gql(
        client,
        "query($id: ID!) { resume(id: $id) { versions(first: 2) { nodes { number title } "
        "pageInfo { hasNextPage endCursor } } } }",
        {"id": created["id"]},
        alice,
    )
    page = versions["data"]["resume"]["versions"]
    assert [v["number"] for v in page["nodes"]] == [3, 2] and page["pageInfo"]["hasNextPage"]
    # GraphQL's cursor is REST's: the next page comes from either face.
    rest_page = await client.get(
        f"/v1/resumes/{created['resumeId']}/versions",
        params={"limit": 2, "cursor": page["pageInfo"]["endCursor"]},
        headers=alice,
    )
    assert [v["version"] for v in rest_page.json()["items"]] == [1]

    restored = await gql(
        client,
        "mutation($id: ID!) { restoreResumeVersion(id: $id, number: 1) { __typename ... on Resume "
        "{ version title } } }",
        {"id": created["id"]},
        alice,
    )
    assert restored["data"]["restoreResumeVersion"] == {
        "__typename": "Resume",
        "version": 4,
        "title": "Backend",
    }
    missing = await gql(
        client,
        "mutation($id: ID!) { restoreResumeVersion(id: $id, number: 99) { __typename ... on Problem { code } } }",
        {"id": created["id"]},
        alice,
    )
    assert missing["data"]["restoreResumeVersion"] == {
        "__typename": "NotFoundProblem",
        "code": "version-not-found",
    }


async def test_trash_restore_duplicate_and_list(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    first = await create_resume(client, alice, "First")
    second = await create_resume(client, alice, "Second")
    listing = """
    query($after: String, $deleted: Boolean!) {
      resumes(first: 1, after: $after, deleted: $deleted) {
        edges { node { title } } pageInfo { hasNextPage endCursor }
      }
    }"""
    page1 = await gql(client, listing, {"deleted": False}, alice)
    assert [e["node"]["title"] for e in page1["data"]["resumes"]["edges"]] == ["Second"]
    cursor = page1["data"]["resumes"]["pageInfo"]["endCursor"]
    page2 = await gql(client, listing, {"after": cursor, "deleted": False}, alice)
    assert [e["node"]["title"] for e in page2["data"]["resumes"]["edges"]] == ["First"]
    assert not page2["data"]["resumes"]["pageInfo"]["hasNextPage"]
    # A cursor is bound to its query: the trash listing refuses it.
    wrong = await gql(client, listing, {"after": cursor, "deleted": True}, alice)
    assert codes(wrong) == ["bad-request"] and wrong["data"] is None

    trashed = await gql(
        client,
        "mutation($id: ID!) { deleteResume(id: $id, expectedVersion: 1) { __typename ... on Resume { deletedAt } } }",
        {"id": first["id"]},
        alice,
    )
    assert trashed["data"]["deleteResume"]["deletedAt"] is not None
    gone = await gql(client, "query($id: ID!) { resume(id: $id) { id } }", {"id": first["id"]}, alice)
    assert gone == {"data": {"resume": None}}
    assert (await client.get(f"/v1/resumes/{first['resumeId']}", headers=alice)).status_code == 404
    back = await gql(
        client,
        "mutation($id: ID!) { restoreResume(id: $id) { __typename ... on Resume { title deletedAt } } }",
        {"id": first["id"]},
        alice,
    )
    assert back["data"]["restoreResume"] == {"__typename": "Resume", "title": "First", "deletedAt": None}

    copy = await gql(
        client,
        "mutation($id: ID!) { duplicateResume(id: $id) { __typename ... on Resume { title version } } }",
        {"id": second["id"]},
        alice,
    )
    assert copy["data"]["duplicateResume"] == {"__typename": "Resume", "title": "Second (copy)", "version": 1}


async def test_idempotency_key_replays_the_first_result(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    key = uuid.uuid4().hex
    create = """
    mutation($input: ResumeInput!, $key: String) {
      createResume(input: $input, idempotencyKey: $key) { __typename ... on Resume { resumeId } ... on Problem { code } }
    }"""
    variables: dict[str, Any] = {"input": {"title": "Once", "content": RESUME_CONTENT}, "key": key}
    one = await gql(client, create, variables, alice)
    two = await gql(client, create, variables, alice)
    assert one["data"]["createResume"]["resumeId"] == two["data"]["createResume"]["resumeId"]
    assert len((await client.get("/v1/resumes", headers=alice)).json()["items"]) == 1
    other = await gql(client, create, {**variables, "input": {"title": "Twice", "content": {}}}, alice)
    assert other["data"]["createResume"] == {
        "__typename": "ValidationProblem",
        "code": "unprocessable-content",
    }
    # Keys are per caller: another account's same key is a new request.
    bob = await register()
    bobs = await gql(client, create, variables, bob)
    assert bobs["data"]["createResume"]["resumeId"] != one["data"]["createResume"]["resumeId"]


async def test_design_replace_and_update(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    replace = """
    mutation($id: ID!, $input: DesignInput!, $v: Int) {
      replaceDesign(resumeId: $id, input: $input, expectedVersion: $v) {
        __typename ... on Design { template color version etag }
        ... on Problem { code httpStatus }
        ... on ValidationProblem { errors { location message } }
      }
    }"""
    saved = await gql(
        client,
        replace,
        {"id": created["id"], "input": {"template": "modern", "color": "navy"}, "v": 0},
        alice,
    )
    assert saved["data"]["replaceDesign"] == {
        "__typename": "Design",
        "template": "modern",
        "color": "navy",
        "version": 1,
        "etag": '"d1"',
    }
    rest = await client.get(f"/v1/resumes/{created['resumeId']}/design", headers=alice)
    assert rest.json()["template"] == "modern" and rest.headers["etag"] == '"d1"'

    stale = await gql(client, replace, {"id": created["id"], "input": {"template": "classic"}, "v": 0}, alice)
    assert stale["data"]["replaceDesign"] == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "httpStatus": 412,
    }
    bad_colour = await gql(client, replace, {"id": created["id"], "input": {"color": "plaid"}}, alice)
    assert bad_colour["data"]["replaceDesign"]["__typename"] == "ValidationProblem"
    unknown = await gql(client, replace, {"id": created["id"], "input": {"template": "nope"}}, alice)
    assert unknown["data"]["replaceDesign"]["__typename"] in {"ValidationProblem", "NotFoundProblem"}

    patched = await gql(
        client,
        "mutation($id: ID!) { updateDesign(resumeId: $id, patch: {color: null, baseSize: 11}) "
        "{ __typename ... on Design { template color baseSize version } } }",
        {"id": created["id"]},
        alice,
    )
    assert patched["data"]["updateDesign"] == {
        "__typename": "Design",
        "template": "modern",
        "color": None,
        "baseSize": 11.0,
        "version": 2,
    }


async def test_share_links(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    made = await gql(
        client,
        'mutation($id: ID!) { createShare(resumeId: $id, input: {formats: ["html"]}) { __typename '
        "... on ShareCreated { token htmlUrl pdfUrl share { id status formats viewCount } } } }",
        {"id": created["id"]},
        alice,
    )
    share = made["data"]["createShare"]
    assert share["share"]["status"] == "active" and share["pdfUrl"] is None
    page = await client.get(share["htmlUrl"].removeprefix("http://testserver"))
    assert page.status_code == 200 and "Ada Lovelace" in page.text

    twice = await gql(
        client,
        'mutation($id: ID!) { createShare(resumeId: $id, input: {formats: ["html", "html"]}) '
        "{ __typename } }",
        {"id": created["id"]},
        alice,
    )
    assert twice["data"]["createShare"]["__typename"] == "ValidationProblem"

    listed = await gql(
        client,
        "query($id: ID!) { resume(id: $id) { shares { id viewCount } } }",
        {"id": created["id"]},
        alice,
    )
    assert listed["data"]["resume"]["shares"] == [{"id": share["share"]["id"], "viewCount": 1}]
    revoked = await gql(
        client,
        "mutation($id: ID!) { revokeShare(id: $id) { __typename ... on ShareLink { status } } }",
        {"id": share["share"]["id"]},
        alice,
    )
    assert revoked["data"]["revokeShare"] == {"__typename": "ShareLink", "status": "revoked"}
    assert (await client.get(share["htmlUrl"].removeprefix("http://testserver"))).status_code == 404


async def test_me_templates_and_node(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    result = await gql(
        client,
        """query($id: ID!) {
          me { id email role scopes }
          templates { slug thumbnailUrl }
          template(slug: "modern") { name options }
          missing: template(slug: "nope") { name }
          node(id: $id) { __typename id ... on Resume { title latestVersion { id } } }
        }""",
        {"id": created["id"]},
        alice,
    )
    data = result["data"]
    assert data["me"]["email"].endswith("@example.com") and "resumes:write" in data["me"]["scopes"]
    assert {"classic", "modern"} <= {t["slug"] for t in data["templates"]}
    assert data["template"]["name"] and isinstance(data["template"]["options"], dict)
    assert data["missing"] is None
    assert data["node"]["__typename"] == "Resume" and data["node"]["title"] == "Backend"
    version_id = data["node"]["latestVersion"]["id"]
    me_id = data["me"]["id"]
    nodes = await gql(
        client,
        "query($v: ID!, $u: ID!) { v: node(id: $v) { __typename ... on ResumeVersion { number } } "
        "u: node(id: $u) { __typename } }",
        {"v": version_id, "u": me_id},
        alice,
    )
    assert nodes["data"] == {"v": {"__typename": "ResumeVersion", "number": 1}, "u": {"__typename": "User"}}
    junk = await gql(client, '{ node(id: "not-an-id") { id } }', headers=alice)
    assert codes(junk) == ["unknown-id"]


async def test_each_mutation_of_a_document_stands_alone(
    client: httpx.AsyncClient, register: Register
) -> None:
    """Mutations run in order, each in its own savepoint: a failed one leaves nothing, the others commit."""
    alice = await register()
    result = await gql(
        client,
        """mutation {
          good: createResume(input: {title: "Kept", content: {basics: {name: "K"}}}) { __typename }
          bad: createResume(input: {title: "Lost", content: {basics: {email: "nope"}}}) { __typename }
          after: createResume(input: {title: "Also kept", content: {}}) { __typename }
        }""",
        headers=alice,
    )
    assert result["data"] == {
        "good": {"__typename": "Resume"},
        "bad": {"__typename": "ValidationProblem"},
        "after": {"__typename": "Resume"},
    }
    titles = {r["title"] for r in (await client.get("/v1/resumes", headers=alice)).json()["items"]}
    assert titles == {"Kept", "Also kept"}


async def test_import_keeps_every_property(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    document = {**RESUME_CONTENT, "x-custom": {"kept": True}, "basics": {"label": "Engineer", "x-note": 1}}
    result = await gql(
        client,
        "mutation($d: JSON!) { importResume(document: $d) { __typename ... on Resume { resumeId title } } }",
        {"d": document},
        alice,
    )
    imported = result["data"]["importResume"]
    assert imported["title"] == "Engineer"  # the label, with no name: REST's rule
    exported = await client.get(f"/v1/resumes/{imported['resumeId']}/export", headers=alice)
    assert exported.json() == document
    bad = await gql(
        client,
        "mutation($d: JSON!) { importResume(document: $d) { __typename ... on ValidationProblem { errors { location } } } }",
        {"d": {"basics": {"email": "nope"}}},
        alice,
    )
    assert bad["data"]["importResume"]["errors"][0]["location"] == ["document", "basics", "email"]
