"""Access tokens: short-lived JWTs with pinned algorithm, `kid`, and checked `iss`/`aud`/`exp`/`nbf`."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt

from shortlist.auth.keys import ALGORITHM, KeyRing
from shortlist.kit.ids import new_id


class InvalidAccessToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    scopes: frozenset[str]
    issued_at: float
    # Set for a client-credentials token; `user_id` then holds the client's id (the token's `sub`).
    client_id: uuid.UUID | None = None


# Tokens whose signature this process has verified, with their expiry: an EdDSA verify costs ~200 µs, and a
# client sends the same token for up to 15 minutes. Revocation is checked per request elsewhere, not here.
_VERIFIED_MAX = 4096


class AccessTokenCodec:
    def __init__(self, keyring: KeyRing, *, issuer: str, audience: str, ttl_seconds: int) -> None:
        self.keyring = keyring
        self._issuer = issuer
        self._audience = audience
        self.ttl_seconds = ttl_seconds
        self._verified: OrderedDict[str, tuple[AccessClaims, float, str]] = OrderedDict()

    def issue(
        self,
        user_id: uuid.UUID,
        role: str,
        scopes: frozenset[str],
        *,
        client_id: uuid.UUID | None = None,
        ttl_seconds: int | None = None,
    ) -> str:
        """A person's access token, or with `client_id` an OAuth client's (whose `sub` is the client,
        as RFC 9068 §2.2 asks for grants without a resource owner)."""
        # NumericDate may be fractional (RFC 7519 §2): a millisecond iat lets a revocation in the same
        # second as a fresh sign-in tell the two apart.
        now = round(time.time(), 3)
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "iat": now,
            "nbf": int(now),
            "exp": int(now) + (ttl_seconds or self.ttl_seconds),
            "jti": str(new_id()),
            "role": role,
            "scope": " ".join(sorted(scopes)),
        }
        if client_id is not None:
            claims["sub"] = claims["client_id"] = str(client_id)
        return self.keyring.sign(claims)

    def decode(self, token: str) -> AccessClaims:
        """Raises `UnknownKeyId` for a kid this process does not know (the caller may reload keys)."""
        seen = self._verified.get(token)
        if seen is not None:
            claims, expires, kid = seen
            if expires > time.time():
                self.keyring.public_key(kid)  # the key may have been retired past its overlap since
                return claims
            del self._verified[token]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise InvalidAccessToken("The access token is malformed.") from exc
        # Pin the algorithm before looking at anything else: `none` and HMAC confusion die here.
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise InvalidAccessToken("The access token is not signed with an accepted algorithm and key.")
        public = self.keyring.public_key(header["kid"])
        try:
            payload = jwt.decode(
                token,
                public,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "nbf", "sub", "iss", "aud"]},
            )
            claims = AccessClaims(
                user_id=uuid.UUID(payload["sub"]),
                role=str(payload.get("role", "")),
                scopes=frozenset(str(payload.get("scope", "")).split()),
                issued_at=float(payload["iat"]),
                client_id=uuid.UUID(payload["client_id"]) if "client_id" in payload else None,
            )
            self._remember(token, claims, float(payload["exp"]), header["kid"])
            return claims
        except jwt.ExpiredSignatureError as exc:
            raise InvalidAccessToken("The access token has expired.") from exc
        except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
            raise InvalidAccessToken("The access token is invalid.") from exc

    def _remember(self, token: str, claims: AccessClaims, expires: float, kid: str) -> None:
        self._verified[token] = (claims, expires, kid)
        if len(self._verified) > _VERIFIED_MAX:
            self._verified.popitem(last=False)
