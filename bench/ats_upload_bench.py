"""Upload-to-answer latency of the ATS upload routes through a real server: `shortlist serve` on the embedded
defaults (SQLite, in-process queue, worker loops in the server), one sandboxed parse per job.

    .venv/bin/python bench/ats_upload_bench.py [--requests 12] [--concurrency 1] [--route parse|report]

Prints the time to the 202 (file stored, job queued) and the time until the job has its result, as
median and p95, and uploads per second with --concurrency parallel clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from shortlist.rendering import Design, OutputFormat, render
from shortlist.rendering.sample import sample_resume

TERMINAL = {"succeeded", "failed", "dead", "cancelled"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("the server did not become ready")


async def _one(
    client: httpx.AsyncClient, headers: dict[str, str], route: str, data: bytes
) -> tuple[float, float]:
    started = time.perf_counter()
    accepted = await client.post(route, files={"file": ("cv.pdf", data)}, headers=headers)
    queued = time.perf_counter() - started
    if accepted.status_code != 202:
        raise SystemExit(f"{route}: {accepted.status_code} {accepted.text}")
    location = accepted.headers["location"]
    while True:
        job = (await client.get(location, headers=headers)).json()
        if job["status"] in TERMINAL:
            if job["status"] != "succeeded":
                raise SystemExit(f"job {job['id']} ended {job['status']}: {job['error']}")
            return queued, time.perf_counter() - started
        await asyncio.sleep(0.01)


async def run(args: argparse.Namespace, port: int) -> None:
    pdf = render(sample_resume(), Design(template="classic"), OutputFormat.PDF).content
    route = {"parse": "/v1/ats/parse", "report": "/v1/ats/report"}[args.route]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        await _wait_ready(client)
        account = {"email": "bench@example.com", "password": "correct horse battery staple"}
        await client.post("/v1/auth/register", json=account)
        form = {"username": account["email"], "password": account["password"]}
        token = (await client.post("/v1/auth/token", data=form)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        await _one(client, headers, route, pdf)  # warm: imports, first child start
        gate = asyncio.Semaphore(args.concurrency)

        async def timed() -> tuple[float, float]:
            async with gate:
                return await _one(client, headers, route, pdf)

        started = time.perf_counter()
        results = await asyncio.gather(*(timed() for _ in range(args.requests)))
        elapsed = time.perf_counter() - started
    queued = [q * 1000 for q, _ in results]
    done = [d * 1000 for _, d in results]
    print(f"{route}: {args.requests} uploads of a {len(pdf) // 1024} KiB PDF, concurrency {args.concurrency}")
    print(
        f"  202 answered      median {statistics.median(queued):7.1f} ms   p95 {_pct(queued, 0.95):7.1f} ms"
    )
    print(f"  result available  median {statistics.median(done):7.1f} ms   p95 {_pct(done, 0.95):7.1f} ms")
    print(f"  throughput        {args.requests / elapsed:7.2f} uploads/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--route", choices=("parse", "report"), default="parse")
    args = parser.parse_args()
    port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="ats-upload-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")}
    env.update(
        SHORTLIST_DATA_DIR=str(tmp), SHORTLIST_LOG_LEVEL="WARNING", SHORTLIST_RATE_LIMIT_ENABLED="false"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        asyncio.run(run(args, port))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
