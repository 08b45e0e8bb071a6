"""Chaos run: SIGKILL a real `shortlist worker` mid-job 100+ times; the job must finish with one effect.

    python bench/chaos_workers.py [--kills 120]

Runs the suite's crash test with more kills, on whatever services the environment names
(SHORTLIST_DATABASE_URL, SHORTLIST_BROKER_URL); prints the outcome and the time per kill.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=120)
    args = parser.parse_args()
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/job/test_crash.py::test_sigkilled_workers_never_lose_or_double_a_job",
        ],
        cwd=ROOT,
        env={**os.environ, "CHAOS_KILLS": str(args.kills)},
        check=False,
    )
    elapsed = time.perf_counter() - started
    backend = (
        "PostgreSQL" if os.environ.get("SHORTLIST_DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    broker = "RabbitMQ/Redis broker" if os.environ.get("SHORTLIST_BROKER_URL") else "in-process queue"
    verdict = "job completed once" if result.returncode == 0 else "FAILED"
    print(f"kills: {args.kills}  backend: {backend}, {broker}  result: {verdict}")
    print(f"total {elapsed:.1f} s, {elapsed / args.kills:.2f} s per kill (worker start-up dominates)")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
