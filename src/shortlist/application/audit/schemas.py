from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shortlist.kit.schemas import ResponseModel


class CandidateDataAccessOut(ResponseModel):
    id: uuid.UUID
    action: str = Field(
        description="application.read, applications.listed (one per application on a ranked list page), "
        "application.file_downloaded, applications.export_requested, "
        "applications.export_downloaded, candidate_data.exported or candidate_data.erased."
    )
    actor_id: uuid.UUID | None = Field(description="The member who acted (for a key or client: its issuer).")
    credential: str = Field(
        description="session, organization_key or organization_client; scheduler for the retention rule's erasures."
    )
    credential_id: uuid.UUID | None = Field(description="The organisation key or OAuth client that acted.")
    posting_id: uuid.UUID | None
    application_id: uuid.UUID | None
    person_id: uuid.UUID | None = Field(description="The candidate's account, when they applied signed in.")
    request_id: str | None
    created_at: datetime
