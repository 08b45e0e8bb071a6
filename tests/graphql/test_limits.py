"""Cost limits answer before anything runs: deep nesting, alias bombs, fragment cycles, huge lists and
token floods are refused with a clear code. Persisted queries, introspection switches."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.graphql.persisted import load_allow_list
from shortlist.main import create_app
from tests.conftest import Register, assert_problem
from tests.graphql.helpers import codes, create_resume


async def _post(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post("/graphql", json=body, headers=headers or {})


async def _refused(
    client: httpx.AsyncClient, query: str, code: str, headers: dict[str, str] | None = None
) -> str:
    response = await _post(client, {"query": query}, headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body.get("data") is None, body
    assert code in codes(body), body
    message: str = body["errors"][codes(body).index(code)]["message"]
    return message


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"resumes(first: 1) {{ nodes {{ {inner} }} }}"
    return "{ " + inner + " }"


async def test_malicious_queries_are_refused_before_execution(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    await create_resume(client, alice)
    before = (await client.get("/metrics")).text

    # Deep nesting (the schema allows resume -> versions -> ..., a cycle through node() does too).
    message = await _refused(client, _nested(8), "query-too-deep", alice)
    assert "limit is 12" in message
    # An alias bomb, also hidden in a fragment (a fragment is counted where it is spread).
    bomb = " ".join(f"a{i}: me {{ id }}" for i in range(40))
    await _refused(client, "{ " + bomb + " }", "too-many-aliases", alice)
    fragment_bomb = (
        "query { ...F ...F } fragment F on Query { "
        + " ".join(f"a{i}: templates {{ slug }}" for i in range(20))
        + " }"
    )
    await _refused(client, fragment_bomb, "too-many-aliases", alice)
    # Fragment cycles: the standard rule names them, and the cost walk never follows them.
    cycle = "query { ...A } fragment A on Query { me { id } ...B } fragment B on Query { ...A }"
    await _refused(client, cycle, "graphql-validation-failed", alice)
    # Huge lists: `first` beyond the clamp counts as 100, and nested pages multiply.
    huge = (
        "{ resumes(first: 100) { nodes { versions(first: 100) { nodes { content { basics { name } } } } } } }"
    )
    message = await _refused(client, huge, "query-too-complex", alice)
    assert "costs" in message
    # Token floods stop the parser itself.
    flood = "{ " + " ".join(["me { id }"] * 1200) + " }"
    await _refused(client, flood, "too-many-tokens", alice)

    # None of it ran: nothing was resolved, so no resolver error was counted.
    after = (await client.get("/metrics")).text
    assert (
        'shortlist_graphql_operations_total{operation="anonymous",outcome="rejected",type="query"}' in after
    )
    assert before != after
    # A sensible dashboard query passes under the same limits.
    ok = await _post(
        client,
        {"query": "{ resumes(first: 10) { nodes { title latestVersion { number } design { template } } } }"},
        alice,
    )
    assert ok.status_code == 200 and "errors" not in ok.json()


@pytest.fixture
async def persisted_client(
    app_context: AppContext, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, str, str]]:
    query = "query Templates { templates { slug } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    path = tmp_path / "persisted.json"
    path.write_text(json.dumps({digest: query}))
    load_allow_list.cache_clear()
    settings = app_context.settings.model_copy(
        update={
            "graphql_persisted_only": True,
            "graphql_persisted_queries": path,
            "environment": "production",
            "graphql_introspection": None,
        }
    )
    context = dataclasses.replace(app_context, settings=settings)
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.10", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client, digest, query


async def test_persisted_only_runs_known_hashes(persisted_client: tuple[httpx.AsyncClient, str, str]) -> None:
    client, digest, query = persisted_client
    known = await _post(client, {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}})
    assert known.status_code == 200 and known.json()["data"]["templates"]
    assert_problem(await _post(client, {"query": "{ templates { slug } }"}), 400, "persisted-query-required")
    unknown = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    assert_problem(await _post(client, unknown), 404, "persisted-query-not-found")
    # The allow-listed document sent in full is fine too (it is the same document).
    assert (await _post(client, {"query": query})).status_code == 200
    # Production without the setting: no introspection.
    introspection = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert_problem(introspection, 400, "persisted-query-required")


async def test_registration_by_hash_and_introspection_outside_production(client: httpx.AsyncClient) -> None:
    # A document of this run's own: registrations outlive a run in a shared Redis.
    query = f"query Slugs{uuid.uuid4().hex} {{ templates {{ slug }} }}"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    missing = await _post(client, {"extensions": extensions})
    assert_problem(missing, 404, "persisted-query-not-found")
    registered = await _post(client, {"query": query, "extensions": extensions})
    assert registered.status_code == 200
    by_hash = await _post(client, {"extensions": extensions})
    assert by_hash.status_code == 200 and by_hash.json() == registered.json()
    wrong = await _post(client, {"query": "{ templates { name } }", "extensions": extensions})
    assert_problem(wrong, 400)

    introspection = await _post(client, {"query": "{ __schema { queryType { name } } }"})
    assert introspection.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_introspection_off_in_production(app_context: AppContext) -> None:
    settings = app_context.settings.model_copy(update={"environment": "production"})
    context = dataclasses.replace(app_context, settings=settings)
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.11", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        refused = await _post(client, {"query": "{ __schema { queryType { name } } }"})
        assert refused.status_code == 400
        assert set(codes(refused.json())) == {"graphql-validation-failed"}
        assert all("introspection" in e["message"].lower() for e in refused.json()["errors"])
        ok = await _post(client, {"query": "{ templates { slug } }"})
        assert ok.status_code == 200


async def test_documents_built_to_exhaust_the_checks_are_refused(client: httpx.AsyncClient) -> None:
    # Fragments that each spread the next twice: 2^40 fields if expanded; refused in one pass.
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    bomb = "query { ...F0 } " + chain + " fragment F40 on Query { templates { slug } }"
    message = await _refused(client, bomb, "query-too-complex")
    assert "costs" in message
    # Nesting as deep as the token limit allows: refused as too deep, never a server error.
    levels = 900
    deep = "{ " + "me { " * levels + "id" + " }" * levels + " }"
    response = await _post(client, {"query": deep})
    assert response.status_code == 400, response.text
    assert set(codes(response.json())) <= {"query-too-deep", "graphql-parse-failed", "too-many-tokens"}
