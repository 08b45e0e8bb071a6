"""Argon2id password hashing, off the event loop, with a timing-safe path for unknown accounts."""

from __future__ import annotations

import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class PasswordHasher:
    def __init__(self, *, time_cost: int, memory_cost_kib: int) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost_kib),))
        # Verified against when the account does not exist, so both answers cost the same time.
        self._decoy = self._hash.hash("decoy password that matches nothing")

    async def hash(self, password: str) -> str:
        # Argon2 releases the GIL; a worker thread keeps the event loop free for other requests.
        return await anyio.to_thread.run_sync(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        stored = password_hash or self._decoy
        valid: bool = await anyio.to_thread.run_sync(self._hash.verify, password, stored)
        return valid and password_hash is not None
