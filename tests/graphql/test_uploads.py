"""Resume files over GraphQL's multipart request spec, over a real socket: the same checks and jobs as REST's upload routes,
with a real rendered PDF parsed by the real worker, and the CSRF guard on multipart bodies."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from functools import cache
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from shortlist.context import AppContext
from shortlist.http.middleware import MULTIPART_ALLOWANCE_BYTES
from shortlist.main import create_app
from shortlist.models import AtsUpload, Job
from shortlist.rendering import Design, OutputFormat, render
from shortlist.rendering.sample import sample_resume
from tests.conftest import Register
from tests.graphql.conftest import api_key
from tests.graphql.wsclient import graphql_socket, next_message, subscribe
from tests.job.live_server import served

# The upload mutations queue a job; the worker on the test's event loop takes it.
pytestmark = pytest.mark.usefixtures("job_runner")

UPLOAD_LIMIT = 256 * 1024
APP_ORIGIN = "https://app.example.com"

RESULT = """
    __typename
    ... on Job { id jobId kind status resourceId }
    ... on Problem { code httpStatus detail }
"""
PARSE = f"mutation Parse($file: Upload!) {{ parseResumeFile(file: $file) {{ {RESULT} }} }}"
REPORT = f"""mutation Report($file: Upload!, $job: String, $profile: String) {{
  reportResumeFile(file: $file, job: $job, profile: $profile) {{ {RESULT} }}
}}"""
IMPORT = f"mutation Import($file: Upload!) {{ importResumeFile(file: $file) {{ {RESULT} }} }}"
JOB_PROGRESS = "subscription($id: ID!) { jobProgress(id: $id) { status progress } }"
JOB = "query Job($id: ID!) { job(id: $id) { status result error } }"
POSTING = "Senior Backend Engineer\n\nRequirements\n- Python\n- PostgreSQL\n"


@cache
def resume_pdf() -> bytes:
    """The sample resume as the project's renderer makes it (rendered once per session)."""
    return render(sample_resume(), Design(template="classic"), OutputFormat.PDF).content


