"""pdfTeX and Pandoc runs for the LaTeX and Pandoc families: one process per document, in a private folder.

Both tools are optional: the benchmark needs them to make new documents, the tests read a frozen set
(``tests/ats/corpus``). ``SOURCE_DATE_EPOCH`` keeps the PDFs byte-identical from run to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

_ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "FORCE_SOURCE_DATE": "1"}


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is needed to make these documents (Debian: apt-get install {package})")
    return path


def have_tools() -> bool:
    return shutil.which("pdflatex") is not None and shutil.which("pandoc") is not None


def pdflatex(source: str, folder: Path) -> bytes:
    """The PDF pdfTeX makes of a LaTeX source (one run: the layouts have no references to resolve)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "resume.tex").write_text(source, encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - fixed binary, our own file
        [
            _tool("pdflatex", "texlive-latex-recommended"),
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-no-shell-escape",
            "resume.tex",
        ],
        cwd=folder,
        env=_ENV,
        capture_output=True,
        timeout=120,
        check=False,
    )
    if done.returncode:
        tail = done.stdout.decode("utf-8", "replace")[-1500:]
        raise RuntimeError(f"pdflatex failed:\n{tail}")
    return (folder / "resume.pdf").read_bytes()


def pandoc(markdown: str, folder: Path, to: str) -> bytes:
    """Pandoc's DOCX (``to="docx"``) or PDF through pdfTeX (``to="pdf"``) of a Markdown source."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "resume.md").write_text(markdown, encoding="utf-8")
    target = folder / f"resume.{to}"
    args = [_tool("pandoc", "pandoc"), "--from=markdown", "resume.md", "-o", target.name]
    if to == "pdf":
        _tool("pdflatex", "texlive-latex-recommended")
        # The default template asks for lmodern, which TeX Live's recommended sets lack: Palatino instead.
        args += ["--pdf-engine=pdflatex", "-V", "geometry:margin=2cm", "-V", "papersize=a4"]
        args += ["-V", "fontfamily=mathpazo"]
    done = subprocess.run(  # noqa: S603 - fixed binary, our own files
        args, cwd=folder, env=_ENV, capture_output=True, timeout=180, check=False
    )
    if done.returncode:
        raise RuntimeError(f"pandoc failed: {done.stderr.decode('utf-8', 'replace')[-1500:]}")
    return target.read_bytes()
