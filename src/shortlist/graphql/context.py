"""What every resolver gets: the request, the app's services, the caller, one session, the loaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from strawberry.types import Info

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


def require(info: GraphInfo, *scopes: Scope) -> Subject:
    """The caller, with the scopes the field needs: the same subjects and scopes as the REST routes."""
    subject = info.context.subject
    if subject is None:
        raise Unauthorized("This field needs a bearer token or an API key.", error="invalid_request")
    missing = sorted(set(scopes) - subject.scopes)
    if missing:
        raise Forbidden(f"The credentials lack the scope(s): {', '.join(missing)}.")
    return subject
