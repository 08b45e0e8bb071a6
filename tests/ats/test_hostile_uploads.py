"""Hostile uploads end to end, through the upload route, the queue and the sandboxed parse on the job runner:
each is refused with its problem type (at the request when the archive's directory or the bytes alone tell,
else by the job) and `/readyz` answers throughout. The full-size run with memory figures is
bench/bad_uploads.py; these are the same files, some smaller, so the run stays within seconds."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

import httpx
import pytest

from shortlist.job.embedded import JobRunner
from tests.ats import hostile
from tests.ats.builders import make_pdf
from tests.ats.test_endpoints import finished, upload
from tests.conftest import Register

# On the defaults only: the files' fate does not depend on the services, and on the real broker this module's
# job runners leave aio-pika close callbacks pending at the end of the session (reported as unraisable).
# Alone: readiness must answer within a second while each file is refused, which says nothing when another
# test's parse shares the cores.
pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("SHORTLIST_BROKER_URL")), reason="runs in the pass on the embedded defaults"
    ),
    pytest.mark.alone,
]

# (builder, filename, HTTP status of the upload, problem type of the refusal or of the failed job)
CASES: dict[str, tuple[Callable[[], bytes], str, int, str]] = {
    "docx zip bomb (256 MiB inflated)": (
        lambda: hostile.docx_zip_bomb(0.25),
        "cv.docx",
        422,
        "unsafe-archive",
    ),
    "docx with 50,000 entries": (lambda: hostile.docx_many_entries(50_000), "cv.docx", 422, "unsafe-archive"),
    # The end record says 3: the directory itself is listed (off the event loop) and refused.
    "docx with 50,000 entries, 3 declared": (
        lambda: hostile.docx_many_entries(50_000, declared=3),
        "cv.docx",
        422,
        "unsafe-archive",
    ),
    "billion laughs in document.xml": (hostile.docx_billion_laughs, "cv.docx", 202, "malformed-document"),
    "pdf with 2,000 pages": (lambda: hostile.pdf_many_pages(2_000), "cv.pdf", 202, "document-too-large"),
    "pdf with a 1 GiB deflate bomb": (lambda: hostile.pdf_deflate_bomb(1.0), "cv.pdf", 202, "parse-timeout"),
    "encrypted pdf": (hostile.pdf_encrypted, "cv.pdf", 202, "encrypted-document"),
    "random bytes claiming to be a pdf": (hostile.pdf_random_bytes, "cv.pdf", 202, "malformed-document"),
    "empty file": (hostile.empty_file, "cv.pdf", 422, "malformed-document"),
}


class Readiness:
    """Polls /readyz while a hostile file is handled; every answer must be a 200."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.answers: list[int] = []
        self.slowest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _poll(self) -> None:
        # `slowest` is the longest gap between two answers: a stalled event loop delays the next probe's
        # start as much as its answer.
        last = time.perf_counter()
        while True:
            self.answers.append((await self.client.get("/readyz")).status_code)
            now = time.perf_counter()
            self.slowest, last = max(self.slowest, now - last), now
            await asyncio.sleep(0.05)

    async def __aenter__(self) -> Readiness:
        self._task = asyncio.create_task(self._poll())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


@pytest.mark.parametrize("case", list(CASES))
async def test_hostile_upload_is_refused_with_its_problem_and_the_service_stays_ready(
    client: httpx.AsyncClient, register: Register, job_runner: JobRunner, case: str
) -> None:
    build, filename, status, problem = CASES[case]
    headers = await register()
    async with Readiness(client) as readiness:
        answer = await client.post("/v1/ats/report", files=upload(build(), filename), headers=headers)
        assert answer.status_code == status, answer.text
        if status == 202:
            job = await finished(client, headers, answer)
            assert job["status"] == "failed", job
            error = job["error"]
        else:
            error = answer.json()
            assert answer.headers["content-type"].startswith("application/problem+json")
        assert error["type"].endswith("/" + problem), error
        assert error["detail"]
        await asyncio.sleep(0.06)  # at least one probe even when the refusal was immediate
    assert readiness.answers and set(readiness.answers) == {200}, readiness.answers
    # The event loop was never held: probes on the same loop as the job runner kept coming.
    assert readiness.slowest < 1.0, readiness.slowest


async def test_a_binary_upload_that_happens_to_hold_percent_00_is_accepted(
    client: httpx.AsyncClient, register: Register, job_runner: JobRunner
) -> None:
    """`%00` inside a PDF's compressed stream is data, not a percent-encoded NUL (it is in about one in 16 MiB
    of random bytes, so real files hit it)."""
    headers = await register()
    pdf = make_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 12 >>\nstream\nq 1 0 0 1 %00\nendstream",
        ]
    )
    answer = await client.post("/v1/ats/parse", files=upload(pdf, "scan.pdf"), headers=headers)
    assert answer.status_code == 202, answer.text
    # A JSON-escaped NUL is still refused in an upload body (GraphQL's multipart operations decode it).
    refused = await client.post(
        "/v1/ats/parse", files=upload(b'%PDF-1.7 "\\u0000"', "x.pdf"), headers=headers
    )
    assert refused.status_code == 400
