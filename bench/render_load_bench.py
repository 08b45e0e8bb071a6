"""Reads while rendering: latency of ``GET /v1/resumes/{id}`` on one ``shortlist serve`` process, alone and
while clients render PDFs continuously.

    .venv/bin/python bench/render_load_bench.py [--renderers 8] [--readers 4] [--duration 20]

Starts ``shortlist serve`` on a fresh SQLite directory (embedded defaults, rate limits raised), signs in,
then runs two phases of ``--duration`` seconds each, from one client process:

- ``reads alone``: ``--readers`` clients read one resume back to back (a cached read: auth, rate limit,
  cache, access log, metrics);
- ``reads + renders``: the same readers while ``--renderers`` clients each render a PDF back to back, every
  one with a colour never asked before (``?color=#rrggbb``), so each request compiles (a cache miss).

Printed per phase: reads done, read p50/p99/max in ms, renders done, renders answered 503 (back-pressure),
and the server's CPU seconds with those of its child processes (render workers). A render in the API's
own interpreter holds the GIL for the whole compile, so every read queued behind it waits: the read p99
under renders is what moving renders to worker processes is for.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "a long benchmark password"
RESUME = {
    "title": "Bench",
    "content": {
        "basics": {"name": "Ada Lovelace", "label": "Engineer", "summary": "Writes the first programs. " * 6},
        "work": [
            {
                "name": f"Company {i}",
                "position": "Engineer",
                "startDate": f"20{10 + i}-01",
                "highlights": [f"Shipped project {i}.{j} on time" for j in range(4)],
            }
            for i in range(5)
        ],
        "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Typst"]}],
    },
}


@dataclass
class Phase:
    name: str
    reads: list[float] = field(default_factory=list)
    renders: int = 0
    busy: int = 0
    errors: int = 0
    cpu_seconds: float = 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process and all its live descendants (the fork server and render workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    total = 0.0
    for pid in parents:
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            try:
                total += _cpu(pid)
            except OSError:
                continue
    return total


def _ms(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _reader(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], until: float, phase: Phase
) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        response = await client.get(url, headers=headers)
        if response.status_code == 200:
            phase.reads.append(time.perf_counter() - started)
        else:
            phase.errors += 1


async def _renderer(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], until: float, phase: Phase
) -> None:
    while time.monotonic() < until:
        color = f"#{random.randrange(1 << 24):06x}"  # a cache-busting value
        response = await client.get(url, params={"format": "pdf", "color": color}, headers=headers)
        if response.status_code == 200:
            phase.renders += 1
        elif response.status_code == 503:
            phase.busy += 1
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        else:
            phase.errors += 1


async def _run_phase(
    base: str, headers: dict[str, str], resume_id: str, args: argparse.Namespace, pid: int, renders: bool
) -> Phase:
    phase = Phase("reads + renders" if renders else "reads alone")
    limits = httpx.Limits(max_connections=args.readers + args.renderers + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        read_url = f"/v1/resumes/{resume_id}"
        for _ in range(20):  # warm: connections, caches
            await client.get(read_url, headers=headers)
        cpu_before = _tree_cpu(pid)
        until = time.monotonic() + args.duration
        tasks = [_reader(client, read_url, headers, until, phase) for _ in range(args.readers)]
        if renders:
            render_url = f"/v1/resumes/{resume_id}/render"
            tasks += [_renderer(client, render_url, headers, until, phase) for _ in range(args.renderers)]
        await asyncio.gather(*tasks)
        phase.cpu_seconds = _tree_cpu(pid) - cpu_before
    return phase


async def _prepare(base: str) -> tuple[dict[str, str], str]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        email = f"bench-{os.getpid()}@example.org"
        (
            await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
        ).raise_for_status()
        token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = await client.post("/v1/resumes", json=RESUME, headers=headers)
        created.raise_for_status()
        resume_id: str = created.json()["id"]
        # One render first: the workers (or the in-process compiler) are warm before anything is measured.
        (
            await client.get(f"/v1/resumes/{resume_id}/render", params={"format": "pdf"}, headers=headers)
        ).raise_for_status()
        return headers, resume_id


def _wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base} did not become ready in {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renderers", type=int, default=8, help="clients rendering PDFs back to back")
    parser.add_argument("--readers", type=int, default=4, help="clients reading a resume back to back")
    parser.add_argument("--duration", type=int, default=20, help="seconds per phase")
    parser.add_argument(
        "--render-concurrency", type=int, default=2, help="SHORTLIST_RENDER_CONCURRENCY (renders at once)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="shortlist-render-load-") as tmp:
        env = {key: value for key, value in os.environ.items() if not key.startswith("SHORTLIST_")}
        env.update(
            {
                "SHORTLIST_ENVIRONMENT": "development",
                "SHORTLIST_DATA_DIR": tmp,
                "SHORTLIST_SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
                "SHORTLIST_RATE_LIMIT_USER": "100000000/minute",
                "SHORTLIST_LOG_LEVEL": "WARNING",
                "SHORTLIST_PASSWORD_TIME_COST": "1",
                "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "1024",
                "SHORTLIST_RENDER_CONCURRENCY": str(args.render_concurrency),
            }
        )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port)]
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_ready(base, server)
            headers, resume_id = asyncio.run(_prepare(base))
            phases = [
                asyncio.run(_run_phase(base, headers, resume_id, args, server.pid, renders))
                for renders in (False, True)
            ]
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print(
        f"\nGET /v1/resumes/{{id}} on one `shortlist serve` process, {args.readers} readers, "
        f"{args.renderers} PDF renderers, render concurrency {args.render_concurrency}, "
        f"{args.duration} s per phase\n"
    )
    header = (
        f"{'phase':18}{'reads':>8}{'read p50':>10}{'read p99':>10}{'read max':>10}"
        f"{'renders':>9}{'503s':>6}{'errors':>8}{'CPU s':>8}"
    )
    print(header)
    print("-" * len(header))
    for phase in phases:
        print(
            f"{phase.name:18}{len(phase.reads):8d}{_ms(phase.reads, 0.5):10.2f}{_ms(phase.reads, 0.99):10.2f}"
            f"{_ms(phase.reads, 1.0):10.2f}{phase.renders:9d}{phase.busy:6d}{phase.errors:8d}"
            f"{phase.cpu_seconds:8.1f}"
        )
    alone, loaded = phases
    print(f"\nread p99 under renders / alone: {_ms(loaded.reads, 0.99) / _ms(alone.reads, 0.99):.1f}x")


if __name__ == "__main__":
    main()
