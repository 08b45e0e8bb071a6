"""Blind screening: below admin, nothing that identifies a candidate leaves the API before the shortlist."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from shortlist.context import AppContext
from shortlist.models import Event
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import person, seed_team

NAME, EMAIL, SCHOOL = "Zenobia Marchetti", "zenobia.m@example.org", "Bocconi University"
# Everything that would identify her: name parts, contact details, address, profile, school, study dates.
SECRETS = [
    "Zenobia",
    "Marchetti",
    "zenobia.m@example.org",
    "+49 30 1234 5678",
    "Hauptstrasse",
    "10115",
    "zenobiadev",
    "zenobia.example.org",
    "Bocconi",
    "2012-09",
    "2016-06",
]


async def test_nothing_identifying_leaks_below_admin_until_shortlisted(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    admin = await person(client, register)
    recruiter = await person(client, register)
    manager = await person(client, register)
    viewer = await person(client, register)
    team = await seed_team(
        app_context,
        {
            OrgRole.owner: owner,
            OrgRole.admin: admin,
            OrgRole.recruiter: recruiter,
            OrgRole.hiring_manager: manager,
            OrgRole.viewer: viewer,
        },
    )
    job = await open_job(
        client,
        owner.headers,
        team.org_id,
        blind={"enabled": True, "hide_schools": True},
        hiring_manager_ids=[str(manager.user_id)],
    )
    document = resume_document(NAME, EMAIL, strong=True, school=SCHOOL)
    # Her own words quote her name and address in a highlight that proves a skill (it reaches the explanation).
    document["work"][0]["highlights"].append(
        "Zenobia Marchetti wrote the Python ingestion service (zenobia.m@example.org, +49 30 1234 5678)"
    )
    [application_id] = await seed_applications(app_context, team.org_id, job["id"], [(NAME, EMAIL, document)])
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    app_url = f"{apps}/{application_id}"

    async def everything(headers: dict[str, str]) -> str:
        """Every response a reader can get about the application, as one text."""
        texts = []
        for url, params in (
            (apps, {}),
            (apps, {"stage": "applied"}),
            (apps, {"min_score": 0}),
            (app_url, {}),
        ):
            response = await client.get(url, params=params, headers=headers)
            assert response.status_code == 200, response.text
            texts.append(response.text)
        return "\n".join(texts)

    for reader in (recruiter, manager, viewer):
        seen = await everything(reader.headers)
        leaked = [s for s in SECRETS if s.lower() in seen.lower()]
        assert not leaked, (leaked, seen[:2000])
        detail = (await client.get(app_url, headers=reader.headers)).json()
        assert detail["blinded"] is True and detail["name"] is None and detail["email"] is None
        # What is needed to judge the work is still there.
        assert detail["resume"]["work"][0]["highlights"][0].startswith("Built a payments backend")
        assert any(m["skill"] == "Python" for m in detail["explanation"]["matched_required"])
        assert detail["resume"]["education"][0]["studyType"] == "Bachelor"
        assert_problem(await client.get(f"{app_url}/file", headers=reader.headers), 403)

    # Admins and the owner see who it is.
    for reader in (owner, admin):
        detail = (await client.get(app_url, headers=reader.headers)).json()
        assert detail["name"] == NAME and detail["blinded"] is False
        assert SCHOOL in json.dumps(detail["resume"])

    # Events carry ids only.
    async with app_context.database.reader() as session:
        events = (await session.scalars(select(Event))).all()
    assert not [s for s in SECRETS for e in events if s.lower() in json.dumps(e.data).lower()]

    # Once shortlisted, the team sees her.
    shortlisted = await client.patch(app_url, json={"shortlisted": True}, headers=recruiter.headers)
    assert shortlisted.status_code == 200
    detail = (await client.get(app_url, headers=viewer.headers)).json()
    assert detail["name"] == NAME and detail["email"] == EMAIL and detail["blinded"] is False


async def test_a_job_without_blind_screening_shows_identity(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    viewer = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.viewer: viewer})
    job = await open_job(client, owner.headers, team.org_id)
    document = resume_document(NAME, EMAIL, strong=True, school=SCHOOL)
    [application_id] = await seed_applications(app_context, team.org_id, job["id"], [(NAME, EMAIL, document)])
    detail = (
        await client.get(
            f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{application_id}",
            headers=viewer.headers,
        )
    ).json()
    assert detail["name"] == NAME and detail["resume"]["basics"]["email"] == EMAIL
