"""The product's own templates as evaluation renderers: every template to PDF, and DOCX output.

Each corpus resume is rendered in its own language where the rendering library has that language (the
section headings and dates then read as the candidate would write them), else in English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from shortlist.ats.evaluation.renderers import Renderer
from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.schemas import Language

_LANGUAGES: frozenset[str] = frozenset(get_args(Language))


def _design(resume: dict[str, Any], slug: str) -> Design:
    lang = str(resume.get("meta", {}).get("lang", "en"))
    return Design.model_validate({"template": slug, "language": lang if lang in _LANGUAGES else "en"})


def _renderer(slug: str, fmt: OutputFormat) -> Callable[[dict[str, Any]], bytes]:
    def run(resume: dict[str, Any]) -> bytes:
        return render(resume, _design(resume, slug), fmt).content

    return run


def product_renderers(docx_templates: tuple[str, ...] = ("classic",)) -> list[Renderer]:
    """``<slug>`` for every template as PDF, plus ``<slug>-docx`` for the DOCX writer."""
    out = [Renderer(t.slug, "pdf", _renderer(t.slug, OutputFormat.PDF)) for t in list_templates()]
    out += [Renderer(f"{slug}-docx", "docx", _renderer(slug, OutputFormat.DOCX)) for slug in docx_templates]
    return out
