"""The rendering entry points the service, the worker and the CLI call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shortlist.rendering import engine
from shortlist.rendering.docx_writer import to_docx
from shortlist.rendering.exceptions import RenderLimitExceeded, UnsupportedOption
from shortlist.rendering.html_writer import to_html
from shortlist.rendering.plain import to_json_resume, to_markdown, to_text
from shortlist.rendering.schemas import (
    EXTENSIONS,
    MEDIA_TYPES,
    Design,
    OutputFormat,
    PdfStandard,
    RenderedDocument,
)
from shortlist.rendering.view import ResumeView, build_view, iter_text, typst_payload
from shortlist.template import get_template


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """Bounds that keep one render cheap. Sizes are checked before compiling, pages after."""

    max_pages: int = 10
    max_chars: int = 120_000  # all visible text together
    max_field_chars: int = 12_000  # one field (a bullet, a summary)
    max_items: int = 400  # entries + bullets + tags together
    png_ppi: float = 110.0  # the default raster; a caller may ask for another within the bounds below
    min_png_ppi: int = 36
    max_png_ppi: int = 300


DEFAULT_LIMITS = RenderLimits()


def _check_sizes(view: ResumeView, limits: RenderLimits) -> None:
    total = 0
    for text in iter_text(view):
        n = len(text)
        if n > limits.max_field_chars:
            raise RenderLimitExceeded(
                f"One field has {n:,} characters; the most a field may hold is {limits.max_field_chars:,}.",
                limit="field_chars",
                value=n,
                maximum=limits.max_field_chars,
            )
        total += n
    if total > limits.max_chars:
        raise RenderLimitExceeded(
            f"The resume has {total:,} characters of text; "
            f"the most that can be rendered is {limits.max_chars:,}.",
            limit="chars",
            value=total,
            maximum=limits.max_chars,
        )
    items = sum(len(s.entries) + len(s.tags) + sum(len(e.bullets) for e in s.entries) for s in view.sections)
    if items > limits.max_items:
        raise RenderLimitExceeded(
            f"The resume has {items} entries and bullets; "
            f"the most that can be rendered is {limits.max_items}.",
            limit="items",
            value=items,
            maximum=limits.max_items,
        )


def _check_pages(pages: int, limits: RenderLimits) -> None:
    if pages > limits.max_pages:
        raise RenderLimitExceeded(
            f"The resume lays out to {pages} pages; the limit is {limits.max_pages}. "
            "Shorten it or hide sections.",
            limit="pages",
            value=pages,
            maximum=limits.max_pages,
        )


def render(
    document: Mapping[str, Any],
    design: Design,
    fmt: OutputFormat,
    *,
    pdf_standard: PdfStandard | None = None,
    ppi: float | None = None,
    limits: RenderLimits = DEFAULT_LIMITS,
) -> RenderedDocument:
    """Render a JSON Resume dict with a design to one output format.

    Raises TemplateNotFound, RenderLimitExceeded, UnsupportedOption or RenderError (all with ``detail``).
    """
    fmt = OutputFormat(fmt)
    if ppi is not None and fmt is not OutputFormat.PNG:
        raise UnsupportedOption(f"A resolution (ppi) only applies to PNG output, not {fmt.value}.")
    if ppi is not None and not limits.min_png_ppi <= ppi <= limits.max_png_ppi:
        raise UnsupportedOption(
            f"A resolution of {ppi:g} ppi is outside {limits.min_png_ppi} to {limits.max_png_ppi}."
        )
    if pdf_standard is not None and fmt is not OutputFormat.PDF:
        raise UnsupportedOption(
            f"A PDF standard ({pdf_standard.value}) only applies to PDF output, not {fmt.value}."
        )
    media, ext = MEDIA_TYPES[fmt], EXTENSIONS[fmt]
    if fmt is OutputFormat.JSON:
        return RenderedDocument(content=to_json_resume(document).encode(), media_type=media, extension=ext)

    view = build_view(document, design)
    _check_sizes(view, limits)
    if fmt is OutputFormat.PDF:
        pdf, pages = engine.compile_pdf(view.style.template.slug, typst_payload(view), pdf_standard)
        _check_pages(pages, limits)
        return RenderedDocument(content=pdf, media_type=media, extension=ext, page_count=pages)
    if fmt is OutputFormat.PNG:
        images = engine.compile_png(view.style.template.slug, typst_payload(view), ppi or limits.png_ppi)
        _check_pages(len(images), limits)
        return RenderedDocument(
            content=images[0], media_type=media, extension=ext, page_count=len(images), pages=tuple(images)
        )
    if fmt is OutputFormat.HTML:
        body = to_html(view).encode()
    elif fmt is OutputFormat.DOCX:
        body = to_docx(view)
    elif fmt is OutputFormat.TEXT:
        body = to_text(view).encode()
    else:
        body = to_markdown(view).encode()
    return RenderedDocument(content=body, media_type=media, extension=ext)


def cache_key(
    document: Mapping[str, Any],
    design: Design,
    fmt: OutputFormat,
    pdf_standard: PdfStandard | None = None,
    ppi: float | None = None,
) -> str:
    """sha256 over canonical JSON of content, design, template version, format and raster resolution:
    equal keys, equal bytes."""
    template = get_template(design.template)
    canonical = json.dumps(
        {
            "document": document,
            "design": design.model_dump(mode="json"),
            "template": [template.slug, template.version],
            "format": OutputFormat(fmt).value,
            "pdf_standard": pdf_standard.value if pdf_standard else None,
            "engine": "typst",
            # Only a non-default raster joins the key, so existing keys (and ETags) stay as they were.
            **({"ppi": ppi} if ppi is not None and ppi != DEFAULT_LIMITS.png_ppi else {}),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
