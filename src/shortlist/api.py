"""Every route of the application, registered here and only here: the versioned REST API under /v1 (each
domain's router), its WebSockets, GraphQL, the public pages, health, JWKS, API documentation and metrics."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shortlist.account.pages import router as account_pages_router
from shortlist.apikey.endpoints import router as api_key_router
from shortlist.application.audit.endpoints import router as candidate_audit_router
from shortlist.application.candidate_endpoints import router as apply_router
from shortlist.application.collaboration_endpoints import router as collaboration_router
from shortlist.application.endpoints import router as application_router
from shortlist.application.privacy_endpoints import router as privacy_router
from shortlist.ats.endpoints import router as ats_router
from shortlist.auth.clients.endpoints import router as oauth_client_router
from shortlist.auth.endpoints import router as auth_router
from shortlist.auth.jwks import router as jwks_router
from shortlist.auth.oidc.endpoints import router as oidc_router
from shortlist.careers.endpoints import router as careers_router
from shortlist.config import Settings
from shortlist.design.endpoints import options_router as design_options_router
from shortlist.design.endpoints import router as design_router
from shortlist.graphql.endpoint import router as graphql_router
from shortlist.graphql.endpoint import websocket_routes as graphql_websocket_routes
from shortlist.health.endpoints import router as health_router
from shortlist.http.fast_path import FastRoute
from shortlist.http.ratelimit import rate_limit
from shortlist.job.endpoints import router as job_router
from shortlist.job.live import router as live_router
from shortlist.organization.credentials.endpoints import router as organization_credentials_router
from shortlist.organization.endpoints import router as organization_router
from shortlist.posting.endpoints import router as posting_router
from shortlist.resume.endpoints import read_router as resume_read_router
from shortlist.resume.endpoints import router as resume_router
from shortlist.resume.endpoints import serve_cached_resume
from shortlist.share.endpoints import public_router as share_public_router
from shortlist.share.endpoints import router as share_router
from shortlist.template.endpoints import router as template_router
from shortlist.user.endpoints import router as user_router
from shortlist.web.session import router as browser_session_router
from shortlist.webhook.endpoints import router as webhook_router
from shortlist.webhook.organization_endpoints import router as organization_webhook_router

# Answered before routing when what they need came with the caller's account state (http/fast_path.py).
FAST_ROUTES = (FastRoute("get_resume", serve_cached_resume),)

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
api_router.include_router(candidate_audit_router)
api_router.include_router(organization_credentials_router)
api_router.include_router(organization_webhook_router)
api_router.include_router(apply_router)


def include_routes(app: FastAPI, settings: Settings) -> None:
    """Every route, in matching order. The browser app is not a route: it answers what none of these claims."""
    app.include_router(
        hot_router
    )  # ahead of api_router: the hottest reads limit themselves in one dependency
    app.include_router(api_router)
    # WebSockets sit outside api_router: its HTTP dependencies (rate limit) do not apply to a socket.
    app.include_router(live_router, prefix="/v1")
    app.include_router(graphql_router)
    app.router.routes.extend(graphql_websocket_routes(settings))
    app.include_router(health_router)
    app.include_router(share_public_router)
    app.include_router(account_pages_router)  # the pages e-mailed links open
    app.include_router(careers_router)
    _include_documentation(app)
    app.include_router(jwks_router)
    if settings.metrics_enabled:
        app.add_api_route("/metrics", metrics, include_in_schema=False)


async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _include_documentation(app: FastAPI) -> None:
    """Swagger UI and ReDoc, with their assets served from the installed package (they work offline)."""
    static = files("fastapi_offline") / "static"
    app.mount("/static/docs", StaticFiles(directory=str(static)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Shortlist API — Swagger UI",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="Shortlist API — ReDoc",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )
