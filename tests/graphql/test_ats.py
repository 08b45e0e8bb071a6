"""ATS reports, matches and profile scores over GraphQL: the same engine calls as REST, typed results."""

from __future__ import annotations

import httpx

from tests.conftest import Register
from tests.graphql.helpers import RESUME_CONTENT, create_resume, gql

CONTENT = {
    **RESUME_CONTENT,
    "work": [
        {
            "name": "Analytical Engines",
            "position": "Backend Engineer",
            "startDate": "2021-03",
            "highlights": ["Cut p99 latency from 850 ms to 180 ms with Redis caching"],
        }
    ],
    "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Redis"]}],
}


async def test_report_match_and_profile(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    resume = await create_resume(client, alice, "ATS", CONTENT)
    result = await gql(
        client,
        """query($id: ID!) {
          atsReport(resumeId: $id) { score fileType checks { id status points } layout { pages } match { score } }
          atsMatch(resumeId: $id, job: "Backend engineer. Required: Python, PostgreSQL, Kubernetes.") {
            score missingRequired matchedRequired { skill evidence { text } } job { requiredSkills }
          }
          atsProfiles { id name areas { id weight } }
        }""",
        {"id": resume["id"]},
        alice,
    )
    assert "errors" not in result, result
    data = result["data"]
    report = data["atsReport"]
    assert report["fileType"] == "pdf" and report["layout"]["pages"] >= 1 and report["match"] is None
    assert {c["status"] for c in report["checks"]} <= {"pass", "warn", "fail"}
    rest = await client.get(f"/v1/resumes/{resume['resumeId']}/ats-report", headers=alice)
    assert rest.json()["score"] == report["score"]  # one engine, one answer

    matched = data["atsMatch"]
    assert "kubernetes" in [s.lower() for s in matched["missingRequired"]]
    assert {h["skill"].lower() for h in matched["matchedRequired"]} >= {"python", "postgresql"}
    rest_match = await client.post(
        "/v1/ats/match",
        json={
            "resume_id": resume["resumeId"],
            "job": "Backend engineer. Required: Python, PostgreSQL, Kubernetes.",
        },
        headers=alice,
    )
    assert rest_match.json()["score"] == matched["score"]

    profile_id = data["atsProfiles"][0]["id"]
    scored = await gql(
        client,
        "query($id: ID!, $p: String!) { atsProfileScore(resumeId: $id, profile: $p) { profile score areas { id } } }",
        {"id": resume["id"], "p": profile_id},
        alice,
    )
    assert scored["data"]["atsProfileScore"]["profile"] == profile_id
    unknown = await gql(
        client,
        'query($id: ID!) { atsProfileScore(resumeId: $id, profile: "nope") { score } }',
        {"id": resume["id"]},
        alice,
    )
    assert unknown["errors"][0]["extensions"]["status"] == 404

    bob = await register()
    stolen = await gql(
        client, "query($id: ID!) { atsReport(resumeId: $id) { score } }", {"id": resume["id"]}, bob
    )
    assert stolen["data"] is None and stolen["errors"][0]["extensions"]["code"] == "resume-not-found"
