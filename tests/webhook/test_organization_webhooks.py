"""An organisation's webhook endpoints: registered by an owner, an admin or the organisation's key; fed with that
organisation's recruiting events only, signed and delivered like a person's, with blind-safe payloads."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

import shortlist.webhook.tasks  # noqa: F401 - registers the subscriber, as the worker's task modules do
from shortlist.context import AppContext
from shortlist.event.dispatcher import dispatch_pending
from shortlist.event.outbox import DomainEvent
from shortlist.job.runtime import job_services
from shortlist.models import Organization, User, WebhookDelivery, WebhookEndpoint
from shortlist.organization.policy import OrgRole
from shortlist.webhook import events
from shortlist.webhook.runner import DeliveryRunner
from shortlist.webhook.service import seal_secret
from shortlist.webhook.signing import verify
from shortlist.webhook.tasks import deliver_event
from tests.application.helpers import apply_with_new_resume, open_job, resume_document
from tests.conftest import Register, assert_problem
from tests.organization.helpers import person, seed_team
from tests.organization.test_credentials import issue_key, key_headers

from .helpers import create_hook, run_until_settled
from .receiver import Receiver

NAME, EMAIL = "Zenobia Marchetti", "zenobia.m@example.org"


async def test_an_organisations_events_reach_its_endpoint_signed_and_blind_safe(
    client: httpx.AsyncClient,
    fast_client: httpx.AsyncClient,
    register: Register,
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    candidate = await person(client, register, EMAIL)
    team = await seed_team(fast_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    other = await seed_team(fast_context, {OrgRole.owner: await person(client, register)})
    hooks = f"/v1/organizations/{team.org_id}/webhooks"
    made = await fast_client.post(hooks, json={"url": receiver.url(hook_path)}, headers=owner.headers)
    assert made.status_code == 201, made.text
    hook = made.json()
    assert made.headers["Location"].endswith(f"{hooks}/{hook['id']}") and hook["secret"].startswith("whsec_")
    # Elsewhere: another organisation's endpoint and a member's own endpoint hear nothing of this one.
    other_path, personal_path = f"{hook_path}-other", f"{hook_path}-personal"
    elsewhere = await fast_client.post(
        f"/v1/organizations/{other.org_id}/webhooks",
        json={"url": receiver.url(other_path)},
        headers=other.headers(OrgRole.owner),
    )
    assert elsewhere.status_code == 201, elsewhere.text
    await create_hook(fast_client, recruiter.headers, receiver.url(personal_path))

    # A blind job: opened, applied to (by name and e-mail), moved, closed.
    job = await open_job(client, owner.headers, team.org_id, blind={"enabled": True})
    document = resume_document(NAME, EMAIL, strong=True)
    applied = await apply_with_new_resume(client, candidate.headers, job["id"], document)
    assert applied.status_code in (201, 202), applied.text
    application_id = applied.json()["id"]
    app_url = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{application_id}"
    moved = await client.post(f"{app_url}/move", json={"stage": "screening"}, headers=recruiter.headers)
    assert moved.status_code == 200, moved.text
    closed = await client.post(
        f"/v1/organizations/{team.org_id}/jobs/{job['id']}/close", headers=owner.headers
    )
    assert closed.status_code == 200, closed.text

    await dispatch_pending(job_services(fast_context))
    await dispatch_pending(job_services(fast_context))  # a second pass must not deliver twice
    await run_until_settled(DeliveryRunner(fast_context))

    received = receiver.at(hook_path)
    payloads = []
    for message in received:
        verify(message.headers, message.body, hook["secret"])
        payloads.append(json.loads(message.body))
        text = message.body.decode()
        assert NAME.split()[0] not in text and EMAIL not in text and "Marchetti" not in text
    assert sorted(p["type"] for p in payloads) == [
        "application.created",
        "application.stage_changed",
        "job.closed",
        "job.opened",
    ]
    for payload in payloads:
        assert payload["data"]["organization_id"] == str(team.org_id)
        assert set(payload["data"]) <= events.ORGANIZATION_PAYLOAD_FIELDS
    moved_payload = next(p for p in payloads if p["type"] == "application.stage_changed")
    assert moved_payload["data"] == {
        "organization_id": str(team.org_id),
        "job_id": job["id"],
        "application_id": application_id,
        "from_stage": "applied",
        "to_stage": "screening",
    }
    assert receiver.at(other_path) == [] and receiver.at(personal_path) == []

    # The delivery log is the organisation's.
    log = await client.get(f"{hooks}/{hook['id']}/deliveries", headers=owner.headers)
    assert {d["status"] for d in log.json()["items"]} == {"succeeded"} and len(log.json()["items"]) == 4
    assert_problem(
        await client.get(
            f"/v1/organizations/{other.org_id}/webhooks/{hook['id']}", headers=other.headers(OrgRole.owner)
        ),
        404,
        "webhook-not-found",
    )


async def test_payloads_keep_blind_safe_fields_only(fast_context: AppContext) -> None:
    """Whatever an event carries, an organisation's endpoint gets ids, the score and stage names only."""
    owner_id = uuid.uuid4()
    async with fast_context.database.writer() as session:
        session.add(
            User(id=owner_id, email=f"o-{owner_id.hex[:8]}@example.com", password_hash="x", role="user")
        )
        await session.flush()
        organization = Organization(name="Acme", slug=f"acme-{owner_id.hex[:8]}", owner_id=owner_id)
        session.add(organization)
        await session.flush()
        endpoint_id = uuid.uuid4()
        session.add(
            WebhookEndpoint(
                id=endpoint_id,
                organization_id=organization.id,
                url="https://hooks.example.com/x",
                event_types=["application.scored"],
                active=True,
                secret_sealed=seal_secret(fast_context.keys.webhooks, endpoint_id, "whsec_x"),
                consecutive_failures=0,
                version=1,
            )
        )
        await session.flush()
        event = DomainEvent(
            seq=1,
            id=uuid.uuid4(),
            name="application.scored",
            owner_id=None,
            resource_type="application",
            resource_id=uuid.uuid4(),
            data={
                "organization_id": str(organization.id),
                "job_id": str(uuid.uuid4()),
                "score": 87,
                "name": NAME,
                "email": EMAIL,
                "school": "Bocconi University",
            },
            occurred_at=datetime.now(UTC),
            request_id=None,
        )
        await deliver_event(session, event)
        await session.flush()
        [delivery] = (
            await session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id))
        ).all()
        payload, delivery_owner = delivery.payload, delivery.owner_id
        await session.rollback()
    data = json.loads(payload)["data"]
    assert data == {
        "organization_id": str(event.data["organization_id"]),
        "job_id": event.data["job_id"],
        "application_id": str(event.resource_id),
        "score": 87,
    }
    assert delivery_owner is None


