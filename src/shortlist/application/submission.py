"""Applying, shared by the REST routes, the careers page form and GraphQL: reading an upload, the name an
application carries, and what follows its commit (scoring on the worker, the confirmation mail)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, UploadFile
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application import service
from shortlist.application.exceptions import ApplicationNotFound
from shortlist.application.schemas import GuestFields, MyApplication
from shortlist.auth.subject import Subject
from shortlist.context import AppContext
from shortlist.design.exceptions import validation_failed
from shortlist.http.ratelimit import client_address
from shortlist.http.route import on_after_commit
from shortlist.job.enqueue import enqueue_in_request
from shortlist.kit.problems import PayloadTooLarge
from shortlist.models import Application, JobPosting, Organization, User
from shortlist.posting import ats_adapter
from shortlist.resume import service as resume_service


def mine(application: Application, posting: JobPosting, organization: Organization) -> MyApplication:
    names = {str(s["id"]): str(s["name"]) for s in posting.stages["stages"]}
    return MyApplication(
        id=application.id,
        posting_id=posting.id,
        job_title=posting.title,
        organization=organization.name,
        status=application.status,
        stage=application.stage,
        stage_name=names.get(application.stage, application.stage),
        created_at=application.created_at,
        withdrawn_at=application.withdrawn_at,
    )


def applicant_name(user: User, content: dict[str, Any]) -> str:
    """The name an application with a resume carries: the account's, else the resume's, else the address."""
    basics = content.get("basics") if isinstance(content.get("basics"), dict) else {}
    return str(user.name or (basics or {}).get("name") or user.email)[:200]


async def submitted(
    context: AppContext,
    request: Request,
    session: AsyncSession,
    application: Application,
    posting: JobPosting,
    organization: Organization,
) -> None:
    """Queue the scoring and send the confirmation once the application has committed."""
    await enqueue_in_request(
        request,
        session,
        service.SCORE_KIND,
        {"application_id": str(application.id)},
        owner_id=None,
        resource_id=application.id,
    )
    subject, text = service.confirmation_mail(organization, posting, application.name)
    address = application.email

    async def send() -> None:
        await context.mailer.send(address, subject, text)

    on_after_commit(request, send)


async def apply_with_own_resume(
    context: AppContext,
    request: Request,
    session: AsyncSession,
    subject: Subject,
    posting_id: uuid.UUID,
    resume_id: uuid.UUID,
) -> tuple[Application, JobPosting, Organization]:
    """A signed-in candidate applies with one of their resumes (a frozen copy). Shared by REST and GraphQL."""
    await service.check_apply_limits(context, client_address(request), posting_id)
    posting, organization = await service.open_posting(session, posting_id)
    resume = await resume_service.get(session, subject, resume_id)
    user = await session.get(User, subject.user_id)
    if user is None:  # the account went between authentication and now
        raise ApplicationNotFound()
    application = await service.apply_with_resume(
        session,
        posting,
        organization,
        user.id,
        applicant_name(user, resume.content),
        user.email,
        resume.id,
        dict(resume.content),
    )
    await submitted(context, request, session, application, posting, organization)
    return application, posting, organization


async def read_upload(context: AppContext, file: UploadFile) -> tuple[bytes, str]:
    cap = context.settings.careers_upload_max_bytes
    data = await file.read(cap + 1)
    if len(data) > cap:
        raise PayloadTooLarge(f"The file exceeds the upload limit of {cap} bytes.")
    return data, ats_adapter.check_file(data, cap)


async def apply_with_upload(
    context: AppContext,
    request: Request,
    session: AsyncSession,
    subject: Subject | None,
    fields: GuestFields,
    file: UploadFile,
) -> tuple[Application, JobPosting, Organization]:
    """Shared by the API and the careers page form."""
    await service.check_apply_limits(context, client_address(request), fields.posting_id)
    posting, organization = await service.open_posting(session, fields.posting_id)
    data, file_type = await read_upload(context, file)
    application = await service.apply_with_file(
        session,
        posting,
        organization,
        subject.user_id if subject else None,
        fields.name,
        str(fields.email),
        data,
        file_type,
        file.filename,
    )
    await submitted(context, request, session, application, posting, organization)
    return application, posting, organization


def guest_fields(posting_id: str, name: str, email: str) -> GuestFields:
    try:
        return GuestFields.model_validate({"posting_id": posting_id, "name": name, "email": email})
    except ValidationError as exc:
        raise validation_failed(exc, "body") from exc
