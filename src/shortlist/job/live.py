"""WebSocket `/v1/ws`: live job updates and domain events for the signed-in user.

Authenticate with an access token, as `?access_token=` or as the first message
`{"type": "auth", "token": "..."}`, or with an API key, as the `X-API-Key` header of the upgrade request or
the first message `{"type": "auth", "api_key": "..."}` (never in the URL, where logs keep it). Then
subscribe to topics:
`jobs` (all your jobs), `events` (all your domain events), `job:<id>`, `resource:<id>`.
The server sends `{"type": "job", "job": {...}}` and `{"type": "event", "event": {...}}`.
Only the user's own channel is ever read, so other users' updates cannot reach the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from shortlist.auth.access import ROUTE_ACCESS
from shortlist.auth.dependencies import authorize
from shortlist.auth.subject import Subject, _from_access_token, _from_api_key
from shortlist.auth.tokens import InvalidAccessToken
from shortlist.context import AppContext
from shortlist.job import repository
from shortlist.kit.problems import PROBLEM_BASE, AppError
from shortlist.platform.pubsub import user_channel

router = APIRouter()

AUTH_TIMEOUT_SECONDS = 10.0
MAX_TOPICS = 100
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


def _error(slug: str, detail: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": PROBLEM_BASE + slug, "detail": detail}}


async def _credentials(websocket: WebSocket) -> tuple[str | None, str | None]:
    """(access token, API key) from the URL, the upgrade request's headers, or the first message."""
    token = websocket.query_params.get("access_token")
    api_key = websocket.headers.get("x-api-key")
    if token or api_key:
        return token, api_key
    try:
        first = await asyncio.wait_for(websocket.receive_json(), AUTH_TIMEOUT_SECONDS)
    except (TimeoutError, ValueError, KeyError):
        return None, None
    if isinstance(first, dict) and first.get("type") == "auth":
        token, api_key = first.get("token"), first.get("api_key")
        return (token if isinstance(token, str) else None), (api_key if isinstance(api_key, str) else None)
    return None, None


@dataclass(frozen=True)
class _Session:
    subject: Subject
    expires: float
    api_key: str | None  # kept to look the key up again when `expires` comes


async def _authenticate(websocket: WebSocket, context: AppContext) -> _Session | None:
    """The subject and when its credential must be checked again: an access token's expiry (the socket
    closes then: reconnect with a fresh token), or for an API key one token lifetime from now (the key is
    looked up again then, so a revoked key loses its socket within that time)."""
    token, api_key = await _credentials(websocket)
    if not token and not api_key:
        await websocket.send_json(_error("unauthorized", "Send an access token or an API key first."))
        await websocket.close(CLOSE_UNAUTHORIZED)
        return None
    ttl = context.settings.access_token_ttl_seconds
    try:
        if token:
            subject = await _from_access_token(context, token)
            expires = context.tokens.decode(token).issued_at + ttl
        else:
            subject = await _from_api_key(context, api_key or "")
            expires = time.time() + ttl
    except (AppError, InvalidAccessToken) as exc:
        await websocket.send_json(_error("unauthorized", getattr(exc, "detail", str(exc))))
        await websocket.close(CLOSE_UNAUTHORIZED)
        return None
    try:
        authorize(subject, ROUTE_ACCESS["live"])
    except AppError as exc:
        await websocket.send_json(_error(exc.slug, exc.detail))
        await websocket.close(CLOSE_FORBIDDEN)
        return None
    return _Session(subject, expires, None if token else api_key)


async def _key_still_valid(context: AppContext, key: str) -> bool:
    """Look the socket's API key up again (it may have been revoked or have expired since)."""
    try:
        authorize(await _from_api_key(context, key), ROUTE_ACCESS["live"])
    except AppError:
        return False
    return True


