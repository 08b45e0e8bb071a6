"""Tracing: spans from HTTP through service and database, log correlation, job carriers, and the off state."""

from __future__ import annotations

import io
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import structlog
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import TraceIdRatioBased
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import event

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from shortlist.main import build_context, create_app
from shortlist.platform.db import create_database
from shortlist.platform.observability.logging import configure_logging
from shortlist.platform.observability.tracing import (
    REQUEST_ID_KEY,
    configure_tracing,
    continue_trace,
    current_trace_id,
    extract_context,
    inject_context,
    instrument_engine,
    shutdown_tracing,
    span,
    start_server_span,
    traced,
    tracing_enabled,
)
from tests.conftest import PASSWORD, make_settings
from tests.job.helpers import enqueue, wait_for
from tests.platform.httpserver import LocalServer

RESUME = {"title": "Traced", "content": {"basics": {"name": "Ada Lovelace"}}}


@pytest.fixture
def exporter(settings: Settings) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    assert configure_tracing(settings, exporter=exporter)
    yield exporter
    shutdown_tracing()


@pytest.fixture
async def traced_context(
    exporter: InMemorySpanExporter, app_context: AppContext
) -> AsyncIterator[AppContext]:
    """A context built while tracing is on, so its engine carries the span listeners."""
    context = await build_context(app_context.settings)
    yield context
    await context.database.dispose()


