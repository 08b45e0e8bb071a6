"""What the recruiter side's types and mutations share: ids that carry the organisation (so every lookup
starts from the caller's membership, never from a bare row), and the membership × operation check of
`organization/policy.py`, through the organisation service as REST's `Permits` dependency does."""

from __future__ import annotations

import uuid

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.graphql.context import GraphInfo, require_member
from shortlist.graphql.ids import UnknownId, global_id, parse_global_id
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access


def recruiting_id(type_name: str, *keys: uuid.UUID) -> strawberry.ID:
    """`Organization:<org>`, `JobPosting:<org>:<posting>`, `Application:<org>:<posting>:<application>`…"""
    return strawberry.ID(global_id(type_name, ":".join(str(k) for k in keys)))


def recruiting_keys(raw_id: str, expected: str, count: int) -> list[uuid.UUID]:
    type_name, key = parse_global_id(raw_id)
    parts = key.split(":")
    if type_name != expected or len(parts) != count:
        raise UnknownId()
    try:
        return [uuid.UUID(part) for part in parts]
    except ValueError as exc:
        raise UnknownId() from exc


async def member_access(info: GraphInfo, organization_id: uuid.UUID, operation: Operation) -> Access | None:
    """The caller's standing, for reads: None when not a member (the organisation does not exist for
    them), a `organization-operation-forbidden` error when the role does not allow `operation`."""
    require_member(info)
    found = await info.context.recruiting.access.load(organization_id)
    if found is not None:
        found.require(operation)
    return found


async def writer_access(
    info: GraphInfo, session: AsyncSession, organization_id: uuid.UUID, operation: Operation
) -> Access:
    """For writes: REST's `Permits(operation)` — not a member is NotFound (a typed result), a role
    without the operation is Forbidden (an error), as REST's 404 and 403."""
    subject = require_member(info)
    found = await organization_service.access(session, subject, organization_id)
    found.require(operation)
    return found
