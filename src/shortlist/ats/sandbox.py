"""Parse untrusted files in a separate, limited process.

PDF libraries have a history of denial-of-service bugs on crafted files, so every file is parsed in a
process of its own that first caps its address space, CPU time and core dumps with ``resource.setrlimit``;
it is killed at the wall-clock timeout. Starting Python and importing the PDF libraries costs ~0.4 s,
so the children are forked from a warm server (``shortlist.ats.forkserver``, one per process that parses,
started on first use and again if it dies). Bytes go in over a socket and one JSON document comes back:
nothing from the child is unpickled.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from shortlist.ats.engine import errors
from shortlist.ats.engine.files import DEFAULT_LIMITS, Limits, sniff
from shortlist.ats.engine.results import ParseResult

READY = b"ready"  # shortlist.ats.forkserver.READY, not imported: that module loads the whole engine
_START_TIMEOUT = 60.0  # imports and warm-up take ~1 s; a loaded machine may take many times that
_FORK_TIMEOUT = 10.0  # one fork of the server; longer means it is stuck


class SandboxUnavailableError(RuntimeError):
    """The fork server could not be started or stopped answering; not the file's fault, so retryable."""


class _ForkServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _start(self) -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            # Own session: a Ctrl-C meant for the server process must not reach the parser's processes.
            self._proc = subprocess.Popen(  # noqa: S603 - fixed interpreter and module
                [sys.executable, "-I", "-m", "shortlist.ats.forkserver", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._control = mine
        mine.settimeout(_START_TIMEOUT)
        try:
            ready = mine.recv(16)
        except OSError:
            ready = b""
        if ready != READY:
            self._stop()
            raise SandboxUnavailableError("The parser's fork server did not start.")
        mine.settimeout(_FORK_TIMEOUT)

    def _stop(self) -> None:
        """Close the control socket (the server then stops its children and exits) and reap it."""
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def fork(self, options: dict[str, Any]) -> tuple[socket.socket, float]:
        """A socket connected to a new child that will parse one file with these options, and the time
        the request was sent (the child's deadline counts from its fork, a moment later)."""
        message = json.dumps(options).encode()
        with self._lock:
            for _ in range(2):  # a server that died since the last call is replaced once
                if self._proc is None or self._proc.poll() is not None:
                    self._stop()
                    self._start()
                assert self._control is not None
                mine, theirs = socket.socketpair()
                sent = time.monotonic()  # after any server start: that is not the file's time
                try:
                    with theirs:
                        socket.send_fds(self._control, [message], [theirs.fileno()])
                    if self._control.recv(32):  # the child's pid: it exists
                        return mine, sent
                except OSError:
                    pass
                mine.close()
                self._stop()
            raise SandboxUnavailableError("The parser's fork server stopped answering.")

    def shutdown(self) -> None:
        with self._lock:
            self._stop()

    def forget(self) -> None:
        """In a forked copy of this process: the server belongs to the parent."""
        self._lock = threading.Lock()
        if self._control is not None:
            self._control.close()
        self._proc = self._control = None


_server = _ForkServer()
atexit.register(_server.shutdown)
os.register_at_fork(after_in_child=_server.forget)


def forkserver_pid() -> int | None:
    """The running fork server's pid (its children are the parses in progress), or None."""
    return _server.pid


def shutdown_forkserver() -> None:
    """Stop the fork server and its children; the next parse starts a new one."""
    _server.shutdown()


def _exchange(conn: socket.socket, data: bytes, deadline: float) -> bytes:
    """Send the file, read the answer; b"" when the child died before answering."""
    chunks: list[bytes] = []
    try:
        conn.settimeout(max(deadline - time.monotonic(), 0.001))
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        while True:
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            chunk = conn.recv(1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    except TimeoutError:
        raise
    except OSError:  # reset or broken pipe: the child is gone
        return b""


def parse_file_sandboxed(
    data: bytes,
    *,
    timeout: float = 20.0,
    memory_mb: int = 1024,
    limits: Limits = DEFAULT_LIMITS,
    cross_check: bool = True,
) -> ParseResult:
    """Parse untrusted bytes in a child process limited in time, memory and pages.

    Raises the same ``AtsError`` subclasses as ``parse_bytes``, and ``ParseTimeoutError`` (422) when the
    child runs out of time or memory or dies. ``memory_mb`` caps the child's whole address space, which
    starts at the fork server's size (the interpreter and the libraries, a few hundred MB virtual).
    """
    sniff(data, limits)  # cheap checks (type, size, zip directory) before paying for a process
    options = {
        "memory_mb": memory_mb,
        "cpu_seconds": max(int(timeout), 1),
        "timeout": timeout,
        "max_pages": limits.max_pages,
        "max_bytes": limits.max_bytes,
        "cross_check": cross_check,
    }
    conn, sent = _server.fork(options)
    with conn:
        try:
            raw = _exchange(conn, data, sent + timeout)
        except TimeoutError as exc:
            # The server kills the child at the same deadline.
            raise errors.ParseTimeoutError(
                f"Parsing took longer than {timeout:g} s and was stopped."
            ) from exc
    return decode_answer(raw)


def decode_answer(raw: bytes) -> ParseResult:
    """A child's JSON answer as the result, or as the error it names (never unpickled)."""
    try:
        message = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        message = None
    if not isinstance(message, dict):
        raise errors.ParseTimeoutError("The parser stopped unexpectedly: out of memory or time.")
    if message.get("status") == "ok":
        return ParseResult.model_validate(message["result"])
    cls = getattr(errors, str(message.get("error")), errors.MalformedDocumentError)
    if not (isinstance(cls, type) and issubclass(cls, errors.AtsError)):
        cls = errors.MalformedDocumentError
    raise cls(str(message.get("detail", "The file could not be parsed.")))
