"""The request owns the transaction: commit before the response leaves, roll back on any error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.context import get_context, request_state
from shortlist.kit.problems import AppError, UnsupportedMediaType
from shortlist.platform.stale import drop_stale

log = structlog.get_logger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def add_response_headers(request: Request, headers: dict[str, str]) -> None:
    """Headers for whatever response this request ends with, success or problem document."""
    existing: dict[str, str] = request_state(request).setdefault("response_headers", {})
    existing.update(headers)


async def get_session(request: Request) -> AsyncSession:
    session: AsyncSession | None = request_state(request).get("db_session", None)
    if session is None:
        database = get_context(request).database
        maker = database.reader if request.method in SAFE_METHODS else database.writer
        session = maker()
        request.state.db_session = session
    return session


AfterSuccess = Callable[[Request, Response, AsyncSession], Awaitable[None]]
AfterFailure = Callable[[Request], Awaitable[None]]
AfterCommit = Callable[[], Awaitable[None]]


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        expects_json = self.body_field is not None and not _is_form(self)

        async def run(request: Request) -> Response:
            if expects_json and request.method not in SAFE_METHODS:
                _require_json(request)
            try:
                response = await handler(request)
            except BaseException as exc:
                await _finish_failed(request, exc)
                raise
            try:
                hooks: list[AfterSuccess] = request_state(request).get("before_commit", [])
                if hooks:
                    session = await get_session(request)
                    for hook in hooks:
                        await hook(request, response, session)
                session_or_none: AsyncSession | None = request_state(request).get("db_session", None)
                if session_or_none is not None:
                    cache = get_context(request).cache
                    await drop_stale(cache, session_or_none, strict=True)
                    await session_or_none.commit()
                    await drop_stale(cache, session_or_none, strict=False)
            except BaseException as exc:
                await _finish_failed(request, exc)
                raise
            finally:
                await _close(request)
            await _run_after_commit(request)
            for name, value in request_state(request).get("response_headers", {}).items():
                response.headers.setdefault(name, value)
            return response

        return run


def _is_form(route: APIRoute) -> bool:
    field = route.body_field
    return field is not None and type(field.field_info).__name__ in {"Form", "File"}


def _require_json(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"This endpoint takes application/json, not {media_type or 'a body without Content-Type'}."
        )


async def _finish_failed(request: Request, exc: BaseException) -> None:
    session: AsyncSession | None = request_state(request).get("db_session", None)
    try:
        if session is not None:
            if isinstance(exc, AppError) and exc.commit_transaction:
                await session.commit()
            else:
                await session.rollback()
    finally:
        await _close(request)
        failure_hooks: list[AfterFailure] = request_state(request).get("on_failure", [])
        for hook in failure_hooks:
            await hook(request)


async def _close(request: Request) -> None:
    session: AsyncSession | None = request_state(request).get("db_session", None)
    if session is not None:
        request.state.db_session = None
        await session.close()


def on_before_commit(request: Request, hook: AfterSuccess) -> None:
    hooks: list[Any] = request_state(request).get("before_commit", None) or []
    hooks.append(hook)
    request.state.before_commit = hooks


async def _run_after_commit(request: Request) -> None:
    hooks: list[AfterCommit] = request_state(request).get("after_commit", [])
    for hook in hooks:
        try:
            await hook()
        except Exception:
            # The transaction is committed: the response stands; whatever the hook did is retried elsewhere.
            log.warning("request.after_commit_failed", exc_info=True)


def on_after_commit(request: Request, hook: AfterCommit) -> None:
    """Run `hook` once the request's transaction has committed; dropped if it rolls back."""
    hooks: list[Any] = request_state(request).get("after_commit", None) or []
    hooks.append(hook)
    request.state.after_commit = hooks


def on_failure(request: Request, hook: AfterFailure) -> None:
    hooks: list[Any] = request_state(request).get("on_failure", None) or []
    hooks.append(hook)
    request.state.on_failure = hooks
