"""Load test over a realistic mix: sign-in, list, read, edit, render (PDF) and the ATS report of a stored resume,
by closed-loop virtual users (each its own account and resume) against real `shortlist serve` processes.

    .venv/bin/python bench/load_mix.py [--steps 2,4,8,16] [--step-seconds 20] [--processes 1,2]
    .venv/bin/python bench/load_mix.py --minutes 30 [--users 8]     # soak: RSS over time (run by hand)

Ramp mode: for each process count (uvicorn workers behind one port), users step up; each step prints
requests/s, p50/p99 per endpoint and the server tree's RSS. The saturation point is the step after which
throughput grows by less than 10% (or falls) while p99 climbs: the figure printed as "saturates at".
Soak mode: a fixed number of users for --minutes (at most 60), RSS and requests/s printed every 30 s; the
last line compares the RSS of the last quarter with the first (growth in MiB).

The database is SQLite under a temporary directory unless SHORTLIST_DATABASE_URL (and SHORTLIST_REDIS_URL)
name real services. Rate limiting, auth, metrics and logs stay on, with limits raised above the load. The
load generator runs on the same machine and takes CPU from the server: figures are lower bounds.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import free_port  # noqa: E402

from shortlist.rendering.sample import sample_resume  # noqa: E402

PASSWORD = "correct horse battery staple"
# Share of each action in a user's loop (sums to 100).
MIX = {"sign-in": 2, "list": 25, "read": 40, "edit": 20, "render": 8, "ats-report": 5}


@dataclass
class User:
    email: str
    headers: dict[str, str]
    resume_id: str
    etag: str = ""


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def tree_rss(pid: int) -> int:
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


async def make_user(client: httpx.AsyncClient) -> User:
    email = f"load-{uuid.uuid4().hex[:10]}@example.com"
    (await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})).raise_for_status()
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    created = await client.post(
        "/v1/resumes", json={"title": "Load", "content": sample_resume()}, headers=headers
    )
    created.raise_for_status()
    return User(email, headers, created.json()["id"], created.headers.get("etag", ""))


async def act(client: httpx.AsyncClient, user: User, action: str) -> httpx.Response:
    path = f"/v1/resumes/{user.resume_id}"
    if action == "sign-in":
        answer = await client.post("/v1/auth/token", data={"username": user.email, "password": PASSWORD})
        if answer.status_code == 200:
            user.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return answer
    if action == "list":
        return await client.get("/v1/resumes", params={"limit": 20}, headers=user.headers)
    if action == "read":
        return await client.get(path, headers=user.headers)
    if action == "edit":
        patch = {"basics": {"summary": f"Edited {uuid.uuid4().hex[:8]}"}}
        headers = {**user.headers, "Content-Type": "application/merge-patch+json"}
        answer = await client.patch(path, json={"content": patch}, headers=headers)
        if answer.status_code == 200:
            user.etag = answer.headers.get("etag", "")
        return answer
    if action == "render":
        return await client.get(f"{path}/render", params={"format": "pdf"}, headers=user.headers)
    return await client.get(f"{path}/ats-report", headers=user.headers)


async def virtual_user(
    client: httpx.AsyncClient, user: User, tally: Tally, until: float, rng: random.Random
) -> None:
    actions, weights = list(MIX), list(MIX.values())
    while time.monotonic() < until:
        action = rng.choices(actions, weights)[0]
        started = time.perf_counter()
        try:
            answer = await act(client, user, action)
            outcome = str(answer.status_code)
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        if outcome.startswith(("2", "3")):
            tally.latencies[action].append(time.perf_counter() - started)
        else:
            tally.errors[f"{action} {outcome}"] += 1


def start_server(processes: int, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "SHORTLIST_DATA_DIR": str(data_dir),
        "SHORTLIST_LOG_LEVEL": "WARNING",
        "SHORTLIST_SECRET_KEY": "load-test-secret-key-that-is-long-enough-for-production",
        "SHORTLIST_RATE_LIMIT_ANONYMOUS": "1000000/minute",
        "SHORTLIST_RATE_LIMIT_USER": "1000000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_IP": "1000000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_ACCOUNT": "1000000/minute",
    }
    command = [
        sys.executable,
        "-m",
        "shortlist.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(processes),
    ]
    server = subprocess.Popen(
        [*command, "--migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz").status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


async def run_users(base: str, users: list[User], seconds: float, seed: int) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=len(users), max_keepalive_connections=len(users))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(virtual_user(client, u, tally, until, random.Random(seed + i)) for i, u in enumerate(users))
        )
    return tally


async def prepare(base: str, count: int) -> list[User]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        return [await make_user(client) for _ in range(count)]


def report_step(label: str, tally: Tally, seconds: float, rss: int) -> float:
    rate = tally.total() / seconds
    print(f"{label}: {rate:7.1f} req/s  server RSS {rss / 2**20:5.0f} MiB  errors {dict(tally.errors) or 0}")
    for action in MIX:
        values = tally.latencies.get(action, [])
        if values:
            print(
                f"    {action:11} {len(values) / seconds:7.1f}/s  p50 {statistics.median(values) * 1000:7.1f} ms"
                f"  p99 {_pct(values, 0.99) * 1000:7.1f} ms"
            )
    return rate


async def ramp(args: argparse.Namespace) -> None:
    steps = [int(s) for s in args.steps.split(",")]
    for processes in [int(p) for p in args.processes.split(",")]:
        server, base = start_server(processes, Path(tempfile.mkdtemp(prefix="load-mix-")))
        try:
            users = await prepare(base, max(steps))
            await run_users(base, users[:2], 3, 0)  # warm: imports, fonts, the parser's fork server
            print(f"--- {processes} process(es), mix {MIX}")
            rates: list[tuple[int, float]] = []
            for count in steps:
                peak = 0
                sampler_stop = asyncio.Event()

                async def sample(stop: asyncio.Event = sampler_stop, pid: int = server.pid) -> None:
                    nonlocal peak
                    while not stop.is_set():
                        peak = max(peak, tree_rss(pid))
                        await asyncio.sleep(0.5)

                sampler = asyncio.create_task(sample())
                tally = await run_users(base, users[:count], args.step_seconds, count)
                sampler_stop.set()
                await sampler
                rates.append((count, report_step(f"  {count:3} users", tally, args.step_seconds, peak)))
            saturation = rates[-1]
            for (users_before, before), (_, now) in itertools.pairwise(rates):
                if now < before * 1.10:
                    saturation = (users_before, before)
                    break
            print(
                f"  saturates at {saturation[0]} users, {saturation[1]:.1f} req/s ({processes} process(es))"
            )
        finally:
            stop_server(server)


async def soak(args: argparse.Namespace) -> None:
    minutes = min(args.minutes, 60.0)
    server, base = start_server(1, Path(tempfile.mkdtemp(prefix="load-soak-")))
    try:
        users = await prepare(base, args.users)
        samples: list[tuple[float, int, float]] = []
        started = time.monotonic()
        print(f"soak: {args.users} users for {minutes} min on one process; RSS every 30 s")
        seed = 0
        while time.monotonic() - started < minutes * 60:
            window = min(30.0, minutes * 60 - (time.monotonic() - started))
            tally = await run_users(base, users, window, seed)
            seed += len(users)
            rss = tree_rss(server.pid)
            elapsed = time.monotonic() - started
            samples.append((elapsed, rss, tally.total() / window))
            errors = sum(tally.errors.values())
            print(
                f"  {elapsed / 60:6.1f} min  RSS {rss / 2**20:6.1f} MiB  {tally.total() / window:6.1f} req/s  errors {errors}"
            )
        quarter = max(1, len(samples) // 4)
        first = statistics.mean(s[1] for s in samples[:quarter])
        last = statistics.mean(s[1] for s in samples[-quarter:])
        print(
            f"RSS first quarter {first / 2**20:.1f} MiB, last quarter {last / 2**20:.1f} MiB: {(last - first) / 2**20:+.1f} MiB"
        )
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", default="2,4,8,16")
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--minutes", type=float, default=0.0, help="soak for this long instead (at most 60)")
    parser.add_argument("--users", type=int, default=8, help="users in the soak")
    args = parser.parse_args()
    asyncio.run(soak(args) if args.minutes else ramp(args))


if __name__ == "__main__":
    main()
