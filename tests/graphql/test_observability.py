"""Per-operation rate limits and metrics; spans for slow resolvers only."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.platform.observability.tracing import configure_tracing, shutdown_tracing
from tests.conftest import Register, assert_problem
from tests.graphql.helpers import create_resume


def _app(app_context: AppContext, **settings: object) -> httpx.AsyncClient:
    context = dataclasses.replace(app_context, settings=app_context.settings.model_copy(update=settings))
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.12", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _templates_answered() -> float:
    labels = {"operation": "Templates", "outcome": "ok", "type": "query"}
    return REGISTRY.get_sample_value("shortlist_graphql_operations_total", labels) or 0.0


async def test_rate_limit_per_operation_name(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    # Measured as a change: the registry is the process's, and other tests run `Templates` queries too.
    answered_before = _templates_answered()
    async with _app(app_context, graphql_rate_limit_per_operation="2/minute") as limited:
        ask = {"query": "query Templates { templates { slug } }"}
        for _ in range(2):
            assert (await limited.post("/graphql", json=ask, headers=alice)).status_code == 200
        refused = await limited.post("/graphql", json=ask, headers=alice)
        body = assert_problem(refused, 429, "rate-limited")
        assert "Templates" in body["detail"] and refused.headers["retry-after"]
        other = await limited.post("/graphql", json={"query": "query Me { me { id } }"}, headers=alice)
        assert other.status_code == 200  # another operation has its own budget

    assert _templates_answered() == answered_before + 2  # the refused third never ran


@pytest.fixture
def exporter(settings: Settings) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    assert configure_tracing(settings, exporter=exporter)
    yield exporter
    shutdown_tracing()


async def test_spans_for_slow_resolvers_only(
    exporter: InMemorySpanExporter, register: Register, client: httpx.AsyncClient, app_context: AppContext
) -> None:
    alice = await register()
    resume = await create_resume(client, alice)
    query = {
        "query": "query($id: ID!) { resume(id: $id) { title design { template } } }",
        "variables": {"id": resume["id"]},
    }
    async with _app(app_context, graphql_slow_resolver_ms=0.0) as everything:
        assert (await everything.post("/graphql", json=query, headers=alice)).status_code == 200
    names = {span.name for span in exporter.get_finished_spans()}
    assert {"graphql.resolve Query.resume", "graphql.resolve Resume.design"} <= names
    exporter.clear()
    async with _app(app_context, graphql_slow_resolver_ms=10_000.0) as quiet:
        assert (await quiet.post("/graphql", json=query, headers=alice)).status_code == 200
    assert not [s for s in exporter.get_finished_spans() if s.name.startswith("graphql.resolve")]
