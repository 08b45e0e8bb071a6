"""Helpers for tests that run the service as a separate process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    data_dir: Path,
    env: dict[str, str],
    *args: str,
    inherit_settings: bool = True,
    stdout: IO[bytes] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`shortlist serve` in a subprocess; yields its base URL once /readyz answers 200.

    With inherit_settings=False the server sees none of this process's SHORTLIST_* variables: a fresh install.
    The server's standard output (its log) goes to ``stdout`` when given.
    """
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if inherit_settings or not k.startswith("SHORTLIST_")}
    full_env = {**inherited, "SHORTLIST_DATA_DIR": str(data_dir), "SHORTLIST_LOG_LEVEL": "WARNING", **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port), *args],
        env=full_env,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if process.poll() is not None:
                break
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            process.terminate()
        if process.poll() is not None:
            raise AssertionError("server did not start: " + process.communicate()[1].decode()[-3000:])
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