def wanted(message: dict[str, Any], topics: set[str]) -> bool:
    if message.get("type") == "job":
        job = message.get("job") or {}
        return bool(
            "jobs" in topics
            or f"job:{job.get('id')}" in topics
            or (job.get("resource_id") and f"resource:{job['resource_id']}" in topics)
        )
    if message.get("type") == "event":
        event = message.get("event") or {}
        resource = event.get("resource_id")
        return bool(
            "events" in topics
            or (resource and f"resource:{resource}" in topics)
            or (resource and event.get("resource_type") == "job" and f"job:{resource}" in topics)
        )
    return False


async def _check_topic(context: AppContext, subject: Subject, topic: str) -> str | None:
    """None if the topic is fine, else why not."""
    if topic in ("jobs", "events"):
        return None
    prefix, _, raw = topic.partition(":")
    try:
        target = uuid.UUID(raw)
    except ValueError:
        return "Topics are jobs, events, job:<id> or resource:<id>."
    if prefix == "job":
        async with context.database.reader() as session:
            if await repository.get_owned(session, subject.user_id, target) is None:
                return "No such job (or it belongs to someone else)."
        return None
    if prefix == "resource":
        return None  # only the user's own channel is read, so a foreign id simply never matches
    return "Topics are jobs, events, job:<id> or resource:<id>."


@router.websocket("/ws", name="live")
async def live(websocket: WebSocket) -> None:
    context: AppContext = websocket.app.state.context
    await websocket.accept()
    authenticated = await _authenticate(websocket, context)
    if authenticated is None:
        return
    subject, expires, api_key = authenticated.subject, authenticated.expires, authenticated.api_key
    topics: set[str] = set()
    async with context.pubsub.subscribe(user_channel(subject.user_id)) as subscription:
        await websocket.send_json({"type": "ready", "user_id": str(subject.user_id)})

        async def pump() -> None:
            nonlocal expires
            while True:
                left = expires - time.time()
                if left <= 0 and api_key and await _key_still_valid(context, api_key):
                    expires = time.time() + context.settings.access_token_ttl_seconds
                    continue
                if left <= 0:
                    await websocket.send_json(_error("unauthorized", "The credential expired; reconnect."))
                    await websocket.close(CLOSE_UNAUTHORIZED)
                    return
                message = await subscription.get(min(30.0, left))
                if message is None:
                    await websocket.send_json({"type": "ping"})
                elif wanted(message, topics):
                    await websocket.send_json(message)

        sender = asyncio.create_task(pump())
        try:
            while True:
                try:
                    command = await websocket.receive_json()
                except (ValueError, KeyError):
                    await websocket.send_json(_error("bad-request", "Messages are JSON objects."))
                    continue
                await _handle(websocket, context, subject, topics, command)
        except WebSocketDisconnect:
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender


async def _handle(
    websocket: WebSocket, context: AppContext, subject: Subject, topics: set[str], command: Any
) -> None:
    if not isinstance(command, dict) or command.get("type") not in ("subscribe", "unsubscribe", "ping"):
        await websocket.send_json(_error("bad-request", "Send subscribe, unsubscribe or ping."))
        return
    if command["type"] == "ping":
        await websocket.send_json({"type": "pong"})
        return
    topic = command.get("topic")
    if not isinstance(topic, str) or len(topic) > 100:
        await websocket.send_json(_error("bad-request", "A topic is a string."))
        return
    if command["type"] == "unsubscribe":
        topics.discard(topic)
        await websocket.send_json({"type": "unsubscribed", "topic": topic})
        return
    problem = await _check_topic(context, subject, topic)
    if problem is not None:
        await websocket.send_json(_error("not-found" if "No such" in problem else "bad-request", problem))
        return
    if len(topics) >= MAX_TOPICS:
        await websocket.send_json(_error("bad-request", f"At most {MAX_TOPICS} topics per connection."))
        return
    topics.add(topic)
    await websocket.send_json({"type": "subscribed", "topic": topic})
