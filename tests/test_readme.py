"""The README's walk-through, run as written against a live `shortlist serve`, so that it cannot rot.

The shell blocks of "Using the API" are taken from the README in order: the first starts the server (its
settings are applied to the server started here), the others run in one bash session. The only change made
to them is the server's address, since the test serves on a free port instead of 8000. Every curl call must
succeed (an HTTP error fails the run), and the outputs the README promises are checked."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.support import running_server

ROOT = Path(__file__).resolve().parents[1]
README_ADDRESS = "http://127.0.0.1:8000"


def walkthrough() -> tuple[dict[str, str], list[str]]:
    """The server's settings from the README's start command, and the shell blocks that follow it."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Using the API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    start, *steps = blocks
    command = start.strip()
    assert command.endswith("make run"), command
    settings = dict(re.findall(r"(SHORTLIST_\w+)=(\S+)", command))
    return settings, steps


@pytest.mark.slow
def test_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    settings, steps = walkthrough()
    assert settings == {"SHORTLIST_WEBHOOK_ALLOW_HOSTS": "127.0.0.1"}
    work = tmp_path / "reader"
    work.mkdir()
    (work / "scripts").symlink_to(ROOT / "scripts")  # the README runs from the repository's root
    env = {"SHORTLIST_PASSWORD_TIME_COST": "1", "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64", **settings}
    with running_server(tmp_path / "data", env, inherit_settings=False) as (base, _process):
        script = "\n".join(steps).replace(README_ADDRESS, base)
        assert README_ADDRESS not in script and "<id>" not in script
        # Any HTTP error fails the run; everything else is the README's own text.
        prelude = 'curl() { command curl --fail-with-body --max-time 120 "$@"; }\n'
        try:
            run = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", prelude + script],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        finally:
            _stop_receiver(work / "hooks.log.pid")
    assert run.returncode == 0, f"stdout:\n{run.stdout[-4000:]}\nstderr:\n{run.stderr[-4000:]}"
    out = run.stdout
    promised = [
        '"email":"ada@example.com"',  # registered
        'etag: "r1"',  # the resume read with -si
        '"label":"Backend engineer"',  # the export gives the imported document back
        '"title":"Staff engineer"',  # the PATCH applied
        '"next_cursor":',  # lists, with a bearer token and with the API key
        '"slug":"modern"',  # templates
        '"languages":[{"code":"en"',  # design options
        '"urls":{',  # a share link
        "event: end",  # job streams close at the end
        '"score":',  # the ATS report
        '"resume_id":',  # the file import
    ]
    missing = [fragment for fragment in promised if fragment not in out]
    assert not missing, (missing, out[-6000:])
    assert (work / "cv.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "cv.docx").read_bytes().startswith(b"PK")
    assert (work / "p1.png").read_bytes().startswith(b"\x89PNG")
    assert "Berufserfahrung" in (work / "cv-de.html").read_text()
    hooks = (work / "hooks.log").read_text()
    assert "webhook.ping" in hooks and "resume.updated" in hooks, hooks


def _stop_receiver(pid_file: Path) -> None:
    """The README stops its receiver itself; after a failed run, this does."""
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return  # already gone
    if b"webhook_receiver.py" in command:  # never a process that merely reused the id
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
