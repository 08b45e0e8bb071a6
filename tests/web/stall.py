"""A TCP proxy in front of the test server whose path can die silently.

`stall()` stops forwarding without closing anything: the browser's connections stay open, what it sends
vanishes and nothing comes back, as when a NAT entry or a mobile link disappears. New connections are
accepted and go nowhere. `heal()` lets new connections through again; the stalled ones are reset (what a
peer answers once the path is back and the other end has forgotten them)."""

from __future__ import annotations

import socket
import struct
import threading
from urllib.parse import urlsplit

CHUNK = 64 * 1024


class _Pair:
    """One browser connection and, unless it was born stalled, its connection to the server."""

    def __init__(self, client: socket.socket, server: socket.socket | None) -> None:
        self.client = client
        self.server = server
        self.dead = server is None

    def close(self, reset: bool = False) -> None:
        for end in (self.client, self.server):
            if end is None:
                continue
            try:
                if reset:  # an RST, not a FIN: the peer learns at once that the connection is gone
                    end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                # Wakes the pump blocked in recv (a bare close would wait for it, and send nothing until then).
                end.shutdown(socket.SHUT_RD if reset else socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


class StallingProxy:
    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._pairs: list[_Pair] = []
        self._stalled = False
        threading.Thread(target=self._accept, daemon=True).start()

    def stall(self) -> None:
        with self._lock:
            self._stalled = True
            for pair in self._pairs:
                pair.dead = True

    def heal(self) -> None:
        with self._lock:
            self._stalled = False
            dead = [pair for pair in self._pairs if pair.dead]
            self._pairs = [pair for pair in self._pairs if not pair.dead]
        for pair in dead:
            pair.close(reset=True)

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            pair.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self._target)
            pair = _Pair(client, upstream)
            with self._lock:  # decided and listed at once, so a `heal` cannot miss a pair born stalled
                if self._stalled:
                    upstream.close()
                    pair.server, pair.dead = None, True
                self._pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair, client, pair.server), daemon=True).start()
            if pair.server is not None:
                threading.Thread(target=self._pump, args=(pair, pair.server, client), daemon=True).start()

    def _pump(self, pair: _Pair, source: socket.socket, sink: socket.socket | None) -> None:
        """Copy one direction; once the pair is dead, read and drop (the sender sees nothing wrong)."""
        try:
            while data := source.recv(CHUNK):
                if not pair.dead and sink is not None:
                    sink.sendall(data)
        except OSError:
            pass
        if not pair.dead:
            pair.close()
