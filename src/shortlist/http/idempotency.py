"""`Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header).

Same key and same request: the first response is replayed. Same key, other request: 422. The first
request still running: 409. The claim is committed on its own so that every instance sees it; the
stored response is written in the request's own transaction, so the effect and its record commit together.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import resolve_subject
from shortlist.context import AppContext, request_context
from shortlist.http import idempotency_repository as repository
from shortlist.http.route import on_before_commit, on_failure
from shortlist.kit.db import utcnow
from shortlist.kit.problems import AppError, BadRequest, Conflict, UnprocessableContent
from shortlist.models import IdempotencyKey

_CLAIM_LEASE = timedelta(seconds=60)
_REPLAYED_HEADERS = ("content-type", "location", "etag", "last-modified")


class IdempotentReplay(AppError):
    """Not an error: carries the stored response out of the dependency chain (see the handler)."""

    status = 200
    slug = "idempotent-replay"
    title = "Replayed"

    def __init__(self, row: IdempotencyKey) -> None:
        super().__init__("replay")
        self.row = row


def replay_response(exc: IdempotentReplay) -> Response:
    row = exc.row
    headers = {str(k): str(v) for k, v in (row.response_headers or {}).items()}
    headers["Idempotent-Replayed"] = "true"
    media_type = headers.pop("content-type", None)
    return Response(
        row.response_body or b"",
        status_code=row.response_status or 200,
        headers=headers,
        media_type=media_type,
    )


def _fingerprint(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


async def claim_key(context: AppContext, principal: str, key: str, fingerprint: str) -> uuid.UUID:
    now = utcnow()
    ttl = timedelta(hours=context.settings.idempotency_key_ttl_hours)
    for _ in range(3):
        async with context.database.writer() as session:
            row = await repository.by_key(session, principal, key)
            if row is not None and row.expires_at <= now:
                await session.delete(row)
                await session.flush()
                row = None
            if row is None:
                row = IdempotencyKey(
                    subject=principal,
                    key=key,
                    fingerprint=fingerprint,
                    locked_until=now + _CLAIM_LEASE,
                    expires_at=now + ttl,
                )
                session.add(row)
                try:
                    await session.commit()
                except IntegrityError:
                    continue  # another instance claimed it between our read and write: look again
                return row.id
            if row.fingerprint != fingerprint:
                raise UnprocessableContent(
                    "This Idempotency-Key was already used with a different request; use a new key."
                )
            if row.status == "completed":
                raise IdempotentReplay(row)
            if row.locked_until > now:
                raise Conflict(
                    "A request with this Idempotency-Key is still in progress; retry after it finishes.",
                    headers={"Retry-After": "1"},
                )
            # The first attempt's process died mid-request: take its claim over.
            row.locked_until = now + _CLAIM_LEASE
            await session.commit()
            return row.id
    raise Conflict("The Idempotency-Key is contended; retry.", headers={"Retry-After": "1"})


async def idempotency(
    request: Request,
    context: Annotated[AppContext, Depends(request_context)],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Makes a POST safe to retry: the same key and body replay the first response.",
            max_length=255,
        ),
    ] = None,
) -> None:
    if request.method != "POST" or idempotency_key is None:
        return
    if not idempotency_key.strip() or not idempotency_key.isprintable():
        raise BadRequest("Idempotency-Key must be 1 to 255 printable characters.")
    subject = await resolve_subject(request, context)
    client = request.client.host if request.client else "unknown"
    principal = subject.principal if subject else f"ip:{client}"
    body = await request.body()
    claim_id = await claim_key(context, principal, idempotency_key, _fingerprint(request, body))

    async def store(_request: Request, response: Response, session: AsyncSession) -> None:
        if response.status_code >= 500 or not hasattr(response, "body"):
            return
        headers = {k: v for k, v in response.headers.items() if k.lower() in _REPLAYED_HEADERS}
        await repository.store_response(
            session, claim_id, response.status_code, json.loads(json.dumps(headers)), bytes(response.body)
        )

    async def release(_request: Request) -> None:
        # The request failed: forget the claim so that a retry with the same key can run.
        async with context.database.writer() as session:
            await repository.forget_claim(session, claim_id)
            await session.commit()

    on_before_commit(request, store)
    on_failure(request, release)
