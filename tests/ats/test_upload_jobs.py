"""The worker side of the upload routes: a retried import makes one resume, a lost upload fails clearly,
and stored files go once their job is over."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from shortlist.ats import repository
from shortlist.ats.tasks import parse_upload
from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.registry import JobFailed
from shortlist.job.scheduler import maintain_once
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.models import AtsUpload, Resume, User
from shortlist.platform.db import Database
from shortlist.rendering import OutputFormat
from tests.ats.test_endpoints import finished, sample_file, upload
from tests.conftest import Register, worker_services


@dataclass
class HandlerContext:
    """What the worker hands an async handler, on the real database."""

    app: AppContext
    owner_id: uuid.UUID | None
    resource_id: uuid.UUID | None
    job_id: uuid.UUID = field(default_factory=new_id)
    kind: str = repository.PARSE_KIND
    attempt: int = 1
    reported: list[int] = field(default_factory=list)

    @property
    def database(self) -> Database:
        return self.app.database

    @property
    def settings(self) -> Settings:
        return self.app.settings

    async def progress(self, percent: int) -> None:
        self.reported.append(percent)


async def stored_upload(
    app: AppContext, data: bytes, *, expired: bool = False
) -> tuple[uuid.UUID, uuid.UUID]:
    async with app.database.writer() as session:
        user = User(email=f"up-{uuid.uuid4().hex[:10]}@example.com", password_hash="x", role="user")
        session.add(user)
        await session.flush()
        row = repository.store(app.settings, session, user.id, data, "pdf", "cv.pdf")
        if expired:
            row.expires_at = utcnow() - timedelta(minutes=1)
        await session.commit()
        return user.id, row.id


async def resumes_of(app: AppContext, owner_id: uuid.UUID) -> int:
    async with app.database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(Resume).where(Resume.owner_id == owner_id)
        )
    return int(count or 0)


async def test_an_import_that_runs_again_keeps_one_resume(app_context: AppContext) -> None:
    owner, upload_id = await stored_upload(app_context, sample_file(OutputFormat.PDF))
    ctx = HandlerContext(app_context, owner, upload_id)
    first = await parse_upload(ctx, {"action": "import"})
    # The worker died before it recorded the result: the same job runs again.
    again = await parse_upload(ctx, {"action": "import"})
    assert first == again and first["resume_id"] == str(ctx.job_id)
    assert await resumes_of(app_context, owner) == 1
    assert ctx.reported == [10, 80]


async def test_a_lost_upload_fails_the_job_with_a_clear_problem(app_context: AppContext) -> None:
    owner, upload_id = await stored_upload(app_context, sample_file(OutputFormat.PDF))
    with pytest.raises(JobFailed) as caught:
        await parse_upload(HandlerContext(app_context, owner, new_id()), {"action": "parse"})
    assert caught.value.slug == "upload-expired" and caught.value.status == 410
    # Another owner's upload is as good as missing.
    with pytest.raises(JobFailed):
        await parse_upload(HandlerContext(app_context, new_id(), upload_id), {"action": "parse"})


async def test_uploads_go_once_their_job_ends_or_they_expire(
    app_context: AppContext, client: httpx.AsyncClient, register: Register, job_runner: object
) -> None:
    _, expired_id = await stored_upload(app_context, b"%PDF-1.7 never parsed", expired=True)
    _, waiting_id = await stored_upload(app_context, b"%PDF-1.7 still waiting")
    alice = await register()
    accepted = await client.post("/v1/ats/parse", files=upload(sample_file(OutputFormat.PDF)), headers=alice)
    job = await finished(client, alice, accepted)
    assert job["status"] == "succeeded" and job["resource_id"]

    async def present(upload_id: uuid.UUID | str) -> bool:
        async with app_context.database.reader() as session:
            return await session.get(AtsUpload, uuid.UUID(str(upload_id))) is not None

    assert await present(job["resource_id"])
    counts = await maintain_once(worker_services(app_context))
    assert counts["ats_uploads"] >= 1  # the runner's own first pass may have taken the expired one
    assert not await present(job["resource_id"]) and not await present(expired_id)
    assert await present(waiting_id)


def test_an_api_process_with_a_broker_knows_the_upload_job_kind(tmp_path: Path) -> None:
    """An API process that runs no worker (a broker is configured) must still be able to enqueue."""
    program = (
        "from shortlist.config import Settings\n"
        "from shortlist.main import create_app\n"
        "from shortlist.job.registry import get_kind\n"
        f"create_app(Settings(data_dir={str(tmp_path)!r}, broker_url='amqp://guest:guest@127.0.0.1:5672/'))\n"
        "assert get_kind('ats.parse_upload') is not None\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")}
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
