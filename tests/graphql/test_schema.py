"""The checked-in SDL is the code's schema, and the schema is a federation subgraph a gateway can compose."""

from __future__ import annotations

import re

import httpx
from typer.testing import CliRunner

from shortlist.cli import app
from shortlist.graphql.schema import checked_in_sdl, schema_sdl
from tests.conftest import Register

ENTITIES = ("Resume", "ResumeVersion", "User", "Job", "Webhook", "Organization", "JobPosting")


def test_checked_in_sdl_matches_the_code() -> None:
    assert schema_sdl() == checked_in_sdl(), (
        "run `shortlist graphql-schema > src/shortlist/graphql/schema.graphql`"
    )
    result = CliRunner().invoke(app, ["graphql-schema", "--check"])
    assert result.exit_code == 0, result.output
    printed = CliRunner().invoke(app, ["graphql-schema"])
    assert printed.output == checked_in_sdl()


def test_sdl_has_the_federation_directives() -> None:
    sdl = schema_sdl()
    assert re.search(
        r'schema @link\(url: "https://specs\.apollo\.dev/federation/v2\.\d+", import: \[[^\]]*"@key"', sdl
    )
    for name in ENTITIES:
        assert re.search(rf'^type {name} implements Node @key\(fields: "id"\) \{{', sdl, re.M), name
    assert "union _Entity = " in sdl and "_service: _Service!" in sdl
    assert "_entities(representations: [_Any!]!): [_Entity]!" in sdl
    # Content is typed JSON Resume, not an opaque scalar.
    assert re.search(r"^\s+content: ResumeContent!$", sdl, re.M)
    assert "type ResumeBasics {" in sdl and "input ResumeContentInput {" in sdl


async def test_service_sdl_and_entities_over_http(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    response = await client.post("/graphql", json={"query": "{ _service { sdl } }"}, headers=alice)
    sdl = response.json()["data"]["_service"]["sdl"]
    assert '@key(fields: "id")' in sdl and "type Resume" in sdl
    created = await client.post(
        "/graphql",
        json={
            "query": 'mutation { createResume(input: {title: "Fed", content: {basics: {name: "F"}}}) '
            "{ ... on Resume { id } } }"
        },
        headers=alice,
    )
    resume_id = created.json()["data"]["createResume"]["id"]
    entities = await client.post(
        "/graphql",
        json={
            "query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Resume { title "
            "content { basics { name } } } } }",
            "variables": {"r": [{"__typename": "Resume", "id": resume_id}]},
        },
        headers=alice,
    )
    assert entities.json() == {
        "data": {"_entities": [{"title": "Fed", "content": {"basics": {"name": "F"}}}]}
    }
