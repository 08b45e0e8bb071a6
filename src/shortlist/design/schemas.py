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
