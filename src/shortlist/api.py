"""The versioned REST API: every domain router under /v1."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from shortlist.apikey.endpoints import router as api_key_router
from shortlist.application.candidate_endpoints import router as apply_router
from shortlist.application.collaboration_endpoints import router as collaboration_router
from shortlist.application.endpoints import router as application_router
from shortlist.application.privacy_endpoints import router as privacy_router
from shortlist.ats.endpoints import router as ats_router
from shortlist.auth.clients.endpoints import router as oauth_client_router
from shortlist.auth.endpoints import router as auth_router
from shortlist.auth.oidc.endpoints import router as oidc_router
from shortlist.design.endpoints import options_router as design_options_router
from shortlist.design.endpoints import router as design_router
from shortlist.http.ratelimit import rate_limit
from shortlist.job.endpoints import router as job_router
from shortlist.organization.endpoints import router as organization_router
from shortlist.posting.endpoints import router as posting_router
from shortlist.resume.endpoints import read_router as resume_read_router
from shortlist.resume.endpoints import router as resume_router
from shortlist.share.endpoints import router as share_router
from shortlist.template.endpoints import router as template_router
from shortlist.user.endpoints import router as user_router
from shortlist.web.session import router as browser_session_router
from shortlist.webhook.endpoints import router as webhook_router

# The hottest reads, included ahead of api_router: they rate-limit themselves in their one dependency
# (auth.dependencies.LimitedCaller) instead of through the router's.
hot_router = APIRouter(prefix="/v1")
hot_router.include_router(resume_read_router)

api_router = APIRouter(prefix="/v1", dependencies=[Depends(rate_limit)])
# Routes are matched in order, one by one: the most requested (resume reads) go first.
api_router.include_router(resume_router)
api_router.include_router(auth_router)
api_router.include_router(oidc_router)
api_router.include_router(browser_session_router)
api_router.include_router(user_router)
api_router.include_router(api_key_router)
api_router.include_router(oauth_client_router)
api_router.include_router(design_router)
api_router.include_router(share_router)
api_router.include_router(template_router)
api_router.include_router(design_options_router)
api_router.include_router(webhook_router)
api_router.include_router(job_router)
api_router.include_router(ats_router)
api_router.include_router(organization_router)
api_router.include_router(posting_router)
api_router.include_router(application_router)
api_router.include_router(collaboration_router)
api_router.include_router(privacy_router)
api_router.include_router(apply_router)
