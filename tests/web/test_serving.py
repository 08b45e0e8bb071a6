"""The browser app at /: history fallback, caching, CSP, and never a server path's answer."""

from __future__ import annotations

import re

import httpx
import pytest

from shortlist.web.spa import APP_CSP, DIST, RESERVED_PREFIXES
from tests.conftest import assert_problem

pytestmark = pytest.mark.skipif(not (DIST / "index.html").is_file(), reason="the browser app is not built")


async def test_app_pages_fall_back_to_the_index_with_a_strict_policy(client: httpx.AsyncClient) -> None:
    for path in ("/", "/sign-in", "/app/resumes/0195c3a4-0000-7000-8000-000000000000"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert '<div id="root">' in response.text
        csp = response.headers["content-security-policy"]
        assert csp == APP_CSP
        script_src = re.search(r"script-src ([^;]+)", csp)
        assert script_src is not None and "unsafe-inline" not in script_src.group(1)
        # Nothing inline for that policy to block: every script is a file of our own.
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) is None


async def test_hashed_assets_are_immutable_and_stale_names_are_not_the_page(
    client: httpx.AsyncClient,
) -> None:
    index = (await client.get("/")).text
    script = re.search(r'src="(/assets/[^"]+\.js)"', index)
    assert script is not None
    asset = await client.get(script.group(1))
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "javascript" in asset.headers["content-type"]
    missing = await client.get("/assets/index-gone1234.js")
    assert_problem(missing, 404)


async def test_the_fallback_never_shadows_a_server_path(client: httpx.AsyncClient) -> None:
    for prefix in RESERVED_PREFIXES:
        path = prefix.rstrip("/") + "/no-such-thing"
        response = await client.get(path)
        assert response.status_code == 404, path
        # The server's own 404 (a problem document, or the careers site's HTML page), never the app's index.
        assert '<div id="root">' not in response.text, path
    # Real server routes keep their own answers.
    assert (await client.get("/livez")).status_code == 200
    assert (await client.get("/openapi.json")).headers["content-type"].startswith("application/json")
    assert (await client.get("/docs")).text.count("swagger") > 0
    assert_problem(await client.get("/v1/resumes"), 401)
    # Only reads are served: other methods on unknown paths stay errors.
    assert (await client.post("/sign-in")).status_code == 404


async def test_path_traversal_stays_inside_the_build(client: httpx.AsyncClient) -> None:
    for path in ("/..%2f..%2fpyproject.toml", "/assets/../../__init__.py", "/%2e%2e/web/spa.py"):
        response = await client.get(path)
        assert "def " not in response.text and "[project]" not in response.text, path
