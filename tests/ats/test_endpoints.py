"""The ATS endpoints over HTTP, with real rendering and real (sandboxed) parsing on a real worker."""

from __future__ import annotations

import asyncio
import io
import tempfile
import time
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import typst

from shortlist.rendering import Design, OutputFormat, render
from shortlist.rendering.sample import sample_resume
from tests.ats.builders import make_png
from tests.conftest import Register, assert_problem

# Upload routes queue a job; these tests run the worker that takes it.
pytestmark = pytest.mark.usefixtures("job_runner")

JOB = """Senior Python Backend Engineer

Requirements
- 5+ years building web services in Python
- FastAPI or Django REST Framework
- PostgreSQL and Redis
- Kubernetes

Nice to have
- Kafka
- GraphQL
"""
UPLOAD_PATHS = ("/v1/ats/parse", "/v1/ats/report", "/v1/resumes/import-file")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@cache
def sample_file(fmt: OutputFormat) -> bytes:
    return render(sample_resume(), Design(template="classic"), fmt).content


@cache
def image_only_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "scan.png").write_bytes(make_png())
        Path(tmp, "doc.typ").write_text('#image("scan.png", width: 100%)\n')
        return bytes(typst.compile(str(Path(tmp, "doc.typ"))))


def stored_sample() -> dict[str, Any]:
    """The sample resume as the resumes API stores it (work locations are strings there)."""
    resume = sample_resume()
    for entry in resume["work"]:
        if isinstance(entry.get("location"), dict):
            entry["location"] = entry["location"]["city"]
    return resume


