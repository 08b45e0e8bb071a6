"""Helpers for recruiting tests: organisations seeded through the API or straight into the database."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import httpx

from shortlist.context import AppContext
from shortlist.models import Organization, OrganizationMember
from shortlist.organization.policy import OrgRole
from tests.conftest import Register


def mails_to(outbox: Path, address: str) -> list[str]:
    """Bodies of the mails sent to `address`, oldest first."""
    bodies = []
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = message_from_bytes(path.read_bytes())
        if message["To"] == address:
            payload = message.get_payload(decode=True)
            assert isinstance(payload, bytes)
            bodies.append(payload.decode())
    return bodies


def invitation_token(outbox: Path, address: str) -> str:
    bodies = mails_to(outbox, address)
    assert bodies, f"no mail to {address}"
    match = re.search(r"\bsli_[A-Za-z0-9]+\b", bodies[-1])
    assert match, bodies[-1]
    return match.group(0)


@dataclass
class Person:
    email: str
    headers: dict[str, str]
    user_id: uuid.UUID


async def person(client: httpx.AsyncClient, register: Register, email: str | None = None) -> Person:
    email = email or f"p-{uuid.uuid4().hex[:10]}@example.com"
    headers = await register(email)
    me = (await client.get("/v1/users/me", headers=headers)).json()
    return Person(email, headers, uuid.UUID(me["id"]))


@dataclass
class Team:
    """An organisation with one member per role (and their ids)."""

    org_id: uuid.UUID
    people: dict[OrgRole, Person]
    member_ids: dict[OrgRole, uuid.UUID] = field(default_factory=dict)

    def headers(self, role: OrgRole) -> dict[str, str]:
        return self.people[role].headers


async def seed_team(context: AppContext, people: dict[OrgRole, Person], slug: str | None = None) -> Team:
    """Write the organisation and its memberships directly: the flows that make them are tested elsewhere."""
    slug = slug or f"org-{uuid.uuid4().hex[:10]}"
    async with context.database.writer() as session:
        organization = Organization(name=f"Team {slug}", slug=slug, owner_id=people[OrgRole.owner].user_id)
        session.add(organization)
        await session.flush()
        members = {}
        for role, who in people.items():
            member = OrganizationMember(organization_id=organization.id, user_id=who.user_id, role=role)
            session.add(member)
            members[role] = member
        await session.flush()
        team = Team(organization.id, people, {role: m.id for role, m in members.items()})
        await session.commit()
    return team


async def create_org(client: httpx.AsyncClient, headers: dict[str, str], slug: str | None = None) -> str:
    slug = slug or f"org-{uuid.uuid4().hex[:10]}"
    response = await client.post("/v1/organizations", json={"name": "Acme", "slug": slug}, headers=headers)
    assert response.status_code == 201, response.text
    org_id: str = response.json()["id"]
    return org_id
