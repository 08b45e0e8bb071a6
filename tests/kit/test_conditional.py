"""ETag comparison: weak for If-None-Match, strong for If-Match (RFC 9110 §13.1)."""

from __future__ import annotations

import pytest
from fastapi import Request

from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.problems import PreconditionFailed


def request_with(**headers: str) -> Request:
    raw = [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw, "query_string": b""})


@pytest.mark.parametrize(
    ("header", "expected"),
    [('"r3"', True), ('W/"r3"', True), ('"r2", "r3"', True), ("*", True), ('"r2"', False), ("", False)],
)
def test_if_none_match_is_weak(header: str, expected: bool) -> None:
    assert not_modified(request_with(if_none_match=header), '"r3"') is expected


def test_no_if_none_match_is_never_not_modified() -> None:
    assert not not_modified(request_with(), '"r3"')


@pytest.mark.parametrize("header", ['"r3"', '"r1", "r3"', "*"])
def test_if_match_passes_on_the_current_tag(header: str) -> None:
    check_if_match(request_with(if_match=header), '"r3"')
    check_if_match(request_with(), '"r3"')  # no precondition asked


@pytest.mark.parametrize("header", ['"r2"', 'W/"r3"', "r3"])
def test_if_match_fails_on_stale_or_weak_tags(header: str) -> None:
    with pytest.raises(PreconditionFailed) as caught:
        check_if_match(request_with(if_match=header), '"r3"')
    assert caught.value.headers == {"ETag": '"r3"'}
