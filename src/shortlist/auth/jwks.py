"""The public half of the signing keys, for anyone verifying our access tokens (RFC 7517)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Response

from shortlist.auth.keys import JWKS_CACHE_KEY, JWKS_CACHE_TTL_SECONDS
from shortlist.http.deps import Context
from shortlist.platform.cache import CacheError
from shortlist.platform.stale import CACHE_FALLBACKS

router = APIRouter()


@router.get("/.well-known/jwks.json", include_in_schema=True, tags=["auth"], operation_id="jwks")
async def jwks(context: Context) -> Response:
    """Public keys that verify access tokens (RFC 7517)."""
    keyring = context.tokens.keyring

    async def load() -> bytes:
        # Refreshed from the database, so every replica publishes a rotation made anywhere.
        async with context.database.reader() as session:
            await keyring.load(session)
        return orjson.dumps(keyring.jwks())

    local: list[dict[str, Any]] = keyring.jwks()["keys"]
    try:
        shared: list[dict[str, Any]] = orjson.loads(
            await context.cache.get_or_set(JWKS_CACHE_KEY, load, JWKS_CACHE_TTL_SECONDS)
        )["keys"]
    except CacheError:
        CACHE_FALLBACKS.labels("jwks").inc()
        shared = []  # the keys this process holds are still right to publish
    # The union: a key this process created or loaded since the entry was cached is published at once.
    known = {key["kid"] for key in shared}
    body = {"keys": [*shared, *(key for key in local if key["kid"] not in known)]}
    return Response(
        orjson.dumps(body), media_type="application/json", headers={"Cache-Control": "public, max-age=300"}
    )
