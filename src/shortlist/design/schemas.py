"""Query and response models for templates, designs and renders."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from shortlist.kit.schemas import ResponseModel
from shortlist.rendering import Design, OutputFormat, PdfStandard, TemplateInfo


class RenderFormat(StrEnum):
    """Output formats by file extension; ``text`` and ``markdown`` (the library's names) work too."""

    pdf = "pdf"
    png = "png"
    html = "html"
    docx = "docx"
    txt = "txt"
    md = "md"
    json = "json"
    text = "text"
    markdown = "markdown"

    @property
    def output(self) -> OutputFormat:
        return _OUTPUT.get(self, OutputFormat.PDF)


_OUTPUT: dict[RenderFormat, OutputFormat] = {
    RenderFormat.pdf: OutputFormat.PDF,
    RenderFormat.png: OutputFormat.PNG,
    RenderFormat.html: OutputFormat.HTML,
    RenderFormat.docx: OutputFormat.DOCX,
    RenderFormat.txt: OutputFormat.TEXT,
    RenderFormat.text: OutputFormat.TEXT,
    RenderFormat.md: OutputFormat.MARKDOWN,
    RenderFormat.markdown: OutputFormat.MARKDOWN,
    RenderFormat.json: OutputFormat.JSON,
}


class PdfStandardName(StrEnum):
    pdf_a_2b = "pdf-a-2b"
    pdf_a_3b = "pdf-a-3b"
    pdf_ua_1 = "pdf-ua-1"

    @property
    def standard(self) -> PdfStandard:
        return PdfStandard(self.value.removeprefix("pdf-"))


class FontOption(ResponseModel):
    slug: str = Field(description="The value of `font`.")
    family: str
    category: str = Field(description="sans or serif")
    licence: str


class ColorOption(ResponseModel):
    name: str = Field(description="The value of `color`.")
    hex: str


class LanguageOption(ResponseModel):
    code: str = Field(description="The value of `language`.")
    name: str = Field(description="The language's own name for itself.")


class DateFormatOption(ResponseModel):
    id: str = Field(description="The value of `date_format`.")
    example: str = Field(description="How March 2024 reads in English.")


class NumberRange(ResponseModel):
    min: float
    max: float


class DesignOptions(ResponseModel):
    """Every value a design (`PUT /v1/resumes/{id}/design`) or a render's query may choose from."""

    templates: list[str] = Field(description="Template slugs; details at GET /v1/templates.")
    fonts: list[FontOption]
    colors: list[ColorOption] = Field(description="Named colours; any `#rrggbb` is accepted as well.")
    color_pattern: str = Field(description="The pattern a custom colour matches.")
    languages: list[LanguageOption] = Field(description="Languages of headings and dates (`language`).")
    page_sizes: list[str]
    date_formats: list[DateFormatOption]
    sections: list[str] = Field(description="Section keys for `section_order` and `hidden_sections`.")
    base_size: NumberRange = Field(description="Body text size in pt.")
    line_spacing: NumberRange = Field(description="Multiplier of the template's leading.")
    margins_mm: NumberRange


class TemplateOut(ResponseModel):
    slug: str
    name: str
    description: str
    version: str = Field(description="Changes whenever the template's output changes.")
    layout: str
    options: dict[str, Any] = Field(
        description="Every design option this template honours, with the value it uses when none is chosen."
    )
    thumbnail_url: str

    @classmethod
    def of(cls, info: TemplateInfo, thumbnail_url: str) -> TemplateOut:
        defaults = info.defaults.model_dump(mode="json")
        plain = Design(template=info.slug).model_dump(mode="json")
        options = {name: defaults.get(name, plain.get(name)) for name in sorted(info.supports)}
        return cls(
            slug=info.slug,
            name=info.name,
            description=info.description,
            version=info.version,
            layout=info.layout,
            options=options,
            thumbnail_url=thumbnail_url,
        )
