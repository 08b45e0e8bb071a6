"""The hottest reads answered before FastAPI's routing and dependency resolution, with FastAPI's answers.

For a cached read, FastAPI's route matching and dependency resolution cost more than the rest of the request
together (docs/operations.md, "Where a cached read's time goes"). A fast route names an operation and a
handler that answers from what is already at hand (a cache entry fetched with the account state) or returns
None. None passes the request on to FastAPI unchanged, which answers it the long way; the caller it resolved
and the rate-limit hit it counted stay in the request's state, so neither is done twice. An error the handler
raises (a 401, 403 or 429 problem, a database that cannot be reached) is answered by the application's
handler for its class, as it would be after routing, and is not tried a second time.

The middleware is the innermost one: request id, access log, metrics, tracing, security headers and the
request guard apply as to any request. It sets the route and its path parameters in the scope as the router
does, so the route's template, access rule and metrics labels are the same either way.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from prometheus_client import Counter
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from shortlist.context import request_state

FastHandler = Callable[[Request], Awaitable[Response | None]]

FAST_PATH_REQUESTS = Counter(
    "shortlist_http_fast_path_total",
    "Requests to a fast route by outcome: served before routing, or passed on to FastAPI.",
    ["operation", "outcome"],
)


@dataclass(frozen=True)
class FastRoute:
    """A GET operation (by its OpenAPI operation id) and the handler that may answer it before routing."""

    operation_id: str
    handler: FastHandler


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern[str]
    route: APIRoute
    fast: FastRoute


async def _answer_to(request: Request, exc: Exception) -> Response:
    """The application's answer to `exc`: its handler for the nearest of the exception's classes."""
    handlers: dict[Any, Callable[[Request, Exception], Response | Awaitable[Response]]]
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        handler = handlers.get(cls)
        if handler is not None:
            answer = handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
    raise exc


class FastPathMiddleware:
    def __init__(self, app: ASGIApp, *, routes: Sequence[FastRoute]) -> None:
        self.app = app
        self.routes = tuple(routes)
        self._table: tuple[_Compiled, ...] | None = None
        self._counted: dict[tuple[str, str], Counter] = {}

    def _compile(self, scope: Scope) -> tuple[_Compiled, ...]:
        """Each fast route's full path pattern and route object, from the application's route tree."""
        wanted = {fast.operation_id: fast for fast in self.routes}
        table: list[_Compiled] = []
        for context in iter_route_contexts(scope["app"].routes):
            route = context.original_route
            if (
                isinstance(route, APIRoute)
                and route.operation_id in wanted
                and "GET" in (route.methods or ())
            ):
                pattern, _, _ = compile_path(context.path_format or route.path)
                table.append(_Compiled(pattern, route, wanted.pop(route.operation_id)))
        if wanted:
            raise RuntimeError(f"Fast routes without a GET route: {', '.join(sorted(wanted))}.")
        self._table = tuple(table)
        return self._table

    def _count(self, operation_id: str, outcome: str) -> None:
        counter = self._counted.get((operation_id, outcome))
        if counter is None:
            counter = self._counted[operation_id, outcome] = FAST_PATH_REQUESTS.labels(operation_id, outcome)
        counter.inc()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        # Behind a --root-path prefix nothing matches and every request goes the long way: slower, not wrong.
        path: str = scope["path"]
        for compiled in self._table if self._table is not None else self._compile(scope):
            match = compiled.pattern.match(path)
            if match is not None:
                break
        else:
            await self.app(scope, receive, send)
            return
        scope["route"] = compiled.route
        scope["path_params"] = match.groupdict()
        request = Request(scope, receive)
        try:
            response = await compiled.fast.handler(request)
        except Exception as exc:
            response = await _answer_to(request, exc)
        operation_id = compiled.fast.operation_id
        if response is None:
            self._count(operation_id, "passed")
            await self.app(scope, receive, send)
            return
        self._count(operation_id, "served")
        for name, value in request_state(request).get("response_headers", {}).items():
            response.headers.setdefault(name, value)
        await response(scope, receive, send)
