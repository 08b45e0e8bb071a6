"""Conventions every endpoint shares: problem documents, request ids, security headers, limits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY

from shortlist.context import AppContext
from shortlist.main import create_app
from tests.conftest import Register, assert_problem


async def test_unknown_route_is_a_problem_document(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/v1/nowhere"), 404, "not-found")
    assert "/v1/nowhere" in body["detail"]


async def test_wrong_method_is_405(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.delete("/v1/auth/register"), 405, "method-not-allowed")
    assert "DELETE" in body["detail"]


async def test_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register", content=b"email=a", headers={"Content-Type": "text/plain"}
    )
    body = assert_problem(response, 415, "unsupported-media-type")
    assert "text/plain" in body["detail"]


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register", content=b'{"email": ', headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "bad-request")


async def test_validation_error_lists_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/auth/register", json={"email": "not-an-email", "password": 5})
    body = assert_problem(response, 422, "validation-error")
    locations = {tuple(error["location"]) for error in body["errors"]}
    assert ("body", "email") in locations
    assert ("body", "password") in locations


async def test_unknown_fields_are_rejected(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register",
        json={"email": "eve@example.com", "password": "long enough password", "role": "admin"},
    )
    body = assert_problem(response, 422, "validation-error")
    assert any(error["location"] == ["body", "role"] for error in body["errors"])


async def test_oversized_body_is_413(client: httpx.AsyncClient, app_context: AppContext) -> None:
    limit = app_context.settings.max_body_bytes
    response = await client.post(
        "/v1/auth/register", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 413, "payload-too-large")
    assert str(limit) in body["detail"]


async def test_streamed_oversized_body_is_413(client: httpx.AsyncClient, app_context: AppContext) -> None:
    limit = app_context.settings.max_body_bytes

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    response = await client.post(
        "/v1/auth/register",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload-too-large")


async def test_unexpected_error_is_500_without_internals(app_context: AppContext) -> None:
    app: FastAPI = create_app(context=app_context)

    @app.get("/explode")
    async def explode() -> None:
        raise RuntimeError("secret internal detail")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/explode", headers={"X-Request-ID": "trace-me-123"})
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.text
    assert body["request_id"] == "trace-me-123"


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/livez", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = await client.get("/livez", headers={"X-Request-ID": "bad id with spaces\t"})
    assert generated.headers["x-request-id"] not in ("", "bad id with spaces\t")
    assert len(generated.headers["x-request-id"]) == 32


async def test_security_headers_and_no_store(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    response = await client.get("/v1/users/me", headers=headers)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


async def test_docs_are_served_without_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/static/docs/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    script = await client.get("/static/docs/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert (await client.get("/redoc")).status_code == 200


async def test_openapi_is_3_1_with_clean_operation_ids(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    operation_ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert all(op_id.replace("_", "").isalnum() for op_id in operation_ids)
    assert "create_resume" in operation_ids
    schemes = spec["components"]["securitySchemes"]
    assert "resumes:write" in schemes["OAuth2PasswordBearer"]["flows"]["password"]["scopes"]


async def test_health_probes(client: httpx.AsyncClient, app_context: AppContext) -> None:
    assert (await client.get("/livez")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"] == "ok"
    assert ("redis" in checks) == bool(app_context.settings.redis_url)


def _requests_counted(route: str, status: str) -> float:
    labels = {"method": "GET", "route": route, "status": status}
    return REGISTRY.get_sample_value("shortlist_http_requests_total", labels) or 0.0


async def test_metrics_use_route_templates(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    # Measured as a change: the registry is the process's, so earlier tests have counted requests too.
    templated_before = _requests_counted("/v1/resumes/{resume_id}", "404")
    unmatched_before = _requests_counted("<unmatched>", "404")
    await client.get("/v1/resumes/00000000-0000-7000-8000-000000000000", headers=headers)
    await client.get("/v1/no/such/path")
    assert _requests_counted("/v1/resumes/{resume_id}", "404") == templated_before + 1
    assert _requests_counted("<unmatched>", "404") == unmatched_before + 1
    assert "00000000-0000-7000" not in (await client.get("/metrics")).text


@pytest.mark.parametrize("path", ["/v1/users/me", "/v1/resumes", "/v1/api-keys"])
async def test_protected_routes_need_credentials(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_nul_characters_are_refused_everywhere(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    body = assert_problem(
        await client.post("/v1/resumes", json={"title": "a\x00b", "content": {}}, headers=headers), 400
    )
    assert "U+0000" in body["detail"]
    assert_problem(await client.get("/v1/resumes", params={"q": "a\x00"}, headers=headers), 400)
    form = await client.post("/v1/auth/token", data={"username": "a\x00@example.com", "password": "p"})
    assert_problem(form, 400)
    assert (await client.get("/v1/resumes", headers=headers)).json()["items"] == []
