"""A cold sandbox for one file: fork this process once, limit the child, parse, answer, exit.

The fork server (``shortlist.ats.sandbox``) pays ~1.5 s to start a warm interpreter, which a service
earns back over many files but a one-shot command (``shortlist ats check FILE``) never does. Here the
command's own process forks: the child gets the same caps as a fork-server child (address space, CPU
seconds, no core dumps, killed at the wall-clock deadline, dies with its parent) and returns one JSON
document over a pipe; nothing from it is unpickled. Only for single-threaded callers such as the CLI:
forking a process with threads (the API server, the worker) is not safe, and those use the fork server.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable

from shortlist.ats.engine import errors
from shortlist.ats.engine.files import DEFAULT_LIMITS, Limits, sniff
from shortlist.ats.engine.results import ParseResult
from shortlist.ats.forkserver import _die_with_server, _error, _mapped_bytes, _parse, apply_limits
from shortlist.ats.sandbox import decode_answer


def _child(write_fd: int, data: bytes, options: dict[str, object], parent: int) -> None:
    try:
        _die_with_server(parent)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # PDF libraries may print about broken files; nobody reads it
            os.dup2(devnull, fd)
        memory_mb = int(str(options["memory_mb"]))
        apply_limits(memory_mb, int(str(options["cpu_seconds"])))
        if memory_mb * 1024 * 1024 <= _mapped_bytes():
            answer = _error("ParseTimeoutError", "The memory limit is below the parser's own size.")
        else:
            answer = _parse(data, options)
        payload = json.dumps(answer).encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
    finally:
        os._exit(0)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None at the deadline."""
    chunks: list[bytes] = []
    while True:
        wait = deadline - time.monotonic()
        if wait <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def parse_file_oneshot(
    data: bytes,
    *,
    timeout: float = 20.0,
    memory_mb: int = 1024,
    limits: Limits = DEFAULT_LIMITS,
    cross_check: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> ParseResult:
    """Parse untrusted bytes in a forked, limited child of this (single-threaded) process.

    Same limits, errors and result as ``parse_file_sandboxed``; no server is started. ``meanwhile`` runs
    in this process while the child parses (the CLI loads the skills taxonomy for a match there).
    """
    sniff(data, limits)
    options: dict[str, object] = {
        "memory_mb": memory_mb,
        "cpu_seconds": max(int(timeout), 1),
        "max_pages": limits.max_pages,
        "max_bytes": limits.max_bytes,
        "cross_check": cross_check,
    }
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    deadline = time.monotonic() + timeout
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(write_fd, data, options, parent)
    os.close(write_fd)
    raw: bytes | None = None
    try:
        if meanwhile is not None:
            meanwhile()
        raw = _read_until(read_fd, deadline)
    finally:
        os.close(read_fd)
        if raw is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if raw is None:
        raise errors.ParseTimeoutError(f"Parsing took longer than {timeout:g} s and was stopped.")
    return decode_answer(raw)
