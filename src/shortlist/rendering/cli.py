"""CLI commands for rendering, registered onto the main Typer app by ``register``. Everything runs offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from shortlist.kit.problems import ValidationFailed
from shortlist.rendering.exceptions import RenderError
from shortlist.rendering.fonts import FONT_SLUGS
from shortlist.rendering.schemas import LANGUAGES, Design, OutputFormat, PdfStandard
from shortlist.rendering.service import render
from shortlist.resume.jsonresume import validate_document
from shortlist.template import TemplateError, list_templates


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def render_command(
    resume_json: Annotated[Path, typer.Argument(help="A JSON Resume file", exists=True, dir_okay=False)],
    template: Annotated[str, typer.Option("--template", "-t", help="Template slug")] = "classic",
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format")] = OutputFormat.PDF,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: beside input)")
    ] = None,
    color: Annotated[str | None, typer.Option("--color", help="Palette name or #rrggbb")] = None,
    font: Annotated[str | None, typer.Option("--font", help=f"One of: {', '.join(FONT_SLUGS)}")] = None,
    language: Annotated[
        str,
        typer.Option(
            "--language", "--locale", help=f"{', '.join(LANGUAGES)} (--locale: the old name, still accepted)"
        ),
    ] = "en",
    size: Annotated[float | None, typer.Option("--size", help="Base font size in pt")] = None,
    page_size: Annotated[str, typer.Option("--page-size", help="a4 or letter")] = "a4",
    pdf_standard: Annotated[PdfStandard | None, typer.Option("--pdf-standard", help="e.g. a-2b")] = None,
) -> None:
    """Render a JSON Resume file to PDF, PNG, HTML, DOCX, text, Markdown or JSON."""
    try:
        document: Any = json.loads(resume_json.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"cannot read {resume_json}: {exc}") from exc
    if not isinstance(document, dict):
        raise _fail("the resume file must hold a JSON object")
    try:
        # The API's own check: what it would refuse to store is not rendered here either.
        document = validate_document(document, location=None)
    except ValidationFailed as exc:
        errors = exc.extensions["errors"]
        lines = [f"{'.'.join(e['location']) or '(document)'}: {e['message']}" for e in errors]
        raise _fail(f"{resume_json} is not a valid JSON Resume:\n  " + "\n  ".join(lines)) from exc
    try:
        design = Design.model_validate(
            {
                "template": template,
                "color": color,
                "font": font,
                "base_size": size,
                "language": language,
                "page_size": page_size,
            }
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _fail(problems) from exc
    try:
        result = render(document, design, fmt, pdf_standard=pdf_standard)
    except (RenderError, TemplateError) as exc:
        raise _fail(exc.detail) from exc
    target = out or resume_json.with_suffix(f".{result.extension}")
    target.write_bytes(result.content)
    for i, page in enumerate(result.pages[1:], start=2):  # PNG: one file per extra page
        target.with_name(f"{target.stem}-{i}{target.suffix}").write_bytes(page)
    pages = f", {result.page_count} page(s)" if result.page_count else ""
    typer.echo(f"wrote {target} ({len(result.content):,} bytes{pages})")


def templates_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """List the available templates."""
    items = list_templates()
    if as_json:
        typer.echo(json.dumps([t.summary() for t in items], indent=2, ensure_ascii=False))
        return
    width = max(len(t.slug) for t in items)
    for t in items:
        typer.echo(f"{t.slug:<{width}}  {t.description}")


def register(app: typer.Typer) -> None:
    """Add the ``render`` and ``templates`` commands to an existing Typer app."""
    app.command("render")(render_command)
    app.command("templates")(templates_command)
