"""The versioned REST API: every domain router under /v1."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from shortlist.apikey.endpoints import router as api_key_router
from shortlist.ats.endpoints import router as ats_router
from shortlist.auth.endpoints import router as auth_router
from shortlist.design.endpoints import router as design_router
from shortlist.http.ratelimit import rate_limit
from shortlist.job.endpoints import router as job_router
from shortlist.resume.endpoints import router as resume_router
from shortlist.share.endpoints import router as share_router
from shortlist.template.endpoints import router as template_router
from shortlist.user.endpoints import router as user_router
from shortlist.web.session import router as browser_session_router
from shortlist.webhook.endpoints import router as webhook_router

api_router = APIRouter(prefix="/v1", dependencies=[Depends(rate_limit)])
# Routes are matched in order, one by one: the most requested (resume reads) go first.
api_router.include_router(resume_router)
api_router.include_router(auth_router)
api_router.include_router(browser_session_router)
api_router.include_router(user_router)
api_router.include_router(api_key_router)
api_router.include_router(design_router)
api_router.include_router(share_router)
api_router.include_router(template_router)
api_router.include_router(webhook_router)
api_router.include_router(job_router)
api_router.include_router(ats_router)
