"""Every error leaves as an RFC 9457 problem document, framework errors included."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shortlist.kit.problems import (
    PROBLEM_BASE,
    PROBLEM_MEDIA_TYPE,
    AppError,
    BadRequest,
    Conflict,
    InternalError,
    ServiceUnavailable,
    ValidationFailed,
    problem_document,
)
from shortlist.platform.cache import CacheError

log = structlog.get_logger(__name__)

_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("rate-limited", "Too many requests"),
}


def request_id_of(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def problem_response(
    request: Request,
    *,
    status: int,
    type_uri: str,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    request_id = request_id_of(request)
    body = problem_document(
        type_uri=type_uri,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        extensions=extensions,
    )
    merged = dict(request.scope.get("state", {}).get("response_headers", {}))
    merged.update(headers or {})
    merged["Cache-Control"] = "no-store"
    if request_id:
        merged["X-Request-ID"] = request_id
    return JSONResponse(body, status_code=status, headers=merged, media_type=PROBLEM_MEDIA_TYPE)


async def handle_app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        type_uri=exc.type_uri(),
        title=exc.title,
        detail=exc.detail,
        headers=exc.headers,
        extensions=exc.extensions,
    )


def _field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        cleaned.append({"location": location, "message": error.get("msg", ""), "type": error.get("type", "")})
    return cleaned


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors())
    first = errors[0] if errors else None
    if first and first["type"] == "json_invalid":
        return await handle_app_error(
            request, BadRequest("The request body is not valid JSON.", extensions={"errors": errors})
        )
    if first:
        where = ".".join(first["location"]) or "request"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        detail = f"{where}: {first['message']}{more}"
    else:
        detail = "The request is not valid."
    return await handle_app_error(request, ValidationFailed(detail, errors))


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem_response(
        request,
        status=exc.status_code,
        type_uri=PROBLEM_BASE + slug,
        title=title,
        detail=detail,
        headers=exc.headers,
    )


async def handle_stale_data(request: Request, exc: Exception) -> JSONResponse:
    # Two writers read the same version and both tried to save: the second one lost (no silent overwrite).
    return await handle_app_error(
        request,
        Conflict("Another change to this resource was saved at the same time; fetch it again and retry."),
    )


def _raised_in_database_driver(exc: BaseException) -> bool:
    traceback = exc.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("asyncpg", "sqlalchemy")):
            return True
        traceback = traceback.tb_next
    return False


def database_unreachable(exc: BaseException) -> bool:
    """The database connection failed (refused, reset, cut mid-statement, or no pooled connection in time):
    the dependency is down, the request is not at fault. Looks down the exception chain, since drivers raise
    socket errors that SQLAlchemy may or may not wrap."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, DBAPIError) and (
            current.connection_invalidated or isinstance(current, InterfaceError)
        ):
            return True
        if isinstance(current, ConnectionError | PoolTimeout):
            return True
        if isinstance(current, TimeoutError) and _raised_in_database_driver(current):
            return True  # a connect that hangs (packets dropped) rather than one refused
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def lost_a_race(exc: BaseException) -> bool:
    """A unique or foreign-key constraint refused the write: a concurrent request committed the same value (or
    removed the row referred to) between this one's checks and its insert. The checks cannot see a row another
    transaction has not committed yet, so the constraint is the last word, and it is a conflict, not a bug. Other
    integrity errors (a NOT NULL or CHECK violated) are bugs and stay server errors."""
    if not isinstance(exc, IntegrityError):
        return False
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if state is not None:
        return state in {"23505", "23503"}  # unique_violation, foreign_key_violation
    return str(exc.orig).startswith(("UNIQUE constraint failed", "FOREIGN KEY constraint failed"))


async def handle_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    if lost_a_race(exc):
        log.warning("database.constraint_conflict", error_type=type(exc.__cause__ or exc).__name__)
        return await handle_app_error(
            request,
            Conflict(
                "Another request saved a conflicting change at the same time (a value that must be unique, or a "
                "record this one refers to); fetch the current state and retry."
            ),
        )
    return await handle_unexpected(request, exc)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        # SQLite's writer lock was held past the busy timeout: a transient condition, not a bug.
        return await handle_app_error(
            request,
            ServiceUnavailable("The database is busy; retry shortly.", headers={"Retry-After": "1"}),
        )
    if database_unreachable(exc):
        # PostgreSQL is down or the link to it broke; the pool reconnects by itself once it is back.
        log.warning("database.unavailable", error_type=type(exc).__name__)
        return await handle_app_error(
            request,
            ServiceUnavailable(
                "A backing service (database) is unavailable; retry shortly.", headers={"Retry-After": "5"}
            ),
        )
    log.exception("request.unhandled_error", error_type=type(exc).__name__)
    return await handle_app_error(
        request, InternalError("An unexpected error occurred; it has been logged with this request id.")
    )


async def handle_cache_error(request: Request, exc: Exception) -> JSONResponse:
    # Only features that cannot work without the cache let this escape; they recover once Redis is back.
    log.warning("cache.unavailable", error_type=type(exc).__name__)
    return await handle_app_error(
        request,
        ServiceUnavailable(
            "A backing service (cache) is unavailable; retry shortly.", headers={"Retry-After": "5"}
        ),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(StaleDataError, handle_stale_data)
    app.add_exception_handler(IntegrityError, handle_integrity_error)
    app.add_exception_handler(CacheError, handle_cache_error)
    app.add_exception_handler(Exception, handle_unexpected)
