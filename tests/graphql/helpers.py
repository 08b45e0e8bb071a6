"""Talking GraphQL over HTTP in tests: the full ASGI app, real auth headers."""

from __future__ import annotations

from typing import Any

import httpx

RESUME_CONTENT: dict[str, Any] = {
    "basics": {
        "name": "Ada Lovelace",
        "label": "Backend engineer",
        "email": "ada@example.com",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [{"network": "GitHub", "username": "ada", "url": "https://github.com/ada"}],
    },
    "work": [{"name": "Analytical Engines", "position": "Engineer", "startDate": "2021-03"}],
    "skills": [{"name": "Backend", "keywords": ["Python", "SQL"]}],
}


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    *,
    status: int = 200,
    operation_name: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    if operation_name is not None:
        body["operationName"] = operation_name
    response = await client.post("/graphql", json=body, headers=headers or {})
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def codes(result: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in result.get("errors", [])]


CREATE = """
mutation Create($input: ResumeInput!, $key: String) {
  createResume(input: $input, idempotencyKey: $key) {
    __typename
    ... on Resume { id resumeId title version etag content { basics { name email location { city } } } }
    ... on Problem { code httpStatus detail }
    ... on ValidationProblem { errors { location message type } }
  }
}
"""


async def create_resume(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    title: str = "Backend",
    content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    result = await gql(
        client, CREATE, {"input": {"title": title, "content": content or RESUME_CONTENT}}, headers
    )
    assert "errors" not in result, result
    created: dict[str, Any] = result["data"]["createResume"]
    assert created["__typename"] == "Resume", created
    return created
