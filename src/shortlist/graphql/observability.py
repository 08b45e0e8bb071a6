"""Per-operation metrics and rate limits, and spans for slow resolvers."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from opentelemetry import trace
from prometheus_client import Counter, Histogram
from strawberry.extensions import SchemaExtension

from shortlist.platform.observability.tracing import tracer

OPERATIONS = Counter(
    "shortlist_graphql_operations_total",
    "GraphQL operations by name, type and outcome.",
    ["operation", "type", "outcome"],
)
OPERATION_SECONDS = Histogram(
    "shortlist_graphql_operation_seconds",
    "GraphQL operation duration by name and type (parse to answer).",
    ["operation", "type"],
)
SLOW_RESOLVERS = Counter(
    "shortlist_graphql_slow_resolvers_total",
    "Resolvers slower than SHORTLIST_GRAPHQL_SLOW_RESOLVER_MS, by field.",
    ["field"],
)

# Operation names become metric labels: unnamed and overlong ones are grouped, so a client cannot
# create series without bound.
MAX_LABEL = 64


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    return name if len(name) <= MAX_LABEL and name.isidentifier() else "other"


class SlowResolverSpans(SchemaExtension):
    """A span for each resolver slower than the threshold (timed always, recorded only when slow: a span
    per field of a 50-item list would cost more than the fields)."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        if not inspect.isawaitable(result):
            return result
        return self._timed(result, info)

    async def _timed(self, awaitable: Awaitable[Any], info: Any) -> Any:
        started_ns = time.time_ns()
        started = time.perf_counter()
        try:
            return await awaitable
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            threshold = info.context.app.settings.graphql_slow_resolver_ms
            if elapsed_ms >= threshold:
                name = f"{info.parent_type.name}.{info.field_name}"
                SLOW_RESOLVERS.labels(name).inc()
                span = tracer().start_span(
                    f"graphql.resolve {name}",
                    start_time=started_ns,
                    kind=trace.SpanKind.INTERNAL,
                    attributes={
                        "graphql.field.path": ".".join(str(p) for p in info.path.as_list()),
                        "graphql.field.name": info.field_name,
                        "graphql.parent.type": info.parent_type.name,
                    },
                )
                span.end(end_time=started_ns + int(elapsed_ms * 1_000_000))
