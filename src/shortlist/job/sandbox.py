"""Run a CPU-bound handler in a child process with a wall-clock limit, a CPU-time limit and an address-space
limit: resume files are untrusted, and a parser bomb must cost one child, not the worker."""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import resource
import traceback
from multiprocessing.connection import Connection
from typing import Any

from shortlist.job.registry import CpuHandler, JobFailed


class SandboxTimeout(Exception):
    pass


class SandboxCrashed(Exception):
    """The child died without an answer: killed by a limit (memory, CPU) or crashed."""


class SandboxError(Exception):
    def __init__(self, kind: str, detail: str, *, permanent: bool) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.permanent = permanent


def _child(
    handler: CpuHandler, payload: dict[str, Any], memory_bytes: int, cpu_seconds: int, conn: Connection
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # No core dumps of untrusted input.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        outcome: tuple[str, Any] = ("ok", handler(payload))
    except JobFailed as exc:
        outcome = ("failed", str(exc))
    except MemoryError:
        outcome = ("error", "MemoryError: the job went over its memory limit")
    except BaseException as exc:
        outcome = ("error", "".join(traceback.format_exception_only(exc)).strip())
    try:
        conn.send(outcome)
    except Exception as exc:
        conn.send(("error", f"the result could not be sent back: {exc}"))
    finally:
        conn.close()


# forkserver: children start from a small clean process, not a fork of a threaded event loop.
_mp = multiprocessing.get_context("forkserver")


async def run_in_sandbox(
    handler: CpuHandler, payload: dict[str, Any], *, time_limit: float, memory_limit_mb: int
) -> dict[str, Any] | None:
    receiver, sender = _mp.Pipe(duplex=False)
    process = _mp.Process(
        target=_child,
        args=(handler, payload, memory_limit_mb * 1024 * 1024, math.ceil(time_limit) + 1, sender),
        daemon=True,
    )
    process.start()
    sender.close()

    def wait() -> tuple[str, Any] | None:
        if not receiver.poll(time_limit):
            return None
        try:
            answer: tuple[str, Any] = receiver.recv()
            return answer
        except EOFError:
            return ("crashed", None)

    try:
        answer = await asyncio.to_thread(wait)
    finally:
        # Cancelled, timed out or done: the child never outlives its job.
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join, 5)
        with contextlib.suppress(OSError):
            receiver.close()
    if answer is None:
        raise SandboxTimeout(f"the job ran longer than {time_limit:g} s")
    status, value = answer
    if status == "ok":
        if value is not None and not isinstance(value, dict):
            raise SandboxError(
                "bad-result", "the handler returned something other than a JSON object", permanent=True
            )
        return value
    if status == "failed":
        raise SandboxError("failed", str(value), permanent=True)
    if status == "crashed":
        raise SandboxCrashed(f"the job process died (exit code {process.exitcode}); limits may have been hit")
    raise SandboxError("error", str(value), permanent=False)
