"""GraphiQL at GET /graphql for a browser, built from npm and served by the API (no CDN, no inline script),
only where introspection is allowed; and in Debian's Chromium, loading it and running a query."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from shortlist.context import AppContext
from shortlist.graphql.ide import IDE_CSP, IDE_DIST
from shortlist.main import create_app
from tests.conftest import assert_problem
from tests.support import running_server
from tests.web.browser import CHROMIUM, launch

pytestmark = pytest.mark.skipif(not (IDE_DIST / "index.html").is_file(), reason="GraphiQL is not built")
HTML = {"Accept": "text/html,application/xhtml+xml"}


async def test_a_browser_gets_graphiql_with_a_strict_policy(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == IDE_CSP
    script_src = re.search(r"script-src ([^;]+)", IDE_CSP)
    assert script_src is not None and script_src.group(1) == "'self'"
    # Every script is a file of our own, under /graphql/ide/; nothing inline, nothing from elsewhere.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/graphql/ide/assets/") for s in sources), sources
    for source in sources:
        asset = await client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    # A GraphQL client asking for JSON, or a GET with a query, still gets GraphQL.
    plain = await client.get("/graphql", params={"query": "{ templates { slug } }"}, headers=HTML)
    assert plain.json()["data"]["templates"]
    assert (await client.get("/graphql")).status_code == 400
    assert_problem(await client.get("/graphql/ide/assets/..%2F..%2Fschema.graphql"), 404)
    assert_problem(await client.get("/graphql/ide/assets/index.html"), 404)


async def test_no_ide_in_production(app_context: AppContext) -> None:
    settings = app_context.settings.model_copy(update={"environment": "production"})
    context = dataclasses.replace(app_context, settings=settings)
    transport = httpx.ASGITransport(app=create_app(context=context), client=("203.0.113.12", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/graphql", headers=HTML)
        assert page.status_code == 400 and "GraphiQL" not in page.text
        asset = next((IDE_DIST / "assets").glob("*.js")).name
        assert_problem(await client.get(f"/graphql/ide/assets/{asset}"), 404)


@pytest.fixture(scope="module")
def ide_server(tmp_path_factory: pytest.TempPathFactory, context: AppContext) -> Iterator[str]:
    env = {
        "SHORTLIST_SECRET_KEY": context.settings.secret_key.get_secret_value(),
        "SHORTLIST_DATABASE_URL": context.settings.resolved_database_url,
        "SHORTLIST_BROKER_QUEUE": context.settings.broker_queue,
    }
    data_dir: Path = tmp_path_factory.mktemp("graphiql")
    with running_server(data_dir, env, "--no-migrate") as (base, _process):
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed")
    yield from launch()


@pytest.mark.slow
def test_graphiql_loads_in_chromium_and_runs_a_query(ide_server: str, browser: Browser) -> None:
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{ide_server}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for(timeout=30_000)
    # Replace the example with our own query through CodeMirror's API, then run it.
    page.evaluate(
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
        ".setValue('query Slugs { templates { slug } }')"
    )
    result = page.locator(".graphiql-response")
    answer = result.get_by_text('"slug": "classic"')
    # GraphiQL reads the operation's name from the editor a moment after a change; a run before that sends
    # the example's name, which the API refuses (unknown-operation). Run again until the answer shows.
    for _ in range(30):
        page.locator("button.graphiql-execute-button").click()
        try:
            answer.wait_for(timeout=1_000)
            break
        except PlaywrightTimeout:
            continue
    answer.wait_for(timeout=5_000)
    assert '"templates"' in result.inner_text()
    assert not violations, violations
    page.close()
