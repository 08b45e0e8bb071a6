"""Per-caller rate limits (user, API key, or client address), with standard headers on every answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shortlist.auth.subject import Subject, resolve_subject
from shortlist.context import AppContext, request_context, request_state
from shortlist.http.route import add_response_headers
from shortlist.kit.problems import TooManyRequests


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def rate_limit(request: Request, context: Annotated[AppContext, Depends(request_context)]) -> None:
    await limit_request(request, context, await resolve_subject(request, context))


async def limit_request(request: Request, context: AppContext, subject: Subject | None) -> None:
    """Count the request against its caller's limit; the headers go on whatever the answer is.

    Once per request: a fast route (http/fast_path.py) that passes the request on has counted it already.
    """
    state = request_state(request)
    if state.get("rate_limit_counted"):
        return
    state["rate_limit_counted"] = True
    settings = context.settings
    if subject is None:
        policy, limit, identity = "anonymous", settings.rate_limit_anonymous, client_address(request)
    elif subject.api_key_id is not None:
        policy, limit, identity = "api_key", settings.rate_limit_api_key, str(subject.api_key_id)
    elif subject.client_id is not None:
        # An integration is metered like an API key, apart from its owner's own requests.
        policy, limit, identity = "api_key", settings.rate_limit_api_key, subject.principal
    else:
        policy, limit, identity = "user", settings.rate_limit_user, str(subject.user_id)
    result = await context.rate_limiter.hit(policy, limit, identity)
    add_response_headers(request, result.headers())
    if not result.allowed:
        raise TooManyRequests(
            f"Rate limit of {result.limit} requests per {result.window_seconds} s exceeded; "
            f"retry in {max(1, result.reset_after)} s.",
            headers=result.headers(),
        )
