"""DOCX keeps the template's design: its font, colours, sizes and section-heading style on every template (read
back with python-docx), and the PDF's page count on a two-page resume (LibreOffice lays the DOCX out)."""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn

from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.fonts import font_dirs
from shortlist.rendering.knobs import knobs
from shortlist.rendering.sample import sample_resume
from shortlist.rendering.view import build_view

SOFFICE_TEMPLATES = ["classic", "executive", "minimal"]


def _two_pages() -> dict[str, Any]:
    r = sample_resume()
    r["work"] += copy.deepcopy(r["work"]) * 2
    return r


RESUME = _two_pages()

_BORDER_FOR = {"rule": "bottom", "caps": "bottom", "overline": "top", "bar": "left"}


@pytest.mark.parametrize("template", [t.slug for t in list_templates()])
def test_docx_styles_carry_the_template_design(template: str) -> None:
    design = Design(template=template)
    style = build_view(RESUME, design).style
    doc = Document(io.BytesIO(render(RESUME, design, OutputFormat.DOCX).content))
    normal, heading, entry = doc.styles["Normal"], doc.styles["Heading 1"], doc.styles["Heading 2"]
    family = style.fonts[0]
    for s in (normal, heading, entry, doc.styles["Title"], doc.styles["List Bullet"]):
        assert s.font.name == family
        assert s.element.rPr.rFonts.get(qn("w:eastAsia")) == family
    assert (
        normal.font.size is not None and abs(normal.font.size.pt - style.base_size) <= 0.25
    )  # Word sizes in half points
    k = knobs(template)
    kind = str(k.get("heading", "rule"))
    if kind != "plain":
        assert str(heading.font.color.rgb) == style.color.lstrip("#").upper()
    ppr = heading.element.pPr
    assert ppr is not None
    borders = ppr.find(qn("w:pBdr"))
    if kind in _BORDER_FOR:
        assert borders is not None and borders.find(qn(f"w:{_BORDER_FOR[kind]}")) is not None
    elif kind != "leader":
        assert borders is None
    title_size = doc.styles["Title"].font.size
    assert title_size is not None and title_size.pt > style.base_size * 1.5
    if k.get("header") in ("band", "banner"):
        first = doc.paragraphs[0]._p.pPr
        shading = first.find(qn("w:shd")) if first is not None else None
        assert shading is not None and shading.get(qn("w:fill")) == style.color.lstrip("#").upper()


@pytest.fixture(scope="session")
def libreoffice_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Each DOCX laid out by LibreOffice (one process for all), with the fonts the PDF uses made visible to it
    through a private fontconfig file: a reader with the fonts installed sees the same layout."""
    folder = tmp_path_factory.mktemp("docx-pages")
    sources = []
    for template in SOFFICE_TEMPLATES:
        path = folder / f"{template}.docx"
        path.write_bytes(render(RESUME, Design(template=template), OutputFormat.DOCX).content)
        sources.append(str(path))
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs())
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'{dirs}<cachedir>{folder / "fc"}</cachedir><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        "</fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(folder)}
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    # A private profile: other LibreOffice processes on the machine neither block nor share this one.
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *sources],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {}
    for template in SOFFICE_TEMPLATES:
        doc = pdfium.PdfDocument((folder / f"{template}.pdf").read_bytes())
        out[template] = len(doc)
        doc.close()
    return out


@pytest.mark.parametrize("template", SOFFICE_TEMPLATES)
def test_docx_runs_to_the_pdf_page_count(libreoffice_pages: dict[str, int], template: str) -> None:
    pdf = render(RESUME, Design(template=template), OutputFormat.PDF)
    assert pdf.page_count == 2
    assert libreoffice_pages[template] == pdf.page_count


def test_docx_page_count_is_measured_on_a_real_layout() -> None:
    # The sample must be long enough that a default-styled document would run longer than the PDF.
    assert len(RESUME["work"]) == 9
    assert Path(shutil.which("soffice") or "/usr/bin/soffice").exists()
