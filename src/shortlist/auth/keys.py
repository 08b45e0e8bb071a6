"""JWT signing keys: Ed25519, shared through the database, rotated without invalidating live tokens."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import repository
from shortlist.kit.crypto import generate_token, seal, unseal
from shortlist.kit.db import utcnow
from shortlist.models import SigningKey

ALGORITHM = "EdDSA"
# The published key set in the shared cache; `shortlist rotate-signing-key` drops it.
JWKS_CACHE_KEY = "jwks:current"
JWKS_CACHE_TTL_SECONDS = 60
# After a kid we do not know, look at the database again at most this often (a rotation on another instance).
_RELOAD_INTERVAL_SECONDS = 5.0


class UnknownKeyId(Exception):
    pass


class KeyRingError(RuntimeError):
    pass


@dataclass(frozen=True)
class _LoadedKey:
    kid: str
    public: Ed25519PublicKey
    jwk: dict[str, Any]
    verify_until: datetime | None


def _public_jwk(kid: str, public: Ed25519PublicKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(public))
    jwk.update(kid=kid, alg=ALGORITHM, use="sig")
    return jwk


class KeyRing:
    def __init__(self, sealing_key: bytes) -> None:
        self._sealing_key = sealing_key
        self._signing: tuple[str, Ed25519PrivateKey] | None = None
        self._verifying: dict[str, _LoadedKey] = {}
        self._last_reload = 0.0

    async def load(self, session: AsyncSession) -> None:
        """Read every usable key; create the first one when there is none."""
        rows = list(await repository.signing_keys(session))
        now = utcnow()
        if not any(row.retired_at is None for row in rows):
            rows = [*rows, await self._create(session)]
            await session.commit()
        verifying: dict[str, _LoadedKey] = {}
        signing: tuple[str, Ed25519PrivateKey] | None = None
        for row in rows:
            if row.verify_until is not None and row.verify_until < now:
                continue
            try:
                pem = unseal(self._sealing_key, row.private_sealed, row.kid.encode())
            except InvalidTag as exc:
                raise KeyRingError(
                    f"Signing key {row.kid} cannot be unsealed: SHORTLIST_SECRET_KEY differs from the one it "
                    "was sealed with. Restore the secret, or delete the signing_keys rows to start afresh "
                    "(every issued token then becomes invalid)."
                ) from exc
            private = serialization.load_pem_private_key(pem, password=None)
            assert isinstance(private, Ed25519PrivateKey)
            verifying[row.kid] = _LoadedKey(row.kid, private.public_key(), row.public_jwk, row.verify_until)
            if row.retired_at is None:
                signing = (row.kid, private)  # rows are oldest first: the newest active key wins
        self._verifying = verifying
        self._signing = signing
        self._last_reload = time.monotonic()

    async def _create(self, session: AsyncSession) -> SigningKey:
        private = Ed25519PrivateKey.generate()
        kid = generate_token("kid", 12)
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        row = SigningKey(
            kid=kid,
            algorithm=ALGORITHM,
            private_sealed=seal(self._sealing_key, pem, kid.encode()),
            public_jwk=_public_jwk(kid, private.public_key()),
        )
        session.add(row)
        await session.flush()
        return row

    async def rotate(self, session: AsyncSession, *, overlap: timedelta) -> str:
        """A new key signs from now on; the old ones verify for `overlap` (the access-token lifetime)."""
        now = utcnow()
        await repository.retire_signing_keys(session, now, now + overlap)
        row = await self._create(session)
        await session.commit()
        await self.load(session)
        return row.kid

    def sign(self, claims: dict[str, Any]) -> str:
        if self._signing is None:
            raise RuntimeError("the key ring has not been loaded")
        kid, private = self._signing
        return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": kid})

    def public_key(self, kid: str) -> Ed25519PublicKey:
        loaded = self._verifying.get(kid)
        if loaded is None or (loaded.verify_until is not None and loaded.verify_until < utcnow()):
            raise UnknownKeyId(kid)
        return loaded.public

    def may_reload(self) -> bool:
        return time.monotonic() - self._last_reload > _RELOAD_INTERVAL_SECONDS

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk for key in self._verifying.values()]}
