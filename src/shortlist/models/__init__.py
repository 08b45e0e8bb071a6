"""Every table, one module each, on one metadata (so Alembic sees all of them and imports never cycle)."""

from shortlist.kit.db import Base
from shortlist.models.action_token import ActionToken
from shortlist.models.api_key import ApiKey
from shortlist.models.application import Application
from shortlist.models.application_detail import (
    ApplicationNote,
    ApplicationRating,
    ApplicationScorecard,
    ApplicationSkill,
    ApplicationTag,
)
from shortlist.models.application_file import ApplicationFile
from shortlist.models.application_move import ApplicationMove
from shortlist.models.ats_upload import AtsUpload
from shortlist.models.candidate_data_access import CandidateDataAccess
from shortlist.models.event import Event
from shortlist.models.idempotency_key import IdempotencyKey
from shortlist.models.job import Job
from shortlist.models.job_posting import JobPosting
from shortlist.models.job_posting_manager import JobPostingManager
from shortlist.models.oauth_client import OAuthClient
from shortlist.models.organization import Organization
from shortlist.models.organization_api_key import OrganizationApiKey
from shortlist.models.organization_invitation import OrganizationInvitation
from shortlist.models.organization_member import OrganizationMember
from shortlist.models.refresh_token import RefreshToken
from shortlist.models.resume import Resume
from shortlist.models.resume_design import ResumeDesign
from shortlist.models.resume_share import ResumeShare
from shortlist.models.resume_version import ResumeVersion
from shortlist.models.signing_key import SigningKey
from shortlist.models.user import User
from shortlist.models.user_identity import UserIdentity
from shortlist.models.webhook_delivery import WebhookDelivery
from shortlist.models.webhook_endpoint import WebhookEndpoint

__all__ = [
    "ActionToken",
    "ApiKey",
    "Application",
    "ApplicationFile",
    "ApplicationMove",
    "ApplicationNote",
    "ApplicationRating",
    "ApplicationScorecard",
    "ApplicationSkill",
    "ApplicationTag",
    "AtsUpload",
    "Base",
    "CandidateDataAccess",
    "Event",
    "IdempotencyKey",
    "Job",
    "JobPosting",
    "JobPostingManager",
    "OAuthClient",
    "Organization",
    "OrganizationApiKey",
    "OrganizationInvitation",
    "OrganizationMember",
    "RefreshToken",
    "Resume",
    "ResumeDesign",
    "ResumeShare",
    "ResumeVersion",
    "SigningKey",
    "User",
    "UserIdentity",
    "WebhookDelivery",
    "WebhookEndpoint",
]
