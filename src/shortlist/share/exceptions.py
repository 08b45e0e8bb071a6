from __future__ import annotations

from shortlist.kit.problems import NotFound, UnprocessableContent


class ShareNotFound(NotFound):
    """One answer for unknown, revoked and expired links: the answer must not tell them apart."""

    slug = "share-not-found"
    title = "Share link not found"

    def __init__(self) -> None:
        super().__init__("This link does not exist, has expired or was revoked.")


class ShareLimitReached(UnprocessableContent):
    slug = "share-limit"
    title = "Share link limit reached"


class ShareExpiryInPast(UnprocessableContent):
    slug = "share-expiry-in-past"
    title = "Expiry in the past"
