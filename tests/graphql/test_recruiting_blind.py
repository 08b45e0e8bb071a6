"""Blind screening through GraphQL: below admin, no field of any response names the candidate before the
shortlist — the ranked list, search, node(id:), every relation (explanation, moves, notes, scorecards,
timeline, resume) — and the candidate's own view of their applications."""

from __future__ import annotations

import json

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.application.helpers import resume_document
from tests.conftest import Register
from tests.graphql.helpers import gql
from tests.graphql.recruiting import hiring

NAME, EMAIL, SCHOOL = "Zenobia Marchetti", "zenobia.m@example.org", "Bocconi University"
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

EVERY_FIELD = """
fragment Everything on Application {
  id applicationId jobPostingId name email blinded source status shortlisted score overrideScore rankScore
  years rejectionReason snippet version etag createdAt scoredAt tags
  stage { id name }
  explanation {
    matchedRequired { skill evidence } missingRequired matchedPreferred { skill evidence } missingPreferred
    years yearsAsked seniority parts { id name points weight } error { type detail }
  }
  rating { average count mine }
  moves { actorId fromStage toStage reason createdAt }
  notes { noteId authorId body mentions createdAt }
  scorecards { userId stage summary criteria { criterion score } updatedAt }
  timeline { at kind actorId summary }
  resume {
    basics { name label email phone url summary image location { address postalCode city countryCode region }
             profiles { network username url } }
    work { name position startDate endDate summary highlights }
    education { institution area studyType startDate endDate }
    skills { name keywords }
    references { name reference }
  }
}
query Everything($org: UUID!, $job: UUID!, $id: ID!, $q: String) {
  organization(organizationId: $org) {
    job(jobPostingId: $job) {
      all: applications(first: 2) { nodes { ...Everything } }
      found: applications(first: 2, query: $q) { nodes { ...Everything } }
    }
  }
  node(id: $id) { ...Everything }
}
"""


async def test_nothing_identifying_leaks_below_admin_until_shortlisted(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    document = resume_document(NAME, EMAIL, strong=True, school=SCHOOL)
    document["work"][0]["highlights"].append(
        "Zenobia Marchetti wrote the Python ingestion service (zenobia.m@example.org, +49 30 1234 5678)"
    )
    document["references"] = [{"name": "Prof. Rossi", "reference": "Zenobia is excellent"}]
    h = await hiring(
        client,
        register,
        app_context,
        people=[(NAME, EMAIL, document)],
        blind={"enabled": True, "hide_schools": True},
        scorecard_criteria=["Design"],
    )
    owner = h.team.headers(OrgRole.owner)
    grace = h.app_gid(0)
    apps = f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{h.application_ids[0]}"
    # The owner writes her name into every free-text relation: a move's reason, a note, a scorecard.
    written = await gql(
        client,
        "mutation($id: ID!) { "
        'm: moveApplication(id: $id, stage: "screening", reason: "Zenobia Marchetti is strong") { __typename } '
        'n: addApplicationNote(id: $id, body: "Called Zenobia on +49 30 1234 5678") { __typename } }',
        {"id": grace},
        owner,
    )
    assert written["data"] == {"m": {"__typename": "Application"}, "n": {"__typename": "Note"}}
    card = await client.put(
        f"{apps}/scorecards/screening",
        json={
            "criteria": {"Design": 4},
            "summary": "Zenobia Marchetti explained her Bocconi University work",
        },
        headers=owner,
    )
    assert card.status_code == 200, card.text

    async def everything(headers: dict[str, str], q: str) -> dict[str, object]:
        result = await gql(
            client,
            EVERY_FIELD,
            {"org": str(h.org_id), "job": h.job["id"], "id": grace, "q": q},
            headers,
        )
        assert "errors" not in result, result
        return result

    for role in (OrgRole.recruiter, OrgRole.hiring_manager, OrgRole.viewer):
        by_skill = await everything(h.team.headers(role), "Python")
        by_name = await everything(h.team.headers(role), "Marchetti")
        text = json.dumps([by_skill, by_name])
        leaked = [secret for secret in SECRETS if secret.lower() in text.lower()]
        assert not leaked, (
            role,
            leaked,
            [
                text[max(0, text.lower().find(s.lower()) - 200) : text.lower().find(s.lower()) + 50]
                for s in leaked
            ],
        )
        job = by_skill["data"]["organization"]["job"]  # type: ignore[index]
        seen = job["all"]["nodes"][0]
        assert seen["blinded"] is True and seen["name"] is None and seen["email"] is None
        # Still useful: the score, the evidence (scrubbed), the notes and moves are there.
        assert seen["score"] >= 80 and seen["explanation"]["matchedRequired"]
        assert "[hidden]" in json.dumps(seen["notes"]) and "[hidden]" in json.dumps(seen["moves"])
        assert seen["resume"]["basics"]["location"] == {
            "address": None,
            "postalCode": None,
            "city": None,
            "countryCode": "DE",
            "region": None,
        }
        assert len(job["found"]["nodes"]) == 1  # a skill finds her
        assert by_name["data"]["organization"]["job"]["found"]["nodes"] == []  # type: ignore[index]

    # An admin sees who she is; once shortlisted, so does everyone.
    admin_view = await everything(h.team.headers(OrgRole.admin), "Python")
    assert NAME in json.dumps(admin_view)
    shortlisted = await gql(
        client,
        "mutation($id: ID!) { updateApplication(id: $id, input: {shortlisted: true}) { ... on Application { name } } }",
        {"id": grace},
        owner,
    )
    assert shortlisted["data"]["updateApplication"] == {"name": NAME}
    recruiter_after = await everything(h.team.headers(OrgRole.recruiter), "Python")
    assert EMAIL in json.dumps(recruiter_after)
