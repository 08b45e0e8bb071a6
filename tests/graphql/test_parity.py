"""Every REST write has its GraphQL mutation, or a stated reason why not.

The REST side comes from the application's own routes and the GraphQL side from the built schema, so a new
write route without a mutation (or a reason below), a mapping to a mutation that does not exist, or a
mutation that answers to no REST route all fail here."""

from __future__ import annotations

import inspect
import uuid
from typing import Any

import httpx
from fastapi.routing import APIRoute, iter_route_contexts
from strawberry.types.base import get_object_definition

from shortlist.auth.access import route_key
from shortlist.context import AppContext
from shortlist.graphql.rest_access import REST_OPERATIONS, RestAccess
from shortlist.graphql.schema import Mutation, get_schema
from shortlist.http.idempotency import idempotency
from shortlist.main import create_app
from shortlist.organization.policy import OrgRole
from tests.auth.credentials import ALL_USER_SCOPES
from tests.conftest import Register
from tests.graphql.conftest import api_key
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import hiring

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# REST write (operation id) → the mutations that cover it (several when GraphQL splits one PATCH), from
# the mapping the schema itself checks each mutation's access with.
MUTATIONS: dict[str, tuple[str, ...]] = {}
for _mutation, _operation in REST_OPERATIONS.items():
    MUTATIONS[_operation] = (*MUTATIONS.get(_operation, ()), _mutation)

# POSTs that change nothing: a computation with a body too large for a query string. GraphQL reads them.
QUERIES: dict[str, str] = {"ats_match": "atsMatch"}

# REST writes GraphQL leaves alone on purpose, each with why.
REST_ONLY: dict[str, str] = {
    "register": "anonymous sign-up: issues the first credentials, before any GraphQL caller exists",
    "issue_token": "the OAuth2 token endpoint (RFC 6749 form body and error format)",
    "refresh_token": "the OAuth2 token endpoint's refresh grant",
    "revoke_token": "OAuth2 token revocation (RFC 7009)",
    "request_password_reset": "anonymous: the e-mailed reset flow, carried by a single-use token",
    "confirm_password_reset": "anonymous: the e-mailed token is the credential",
    "request_verification": "the e-mailed verification flow, carried by a single-use token",
    "verify_email": "anonymous: the e-mailed token is the credential",
    "oidc_link": "starts an OpenID Connect redirect in the browser",
    "browser_sign_in": "the browser app's cookie session (HttpOnly refresh cookie, Origin check)",
    "browser_refresh": "the browser app's cookie session",
    "browser_sign_out": "the browser app's cookie session",
    "confirm_email_page": "a form post of the server-rendered page an e-mailed link opens",
    "reset_password_page": "a form post of the server-rendered page an e-mailed link opens",
    "apply_form": "the careers page's no-script HTML form (guests, CSRF-protected form post)",
    "apply_with_file": (
        "a guest's application with a file from the careers page: anonymous, rate-limited per address; "
        "signed-in candidates apply over GraphQL with a stored resume (applyWithResume)"
    ),
    "graphql_http": "GraphQL itself",
}

# REST takes an Idempotency-Key on these POSTs but the mutation takes no idempotencyKey, with why. (The
# mutation with one uses REST's store; tests/graphql/test_resumes.py and test_recruiting*.py replay them.)
WITHOUT_IDEMPOTENCY_KEY: dict[str, str] = {
    "restore_resume": "a transition: a retry finds it restored already and changes nothing",
    "restore_resume_version": "conditional on expectedVersion: a retry is a ConflictProblem, not a copy",
    "cancel_job": "a transition: a retry finds the job cancelled and changes nothing",
    "leave_organization": "a retry changes nothing (no longer a member: organization-not-found)",
    "transfer_organization_ownership": "a retry is a ConflictProblem (you already handed it over)",
    "open_job_posting": "a transition, conditional on expectedVersion",
    "close_job_posting": "a transition, conditional on expectedVersion",
    "archive_job_posting": "a transition, conditional on expectedVersion",
}


def _rest_writes() -> dict[str, APIRoute]:
    found: dict[str, APIRoute] = {}
    for context in iter_route_contexts(create_app().routes):
        route = context.original_route
        if isinstance(route, APIRoute) and WRITE_METHODS & set(route.methods or ()):
            key = route_key(route)
            assert key is not None
            found[key] = route
    return found


def _takes_idempotency_key(route: APIRoute) -> bool:
    def calls(dependant: Any) -> list[Any]:
        return [d.call for d in dependant.dependencies] + [
            call for d in dependant.dependencies for call in calls(d)
        ]

    return "POST" in (route.methods or ()) and idempotency in calls(route.dependant)


def test_every_rest_write_has_a_mutation_or_a_reason() -> None:
    rest = set(_rest_writes())
    listed = [*MUTATIONS, *QUERIES, *REST_ONLY]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    missing = sorted(rest - set(listed))
    assert not missing, f"REST writes without a GraphQL mutation or a reason in REST_ONLY: {missing}"
    stale = sorted(set(listed) - rest)
    assert not stale, f"listed routes that do not exist (any more): {stale}"


