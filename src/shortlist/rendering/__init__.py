"""Resume rendering: one JSON Resume + one Design in, PDF / PNG / HTML / DOCX / text / Markdown / JSON out."""

from shortlist.rendering.exceptions import RenderError, RenderLimitExceeded, UnsupportedOption
from shortlist.rendering.fonts import FONT_SLUGS
from shortlist.rendering.schemas import (
    PALETTE,
    Design,
    OutputFormat,
    PdfStandard,
    RenderedDocument,
    SectionKey,
)
from shortlist.rendering.service import DEFAULT_LIMITS, RenderLimits, cache_key, render
from shortlist.rendering.view import carry_design
from shortlist.template import TemplateInfo, TemplateNotFound, get_template, list_templates

__all__ = [
    "DEFAULT_LIMITS",
    "FONT_SLUGS",
    "PALETTE",
    "Design",
    "OutputFormat",
    "PdfStandard",
    "RenderError",
    "RenderLimitExceeded",
    "RenderLimits",
    "RenderedDocument",
    "SectionKey",
    "TemplateInfo",
    "TemplateNotFound",
    "UnsupportedOption",
    "cache_key",
    "carry_design",
    "get_template",
    "list_templates",
    "render",
]
