"""`/graphql` over HTTP (POST; GET for queries) and WebSocket (subscriptions, graphql-transport-ws).

The HTTP route is a TransactionalRoute like every REST route: the request owns the transaction, commits
before the answer leaves, and runs after-commit hooks (queued jobs, notifications) only once committed.
Before anything executes: the persisted-query check, the token limit (while parsing), then depth,
alias and complexity limits and, in production unless enabled, no introspection.
"""

from __future__ import annotations

import time
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request, Response, WebSocket
from fastapi.routing import APIWebSocketRoute
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    get_operation_ast,
    parse,
    validate,
)
from shortlist.auth.subject import resolve_subject
from shortlist.config import Environment, Settings
from shortlist.context import get_context
from shortlist.graphql.context import GraphQLContext
from shortlist.graphql.ide import IdeAssetNotFound, ide_asset, ide_page, wants_ide
from shortlist.graphql.limits import CostLimits, cost_rule
from shortlist.graphql.loaders import SessionGate, build_loaders
from shortlist.graphql.observability import OPERATION_SECONDS, OPERATIONS, operation_label
from shortlist.graphql.persisted import resolve_document
from shortlist.graphql.recruiting_loaders import build_recruiting_loaders
from shortlist.graphql.schema import get_schema
from shortlist.graphql.subscriptions import SocketContext, authenticate
from shortlist.http.ratelimit import rate_limit
from shortlist.http.route import TransactionalRoute, add_response_headers
from shortlist.kit.problems import (
    AppError,
    BadRequest,
    MethodNotAllowed,
    TooManyRequests,
    UnsupportedMediaType,
)

GRAPHQL_PATH = "/graphql"
GRAPHQL_MEDIA = "application/graphql-response+json"
MAX_UPLOAD_PARTS = 5

router = APIRouter(route_class=TransactionalRoute, dependencies=[Depends(rate_limit)])


def introspection_allowed(settings: Settings) -> bool:
    if settings.graphql_introspection is not None:
        return settings.graphql_introspection
    return settings.environment != Environment.production


def _request_error(message: str, code: str, status: int, request_id: str | None) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, "status": status, "requestId": request_id}}


def format_error(error: GraphQLError, request_id: str | None) -> dict[str, Any]:
    """A GraphQL error with the problem type's slug (`code`), its HTTP status and the request id."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, AppError):
        extensions: dict[str, Any] = {
            "code": original.slug,
            "status": original.status,
            "type": original.type_uri(),
            **{k: v for k, v in original.extensions.items() if k not in {"code", "status", "type"}},
        }
        formatted["message"] = original.detail
    elif original is not None and not isinstance(original, GraphQLError):
        # Never show an unexpected exception's text: it may carry internals. The log has it.
        formatted["message"] = "Internal server error."
        extensions = {"code": "internal-error", "status": 500}
    else:
        extensions = {"code": "graphql-validation-failed", "status": 400, **(error.extensions or {})}
    extensions["requestId"] = request_id
    formatted["extensions"] = extensions
    return formatted


def _is_request_error(error: GraphQLError) -> bool:
    """Validation and variable coercion errors (no resolver ran), as opposed to a resolver's failure."""
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


