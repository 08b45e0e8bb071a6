"""The `shortlist` command: one entry point for every process role and admin task."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from shortlist.ats.cli import register as register_ats
from shortlist.rendering.cli import register as register_rendering

if TYPE_CHECKING:
    from shortlist.config import Settings


def get_settings() -> Settings:
    """Loaded on use: the offline commands (`ats check`, `render`) never read the service's settings."""
    from shortlist.config import get_settings as load

    return load()


app = typer.Typer(help="Shortlist: resume platform service and tools.", no_args_is_help=True)
register_rendering(app)  # `render` and `templates`: offline, no database or settings needed
register_ats(app)  # `ats parse` and `ats check`: offline as well


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate: Annotated[bool | None, typer.Option(help="Apply migrations first (default: on SQLite).")] = None,
) -> None:
    """Run the HTTP API (REST, docs, metrics)."""
    import uvicorn

    from shortlist.platform.observability.logging import configure_logging

    settings = get_settings()
    # Before uvicorn says a word: its start-up lines use the same JSON format as the application.
    configure_logging(settings.log_level, json=settings.log_json)
    if "public_url" not in settings.model_fields_set:
        from shortlist.config import get_settings as cached_settings
        from shortlist.config import served_url

        # E-mailed links point at the address actually served; the environment carries it to every worker.
        os.environ["SHORTLIST_PUBLIC_URL"] = served_url(host, port)
        cached_settings.cache_clear()
    if migrate if migrate is not None else settings.is_embedded_database:
        _migrate(settings.resolved_database_url)
    uvicorn.run(
        "shortlist.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # the app's own ProxyHeadersMiddleware honours SHORTLIST_TRUSTED_PROXIES
        server_header=False,
        log_config=None,
    )


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(min=1, help="Jobs at once (default: setting).")] = None,
    scheduler: Annotated[
        bool | None, typer.Option(help="Also run the scheduler loop (default: only without a broker).")
    ] = None,
    metrics_port: Annotated[int | None, typer.Option(help="Serve Prometheus /metrics on this port.")] = None,
) -> None:
    """Run background jobs until SIGTERM (then finish or hand back running jobs)."""
    from shortlist.job.process import run_process

    settings = get_settings()
    with_scheduler = scheduler if scheduler is not None else not settings.broker_url
    asyncio.run(
        run_process(
            settings,
            worker=True,
            scheduler=with_scheduler,
            concurrency=concurrency,
            metrics_port=metrics_port,
        )
    )


@app.command("scheduler")
def scheduler_command(
    metrics_port: Annotated[int | None, typer.Option(help="Serve Prometheus /metrics on this port.")] = None,
) -> None:
    """Run periodic work: the job sweeper, event dispatch, and retention (keys, tokens, trash)."""
    from shortlist.job.process import run_process

    asyncio.run(run_process(get_settings(), worker=False, scheduler=True, metrics_port=metrics_port))


def _migrate(url: str) -> None:
    from shortlist.platform.db import create_database
    from shortlist.platform.migrate import upgrade_to_head

    async def run() -> None:
        database = create_database(url)
        try:
            await upgrade_to_head(database.engine)
        finally:
            await database.dispose()

    asyncio.run(run())


@app.command()
def migrate() -> None:
    """Apply database migrations up to the newest."""
    _migrate(get_settings().resolved_database_url)
    typer.echo("database is up to date")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="Admin e-mail address.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="SHORTLIST_ADMIN_PASSWORD"
        ),
    ],
) -> None:
    """Create an admin account (or promote an existing one)."""
    from shortlist.auth import service
    from shortlist.kit.problems import AppError
    from shortlist.main import build_context
    from shortlist.platform.stale import drop_stale

    async def run() -> str:
        context = await build_context(get_settings())
        try:
            async with context.database.writer() as session:
                user = await service.create_admin(context, session, email, password)
                await drop_stale(context.cache, session, strict=True)
                await session.commit()
                await drop_stale(context.cache, session, strict=False)
                return str(user.id)
        finally:
            await context.cache.close()
            await context.database.dispose()

    try:
        user_id = asyncio.run(run())
    except AppError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"admin {email} ({user_id})")


@app.command("rotate-signing-key")
def rotate_signing_key() -> None:
    """Start signing access tokens with a new key; older keys verify until their tokens expire."""
    from shortlist.auth.keys import JWKS_CACHE_KEY
    from shortlist.main import build_context
    from shortlist.platform.cache import CacheError

    async def run() -> str:
        settings = get_settings()
        context = await build_context(settings)
        try:
            async with context.database.writer() as session:
                kid = await context.tokens.keyring.rotate(
                    session, overlap=timedelta(seconds=settings.access_token_ttl_seconds + 60)
                )
            try:
                await context.cache.delete(JWKS_CACHE_KEY)
            except CacheError:
                typer.echo(
                    "warning: cache unreachable; the published JWKS refreshes within a minute", err=True
                )
            return kid
        finally:
            await context.cache.close()
            await context.database.dispose()

    typer.echo(f"new signing key {asyncio.run(run())}")


@app.command()
def openapi() -> None:
    """Print the OpenAPI document."""
    from shortlist.main import create_app

    typer.echo(json.dumps(create_app(get_settings()).openapi(), indent=2))


@app.command("graphql-schema")
def graphql_schema(
    check: Annotated[
        bool, typer.Option(help="Exit 1 when the checked-in schema.graphql differs from the code.")
    ] = False,
) -> None:
    """Print the GraphQL schema (SDL), or check the checked-in copy against the code."""
    from shortlist.graphql.schema import checked_in_sdl, schema_sdl

    current = schema_sdl()
    if not check:
        typer.echo(current, nl=False)
        return
    if current != checked_in_sdl():
        typer.echo(
            "src/shortlist/graphql/schema.graphql is out of date: run `shortlist graphql-schema`.", err=True
        )
        raise typer.Exit(1)
    typer.echo("schema.graphql matches the code.")


if __name__ == "__main__":
    app()
