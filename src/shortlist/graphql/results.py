"""Typed results for the failures a client must branch on (validation, conflict, not found), per-mutation
savepoints, and idempotency keys shared with REST's store."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from shortlist.graphql.context import GraphInfo
from shortlist.http.idempotency import IdempotentReplay, claim_key
from shortlist.http.route import on_after_commit, on_failure
from shortlist.kit.problems import (
    AppError,
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    UnprocessableContent,
    UnsupportedMediaType,
    ValidationFailed,
)
from shortlist.models import IdempotencyKey

ResultT = TypeVar("ResultT")
ModelT = TypeVar("ModelT", bound=BaseModel)


@strawberry.interface(description="A failure the client is expected to handle, as REST's problem document.")
class Problem:
    code: str = strawberry.field(description="The problem type's slug, as at the end of REST's `type` URI.")
    # Not `status`: objects in the same unions (Job, WebhookDelivery) have a `status` of their own.
    http_status: int = strawberry.field(description="The HTTP status REST answers for the same failure.")
    detail: str


@strawberry.type
class FieldError:
    location: list[str]
    message: str
    type: str


@strawberry.type(description="The input broke a rule (422, 413 or 415 in REST).")
class ValidationProblem(Problem):
    errors: list[FieldError]


@strawberry.type(description="The object changed since it was read, or the request clashes with its state.")
class ConflictProblem(Problem):
    current_version: int | None = strawberry.field(description="Read again, or retry with this version.")


@strawberry.type(description="No such object, or it belongs to someone else.")
class NotFoundProblem(Problem):
    pass


AnyProblem = ValidationProblem | ConflictProblem | NotFoundProblem


def problem_of(exc: AppError) -> AnyProblem | None:
    """The typed result for an expected failure; None for the rest (auth, limits), which stay errors."""
    code, status, detail = exc.slug, exc.status, exc.detail
    if isinstance(exc, NotFound):
        return NotFoundProblem(code=code, http_status=status, detail=detail)
    if isinstance(exc, Conflict | PreconditionFailed):
        current = exc.extensions.get("current_version")
        return ConflictProblem(
            code=code,
            http_status=status,
            detail=detail,
            current_version=current if isinstance(current, int) else None,
        )
    if isinstance(exc, UnprocessableContent | PayloadTooLarge | UnsupportedMediaType | BadRequest):
        raw = exc.extensions.get("errors") or []
        errors = [
            FieldError(
                location=[str(part) for part in item.get("location", [])],
                message=str(item.get("message", "")),
                type=str(item.get("type", "")),
            )
            for item in raw
            if isinstance(item, dict)
        ]
        return ValidationProblem(code=code, http_status=status, detail=detail, errors=errors)
    return None


def validated(model: type[ModelT], data: dict[str, Any], location: str = "input") -> ModelT:
    """Validate with the REST request model, so both faces enforce the same field rules."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc, location) from exc


async def run_mutation(
    info: GraphInfo, work: Callable[[AsyncSession], Awaitable[ResultT]]
) -> ResultT | AnyProblem:
    """One mutation in a savepoint of the request's transaction: a failed mutation leaves nothing behind,
    the others in the same document keep their effects, and the request commits them all before answering
    (as REST's TransactionalRoute does). Expected failures become typed results."""
    async with info.context.gate.use() as session:
        try:
            async with session.begin_nested():
                return await work(session)
        except StaleDataError:
            # Two writers read the same version and both saved: the second lost, as REST's 409.
            stale = Conflict(
                "Another change to this resource was saved at the same time; fetch it again and retry."
            )
            return ConflictProblem(
                code=stale.slug, http_status=stale.status, detail=stale.detail, current_version=None
            )
        except AppError as exc:
            problem = problem_of(exc)
            if problem is None:
                raise
            return problem


async def idempotent(
    info: GraphInfo,
    key: str | None,
    operation: str,
    arguments: dict[str, Any],
    first_time: Callable[[AsyncSession], Awaitable[uuid.UUID]],
    replay: Callable[[AsyncSession, uuid.UUID], Awaitable[ResultT]],
) -> ResultT | AnyProblem:
    """An `idempotencyKey` works as REST's Idempotency-Key: the same key and arguments give the first
    result again (the object it created, read afresh); other arguments are a validation problem; a run
    still in flight is a conflict. Keys share REST's store, scoped apart by the operation name."""
    if key is None:
        return await run_mutation(info, lambda session: _created(session, first_time, replay))
    if not key.strip() or not key.isprintable() or len(key) > 255:
        return ValidationProblem(
            code="bad-request",
            http_status=400,
            detail="idempotencyKey must be 1 to 255 printable characters.",
            errors=[],
        )
    context = info.context
    subject = context.subject
    principal = subject.principal if subject else "anonymous"
    fingerprint = hashlib.sha256(
        json.dumps([operation, arguments], sort_keys=True, default=str).encode()
    ).hexdigest()
    try:
        claim_id = await claim_key(context.app, principal, f"graphql:{operation}:{key}", fingerprint)
    except IdempotentReplay as replayed:
        stored = json.loads(replayed.row.response_body or b"{}")
        async with context.gate.use() as session:
            return await replay(session, uuid.UUID(stored["id"]))
    except AppError as exc:
        problem = problem_of(exc)
        if problem is None:
            raise
        return problem

    async def work(session: AsyncSession) -> ResultT:
        object_id = await first_time(session)
        body = json.dumps({"id": str(object_id)}).encode()
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.id == claim_id)
            .values(status="completed", response_status=200, response_headers={}, response_body=body)
        )
        return await replay(session, object_id)

    async def release(*_args: Any) -> None:
        async with context.app.database.writer() as writer:
            await writer.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.id == claim_id, IdempotencyKey.status != "completed"
                )
            )
            await writer.commit()

    result = await run_mutation(info, work)
    if isinstance(result, ValidationProblem | ConflictProblem | NotFoundProblem):
        # Free the key for a retry, once the request's writer is done (SQLite has one writer at a time).
        on_after_commit(context.request, release)
    on_failure(context.request, release)  # the request's commit may still fail
    return result


async def _created(
    session: AsyncSession,
    first_time: Callable[[AsyncSession], Awaitable[uuid.UUID]],
    replay: Callable[[AsyncSession, uuid.UUID], Awaitable[ResultT]],
) -> ResultT:
    return await replay(session, await first_time(session))
