"""Signed cursors bound to their query, page slicing and the RFC 8288 Link header."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ConfigDict
from starlette.datastructures import URL, MutableHeaders

from shortlist.kit.crypto import derive_key, sign_blob
from shortlist.kit.pagination import (
    CursorCodec,
    PageRequest,
    by_created,
    clamp_limit,
    link_header,
    page_of,
    set_next_link,
)
from shortlist.kit.problems import BadRequest

KEY = derive_key(b"0123456789abcdef0123456789abcdef", "cursors")
MOMENT = datetime(2026, 11, 30, 12, 0, 5, 123456, tzinfo=UTC)


def test_a_cursor_returns_the_position_it_was_made_from() -> None:
    codec = CursorCodec(KEY)
    row = uuid.uuid4()
    assert codec.position("resumes:u1", codec.encode("resumes:u1", MOMENT, str(row))) == (MOMENT, row)
    assert codec.position("resumes:u1", None) is None and codec.position("resumes:u1", "") is None


def test_a_cursor_of_another_query_is_refused() -> None:
    codec = CursorCodec(KEY)
    cursor = codec.encode("resumes:u1:q=backend", MOMENT, str(uuid.uuid4()))
    with pytest.raises(BadRequest, match="different query"):
        codec.position("resumes:u2:q=backend", cursor)


def test_a_cursor_signed_with_another_key_is_refused() -> None:
    cursor = CursorCodec(derive_key(b"another secret", "cursors")).encode("s", MOMENT, str(uuid.uuid4()))
    with pytest.raises(BadRequest, match="altered"):
        CursorCodec(KEY).position("s", cursor)


@pytest.mark.parametrize(
    "payload",
    [b"not json", b'["s", "not a date", "x"]', b'["s"]', b"{}"],
)
def test_signed_but_malformed_cursors_are_bad_requests(payload: bytes) -> None:
    with pytest.raises(BadRequest, match="malformed"):
        CursorCodec(KEY).decode("s", sign_blob(KEY, payload))


def test_a_cursor_whose_id_is_not_a_uuid_is_a_bad_request() -> None:
    cursor = CursorCodec(KEY).encode("s", MOMENT, "not-a-uuid")
    with pytest.raises(BadRequest, match="does not belong"):
        CursorCodec(KEY).position("s", cursor)


@pytest.mark.parametrize(
    ("asked", "given"), [(None, 20), (0, 1), (-5, 1), (1, 1), (50, 50), (100, 100), (101, 100)]
)
def test_limits_are_clamped(asked: int | None, given: int) -> None:
    assert clamp_limit(asked) == given


def test_page_of_uses_the_extra_row_only_to_say_more_follow() -> None:
    assert page_of([1, 2, 3], 2) == ([1, 2], True)
    assert page_of([1, 2], 2) == ([1, 2], False)
    assert page_of([], 2) == ([], False)


def test_the_link_header_keeps_the_query_and_replaces_the_cursor() -> None:
    url = URL("http://api.test/v1/resumes?limit=5&q=back+end&cursor=old")
    link = link_header(url, "next.one")
    assert link == '<http://api.test/v1/resumes?limit=5&q=back+end&cursor=next.one>; rel="next"'
    assert link_header(url, None) is None
    headers = MutableHeaders()
    set_next_link(url, headers, None)
    assert "link" not in headers
    set_next_link(url, headers, "c")
    assert headers["link"].endswith('cursor=c>; rel="next"')


class _Row:
    def __init__(self, created_at: datetime, name: str) -> None:
        self.id = uuid.uuid4()
        self.created_at = created_at
        self.name = name


class _RowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    name: str


def _paging(cursor: str | None = None, limit: int = 2) -> PageRequest:
    url = URL("https://api.example/v1/things?limit=2&q=x")
    return PageRequest(limit, cursor, CursorCodec(KEY), url, MutableHeaders())


def test_a_page_request_builds_the_page_its_next_cursor_and_link() -> None:
    rows = [_Row(MOMENT, name) for name in ("a", "b", "c")]  # limit + 1 rows: another page follows
    paging = _paging()
    page = paging.page("things:u1", rows, _RowOut, key=by_created)
    assert [item.name for item in page.items] == ["a", "b"]
    assert page.next_cursor is not None
    # The cursor names the last row shown, for this query only.
    assert paging.cursors.position("things:u1", page.next_cursor) == (MOMENT, rows[1].id)
    assert paging.headers["Link"].endswith('; rel="next"') and "q=x" in paging.headers["Link"]
    following = _paging(page.next_cursor)
    assert following.position("things:u1") == (MOMENT, rows[1].id)
    with pytest.raises(BadRequest, match="different query"):
        following.position("things:u2")


def test_the_last_page_has_no_cursor_and_no_link() -> None:
    paging = _paging()
    page = paging.page(
        "things:u1", [_Row(MOMENT, "a")], _RowOut, key=by_created, item=lambda r: {"name": "x"}
    )
    assert [item.name for item in page.items] == ["x"]  # `item` shapes each row before validation
    assert page.next_cursor is None and "Link" not in paging.headers
    assert _paging().position("things:u1") is None and _paging().raw_position("things:u1") is None


def test_raw_position_keeps_an_id_that_is_not_a_uuid() -> None:
    codec = CursorCodec(KEY)
    paging = _paging(codec.encode("versions:r1", MOMENT, "17"))
    assert paging.raw_position("versions:r1") == (MOMENT, "17")
