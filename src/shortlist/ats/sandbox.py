"""Parse untrusted files in a separate, limited process.

PDF libraries have a history of denial-of-service bugs on crafted files, so the parser runs in a fresh
Python child (``python -I -m shortlist.ats.sandbox``) that first caps its own address space, CPU time and
core dumps with ``resource.setrlimit``; the parent enforces a wall-clock timeout and kills it. Bytes go in
on stdin and a JSON document comes back on stdout: nothing from the child is unpickled.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

from shortlist.ats import exceptions
from shortlist.ats.files import DEFAULT_LIMITS, Limits, sniff
from shortlist.ats.schemas import ParseResult


def _apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_main() -> None:
    """Entry point of the child process."""
    options = json.loads(sys.argv[1])
    _apply_limits(int(options["memory_mb"]), int(options["cpu_seconds"]))
    out = sys.stdout
    try:
        from shortlist.ats.parser import parse_bytes

        data = sys.stdin.buffer.read()
        limits = Limits(max_pages=int(options["max_pages"]), max_bytes=int(options["max_bytes"]))
        result = parse_bytes(data, limits, cross_check=bool(options["cross_check"]))
        out.write(json.dumps({"status": "ok", "result": result.model_dump(mode="json")}))
    except exceptions.AtsError as exc:
        out.write(json.dumps({"status": "error", "error": type(exc).__name__, "detail": exc.detail}))
    except (MemoryError, ImportError):
        # Under the address-space cap, running out of memory can surface as a failed import of a C extension.
        out.write(
            json.dumps(
                {
                    "status": "error",
                    "error": "ParseTimeoutError",
                    "detail": "The file needed too much memory.",
                }
            )
        )
    except Exception as exc:
        detail = f"The file could not be parsed ({type(exc).__name__})."
        out.write(json.dumps({"status": "error", "error": "MalformedDocumentError", "detail": detail}))
    out.flush()


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
    child runs out of time or memory or dies.
    """
    sniff(data, limits)  # cheap checks (type, size, zip directory) before paying for a process
    options = {
        "memory_mb": memory_mb,
        "cpu_seconds": max(int(timeout), 1),
        "max_pages": limits.max_pages,
        "max_bytes": limits.max_bytes,
        "cross_check": cross_check,
    }
    try:
        proc = subprocess.run(  # noqa: S603 - fixed interpreter and module, options as JSON
            [sys.executable, "-I", "-m", "shortlist.ats.sandbox", json.dumps(options)],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise exceptions.ParseTimeoutError(
            f"Parsing took longer than {timeout:g} s and was stopped."
        ) from exc
    try:
        message = json.loads(proc.stdout)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise exceptions.ParseTimeoutError(
            f"The parser stopped unexpectedly (exit {proc.returncode}): out of memory or time."
        ) from exc
    if message.get("status") == "ok":
        return ParseResult.model_validate(message["result"])
    cls = getattr(exceptions, str(message.get("error")), exceptions.MalformedDocumentError)
    if not (isinstance(cls, type) and issubclass(cls, exceptions.AtsError)):
        cls = exceptions.MalformedDocumentError
    raise cls(str(message.get("detail", "The file could not be parsed.")))


if __name__ == "__main__":
    _child_main()