def _answer(body: dict[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def _body(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        params = request.query_params
        payload: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
        for name in ("variables", "extensions"):
            if params.get(name):
                try:
                    payload[name] = orjson.loads(params[name])
                except orjson.JSONDecodeError as exc:
                    raise BadRequest(f"`{name}` is not valid JSON.") from exc
        return payload
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _multipart_body(request)
    if media_type != "application/json":
        raise UnsupportedMediaType(
            "POST /graphql takes application/json, or multipart/form-data for file uploads, "
            f"not {media_type or 'nothing'}."
        )
    try:
        payload = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object with `query` (and `variables`, `operationName`).")
    return payload


# A browser sends a multipart POST cross-origin without asking first (a "simple request"): only a header
# no simple request may carry makes it ask (CORS preflight), so one of these must come with a multipart body.
PREFLIGHT_HEADERS = ("authorization", "x-api-key", "graphql-preflight", "apollo-require-preflight")


class PreflightRequired(BadRequest):
    slug = "preflight-header-required"
    title = "A non-simple header is required"


def _json_part(form: Any, name: str) -> Any:
    value = form.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"A multipart GraphQL request needs a `{name}` field holding JSON.")
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"`{name}` is not valid JSON.") from exc


def _place(operations: dict[str, Any], path: str, file: UploadFile) -> None:
    """Put a file where `map` says, e.g. `variables.file` or `variables.files.0`; the spot must hold null."""
    parts = path.split(".")
    if len(parts) < 2 or parts[0] != "variables":
        raise BadRequest(f"`map` path {path!r} must point into `variables`.")
    holder: Any = operations
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(holder, dict) and part in holder:
            if last:
                if holder[part] is not None:
                    raise BadRequest(f"`map` path {path!r} must point at a null in `variables`.")
                holder[part] = file
            else:
                holder = holder[part]
        elif isinstance(holder, list) and part.isdigit() and int(part) < len(holder):
            if last:
                if holder[int(part)] is not None:
                    raise BadRequest(f"`map` path {path!r} must point at a null in `variables`.")
                holder[int(part)] = file
            else:
                holder = holder[int(part)]
        else:
            raise BadRequest(f"`map` path {path!r} is not in `operations`.")


async def _multipart_body(request: Request) -> dict[str, Any]:
    """The GraphQL multipart request spec: `operations` (the usual JSON body with null where files go),
    `map` (file field name -> paths in `operations`), then the files. One operation per request."""
    if not any(request.headers.get(name) for name in PREFLIGHT_HEADERS):
        raise PreflightRequired(
            "A multipart request to /graphql needs an Authorization, X-API-Key or GraphQL-Preflight header, "
            "so that a browser asks first (CORS preflight) before sending it from another site."
        )
    try:
        form = await request.form(max_files=MAX_UPLOAD_PARTS, max_fields=MAX_UPLOAD_PARTS + 2)
    except HTTPException as exc:
        if exc.status_code != 400:
            raise  # the request guard's 413 for a body past the upload limit stays a 413
        raise BadRequest(f"The multipart body could not be read: {exc.detail}.") from exc
    operations = _json_part(form, "operations")
    if not isinstance(operations, dict):
        raise BadRequest("`operations` must be one JSON object (batches are not accepted).")
    mapping = _json_part(form, "map")
    if not isinstance(mapping, dict):
        raise BadRequest("`map` must be a JSON object of file field name to a list of paths.")
    for name, paths in mapping.items():
        file = form.get(name)
        if not isinstance(file, UploadFile):
            raise BadRequest(f"`map` names the file field {name!r}, which the request does not carry.")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise BadRequest(f'`map[{name!r}]` must be a list of paths such as "variables.file".')
        for path in paths:
            _place(operations, path, file)
    return operations


def _field(payload: dict[str, Any], name: str, kind: type) -> Any:
    value = payload.get(name)
    if value is not None and not isinstance(value, kind):
        raise BadRequest(f"`{name}` must be a {kind.__name__ if kind is not dict else 'JSON object'}.")
    return value


async def _operation_rate_limit(request: Request, label: str, identity: str) -> None:
    context = get_context(request)
    result = await context.rate_limiter.hit(
        f"graphql:{label}", context.settings.graphql_rate_limit_per_operation, identity
    )
    if not result.allowed:
        add_response_headers(request, result.headers())
        raise TooManyRequests(
            f"Operation {label} is limited to {result.limit} per {result.window_seconds} s; "
            f"retry in {max(1, result.reset_after)} s.",
            headers=result.headers(),
        )


@router.get(GRAPHQL_PATH, include_in_schema=False)
@router.post(GRAPHQL_PATH, include_in_schema=False)
async def graphql_http(request: Request) -> Response:
    started = time.perf_counter()
    app = get_context(request)
    settings = app.settings
    if wants_ide(request) and introspection_allowed(settings):
        return ide_page()
    request_id = request.scope.get("state", {}).get("request_id")
    payload = await _body(request)
    query = _field(payload, "query", str)
    variables = _field(payload, "variables", dict)
    operation_name = _field(payload, "operationName", str)
    extensions = _field(payload, "extensions", dict) or {}
    document_text = await resolve_document(app, query, extensions)

    try:
        document: DocumentNode = parse(document_text, max_tokens=settings.graphql_max_tokens)
    except GraphQLSyntaxError as exc:
        code = "too-many-tokens" if "tokens" in exc.message else "graphql-parse-failed"
        OPERATIONS.labels("unparsed", "unknown", code).inc()
        return _answer({"errors": [_request_error(exc.message, code, 400, request_id)]}, 400)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        # Strawberry raises on this at execution time (a 500): it is the client's request that is wrong.
        OPERATIONS.labels(operation_label(operation_name), "unknown", "unknown-operation").inc()
        message = (
            f"The document has no operation named {operation_name!r}."
            if operation_name
            else "The document has no operation, or several: name the one to run in operationName."
        )
        return _answer({"errors": [_request_error(message, "unknown-operation", 400, request_id)]}, 400)
    kind = operation.operation
    label = operation_label(operation.name.value if operation.name else operation_name)
    type_label = kind.value
    if kind is OperationType.SUBSCRIPTION:
        return _answer(
            {
                "errors": [
                    _request_error(
                        "Subscriptions run over WebSocket (graphql-transport-ws).",
                        "subscription-needs-websocket",
                        400,
                        request_id,
                    )
                ]
            },
            400,
        )
    if kind is OperationType.MUTATION and request.method == "GET":
        raise MethodNotAllowed("Mutations need POST.", headers={"Allow": "POST"})

    schema = get_schema()
    limits = CostLimits(
        settings.graphql_max_depth, settings.graphql_max_aliases, settings.graphql_max_complexity
    )
    rules: list[Any] = [cost_rule(limits, variables)]
    if not introspection_allowed(settings):
        rules.append(NoSchemaIntrospectionCustomRule)
    problems = validate(schema._schema, document, rules)
    if problems:
        OPERATIONS.labels(label, type_label, "rejected").inc()
        return _answer({"errors": [format_error(p, request_id) for p in problems]}, 400)

    subject = await resolve_subject(request, app)
    identity = subject.principal if subject else f"ip:{request.client.host if request.client else 'unknown'}"
    await _operation_rate_limit(request, label, identity)

    # Reads stay on the reader (deferred, concurrent on SQLite); only mutations take the writer.
    maker = app.database.writer if kind is OperationType.MUTATION else app.database.reader
    session = maker()
    request.state.db_session = session  # TransactionalRoute commits or rolls back and closes it
    gate = SessionGate(session)
    context = GraphQLContext(
        request=request,
        app=app,
        subject=subject,
        gate=gate,
        loaders=build_loaders(gate, subject, settings.share_max_per_resume * 4),
        recruiting=build_recruiting_loaders(gate, subject),
    )
    try:
        result = await schema.execute(
            document_text,
            variable_values=variables,
            context_value=context,
            operation_name=operation_name,
        )
    finally:
        if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            await (await request.form()).close()  # the spooled upload files; request.form() is cached
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(e, request_id) for e in result.errors]
    outcome = "error" if result.errors else "ok"
    OPERATIONS.labels(label, type_label, outcome).inc()
    OPERATION_SECONDS.labels(label, type_label).observe(time.perf_counter() - started)
    # A request that never reached execution (validation, variables) is a bad request (GraphQL over HTTP).
    rejected = result.data is None and all(_is_request_error(e) for e in result.errors or ())
    return _answer(body, 400 if rejected else 200)


