"""Keyset pagination with opaque, signed cursors and RFC 8288 `Link` headers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar, cast
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from starlette.datastructures import URL, MutableHeaders

from shortlist.kit.crypto import sign_blob, verify_blob
from shortlist.kit.problems import BadRequest

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")
ModelT = TypeVar("ModelT", bound=BaseModel)


class _Created(Protocol):
    @property
    def created_at(self) -> datetime: ...
    @property
    def id(self) -> uuid.UUID: ...


class _Updated(Protocol):
    @property
    def updated_at(self) -> datetime: ...
    @property
    def id(self) -> uuid.UUID: ...


DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(
        default=None, description="Opaque cursor for the next page; absent on the last page."
    )


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))


class CursorCodec:
    """A cursor names the last row seen (sort value and id) and the query it belongs to.

    The scope binds a cursor to its endpoint and filters, so one cannot be replayed against another query.
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def encode(self, scope: str, sort_value: datetime, row_id: str) -> str:
        payload = json.dumps([scope, sort_value.isoformat(), row_id], separators=(",", ":")).encode()
        return sign_blob(self._key, payload)

    def position(self, scope: str, cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
        """Where a page starts: None for the first page, else the (sort value, id) of the row before it."""
        if not cursor:
            return None
        sort_value, row_id = self.decode(scope, cursor)
        try:
            return sort_value, uuid.UUID(row_id)
        except ValueError as exc:
            raise BadRequest(
                "The cursor does not belong to this list; start again without a cursor."
            ) from exc

    def decode(self, scope: str, cursor: str) -> tuple[datetime, str]:
        payload = verify_blob(self._key, cursor)
        if payload is None:
            raise BadRequest("The cursor is malformed or was altered; start again without a cursor.")
        try:
            cursor_scope, sort_text, row_id = json.loads(payload)
            sort_value = datetime.fromisoformat(sort_text)
        except (ValueError, TypeError) as exc:
            raise BadRequest("The cursor is malformed; start again without a cursor.") from exc
        if cursor_scope != scope:
            raise BadRequest("The cursor belongs to a different query; start again without a cursor.")
        return sort_value, str(row_id)


def link_header(url: URL, next_cursor: str | None) -> str | None:
    if next_cursor is None:
        return None
    params = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if k != "cursor"]
    params.append(("cursor", next_cursor))
    return f'<{url.replace(query=urlencode(params))}>; rel="next"'


def set_next_link(request_url: URL, headers: MutableHeaders, next_cursor: str | None) -> None:
    """Announce the next page in a `Link` header (RFC 8288) when there is one."""
    link = link_header(request_url, next_cursor)
    if link:
        headers["Link"] = link


def page_of(rows: Sequence[ItemT], limit: int) -> tuple[list[ItemT], bool]:
    """Rows were fetched with limit + 1; the extra row only says that another page exists."""
    return list(rows[:limit]), len(rows) > limit


def newest_first(
    statement: Select[tuple[RowT]],
    sort: InstrumentedAttribute[datetime],
    row_id: InstrumentedAttribute[uuid.UUID],
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Select[tuple[RowT]]:
    """Order by (`sort`, `row_id`) descending, start after the cursor's position, and fetch one row more
    than `limit` (so `page_of` can tell whether another page follows)."""
    if after is not None:
        moment, last_id = after
        statement = statement.where(or_(sort < moment, and_(sort == moment, row_id < last_id)))
    return statement.order_by(sort.desc(), row_id.desc()).limit(limit + 1)


@dataclass(frozen=True)
class PageRequest:
    """One list request: the page size, the cursor it sent, and where the next page is announced.

    Every list endpoint takes it (as the ``Paging`` dependency) and ends with ``page(...)``: the scope binds
    the cursor to the query, ``key`` names the row's position (sort value, id) for the next cursor.
    """

    limit: int
    cursor: str | None
    cursors: CursorCodec
    url: URL
    headers: MutableHeaders

    def position(self, scope: str) -> tuple[datetime, uuid.UUID] | None:
        """Where the page starts: None for the first page, else the (sort value, id) of the row before it."""
        return self.cursors.position(scope, self.cursor)

    def raw_position(self, scope: str) -> tuple[datetime, str] | None:
        """The cursor's (sort value, id text), for lists whose id is not a UUID (a version number, a rank)."""
        return self.cursors.decode(scope, self.cursor) if self.cursor else None

    def page(
        self,
        scope: str,
        rows: Sequence[RowT],
        model: type[ModelT],
        *,
        key: Callable[[RowT], tuple[datetime, str]],
        item: Callable[[RowT], object] | None = None,
    ) -> Page[ModelT]:
        """The response for rows fetched with ``limit + 1``: items, ``next_cursor`` and the ``Link`` header.

        Each row becomes ``model.model_validate(item(row))`` (``item`` defaults to the row itself).
        """
        items, more = page_of(rows, self.limit)
        next_cursor = self.cursors.encode(scope, *key(items[-1])) if more else None
        set_next_link(self.url, self.headers, next_cursor)
        page_type = cast("type[Page[ModelT]]", Page[model])  # type: ignore[valid-type]
        convert = item or (lambda row: row)
        return page_type(items=[model.model_validate(convert(row)) for row in items], next_cursor=next_cursor)


def by_created(row: _Created) -> tuple[datetime, str]:
    """The position of a row in a list ordered by (created_at, id)."""
    return row.created_at, str(row.id)


def by_updated(row: _Updated) -> tuple[datetime, str]:
    """The position of a row in a list ordered by (updated_at, id)."""
    return row.updated_at, str(row.id)
