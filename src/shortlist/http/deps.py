"""The dependencies every handler takes, declared once: the request's session and the AppContext.

`Context` is resolved by an ``async def`` dependency (`request_context`): FastAPI runs a plain ``def``
dependency in a thread pool, which costs about a third of a cached read's CPU time.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.context import AppContext, request_context
from shortlist.http.route import get_session
from shortlist.kit.pagination import PageRequest, clamp_limit

Session = Annotated[AsyncSession, Depends(get_session)]
Context = Annotated[AppContext, Depends(request_context)]

Limit = Annotated[int | None, Query(ge=1, le=1000, description="Page size (clamped to 100).")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` of the previous page.")]


async def page_request(
    request: Request, response: Response, context: Context, limit: Limit = None, cursor: Cursor = None
) -> PageRequest:
    return PageRequest(clamp_limit(limit), cursor, context.cursors, request.url, response.headers)


# The `limit` and `cursor` query parameters of every list endpoint, and the builder of its response.
Paging = Annotated[PageRequest, Depends(page_request)]


async def release_read(session: AsyncSession) -> None:
    """End the request's read transaction before slow work (a render, a parse, an outbound call).

    Everything the slow part needs must be copied out of the ORM rows first. The pooled connection goes back
    at once instead of being held while the work waits for a worker; SQLite's read snapshot ends too. The
    session stays usable: the next statement opens a new transaction, which the route commits as usual.
    """
    await session.commit()
