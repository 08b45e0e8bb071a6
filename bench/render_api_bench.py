"""Render endpoint benchmark: GET /v1/resumes/{id}/render through the whole ASGI app (auth, database,
cache, render worker processes), on a temporary SQLite database.

    .venv/bin/python bench/render_api_bench.py [--rounds 100] [--formats pdf,png,html,docx]

Per format: "miss" changes the resume before each request so every request renders; "hit" repeats one
request (served from the render cache); "304" sends the ETag back. Also printed: the longest pause of the
event loop seen while misses ran (Typst keeps the GIL while compiling: a render in this process would
pause the loop; in a worker process it does not).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from shortlist.config import Settings
from shortlist.main import build_context, close_context, create_app
from shortlist.platform.db import create_database
from shortlist.platform.migrate import upgrade_to_head
from shortlist.rendering.sample import sample_resume


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _timed(client: httpx.AsyncClient, url: str, headers: dict[str, str], status: int) -> float:
    started = time.perf_counter()
    response = await client.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == status, response.text
    return elapsed


async def _heartbeat(stop: asyncio.Event, pauses: list[float]) -> None:
    """Wake every millisecond; a longer gap means something held the event loop."""
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        pauses.append(now - last)
        last = now


async def run(rounds: int, formats: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment="test",
            data_dir=Path(tmp),
            secret_key=secrets.token_urlsafe(48),
            password_time_cost=1,
            password_memory_cost_kib=64,
            rate_limit_enabled=False,
            log_level="WARNING",
        )
        database = create_database(settings.resolved_database_url)
        await upgrade_to_head(database.engine)
        await database.dispose()
        context = await build_context(settings)
        app = create_app(context=context)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.post(
                "/v1/auth/register",
                json={"email": "bench@example.com", "password": "a long benchmark password"},
            )
            token = (
                await client.post(
                    "/v1/auth/token",
                    data={"username": "bench@example.com", "password": "a long benchmark password"},
                )
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            content: dict[str, Any] = sample_resume()
            for job in content.get("work", []):  # the API takes JSON Resume: work locations are strings
                if isinstance(job.get("location"), dict):
                    job["location"] = job["location"].get("city", "")
            created = await client.post(
                "/v1/resumes", json={"title": "Bench", "content": content}, headers=auth
            )
            assert created.status_code == 201, created.text
            resume_id = created.json()["id"]

            print(
                f"{'format':<8}{'miss p50':>10}{'miss p95':>10}{'hit p50':>10}{'hit p95':>10}{'304 p50':>10}"
                f"{'max loop pause':>16}"
            )
            for fmt in formats:
                url = f"/v1/resumes/{resume_id}/render?format={fmt}"
                misses: list[float] = []
                pauses: list[float] = []
                for i in range(rounds):
                    content["basics"]["summary"] = f"Round {fmt} {i}: backend engineer."
                    await client.put(
                        f"/v1/resumes/{resume_id}", json={"title": "Bench", "content": content}, headers=auth
                    )
                    stop = asyncio.Event()
                    beat = asyncio.create_task(_heartbeat(stop, pauses))
                    misses.append(await _timed(client, url, auth, 200))
                    stop.set()
                    await beat
                hits = [await _timed(client, url, auth, 200) for _ in range(rounds)]
                etag = (await client.get(url, headers=auth)).headers["etag"]
                not_modified = [
                    await _timed(client, url, {**auth, "If-None-Match": etag}, 304) for _ in range(rounds)
                ]
                print(
                    f"{fmt:<8}{_ms(misses, 0.5):>10.2f}{_ms(misses, 0.95):>10.2f}{_ms(hits, 0.5):>10.2f}"
                    f"{_ms(hits, 0.95):>10.2f}{_ms(not_modified, 0.5):>10.2f}{max(pauses) * 1000:>14.1f}ms"
                )
        await close_context(context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--formats", default="pdf,png,html,docx")
    args = parser.parse_args()
    asyncio.run(run(args.rounds, args.formats.split(",")))


if __name__ == "__main__":
    main()
