"""The warm fork server behind ``parse_file_sandboxed``.

Started as ``python -I -m shortlist.ats.forkserver FD``: it imports the parser, both PDF libraries and the
skills taxonomy, parses two small files of its own to warm the lazy paths, then forks one child per
untrusted file. It stays single-threaded, so forking it is safe (the worker, with its threads and event
loop, never forks). The server is the children's parent: it kills each one at its deadline and reaps it.

Control socket (SOCK_SEQPACKET, one message each way): the client sends the options as JSON with one end
of a fresh socket pair attached; the server forks and answers with the child's pid. The child reads the
file's bytes from that socket until EOF, caps itself and answers with one JSON document.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import resource
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from shortlist.ats.engine import errors
from shortlist.ats.engine.files import Limits
from shortlist.ats.engine.parser import parse_bytes
from shortlist.ats.engine.skills import get_taxonomy

READY = b"ready"
_PR_SET_PDEATHSIG = 1


def _warm_pdf(lines: list[str]) -> bytes:
    """A PDF of these lines in a base-14 font, one page per 50 lines, with a correct xref table."""
    pages = [lines[i : i + 50] for i in range(0, len(lines), 50)] or [[]]
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    kids = []
    for page in pages:
        text = " ".join(f"0 -14 Td ({_pdf_string(line)}) Tj" for line in page)
        stream = f"BT /F1 11 Tf 72 760 Td {text} ET".encode("cp1252", "replace")
        objects.append(b"<</Length %d>>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(len(objects) + 1)
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>"
            b"/Contents %d 0 R>>" % (len(objects))
        )
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects[1] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (refs, len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def warm_up() -> None:
    """Load everything a parse touches lazily (PDF libraries, taxonomy, phone data, regexes compiled on
    use), so each child starts with it in memory: the synthetic evaluation resumes as text, Word and PDF."""
    from shortlist.ats.evaluation.corpus import corpus
    from shortlist.ats.evaluation.renderers import render_docx, render_txt

    get_taxonomy()
    for number, resume in enumerate(corpus(3)):
        text = render_txt(resume)
        pdf = _warm_pdf(text.decode().splitlines())
        for data, cross_check in ((text, False), (render_docx(resume), False), (pdf, number == 0)):
            with contextlib.suppress(errors.AtsError):
                parse_bytes(data, Limits(), cross_check=cross_check)


def apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _error(name: str, detail: str) -> dict[str, Any]:
    return {"status": "error", "error": name, "detail": detail}


def _parse(data: bytes, options: dict[str, Any]) -> dict[str, Any]:
    try:
        limits = Limits(max_pages=int(options["max_pages"]), max_bytes=int(options["max_bytes"]))
        result = parse_bytes(data, limits, cross_check=bool(options["cross_check"]))
        return {"status": "ok", "result": result.model_dump(mode="json")}
    except errors.AtsError as exc:
        return _error(type(exc).__name__, exc.detail)
    except (MemoryError, ImportError):
        # Under the address-space cap, running out of memory can surface as a failed import of a C extension.
        return _error("ParseTimeoutError", "The file needed too much memory.")
    except Exception as exc:
        return _error("MalformedDocumentError", f"The file could not be parsed ({type(exc).__name__}).")


def _mapped_bytes() -> int:
    """This process's virtual size (Linux; 0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except OSError:
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _die_with_server(server_pid: int) -> None:
    # Linux: if the server dies, its children die with it instead of running on unsupervised.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server_pid:  # it died before prctl took effect
        os._exit(1)


def _child(conn: socket.socket, options: dict[str, Any], server_pid: int, keep: list[int]) -> None:
    """Runs in the forked child; never returns into the server's loop."""
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in keep:
            os.close(fd)
        _die_with_server(server_pid)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # PDF libraries may print about broken files; nobody reads it
            os.dup2(devnull, fd)
        memory_mb = int(options["memory_mb"])
        apply_limits(memory_mb, int(options["cpu_seconds"]))
        chunks = []
        while chunk := conn.recv(1 << 16):
            chunks.append(chunk)
        if memory_mb * 1024 * 1024 <= _mapped_bytes():
            # A fork starts at the server's size and could still parse in the heap it already has, so a
            # cap below that would not hold; refuse rather than pretend.
            answer = _error("ParseTimeoutError", "The memory limit is below the parser's own size.")
        else:
            answer = _parse(b"".join(chunks), options)
        conn.sendall(json.dumps(answer).encode())
        conn.close()
    finally:
        os._exit(0)  # no atexit handlers or finalizers of the server's state


def serve(control: socket.socket) -> None:
    """Fork a child per request until the client closes the control socket, then stop them all."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)  # SIGCHLD wakes the select below, so exited children are reaped at once
    signal.signal(signal.SIGCHLD, lambda *_: None)
    deadlines: dict[int, float] = {}
    server_pid = os.getpid()
    try:
        while True:
            wait = max(0.0, min(deadlines.values()) - time.monotonic()) if deadlines else None
            ready, _, _ = select.select([control.fileno(), wake_r], [], [], wait)
            if wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 512)
            if control.fileno() in ready:
                try:
                    message, fds, _, _ = socket.recv_fds(control, 1 << 16, 1)
                except OSError:
                    message, fds = b"", []
                if not message or len(fds) != 1:
                    break  # the client is gone (or broke the protocol): stop
                options = json.loads(message)
                conn = socket.socket(fileno=fds[0])
                pid = os.fork()
                if pid == 0:
                    _child(conn, options, server_pid, [control.fileno(), wake_r, wake_w])
                conn.close()
                deadlines[pid] = time.monotonic() + float(options["timeout"])
                control.send(str(pid).encode())
            _reap(deadlines)
    finally:
        for pid in deadlines:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in deadlines:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _reap(deadlines: dict[int, float]) -> None:
    for pid in list(deadlines):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            del deadlines[pid]
        elif time.monotonic() >= deadlines[pid]:
            # Still ours (not reaped yet), so the pid cannot have been reused.
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            del deadlines[pid]


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    warm_up()
    gc.collect()
    gc.freeze()  # the children then never touch (and copy) the warmed-up objects when they collect
    control.send(READY)
    serve(control)


if __name__ == "__main__":
    main()
