"""Models describing a template in the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Design options a template may honour (the names of the fields of ``shortlist.rendering.Design``).
OptionName = Literal[
    "color",
    "font",
    "base_size",
    "line_spacing",
    "margins_mm",
    "page_size",
    "section_order",
    "hidden_sections",
    "date_format",
    "show_icons",
    "show_links",
    "show_photo",
    "language",
]
# How a template places its text: one column; section headings in a left gutter; or a narrow column of
# one-line facts (dates, skill names) level with the entries they belong to, read straight across.
Layout = Literal["single-column", "gutter-headings", "two-column"]
ALL_OPTIONS: frozenset[OptionName] = frozenset(OptionName.__args__)  # type: ignore[attr-defined]


class TemplateDefaults(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    color: str = "navy"
    font: str = "inter"
    base_size: float = 10.5
    leading: float = 0.62  # Typst paragraph leading in em; Design.line_spacing multiplies it
    margins_mm: float = 18.0
    date_format: Literal["month_year", "long", "numeric", "iso", "year"] = "month_year"
    show_icons: bool = False
    show_photo: bool = False
    section_order: tuple[str, ...] = (
        "summary",
        "work",
        "projects",
        "education",
        "skills",
        "certificates",
        "awards",
        "publications",
        "volunteer",
        "languages",
        "interests",
        "references",
    )


class TemplateInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    name: str
    description: str
    version: str = Field(description="Bumped whenever the output changes; part of every cache key")
    layout: Layout = "single-column"
    supports: frozenset[OptionName]
    defaults: TemplateDefaults
    source: Path = Field(exclude=True)
    thumbnail: Path = Field(exclude=True)

    def summary(self) -> dict[str, object]:
        """A JSON-friendly description (for the API and ``templates --json``)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "version": self.version,
            "layout": self.layout,
            "supports": sorted(self.supports),
            "defaults": self.defaults.model_dump(mode="json"),
        }
