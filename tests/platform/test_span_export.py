"""OTLP export from a child process (platform/observability/span_export.py), against a local HTTP collector."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link

from shortlist.config import Settings
from shortlist.platform.observability.span_export import ProcessSpanExporter, flatten, rebuild
from shortlist.platform.observability.tracing import configure_tracing, shutdown_tracing, span
from tests.platform.httpserver import LocalServer


@pytest.fixture
def collector() -> Iterator[LocalServer]:
    server = LocalServer().start()
    yield server
    server.stop()


def _exported(server: LocalServer) -> dict[str, Any]:
    """Every span the collector received, by name, with its resource's attributes."""
    found: dict[str, Any] = {}
    for seen in server.state.requests:
        assert seen.path == "/ok/v1/traces"
        assert seen.headers["content-type"] == "application/x-protobuf"
        request = ExportTraceServiceRequest.FromString(seen.body)
        for resource_spans in request.resource_spans:
            resource = {item.key: item.value.string_value for item in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for exported in scope_spans.spans:
                    found[exported.name] = (exported, resource, scope_spans.scope.name)
    return found


def _export_children() -> list[BaseProcess]:
    return [child for child in multiprocessing.active_children() if child.name == "shortlist-span-export"]


def test_spans_reach_the_collector_from_a_child_process(settings: Settings, collector: LocalServer) -> None:
    endpoint = f"http://127.0.0.1:{collector.port}/ok"
    assert configure_tracing(
        settings.model_copy(update={"otel_exporter_otlp_endpoint": endpoint}), instrument_httpx=False
    )
    try:
        (child,) = _export_children()
        assert child.pid != os.getpid()
        attributes: dict[str, Any] = {"shortlist.case": "export", "shortlist.count": 3}
        with span("outer", **attributes):
            with span("inner"):
                pass
            with pytest.raises(ValueError), span("fails"):
                raise ValueError("boom")
    finally:
        shutdown_tracing()  # flushes the batch; the child exports it and exits
    assert not _export_children()

    spans = _exported(collector)
    assert set(spans) == {"outer", "inner", "fails"}
    outer, resource, scope = spans["outer"]
    inner, _, _ = spans["inner"]
    fails, _, _ = spans["fails"]
    assert resource["service.name"] == settings.otel_service_name
    assert scope == "shortlist"
    assert inner.trace_id == outer.trace_id == fails.trace_id
    assert inner.parent_span_id == outer.span_id == fails.parent_span_id
    assert not outer.parent_span_id
    attributes = {item.key: item.value for item in outer.attributes}
    assert attributes["shortlist.case"].string_value == "export"
    assert attributes["shortlist.count"].int_value == 3
    assert outer.end_time_unix_nano >= inner.end_time_unix_nano > inner.start_time_unix_nano > 0
    assert fails.status.code == fails.status.STATUS_CODE_ERROR
    (event,) = fails.events
    assert event.name == "exception"
    assert {item.key: item.value.string_value for item in event.attributes}["exception.message"] == "boom"


def test_flatten_and_rebuild_keep_what_the_exporter_reads() -> None:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("shortlist", "1.0")
    with tracer.start_as_current_span("parent") as parent:
        link = Link(parent.get_span_context(), {"why": "follows"})
        with tracer.start_as_current_span(
            "child", attributes={"tags": ("a", "b"), "ratio": 0.5}, links=[link]
        ) as child:
            child.add_event("step", {"n": 1})
    original = memory.get_finished_spans()[0]  # the child ends first
    copy: ReadableSpan = rebuild(flatten(original), original.resource)
    assert copy.name == original.name == "child"
    assert copy.context == original.context
    assert copy.parent == original.parent == parent.get_span_context()
    assert dict(copy.attributes or {}) == {"tags": ("a", "b"), "ratio": 0.5}
    assert [(e.name, dict(e.attributes or {}), e.timestamp) for e in copy.events] == [
        (e.name, dict(e.attributes or {}), e.timestamp) for e in original.events
    ]
    assert (copy.start_time, copy.end_time, copy.kind) == (
        original.start_time,
        original.end_time,
        original.kind,
    )
    assert copy.instrumentation_scope == original.instrumentation_scope
    assert [(k.context, dict(k.attributes or {})) for k in copy.links] == [
        (parent.get_span_context(), {"why": "follows"})
    ]
    provider.shutdown()


def test_a_dead_export_process_is_replaced_and_costs_only_spans(collector: LocalServer) -> None:
    exporter = ProcessSpanExporter(
        f"http://127.0.0.1:{collector.port}/ok/v1/traces", stop_timeout=5, restart_after=2.0
    )
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer("shortlist").start_as_current_span("lost"):
        pass
    finished = memory.get_finished_spans()
    first = exporter.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    (child,) = _export_children()
    child.join(10)
    # Too soon after its start: the batch fails at once (no new child yet), and nothing raises.
    assert exporter.export(finished) is SpanExportResult.FAILURE
    assert not exporter.force_flush()
    time.sleep(2.1)
    assert exporter.export(finished) is SpanExportResult.SUCCESS
    assert exporter.pid not in (None, first)
    exporter.shutdown()
    assert not _export_children()
    (seen,) = collector.state.requests  # the batch sent to the new child arrived
    spans = ExportTraceServiceRequest.FromString(seen.body).resource_spans[0].scope_spans[0].spans
    assert [exported.name for exported in spans] == ["lost"]
    provider.shutdown()