@router.get(GRAPHQL_PATH + "/ide/assets/{name}", include_in_schema=False)
async def graphql_ide_asset(name: str, request: Request) -> Response:
    """GraphiQL's scripts and styles, only where the IDE itself is served."""
    if not introspection_allowed(get_context(request).settings):
        raise IdeAssetNotFound("The GraphQL IDE is not enabled here.")
    return ide_asset(name)


class SubscriptionRouter(GraphQLRouter[SocketContext, None]):
    async def on_ws_connect(self, context: SocketContext) -> UnsetType | dict[str, object] | None:
        try:
            await authenticate(context)
        except AppError as exc:
            raise ConnectionRejectionError(
                {"code": exc.slug, "status": exc.status, "detail": exc.detail}
            ) from exc
        return None


def websocket_routes(settings: Settings) -> list[APIWebSocketRoute]:
    """The WebSocket half of Strawberry's router (its HTTP half is ours, above)."""

    async def socket_context(request: Any = None) -> SocketContext:
        raise NotImplementedError

    async def context_getter(websocket: WebSocket) -> SocketContext:
        return SocketContext(websocket.app.state.context)

    strawberry_router = SubscriptionRouter(
        get_schema(),
        path=GRAPHQL_PATH,
        graphql_ide=None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        context_getter=context_getter,
        allowed_origins=list(settings.cors_origins),
    )
    return [route for route in strawberry_router.routes if isinstance(route, APIWebSocketRoute)]
