"""End to end: a resume change becomes an outbox event, the dispatcher turns it into a delivery, and the
receiver gets a signed, thin notification."""

from __future__ import annotations

import json

import httpx

import shortlist.webhook.tasks  # noqa: F401 - registers the subscriber, as the worker's task modules do
from shortlist.context import AppContext
from shortlist.event.dispatcher import dispatch_pending
from shortlist.job.runtime import job_services
from shortlist.webhook.runner import DeliveryRunner
from shortlist.webhook.signing import verify

from .helpers import create_hook, run_until_settled
from .receiver import Receiver


async def test_resume_changes_reach_the_webhook(
    fast_client: httpx.AsyncClient,
    auth: dict[str, str],
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    hook = await create_hook(
        fast_client, auth, receiver.url(hook_path), event_types=["resume.created", "resume.deleted"]
    )
    created = await fast_client.post(
        "/v1/resumes", json={"title": "Secret title", "content": {"basics": {"name": "Ada"}}}, headers=auth
    )
    resume_id = created.json()["id"]
    await fast_client.put(f"/v1/resumes/{resume_id}", json={"title": "t2", "content": {}}, headers=auth)
    await fast_client.delete(f"/v1/resumes/{resume_id}", headers=auth)

    await dispatch_pending(job_services(fast_context))
    await dispatch_pending(job_services(fast_context))  # a second pass must not deliver twice
    outcomes = await run_until_settled(DeliveryRunner(fast_context))
    assert all(o.result == "succeeded" for o in outcomes), outcomes
    # Another delivery loop in this process may have sent some of them: the endpoint's log is the record.
    log = (await fast_client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth)).json()["items"]
    assert sorted((d["event_type"], d["status"]) for d in log) == [
        ("resume.created", "succeeded"),
        ("resume.deleted", "succeeded"),
    ]

    received = receiver.at(hook_path)
    types = []
    for message in received:
        verify(message.headers, message.body, hook["secret"])
        payload = json.loads(message.body)
        types.append(payload["type"])
        assert payload["data"]["resume_id"] == resume_id
        # Thin payloads: ids, never resume contents.
        assert "Ada" not in message.body.decode() and "Secret title" not in message.body.decode()
    assert sorted(types) == ["resume.created", "resume.deleted"]  # resume.updated was not subscribed
