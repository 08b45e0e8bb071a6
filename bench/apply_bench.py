"""Apply with an upload → scored, through a real `shortlist serve` (embedded worker) over HTTP.

    .venv/bin/python bench/apply_bench.py [--applications 30] [--format pdf|txt]

Starts the service as a subprocess on a free loopback port with a fresh data directory, creates an
organisation and an open job over the API, renders one real resume PDF through the API, then applies as
a guest `--applications` times (one after another) and polls each application until the worker has scored
it. Prints the median, p90 and max of the time from the upload request to the score being readable.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

DESCRIPTION = (
    "## Requirements\n- 5+ years with Python and PostgreSQL\n- Docker\n\n## Nice to have\n- Kubernetes\n"
)
RESUME = {
    "basics": {"name": "Ada Quill", "label": "Senior Backend Engineer", "email": "ada@example.org"},
    "work": [
        {
            "name": "Acme Payments",
            "position": "Senior Backend Engineer",
            "startDate": "2016-01",
            "highlights": [
                "Built a payments backend in Python and PostgreSQL",
                "Moved 30 services to Docker",
            ],
        }
    ],
    "skills": [{"name": "Python"}, {"name": "PostgreSQL"}, {"name": "Docker"}],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=30)
    parser.add_argument("--format", choices=("pdf", "txt"), default="pdf")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="apply-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")}
    env.update(
        {
            "SHORTLIST_DATA_DIR": str(data_dir),
            "SHORTLIST_SECRET_KEY": secrets.token_hex(32),
            "SHORTLIST_LOG_LEVEL": "WARNING",
            "SHORTLIST_CAREERS_APPLY_LIMIT_PER_ADDRESS": "100000/hour",
            "SHORTLIST_RATE_LIMIT_USER": "100000/minute",
            "SHORTLIST_RATE_LIMIT_ANONYMOUS": "100000/minute",
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port), "--migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(300):
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            client.post(
                "/v1/auth/register", json={"email": "owner@example.org", "password": "bench passphrase 1"}
            )
            token = client.post(
                "/v1/auth/token", data={"username": "owner@example.org", "password": "bench passphrase 1"}
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            org = client.post(
                "/v1/organizations", json={"name": "Bench", "slug": "bench"}, headers=auth
            ).json()
            jobs = f"/v1/organizations/{org['id']}/jobs"
            job = client.post(
                jobs, json={"title": "Senior Backend Engineer", "description": DESCRIPTION}, headers=auth
            )
            job_id = job.json()["id"]
            client.post(f"{jobs}/{job_id}/open", headers=auth)
            if args.format == "pdf":
                resume = client.post(
                    "/v1/resumes", json={"title": "CV", "content": RESUME}, headers=auth
                ).json()
                body = client.get(
                    f"/v1/resumes/{resume['id']}/render", params={"format": "pdf"}, headers=auth
                ).content
                media = "application/pdf"
            else:
                body = b"Ada Quill\nSenior Backend Engineer\nPython, PostgreSQL, Docker since 2016\n"
                media = "text/plain"
            latencies = []
            for n in range(args.applications):
                started = time.perf_counter()
                sent = client.post(
                    "/v1/applications/upload",
                    data={"posting_id": job_id, "name": f"Guest {n}", "email": f"guest{n}@example.org"},
                    files={"file": (f"cv.{args.format}", body, media)},
                )
                assert sent.status_code == 202, sent.text
                url = f"{jobs}/{job_id}/applications/{sent.json()['id']}"
                while True:
                    application = client.get(url, headers=auth).json()
                    if application.get("scored_at") or application.get("status") == "failed":
                        break
                    time.sleep(0.01)
                assert application["status"] == "ready", application
                latencies.append((time.perf_counter() - started) * 1000)
            ordered = sorted(latencies)
            print(
                f"apply ({args.format}, {len(body)} bytes) → scored, {args.applications} in a row: "
                f"median {statistics.median(ordered):.0f} ms, p90 {ordered[int(0.9 * (len(ordered) - 1))]:.0f} ms, "
                f"max {ordered[-1]:.0f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
