"""Applying to a job (a signed-in candidate with one of their resumes, or anyone with a file), and a
candidate's own applications: list, read (with the stage), withdraw."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile, status

from shortlist.application import repository, service
from shortlist.application.exceptions import ApplicationNotFound
from shortlist.application.schemas import ApplyWithResume, MyApplication
from shortlist.application.submission import (
    apply_with_own_resume,
    apply_with_upload,
    guest_fields,
    mine,
)
from shortlist.auth.dependencies import ResumeReader, optional_subject
from shortlist.auth.subject import Subject
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, by_created

# Idempotency-Key on the JSON apply only: a multipart body is read by the form parser before any dependency
# could fingerprint it. A retried upload is still safe: the second one is a duplicate (409).
router = APIRouter(tags=["applications"], route_class=TransactionalRoute)

MaybeSubject = Annotated[Subject | None, Depends(optional_subject)]
UPLOAD_PATH = "/v1/applications/upload"


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    operation_id="apply_with_resume",
    dependencies=[Depends(idempotency)],
)
async def apply_with_resume(
    body: ApplyWithResume,
    subject: ResumeReader,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> MyApplication:
    """Apply in one step with one of your resumes; the application keeps a frozen copy of it. The same
    person applying to the same job again gets 409. Send `Idempotency-Key` to make retries safe."""
    application, posting, organization = await apply_with_own_resume(
        context, request, session, subject, body.posting_id, body.resume_id
    )
    response.headers["Location"] = str(request.url_for("get_my_application", application_id=application.id))
    return mine(application, posting, organization)


@router.post(
    "/applications/upload",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="apply_with_file",
    responses={
        413: {"description": "The file is too large."},
        415: {"description": "Not PDF, DOCX or text."},
    },
)
async def apply_with_file(
    context: Context,
    session: Session,
    request: Request,
    subject: MaybeSubject,
    posting_id: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=200)],
    email: Annotated[str, Form(max_length=320)],
    file: Annotated[
        UploadFile, File(description="A resume: PDF, DOCX or plain text (identified by content).")
    ],
) -> MyApplication:
    """Apply with a file, signed in or not: name, e-mail and the resume. The file is parsed and scored on
    the worker (the application's status is `parsing` until then); a confirmation goes to the e-mail."""
    fields = guest_fields(posting_id, name, email)
    application, posting, organization = await apply_with_upload(
        context, request, session, subject, fields, file
    )
    return mine(application, posting, organization)


@router.get("/applications", operation_id="list_my_applications")
async def list_my_applications(
    subject: ResumeReader, session: Session, paging: Paging
) -> Page[MyApplication]:
    """Your applications with each one's stage, newest first."""
    scope = f"my-applications:{subject.user_id}"
    rows = await repository.mine_page(session, subject.user_id, paging.position(scope), paging.limit)
    return paging.page(
        scope, rows, MyApplication, key=lambda row: by_created(row[0]), item=lambda row: mine(*row)
    )


@router.get("/applications/{application_id}", operation_id="get_my_application")
async def get_my_application(application_id: uuid.UUID, subject: ResumeReader, session: Session) -> Any:
    found = await repository.mine(session, subject.user_id, application_id)
    if found is None:
        raise ApplicationNotFound()
    return mine(*found)


@router.post("/applications/{application_id}/withdraw", operation_id="withdraw_my_application")
async def withdraw_my_application(
    application_id: uuid.UUID, subject: ResumeReader, session: Session
) -> MyApplication:
    """Withdraw: the organisation sees it as withdrawn and it leaves their ranked list."""
    found = await repository.mine(session, subject.user_id, application_id)
    if found is None:
        raise ApplicationNotFound()
    await service.withdraw(session, found[0])
    return mine(*found)
