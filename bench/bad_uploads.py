"""Hostile uploads against a real server: each file's HTTP answer, its job's problem document, the peak memory
of the server and worker process trees while it is handled, and the time; `/readyz` is polled throughout and
must answer every time.

    .venv/bin/python bench/bad_uploads.py [--only NAME ...] [--max-bytes 16777216]

`shortlist serve` runs on the embedded defaults (SQLite, in-process queue: the server runs the jobs itself)
unless SHORTLIST_DATABASE_URL / SHORTLIST_BROKER_URL name real services; with a broker a separate
`shortlist worker` parses the uploads. The upload limit is raised to 16 MiB by default so that the 100,000-entry
DOCX (8.5 MiB) reaches the archive checks instead of stopping at 413; `--max-bytes 5242880` shows the default.
Files are built in memory (tests/ats/hostile.py). Exits non-zero if any answer is a 5xx, a job ends other than
failed with a problem, or a readiness probe fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ats.hostile import FULL_SIZE, Hostile  # noqa: E402
from tests.support import free_port  # noqa: E402

TERMINAL = {"succeeded", "failed", "dead", "cancelled"}


def tree_rss(root: psutil.Process) -> int:
    """Resident memory of a process and all its descendants (the parser's fork server and its children)."""
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


@dataclass
class Watch:
    """Samples tree RSS every 20 ms and probes /readyz every 100 ms while a file is handled."""

    roots: list[psutil.Process]
    peak: int = 0
    probes: int = 0
    failures: list[str] = field(default_factory=list)
    slowest_probe: float = 0.0

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.peak = max(self.peak, sum(tree_rss(root) for root in self.roots))
            await asyncio.sleep(0.02)

    async def probe(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                answer = await client.get("/readyz", timeout=5)
                if answer.status_code != 200:
                    self.failures.append(f"/readyz {answer.status_code}")
            except httpx.HTTPError as exc:
                self.failures.append(f"/readyz {type(exc).__name__}")
            self.probes += 1
            self.slowest_probe = max(self.slowest_probe, time.perf_counter() - started)
            await asyncio.sleep(0.1)


@dataclass
class Outcome:
    name: str
    size: int
    status: int
    problem: str
    job_status: str
    seconds: float
    peak_rss: int
    probes: int
    slowest_probe: float
    failures: list[str]

    @property
    def ok(self) -> bool:
        return (
            self.status < 500
            and not self.failures
            and (self.status != 202 or (self.job_status == "failed" and self.problem != "-"))
        )


async def send(
    client: httpx.AsyncClient, headers: dict[str, str], hostile: Hostile, roots: list[psutil.Process]
) -> Outcome:
    data = hostile.build()
    watch = Watch(roots)
    stop = asyncio.Event()
    watchers = [asyncio.create_task(watch.sample(stop)), asyncio.create_task(watch.probe(client, stop))]
    started = time.perf_counter()
    job_status, problem = "-", "-"
    try:
        answer = await client.post(
            "/v1/ats/report", files={"file": (hostile.filename, data)}, headers=headers, timeout=120
        )
        body: Any = answer.json() if answer.content else {}
        if answer.status_code == 202:
            location = answer.headers["location"]
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                job = (await client.get(location, headers=headers)).json()
                if job["status"] in TERMINAL:
                    job_status = job["status"]
                    error = job.get("error") or {}
                    problem = f"{error.get('type', '-')}: {error.get('detail', '')}"[:140] if error else "-"
                    break
                await asyncio.sleep(0.05)
            else:
                job_status = "timed out waiting"
        else:
            problem = f"{body.get('type', '-')}: {body.get('detail', '')}"[:140]
    finally:
        stop.set()
        await asyncio.gather(*watchers)
    return Outcome(
        hostile.name,
        len(data),
        answer.status_code,
        problem,
        job_status,
        time.perf_counter() - started,
        watch.peak,
        watch.probes,
        watch.slowest_probe,
        watch.failures,
    )


async def run(base: str, chosen: list[Hostile], roots: list[psutil.Process]) -> list[Outcome]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        account = {
            "email": f"bad-{uuid.uuid4().hex[:8]}@example.com",
            "password": "correct horse battery staple",
        }
        (await client.post("/v1/auth/register", json=account)).raise_for_status()
        form = {"username": account["email"], "password": account["password"]}
        token = (await client.post("/v1/auth/token", data=form)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        idle = sum(tree_rss(root) for root in roots)
        print(f"idle RSS of server + worker trees: {idle / 2**20:.0f} MiB")
        outcomes = []
        for hostile in chosen:
            outcome = await send(client, headers, hostile, roots)
            outcomes.append(outcome)
            print(
                f"{outcome.name:24} {outcome.size / 2**20:6.2f} MiB  HTTP {outcome.status}  job {outcome.job_status:9}"
                f"  {outcome.seconds:6.2f} s  peak RSS {outcome.peak_rss / 2**20:5.0f} MiB"
                f"  readyz {outcome.probes - len(outcome.failures)}/{outcome.probes} ok"
                f" (slowest {outcome.slowest_probe * 1000:.0f} ms)\n    {outcome.problem}",
                flush=True,
            )
        # The service is still whole: a normal request after the lot.
        final = await client.get("/readyz")
        print(f"after the run: /readyz {final.status_code}")
        if final.status_code != 200:
            outcomes[-1].failures.append("final /readyz")
    return outcomes


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "shortlist.cli", *argv], env=env, stdout=sink, stderr=sink
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", help="names to send (default: all)")
    parser.add_argument(
        "--max-bytes", type=int, default=16 * 1024 * 1024, help="SHORTLIST_ATS_UPLOAD_MAX_BYTES"
    )
    args = parser.parse_args()
    chosen = [h for h in FULL_SIZE if not args.only or h.name in args.only]
    data_dir = Path(tempfile.mkdtemp(prefix="bad-uploads-"))
    port = free_port()
    env = {
        **os.environ,
        "SHORTLIST_DATA_DIR": str(data_dir),
        "SHORTLIST_LOG_LEVEL": "WARNING",
        "SHORTLIST_RATE_LIMIT_ENABLED": "false",
        "SHORTLIST_ATS_UPLOAD_MAX_BYTES": str(args.max_bytes),
        "SHORTLIST_PASSWORD_TIME_COST": "1",
        "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
    }
    broker = bool(env.get("SHORTLIST_BROKER_URL"))
    if broker:
        env["SHORTLIST_BROKER_QUEUE"] = f"bench.bad-uploads.{uuid.uuid4().hex[:8]}"
    base = f"http://127.0.0.1:{port}"
    server = start(["serve", "--port", str(port), "--migrate"], env, data_dir / "serve.log")
    processes = [server]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print((data_dir / "serve.log").read_text()[-3000:])
                return 1
            time.sleep(0.1)
        if broker:
            processes.append(start(["worker"], env, data_dir / "worker.log"))
        roots = [psutil.Process(process.pid) for process in processes]
        mode = "with a `shortlist worker` on the broker" if broker else "embedded jobs (the server parses)"
        print(f"server {base}, {mode}, upload limit {args.max_bytes} bytes")
        outcomes = asyncio.run(run(base, chosen, roots))
        alive = all(process.poll() is None for process in processes)
        print(f"server and worker still running: {alive}")
        for name in ("serve.log", "worker.log"):
            path = data_dir / name
            if path.exists() and b"request.unhandled_error" in path.read_bytes():
                print(f"{name} has an unhandled error")
                alive = False
        failed = [o.name for o in outcomes if not o.ok]
        if failed:
            print("NOT OK:", ", ".join(failed))
        return 0 if alive and not failed else 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    sys.exit(main())
