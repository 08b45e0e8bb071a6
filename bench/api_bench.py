"""HTTP benchmark: an authenticated ``GET /v1/resumes/{id}`` through the whole stack, beside three baselines.

    .venv/bin/python bench/api_bench.py [--duration 10] [--connections 64] [--redis-url redis://...]
                                        [--database-url postgresql+asyncpg://...] [--no-tracing]
                                        [--sampler-ratio 1.0] [--rounds 1] [--profile]

Each server runs alone as one uvicorn process (uvloop + httptools) on 127.0.0.1 and is loaded by ``wrk``
(Debian package ``wrk``) for a fixed duration; the scenarios run one after another in the same run, so the
figures can be compared side by side (this machine's speed drifts between runs; ``--rounds 3`` runs them all
three times and prints medians, with each round's own ratios). Printed per scenario:
requests/s, p50 and p99 latency (wrk), server CPU time per request (utime+stime from /proc before and after
the load, of the server process and its children, whose part "children" shows: work moved out of the
server's interpreter still counts), and the server's resident memory at rest and at its peak under load. One process is CPU-bound
under this load, so CPU time per request is the steadier measure of cost on a shared machine: the ratios
are printed from both.

Our API runs as deployed beside a worker: rate limiting, JWT auth with scopes, the access log at INFO (to
/dev/null), Prometheus metrics and OpenTelemetry tracing (every request sampled, exported over OTLP/HTTP to
a sink in this script; ``--sampler-ratio 0.1`` records one new trace in ten, as deploy/compose.yaml and
deploy/k8s do) are all on; the embedded job and webhook loops are off (the worker runs those).

Scenarios:
- ``shortlist cached``: our API, full middleware stack, resume and account caches on.
- ``cached, API key``: the same read with a personal API key (``X-API-Key``) instead of a bearer token.
- ``shortlist uncached``: the same with both caches off (``*_CACHE_TTL_SECONDS=0``).
- ``shortlist cached (redis)``, ``cached, API key (redis)``: caches and rate-limit counters in Redis (only
  with ``--redis-url``); ``cached (redis, no near)``: the same without the near tier
  (``SHORTLIST_CACHE_NEAR_TTL_SECONDS=0``).
- ``naive ORM``: bench/naive_app.py, FastAPI + SQLAlchemy ORM read by primary key, no auth, no middleware.
- ``no I/O, same document``: bench/naive_app.py, a FastAPI endpoint returning the very document our read
  returns (the same resume, through a Pydantic response model) from memory. The goals are against this one.
- ``no I/O, 10 fields``: bench/naive_app.py, a FastAPI endpoint returning a 10-field model: a smaller
  payload than ours, so a stricter ceiling; its ratio is printed too.

``--profile`` samples the first scenario with py-spy (``pip install py-spy``; it needs ptrace) while it
runs and prints where its time goes, by part of the stack. py-spy samples running threads by wall clock: on a
loaded machine a server waiting for a core is counted in the frame where it was preempted, typically
uvicorn's socket write, so that part reads high. bench/api_profile.py measures the stack's CPU time without
uvicorn; the difference to this script's CPU per request is what uvicorn and the socket cost.
"""

from __future__ import annotations

import argparse
import collections
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

RESUME = {
    "title": "Staff engineer",
    "content": {
        "basics": {
            "name": "Grace Hopper",
            "label": "Staff engineer",
            "email": "grace@example.org",
            "summary": "Builds compilers and the teams that ship them. " * 4,
            "location": {"city": "Arlington", "countryCode": "US"},
            "profiles": [{"network": "GitHub", "username": "grace", "url": "https://github.com/grace"}],
        },
        "work": [
            {
                "name": f"Company {i}",
                "position": "Engineer",
                "startDate": f"20{10 + i}-01",
                "highlights": [f"Shipped project {i}.{j} on time and under budget" for j in range(4)],
            }
            for i in range(6)
        ],
        "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Redis", "Kubernetes"]}],
        "education": [{"institution": "Yale", "area": "Mathematics", "studyType": "PhD"}],
    },
}


