"""Layout families that are not Shortlist's templates, and a disk cache of their documents per (family, seed).

HTML layouts are printed to PDF by Chromium (through Playwright, one browser for a whole batch), Word documents
are written with python-docx and converted to PDF by LibreOffice in one batch, text and Markdown are written
directly, LaTeX layouts are typeset by pdfTeX and Pandoc Markdown becomes DOCX and PDF through Pandoc. Where
their tools are installed, react-pdf, jsPDF and the npm docx writer (``js_families``, Node) and WeasyPrint (four
of the HTML layouts) write more families. A document's ground truth is the varied resume it was made from
(``varied.make_varied_resume``), as the family writes it (``Family.adapt``: LaTeX's fonts need names in Latin
letters).

The LaTeX layouts use TeX Live's latex-base/latex-recommended packages only; the classes in
texlive-latex-extra (moderncv and the like) are not used. The CI has neither pdfTeX nor Pandoc: a frozen set of
these documents with their truth lives in tests/ats/corpus (``freeze``, scripts/freeze_foreign_corpus.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from shortlist.ats.evaluation import (
    html_layouts,
    js_families,
    latex_layouts,
    pandoc_layouts,
    typeset,
    word_layouts,
)
from shortlist.ats.evaluation.varied import make_varied_resume

Kind = Literal[
    "html", "docx", "docx-pdf", "text", "latex", "pandoc-docx", "pandoc-pdf", "node", "node-pdf", "weasy"
]
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Family:
    name: str
    file_type: str  # pdf, docx, txt
    kind: Kind
    write: Callable[[dict[str, Any]], Any]  # HTML, LaTeX or Markdown text, or document bytes
    adapt: Callable[[dict[str, Any]], dict[str, Any]] = lambda resume: resume  # the truth as written


@dataclass(frozen=True)
class Document:
    family: str
    seed: int
    file_type: str
    truth: dict[str, Any]
    data: bytes


FAMILIES: dict[str, Family] = {
    name: Family(name, "pdf", "html", fn) for name, fn in html_layouts.LAYOUTS.items()
}
for _name, _fn in (("word-classic", word_layouts.word_classic), ("word-table", word_layouts.word_table)):
    FAMILIES[f"{_name}-docx"] = Family(f"{_name}-docx", "docx", "docx", _fn)
    FAMILIES[f"{_name}-pdf"] = Family(f"{_name}-pdf", "pdf", "docx-pdf", _fn)
FAMILIES["text-plain"] = Family("text-plain", "txt", "text", word_layouts.plain_text)
FAMILIES["markdown"] = Family("markdown", "txt", "text", word_layouts.markdown)
for _name, _tex in latex_layouts.LAYOUTS.items():
    FAMILIES[_name] = Family(_name, "pdf", "latex", _tex, latex_layouts.latin_truth)
FAMILIES["pandoc-docx"] = Family("pandoc-docx", "docx", "pandoc-docx", pandoc_layouts.pandoc_markdown)
FAMILIES["pandoc-pdf"] = Family(
    "pandoc-pdf", "pdf", "pandoc-pdf", pandoc_layouts.pandoc_markdown, latex_layouts.latin_truth
)
# Families made by tools the CI lacks (pdfTeX, Pandoc): the tests read their frozen documents.
TYPESET = tuple(name for name, f in FAMILIES.items() if f.kind in ("latex", "pandoc-docx", "pandoc-pdf"))
# Written by the Node tool (react-pdf, jsPDF, npm docx); offered only where it is installed (``node_families``).
NODE_FAMILIES: dict[str, Family] = {
    name: Family(name, file_type, "node", js_families.view)
    for name, file_type in js_families.JS_FAMILIES.items()
}
# The npm docx writer's documents as the PDF a user would export from them (LibreOffice).
NODE_FAMILIES |= {
    f"{name}-pdf": Family(f"{name}-pdf", "pdf", "node-pdf", js_families.view)
    for name, file_type in js_families.JS_FAMILIES.items()
    if file_type == "docx"
}
# Four of the HTML layouts (a grid gutter, a flex sidebar, a table, cards) printed by WeasyPrint instead: its own
# layout engine, Pango's line breaking and fontTools subsets; offered where it is installed (``weasy_families``).
WEASY_FAMILIES: dict[str, Family] = {
    f"weasy-{name}": Family(f"weasy-{name}", "pdf", "weasy", html_layouts.LAYOUTS[f"html-{name}"])
    for name in ("gutter", "sidebar", "table", "cards")
}


def weasy_families() -> dict[str, Family]:
    try:
        import weasyprint  # noqa: F401 - present, and Pango loads
    except (ImportError, OSError):
        return {}
    return WEASY_FAMILIES


def optional_families() -> dict[str, Family]:
    """The families whose tools (Node, WeasyPrint) are installed here."""
    return node_families() | weasy_families()


def node_families() -> dict[str, Family]:
    """The JavaScript families when Node and the tool's packages are there, else none."""
    return NODE_FAMILIES if js_families.available() else {}


