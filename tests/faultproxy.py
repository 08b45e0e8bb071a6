"""A TCP proxy for fault injection: put it between the service and PostgreSQL, Redis or RabbitMQ, then add
latency, cut every open connection, or refuse new ones, while traffic flows. It runs its own event loop in a
thread, so a test or a bench drives it with plain calls whatever its own loop is doing.

It can also terminate TLS (``server_tls``): a TLS listener in front of a plain service, for clients that must
verify a certificate.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field


@dataclass
class ProxyStats:
    accepted: int = 0
    refused: int = 0
    cut: int = 0
    bytes_up: int = 0
    bytes_down: int = 0


@dataclass
class FaultProxy:
    """Listens on 127.0.0.1:<port> and forwards to ``target``."""

    target_host: str
    target_port: int
    server_tls: ssl.SSLContext | None = None
    latency: float = 0.0  # seconds added before each chunk is forwarded, both ways
    stats: ProxyStats = field(default_factory=ProxyStats)
    port: int = 0
    _down: bool = False
    _loop: asyncio.AbstractEventLoop | None = None
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    _thread: threading.Thread | None = None

    # -- driven from any thread --

    def start(self) -> FaultProxy:
        started = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.server_tls)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="fault-proxy", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the fault proxy did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        self._call(self._close_all)

        async def wind_down() -> None:
            if self._server is not None:
                self._server.close()
            current = asyncio.current_task()
            pending = [task for task in asyncio.all_tasks() if task is not current]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(wind_down(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def cut(self) -> int:
        """Close every open connection at once (both halves), as a crashed peer or a dropped link would."""
        return self._call(self._close_all)

    def down(self) -> int:
        """Cut every connection and refuse new ones until `up()`."""
        self._down = True
        return self.cut()

    def up(self) -> None:
        self._down = False

    @contextmanager
    def outage(self) -> Iterator[None]:
        self.down()
        try:
            yield
        finally:
            self.up()

    @property
    def url_host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    # -- on the proxy's loop --

    def _call(self, function: object) -> int:
        assert self._loop is not None and callable(function)

        async def run() -> int:
            result: int = function()
            return result

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    def _close_all(self) -> int:
        count = len(self._writers)
        for writer in list(self._writers):
            transport = writer.transport
            # abort(): no FIN handshake, no flushing; the other side sees a reset, as after a crash.
            transport.abort()
        self._writers.clear()
        self.stats.cut += count
        return count

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self._down:
            self.stats.refused += 1
            client_writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            self.stats.refused += 1
            client_writer.transport.abort()
            return
        if self._down:
            # down() ran while this connection waited for its upstream: it was not among the writers cut then.
            self.stats.refused += 1
            for writer in (client_writer, upstream_writer):
                writer.transport.abort()
            return
        self.stats.accepted += 1
        self._writers.update((client_writer, upstream_writer))
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer, up=True),
            self._pipe(upstream_reader, client_writer, up=False),
        )
        for writer in (client_writer, upstream_writer):
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, up: bool) -> None:
        with suppress(OSError, asyncio.IncompleteReadError, ssl.SSLError, RuntimeError):
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    break
                if self.latency:
                    await asyncio.sleep(self.latency)
                if up:
                    self.stats.bytes_up += len(chunk)
                else:
                    self.stats.bytes_down += len(chunk)
                writer.write(chunk)
                await writer.drain()
        with suppress(OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()
            else:
                writer.close()