def test_the_mapping_names_real_fields_and_every_mutation_answers_to_a_route() -> None:
    schema: Any = get_schema()._schema
    mutations = set(schema.mutation_type.fields)
    named = {name for names in MUTATIONS.values() for name in names}
    unknown = sorted(named - mutations)
    assert not unknown, f"the mapping names mutations the schema lacks: {unknown}"
    unmapped = sorted(mutations - named)
    assert not unmapped, f"mutations that answer to no REST write (map them above): {unmapped}"
    queries = set(schema.query_type.fields)
    assert set(QUERIES.values()) <= queries


def test_every_mutation_checks_its_rest_routes_access() -> None:
    """The schema puts the REST route's access check in front of every mutation (over HTTP:
    tests/graphql/test_account.py and test_membership.py send the credentials REST refuses)."""
    definition = get_object_definition(Mutation, strict=True)
    guarded = {
        field.python_name: [e.operation for e in field.extensions if isinstance(e, RestAccess)]
        for field in definition.fields
    }
    assert all(len(operations) == 1 for operations in guarded.values()), guarded


def test_idempotency_keys_where_rest_takes_them() -> None:
    schema: Any = get_schema()._schema
    fields = schema.mutation_type.fields
    routes = _rest_writes()
    for operation, names in MUTATIONS.items():
        route = routes[operation]
        for name in names:
            takes_key = "idempotencyKey" in fields[name].args
            if _takes_idempotency_key(route) and operation not in WITHOUT_IDEMPOTENCY_KEY:
                assert takes_key, f"{name}: REST's {operation} takes Idempotency-Key, the mutation none"
    stale = [op for op in WITHOUT_IDEMPOTENCY_KEY if not _takes_idempotency_key(routes[op])]
    assert not stale, f"REST takes no Idempotency-Key on {stale}: drop them from the list"
    needless = [
        op for op in WITHOUT_IDEMPOTENCY_KEY if all("idempotencyKey" in fields[n].args for n in MUTATIONS[op])
    ]
    assert not needless, f"these mutations take idempotencyKey now: drop them from the list: {needless}"


def test_updates_of_versioned_objects_take_expected_version() -> None:
    """REST's If-Match on a PATCH/PUT/DELETE of a versioned object is the mutation's expectedVersion."""
    schema: Any = get_schema()._schema
    fields = schema.mutation_type.fields
    versioned = {
        "patch_resume",
        "replace_resume",
        "delete_resume",
        "replace_resume_design",
        "patch_resume_design",
        "update_webhook",
        "delete_webhook",
        "update_organization",
        "delete_organization",
        "update_organization_member",
        "update_job_posting",
        "open_job_posting",
        "close_job_posting",
        "archive_job_posting",
        "replace_job_stages",
        "update_application",
        "move_application",
        "update_organization_webhook",
        "delete_organization_webhook",
        "restore_resume_version",
    }
    routes = _rest_writes()
    checked = {op for op, route in routes.items() if "check_if_match" in inspect.getsource(route.endpoint)}
    assert checked <= versioned, f"REST checks If-Match on {sorted(checked - versioned)}: list them here"
    for operation in versioned:
        for name in MUTATIONS[operation]:
            assert "expectedVersion" in fields[name].args, f"{name} takes no expectedVersion"


async def test_credentials_rest_refuses_are_refused_by_the_mutations(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    """A person's API key holds every scope here, yet REST takes a session for organisation and candidate
    writes, and so does GraphQL; an organisation's key cannot write a person's resumes."""
    h = await hiring(client, register, app_context)
    owner = h.team.headers(OrgRole.owner)
    personal = await api_key(client, owner, *sorted(ALL_USER_SCOPES - {"admin"}))
    documents = {
        "createOrganization": 'mutation { x: createOrganization(input: {name: "K", slug: "k-org"}) { __typename } }',
        "moveApplication": 'mutation($id: ID!) { x: moveApplication(id: $id, stage: "screening") { __typename } }',
        "applyWithResume": "mutation($id: UUID!) { x: applyWithResume(jobPostingId: $id, resumeId: $id) "
        "{ __typename } }",
    }
    variables: dict[str, dict[str, Any]] = {
        "createOrganization": {},
        "moveApplication": {"id": h.app_gid(0)},
        "applyWithResume": {"id": str(uuid.uuid4())},
    }
    for name, document in documents.items():
        refused = await gql(client, document, variables[name], personal)
        assert refused["data"] is None and codes(refused) == ["credential-not-accepted"], (name, refused)
    stage = await client.get(
        f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{h.application_ids[0]}", headers=owner
    )
    assert stage.json()["stage"] == "applied"

    made = await client.post(
        f"/v1/organizations/{h.org_id}/api-keys",
        json={"name": "org", "scopes": ["applications:write"]},
        headers=owner,
    )
    organization_key = {"X-API-Key": made.json()["key"]}
    create = 'mutation { x: createResume(input: {title: "T", content: {}}) { __typename } }'
    assert codes(await gql(client, create, headers=organization_key)) == ["credential-not-accepted"]
    moved = await gql(client, documents["moveApplication"], variables["moveApplication"], organization_key)
    assert moved["data"]["x"]["__typename"] == "Application", moved
