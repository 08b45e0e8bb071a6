from __future__ import annotations

import httpx

from tests.conftest import Register
from tests.graphql.helpers import create_resume, gql


async def test_smoke(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await create_resume(client, alice)
    print(created)
    result = await gql(
        client,
        "{ me { id email scopes } resumes(first: 5) { edges { cursor node { id title design { template etag } latestVersion { number } versions(first: 2) { nodes { number } } renders { pdf } shares { id } } } pageInfo { hasNextPage endCursor } } templates { slug } }",
        headers=alice,
    )
    print(result)
    assert "errors" not in result