async def test_managing_organisation_endpoints(
    client: httpx.AsyncClient,
    fast_client: httpx.AsyncClient,
    register: Register,
    fast_context: AppContext,
    receiver: Receiver,
    hook_path: str,
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    team = await seed_team(fast_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    hooks = f"/v1/organizations/{team.org_id}/webhooks"
    url = receiver.url(hook_path)

    # The organisation's key with webhooks:manage registers one; a recruiter may not.
    key = key_headers(await issue_key(fast_client, owner, team.org_id, ["webhooks:manage"]))
    made = await fast_client.post(hooks, json={"url": url, "event_types": ["job.opened"]}, headers=key)
    assert made.status_code == 201, made.text
    hook = made.json()
    refused = await fast_client.post(hooks, json={"url": url}, headers=recruiter.headers)
    assert_problem(refused, 403, "organization-operation-forbidden")
    # Only the organisation's event types; bad input stores nothing.
    for body in (
        {"url": url, "event_types": ["resume.created"]},
        {"url": url, "event_types": ["nope"]},
        {"url": "ftp://example.com/x"},
        {"url": url, "owner_id": str(owner.user_id)},
    ):
        assert_problem(await fast_client.post(hooks, json=body, headers=owner.headers), 422)
    listed = (await client.get(hooks, headers=owner.headers)).json()["items"]
    assert [h["id"] for h in listed] == [hook["id"]]
    # Not among anyone's personal endpoints.
    assert (await client.get("/v1/webhooks", headers=owner.headers)).json()["items"] == []

    one = f"{hooks}/{hook['id']}"
    read = await client.get(one, headers=owner.headers)
    assert read.status_code == 200
    stale = await fast_client.patch(
        one, json={"description": "x"}, headers={**owner.headers, "If-Match": '"w0"'}
    )
    assert_problem(stale, 412)
    patched = await fast_client.patch(
        one,
        json={"event_types": ["job.opened", "application.created"]},
        headers={**owner.headers, "If-Match": read.headers["ETag"]},
    )
    assert patched.status_code == 200 and patched.json()["event_types"] == [
        "application.created",
        "job.opened",
    ]
    bad = await fast_client.patch(one, json={"event_types": ["resume.deleted"]}, headers=owner.headers)
    assert_problem(bad, 422, "unknown-event-type")

    rotated = await fast_client.post(
        f"{one}/rotate-secret", params={"overlap_seconds": 0}, headers=owner.headers
    )
    assert rotated.status_code == 200 and rotated.json()["secret"] != hook["secret"]
    pinged = await fast_client.post(f"{one}/ping", headers=owner.headers)
    assert pinged.status_code == 202
    await run_until_settled(DeliveryRunner(fast_context))
    [message] = receiver.at(hook_path)
    verify(message.headers, message.body, rotated.json()["secret"])
    assert json.loads(message.body)["type"] == "webhook.ping"

    assert (await fast_client.delete(one, headers=owner.headers)).status_code == 204
    assert_problem(await client.get(one, headers=owner.headers), 404, "webhook-not-found")
