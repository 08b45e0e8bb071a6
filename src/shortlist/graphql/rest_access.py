"""Which REST write each mutation is the second face of, and the access check that follows from it.

Every mutation names its REST operation here; `guard_mutations` puts that operation's access-table entry
(`auth/access.py`: the credential kinds and scopes) in front of the resolver, so a mutation accepts exactly
the callers its REST route accepts. A mutation without an entry fails the schema build: no write is left
unchecked by omission. (tests/graphql/test_parity.py checks the other direction: every REST write has a
mutation here, or a stated reason why not.)"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition

from shortlist.auth.access import ROUTE_ACCESS
from shortlist.graphql.context import authorized_as

# Mutation (GraphQL name) → REST operation id.
REST_OPERATIONS: dict[str, str] = {
    # Resumes, designs, shares.
    "createResume": "create_resume",
    "importResume": "import_resume",
    "replaceResume": "replace_resume",
    "updateResume": "patch_resume",
    "deleteResume": "delete_resume",
    "restoreResume": "restore_resume",
    "duplicateResume": "duplicate_resume",
    "restoreResumeVersion": "restore_resume_version",
    "replaceDesign": "replace_resume_design",
    "updateDesign": "patch_resume_design",
    "createShare": "create_resume_share",
    "revokeShare": "revoke_resume_share",
    # Files (GraphQL's multipart request, the same service call).
    "parseResumeFile": "ats_parse",
    "reportResumeFile": "ats_report",
    "importResumeFile": "import_resume_file",
    # Webhooks and background jobs.
    "createWebhook": "create_webhook",
    "updateWebhook": "update_webhook",
    "deleteWebhook": "delete_webhook",
    "rotateWebhookSecret": "rotate_webhook_secret",
    "pingWebhook": "ping_webhook",
    "redeliverWebhookDelivery": "redeliver_webhook_delivery",
    "cancelJob": "cancel_job",
    # The account, its sign-ins, keys and clients.
    "updateMe": "update_me",
    "changePassword": "change_password",
    "deleteAccount": "delete_me",
    "logoutAll": "logout_all",
    "unlinkIdentity": "unlink_identity",
    "createApiKey": "create_api_key",
    "revokeApiKey": "revoke_api_key",
    "createOAuthClient": "create_oauth_client",
    "rotateOAuthClientSecret": "rotate_oauth_client_secret",
    "revokeOAuthClient": "revoke_oauth_client",
    # Organisations, members, invitations.
    "createOrganization": "create_organization",
    "updateOrganization": "update_organization",
    "deleteOrganization": "delete_organization",
    "leaveOrganization": "leave_organization",
    "transferOrganizationOwnership": "transfer_organization_ownership",
    "changeMemberRole": "update_organization_member",
    "removeMember": "remove_organization_member",
    "inviteMember": "create_organization_invitation",
    "revokeInvitation": "revoke_organization_invitation",
    "acceptInvitation": "accept_organization_invitation",
    # Job postings (REST's one PATCH is two mutations: any field, or the requirements alone).
    "createJobPosting": "create_job_posting",
    "updateJobPosting": "update_job_posting",
    "correctJobRequirements": "update_job_posting",
    "openJobPosting": "open_job_posting",
    "closeJobPosting": "close_job_posting",
    "archiveJobPosting": "archive_job_posting",
    "replaceJobStages": "replace_job_stages",
    # Applications, the recruiter's side.
    "updateApplication": "update_application",
    "moveApplication": "move_application",
    "bulkMoveApplications": "bulk_move_applications",
    "rescoreApplication": "rescore_application",
    "setApplicationTags": "replace_application_tags",
    "rateApplication": "rate_application",
    "addApplicationNote": "create_application_note",
    "setApplicationScorecard": "put_application_scorecard",
    "exportApplications": "export_applications",
    # Candidate data.
    "exportCandidateData": "export_candidate_data",
    "eraseCandidateData": "erase_candidate_data",
    "eraseMyCandidateData": "erase_my_candidate_data",
    # Organisation credentials and webhooks.
    "createOrganizationApiKey": "create_organization_api_key",
    "rotateOrganizationApiKey": "rotate_organization_api_key",
    "revokeOrganizationApiKey": "revoke_organization_api_key",
    "createOrganizationOAuthClient": "create_organization_oauth_client",
    "rotateOrganizationOAuthClientSecret": "rotate_organization_oauth_client_secret",
    "revokeOrganizationOAuthClient": "revoke_organization_oauth_client",
    "createOrganizationWebhook": "create_organization_webhook",
    "updateOrganizationWebhook": "update_organization_webhook",
    "deleteOrganizationWebhook": "delete_organization_webhook",
    "rotateOrganizationWebhookSecret": "rotate_organization_webhook_secret",
    "pingOrganizationWebhook": "ping_organization_webhook",
    # The candidate's side.
    "applyWithResume": "apply_with_resume",
    "withdrawApplication": "withdraw_my_application",
}


class RestAccess(FieldExtension):
    """The REST operation's access-table entry, checked before the resolver runs (a refusal is a GraphQL
    error with REST's problem slug: `credential-not-accepted`, `forbidden`, `unauthorized`)."""

    def __init__(self, operation: str) -> None:
        self.operation = operation

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        authorized_as(info, self.operation)
        return await next_(source, info, **kwargs)


def guard_mutations(mutation_type: type) -> None:
    """Put each mutation's REST access check in front of it; refuse to build a schema with an unmapped one."""
    definition = get_object_definition(mutation_type, strict=True)
    names = NameConverter()
    for field in definition.fields:
        name = names.get_graphql_name(field)
        operation = REST_OPERATIONS.get(name)
        if operation is None or operation not in ROUTE_ACCESS:
            raise RuntimeError(f"the mutation {name} names no REST operation in graphql/rest_access.py")
        if not any(isinstance(extension, RestAccess) for extension in field.extensions):
            field.extensions.append(RestAccess(operation))
