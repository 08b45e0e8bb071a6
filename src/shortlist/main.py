"""The ASGI application: lifespan wiring, middleware, error handlers, routes."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, Request, Response
from sqlalchemy.exc import OperationalError, ProgrammingError
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from shortlist.api import FAST_ROUTES, include_routes
from shortlist.application.candidate_endpoints import UPLOAD_PATH as APPLY_UPLOAD_PATH
from shortlist.ats.endpoints import UPLOAD_PATHS
from shortlist.auth.access import install_access_documentation
from shortlist.auth.keys import KeyRing
from shortlist.auth.passwords import PasswordHasher
from shortlist.auth.tokens import AccessTokenCodec
from shortlist.careers.endpoints import APPLY_PATH as CAREERS_APPLY_PATH
from shortlist.config import Environment, Settings, get_settings
from shortlist.context import AppContext, SecretKeys
from shortlist.design.renderer import Renderer
from shortlist.graphql.endpoint import GRAPHQL_PATH
from shortlist.http.errors import install_error_handlers
from shortlist.http.fast_path import FastPathMiddleware
from shortlist.http.idempotency import IdempotentReplay, replay_response
from shortlist.http.middleware import (
    RequestContextMiddleware,
    RequestGuardMiddleware,
    SecurityHeadersMiddleware,
)
from shortlist.job.embedded import JobRunner
from shortlist.job.registry import load_task_modules
from shortlist.job.runtime import job_services
from shortlist.kit.crypto import derive_key
from shortlist.kit.pagination import CursorCodec
from shortlist.platform.cache import cache_from_url
from shortlist.platform.db import Database, create_database
from shortlist.platform.email import Mailer, OutboxMailer, SmtpMailer
from shortlist.platform.observability.logging import configure_logging
from shortlist.platform.observability.tracing import (
    configure_tracing,
    instrument_engine,
    shutdown_tracing,
    tracing_enabled,
)
from shortlist.platform.pubsub import create_pubsub
from shortlist.platform.queue import JobQueue
from shortlist.platform.ratelimit import RateLimiter
from shortlist.web.spa import install_app
from shortlist.webhook.policy import egress_policy
from shortlist.webhook.runner import DeliveryRunner

API_DESCRIPTION = """
Shortlist turns a resume into structured data (JSON Resume), keeps its versions, and serves it to the tools
built on top. Authenticate with **Authorize** (e-mail and password) or an API key (`X-API-Key`).

Every error is an RFC 9457 problem document. Lists use cursor pagination (`next_cursor`, `Link`).
POST accepts `Idempotency-Key`; reads carry an `ETag`; updates honour `If-Match`.
"""

# Entries read on every authenticated request (account, API key and client state) and by the fast resume read;
# with Redis each process keeps its own copy of them, dropped by Redis's invalidation messages.
NEAR_CACHED_NAMESPACES = ("user:", "apikey:", "oauth_client:", "resume:")

OPENAPI_TAGS = [
    {"name": "auth", "description": "Accounts, tokens and e-mail flows."},
    {"name": "users", "description": "The signed-in account."},
    {"name": "api keys", "description": "Scoped credentials for integrations."},
    {"name": "oauth clients", "description": "Integrations that sign in with client credentials."},
    {"name": "resumes", "description": "JSON Resume documents with versions."},
    {"name": "rendering", "description": "Saved designs; PDF, PNG, HTML, DOCX, text and more."},
    {"name": "templates", "description": "The template catalogue (public)."},
    {"name": "sharing", "description": "Public read-only links to a resume."},
    {"name": "webhooks", "description": "Signed event notifications to your own URLs."},
    {"name": "jobs", "description": "Background jobs: status, progress (SSE), cancellation."},
    {"name": "ats", "description": "Parsing, ATS compatibility reports, job matching, profiles."},
    {"name": "health", "description": "Probes for orchestrators."},
]


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            username=settings.smtp_username,
            password=password,
            starttls=settings.smtp_starttls,
        )
    return OutboxMailer(settings.data_dir / "outbox", settings.mail_from)


async def build_context(settings: Settings, database: Database | None = None) -> AppContext:
    secret = settings.resolved_secret_key()
    keys = SecretKeys(
        refresh_tokens=derive_key(secret, "refresh-tokens"),
        api_keys=derive_key(secret, "api-keys"),
        action_tokens=derive_key(secret, "action-tokens"),
        sealing=derive_key(secret, "sealing"),
        share_tokens=derive_key(secret, "share-tokens"),
        webhooks=derive_key(secret, "webhook-secrets"),
    )
    database = database or create_database(settings.resolved_database_url)
    instrument_engine(database.engine)
    keyring = KeyRing(keys.sealing)
    try:
        async with database.writer() as session:
            await keyring.load(session)
    except (OperationalError, ProgrammingError) as exc:
        await database.dispose()
        raise RuntimeError(
            "The database schema is missing or out of date: run `shortlist migrate` first."
        ) from exc
    return AppContext(
        settings=settings,
        database=database,
        tokens=AccessTokenCodec(
            keyring,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
        ),
        passwords=PasswordHasher(
            time_cost=settings.password_time_cost, memory_cost_kib=settings.password_memory_cost_kib
        ),
        mailer=build_mailer(settings),
        rate_limiter=RateLimiter(settings.redis_url, enabled=settings.rate_limit_enabled),
        cursors=CursorCodec(derive_key(secret, "cursors")),
        keys=keys,
        # Render workers also report on the PDFs they render (ats.service): they import it once, up front.
        renderer=Renderer.from_settings(settings, preload=("shortlist.ats.service",)),
        webhook_egress=egress_policy(settings),
        cache=cache_from_url(
            settings.redis_url,
            near_namespaces=NEAR_CACHED_NAMESPACES,
            near_ttl=settings.cache_near_ttl_seconds,
        ),
        queue=JobQueue.from_url(
            settings.broker_url, queue_name=settings.broker_queue, prefetch=settings.worker_concurrency
        ),
        pubsub=create_pubsub(settings.redis_url),
    )


async def start_embedded_jobs(context: AppContext) -> JobRunner | None:
    """Without a broker, `serve` runs jobs itself: worker and scheduler loops on the server's event loop."""
    settings = context.settings
    if settings.broker_url or not settings.embedded_jobs:
        return None
    return await JobRunner(job_services(context)).start()


