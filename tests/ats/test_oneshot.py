"""The one-shot sandbox: the CLI forks itself once, the child parses under limits and answers in JSON."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shortlist.ats.engine import (
    MalformedDocumentError,
    ParseTimeoutError,
    UnsupportedFileTypeError,
    parse_bytes,
)
from shortlist.ats.forkserver import _mapped_bytes, _warm_pdf
from shortlist.ats.oneshot import parse_file_oneshot

LINES = [
    "Ada Lovelace",
    "ada@example.com | +44 20 7946 0958 | London",
    "Experience",
    "Senior Backend Engineer, Acme — 2019 – Present",
    "• Built payment APIs in Python and PostgreSQL serving 3M requests a day",
    "Education",
    "BSc Computer Science, University of London, 2015",
    "Skills",
    "Python, Django, PostgreSQL, Docker, Kubernetes",
]


def _budget_mb() -> int:
    """The child starts at this process's size (the test runner's is larger than the CLI's ~120 MB)."""
    return (_mapped_bytes() >> 20) + 768


def test_one_shot_parse_equals_in_process() -> None:
    pdf = _warm_pdf(LINES)
    child = parse_file_oneshot(pdf, memory_mb=_budget_mb())
    here = parse_bytes(pdf)
    assert child.resume == here.resume
    assert child.file_type == "pdf" and child.resume["basics"]["name"] == "Ada Lovelace"


def test_one_shot_errors_keep_their_status() -> None:
    with pytest.raises(MalformedDocumentError) as err:
        parse_file_oneshot(b"%PDF-1.7\n" + b"garbage " * 50, memory_mb=_budget_mb())
    assert err.value.status == 422
    with pytest.raises(UnsupportedFileTypeError):
        parse_file_oneshot(b"\x00\x01\x02")


def test_one_shot_limits_hold() -> None:
    big = _warm_pdf(LINES * 200)
    with pytest.raises(ParseTimeoutError, match="longer than"):
        parse_file_oneshot(big, timeout=0.001, memory_mb=_budget_mb())
    with pytest.raises(ParseTimeoutError, match="memory"):
        parse_file_oneshot(_warm_pdf(LINES), memory_mb=40)


def test_cli_check_runs_one_shot(tmp_path: Path) -> None:
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(_warm_pdf(LINES))
    job = tmp_path / "job.txt"
    job.write_text("Backend Engineer\nRequirements\n- Python\n- PostgreSQL\n- Go", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from shortlist.cli import app; app()",
            "ats",
            "check",
            str(resume),
            "--job",
            str(job),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ATS score:" in done.stdout and "Job match:" in done.stdout
    assert "missing: Go" in done.stdout


def test_a_threaded_caller_gets_the_fork_server() -> None:
    import threading

    from shortlist.ats.analysis import analyze
    from shortlist.ats.sandbox import forkserver_pid, shutdown_forkserver

    shutdown_forkserver()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        result = analyze("\n".join(LINES).encode(), one_shot=True)
        assert result.parse.resume["basics"]["name"] == "Ada Lovelace"
        assert forkserver_pid() is not None  # not forked from this threaded process
    finally:
        release.set()
        other.join()
        shutdown_forkserver()
