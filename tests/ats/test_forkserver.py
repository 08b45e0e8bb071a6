"""The parser's fork server with real processes: timeouts, memory caps, a killed server, no leftovers."""

from __future__ import annotations

import os
import signal
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shortlist.ats.engine import ParseTimeoutError
from shortlist.ats.sandbox import forkserver_pid, parse_file_sandboxed, shutdown_forkserver

TXT = b"Jane Doe\njane@example.com\n\nExperience\nBackend Engineer, Acme (2019 - 2024)\n- Built APIs\n"


def _pdf(content: bytes) -> bytes:
    """One page whose compressed content stream is `content`."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d/Filter/FlateDecode>>\nstream\n%s\nendstream" % (len(packed), packed),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size 6/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# 6 KB that keep both extractors busy for well over 30 s: 200,000 one-glyph text runs.
SLOW_PDF = _pdf(b"BT /F1 1 Tf " + b"1 0 Td (a) Tj " * 200_000 + b"ET")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process, 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _eventually(check: Callable[[], bool], within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def _server() -> int:
    parse_file_sandboxed(TXT)  # starts it if needed
    pid = forkserver_pid()
    assert pid is not None
    return pid


def _server_size_mb(pid: int) -> int:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)


# Alone: these kill and time real processes against wall-clock deadlines.
pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes in /proc"),
    pytest.mark.alone,
]


def test_hanging_child_is_killed_at_the_timeout(
    rendered: dict[str, list[tuple[dict[str, Any], bytes]]],
) -> None:
    server = _server()
    started = time.monotonic()
    with pytest.raises(ParseTimeoutError):
        parse_file_sandboxed(SLOW_PDF, timeout=1.0)
    assert time.monotonic() - started < 2.5
    assert _eventually(lambda: _children(server) == [], within=1.0)
    truth, data = rendered["typst-single"][0]
    assert parse_file_sandboxed(data).resume["basics"]["name"] == truth["basics"]["name"]
    assert forkserver_pid() == server


def test_memory_cap_relative_to_the_server(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    # A child starts with everything the server maps (interpreter, PDF libraries, taxonomy), so the cap
    # is that size plus what one parse may add.
    cap = _server_size_mb(_server()) + 64
    assert parse_file_sandboxed(rendered["typst-single"][0][1], memory_mb=cap).file_type == "pdf"
    with pytest.raises(ParseTimeoutError):
        # 100 KB that inflate to a 100 MB string.
        parse_file_sandboxed(_pdf(b"BT (" + b"a" * 100_000_000 + b") Tj ET"), memory_mb=cap, timeout=15)
    with pytest.raises(ParseTimeoutError, match="below the parser's own size"):
        parse_file_sandboxed(TXT, memory_mb=_server_size_mb(_server()) - 1)


def test_killed_server_is_replaced_on_the_next_call() -> None:
    server = _server()
    os.kill(server, signal.SIGKILL)
    assert parse_file_sandboxed(TXT).resume["basics"]["name"] == "Jane Doe"
    replacement = forkserver_pid()
    assert replacement is not None and replacement != server
    assert server not in _children(os.getpid())  # the dead one was reaped, not left a zombie


def test_server_killed_during_a_parse_takes_its_child_along() -> None:
    server = _server()
    outcome: list[BaseException] = []

    def parse() -> None:
        try:
            parse_file_sandboxed(SLOW_PDF, timeout=30)
        except BaseException as exc:
            outcome.append(exc)

    # A child of an earlier parse may still be on its way out: start from none, then catch ours.
    assert _eventually(lambda: _children(server) == [])
    thread = threading.Thread(target=parse)
    thread.start()
    seen: list[int] = []

    def one_child() -> bool:
        seen[:] = _children(server)
        return len(seen) == 1

    assert _eventually(one_child)
    child = seen[0]
    # Kill the server only once the child parses: that proves the client has the child's pid and sent the
    # file. Killed before its answer to the fork, the server would be replaced and the parse sent again
    # (the client replays a request no child took), and that parse would run its full 30 s.
    assert _eventually(lambda: _cpu_seconds(child) >= 0.2, within=15.0)
    os.kill(server, signal.SIGKILL)
    thread.join(10)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], ParseTimeoutError)
    assert _eventually(lambda: not Path(f"/proc/{child}").exists())
    assert parse_file_sandboxed(TXT).file_type == "txt"


def test_many_parses_leave_no_processes_behind() -> None:
    server = _server()
    before = set(_children(os.getpid()))
    for _ in range(25):
        parse_file_sandboxed(TXT)
    results: list[str] = []

    def parse() -> None:
        results.append(parse_file_sandboxed(TXT).file_type)

    threads = [threading.Thread(target=parse) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == ["txt"] * 8
    assert _eventually(lambda: _children(server) == [])
    assert set(_children(os.getpid())) == before
    assert forkserver_pid() == server


def test_shutdown_stops_the_server() -> None:
    server = _server()
    shutdown_forkserver()
    assert forkserver_pid() is None
    assert server not in _children(os.getpid()) and not Path(f"/proc/{server}").exists()
    # The next parse starts a new one; its start (over a second) does not count against the file's time.
    assert parse_file_sandboxed(TXT, timeout=1.0).file_type == "txt"
