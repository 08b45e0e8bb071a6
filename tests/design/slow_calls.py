"""Calls the worker-pool tests send to real workers. Kept apart from the test modules: a worker imports the
module of every function it runs, and a test module's imports (the whole app) take seconds on a busy machine."""

from __future__ import annotations

import os
import signal
import time


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def die() -> None:
    """A worker crashing mid-call (what an out-of-memory kill looks like from the pool)."""
    os.kill(os.getpid(), signal.SIGKILL)
