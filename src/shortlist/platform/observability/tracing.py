"""OpenTelemetry tracing: HTTP server spans, service spans, database spans, outbound httpx, job carriers.

Off by default. ``configure_tracing`` turns it on with an OTLP exporter (from settings) or any exporter given
(tests pass an in-memory one). While off nothing is installed: no SQLAlchemy listeners, no httpx patching;
``start_server_span`` returns None and ``span()``/``traced`` return after one flag check.

Our own tracer provider is kept here rather than set as OpenTelemetry's global one: the global can be set
only once per process, and tests (or a re-configuration) need to swap it.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagators.textmap import DefaultGetter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import (
    NonRecordingSpan,
    Span,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    Tracer,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Scope

from shortlist.config import Settings

__all__ = [
    "REQUEST_ID_KEY",
    "ActiveSpan",
    "add_trace_ids",
    "configure_tracing",
    "continue_trace",
    "current_trace_id",
    "extract_context",
    "finish_server_span",
    "inject_context",
    "instrument_engine",
    "shutdown_tracing",
    "span",
    "start_server_span",
    "traced",
    "tracing_enabled",
]

INSTRUMENTATION_NAME = "shortlist"
# The carrier key for the request id, next to W3C `traceparent`/`tracestate`.
REQUEST_ID_KEY = "x-request-id"

P = ParamSpec("P")
R = TypeVar("R")


class _HandedOverIds(RandomIdGenerator):
    """Random ids, except for a trace id handed over: the one a new request's sampling was decided on.

    A server span with no incoming trace is decided before the SDK is asked (a dropped one is then made by
    hand, for a fraction of the SDK's cost); when it is kept, the SDK must start the trace on that very id,
    so its ratio sampler, which decides by trace id, keeps it too.
    """

    def __init__(self) -> None:
        self._handed = threading.local()

    def hand_over(self, trace_id: int | None) -> None:
        self._handed.trace_id = trace_id

    def generate_trace_id(self) -> int:
        trace_id: int | None = getattr(self._handed, "trace_id", None)
        if trace_id is None:
            return super().generate_trace_id()
        self._handed.trace_id = None
        return trace_id


@dataclass
class _State:
    provider: TracerProvider | None = None
    tracer: Tracer = field(default_factory=lambda: trace.NoOpTracer())
    httpx_instrumented: bool = False
    ids: _HandedOverIds = field(default_factory=_HandedOverIds)
    # New traces are kept when the trace id's low 64 bits fall below this (TraceIdRatioBased's rule).
    root_bound: int = 0


_state = _State()
_propagator = TraceContextTextMapPropagator()
_getter: DefaultGetter = DefaultGetter()


def tracing_enabled() -> bool:
    return _state.provider is not None


def configure_tracing(
    settings: Settings,
    *,
    exporter: SpanExporter | None = None,
    batch: bool | None = None,
    instrument_httpx: bool = True,
) -> bool:
    """Install a tracer provider when an exporter is given or an OTLP endpoint is configured.

    Returns whether tracing is on. Calling it again replaces the previous provider (shut down first).
    ``batch`` defaults to True for OTLP (export off the request path) and False for a given exporter
    (tests read spans right after the request).
    """
    shutdown_tracing()
    endpoint = settings.otel_exporter_otlp_endpoint
    if exporter is None and not endpoint:
        return False
    if exporter is None:
        # Imported only when used: the protobuf stack costs start-up time and memory.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=_traces_url(str(endpoint)))
        batch = True if batch is None else batch
    resource = Resource.create(
        {
            "service.name": settings.otel_service_name,
            "deployment.environment.name": settings.environment.value,
        }
    )
    # Parent-based: a caller that sampled (or dropped) the trace decides; new traces use the ratio.
    root_sampler = TraceIdRatioBased(settings.otel_sampler_ratio)
    provider = TracerProvider(resource=resource, sampler=ParentBased(root_sampler), id_generator=_state.ids)
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    _state.provider = provider
    _state.root_bound = root_sampler.bound
    _state.tracer = provider.get_tracer(INSTRUMENTATION_NAME)
    if instrument_httpx:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        _state.httpx_instrumented = True
    return True


def _traces_url(endpoint: str) -> str:
    # The OTLP/HTTP convention: a base endpoint gets /v1/traces appended; a full traces URL is kept.
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else endpoint + "/v1/traces"


def shutdown_tracing() -> None:
    """Flush and remove the provider; undo the httpx patching. Safe to call when tracing is off."""
    if _state.httpx_instrumented:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor().uninstrument()
        _state.httpx_instrumented = False
    if _state.provider is not None:
        _state.provider.shutdown()
    _state.provider = None
    _state.tracer = trace.NoOpTracer()


def tracer() -> Tracer:
    return _state.tracer


# --- service spans -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def span(name: str, *, kind: SpanKind = SpanKind.INTERNAL, **attributes: Any) -> Iterator[Span | None]:
    """A span around a block; yields None (and does nothing else) while tracing is off.

    Exceptions are recorded on the span and re-raised.
    """
    if _state.provider is None or _dropped(trace.get_current_span()):
        yield None
        return
    with _state.tracer.start_as_current_span(name, kind=kind, attributes=attributes or None) as current:
        yield current


def annotate(**attributes: Any) -> None:
    """Attributes on the current span, for a step too quick to deserve a span of its own.

    A child span costs tens of microseconds to create and export; on a hot read that is more than the step.
    """
    if _state.provider is None:
        return
    current = trace.get_current_span()
    if current.is_recording():
        current.set_attributes(attributes)


def _dropped(parent: Span) -> bool:
    """The current span belongs to a trace the sampler dropped: its children would be dropped too (the
    sampler is parent-based), so they are not created at all. Without a parent a new trace may start."""
    return not parent.is_recording() and parent.get_span_context().is_valid


def traced(name: str | None = None) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Decorate an async function so each call is a span named ``name`` (default: module.qualname)."""

    def decorate(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        span_name = name or f"{function.__module__.removeprefix('shortlist.')}.{function.__qualname__}"

        @functools.wraps(function)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if _state.provider is None or _dropped(trace.get_current_span()):
                return await function(*args, **kwargs)
            with _state.tracer.start_as_current_span(span_name):
                return await function(*args, **kwargs)

        return wrapper

    return decorate


# --- trace context in carriers (job metadata) --------------------------------------------------------------


def inject_context(carrier: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Write the current trace context (W3C ``traceparent``/``tracestate``) and request id into a dict.

    Returns the carrier (a new dict when none is given). Without an active span only the request id (if
    any) is written, so the result is always safe to store in job metadata.
    """
    result: dict[str, str] = dict(carrier or {})
    _propagator.inject(result)
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if isinstance(request_id, str):
        result[REQUEST_ID_KEY] = request_id
    if carrier is not None:
        carrier.update(result)
    return result


def extract_context(carrier: Mapping[str, str]) -> otel_context.Context:
    """The OpenTelemetry context a carrier describes (an empty one when it holds none or garbage)."""
    return _propagator.extract(dict(carrier), getter=_getter)


@contextlib.contextmanager
def continue_trace(
    carrier: Mapping[str, str],
    name: str,
    *,
    kind: SpanKind = SpanKind.CONSUMER,
    **attributes: Any,
) -> Iterator[Span | None]:
    """Run a block (a job) as a child of the trace in ``carrier``, with its request id bound in logs."""
    request_id = carrier.get(REQUEST_ID_KEY)
    bound = isinstance(request_id, str) and bool(request_id)
    if bound:
        structlog.contextvars.bind_contextvars(request_id=request_id)
    try:
        if _state.provider is None:
            yield None
            return
        parent = extract_context(carrier)
        with _state.tracer.start_as_current_span(
            name, context=parent, kind=kind, attributes=attributes or None
        ) as current:
            yield current
    finally:
        if bound:
            structlog.contextvars.unbind_contextvars("request_id")


def current_trace_id() -> str | None:
    """The current trace id as 32 hex digits, or None outside a recorded span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


# --- logs --------------------------------------------------------------------------------------------------


def add_trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: trace_id and span_id of the current span, when there is one."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict


# --- HTTP server spans -------------------------------------------------------------------------------------


_TRACE_HEADERS = frozenset({b"traceparent", b"tracestate"})
_NOT_SAMPLED = TraceFlags(TraceFlags.DEFAULT)


class ActiveSpan:
    """Makes a span current for a block, records an error escaping it, and ends it.

    What the SDK's ``start_as_current_span`` does around a span, as one small class: its two generator-based
    context managers cost more than a dropped request's whole span.
    """

    __slots__ = ("_token", "span")

    def __init__(self, span: Span) -> None:
        self.span = span
        self._token: object = None

    def __enter__(self) -> Span:
        self._token = otel_context.attach(trace.set_span_in_context(self.span))
        return self.span

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        otel_context.detach(self._token)  # type: ignore[arg-type]
        # As the SDK does: only an Exception is an error (not a cancellation or GeneratorExit).
        if isinstance(error, Exception) and self.span.is_recording():
            self.span.record_exception(error)
            self.span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        self.span.end()


def start_server_span(scope: Scope) -> ActiveSpan | None:
    """The SERVER span of an HTTP request, to enter around the whole request; None while tracing is off.

    It continues an incoming W3C trace context (the first ``traceparent``/``tracestate`` counts) and is named
    by the method until `finish_server_span` knows the route. The request middleware opens it first, so the
    access log line is written inside it and carries its trace id.

    A request that starts a trace is sampled here, by the rule of the provider's ratio sampler: a dropped one
    gets a non-recording span made by hand (~2 µs, against ~9 µs through the SDK, paid by most requests at
    the shipped 0.1 ratio); a kept one is started by the SDK on the trace id it was decided on.
    """
    if _state.provider is None:
        return None
    carrier: dict[str, str] = {}
    for key, value in scope["headers"]:
        if key in _TRACE_HEADERS and value:
            carrier.setdefault(key.decode("latin-1"), value.decode("latin-1"))
    method: str = scope["method"]
    new_trace = not carrier and not trace.get_current_span().get_span_context().is_valid
    if new_trace:
        trace_id = _state.ids.generate_trace_id()
        if trace_id & TraceIdRatioBased.TRACE_ID_LIMIT >= _state.root_bound:
            context = SpanContext(
                trace_id, _state.ids.generate_span_id(), is_remote=False, trace_flags=_NOT_SAMPLED
            )
            return ActiveSpan(NonRecordingSpan(context))
        _state.ids.hand_over(trace_id)
    try:
        server_span = _state.tracer.start_span(
            method,
            context=extract_context(carrier) if carrier else None,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": scope["path"],
                "url.scheme": scope.get("scheme", "http"),
                "network.protocol.version": scope.get("http_version", "1.1"),
            },
        )
    finally:
        if new_trace:
            _state.ids.hand_over(None)  # never left for another span, whatever the SDK did
    return ActiveSpan(server_span)


def finish_server_span(server_span: Span, *, method: str, route: str, status: int, request_id: str) -> None:
    """Name the span by its route template and record the answer (a dropped trace keeps nothing: no work)."""
    if not server_span.is_recording():
        return
    server_span.update_name(f"{method} {route}")
    # One call, one lock: set_attribute takes the span's lock each time. (No duration attribute: the span's
    # own start and end say it, and each attribute costs its encoding in the exporter.)
    server_span.set_attributes(
        {"http.route": route, "http.response.status_code": status, "shortlist.request_id": request_id}
    )
    if status >= 500:
        server_span.set_status(Status(StatusCode.ERROR))


# --- database spans ----------------------------------------------------------------------------------------

_SPAN_KEY = "_shortlist_otel_span"
_ENGINE_FLAG = "_shortlist_traced"


def instrument_engine(engine: AsyncEngine) -> bool:
    """CLIENT spans for every statement on this engine, as children of the current span.

    Our own event listeners rather than opentelemetry-instrumentation-sqlalchemy: its latest release pins an
    older semantic-conventions package than the SDK's, so the two cannot be installed together. SQLAlchemy
    runs the listeners inside its greenlet, which carries the caller's contextvars, so parents are right.
    """
    sync_engine = engine.sync_engine
    if _state.provider is None or getattr(sync_engine, _ENGINE_FLAG, False):
        return False
    system = "postgresql" if sync_engine.dialect.name == "postgresql" else sync_engine.dialect.name
    database = sync_engine.url.database or ""

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _executemany: bool
    ) -> None:
        if _state.provider is None or context is None:
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        db_span = _state.tracer.start_span(
            f"{operation} {database}".strip() if system != "sqlite" else operation,
            kind=SpanKind.CLIENT,
            attributes={
                "db.system.name": system,
                "db.namespace": database,
                "db.operation.name": operation,
                # Bound parameters stay out: statements carry placeholders, never values.
                "db.query.text": statement[:2000],
            },
        )
        setattr(context, _SPAN_KEY, db_span)

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
        db_span: Span | None = getattr(context, _SPAN_KEY, None)
        if db_span is not None:
            setattr(context, _SPAN_KEY, None)
            db_span.end()

    @event.listens_for(sync_engine, "handle_error")
    def _error(exception_context: Any) -> None:
        context = exception_context.execution_context
        db_span: Span | None = getattr(context, _SPAN_KEY, None) if context is not None else None
        if db_span is not None:
            setattr(context, _SPAN_KEY, None)
            error = exception_context.original_exception
            db_span.record_exception(error)
            db_span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            db_span.end()

    setattr(sync_engine, _ENGINE_FLAG, True)
    return True
