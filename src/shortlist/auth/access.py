"""Who may call what: one table, route → accepted credential kinds and required scopes.

Every route of the application has an entry (a test walks the routes and fails on a missing one). The
entry is enforced by `auth.dependencies.current_subject` for HTTP routes and by the WebSocket's own
handshake, and it writes each operation's `security` in the OpenAPI document, so the documentation and
the checks cannot disagree. A route without an entry refuses every credential.

Credential kinds:
- `session`: an access token from a person's sign-in (password, refresh, OpenID Connect).
- `api_key`: a long-lived key (`slk_…`) made by a person for a script.
- `client`: an access token from the OAuth2 client-credentials grant (a registered integration).
- `organization_key`: an organisation's API key (`slo_…`), issued by an owner or admin, with organisation
  scopes (`OrgScope`); accepted on the organisation routes whose entry names it, for that organisation only.
- `organization_client`: an access token of an OAuth client owned by an organisation, with organisation scopes.

Organisation credentials never call personal routes: `anyone_with` and `session_or_key` do not name them.

Account and session actions (signing out everywhere, the password, deleting the account, linking sign-in
methods, registering OAuth clients) need a person's session: a leaked machine credential must not be able to
lock its owner out or mint itself successors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi import FastAPI

from shortlist.auth.scopes import OrgScope, Scope


class Credential(StrEnum):
    session = "session"
    api_key = "api_key"
    client = "client"
    organization_key = "organization_key"
    organization_client = "organization_client"


ORGANIZATION_CREDENTIALS = frozenset({Credential.organization_key, Credential.organization_client})


@dataclass(frozen=True)
class Access:
    credentials: frozenset[Credential]
    scopes: frozenset[Scope] = frozenset()
    # What an organisation credential needs here (persons' credentials are checked against `scopes`).
    organization_scopes: frozenset[OrgScope] = frozenset()

    @property
    def public(self) -> bool:
        return not self.credentials


PUBLIC = Access(frozenset())
_MACHINES_TOO = frozenset({Credential.session, Credential.api_key, Credential.client})
_PEOPLE_AND_KEYS = frozenset({Credential.session, Credential.api_key})
_SESSION = frozenset({Credential.session})


def anyone_with(*scopes: Scope) -> Access:
    """A person's session, an API key or an OAuth client, each holding the scopes."""
    return Access(_MACHINES_TOO, frozenset(scopes))


def session_only(*scopes: Scope) -> Access:
    return Access(_SESSION, frozenset(scopes))


def session_or_key(*scopes: Scope) -> Access:
    return Access(_PEOPLE_AND_KEYS, frozenset(scopes))


def member_or_organization(scope: OrgScope) -> Access:
    """An organisation route: a member's session (their role decides), or that organisation's own key or
    client holding `scope` (its scopes decide, within the issuing member's role)."""
    return Access(_SESSION | ORGANIZATION_CREDENTIALS, organization_scopes=frozenset({scope}))