_SOURCES: dict[Kind, tuple[str, ...]] = {
    "html": ("varied.py", "html_layouts.py"),
    "docx": ("varied.py", "html_layouts.py", "word_layouts.py"),
    "docx-pdf": ("varied.py", "html_layouts.py", "word_layouts.py"),
    "text": ("varied.py", "html_layouts.py", "word_layouts.py"),
    "latex": ("varied.py", "html_layouts.py", "latex_layouts.py", "typeset.py"),
    "pandoc-docx": ("varied.py", "html_layouts.py", "pandoc_layouts.py", "typeset.py"),
    "pandoc-pdf": ("varied.py", "html_layouts.py", "latex_layouts.py", "pandoc_layouts.py", "typeset.py"),
    "node": ("varied.py", "html_layouts.py", "js_families.py"),
    "node-pdf": ("varied.py", "html_layouts.py", "js_families.py"),
    "weasy": ("varied.py", "html_layouts.py"),
}


def _version(kind: Kind) -> str:
    """Hash of the sources that write a family: a changed layout or content rule never reads a stale file."""
    digest = hashlib.sha256()
    package = resources.files("shortlist.ats.evaluation")
    for module in _SOURCES[kind]:
        digest.update(package.joinpath(module).read_bytes())
    if kind in ("node", "node-pdf"):
        digest.update(js_families.version().encode())
    return digest.hexdigest()[:12]


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "shortlist-ats-corpus"


def build(families: Sequence[str], seeds: Sequence[int], cache_dir: Path | None = None) -> list[Document]:
    """Every (family, seed) document, rendered once and read from the cache afterwards. Missing documents
    are made in one batch per kind: one browser for every HTML family, one LibreOffice run for every Word
    family's PDF."""
    cache = cache_dir or default_cache_dir()
    truths = {seed: make_varied_resume(seed) for seed in seeds}
    paths: dict[tuple[str, int], Path] = {}
    todo: dict[Kind, list[tuple[Family, int, Path]]] = {}
    known = FAMILIES | NODE_FAMILIES | WEASY_FAMILIES
    for name in families:
        family = known[name]
        folder = cache / name / _version(family.kind)
        folder.mkdir(parents=True, exist_ok=True)
        for seed in seeds:
            path = paths[(name, seed)] = folder / f"{seed}.{family.file_type}"
            if not path.exists():
                todo.setdefault(family.kind, []).append((family, seed, path))
    for kind, jobs in todo.items():
        _render(kind, jobs, truths)
    return [
        Document(
            name,
            seed,
            known[name].file_type,
            known[name].adapt(truths[seed]),
            paths[(name, seed)].read_bytes(),
        )
        for name in families
        for seed in seeds
    ]


def freeze(families: Sequence[str], seeds: Sequence[int], folder: Path) -> list[Path]:
    """Write each document and its ground truth (``<family>/<seed>.<type>`` and ``.json``) for tests that run
    where the family's tools are missing."""
    written = []
    for doc in build(families, seeds):
        target = folder / doc.family
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{doc.seed}.{doc.file_type}"
        path.write_bytes(doc.data)
        truth = json.dumps(doc.truth, ensure_ascii=False, indent=1, sort_keys=True)
        (target / f"{doc.seed}.json").write_text(truth + "\n", encoding="utf-8")
        written.append(path)
    return written


