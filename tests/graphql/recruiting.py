"""Recruiting over GraphQL in tests: a team with one member per role, a job and scored applications."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register
from tests.organization.helpers import Person, Team, person, seed_team

RANKED = """
query Ranked($org: UUID!, $job: UUID!, $first: Int, $after: String, $stage: String, $minScore: Int) {
  organization(organizationId: $org) {
    job(jobPostingId: $job) {
      applications(first: $first, after: $after, stage: $stage, minScore: $minScore) {
        edges { cursor node {
          id applicationId name email blinded score rankScore years version
          stage { id name }
          explanation {
            matchedRequired { skill evidence } missingRequired matchedPreferred { skill evidence }
            years yearsAsked seniority
          }
          tags rating { average count mine }
        } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""


# Every recruiter mutation, called with another organisation's ids ($app: an application, $job: a job
# posting, $org: the organisation): each must answer organization-not-found and change nothing.
ORGANIZATION_WRITES = {
    "moveApplication": 'moveApplication(id: $app, stage: "screening")',
    "bulkMoveApplications": 'bulkMoveApplications(jobPostingId: $job, applicationIds: [$appId], stage: "offer")',
    "updateApplication": "updateApplication(id: $app, input: {shortlisted: true})",
    "setApplicationTags": 'setApplicationTags(id: $app, tags: ["x"])',
    "rateApplication": "rateApplication(id: $app, rating: 1)",
    "addApplicationNote": 'addApplicationNote(id: $app, body: "hi")',
    "openJobPosting": "openJobPosting(id: $job)",
    "closeJobPosting": "closeJobPosting(id: $job)",
    "correctJobRequirements": "correctJobRequirements(id: $job, requirements: {years: 1})",
    "createJobPosting": 'createJobPosting(organizationId: $org, input: {title: "x"})',
    "inviteMember": 'inviteMember(organizationId: $org, email: "x@example.org")',
    "updateOrganization": 'updateOrganization(organizationId: $org, input: {name: "Taken"})',
    "changeMemberRole": "changeMemberRole(organizationId: $org, memberId: $memberId, role: VIEWER)",
    "removeMember": "removeMember(organizationId: $org, memberId: $memberId)",
    "transferOrganizationOwnership": "transferOrganizationOwnership(organizationId: $org, userId: $userId)",
    "eraseCandidateData": 'eraseCandidateData(organizationId: $org, email: "grace@example.org")',
    "replaceJobStages": (
        'replaceJobStages(id: $job, stages: [{id: "applied", name: "In"}, {id: "hired", name: "Hired"}, '
        '{id: "rejected", name: "No"}])'
    ),
    "setApplicationScorecard": (
        'setApplicationScorecard(id: $app, stage: "applied", criteria: [{criterion: "Design", score: 1}])'
    ),
    "rescoreApplication": "rescoreApplication(id: $app)",
    "exportApplications": "exportApplications(jobPostingId: $job)",
    "exportCandidateData": 'exportCandidateData(organizationId: $org, email: "grace@example.org")',
    "updateJobPosting": 'updateJobPosting(id: $job, input: {title: "Taken"})',
    "archiveJobPosting": "archiveJobPosting(id: $job)",
    "deleteOrganization": "deleteOrganization(organizationId: $org)",
    "leaveOrganization": "leaveOrganization(organizationId: $org)",
    "revokeInvitation": "revokeInvitation(organizationId: $org, invitationId: $anyId)",
    "createOrganizationApiKey": (
        'createOrganizationApiKey(organizationId: $org, input: {name: "x", scopes: ["jobs:read"]})'
    ),
    "rotateOrganizationApiKey": "rotateOrganizationApiKey(organizationId: $org, apiKeyId: $anyId)",
    "revokeOrganizationApiKey": "revokeOrganizationApiKey(organizationId: $org, apiKeyId: $anyId)",
    "createOrganizationOAuthClient": (
        'createOrganizationOAuthClient(organizationId: $org, input: {name: "x", scopes: ["jobs:read"]})'
    ),
    "rotateOrganizationOAuthClientSecret": (
        "rotateOrganizationOAuthClientSecret(organizationId: $org, oauthClientId: $anyId)"
    ),
    "revokeOrganizationOAuthClient": "revokeOrganizationOAuthClient(organizationId: $org, oauthClientId: $anyId)",
    "createOrganizationWebhook": (
        'createOrganizationWebhook(organizationId: $org, input: {url: "https://93.184.215.14/x"})'
    ),
    "updateOrganizationWebhook": (
        'updateOrganizationWebhook(organizationId: $org, webhookId: $anyId, patch: {description: "x"})'
    ),
    "deleteOrganizationWebhook": "deleteOrganizationWebhook(organizationId: $org, webhookId: $anyId)",
    "rotateOrganizationWebhookSecret": "rotateOrganizationWebhookSecret(organizationId: $org, webhookId: $anyId)",
    "pingOrganizationWebhook": "pingOrganizationWebhook(organizationId: $org, webhookId: $anyId)",
}
# The candidate's: another candidate's application or resume (tests/graphql/test_recruiting_candidate.py).
CANDIDATE_WRITES = {"applyWithResume", "withdrawApplication", "eraseMyCandidateData", "acceptInvitation"}
# The account's own (tests/graphql/test_account.py: another account's keys, clients and sign-ins are unknown).
ACCOUNT_WRITES = {
    "updateMe",
    "changePassword",
    "logoutAll",
    "unlinkIdentity",
    "deleteAccount",
    "createApiKey",
    "revokeApiKey",
    "createOAuthClient",
    "rotateOAuthClientSecret",
    "revokeOAuthClient",
}


def posting_gid(org_id: uuid.UUID | str, posting_id: uuid.UUID | str) -> str:
    return global_id("JobPosting", f"{org_id}:{posting_id}")


def application_gid(org_id: uuid.UUID | str, posting_id: uuid.UUID | str, application_id: str) -> str:
    return global_id("Application", f"{org_id}:{posting_id}:{application_id}")


@dataclass
class Hiring:
    team: Team
    job: dict[str, Any]
    application_ids: list[str]
    outsider: Person

    @property
    def org_id(self) -> uuid.UUID:
        return self.team.org_id

    @property
    def job_gid(self) -> str:
        return posting_gid(self.team.org_id, self.job["id"])

    def app_gid(self, index: int = 0) -> str:
        return application_gid(self.team.org_id, self.job["id"], self.application_ids[index])


async def hiring(
    client: httpx.AsyncClient,
    register: Register,
    context: AppContext,
    people: list[tuple[str, str, dict[str, Any] | None]] | None = None,
    manager_on_job: bool = True,
    **job_fields: Any,
) -> Hiring:
    roles = [OrgRole.owner, OrgRole.admin, OrgRole.recruiter, OrgRole.hiring_manager, OrgRole.viewer]
    members = {role: await person(client, register) for role in roles}
    team = await seed_team(context, members)
    if manager_on_job:
        job_fields.setdefault("hiring_manager_ids", [str(members[OrgRole.hiring_manager].user_id)])
    job = await open_job(client, members[OrgRole.owner].headers, team.org_id, **job_fields)
    people = (
        people
        if people is not None
        else [
            (
                "Grace Hopper",
                "grace@example.org",
                resume_document("Grace Hopper", "grace@example.org", strong=True),
            ),
            (
                "Carl Sales",
                "carl@example.org",
                resume_document("Carl Sales", "carl@example.org", strong=False),
            ),
        ]
    )
    ids = await seed_applications(context, team.org_id, job["id"], people)
    return Hiring(team, job, ids, await person(client, register))