@pytest.fixture
async def traced_client(traced_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(context=traced_context)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def _sign_in(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"trace-{time.monotonic_ns()}@example.com"
    created = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _server_spans(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [s for s in spans if s.kind is SpanKind.SERVER and s.name == name]


def _descendants(spans: tuple[ReadableSpan, ...], root: ReadableSpan) -> list[ReadableSpan]:
    assert root.context is not None
    found: list[ReadableSpan] = []
    frontier = {root.context.span_id}
    changed = True
    while changed:
        changed = False
        for candidate in spans:
            if candidate.parent is None or candidate.context is None or candidate in found:
                continue
            if candidate.parent.span_id in frontier:
                found.append(candidate)
                frontier.add(candidate.context.span_id)
                changed = True
    return found


async def test_request_span_has_database_children_in_one_trace(
    traced_client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    headers = await _sign_in(traced_client)
    created = await traced_client.post("/v1/resumes", json=RESUME, headers=headers)
    assert created.status_code == 201
    exporter.clear()

    response = await traced_client.get(f"/v1/resumes/{created.json()['id']}", headers=headers)
    assert response.status_code == 200
    spans = exporter.get_finished_spans()
    (server,) = _server_spans(spans, "GET /v1/resumes/{resume_id}")
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/v1/resumes/{resume_id}"
    assert server.attributes["http.response.status_code"] == 200
    assert server.attributes["shortlist.request_id"] == response.headers["x-request-id"]
    assert server.parent is None

    children = _descendants(spans, root=server)
    database = [
        s for s in children if s.kind is SpanKind.CLIENT and s.attributes and "db.system.name" in s.attributes
    ]
    assert database, [s.name for s in spans]
    assert server.context is not None
    assert {s.context.trace_id for s in database if s.context} == {server.context.trace_id}
    texts = [str(s.attributes["db.query.text"]) for s in database if s.attributes]
    assert any("resumes" in text for text in texts), texts
    (cache_read,) = [s for s in children if s.name == "cache.read"]
    assert cache_read.attributes is not None and cache_read.attributes["shortlist.cache.hit"] is False
    exporter.clear()
    again = await traced_client.get(f"/v1/resumes/{created.json()['id']}", headers=headers)
    assert again.status_code == 200
    # The hit came with the account state: nothing is left to time, so the request's span says it.
    assert not [s for s in exporter.get_finished_spans() if s.name == "cache.read"]
    (served,) = _server_spans(exporter.get_finished_spans(), "GET /v1/resumes/{resume_id}")
    assert served.attributes is not None and served.attributes["shortlist.cache.hit"] is True
    assert not [
        s
        for s in exporter.get_finished_spans()
        if s.attributes
        and "db.query.text" in s.attributes
        and "resumes" in str(s.attributes["db.query.text"])
    ]
    # Statements carry placeholders, never the bound values (the resume id is a parameter).
    assert all(
        created.json()["id"] not in text and created.json()["id"].replace("-", "") not in text
        for text in texts
    )


async def test_incoming_traceparent_is_continued(
    traced_client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    parent = "00f067aa0ba902b7"
    response = await traced_client.get("/livez", headers={"traceparent": f"00-{trace_id}-{parent}-01"})
    assert response.status_code == 200
    (server,) = _server_spans(exporter.get_finished_spans(), "GET /livez")
    assert server.context is not None and server.parent is not None
    assert format(server.context.trace_id, "032x") == trace_id
    assert format(server.parent.span_id, "016x") == parent


async def test_unmatched_paths_share_one_span_name_and_errors_are_marked(
    traced_client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    # Under /v1: elsewhere an unknown path is the browser app's page (its own routes live in the browser).
    response = await traced_client.get("/v1/no/such/path/123")
    assert response.status_code == 404
    (server,) = _server_spans(exporter.get_finished_spans(), "GET <unmatched>")
    assert server.attributes is not None and server.attributes["http.response.status_code"] == 404
    # A 4xx is the client's error, not the server's.
    assert server.status.status_code is not StatusCode.ERROR


async def test_log_lines_carry_trace_and_request_ids(
    traced_context: AppContext, exporter: InMemorySpanExporter
) -> None:
    app = create_app(context=traced_context)

    @app.get("/test-log")
    async def log_something() -> dict[str, str]:
        structlog.get_logger("test").warning("inside.request")
        return {"trace_id": current_trace_id() or ""}

    buffer = io.StringIO()
    configure_logging("INFO", json=True, stream=buffer)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/test-log", headers={"X-Request-ID": "req-trace-1"})
    finally:
        configure_logging(traced_context.settings.log_level, json=True)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    (line,) = [entry for entry in lines if entry.get("event") == "inside.request"]
    (server,) = _server_spans(exporter.get_finished_spans(), "GET /test-log")
    assert server.context is not None
    assert line["trace_id"] == format(server.context.trace_id, "032x") == response.json()["trace_id"]
    assert len(line["span_id"]) == 16
    assert line["request_id"] == "req-trace-1"


async def test_service_spans_nest_and_record_errors(exporter: InMemorySpanExporter) -> None:
    @traced("resume.render")
    async def render(fail: bool) -> str:
        with span("resume.render.compile", pages=2):
            if fail:
                raise ValueError("bad template")
        return "ok"

    assert await render(False) == "ok"
    with pytest.raises(ValueError, match="bad template"):
        await render(True)
    spans = exporter.get_finished_spans()
    outer = [s for s in spans if s.name == "resume.render"]
    inner = [s for s in spans if s.name == "resume.render.compile"]
    assert len(outer) == 2 and len(inner) == 2
    assert inner[0].parent is not None and outer[0].context is not None
    assert inner[0].parent.span_id == outer[0].context.span_id
    assert inner[0].attributes is not None and inner[0].attributes["pages"] == 2
    assert outer[1].status.status_code is StatusCode.ERROR
    assert any(event.name == "exception" for event in outer[1].events)


async def test_carrier_round_trip_links_job_to_request(exporter: InMemorySpanExporter) -> None:
    structlog.contextvars.bind_contextvars(request_id="req-42")
    try:
        with span("http.enqueue") as producer:
            carrier = inject_context({"job": "resume.rendered"})
    finally:
        structlog.contextvars.clear_contextvars()
    assert producer is not None
    assert carrier["job"] == "resume.rendered"
    assert carrier[REQUEST_ID_KEY] == "req-42"
    assert carrier["traceparent"].startswith("00-")

    seen: dict[str, Any] = {}
    with continue_trace(carrier, "job resume.rendered", job_id="j1") as consumer:
        seen.update(structlog.contextvars.get_contextvars())
        seen["trace_id"] = current_trace_id()
    assert consumer is not None
    assert seen["request_id"] == "req-42"
    assert "request_id" not in structlog.contextvars.get_contextvars()
    job = next(s for s in exporter.get_finished_spans() if s.name == "job resume.rendered")
    assert job.kind is SpanKind.CONSUMER
    assert job.parent is not None and job.parent.span_id == producer.get_span_context().span_id
    assert seen["trace_id"] == format(producer.get_span_context().trace_id, "032x")


async def test_garbage_carrier_starts_a_new_trace(exporter: InMemorySpanExporter) -> None:
    for carrier in (
        {},
        {"traceparent": "not-a-traceparent"},
        {"traceparent": "00-" + "0" * 32 + "-" + "0" * 16 + "-01"},
    ):
        assert not extract_context(carrier)  # an empty context: nothing usable in it
        with continue_trace(carrier, "job") as job:
            assert job is not None
            assert job.get_span_context().is_valid
    assert all(s.parent is None for s in exporter.get_finished_spans())


async def test_outbound_httpx_requests_are_spans_with_traceparent(exporter: InMemorySpanExporter) -> None:
    server = LocalServer().start()
    try:
        with span("webhook.deliver") as parent:
            async with httpx.AsyncClient() as client:
                response = await client.post(f"http://127.0.0.1:{server.port}/ok", content=b"x")
        assert response.status_code == 200
    finally:
        server.stop()
    assert parent is not None
    client_spans = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert client_spans and client_spans[0].parent is not None
    assert client_spans[0].parent.span_id == parent.get_span_context().span_id
    sent = server.state.requests[0].headers
    traceparent = next(value for key, value in sent.items() if key.lower() == "traceparent")
    assert format(parent.get_span_context().trace_id, "032x") in traceparent


def test_sampler_ratio_zero_records_nothing(settings: Settings) -> None:
    exporter = InMemorySpanExporter()
    configure_tracing(settings.model_copy(update={"otel_sampler_ratio": 0.0}), exporter=exporter)
    try:
        with span("dropped") as current:
            assert current is not None and not current.is_recording()
    finally:
        shutdown_tracing()
    assert exporter.get_finished_spans() == ()


def test_spans_inside_a_dropped_trace_are_not_even_created(settings: Settings) -> None:
    exporter = InMemorySpanExporter()
    configure_tracing(settings.model_copy(update={"otel_sampler_ratio": 0.0}), exporter=exporter)
    try:
        with span("dropped root") as root:
            assert root is not None and not root.is_recording()  # the sampler decided here
            with span("child") as child:
                assert child is None  # parent-based: the child would be dropped, so it costs nothing
    finally:
        shutdown_tracing()
    assert exporter.get_finished_spans() == ()


def test_new_requests_are_sampled_by_the_ratio_rule_on_the_trace_id_they_carry(settings: Settings) -> None:
    """A request that starts a trace is decided before the SDK is asked: the kept ones must be exactly those
    whose trace id the ratio sampler keeps, recorded on that very id, and the dropped ones cost no span."""
    exporter = InMemorySpanExporter()
    configure_tracing(settings.model_copy(update={"otel_sampler_ratio": 0.5}), exporter=exporter)
    bound = TraceIdRatioBased(0.5).bound
    scope = {"type": "http", "method": "GET", "path": "/v1/resumes", "headers": [(b"accept", b"*/*")]}
    kept: set[int] = set()
    dropped: set[int] = set()
    try:
        for _ in range(400):
            active = start_server_span(scope)
            assert active is not None
            with active as server_span:
                context = server_span.get_span_context()
                assert context.is_valid and trace.get_current_span() is server_span
                assert current_trace_id() == format(context.trace_id, "032x")
                expected = context.trace_id & TraceIdRatioBased.TRACE_ID_LIMIT < bound
                assert server_span.is_recording() is expected
                assert context.trace_flags.sampled is expected
                (kept if expected else dropped).add(context.trace_id)
                with span("child") as child:  # parent-based: a dropped request's children are not made
                    assert (child is not None) is expected
            assert trace.get_current_span() is not server_span  # the span is no longer current
        # Another span made after them still gets a fresh trace id of its own.
        with span("unrelated") as unrelated:
            assert unrelated is not None
            assert unrelated.get_span_context().trace_id not in kept | dropped
    finally:
        shutdown_tracing()
    assert 120 < len(kept) < 280 and len(kept) + len(dropped) == 400  # about half, by the ratio
    servers = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert {s.context.trace_id for s in servers if s.context is not None} == kept


def test_an_error_escaping_the_server_span_is_recorded_on_it(settings: Settings) -> None:
    exporter = InMemorySpanExporter()
    configure_tracing(settings, exporter=exporter)
    scope = {"type": "http", "method": "POST", "path": "/v1/resumes", "headers": []}
    try:
        active = start_server_span(scope)
        assert active is not None
        with pytest.raises(LookupError), active:
            raise LookupError("no such thing")
    finally:
        shutdown_tracing()
    (recorded,) = exporter.get_finished_spans()
    assert recorded.status.status_code is StatusCode.ERROR
    assert recorded.status.description == "LookupError: no such thing"
    assert [event.name for event in recorded.events] == ["exception"]
    assert recorded.end_time is not None


async def test_a_caller_that_did_not_sample_gets_no_spans_and_the_same_answer(
    traced_client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    headers = await _sign_in(traced_client)
    created = await traced_client.post("/v1/resumes", json=RESUME, headers=headers)
    exporter.clear()
    unsampled = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"}
    read = await traced_client.get(f"/v1/resumes/{created.json()['id']}", headers={**headers, **unsampled})
    assert read.status_code == 200 and read.json()["title"] == RESUME["title"]
    assert read.headers["etag"] == created.headers["etag"]
    assert exporter.get_finished_spans() == ()


def test_otlp_exporter_only_when_an_endpoint_is_set(settings: Settings) -> None:
    assert not configure_tracing(settings)
    assert not tracing_enabled()
    with_endpoint = settings.model_copy(update={"otel_exporter_otlp_endpoint": "http://127.0.0.1:4318"})
    try:
        assert configure_tracing(with_endpoint)
        assert tracing_enabled()
    finally:
        shutdown_tracing()  # the batch processor has nothing to send: nothing is contacted
    assert not tracing_enabled()


@pytest.mark.alone  # compares wall-clock times: parallel tests would skew them
async def test_off_installs_nothing_and_costs_little(tmp_path: Any) -> None:
    assert not tracing_enabled()
    settings = make_settings(tmp_path)
    app = create_app(settings)
    assert "RequestContextMiddleware" in {getattr(m.cls, "__name__", "") for m in app.user_middleware}
    assert start_server_span({"type": "http", "method": "GET", "path": "/", "headers": []}) is None
    database = create_database(f"sqlite+aiosqlite:///{tmp_path / 'off.db'}")
    try:
        assert not instrument_engine(database.engine)
        assert not event.contains(database.engine.sync_engine, "before_cursor_execute", lambda *a: None)
        assert not database.engine.sync_engine.dispatch.before_cursor_execute
    finally:
        await database.dispose()
    assert inject_context() == {}
    assert current_trace_id() is None

    @traced()
    async def noop() -> int:
        return 1

    rounds = 20_000
    started = time.perf_counter()
    for _ in range(rounds):
        with span("off"):
            pass
        await noop()
    per_call = (time.perf_counter() - started) / rounds
    # A generous bound (a shared machine): off means a flag check, not span machinery (~20+ µs per span).
    assert per_call < 15e-6, per_call


async def test_a_job_continues_the_trace_that_enqueued_it(
    exporter: InMemorySpanExporter, app_context: AppContext, job_runner: JobRunner
) -> None:
    with span("request.enqueue") as parent:
        assert parent is not None
        job_id = await enqueue(app_context, "system.noop", {"echo": "traced"})
        trace_id = parent.get_span_context().trace_id
    await wait_for(app_context, job_id, "succeeded")
    job_spans = [s for s in exporter.get_finished_spans() if s.name == "job system.noop"]
    assert job_spans, [s.name for s in exporter.get_finished_spans()]
    assert job_spans[0].context is not None and job_spans[0].context.trace_id == trace_id
    assert job_spans[0].attributes is not None and job_spans[0].attributes["job_id"] == str(job_id)