async def close_context(context: AppContext) -> None:
    await context.renderer.close()
    await context.queue.shutdown()
    await context.pubsub.close()
    await context.cache.close()
    await context.database.dispose()


def freeze_heap() -> None:
    """Collect once, then exempt every surviving object from later collections.

    A served process holds a large heap that lives as long as it does; without this, each full collection
    walks all of it (measured: ~180 ms a time, paid by whichever request allocates at that moment).
    """
    gc.collect()
    gc.freeze()


def _lifespan(
    settings: Settings, context: AppContext | None, owns_tracing: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Builds the AppContext (unless one was given), starts the embedded webhook and job loops, and stops
    them in reverse order."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = context is None
        app.state.context = context or await build_context(settings)
        delivery: DeliveryRunner | None = None
        if app.state.context.settings.webhook_delivery_embedded:
            delivery = DeliveryRunner(app.state.context)
            delivery.start()
        jobs = await start_embedded_jobs(app.state.context) if owned else None
        if owned:
            # Warm render workers before the first render asks for one (fonts and templates take a while).
            app.state.context.renderer.workers.start_in_background()
            if app.state.context.settings.gc_freeze_after_startup:
                freeze_heap()
        try:
            yield
        finally:
            if jobs is not None:
                await jobs.stop()
            if delivery is not None:
                await delivery.stop()
            if owned:
                await close_context(app.state.context)
            if owns_tracing:
                shutdown_tracing()  # flushes spans still in the batch

    return lifespan


def create_app(settings: Settings | None = None, *, context: AppContext | None = None) -> FastAPI:
    settings = settings or (context.settings if context else get_settings())
    configure_logging(settings.log_level, json=settings.log_json)
    # Routes enqueue job kinds that their domains register on import: every API process knows them all,
    # not only the ones that also run a worker.
    load_task_modules(settings.job_modules)
    # A caller (tests, a worker) may have configured tracing already; otherwise settings decide.
    owns_tracing = not tracing_enabled() and configure_tracing(settings)

    lifespan = _lifespan(settings, context, owns_tracing)
    app = FastAPI(
        title="Shortlist API",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        # Our own middleware traces and meters every request (platform/observability): FastAPI's native
        # telemetry would only look up OpenTelemetry's global providers on each request, or, if something
        # set them, record every request a second time.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    if context is not None:
        app.state.context = context
    install_error_handlers(app)

    async def handle_replay(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, IdempotentReplay)
        return replay_response(exc)

    app.add_exception_handler(IdempotentReplay, handle_replay)
    include_routes(app, settings)
    install_access_documentation(app)
    install_app(app)  # only for paths no route claims
    _add_middleware(app, settings)
    return app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Added inside-out: the last one added is the outermost.
    app.add_middleware(FastPathMiddleware, routes=FAST_ROUTES)
    app.add_middleware(
        RequestGuardMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_limits={
            **dict.fromkeys(UPLOAD_PATHS, settings.ats_upload_max_bytes),
            **dict.fromkeys(APPLY_UPLOAD_PATHS, settings.careers_upload_max_bytes),
        },
        multipart_upload_limits={GRAPHQL_PATH: settings.ats_upload_max_bytes},
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.environment is Environment.production)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                # What a multipart request to /graphql carries to make the browser ask first (CSRF).
                "GraphQL-Preflight",
                "Apollo-Require-Preflight",
                "Idempotency-Key",
                "If-Match",
                "If-None-Match",
                "X-API-Key",
                "X-Request-ID",
            ],
            expose_headers=[
                "Content-Disposition",
                "Deprecation",
                "ETag",
                "Link",
                "Location",
                "RateLimit",
                "RateLimit-Policy",
                "Retry-After",
                "X-Page-Count",
                "X-Request-ID",
            ],
        )
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    # Outermost: it opens the request's span (while tracing is on) around everything else.
    app.add_middleware(RequestContextMiddleware, metrics=settings.metrics_enabled)


APPLY_UPLOAD_PATHS = frozenset({APPLY_UPLOAD_PATH, CAREERS_APPLY_PATH})
