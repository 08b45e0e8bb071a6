"""The public template catalogue over HTTP."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from shortlist.rendering import list_templates
from tests.conftest import assert_problem


async def test_catalogue_is_public_and_lists_options_with_defaults(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/templates")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    items = response.json()
    assert [t["slug"] for t in items] == [t.slug for t in list_templates()]
    classic = next(t for t in items if t["slug"] == "classic")
    assert classic["name"] == "Classic" and classic["description"]
    assert classic["options"]["font"] == "source-serif-4" and classic["options"]["color"] == "navy"
    assert classic["options"]["page_size"] == "a4" and classic["options"]["language"] == "en"
    assert classic["thumbnail_url"] == "http://testserver/v1/templates/classic/thumbnail.png"
    minimal = next(t for t in items if t["slug"] == "minimal")
    assert "color" not in minimal["options"]  # minimal is black only

    one = await client.get("/v1/templates/sidebar")
    assert one.status_code == 200 and one.json()["layout"] == "gutter-headings"
    assert_problem(await client.get("/v1/templates/nope"), 404, "template-not-found")
    assert_problem(await client.get("/v1/templates/Not_A_Slug"), 422, "validation-error")


async def test_thumbnails_are_cacheable_pngs(client: httpx.AsyncClient) -> None:
    for info in list_templates():
        response = await client.get(f"/v1/templates/{info.slug}/thumbnail.png")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.content == info.thumbnail.read_bytes()
        assert Image.open(io.BytesIO(response.content)).format == "PNG"
        assert response.headers["cache-control"] == "public, max-age=86400"
    etag = response.headers["etag"]
    cached = await client.get(f"/v1/templates/{info.slug}/thumbnail.png", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["etag"] == etag
    other = await client.get("/v1/templates/classic/thumbnail.png")
    assert other.headers["etag"] != etag
    assert_problem(await client.get("/v1/templates/nope/thumbnail.png"), 404, "template-not-found")