def load_frozen(folder: Path) -> list[Document]:
    """The documents ``freeze`` wrote, with their truth."""
    out = []
    for truth_path in sorted(folder.glob("*/*.json")):
        (path,) = (p for p in truth_path.parent.glob(f"{truth_path.stem}.*") if p.suffix != ".json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        family, seed = truth_path.parent.name, int(truth_path.stem)
        out.append(Document(family, seed, path.suffix.lstrip("."), truth, path.read_bytes()))
    return out


def _render(kind: Kind, jobs: list[tuple[Family, int, Path]], truths: dict[int, dict[str, Any]]) -> None:
    if kind in ("docx", "text"):
        for family, seed, path in jobs:
            path.write_bytes(family.write(truths[seed]))
        return
    if kind == "weasy":
        import weasyprint

        for family, seed, path in jobs:
            path.write_bytes(weasyprint.HTML(string=family.write(truths[seed])).write_pdf())
        return
    with tempfile.TemporaryDirectory() as tmp:
        if kind in ("latex", "pandoc-docx", "pandoc-pdf"):
            for family, seed, path in jobs:
                source = family.write(family.adapt(truths[seed]))
                folder = Path(tmp) / f"{family.name}-{seed}"
                if kind == "latex":
                    path.write_bytes(typeset.pdflatex(source, folder))
                else:
                    path.write_bytes(typeset.pandoc(source, folder, kind.removeprefix("pandoc-")))
            return
        if kind == "node":
            js_families.render([(family.name, truths[seed], path) for family, seed, path in jobs], Path(tmp))
        elif kind == "node-pdf":
            sources = [Path(tmp) / f"{family.name}-{seed}.docx" for family, seed, _ in jobs]
            docx_jobs = [
                (family.name.removesuffix("-pdf"), truths[seed], source)
                for (family, seed, _), source in zip(jobs, sources, strict=True)
            ]
            js_families.render(docx_jobs, Path(tmp))
            _soffice_pdf(sources, Path(tmp))
            for family, seed, path in jobs:
                shutil.copyfile(Path(tmp) / f"{family.name}-{seed}.pdf", path)
        elif kind == "html":
            pages, targets = {}, {}
            for family, seed, path in jobs:
                key = f"{family.name}-{seed}"
                page = Path(tmp) / f"{key}.html"
                page.write_text(family.write(truths[seed]), encoding="utf-8")
                pages[key], targets[key] = page, path
            print_html(pages, targets)
        else:
            _word_to_pdf(jobs, truths, Path(tmp))


def print_html(pages: dict[str, Path], targets: dict[str, Path]) -> None:
    """Chromium prints each page to PDF (A4, backgrounds on, the page's own @page size)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # the CLI works too, one browser start per page
        for key, page in pages.items():
            subprocess.run(  # noqa: S603 - fixed binary, our own file paths
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={targets[key]}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            tab = browser.new_page()
            for key, page in pages.items():
                tab.goto(page.as_uri())
                targets[key].write_bytes(tab.pdf(print_background=True, prefer_css_page_size=True))
        finally:
            browser.close()


def _word_to_pdf(jobs: list[tuple[Family, int, Path]], truths: dict[int, dict[str, Any]], tmp: Path) -> None:
    sources = []
    for family, seed, _ in jobs:
        source = tmp / f"{family.name}-{seed}.docx"
        source.write_bytes(family.write(truths[seed]))
        sources.append(source)
    _soffice_pdf(sources, tmp)
    for family, seed, path in jobs:
        shutil.copyfile(tmp / f"{family.name}-{seed}.pdf", path)


def _soffice_pdf(sources: list[Path], tmp: Path) -> None:
    """Every source converted to <stem>.pdf in ``tmp`` by one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to convert the Word families to PDF")
    profile = tmp / "profile"  # a private profile: parallel conversions never share a lock
    subprocess.run(  # noqa: S603 - fixed binary, our own file paths
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
