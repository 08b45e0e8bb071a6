"""Regenerate the frozen LaTeX and Pandoc documents the ATS tests read where pdfTeX and Pandoc are missing.

    .venv/bin/python scripts/freeze_foreign_corpus.py [--seeds 700,702,704,715] [--out tests/ats/corpus]

Needs pdflatex (TeX Live latex-base/latex-recommended/fonts-recommended) and pandoc. Each family's documents
are written as ``<out>/<family>/<seed>.<pdf|docx>`` beside ``<seed>.json``, the ground truth they were made
from. The seeds are outside those used while building the parser (0-9) and those the benchmark reports on
(1000 and up); the default ones cover accented and Polish names, a Japanese name written in Latin letters,
German and French headings, certificates and projects.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from shortlist.ats.evaluation.families import TYPESET, freeze


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="700,702,704,715", help="START:END or comma-separated seeds")
    parser.add_argument("--out", default="tests/ats/corpus", help="folder of the frozen documents")
    parser.add_argument("--families", default=",".join(TYPESET), help="comma-separated family names")
    args = parser.parse_args()
    if ":" in args.seeds:
        start, _, end = args.seeds.partition(":")
        seeds = list(range(int(start), int(end)))
    else:
        seeds = [int(seed) for seed in args.seeds.split(",")]
    out = Path(args.out)
    names = args.families.split(",")
    for name in names:
        shutil.rmtree(out / name, ignore_errors=True)
    paths = freeze(names, seeds, out)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {total / 1024:.0f} KiB, in {out}")


if __name__ == "__main__":
    main()
