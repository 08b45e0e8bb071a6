"""The schema: one federation-ready subgraph (entities carry `@key`; `_service` and `_entities` come from
Strawberry's federation support). `shortlist graphql-schema` prints it; schema.graphql is the checked-in copy."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import strawberry
import structlog
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graphql import GraphQLError
from shortlist.graphql.account_mutations import AccountMutations
from shortlist.graphql.application_mutations import ApplicationMutations
from shortlist.graphql.applications import Application
from shortlist.graphql.ats import AtsQuery
from shortlist.graphql.candidate import CandidateMutations, CandidateQuery, MyApplication
from shortlist.graphql.membership_mutations import MembershipMutations
from shortlist.graphql.mutations import ResumeMutations
from shortlist.graphql.observability import SlowResolverSpans
from shortlist.graphql.operations import OperationMutations
from shortlist.graphql.organization_credential_mutations import OrganizationCredentialMutations
from shortlist.graphql.organization_mutations import OrganizationMutations
from shortlist.graphql.organizations import Member, Organization, OrganizationQuery
from shortlist.graphql.pipeline_mutations import PipelineMutations
from shortlist.graphql.postings import JobPosting
from shortlist.graphql.queries import Query as ResourceQuery
from shortlist.graphql.recruiting_mutations import RecruitingMutations
from shortlist.graphql.rest_access import guard_mutations
from shortlist.graphql.types import Job, Resume, ResumeVersionNode, ShareLink, User, Webhook
from shortlist.graphql.uploads import UploadMutations
from shortlist.kit.problems import AppError

log = structlog.get_logger(__name__)

Query = merge_types("Query", (ResourceQuery, AtsQuery, OrganizationQuery, CandidateQuery))
Mutation = merge_types(
    "Mutation",
    (
        ResumeMutations,
        OperationMutations,
        UploadMutations,
        RecruitingMutations,
        OrganizationMutations,
        ApplicationMutations,
        PipelineMutations,
        CandidateMutations,
        MembershipMutations,
        AccountMutations,
        OrganizationCredentialMutations,
    ),
)
guard_mutations(Mutation)


class ShortlistSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected failures (problem types) are answers, not incidents: log only the unexpected.
        for error in errors:
            if error.original_error is not None and not isinstance(
                error.original_error, AppError | GraphQLError
            ):
                log.error(
                    "graphql.resolver_failed",
                    path=error.path,
                    exc_info=(
                        type(error.original_error),
                        error.original_error,
                        error.original_error.__traceback__,
                    ),
                )


@cache
def get_schema() -> ShortlistSchema:
    from shortlist.graphql.subscriptions import Subscription

    return ShortlistSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            Resume,
            ResumeVersionNode,
            User,
            Job,
            Webhook,
            ShareLink,
            Organization,
            Member,
            JobPosting,
            Application,
            MyApplication,
        ],
        extensions=[SlowResolverSpans],
        federation_version="2.5",
    )


def schema_sdl() -> str:
    return get_schema().as_str().rstrip() + "\n"


def checked_in_sdl() -> str:
    return (files("shortlist.graphql") / "schema.graphql").read_text(encoding="utf-8")