# Keyed by operation id (API routes) or route name (everything else); both are unique in the application.
ROUTE_ACCESS: dict[str, Access] = {
    # Accounts and sign-in: anonymous by nature.
    "register": PUBLIC,
    "issue_token": PUBLIC,
    "refresh_token": PUBLIC,
    "revoke_token": PUBLIC,
    "request_password_reset": PUBLIC,
    "confirm_password_reset": PUBLIC,
    "verify_email": PUBLIC,
    "list_oidc_providers": PUBLIC,
    # The pages that e-mailed links open: the token in the link is the credential.
    "confirm_email_page": PUBLIC,
    "confirm_email_form": PUBLIC,
    "reset_password_page": PUBLIC,
    "reset_password_form": PUBLIC,
    "oidc_authorize": PUBLIC,
    "oidc_callback": PUBLIC,
    # The browser app's sign-in: the refresh token travels in an HttpOnly cookie, checked with the Origin.
    "browser_sign_in": PUBLIC,
    "browser_refresh": PUBLIC,
    "browser_sign_out": PUBLIC,
    # Account and session actions.
    "logout_all": session_only(),
    "request_verification": session_only(),
    "oidc_link": session_only(),
    "list_identities": session_only(),
    "unlink_identity": session_only(),
    "change_password": session_only(Scope.profile_write),
    "delete_me": session_only(Scope.profile_write),
    # The profile.
    "get_me": anyone_with(Scope.profile_read),
    "update_me": anyone_with(Scope.profile_write),
    # OAuth clients: registering and managing integrations is an account action.
    "create_oauth_client": session_only(),
    "list_oauth_clients": session_only(),
    "rotate_oauth_client_secret": session_only(),
    "revoke_oauth_client": session_only(),
    # API keys: a key may manage keys only with the scope named for it; an OAuth client never.
    "create_api_key": session_or_key(Scope.api_keys_manage),
    "list_api_keys": session_or_key(Scope.api_keys_manage),
    "revoke_api_key": session_or_key(Scope.api_keys_manage),
    # Resumes, their versions, designs, renders and shares.
    "create_resume": anyone_with(Scope.resumes_write),
    "import_resume": anyone_with(Scope.resumes_write),
    "import_resume_file": anyone_with(Scope.resumes_write),
    "list_resumes": anyone_with(Scope.resumes_read),
    "get_resume": anyone_with(Scope.resumes_read),
    "replace_resume": anyone_with(Scope.resumes_write),
    "patch_resume": anyone_with(Scope.resumes_write),
    "delete_resume": anyone_with(Scope.resumes_write),
    "restore_resume": anyone_with(Scope.resumes_write),
    "duplicate_resume": anyone_with(Scope.resumes_write),
    "export_resume": anyone_with(Scope.resumes_read),
    "list_resume_versions": anyone_with(Scope.resumes_read),
    "get_resume_version": anyone_with(Scope.resumes_read),
    "restore_resume_version": anyone_with(Scope.resumes_write),
    "get_resume_design": anyone_with(Scope.resumes_read),
    "replace_resume_design": anyone_with(Scope.resumes_write),
    "patch_resume_design": anyone_with(Scope.resumes_write),
    "render_resume": anyone_with(Scope.resumes_read),
    "create_resume_share": anyone_with(Scope.resumes_write),
    "list_resume_shares": anyone_with(Scope.resumes_read),
    "revoke_resume_share": anyone_with(Scope.resumes_write),
    # ATS.
    "ats_parse": anyone_with(Scope.resumes_read),
    "ats_report": anyone_with(Scope.resumes_read),
    "ats_match": anyone_with(Scope.resumes_read),
    "list_ats_profiles": anyone_with(Scope.resumes_read),
    "resume_ats_report": anyone_with(Scope.resumes_read),
    "score_resume_profile": anyone_with(Scope.resumes_read),
    # Webhooks.
    "list_webhook_event_types": anyone_with(Scope.webhooks_manage),
    "create_webhook": anyone_with(Scope.webhooks_manage),
    "list_webhooks": anyone_with(Scope.webhooks_manage),
    "get_webhook": anyone_with(Scope.webhooks_manage),
    "update_webhook": anyone_with(Scope.webhooks_manage),
    "delete_webhook": anyone_with(Scope.webhooks_manage),
    "rotate_webhook_secret": anyone_with(Scope.webhooks_manage),
    "ping_webhook": anyone_with(Scope.webhooks_manage),
    "list_webhook_deliveries": anyone_with(Scope.webhooks_manage),
    "get_webhook_delivery": anyone_with(Scope.webhooks_manage),
    "redeliver_webhook_delivery": anyone_with(Scope.webhooks_manage),
    # Jobs.
    "list_jobs": anyone_with(Scope.jobs_read),
    "get_job": anyone_with(Scope.jobs_read),
    "cancel_job": anyone_with(Scope.jobs_write),
    "stream_job": anyone_with(Scope.jobs_read),
    "live": anyone_with(Scope.jobs_read),  # the WebSocket /v1/ws
    # GraphQL resolves the same subject and checks the same scopes field by field (docs/graphql.md); its
    # public fields (templates) need no credential, so the route itself admits anyone.
    "graphql_http": PUBLIC,
    "graphql_ide_asset": PUBLIC,  # GraphiQL's built scripts and styles (outside production only)
    "websocket_endpoint": PUBLIC,  # /graphql subscriptions: credentials in connection_init
    # Organisations, their job postings and applications: a member's session, checked against the member's
    # role (organization/policy.py). Membership, credentials and the audit log stay a person's acts.
    **{
        operation: session_only()
        for operation in (
            "list_organizations",
            "create_organization",
            "update_organization",
            "delete_organization",
            "leave_organization",
            "transfer_organization_ownership",
            "update_organization_member",
            "remove_organization_member",
            "list_organization_invitations",
            "create_organization_invitation",
            "revoke_organization_invitation",
            "accept_organization_invitation",
            "create_organization_api_key",
            "list_organization_api_keys",
            "rotate_organization_api_key",
            "revoke_organization_api_key",
            "create_organization_oauth_client",
            "list_organization_oauth_clients",
            "rotate_organization_oauth_client_secret",
            "revoke_organization_oauth_client",
        )
    },
    # ...and what an organisation's own keys and clients may also call, with the scope each needs.
    **{
        operation: member_or_organization(scope)
        for scope, operations in (
            (OrgScope.organization_read, ("get_organization",)),
            (OrgScope.members_read, ("list_organization_members",)),
            (OrgScope.jobs_read, ("list_job_postings", "get_job_posting")),
            (
                OrgScope.jobs_write,
                (
                    "create_job_posting",
                    "update_job_posting",
                    "open_job_posting",
                    "close_job_posting",
                    "archive_job_posting",
                    "replace_job_stages",
                ),
            ),
            (
                OrgScope.applications_read,
                (
                    "list_applications",
                    "get_application",
                    "get_application_timeline",
                    "list_application_notes",
                    "list_application_scorecards",
                    "download_application_file",
                    "render_application_resume",
                    "export_applications",
                    "download_application_export",
                ),
            ),
            (
                OrgScope.applications_write,
                (
                    "update_application",
                    "move_application",
                    "bulk_move_applications",
                    "rescore_application",
                    "create_application_note",
                    "rate_application",
                    "replace_application_tags",
                    "put_application_scorecard",
                ),
            ),
            (OrgScope.candidate_data_export, ("export_candidate_data", "erase_candidate_data")),
            (OrgScope.audit_read, ("list_candidate_data_access",)),
            (
                OrgScope.webhooks_manage,
                (
                    "create_organization_webhook",
                    "list_organization_webhooks",
                    "get_organization_webhook",
                    "update_organization_webhook",
                    "delete_organization_webhook",
                    "rotate_organization_webhook_secret",
                    "ping_organization_webhook",
                    "list_organization_webhook_deliveries",
                ),
            ),
        )
        for operation in operations
    },
    # A candidate's own applications: applying, withdrawing and their data are the person's acts.
    "apply_with_resume": session_only(Scope.resumes_read),
    "list_my_applications": anyone_with(Scope.resumes_read),
    "get_my_application": anyone_with(Scope.resumes_read),
    "withdraw_my_application": session_only(Scope.resumes_read),
    "export_my_candidate_data": session_only(Scope.resumes_read),
    "erase_my_candidate_data": session_only(Scope.resumes_write),
    # The careers pages and a guest's application (a signed-in candidate is recognised when present).
    "careers_page": PUBLIC,
    "job_page": PUBLIC,
    "apply_form": PUBLIC,
    "apply_with_file": PUBLIC,
    # Public catalogue, shared links, keys, probes and documentation.
    "list_templates": PUBLIC,
    "get_design_options": PUBLIC,
    "get_template": PUBLIC,
    "get_template_thumbnail": PUBLIC,
    "get_shared_resume": PUBLIC,
    "get_shared_resume_pdf": PUBLIC,
    "jwks": PUBLIC,
    "livez": PUBLIC,
    "readyz": PUBLIC,
    "metrics": PUBLIC,  # kept off the public edge by the gateway (deploy/)
    "openapi": PUBLIC,
    "swagger_ui": PUBLIC,
    "redoc": PUBLIC,
    "docs-static": PUBLIC,
}


