"""Resume, design and share-link writes: the same service calls as the REST routes, with typed results."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from shortlist.auth.scopes import Scope
from shortlist.design import repository as design_repository
from shortlist.design import service as design_service
from shortlist.graphql.content import ResumeContentInput, plain_json
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.ids import uuid_of
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.graphql.types import Design, Resume, ShareLink
from shortlist.kit.conditional import check_expected_version
from shortlist.models import Resume as ResumeModel
from shortlist.rendering import Design as DesignModel
from shortlist.resume import service as resume_service
from shortlist.resume.jsonresume import validate_document
from shortlist.resume.schemas import ResumeCreate
from shortlist.share import repository as share_repository
from shortlist.share import service as share_service
from shortlist.share.exceptions import ShareNotFound
from shortlist.share.schemas import ShareCreate

ResumeResult = Annotated[
    Resume | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("ResumeResult")
]
DesignResult = Annotated[
    Design | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("DesignResult")
]
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(description="The version you read (If-Match): a stale one gets a ConflictProblem."),
]
IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="Makes a retry safe: the same key and arguments give the first result."),
]


class ResumeImportTitle(BaseModel):
    """REST's `title` query parameter of the import: optional, 1 to 200 characters."""

    title: str | None = Field(default=None, min_length=1, max_length=200)


@strawberry.input
class ResumeInput:
    title: str
    content: ResumeContentInput


@strawberry.input(description="Only the fields given change; the content is replaced as a whole.")
class ResumePatch:
    title: str | None = strawberry.UNSET
    content: ResumeContentInput | None = strawberry.UNSET


@strawberry.input(description="A whole design; omitted options take the template's defaults.")
class DesignInput:
    template: str = "classic"
    color: str | None = None
    font: str | None = None
    base_size: float | None = None
    line_spacing: float | None = None
    margins_mm: float | None = None
    page_size: str = "a4"
    section_order: list[str] | None = None
    hidden_sections: list[str] | None = None
    date_format: str | None = None
    show_icons: bool | None = None
    show_links: bool = True
    language: str = "en"


@strawberry.input(description="Change some options; null restores an option's default.")
class DesignPatch:
    template: str | None = strawberry.UNSET
    color: str | None = strawberry.UNSET
    font: str | None = strawberry.UNSET
    base_size: float | None = strawberry.UNSET
    line_spacing: float | None = strawberry.UNSET
    margins_mm: float | None = strawberry.UNSET
    page_size: str | None = strawberry.UNSET
    section_order: list[str] | None = strawberry.UNSET
    hidden_sections: list[str] | None = strawberry.UNSET
    date_format: str | None = strawberry.UNSET
    show_icons: bool | None = strawberry.UNSET
    show_links: bool | None = strawberry.UNSET
    language: str | None = strawberry.UNSET


@strawberry.input
class ShareInput:
    formats: list[str] = strawberry.field(default_factory=lambda: ["html", "pdf"])
    expires_at: datetime | None = None


@strawberry.type(description="A new share link. The token and URLs are shown only here.")
class ShareCreated:
    share: ShareLink
    token: str
    html_url: str | None
    pdf_url: str | None


ShareResult = Annotated[
    ShareCreated | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("ShareResult")
]
ShareRevokeResult = Annotated[ShareLink | NotFoundProblem, strawberry.union("ShareRevokeResult")]


def _given(patch: Any) -> dict[str, Any]:
    """The fields a patch input sets (null included), as a JSON merge patch."""
    return {
        name: plain_json(value)
        for name in patch.__dataclass_fields__
        if (value := getattr(patch, name)) is not strawberry.UNSET
    }


def _content(content: ResumeContentInput) -> dict[str, Any]:
    return _content_dict(plain_json(content))


def _content_dict(raw: Any) -> dict[str, Any]:
    return validate_document(raw or {})


async def _writable(info: GraphInfo, session: AsyncSession, raw_id: strawberry.ID) -> ResumeModel:
    subject = require(info, Scope.resumes_write)
    return await resume_service.get(session, subject, uuid_of(raw_id, "Resume"))


