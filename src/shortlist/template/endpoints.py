"""The public template catalogue: descriptions, options with their defaults, and thumbnails."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse

from shortlist.design.exceptions import rendering_problems
from shortlist.design.schemas import TemplateOut
from shortlist.kit.conditional import not_modified
from shortlist.template.catalogue import get_template, list_templates

router = APIRouter(prefix="/templates", tags=["templates"])

# The catalogue changes only with a release: let browsers and shared caches keep it, and revalidate.
CATALOGUE_CACHE = "public, max-age=3600"
THUMBNAIL_CACHE = "public, max-age=86400"
Slug = Annotated[str, Path(max_length=40, pattern=r"^[a-z0-9-]+$", description="Template slug.")]


def _thumbnail_url(request: Request, slug: str) -> str:
    return str(request.url_for("get_template_thumbnail", slug=slug))


@cache
def _thumbnail(slug: str) -> tuple[bytes, str]:
    data = get_template(slug).thumbnail.read_bytes()
    return data, f'"{hashlib.sha256(data).hexdigest()[:32]}"'


@router.get("", operation_id="list_templates", response_model=list[TemplateOut])
async def list_all(request: Request) -> Any:
    """Every template, with the design options it honours and their defaults. No sign-in needed."""
    items = [
        TemplateOut.of(t, _thumbnail_url(request, t.slug)).model_dump(mode="json") for t in list_templates()
    ]
    return JSONResponse(items, headers={"Cache-Control": CATALOGUE_CACHE})


@router.get("/{slug}", operation_id="get_template", response_model=TemplateOut)
async def get_one(slug: Slug, request: Request) -> Any:
    """One template. No sign-in needed."""
    with rendering_problems():
        info = get_template(slug)
    body = TemplateOut.of(info, _thumbnail_url(request, info.slug)).model_dump(mode="json")
    return JSONResponse(body, headers={"Cache-Control": CATALOGUE_CACHE})


@router.get(
    "/{slug}/thumbnail.png",
    operation_id="get_template_thumbnail",
    name="get_template_thumbnail",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, 304: {}},
)
async def thumbnail(slug: Slug, request: Request) -> Response:
    """A preview image of the template with a sample resume. Cacheable; honours If-None-Match."""
    with rendering_problems():
        data, etag = _thumbnail(slug)
    headers = {"ETag": etag, "Cache-Control": THUMBNAIL_CACHE}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/png", headers=headers)