def rezip(base: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def upload(data: bytes, name: str = "resume.pdf", kind: str = "application/octet-stream") -> dict[str, Any]:
    return {"file": (name, data, kind)}


async def finished(client: httpx.AsyncClient, headers: dict[str, str], accepted: httpx.Response) -> Any:
    """Follow a 202 from an upload route to its job's end; return the finished job."""
    assert accepted.status_code == 202, accepted.text
    location = accepted.headers["location"]
    assert location.endswith(f"/v1/jobs/{accepted.json()['id']}")
    assert accepted.headers["link"] == f'<{location}/events>; rel="monitor"'
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = (await client.get(location, headers=headers)).json()
        if job["status"] in ("succeeded", "failed", "dead", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {location} did not finish: {job}")


async def result_of(client: httpx.AsyncClient, headers: dict[str, str], accepted: httpx.Response) -> Any:
    job = await finished(client, headers, accepted)
    assert job["status"] == "succeeded", job["error"]
    assert job["kind"] == "ats.parse_upload" and job["progress"] == 100
    return job["result"]


async def failure_of(client: httpx.AsyncClient, headers: dict[str, str], accepted: httpx.Response) -> Any:
    """The problem a failed upload job ended with (failed at once: retrying cannot fix a bad file)."""
    job = await finished(client, headers, accepted)
    assert job["status"] == "failed" and job["attempts"] == 1, job
    return job["error"]


async def make_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    created = await client.post(
        "/v1/resumes", json={"title": "Alex", "content": stored_sample()}, headers=headers
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def test_parse_pdf_docx_and_text(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    text = "Jane Roe\njane@example.com\n\nExperience\nEngineer at Acme\n- Cut build time by 40%\n"
    for data, file_type in (
        (sample_file(OutputFormat.PDF), "pdf"),
        (sample_file(OutputFormat.DOCX), "docx"),
        (text.encode(), "txt"),
    ):
        response = await client.post("/v1/ats/parse", files=upload(data), headers=alice)
        body = await result_of(client, alice, response)
        assert body["file_type"] == file_type
        basics = body["resume"]["basics"]
        if file_type == "txt":
            assert basics["email"] == "jane@example.com"
            continue
        assert basics["name"] == "Alex Morgan"
        assert basics["email"] == "alex.morgan@example.com"
        assert body["confidence"]["basics.email"] >= 0.9
        first = body["resume"]["work"][0]
        assert (first["position"], first["name"]) == ("Senior Software Engineer", "Northwind Logistics")
        assert body["layout"]["has_text_layer"] is True and body["text"]


async def test_parse_refuses_bad_uploads_with_problems(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    docx = sample_file(OutputFormat.DOCX)
    # Type, size and archive structure are judged in the request, before anything is stored or queued.
    cases = [
        (b"\x00\x01\x02garbage\xff\xfe" * 200, 415, "unsupported-file-type"),
        (make_png(), 415, "unsupported-file-type"),
        (b"", 422, "malformed-document"),
        (rezip(docx, {"word/media/bomb.bin": b"\x00" * 5_000_000}), 422, "unsafe-archive"),
        (rezip(docx, {"word/vbaProject.bin": b"\x00" * 64}), 415, "macro-enabled-document"),
        (b"PK\x03\x04" + b"\x00" * 100, 422, "malformed-document"),
    ]
    for data, status, slug in cases:
        for path in UPLOAD_PATHS:
            response = await client.post(path, files=upload(data), headers=alice)
            assert_problem(response, status, slug)
    assert (await client.get("/v1/jobs", headers=alice)).json()["items"] == []
    # A PDF is only opened by the worker: a broken one fails its job with the same problem type.
    broken = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> trailer"
    for path in UPLOAD_PATHS:
        error = await failure_of(client, alice, await client.post(path, files=upload(broken), headers=alice))
        assert error["status"] == 422 and error["type"].endswith("/malformed-document"), error
        assert error["detail"]
    # Nothing was stored by the refused imports.
    assert (await client.get("/v1/resumes", headers=alice)).json()["items"] == []


async def test_upload_size_limit_and_missing_file(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    cap = client._transport.app.state.context.settings.ats_upload_max_bytes  # type: ignore[attr-defined]
    documented = f"upload limit of {cap} bytes"
    too_big = b"a" * (cap + 1)  # within the multipart allowance: the endpoint measures the file
    refused = assert_problem(await client.post("/v1/ats/parse", files=upload(too_big), headers=alice), 413)
    assert documented in refused["detail"], refused
    far_too_big = b"a" * (cap + 1024 * 1024)  # past the allowance: the request guard stops the body
    refused = assert_problem(
        await client.post("/v1/ats/report", files=upload(far_too_big), headers=alice), 413
    )
    assert documented in refused["detail"], refused
    assert_problem(await client.post("/v1/ats/parse", data={"x": "y"}, headers=alice), 422)
    assert_problem(await client.post("/v1/ats/parse", json={"file": "x"}, headers=alice), 422)
    assert_problem(await client.post("/v1/ats/parse", files=upload(b"Jane")), 401)


async def test_image_only_pdf_is_reported_not_invented(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    parse = await client.post("/v1/ats/parse", files=upload(image_only_pdf()), headers=alice)
    parsed = await result_of(client, alice, parse)
    assert parsed["resume"] == {} and parsed["layout"]["has_text_layer"] is False
    report = await result_of(
        client, alice, await client.post("/v1/ats/report", files=upload(image_only_pdf()), headers=alice)
    )
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["text_layer"]["status"] == "fail"
    assert report["score"] < 50
    imported = await client.post("/v1/resumes/import-file", files=upload(image_only_pdf()), headers=alice)
    error = await failure_of(client, alice, imported)
    assert error["type"].endswith("/no-text-found") and error["status"] == 422
    assert (await client.get("/v1/resumes", headers=alice)).json()["items"] == []


async def test_report_with_job_and_profile(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    pdf = sample_file(OutputFormat.PDF)
    body = await result_of(
        client, alice, await client.post("/v1/ats/report", files=upload(pdf), headers=alice)
    )
    assert 0 <= body["score"] <= 100 and body["match"] is None and body["profile"] is None
    assert body["breakdown"] and body["bullets"] and body["file_type"] == "pdf"
    assert all(c["status"] in ("pass", "warn", "fail") for c in body["checks"])
    assert any(c["id"] == "extractor_agreement" and c["status"] == "pass" for c in body["checks"])

    full = await client.post(
        "/v1/ats/report",
        files=upload(pdf),
        data={"job": JOB, "profile": "python-backend"},
        headers=alice,
    )
    full_report = await result_of(client, alice, full)
    match = full_report["match"]
    assert 0 <= match["score"] <= 100 and match["parts"]
    assert "Redis" in match["missing_required"]
    assert full_report["profile"]["profile"] == "python-backend"

    as_json = await client.post(
        "/v1/ats/report",
        files=upload(pdf),
        data={"job": '{"title": "Backend Engineer", "skills": [{"name": "Python"}]}'},
        headers=alice,
    )
    assert (await result_of(client, alice, as_json))["match"]["job"]["title"] == "Backend Engineer"

    bad = await client.post("/v1/ats/report", files=upload(pdf), data={"profile": "astronaut"}, headers=alice)
    assert_problem(bad, 422, "unknown-profile")
    bad_json = await client.post("/v1/ats/report", files=upload(pdf), data={"job": "{oops"}, headers=alice)
    assert_problem(bad_json, 422, "unreadable-job")


async def test_resume_ats_report_renders_the_saved_design(
    client: httpx.AsyncClient, register: Register
) -> None:
    alice = await register()
    bob = await register()
    resume = await make_resume(client, alice)
    url = f"/v1/resumes/{resume['id']}/ats-report"
    response = await client.get(url, headers=alice)
    assert response.status_code == 200, response.text
    assert response.json()["file_type"] == "pdf" and response.json()["layout"]["has_text_layer"]
    assert response.json()["score"] >= 70
    # A saved two-column design is what gets checked; a query template overrides it.
    saved = await client.put(f"/v1/resumes/{resume['id']}/design", json={"template": "modern"}, headers=alice)
    assert saved.status_code == 200, saved.text
    designed = await client.get(url, headers=alice)
    assert designed.status_code == 200
    other = await client.get(url, params={"template": "classic"}, headers=alice)
    assert other.json() == response.json()
    assert_problem(await client.get(url, params={"template": "nope"}, headers=alice), 404)
    assert_problem(await client.get(url, headers=bob), 404)


async def test_match_stored_and_inline(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    bob = await register()
    resume = await make_resume(client, alice)
    stored = await client.post("/v1/ats/match", json={"resume_id": resume["id"], "job": JOB}, headers=alice)
    assert stored.status_code == 200, stored.text
    body = stored.json()
    assert 0 <= body["score"] <= 100 and body["suggestions"]
    assert {p["name"] for p in body["parts"]} and "Redis" in body["missing_required"]
    assert all(hit["evidence"] for hit in body["matched_required"])
    # Every requirement is explained: the posting's line, how it was met, and the resume's lines.
    explained = {c["requirement"]: c for c in body["requirements"]}
    assert explained["Redis"]["status"] == "missing" and explained["Redis"]["job_line"]
    assert any(c["status"] == "met" and c["evidence"] for c in body["requirements"])
    odd = {
        "basics": [],
        "work": "none",
        "skills": [1, {"keywords": "Python"}],
        "languages": [{"language": 3}],
    }
    malformed = await client.post("/v1/ats/match", json={"resume": odd, "job": JOB}, headers=alice)
    assert malformed.status_code == 200 and malformed.json()["missing_required"]
    inline = await client.post("/v1/ats/match", json={"resume": stored_sample(), "job": JOB}, headers=alice)
    assert inline.json()["score"] == body["score"]
    job_doc = {"title": "Data Engineer", "skills": [{"name": "Python"}, {"name": "Spark"}]}
    as_doc = await client.post(
        "/v1/ats/match", json={"resume": stored_sample(), "job": job_doc}, headers=alice
    )
    assert as_doc.status_code == 200 and as_doc.json()["job"]["title"] == "Data Engineer"

    for bad in (
        {"job": JOB},
        {"resume_id": resume["id"], "resume": {}, "job": JOB},
        {"resume": {}, "job": "   "},
        {"resume": {}, "job": "x" * 60_000},
        {"resume": {}, "job": JOB, "extra": 1},
    ):
        assert_problem(await client.post("/v1/ats/match", json=bad, headers=alice), 422)
    theft = await client.post("/v1/ats/match", json={"resume_id": resume["id"], "job": JOB}, headers=bob)
    assert_problem(theft, 404)


async def test_profiles(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    bob = await register()
    listed = await client.get("/v1/ats/profiles", headers=alice)
    assert listed.status_code == 200
    ids = [p["id"] for p in listed.json()]
    assert "python-backend" in ids and all(p["areas"] for p in listed.json())
    resume = await make_resume(client, alice)
    url = f"/v1/resumes/{resume['id']}/profiles/python-backend"
    scored = await client.get(url, headers=alice)
    assert scored.status_code == 200, scored.text
    assert scored.json()["profile"] == "python-backend" and scored.json()["areas"]
    assert any(area["found"] and area["found"][0]["evidence"] for area in scored.json()["areas"])
    unknown = await client.get(f"/v1/resumes/{resume['id']}/profiles/astronaut", headers=alice)
    assert_problem(unknown, 404, "profile-not-found")
    assert_problem(await client.get(url, headers=bob), 404)


async def test_import_file_creates_a_resume(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    bob = await register()
    for fmt, kind in ((OutputFormat.PDF, "application/pdf"), (OutputFormat.DOCX, DOCX_TYPE)):
        accepted = await client.post(
            "/v1/resumes/import-file", files=upload(sample_file(fmt), kind=kind), headers=alice
        )
        assert_problem(await client.get(accepted.headers["location"], headers=bob), 404)
        result = await result_of(client, alice, accepted)
        assert result["title"] == "Alex Morgan" and result["version"] == 1
        fetched = await client.get(f"/v1/resumes/{result['resume_id']}", headers=alice)
        assert fetched.status_code == 200 and fetched.json()["title"] == "Alex Morgan"
        assert fetched.json()["content"]["basics"]["email"] == "alex.morgan@example.com"
        assert_problem(await client.get(f"/v1/resumes/{result['resume_id']}", headers=bob), 404)
    assert len((await client.get("/v1/resumes", headers=alice)).json()["items"]) == 2


async def test_only_upload_paths_accept_binary_bodies(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    body = b'{"resume": {}, "job": "Python\x00"}'
    json_headers = {**alice, "Content-Type": "application/json"}
    assert_problem(await client.post("/v1/ats/match", content=body, headers=json_headers), 400)
    # The same bytes as an upload get past the guard to the engine, which judges them by content.
    response = await client.post("/v1/ats/parse", files=upload(body * 50), headers=alice)
    assert_problem(response, 415, "unsupported-file-type")
    # A PDF (which holds NUL bytes in its binary streams) is accepted on the upload path.
    pdf = sample_file(OutputFormat.PDF)
    assert b"\x00" in pdf
    assert (await client.post("/v1/ats/parse", files=upload(pdf), headers=alice)).status_code == 202
