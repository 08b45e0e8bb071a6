"""OTLP span export in a process of its own: the serving interpreter hands finished spans over a pipe.

The OTLP exporter encodes every span to protobuf in Python (~60 µs a span with a request's attributes) and
posts the batch with a blocking HTTP client. In the API process that work runs on the batch processor's
thread, which takes the GIL from the event loop while it does it: measured with bench/api_profile.py, a
recorded request cost ~150 µs more with the OTLP exporter than with spans batched and dropped
(``--span-exporter none``). Here that thread only flattens each span into a tuple of plain values and
pickles the batch; a child process rebuilds the spans and runs the OTLP exporter on them.

A batch counts as exported once the pipe has taken it: delivery failures are the child's to log, as they
would be the exporter's. A child that has died is replaced when the next batch finds it gone (at most once
per ``restart_after`` seconds; the batches in between fail and the batch processor drops them). None of this
runs on the event loop, so tracing cannot hold a request up.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

import structlog
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

log = structlog.get_logger(__name__)

# This message tells the child to exit (it has exported every batch sent before it).
_STOP = None
_FlatContext = tuple[int, int, int, bool, str]


def _flat_context(context: SpanContext) -> _FlatContext:
    return (
        context.trace_id,
        context.span_id,
        int(context.trace_flags),
        context.is_remote,
        context.trace_state.to_header(),
    )


def _context(flat: _FlatContext) -> SpanContext:
    trace_id, span_id, flags, remote, state = flat
    return SpanContext(
        trace_id, span_id, remote, TraceFlags(flags), TraceState.from_header([state]) if state else None
    )


def flatten(span: ReadableSpan) -> tuple[Any, ...]:
    """The span as plain values (pickled cheaply), without its resource: a batch carries that once."""
    context = span.get_span_context()
    assert context is not None  # every SDK span has one
    scope = span.instrumentation_scope
    return (
        span.name,
        _flat_context(context),
        _flat_context(span.parent) if span.parent is not None else None,
        span.kind.value,
        span.start_time,
        span.end_time,
        span.status.status_code.value,
        span.status.description,
        dict(span.attributes or {}),
        [(event.name, dict(event.attributes or {}), event.timestamp) for event in span.events],
        [(_flat_context(link.context), dict(link.attributes or {})) for link in span.links],
        (scope.name, scope.version) if scope is not None else None,
    )


def rebuild(flat: tuple[Any, ...], resource: Resource) -> ReadableSpan:
    """The span `flatten` made, for the OTLP exporter."""
    name, context, parent, kind, start, end, code, description, attributes, events, links, scope = flat
    return ReadableSpan(
        name,
        context=_context(context),
        parent=_context(parent) if parent is not None else None,
        resource=resource,
        attributes=attributes,
        events=[
            Event(event_name, event_attributes, timestamp)
            for event_name, event_attributes, timestamp in events
        ],
        links=[Link(_context(link_context), link_attributes) for link_context, link_attributes in links],
        kind=SpanKind(kind),
        status=Status(StatusCode(code), description),
        start_time=start,
        end_time=end,
        instrumentation_scope=InstrumentationScope(*scope) if scope is not None else None,
    )


class ProcessSpanExporter(SpanExporter):
    """Sends span batches to a child process that exports them over OTLP/HTTP to ``endpoint``.

    A child found dead is replaced when the next batch comes, at most once per ``restart_after`` seconds;
    the batches in between are dropped.
    """

    def __init__(self, endpoint: str, *, stop_timeout: float = 10.0, restart_after: float = 10.0) -> None:
        self._endpoint = endpoint
        self._stop_timeout = stop_timeout
        self._restart_after = restart_after
        self._started_at = 0.0
        self._start()

    def _start(self) -> None:
        # Spawned, not forked: the serving process has threads and an event loop a fork would copy mid-step.
        context = multiprocessing.get_context("spawn")
        receiver, self._sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=export_forever, args=(receiver, self._endpoint), name="shortlist-span-export", daemon=True
        )
        self._process.start()
        receiver.close()  # the child holds the reading end; ours would keep the pipe open after it exits
        self._started_at = time.monotonic()

    def _send(self, batch: object) -> bool:
        try:
            self._sender.send(batch)
        except OSError:
            return False
        return True

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if not spans:
            return SpanExportResult.SUCCESS
        # One message a batch (the connection pickles it): flat tuples cost a few µs a span to pickle.
        batch = (dict(spans[0].resource.attributes), [flatten(span) for span in spans])
        if self._send(batch):
            return SpanExportResult.SUCCESS
        if time.monotonic() - self._started_at < self._restart_after:
            return SpanExportResult.FAILURE
        log.warning("tracing.export_process_lost", exit_code=self._process.exitcode)
        self._sender.close()
        self._process.join(0)
        self._start()
        return SpanExportResult.SUCCESS if self._send(batch) else SpanExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        # What the pipe took is the child's: it exports each batch as it arrives.
        return self._process.is_alive()

    def shutdown(self) -> None:
        with contextlib.suppress(OSError):
            self._sender.send(_STOP)
        self._sender.close()
        self._process.join(self._stop_timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    @property
    def pid(self) -> int | None:
        return self._process.pid


def export_forever(receiver: Connection, endpoint: str) -> None:
    """The child: rebuild each batch and hand it to the OTLP exporter until told to stop or orphaned."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when this one stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter = OTLPSpanExporter(endpoint=endpoint)
    resources: dict[tuple[tuple[str, Any], ...], Resource] = {}
    try:
        while True:
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                break  # the parent is gone
            if message is _STOP:
                break
            resource_attributes, flat_spans = message
            key = tuple(sorted(resource_attributes.items()))
            resource = resources.get(key)
            if resource is None:
                resource = resources[key] = Resource(resource_attributes)
            exporter.export([rebuild(flat, resource) for flat in flat_spans])
    finally:
        exporter.shutdown()  # type: ignore[no-untyped-call]  # the SDK leaves it unannotated
