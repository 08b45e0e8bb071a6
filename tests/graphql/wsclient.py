"""A minimal graphql-transport-ws client for tests (connection_init, subscribe, next/complete)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

PROTOCOL = "graphql-transport-ws"


@asynccontextmanager
async def graphql_socket(url: str, payload: dict[str, Any] | None) -> AsyncIterator[ClientConnection]:
    """An acknowledged socket; raises AssertionError when the server does not ack."""
    async with connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        yield socket


async def subscribe(
    socket: ClientConnection, operation_id: str, query: str, variables: dict[str, Any] | None = None
) -> None:
    await socket.send(
        json.dumps(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
    )


async def next_message(socket: ClientConnection, within: float = 15.0) -> dict[str, Any]:
    """The next message that is not a ping/pong."""
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
        if message["type"] in ("ping", "pong"):
            continue
        return message