@strawberry.type
class ResumeMutations:
    @strawberry.mutation(description="Create a resume from a JSON Resume document.")
    async def create_resume(
        self,
        info: GraphInfo,
        input: ResumeInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ResumeResult:
        subject = require(info, Scope.resumes_write)
        settings = info.context.app.settings

        async def create(session: AsyncSession) -> uuid.UUID:
            body = validated(ResumeCreate, {"title": input.title, "content": _content(input.content)})
            resume = await resume_service.create(
                settings, session, subject, body.title, body.content.to_json()
            )
            return resume.id

        arguments = {"title": input.title, "content": plain_json(input.content)}
        return await idempotent(info, idempotency_key, "createResume", arguments, create, _reload(subject))

    @strawberry.mutation(
        description="Create a resume from a bare JSON Resume document; every property is kept, those outside "
        "the schema too (as REST's import)."
    )
    async def import_resume(
        self,
        info: GraphInfo,
        document: JSON,
        title: str | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> ResumeResult:
        subject = require(info, Scope.resumes_write)
        settings = info.context.app.settings

        async def create(session: AsyncSession) -> uuid.UUID:
            content = validate_document(document, location="document")
            chosen = validated(ResumeImportTitle, {"title": title}).title
            resume = await resume_service.create(
                settings, session, subject, resume_service.import_title(content, chosen), content
            )
            return resume.id

        arguments = {"document": document, "title": title}
        return await idempotent(info, idempotency_key, "importResume", arguments, create, _reload(subject))

    @strawberry.mutation(description="Replace title and content.")
    async def replace_resume(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        input: ResumeInput,
        expected_version: ExpectedVersion = None,
    ) -> ResumeResult:
        settings = info.context.app.settings

        async def replace(session: AsyncSession) -> Resume:
            resume = await _writable(info, session, id)
            check_expected_version(resume.version, expected_version, resume_service.etag_of(resume))
            body = validated(ResumeCreate, {"title": input.title, "content": _content(input.content)})
            await resume_service.replace(settings, session, resume, body.title, body.content.to_json())
            return Resume.of(resume)

        return await run_mutation(info, replace)

    @strawberry.mutation(description="Change the title, the content, or both.")
    async def update_resume(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        patch: ResumePatch,
        expected_version: ExpectedVersion = None,
    ) -> ResumeResult:
        settings = info.context.app.settings

        async def update(session: AsyncSession) -> Resume:
            resume = await _writable(info, session, id)
            check_expected_version(resume.version, expected_version, resume_service.etag_of(resume))
            changes = _given(patch)
            # A typed input cannot say "remove this property": content, when given, replaces the whole.
            content = _content_dict(changes["content"]) if "content" in changes else resume.content
            body = validated(ResumeCreate, {"title": changes.get("title", resume.title), "content": content})
            await resume_service.replace(settings, session, resume, body.title, body.content.to_json())
            return Resume.of(resume)

        return await run_mutation(info, update)

    @strawberry.mutation(description="Move to the trash; `restoreResume` brings it back.")
    async def delete_resume(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        expected_version: ExpectedVersion = None,
    ) -> ResumeResult:
        async def trash(session: AsyncSession) -> Resume:
            resume = await _writable(info, session, id)
            check_expected_version(resume.version, expected_version, resume_service.etag_of(resume))
            await resume_service.soft_delete(session, resume)
            await session.flush()
            return Resume.of(resume)

        return await run_mutation(info, trash)

    @strawberry.mutation(description="Take a resume out of the trash.")
    async def restore_resume(self, info: GraphInfo, id: strawberry.ID) -> ResumeResult:
        subject = require(info, Scope.resumes_write)
        resume_id = uuid_of(id, "Resume")

        async def restore(session: AsyncSession) -> Resume:
            return Resume.of(await resume_service.restore(session, subject, resume_id))

        return await run_mutation(info, restore)

    @strawberry.mutation(description="Copy a resume (content and title) into a new one.")
    async def duplicate_resume(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        idempotency_key: IdempotencyKey = None,
    ) -> ResumeResult:
        subject = require(info, Scope.resumes_write)
        settings = info.context.app.settings

        async def duplicate(session: AsyncSession) -> uuid.UUID:
            source = await resume_service.get(session, subject, uuid_of(id, "Resume"))
            return (await resume_service.duplicate(settings, session, subject, source)).id

        return await idempotent(
            info, idempotency_key, "duplicateResume", {"id": id}, duplicate, _reload(subject)
        )

    @strawberry.mutation(description="Make an old version the current one (as a new version).")
    async def restore_resume_version(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        number: int,
        expected_version: ExpectedVersion = None,
    ) -> ResumeResult:
        settings = info.context.app.settings

        async def restore(session: AsyncSession) -> Resume:
            resume = await _writable(info, session, id)
            check_expected_version(resume.version, expected_version, resume_service.etag_of(resume))
            return Resume.of(await resume_service.restore_version(settings, session, resume, number))

        return await run_mutation(info, restore)

    @strawberry.mutation(description="Save the whole design (options the template ignores are dropped).")
    async def replace_design(
        self,
        info: GraphInfo,
        resume_id: strawberry.ID,
        input: DesignInput,
        expected_version: ExpectedVersion = None,
    ) -> DesignResult:
        async def save(session: AsyncSession) -> Design:
            resume = await _writable(info, session, resume_id)
            row = await design_service.for_write(session, resume)
            check_expected_version(row.version if row else 0, expected_version, design_service.etag_of(row))
            values = {k: v for k, v in plain_json(input).items() if v is not None}
            design = design_service.normalise(validated(DesignModel, values))
            row = await design_service.save(session, resume, row, design)
            return Design.from_model(design, row.version)

        return await run_mutation(info, save)

    @strawberry.mutation(description="Change some design options; switching template keeps what it honours.")
    async def update_design(
        self,
        info: GraphInfo,
        resume_id: strawberry.ID,
        patch: DesignPatch,
        expected_version: ExpectedVersion = None,
    ) -> DesignResult:
        async def save(session: AsyncSession) -> Design:
            resume = await _writable(info, session, resume_id)
            row = await design_repository.get(session, resume.id)
            check_expected_version(row.version if row else 0, expected_version, design_service.etag_of(row))
            design = design_service.merged(design_service.stored_design(row), _given(patch), location="patch")
            row = await design_service.save(session, resume, row, design)
            return Design.from_model(design, row.version)

        return await run_mutation(info, save)

    @strawberry.mutation(description="A public read-only link; the token is in this answer only.")
    async def create_share(
        self,
        info: GraphInfo,
        resume_id: strawberry.ID,
        input: ShareInput | None = None,
    ) -> ShareResult:
        context = info.context

        async def create(session: AsyncSession) -> ShareCreated:
            resume = await _writable(info, session, resume_id)
            given = input or ShareInput()
            body = validated(ShareCreate, {"formats": given.formats, "expires_at": given.expires_at})
            share, token = await share_service.create(
                context.app.settings,
                context.app.keys.share_tokens,
                session,
                resume,
                body.formats,
                body.expires_at,
            )
            request = context.request
            return ShareCreated(
                share=ShareLink.of(share),
                token=token,
                html_url=str(request.url_for("get_shared_resume", token=token))
                if "html" in share.formats
                else None,
                pdf_url=str(request.url_for("get_shared_resume_pdf", token=token))
                if "pdf" in share.formats
                else None,
            )

        return await run_mutation(info, create)

    @strawberry.mutation(description="Revoke a share link: it stops working at once.")
    async def revoke_share(self, info: GraphInfo, id: strawberry.ID) -> ShareRevokeResult:
        subject = require(info, Scope.resumes_write)
        share_id = uuid_of(id, "ShareLink")

        async def revoke(session: AsyncSession) -> ShareLink:
            share = await share_repository.get_by_id(session, share_id)
            if share is None:
                raise ShareNotFound()
            await resume_service.get(session, subject, share.resume_id)  # the owner's, or not found
            share_service.revoke(share)
            await session.flush()
            return ShareLink.of(share)

        result = await run_mutation(info, revoke)
        assert not isinstance(result, ValidationProblem | ConflictProblem)
        return result


def _reload(subject: Any) -> Any:
    async def load(session: AsyncSession, resume_id: uuid.UUID) -> Resume:
        return Resume.of(await resume_service.get(session, subject, resume_id))

    return load
