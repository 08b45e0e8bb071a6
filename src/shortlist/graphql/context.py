"""What every resolver gets: the request, the app's services, the caller, one session, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from fastapi import Request
from strawberry.types import Info

from shortlist.auth.access import ROUTE_ACCESS
from shortlist.auth.dependencies import authorize
from shortlist.auth.exceptions import CredentialNotAccepted
from shortlist.auth.scopes import Scope
from shortlist.auth.subject import Subject
from shortlist.context import AppContext
from shortlist.kit.problems import Forbidden, Unauthorized

if TYPE_CHECKING:
    from shortlist.graphql.loaders import Loaders, SessionGate
    from shortlist.graphql.recruiting_audit import ReadLog
    from shortlist.graphql.recruiting_loaders import RecruitingLoaders


@dataclass
class GraphQLContext:
    request: Request
    app: AppContext
    subject: Subject | None
    # The request's one session (it owns the transaction, as every REST route's does), one statement at a time.
    gate: SessionGate
    loaders: Loaders
    recruiting: RecruitingLoaders
    # Application detail reads to put on the candidate-data access log (graphql/recruiting_audit.py).
    read_log: ReadLog | None = None


GraphInfo = Info[GraphQLContext, Any]


def require_member(info: GraphInfo) -> Subject:
    """The caller of an organisation field: a person, or an organisation's API key or OAuth client (REST's
    organisation routes accept both). What it may do there is `Access.require`'s: the member's role, and for
    an organisation credential also its scopes (`organization/policy.py`'s SCOPE_OPERATIONS)."""
    subject = info.context.subject
    if subject is None:
        raise Unauthorized("This field needs a bearer token or an API key.", error="invalid_request")
    return subject


def require(info: GraphInfo, *scopes: Scope) -> Subject:
    """The caller of a personal field, with the scopes it needs: the same subjects and scopes as the REST
    routes. An organisation's key or client names no person, so it is refused here, as REST's personal
    routes refuse it."""
    subject = require_member(info)
    if subject.organization_id is not None:
        raise CredentialNotAccepted(
            "An organization's API key or OAuth client can only call the organization's own fields."
        )
    missing = sorted(set(scopes) - subject.scopes)
    if missing:
        raise Forbidden(f"The credentials lack the scope(s): {', '.join(missing)}.")
    return subject


def authorized_as(info: GraphInfo, operation: str) -> Subject:
    """The caller, checked against the access-table entry of the REST operation this field mirrors: the same
    credential kinds (a session only for account actions) and the same scopes, from the one table. An
    organisation's credential has its scopes checked where the organisation is resolved (`Access.require`,
    over `organization/policy.py`'s SCOPE_OPERATIONS), so every organisation field and mutation refuses it
    alike, with `organization-operation-forbidden`."""
    subject = require_member(info)
    access = ROUTE_ACCESS[operation]
    if subject.organization_id is not None:
        access = replace(access, organization_scopes=frozenset())
    return authorize(subject, access)
