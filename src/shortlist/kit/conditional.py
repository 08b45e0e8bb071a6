"""Conditional requests (RFC 9110 §13): ETags on reads, If-None-Match → 304, If-Match → 412."""

from __future__ import annotations

from fastapi import Request

from shortlist.kit.problems import PreconditionFailed


def _tags(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, etag: str) -> bool:
    """If-None-Match uses the weak comparison."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tags = _tags(header)
    return "*" in tags or any(_opaque(tag) == _opaque(etag) for tag in tags)


def check_if_match(request: Request, etag: str) -> None:
    """If-Match uses the strong comparison; a weak tag never matches."""
    header = request.headers.get("if-match")
    if header is None:
        return
    tags = _tags(header)
    if "*" in tags or etag in tags:
        return
    raise PreconditionFailed(
        f"The resource changed since you read it (current ETag {etag}); fetch it again and retry.",
        headers={"ETag": etag},
    )


def check_expected_version(current: int, expected: int | None, etag: str) -> None:
    """GraphQL's `expectedVersion`: If-Match by version number, with the same 412 problem."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"The resource changed since you read it (current version {current}); fetch it again and retry.",
            headers={"ETag": etag},
            extensions={"current_version": current},
        )
