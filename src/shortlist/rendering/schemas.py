"""Public models of the rendering library: design options, output formats, rendered documents."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_serializer, field_validator

from shortlist.rendering.fonts import FONT_SLUGS


class OutputFormat(StrEnum):
    PDF = "pdf"
    PNG = "png"
    HTML = "html"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


MEDIA_TYPES: dict[OutputFormat, str] = {
    OutputFormat.PDF: "application/pdf",
    OutputFormat.PNG: "image/png",
    OutputFormat.HTML: "text/html; charset=utf-8",
    OutputFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    OutputFormat.TEXT: "text/plain; charset=utf-8",
    OutputFormat.MARKDOWN: "text/markdown; charset=utf-8",
    OutputFormat.JSON: "application/json",
}

EXTENSIONS: dict[OutputFormat, str] = {
    OutputFormat.PDF: "pdf",
    OutputFormat.PNG: "png",
    OutputFormat.HTML: "html",
    OutputFormat.DOCX: "docx",
    OutputFormat.TEXT: "txt",
    OutputFormat.MARKDOWN: "md",
    OutputFormat.JSON: "json",
}


class PdfStandard(StrEnum):
    PDF_A_2B = "a-2b"
    PDF_A_3B = "a-3b"
    PDF_UA_1 = "ua-1"


class SectionKey(StrEnum):
    SUMMARY = "summary"
    WORK = "work"
    PROJECTS = "projects"
    EDUCATION = "education"
    SKILLS = "skills"
    CERTIFICATES = "certificates"
    AWARDS = "awards"
    PUBLICATIONS = "publications"
    VOLUNTEER = "volunteer"
    LANGUAGES = "languages"
    INTERESTS = "interests"
    REFERENCES = "references"


DEFAULT_SECTION_ORDER: tuple[SectionKey, ...] = tuple(SectionKey)

Language = Literal["en", "de", "fr", "es", "pt", "ja", "zh", "ko"]
DateFormat = Literal["month_year", "long", "numeric", "iso", "year"]
PageSize = Literal["a4", "letter"]
LANGUAGES: tuple[str, ...] = get_args(Language)
DATE_FORMATS: tuple[str, ...] = get_args(DateFormat)
PAGE_SIZES: tuple[str, ...] = get_args(PageSize)

# Named theme colours; any "#rrggbb" is accepted as well.
PALETTE: dict[str, str] = {
    "black": "#111111",
    "charcoal": "#333a45",
    "slate": "#44546a",
    "navy": "#1f3a5f",
    "blue": "#1d4ed8",
    "teal": "#0f766e",
    "forest": "#2f5d3a",
    "burgundy": "#7a1f2b",
    "plum": "#5b2a5e",
    "rust": "#9a3f16",
    "gold": "#8a6d1f",
}

HEX_COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_HEX = re.compile(HEX_COLOR_PATTERN)

# Validated by the model's checks below (with friendlier messages); the schemas list the allowed values so
# that OpenAPI clients see them as enums.
FontSlug = Annotated[
    str,
    WithJsonSchema({"type": "string", "enum": list(FONT_SLUGS), "description": "A shipped font family"}),
]
ColorName = Annotated[
    str,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(PALETTE)},
                {"type": "string", "pattern": HEX_COLOR_PATTERN},
            ],
            "description": "A palette colour name or #rrggbb",
        }
    ),
]


class Design(BaseModel):
    """How a resume looks. ``None`` means "the template's default" so a design survives template switches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str = Field(default="classic", min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")
    color: ColorName | None = Field(default=None, description="Palette name or #rrggbb")
    font: FontSlug | None = None
    base_size: float | None = Field(default=None, ge=8.0, le=13.0, description="Body size in pt")
    line_spacing: float | None = Field(
        default=None, ge=0.8, le=2.0, description="Multiplier of the template leading"
    )
    margins_mm: float | None = Field(default=None, ge=8.0, le=35.0)
    page_size: PageSize = "a4"
    section_order: tuple[SectionKey, ...] | None = None
    hidden_sections: frozenset[SectionKey] = frozenset()
    date_format: DateFormat | None = None
    show_icons: bool | None = None
    show_links: bool = True
    show_photo: bool | None = Field(
        default=None, description="Print basics.image (a data: URL; never fetched) beside the name"
    )
    language: Language = Field(
        default="en",
        description="Language of headings and dates, and the text language of the document (hyphenation, "
        "CJK glyph forms). The render endpoint's `language` parameter overrides it.",
    )

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        if value is None:
            return None
        key = value.strip().lower()
        if key in PALETTE or _HEX.match(key):
            return key
        raise ValueError(f"colour must be one of {', '.join(PALETTE)} or a #rrggbb hex value")

    @field_validator("font")
    @classmethod
    def _check_font(cls, value: str | None) -> str | None:
        if value is not None and value not in FONT_SLUGS:
            raise ValueError(f"font must be one of {', '.join(FONT_SLUGS)}")
        return value

    @field_serializer("hidden_sections", when_used="json")
    def _sorted_hidden(self, value: frozenset[SectionKey]) -> list[str]:
        # A set has no order and string hashing differs per process: sorted, so that every process dumps
        # the same JSON (cache keys, ETags and stored designs agree across replicas).
        return sorted(value)

    @field_validator("section_order")
    @classmethod
    def _check_order(cls, value: tuple[SectionKey, ...] | None) -> tuple[SectionKey, ...] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("section_order lists a section twice")
        return value


def resolve_color(value: str) -> str:
    """A palette name or hex value as ``#rrggbb``."""
    return PALETTE.get(value, value)


class RenderedDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    content: bytes
    media_type: str
    extension: str
    page_count: int | None = Field(default=None, description="Pages of the laid-out document (PDF, PNG)")
    pages: tuple[bytes, ...] = Field(default=(), description="PNG only: one image per page")
