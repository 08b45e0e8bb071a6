"""In-process cost of the hot read: authenticated ``GET /v1/resumes/{id}`` through the ASGI app, no server.

    .venv/bin/python bench/api_profile.py [--requests 20000] [--redis-url redis://...]
                                          [--database-url postgresql+asyncpg://...] [--no-tracing]
                                          [--sampler-ratio 1.0] [--profile] [--top 40]
                                          [--sort tottime|cumtime] [--dump FILE]
                                          [--span-exporter otlp|none] [--concurrency 64]

The app is built as bench/api_bench.py builds it (rate limiting, JWT auth, access log at INFO to /dev/null,
Prometheus metrics, OpenTelemetry tracing with every request sampled and a batch exporter to a local sink)
and called with bare ASGI messages, one request after another (``--concurrency N``: N at a time, each a
task, as a server runs them): what is measured is our stack alone, without uvicorn's parsing and socket
writes or a client's work. Prints microseconds of CPU time per request (process
time, so other load on the machine moves it less than wall time), and with ``--profile`` cProfile's
functions sorted by their own time. Compare figures from one run: the machine's speed drifts. Also printed: the
CPU time of each thread (the span exporter works on a thread of its own) and the time the garbage collector took, by
generation.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_bench import RESUME, base_env, start_otlp_sink

ROOT = Path(__file__).resolve().parents[1]

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Any], Awaitable[None]]


async def _prepare(app: Any) -> tuple[dict[str, str], str]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        email, password = f"profile-{os.getpid()}@example.org", "correct horse battery staple"
        (
            await client.post("/v1/auth/register", json={"email": email, "password": password})
        ).raise_for_status()
        token = await client.post("/v1/auth/token", data={"username": email, "password": password})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = await client.post("/v1/resumes", json=RESUME, headers=headers)
        created.raise_for_status()
        resume_id: str = created.json()["id"]
        (await client.get(f"/v1/resumes/{resume_id}", headers=headers)).raise_for_status()
        return headers, resume_id


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def _one(app: ASGIApp, path: str, headers: dict[str, str]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(path, headers), receive, send)
    return status


class _DroppingExporter(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


class _GcClock:
    """Time the collector spends per generation while requests run: what allocation costs beyond itself."""

    def __init__(self) -> None:
        self.started = 0.0
        self.seconds = [0.0, 0.0, 0.0]
        self.counts = [0, 0, 0]
        gc.callbacks.append(self._on_collect)

    def _on_collect(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self.started
            self.counts[info["generation"]] += 1

    def stop(self) -> None:
        gc.callbacks.remove(self._on_collect)

    def report(self, requests: int) -> str:
        return ", ".join(
            f"gen {g} {self.counts[g]}× {self.seconds[g] / requests * 1e6:.1f} µs/request" for g in range(3)
        )


def _thread_cpu() -> dict[str, float]:
    """CPU seconds per live thread, by name: the main thread serves, others export spans or answer as the
    OTLP sink (which runs in this process here, unlike in bench/api_bench.py)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds: dict[str, float] = {}
    for thread in threading.enumerate():
        # /proc/self/task/<id>, not api_bench.cpu_seconds's /proc/<id>: that one gives the whole process's times.
        try:
            fields = Path(f"/proc/self/task/{thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = re.sub(r"[-_ ]?\d+$", "", thread.name.split(" (")[0])
        seconds[name] = seconds.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return seconds


async def _run(args: argparse.Namespace) -> None:
    from shortlist.main import create_app

    if args.span_exporter == "none" and not args.no_tracing:
        from shortlist.config import get_settings
        from shortlist.platform.observability.tracing import configure_tracing

        # Spans are made, sampled and batched as usual, then dropped: what the export itself costs.
        configure_tracing(get_settings(), exporter=_DroppingExporter(), batch=True, instrument_httpx=False)
    app = create_app()
    async with app.router.lifespan_context(app):
        headers, resume_id = await _prepare(app)
        path = f"/v1/resumes/{resume_id}"
        for _ in range(500):  # warm caches and lazily built tables
            assert await _one(app, path, headers) == 200
        profiler = cProfile.Profile() if args.profile else None
        collections = _GcClock()
        threads_before = _thread_cpu()
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        if args.concurrency == 1:
            for _ in range(args.requests):
                await _one(app, path, headers)
        else:
            # As a server runs them: each request a task of its own, this many in flight at once.
            for _ in range(args.requests // args.concurrency):
                await asyncio.gather(*(_one(app, path, headers) for _ in range(args.concurrency)))
        if profiler is not None:
            profiler.disable()
            if args.dump:
                profiler.dump_stats(args.dump)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        threads_after = _thread_cpu()
        collections.stop()
    sys.stderr.write(
        f"{args.requests} requests: {cpu / args.requests * 1e6:.0f} µs CPU, "
        f"{wall / args.requests * 1e6:.0f} µs wall per request (load average {os.getloadavg()[0]:.1f})\n"
    )
    sys.stderr.write(f"  garbage collection: {collections.report(args.requests)}\n")
    for name, after in sorted(threads_after.items()):
        spent = after - threads_before.get(name, 0.0)
        if spent > 0:
            sys.stderr.write(f"  thread {name}: {spent / args.requests * 1e6:.0f} µs CPU per request\n")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue(), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="requests in flight at once, each a task (default: 1)"
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--no-tracing", action="store_true")
    parser.add_argument("--sampler-ratio", type=float, default=1.0, help="share of requests traced")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    parser.add_argument(
        "--span-exporter",
        choices=("otlp", "none"),
        default="otlp",
        help="none: batch the spans, then drop them instead of encoding and posting them",
    )
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="tottime", help="profile order")
    parser.add_argument("--dump", type=Path, help="also write cProfile's raw statistics to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shortlist-profile-") as tmp:
        data_dir = Path(tmp)
        env = base_env(data_dir, args.database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}")
        # Render workers are not used by this read; one keeps start-up short.
        env["SHORTLIST_RENDER_CONCURRENCY"] = "1"
        if args.redis_url:
            env["SHORTLIST_REDIS_URL"] = args.redis_url
        if not args.no_tracing:
            env["SHORTLIST_OTEL_EXPORTER_OTLP_ENDPOINT"] = start_otlp_sink()
            env["SHORTLIST_OTEL_SAMPLER_RATIO"] = str(args.sampler_ratio)
        subprocess.run([sys.executable, "-m", "shortlist.cli", "migrate"], env=env, cwd=ROOT, check=True)
        os.environ.clear()
        os.environ.update(env)
        # The access log goes where the bench's server sends it, nowhere; results are printed on stderr.
        sys.stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        asyncio.run(_run(args))


if __name__ == "__main__":
    main()