def route_key(route: object) -> str | None:
    """The table's key for a route object: its operation id, else its name."""
    key = getattr(route, "operation_id", None) or getattr(route, "name", None)
    return key if isinstance(key, str) else None


def access_for(route: object) -> Access | None:
    key = route_key(route)
    return ROUTE_ACCESS.get(key) if key else None


def describe(kinds: frozenset[Credential] | set[Credential]) -> str:
    names = {
        Credential.session: "a signed-in session",
        Credential.api_key: "an API key",
        Credential.client: "an OAuth client token",
        Credential.organization_key: "an organization API key",
        Credential.organization_client: "an organization's OAuth client token",
    }
    return " or ".join(names[kind] for kind in Credential if kind in kinds)


# OpenAPI security scheme names, one per credential kind (the first two are FastAPI's names for the
# dependencies declared in auth.dependencies).
SECURITY_SCHEMES = {
    Credential.session: "OAuth2PasswordBearer",
    Credential.api_key: "APIKeyHeader",
    Credential.client: "OAuth2ClientCredentials",
    Credential.organization_key: "APIKeyHeader",
    Credential.organization_client: "OAuth2ClientCredentials",
}


def document_access(schema: dict[str, Any]) -> None:
    """Write each operation's `security` (and `x-credentials`) from the table."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            access = ROUTE_ACCESS.get(operation.get("operationId", ""))
            if access is None:
                continue
            if access.public:
                operation.pop("security", None)
                continue
            scopes = sorted(str(scope) for scope in access.scopes)
            organization_scopes = sorted(str(scope) for scope in access.organization_scopes)
            requirements: list[dict[str, list[str]]] = []
            for kind in Credential:
                name = SECURITY_SCHEMES[kind]
                if kind not in access.credentials or name not in schemes:
                    continue
                wanted = organization_scopes if kind in ORGANIZATION_CREDENTIALS else scopes
                requirement = {name: [] if name == SECURITY_SCHEMES[Credential.api_key] else wanted}
                if requirement not in requirements:
                    requirements.append(requirement)
            operation["security"] = requirements
            operation["x-credentials"] = [kind.value for kind in Credential if kind in access.credentials]
            if access.organization_scopes:
                operation["x-organization-scopes"] = organization_scopes


def install_access_documentation(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_access(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
