"""Persisted queries by SHA-256 hash (the `extensions.persistedQuery.sha256Hash` convention).

A checked-in allow-list (JSON: hash -> document, SHORTLIST_GRAPHQL_PERSISTED_QUERIES) is always honoured.
Unless SHORTLIST_GRAPHQL_PERSISTED_ONLY is set, a client may also register a document by sending it with
its hash once (kept in the shared cache), and send plain documents.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from shortlist.context import AppContext
from shortlist.kit.problems import BadRequest, NotFound
from shortlist.platform.cache import CacheError

CACHE_PREFIX = "graphql:pq:"
CACHE_TTL_SECONDS = 7 * 24 * 3600


class PersistedQueryNotFound(NotFound):
    slug = "persisted-query-not-found"
    title = "Persisted query not found"


class PersistedQueryRequired(BadRequest):
    slug = "persisted-query-required"
    title = "Persisted query required"


def document_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


@cache
def load_allow_list(path: Path) -> dict[str, str]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, dict):
        raise ValueError(f"{path} must hold a JSON object of hash -> document")
    checked: dict[str, str] = {}
    for digest, query in entries.items():
        if not isinstance(query, str) or document_hash(query) != digest:
            raise ValueError(f"{path}: the entry {digest} is not the SHA-256 of its document")
        checked[digest] = query
    return checked


async def resolve_document(context: AppContext, query: str | None, extensions: dict[str, Any]) -> str:
    """The document to run: the query itself, or the one its persisted hash names."""
    settings = context.settings
    allow_list = (
        load_allow_list(settings.graphql_persisted_queries) if settings.graphql_persisted_queries else {}
    )
    persisted = extensions.get("persistedQuery")
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if digest is not None and not isinstance(digest, str):
        raise BadRequest("extensions.persistedQuery.sha256Hash must be a string.")
    if digest is None:
        if query is None:
            raise BadRequest("Send `query`, or a persisted query's hash in extensions.persistedQuery.")
        if settings.graphql_persisted_only and document_hash(query) not in allow_list:
            raise PersistedQueryRequired("This service runs only persisted queries; send a known hash.")
        return query
    digest = digest.lower()
    if digest in allow_list:
        return allow_list[digest]
    if settings.graphql_persisted_only:
        raise PersistedQueryNotFound("No persisted query has this hash.")
    if query is not None:
        if document_hash(query) != digest:
            raise BadRequest("The persisted query's hash is not the SHA-256 of the query sent with it.")
        with contextlib.suppress(CacheError):  # registration is an optimisation: the query runs anyway
            await context.cache.set(CACHE_PREFIX + digest, query.encode(), CACHE_TTL_SECONDS)
        return query
    try:
        stored = await context.cache.get(CACHE_PREFIX + digest)
    except CacheError:
        stored = None
    if stored is None:
        raise PersistedQueryNotFound("No persisted query has this hash; send it once with the query.")
    return stored.decode()
