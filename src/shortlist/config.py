"""Settings, read from the environment (prefix ``SHORTLIST_``) and an optional ``.env`` file."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class OidcProvider(BaseModel):
    """One OpenID Connect provider people may sign in with (an entry of SHORTLIST_OIDC_PROVIDERS)."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="Used in URLs: /v1/auth/oidc/<name>/…"
    )
    issuer: str = Field(min_length=1, description="The issuer URL; discovery reads <issuer>/.well-known/…")
    client_id: str = Field(min_length=1)
    client_secret: SecretStr = SecretStr("")
    display_name: str | None = None
    scopes: str = "openid email profile"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHORTLIST_", env_file=".env", extra="ignore")

    environment: Environment = Environment.development
    data_dir: Path = Path("var")
    # Empty means the embedded default: a SQLite file under data_dir.
    database_url: str = ""
    redis_url: str | None = None
    # Used to derive HMAC keys (refresh tokens, API keys, cursors) and to encrypt signing keys at rest.
    # Empty in development: generated once and kept under data_dir. Required in production.
    secret_key: SecretStr = SecretStr("")

    # Base of the links in e-mails. Unset, `shortlist serve` derives it from the address it serves.
    public_url: str = "http://127.0.0.1:8000"
    jwt_issuer: str = "shortlist"
    jwt_audience: str = "shortlist-api"
    access_token_ttl_seconds: int = Field(default=900, ge=30, le=900)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=300)
    refresh_reuse_grace_seconds: float = Field(default=5.0, ge=0, le=60)
    action_token_ttl_seconds: int = Field(default=3600, ge=60)
    # Lifetime of an access token from the OAuth2 client-credentials grant (no refresh token: ask again).
    client_token_ttl_seconds: int = Field(default=300, ge=30, le=900)
    # OpenID Connect providers, as a JSON list of {name, issuer, client_id, client_secret, display_name}.
    oidc_providers: list[OidcProvider] = Field(default_factory=list)

    # Argon2id cost; the defaults are the library's. Tests lower them to stay fast.
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_cost_kib: int = Field(default=65536, ge=8)
    password_min_length: int = Field(default=10, ge=8)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Rate limits in the `limits` notation ("100/minute"), per subject kind.
    rate_limit_enabled: bool = True
    rate_limit_anonymous: str = "60/minute"
    rate_limit_user: str = "600/minute"
    rate_limit_api_key: str = "1200/minute"
    rate_limit_login_per_account: str = "10/15minutes"
    rate_limit_login_per_ip: str = "30/15minutes"

    resume_max_bytes: int = Field(default=256 * 1024, ge=1024)
    resume_max_string_length: int = Field(default=20_000, ge=100)
    resume_max_per_user: int = Field(default=200, ge=1)
    idempotency_key_ttl_hours: int = Field(default=24, ge=24)

    # Rendering for the API: outputs are kept in a per-process LRU bounded in bytes, keyed by the rendering
    # cache key; renders run in render_concurrency warm worker processes (each holds the fonts, ~150 MB),
    # with at most render_queue_max more waiting (beyond that: 503 with Retry-After, not an endless queue).
    render_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    render_cache_ttl_seconds: int = Field(default=3600, ge=1)
    render_concurrency: int = Field(default=2, ge=1, le=64)
    render_queue_max: int = Field(default=32, ge=0)
    # A render (or report on a rendered file) still running after this long has its worker process killed and
    # replaced; the request gets 422 render-timeout (docs/rendering.md).
    render_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    share_max_per_resume: int = Field(default=50, ge=1)
    # ATS uploads (docs/ats.md): the largest file accepted, how long an upload waits for its parse job, and
    # how many engine calls run at once per process (each upload parse in a limited child process, with this
    # wall-clock timeout).
    ats_upload_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    ats_upload_retention_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    ats_parse_concurrency: int = Field(default=2, ge=1, le=64)
    ats_parse_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    # Outbound webhooks (docs/webhooks.md). Hosts exempt from the SSRF block list, e.g. "127.0.0.1" in
    # development; plain http is accepted outside production only.
    webhook_allow_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Seconds to wait before each retry; the number of entries is the number of retries.
    webhook_retry_schedule: Annotated[list[Annotated[float, Field(ge=0, le=86400)]], NoDecode] = Field(
        default_factory=lambda: [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0], max_length=20
    )
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    webhook_breaker_threshold: int = Field(default=5, ge=1)
    webhook_breaker_cooldown_seconds: float = Field(default=300.0, gt=0)
    webhook_disable_after_days: float = Field(default=5.0, gt=0)
    webhook_secret_overlap_hours: float = Field(default=24.0, ge=0, le=168)
    webhook_max_per_user: int = Field(default=20, ge=1)
    # The in-process delivery loop (embedded default); a jobs worker replaces it when it runs delivery.
    webhook_delivery_embedded: bool = True
    webhook_poll_interval_seconds: float = Field(default=1.0, gt=0)
    webhook_delivery_concurrency: int = Field(default=8, ge=1, le=256)
    # Finished deliveries (and their attempt logs) are deleted after this many days.
    webhook_delivery_retention_days: float = Field(default=30.0, gt=0)

    # Recruiting (docs/recruiting.md): invitation lifetime, careers-page apply limits per client address and
    # per job, the largest file a guest may apply with.
    organization_invitation_hours: float = Field(default=72.0, gt=0, le=24 * 30)
    careers_apply_limit_per_address: str = "10/hour"
    careers_apply_limit_per_job: str = "600/hour"
    careers_upload_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # Entries of the candidate-data access log (who read or exported candidate data) are kept this long.
    candidate_audit_retention_days: int = Field(default=730, ge=1)

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "Shortlist <no-reply@shortlist.local>"

    # Background jobs. No broker URL: jobs travel through an in-process queue and `serve` runs them itself.
    # amqp://… uses RabbitMQ, redis://… Redis Streams; the jobs table stays the source of truth either way.
    broker_url: str | None = None
    broker_queue: str = "shortlist.jobs"
    embedded_jobs: bool = True  # without a broker, `serve` runs the worker and scheduler loops in-process
    worker_concurrency: int = Field(default=4, ge=1, le=256)
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0)
    worker_shutdown_grace_seconds: float = Field(default=20.0, ge=0)
    # A running job whose heartbeat is older than this lost its worker; the sweeper takes it back.
    job_stale_after_seconds: float = Field(default=30.0, gt=0)
    # A queued job not started this long after its last publication is published again (lost delivery).
    job_redeliver_after_seconds: float = Field(default=60.0, gt=0)
    job_max_attempts: int = Field(default=5, ge=1, le=100)
    job_retry_base_seconds: float = Field(default=2.0, ge=0)
    job_retry_max_seconds: float = Field(default=600.0, ge=0)
    job_timeout_seconds: float = Field(default=300.0, gt=0)
    # Per-job limits of the child process that runs CPU-bound kinds (untrusted input).
    job_memory_limit_mb: int = Field(default=512, ge=32)
    # Extra modules that register job kinds (comma-separated), imported by workers next to the built-in ones.
    job_modules: Annotated[list[str], NoDecode] = Field(default_factory=list)
    scheduler_interval_seconds: float = Field(default=1.0, gt=0)
    # Finished jobs and dispatched events are deleted after this many days.
    job_retention_days: int = Field(default=30, ge=1)
    resume_trash_retention_days: int = Field(default=30, ge=1)

    log_level: str = "INFO"
    log_json: bool = True
    metrics_enabled: bool = True
    # Interface for the /metrics endpoint of the worker and scheduler roles (`--metrics-port`).
    # Loopback unless a deployment opens it on purpose (deploy/ does, for Prometheus in other containers).
    metrics_bind_host: str = "127.0.0.1"

    # Tracing is off unless an OTLP/HTTP endpoint is set (e.g. http://otel-collector:4318).
    otel_exporter_otlp_endpoint: str | None = None
    otel_service_name: str = "shortlist-api"
    otel_sampler_ratio: float = Field(default=1.0, ge=0.0, le=1.0)

    # GraphQL (docs/graphql.md): limits checked before execution; introspection defaults to on outside
    # production; persisted_only accepts only the documents in graphql_persisted_queries (hash -> query).
    graphql_max_depth: int = Field(default=12, ge=2, le=100)
    graphql_max_aliases: int = Field(default=30, ge=0, le=1000)
    graphql_max_tokens: int = Field(default=3000, ge=100, le=100_000)
    graphql_max_complexity: int = Field(default=5000, ge=10)
    graphql_introspection: bool | None = None
    graphql_persisted_only: bool = False
    graphql_persisted_queries: Path | None = None
    graphql_rate_limit_per_operation: str = "300/minute"
    graphql_slow_resolver_ms: float = Field(default=50.0, ge=0)

    # Caching (memory in-process; Redis when redis_url is set). 0 turns a cache off.
    resume_cache_ttl_seconds: int = Field(default=60, ge=0, le=3600)
    auth_cache_ttl_seconds: int = Field(default=30, ge=0, le=300)
    # With Redis: how long a process keeps its own copy of account, key and resume entries, which Redis's
    # invalidation messages drop when the entry changes (platform/near_cache.py). 0 asks Redis every time.
    cache_near_ttl_seconds: float = Field(default=5.0, ge=0, le=60)

    # After start-up the served process moves every object it has built so far (modules, routes, models,
    # templates) out of the collector's reach (gc.freeze), so a full collection walks only what requests
    # made since (measured: ~180 ms less per full collection, on the hot path). Off in tests, whose
    # processes build and drop many applications.
    gc_freeze_after_startup: bool = True

    @model_validator(mode="before")
    @classmethod
    def _lists_from_csv(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in (
                "cors_origins",
                "trusted_proxies",
                "webhook_allow_hosts",
                "webhook_retry_schedule",
                "job_modules",
            ):
                if key in data:
                    data[key] = _split_csv(data[key])
        return data

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment is Environment.production:
            if len(self.secret_key.get_secret_value()) < 32:
                raise ValueError("SHORTLIST_SECRET_KEY must be set to at least 32 characters in production")
            if not self.database_url:
                raise ValueError("SHORTLIST_DATABASE_URL must be set in production")
        return self

    @property
    def is_embedded_database(self) -> bool:
        return not self.database_url or self.database_url.startswith("sqlite")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'shortlist.db').resolve()}"

    def resolved_secret_key(self) -> bytes:
        """The configured secret, or one generated on first run and kept under ``data_dir``."""
        configured = self.secret_key.get_secret_value()
        if configured:
            return configured.encode()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip().encode()


def served_url(host: str, port: int) -> str:
    """The URL a browser on this machine reaches a server bound to ``host``:``port`` at."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - every interface: this machine answers on loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