@pytest.fixture
async def client(app_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    """The full app on a loopback socket (uvicorn, in this event loop beside the worker), with a small
    upload limit so that "too large" costs little to send."""
    settings = app_context.settings.model_copy(
        update={"ats_upload_max_bytes": UPLOAD_LIMIT, "cors_origins": [APP_ORIGIN]}
    )
    context = dataclasses.replace(app_context, settings=settings)
    async with (
        served(create_app(context=context)) as address,
        httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client,
    ):
        yield client


async def send(
    client: httpx.AsyncClient,
    query: str,
    data: bytes,
    headers: dict[str, str],
    variables: dict[str, Any] | None = None,
    name: str = "resume.pdf",
) -> httpx.Response:
    """One operation as a multipart request: `operations` with null for the file, `map`, the file."""
    operations = {"query": query, "variables": {**(variables or {}), "file": None}}
    return await client.post(
        "/graphql",
        data={
            "operations": orjson.dumps(operations).decode(),
            "map": orjson.dumps({"0": ["variables.file"]}).decode(),
        },
        files={"0": (name, data, "application/octet-stream")},
        headers=headers,
    )


async def answer(response: httpx.Response, field: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][field]
    return result


async def finished(client: httpx.AsyncClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    """Follow the job with the `job` query until it is over."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = await client.post(
            "/graphql", json={"query": JOB, "variables": {"id": job_id}}, headers=headers
        )
        job: dict[str, Any] = response.json()["data"]["job"]
        if job["status"] in ("succeeded", "failed", "dead", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


async def stored_counts(app_context: AppContext) -> tuple[int, int]:
    async with app_context.database.reader() as session:
        uploads = await session.scalar(select(func.count()).select_from(AtsUpload))
        jobs = await session.scalar(select(func.count()).select_from(Job))
    return int(uploads or 0), int(jobs or 0)


async def test_a_rendered_pdf_is_parsed_reported_and_imported(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    pdf = resume_pdf()
    name = sample_resume()["basics"]["name"]

    parsed = await answer(await send(client, PARSE, pdf, alice), "parseResumeFile")
    assert parsed["__typename"] == "Job" and parsed["kind"] == "ats.parse_upload", parsed
    assert parsed["status"] == "queued" and parsed["resourceId"]
    job = await finished(client, alice, parsed["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["resume"]["basics"]["name"] == name

    reported = await answer(
        await send(client, REPORT, pdf, alice, {"job": POSTING, "profile": "python-backend"}),
        "reportResumeFile",
    )
    job = await finished(client, alice, reported["id"])
    assert job["status"] == "succeeded", job
    assert 0 <= job["result"]["score"] <= 100
    assert job["result"]["match"]["score"] >= 0 and job["result"]["profile"]["profile"] == "python-backend"

    imported = await answer(await send(client, IMPORT, pdf, alice), "importResumeFile")
    job = await finished(client, alice, imported["id"])
    assert job["status"] == "succeeded", job
    resume = await client.get(f"/v1/resumes/{job['result']['resume_id']}", headers=alice)
    assert resume.status_code == 200 and resume.json()["content"]["basics"]["name"] == name


async def test_bad_files_are_typed_problems_and_store_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    before = await stored_counts(app_context)

    too_large = await answer(await send(client, PARSE, b"a" * (UPLOAD_LIMIT + 1), alice), "parseResumeFile")
    assert too_large["__typename"] == "ValidationProblem"
    assert (too_large["code"], too_large["httpStatus"]) == ("payload-too-large", 413)
    assert str(UPLOAD_LIMIT) in too_large["detail"]

    # A body well past the limit is stopped while it streams in, before GraphQL runs: REST's 413 problem.
    guard = max(app_context.settings.max_body_bytes, UPLOAD_LIMIT + MULTIPART_ALLOWANCE_BYTES)
    far_too_large = await send(client, PARSE, b"a" * (guard + 1), alice)
    assert far_too_large.status_code == 413, far_too_large.text
    assert far_too_large.json()["detail"] == f"The file exceeds the upload limit of {UPLOAD_LIMIT} bytes."

    wrong_type = await answer(
        await send(client, IMPORT, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, alice, name="me.png"),
        "importResumeFile",
    )
    assert (wrong_type["code"], wrong_type["httpStatus"]) == ("unsupported-file-type", 415), wrong_type

    bad_archive = await answer(
        await send(client, REPORT, b"PK\x03\x04 not really a zip archive", alice, name="cv.docx"),
        "reportResumeFile",
    )
    assert bad_archive["httpStatus"] == 422 and bad_archive["code"] in (
        "malformed-document",
        "unsafe-archive",
    )

    unknown_profile = await answer(
        await send(client, REPORT, resume_pdf(), alice, {"profile": "astronaut"}), "reportResumeFile"
    )
    assert (unknown_profile["code"], unknown_profile["httpStatus"]) == ("unknown-profile", 422)

    assert await stored_counts(app_context) == before


async def test_scopes_are_those_of_rest(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    reader = await api_key(client, alice, "resumes:read")
    # Parsing needs resumes:read; importing creates a resume, so it needs resumes:write.
    parsed = await answer(await send(client, PARSE, resume_pdf(), reader), "parseResumeFile")
    assert parsed["__typename"] == "Job"
    # The job is the uploader's: another account's `job(id)` is null, as for any object not theirs.
    bob = await register()
    seen = await client.post("/graphql", json={"query": JOB, "variables": {"id": parsed["id"]}}, headers=bob)
    assert seen.json() == {"data": {"job": None}}
    refused = await send(client, IMPORT, resume_pdf(), reader)
    assert refused.status_code == 200
    body = refused.json()
    assert body["data"] is None or body["data"]["importResumeFile"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["forbidden"]
    assert "resumes:write" in body["errors"][0]["message"]


async def test_a_multipart_request_needs_a_header_no_simple_request_carries(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    before = await stored_counts(app_context)
    # What a form on another site could send: no Authorization, no preflight header.
    refused = await send(client, PARSE, resume_pdf(), {"Cookie": "session=x"})
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/preflight-header-required")
    # The header alone gets past the guard; the mutation then wants credentials as any other.
    anonymous = await send(client, PARSE, resume_pdf(), {"GraphQL-Preflight": "1"})
    assert [e["extensions"]["code"] for e in anonymous.json()["errors"]] == ["unauthorized"]
    assert await stored_counts(app_context) == before
    # A browser app of an allowed origin may send the header: the CORS preflight lets it through.
    asked = await client.options(
        "/graphql",
        headers={
            "Origin": APP_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "graphql-preflight",
        },
    )
    assert asked.status_code == 200 and asked.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "graphql-preflight" in asked.headers["access-control-allow-headers"].lower()


async def test_an_upload_job_is_followed_with_job_progress(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    imported = await answer(await send(client, IMPORT, resume_pdf(), alice), "importResumeFile")
    url = f"ws://{client.base_url.host}:{client.base_url.port}/graphql"
    async with graphql_socket(url, {"authorization": alice["Authorization"]}) as socket:
        await subscribe(socket, "job", JOB_PROGRESS, {"id": imported["id"]})
        statuses: list[str] = []
        while (message := await next_message(socket, 30))["type"] != "complete":
            statuses.append(message["payload"]["data"]["jobProgress"]["status"])
    assert statuses and statuses[-1] == "succeeded", statuses


async def test_malformed_multipart_requests_are_problems(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    no_map = await client.post(
        "/graphql",
        data={"operations": orjson.dumps({"query": PARSE, "variables": {"file": None}}).decode()},
        files={"0": ("cv.pdf", b"%PDF-1.7", "application/pdf")},
        headers=alice,
    )
    assert no_map.status_code == 400 and "`map`" in no_map.json()["detail"]
    elsewhere = await client.post(
        "/graphql",
        data={
            "operations": orjson.dumps({"query": PARSE, "variables": {"file": None}}).decode(),
            "map": orjson.dumps({"0": ["query"]}).decode(),
        },
        files={"0": ("cv.pdf", b"%PDF-1.7", "application/pdf")},
        headers=alice,
    )
    assert elsewhere.status_code == 400 and "variables" in elsewhere.json()["detail"]
    # A file variable sent as JSON is not a file.
    as_json = await client.post("/graphql", json={"query": PARSE, "variables": {"file": "x"}}, headers=alice)
    errors = as_json.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["bad-request"] and "multipart" in errors[0][
        "message"
    ]
