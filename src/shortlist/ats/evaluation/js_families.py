"""Layout families written by the JavaScript document libraries online resume builders use.

``@react-pdf/renderer`` (pdfkit underneath: its own line breaking, subset TrueType fonts, flexbox rows),
``jsPDF`` (every string placed by coordinates, one text object per call) and the npm ``docx`` writer (tab
stops, tables, its own numbering definitions). The layouts live in ``tools/resume-corpus-js`` (Node 20); this
module hands it the printed strings of each resume (a *view*, so date and degree wording stays defined once, in
``varied``) and runs it once per batch. Without Node or the tool's ``node_modules`` the families are simply not
offered (``available()``); the frozen fixtures under ``tests/ats/corpus`` need neither.

Fonts come from the system (fonts-liberation, fonts-dejavu). None of them has CJK glyphs: a resume whose name is
written in CJK script is printed with missing glyphs, as a builder would on such a machine, and the name is
not recoverable from that PDF (the figures say so; no family pretends otherwise).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from shortlist.ats.evaluation.html_layouts import _contact, _groups
from shortlist.ats.evaluation.varied import date_range, degree_line

# family name -> file type written by the Node tool
JS_FAMILIES: dict[str, str] = {
    "reactpdf-sidebar": "pdf",
    "reactpdf-gutter": "pdf",
    "reactpdf-timeline": "pdf",
    "jspdf-classic": "pdf",
    "jspdf-columns": "pdf",
    "docxjs-tabs": "docx",
    "docxjs-table": "docx",
}


def tool_dir() -> Path:
    """The Node tool's folder: SHORTLIST_CORPUS_JS, or tools/resume-corpus-js in the source tree."""
    configured = os.environ.get("SHORTLIST_CORPUS_JS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "tools" / "resume-corpus-js"


def available() -> bool:
    folder = tool_dir()
    return shutil.which("node") is not None and (folder / "node_modules").is_dir()


def version() -> str:
    """Hash of the tool's sources and its lock file: a changed layout never reads a stale cached document."""
    digest = hashlib.sha256()
    folder = tool_dir()
    for path in [*sorted(folder.glob("*.mjs")), folder / "package-lock.json"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _dates(entry: dict[str, Any], meta: dict[str, Any]) -> str:
    text, dur = date_range(entry, meta)
    return f"{text} {dur}".strip()


def view(resume: dict[str, Any]) -> dict[str, Any]:
    """Every string a layout prints, already worded; the layouts only place them."""
    b, meta = resume["basics"], resume["meta"]
    groups = []
    for employer, roles in _groups(resume):
        groups.append(
            {
                "employer": employer,
                "location": roles[0][1]["location"],
                "roles": [
                    {
                        "position": w["position"],
                        "location": w["location"],
                        "dates": _dates(w, meta),
                        "bullets": [
                            [text, level]
                            for text, level in zip(w["highlights"], meta["levels"][i], strict=True)
                        ],
                    }
                    for i, w in roles
                ],
            }
        )
    education = [
        {
            "line": degree_line(e, meta["eduStyle"]),
            "degree": e["studyType"],
            "area": e["area"],
            "school": e["institution"],
            "dates": f"{e['startDate']} – {e['endDate']}",
            "score": e.get("score", ""),
        }
        for e in resume["education"]
    ]
    return {
        "name": b["name"],
        "label": b["label"],
        "summary": b["summary"],
        "contact": [[kind, value] for kind, value in _contact(resume)],
        "headings": meta["headings"],
        "groups": groups,
        "education": education,
        "skills": [{"name": g["name"], "keywords": g["keywords"]} for g in resume["skills"]],
        "skillsFlat": meta["skillsFlat"],
        "languages": resume["languages"],
        "certificates": resume.get("certificates", []),
        "projects": [
            {"name": p["name"], "description": p["description"], "url": p["url"].removeprefix("https://")}
            for p in resume.get("projects", [])
        ],
        "bullet": meta["bullet"],
        "variant": meta["variant"],
    }


def render(jobs: list[tuple[str, dict[str, Any], Path]], scratch: Path) -> None:
    """Write each (family, resume, target) with one Node run for the whole batch."""
    node = shutil.which("node")
    if node is None or not available():
        raise RuntimeError(
            f"Node and {tool_dir()}/node_modules (npm ci) are needed for the JavaScript families"
        )
    batch = [{"family": family, "view": view(resume), "out": str(target)} for family, resume, target in jobs]
    request = scratch / "jobs.json"
    request.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    subprocess.run(  # noqa: S603 - fixed script, our own file paths
        [node, str(tool_dir() / "generate.mjs"), str(request)],
        check=True,
        capture_output=True,
        timeout=900,
        cwd=tool_dir(),
    )