@dataclass
class Result:
    name: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float  # the server process and its children
    children_us_per_request: float  # the children's part (render workers, idle during these reads)
    rss_rest_mb: float
    rss_peak_mb: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    resident_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return resident_pages * PAGE_SIZE / 1_048_576


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def start_server(
    app: str, port: int, env: dict[str, str], *, factory: bool = True
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning", "--app-dir", str(ROOT / "bench")]
    # As `shortlist serve` runs uvicorn: forwarded headers are the app's business (SHORTLIST_TRUSTED_PROXIES).
    command.append("--no-proxy-headers")
    if factory:
        command.append("--factory")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(
    url: str, headers: dict[str, str], duration: int, connections: int
) -> tuple[int, float, dict[str, float], int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {q: float(v) * _UNIT[u] for q, v, u in _LATENCY.findall(output)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return requests, rps, latency, int(bad.group(1)) if bad else 0


def measure(
    name: str,
    process: subprocess.Popen[bytes],
    url: str,
    headers: dict[str, str],
    args: argparse.Namespace,
    profile_to: Path | None = None,
) -> Result:
    # Warm up (connections, caches, lazily built route tables) and settle before the "at rest" reading.
    run_wrk(url, headers, 2, args.connections)
    time.sleep(1.0)
    rest = rss_mb(process.pid)
    peak = rest
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, rss_mb(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    spy: subprocess.Popen[bytes] | None = None
    if profile_to is not None:
        record = ["py-spy", "record", "-p", str(process.pid), "-d", str(args.duration), "-r", "250"]
        spy = subprocess.Popen(
            [*record, "-f", "raw", "-o", str(profile_to), "--nonblocking", "--full-filenames"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    cpu_before, children_before = cpu_seconds(process.pid), children_cpu_seconds(process.pid)
    try:
        requests, rps, latency, bad = run_wrk(url, headers, args.duration, args.connections)
    finally:
        sampling = False
        sampler.join()
        if spy is not None:
            spy.wait()
    children = children_cpu_seconds(process.pid) - children_before
    cpu = cpu_seconds(process.pid) - cpu_before + children
    return Result(
        name,
        requests,
        rps,
        latency.get("50", float("nan")),
        latency.get("99", float("nan")),
        cpu / max(requests, 1) * 1e6,
        children / max(requests, 1) * 1e6,
        rest,
        peak,
        bad,
    )


def median_result(runs: tuple[Result, ...]) -> Result:
    """One scenario over the rounds: the median of each figure (memory: the largest)."""

    def middle(values: list[float]) -> float:
        return statistics.median(values)

    return Result(
        runs[0].name,
        int(middle([r.requests for r in runs])),
        middle([r.rps for r in runs]),
        middle([r.p50_ms for r in runs]),
        middle([r.p99_ms for r in runs]),
        middle([r.cpu_us_per_request for r in runs]),
        middle([r.children_us_per_request for r in runs]),
        max(r.rss_rest_mb for r in runs),
        max(r.rss_peak_mb for r in runs),
        sum(r.non_2xx for r in runs),
    )


def prepare(base_url: str) -> tuple[dict[str, str], dict[str, str], str, str]:
    """An account, a bearer token, a personal API key, a resume to read and its document as served."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        email = f"bench-{os.getpid()}-{time.monotonic_ns()}@example.org"
        password = "correct horse battery staple"
        client.post("/v1/auth/register", json={"email": email, "password": password}).raise_for_status()
        token = client.post("/v1/auth/token", data={"username": email, "password": password})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = client.post("/v1/resumes", json=RESUME, headers=headers)
        created.raise_for_status()
        resume_id: str = created.json()["id"]
        check = client.get(f"/v1/resumes/{resume_id}", headers=headers)
        check.raise_for_status()
        key = client.post("/v1/api-keys", json={"name": "bench", "scopes": ["resumes:read"]}, headers=headers)
        key.raise_for_status()
        return headers, {"X-API-Key": key.json()["key"]}, resume_id, check.text


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHORTLIST_")}
    env.update(
        {
            "SHORTLIST_ENVIRONMENT": "development",
            "SHORTLIST_DATA_DIR": str(data_dir),
            "SHORTLIST_DATABASE_URL": database_url,
            "SHORTLIST_SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SHORTLIST_RATE_LIMIT_USER": "100000000/minute",
            "SHORTLIST_RATE_LIMIT_ANONYMOUS": "100000000/minute",
            "SHORTLIST_RATE_LIMIT_API_KEY": "100000000/minute",
            "SHORTLIST_LOG_LEVEL": "INFO",
            "SHORTLIST_PASSWORD_TIME_COST": "1",
            "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "1024",
            # The API role as deployed beside a worker: the worker runs jobs and webhook deliveries.
            "SHORTLIST_EMBEDDED_JOBS": "false",
            "SHORTLIST_WEBHOOK_DELIVERY_EMBEDDED": "false",
        }
    )
    return env


class _OtlpSink(http.server.BaseHTTPRequestHandler):
    """Accepts OTLP/HTTP exports and drops them (an empty protobuf answer is a valid response)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def start_otlp_sink() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtlpSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def children_cpu_seconds(pid: int) -> float:
    """CPU time of the server's child processes (render workers) still running."""
    total = 0.0
    for child in _descendants(pid):
        try:
            total += cpu_seconds(child)
        except OSError:
            continue  # gone since it was listed
    return total


def wait_children_idle(pid: int, timeout: float = 120.0) -> None:
    """Wait until the server's child processes (render workers warming up) stop using the CPU."""
    deadline = time.monotonic() + timeout
    last = -1.0
    while time.monotonic() < deadline:
        total = children_cpu_seconds(pid)
        if 0 <= total - last < 0.05:
            return
        last = total
        time.sleep(1.0)


# Where a sample's time goes: the first frame, from the innermost out, that one of these claims.
_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("tracing (OpenTelemetry)", ("opentelemetry/",)),
    ("metrics (Prometheus)", ("prometheus_client/",)),
    ("access log (structlog)", ("structlog/",)),
    ("auth: token + account state", ("shortlist/auth/", "jwt/", "cryptography/")),
    ("rate limit", ("shortlist/http/ratelimit.py", "shortlist/platform/ratelimit.py", "limits/")),
    ("cache (memory/Redis)", ("shortlist/platform/cache.py", "redis/", "shortlist/resume/cache.py")),
    ("database (ORM, driver)", ("sqlalchemy/", "aiosqlite/", "asyncpg/")),
    ("handler", ("shortlist/resume/", "pydantic/")),
    ("FastAPI dependency resolution", ("fastapi/dependencies/",)),
    ("our route class", ("shortlist/http/route.py",)),
    ("routing (FastAPI/Starlette)", ("fastapi/routing.py", "starlette/routing.py")),
    ("our middleware", ("shortlist/http/middleware.py",)),
    ("framework middleware", ("starlette/", "fastapi/")),
    ("uvicorn (HTTP parsing, send)", ("uvicorn/", "httptools")),
]


def profile_breakdown(raw: Path) -> list[tuple[str, float]]:
    """py-spy's raw (collapsed) samples → share of samples per part of the stack."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        samples = int(number)
        total += samples
        part = "event loop, other"
        for frame in reversed(stack.split(";")):
            where = frame.partition(" (")[2]
            match = next((name for name, marks in _PARTS if any(m in where for m in marks)), None)
            if match is not None:
                part = match
                break
        counts[part] += samples
    return [(name, 100 * n / max(total, 1)) for name, n in counts.most_common()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per scenario")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--rounds", type=int, default=1, help="run every scenario this many times; print the medians"
    )
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default="", help="also run the cached scenario on Redis")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--no-tracing", action="store_true", help="leave OpenTelemetry tracing off")
    parser.add_argument(
        "--sampler-ratio", type=float, default=1.0, help="share of requests traced (deployments use 0.1)"
    )
    parser.add_argument("--profile", action="store_true", help="where the first scenario's time goes")
    parser.add_argument("--profile-raw", type=Path, help="also keep py-spy's raw samples in this file")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-") as tmp:
        data_dir = Path(tmp)
        database_url = args.database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}"
        env = base_env(data_dir, database_url)
        if not args.no_tracing:
            env["SHORTLIST_OTEL_EXPORTER_OTLP_ENDPOINT"] = start_otlp_sink()
            env["SHORTLIST_OTEL_SAMPLER_RATIO"] = str(args.sampler_ratio)
        if args.profile and shutil.which("py-spy") is None:
            sys.exit("--profile needs py-spy on PATH: pip install py-spy")
        subprocess.run([sys.executable, "-m", "shortlist.cli", "migrate"], env=env, cwd=ROOT, check=True)

        # (name, settings, credential: a session's bearer token or a personal API key)
        scenarios: list[tuple[str, dict[str, str], str]] = [
            ("shortlist cached (memory)", {}, "token"),
            ("cached, API key (memory)", {}, "api_key"),
            (
                "shortlist uncached",
                {"SHORTLIST_RESUME_CACHE_TTL_SECONDS": "0", "SHORTLIST_AUTH_CACHE_TTL_SECONDS": "0"},
                "token",
            ),
        ]
        if args.redis_url:
            # First: the one the goals are about when Redis is given (caches and counters shared by replicas).
            redis = {"SHORTLIST_REDIS_URL": args.redis_url}
            scenarios.insert(0, ("shortlist cached (redis)", redis, "token"))
            scenarios.insert(1, ("cached, API key (redis)", redis, "api_key"))
            # Without the near tier: every read asks Redis for the account state and the resume entry.
            scenarios.insert(
                2, ("cached (redis, no near)", {**redis, "SHORTLIST_CACHE_NEAR_TTL_SECONDS": "0"}, "token")
            )

        rounds: list[list[Result]] = []
        breakdown: list[tuple[str, float]] = []
        prepared: tuple[dict[str, str], dict[str, str], str, str] | None = None
        for round_index in range(args.rounds):
            # Every scenario once per round, in the same order: a drift of the machine's speed moves all of
            # a round alike, and the median over rounds drops the round it spoiled.
            results: list[Result] = []
            for name, extra, credential in scenarios:
                port = free_port()
                process = start_server("shortlist.main:create_app", port, {**env, **extra})
                try:
                    wait_ready(f"http://127.0.0.1:{port}/livez", process)
                    wait_children_idle(process.pid)
                    if prepared is None:
                        prepared = prepare(f"http://127.0.0.1:{port}")
                    token_headers, key_headers, resume_id, _ = prepared
                    headers = key_headers if credential == "api_key" else token_headers
                    url = f"http://127.0.0.1:{port}/v1/resumes/{resume_id}"
                    first = args.profile and round_index == 0 and not results
                    profile_to = data_dir / "profile.txt" if first else None
                    results.append(measure(name, process, url, headers, args, profile_to))
                    if profile_to is not None and profile_to.exists():
                        breakdown = profile_breakdown(profile_to)
                        if args.profile_raw:
                            shutil.copyfile(profile_to, args.profile_raw)
                finally:
                    stop(process)
            assert prepared is not None
            _, _, resume_id, document = prepared
            baselines = (
                ("naive ORM (no auth)", f"/resumes/{resume_id}"),
                ("no I/O, same document", "/noio/resume"),
                ("no I/O, 10 fields", "/noio"),
            )
            for name, path in baselines:
                port = free_port()
                process = start_server("naive_app:create_app", port, {**env, "BENCH_NOIO_DOCUMENT": document})
                try:
                    wait_ready(f"http://127.0.0.1:{port}{path}", process)
                    results.append(measure(name, process, f"http://127.0.0.1:{port}{path}", {}, args))
                finally:
                    stop(process)
            rounds.append(results)
        results = [median_result(same) for same in zip(*rounds, strict=True)]

    backend = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
    if args.redis_url:
        backend += " + Redis"
    if args.no_tracing:
        tracing = "off"
    elif args.sampler_ratio >= 1.0:
        tracing = "on (all requests sampled)"
    else:
        tracing = f"on (sampler ratio {args.sampler_ratio:g})"
    print(
        f"\nGET one resume, wrk -t2 -c{args.connections} -d{args.duration}s, one uvicorn process, {backend}, "
        f"tracing {tracing}" + (f", median of {args.rounds} rounds" if args.rounds > 1 else "")
    )
    # Other processes on the machine take CPU from the server and from wrk: say how busy it was.
    load_after = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average (1/5/15 min) {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f} at start, {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f} at end\n"
    )
    header = f"{'scenario':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>11} {'children':>9} {'RSS rest':>9} {'RSS load':>9} {'non-2xx':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:28} {r.rps:9.0f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} {r.cpu_us_per_request:11.0f} "
            f"{r.children_us_per_request:9.0f} {r.rss_rest_mb:8.1f}M {r.rss_peak_mb:8.1f}M {r.non_2xx:8d}"
        )
    naive = next(r for r in results if r.name.startswith("naive"))
    ceiling = next(r for r in results if r.name == "no I/O, same document")
    smaller = next(r for r in results if r.name == "no I/O, 10 fields")
    full = results[0]
    print(f"\n{full.name} against the baselines   by req/s   by CPU per request   goal")
    print(
        f"  / naive ORM read                {full.rps / naive.rps:8.2f}x "
        f"{naive.cpu_us_per_request / full.cpu_us_per_request:18.2f}x   >= 3x"
    )
    print(
        f"  / no-I/O ceiling                {full.rps / ceiling.rps:8.2f}  "
        f"{ceiling.cpu_us_per_request / full.cpu_us_per_request:18.2f}    >= 0.5"
    )
    print(
        f"  (/ no-I/O, 10 fields            {full.rps / smaller.rps:8.2f}  "
        f"{smaller.cpu_us_per_request / full.cpu_us_per_request:18.2f})"
    )
    if len(rounds) > 1:
        index = {r.name: i for i, r in enumerate(rounds[0])}

        def by_cpu(run: list[Result], name: str) -> float:
            return run[index[name]].cpu_us_per_request / run[0].cpu_us_per_request

        print("  each round, by CPU per request:")
        for label, name in (("naive ORM", naive.name), ("no-I/O", ceiling.name), ("10 fields", smaller.name)):
            print(f"    / {label:12} " + "  ".join(f"{by_cpu(run, name):.2f}" for run in rounds))
    if breakdown:
        print(f"\nwhere {full.name}'s time goes (py-spy wall-clock samples of the server process):")
        for part, share in breakdown:
            print(f"  {part:34} {share:5.1f}%")
    if args.json:
        print(json.dumps([r.__dict__ for r in results], indent=2))


if __name__ == "__main__":
    main()
