"""Argon2id password hashing, off the event loop, with a timing-safe path for unknown accounts."""

from __future__ import annotations

from typing import Protocol

import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# The password hash of an account made through a sign-in provider: no password matches it. Real hashes are
# PHC strings ("$argon2id$…"), which never start with "!".
NO_PASSWORD = "!none"


def has_password(user: HasPasswordHash) -> bool:
    return not user.password_hash.startswith("!")


class HasPasswordHash(Protocol):
    password_hash: str


class PasswordHasher:
    def __init__(self, *, time_cost: int, memory_cost_kib: int) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost_kib),))
        # Verified against when the account does not exist, so both answers cost the same time.
        self._decoy = self._hash.hash("decoy password that matches nothing")

    async def hash(self, password: str) -> str:
        # Argon2 releases the GIL; a worker thread keeps the event loop free for other requests.
        return await anyio.to_thread.run_sync(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        usable = password_hash is not None and not password_hash.startswith("!")
        stored = password_hash if usable and password_hash else self._decoy
        valid: bool = await anyio.to_thread.run_sync(self._hash.verify, password, stored)
        return valid and usable

    async def verify_and_update(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        """Verify, and when the stored hash was made with other cost settings, return a new one to store."""
        usable = password_hash is not None and not password_hash.startswith("!")
        stored = password_hash if usable and password_hash else self._decoy
        valid, updated = await anyio.to_thread.run_sync(self._hash.verify_and_update, password, stored)
        if not (valid and usable):
            return False, None
        return True, updated
