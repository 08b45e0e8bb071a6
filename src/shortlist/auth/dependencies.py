"""Typed auth dependencies: declare the scopes a route needs; OpenAPI shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import APIKeyHeader, OAuth2, OAuth2PasswordBearer, SecurityScopes

from shortlist.auth.access import Access, access_for, describe
from shortlist.auth.exceptions import CredentialNotAccepted
from shortlist.auth.scopes import OrgScope, Scope
from shortlist.auth.subject import AlongKey, Subject, resolve_subject
from shortlist.context import AppContext, get_context, request_context
from shortlist.http.ratelimit import limit_request
from shortlist.kit.problems import Forbidden, Unauthorized

SCOPE_DESCRIPTIONS = {
    Scope.profile_read: "Read your profile.",
    Scope.profile_write: "Change your profile and password.",
    Scope.resumes_read: "Read your resumes.",
    Scope.resumes_write: "Create, change and delete your resumes.",
    Scope.api_keys_manage: "Create and revoke API keys.",
    Scope.webhooks_manage: "Manage webhook endpoints and read their delivery logs.",
    Scope.jobs_read: "Read your background jobs and follow their progress.",
    Scope.jobs_write: "Cancel your background jobs.",
    Scope.admin: "Administer the service.",
}

ORG_SCOPE_DESCRIPTIONS = {
    OrgScope.organization_read: "Read the organization.",
    OrgScope.members_read: "List the organization's members.",
    OrgScope.jobs_read: "Read the organization's job postings (for a personal credential: your background jobs).",
    OrgScope.jobs_write: "Create, change, open, close and archive job postings (personal: cancel your jobs).",
    OrgScope.applications_read: "Read, download and export applications (blind screening applies).",
    OrgScope.applications_write: "Move, tag, rate, note, score and shortlist applications.",
    OrgScope.candidate_data_export: "Export or erase a candidate's data (data-subject requests).",
    OrgScope.audit_read: "Read the log of who read or exported candidate data.",
    OrgScope.webhooks_manage: "Manage the organization's webhook endpoints (personal: your own endpoints).",
}

# Declared for OpenAPI (Swagger's Authorize button); the credentials themselves are read by resolve_subject.
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/v1/auth/token",
    scopes={scope.value: text for scope, text in SCOPE_DESCRIPTIONS.items()},
    auto_error=False,
)
client_credentials_scheme = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl="/v1/auth/token",
            scopes={
                **{
                    scope.value: text
                    for scope, text in SCOPE_DESCRIPTIONS.items()
                    if scope is not Scope.admin
                },
                # Last: where a name is shared, the organisation text describes both meanings.
                **{scope.value: text for scope, text in ORG_SCOPE_DESCRIPTIONS.items()},
            },
        )
    ),
    scheme_name="OAuth2ClientCredentials",
    description="A registered OAuth client (POST /v1/oauth-clients) exchanges its id and secret for a "
    "short-lived access token.",
    auto_error=False,
)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key (slk_…).")


async def optional_subject(
    request: Request, context: Annotated[AppContext, Depends(request_context)]
) -> Subject | None:
    subject = await resolve_subject(request, context)
    # An organisation's key or client names no person: on a route open to anyone it is nobody.
    return None if subject is not None and subject.organization_id is not None else subject


async def current_subject(
    security_scopes: SecurityScopes,
    request: Request,
    context: Annotated[AppContext, Depends(request_context)],
    _token: Annotated[str | None, Depends(oauth2_scheme)] = None,
    _api_key: Annotated[str | None, Depends(api_key_scheme)] = None,
    _client: Annotated[str | None, Depends(client_credentials_scheme)] = None,
) -> Subject:
    return authorize(
        _required(request, await resolve_subject(request, context)),
        access_for(request.scope.get("route")),
        security_scopes.scopes,
    )


def _required(request: Request, subject: Subject | None) -> Subject:
    if subject is None:
        if request.headers.get("authorization", "").lower().startswith("basic "):
            raise Unauthorized(
                "HTTP Basic authenticates OAuth clients at POST /v1/auth/token only. Exchange it for an access "
                "token there, then send 'Authorization: Bearer <token>' (or an API key as 'X-API-Key').",
                error="invalid_request",
            )
        raise Unauthorized("This endpoint needs a bearer token or an API key.", error="invalid_request")
    return subject


class LimitedCaller:
    """The caller of a hot route, its rate limit and its access check in one dependency.

    Each FastAPI dependency costs a pass of parameter resolution per request (for a cached resume read,
    about as much as the rest of the request together), so the most requested routes take this one instead
    of the router's `rate_limit`, `current_subject` and their sub-dependencies. Same order, same answers:
    credentials (401), then the rate limit (429), then the access table (403). Routes that use it sit on a
    router without the `rate_limit` dependency (`api.hot_router`); OpenAPI's `security` comes from the
    access table as for every route.

    `along` names the cache entry the route reads next (from the token's user and the path): it is fetched in
    the same round trip as the account state, and the route finds it with `shortlist.auth.subject.prefetched`.
    """

    def __init__(self, *scopes: Scope, along: AlongKey | None = None) -> None:
        self.scopes = tuple(scopes)
        self.along = along

    async def __call__(self, request: Request) -> Subject:
        context = get_context(request)
        subject = await resolve_subject(request, context, self.along)
        await limit_request(request, context, subject)
        return authorize(_required(request, subject), access_for(request.scope.get("route")), self.scopes)


def authorize(subject: Subject, access: Access | None, declared_scopes: Iterable[str] = ()) -> Subject:
    """Check a subject against the route's entry in the access table (and any scopes the route declares)."""
    if access is None or access.public:
        # A route that asks for a subject must have a rule that names who may call it: fail closed.
        raise Forbidden("This operation has no access rule; nobody may call it.")
    if subject.credential not in access.credentials:
        raise CredentialNotAccepted(
            f"This operation needs {describe(access.credentials)}; "
            f"{describe({subject.credential})} cannot call it."
        )
    missing: list[str]
    if subject.organization_id is not None:
        missing = sorted({str(s) for s in access.organization_scopes} - subject.organization_scopes)
    else:
        missing = sorted({str(s) for s in (*access.scopes, *declared_scopes)} - subject.scopes)
    if missing:
        raise Forbidden(f"The credentials lack the scope(s): {', '.join(missing)}.")
    return subject


ProfileReader = Annotated[Subject, Security(current_subject, scopes=[Scope.profile_read])]
ProfileWriter = Annotated[Subject, Security(current_subject, scopes=[Scope.profile_write])]
ResumeReader = Annotated[Subject, Security(current_subject, scopes=[Scope.resumes_read])]
ResumeWriter = Annotated[Subject, Security(current_subject, scopes=[Scope.resumes_write])]
JobReader = Annotated[Subject, Security(current_subject, scopes=[Scope.jobs_read])]
JobWriter = Annotated[Subject, Security(current_subject, scopes=[Scope.jobs_write])]
ApiKeyManager = Annotated[Subject, Security(current_subject, scopes=[Scope.api_keys_manage])]
WebhookManager = Annotated[Subject, Security(current_subject, scopes=[Scope.webhooks_manage])]
AnySubject = Annotated[Subject, Security(current_subject)]
