"""Write a small frozen set of foreign-family documents, each beside its ground truth, for the test suite.

    .venv/bin/python bench/freeze_foreign_corpus.py          # the JavaScript and WeasyPrint families, seeds 700-702
    .venv/bin/python bench/freeze_foreign_corpus.py --families jspdf-classic --seeds 700:705

The JavaScript families need Node 20 and ``npm ci`` in tools/resume-corpus-js, the WeasyPrint ones the dev
extra's WeasyPrint and Pango; the tests read the frozen files
(tests/ats/corpus/<family>/<seed>.<pdf|docx> and <seed>.json) and need neither. Re-run after changing a layout
in the tool, then check the test floors in tests/ats/test_frozen_corpus.py against the new figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from shortlist.ats.evaluation.families import NODE_FAMILIES, WEASY_FAMILIES, build, optional_families

TARGET = Path(__file__).resolve().parents[1] / "tests" / "ats" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", default="", help="comma-separated names (default: JS and WeasyPrint)")
    parser.add_argument("--seeds", default="700:703", help="START:END seed range")
    parser.add_argument("--out", default=str(TARGET), help="where the family folders are written")
    args = parser.parse_args()
    start, _, end = args.seeds.partition(":")
    seeds = list(range(int(start), int(end)))
    names = args.families.split(",") if args.families else [*NODE_FAMILIES, *WEASY_FAMILIES]
    missing = [name for name in names if name not in optional_families()]
    if missing:
        raise SystemExit(
            f"{missing} need their tools: Node and `npm ci` in tools/resume-corpus-js, or WeasyPrint"
        )
    out = Path(args.out)
    for name in names:
        folder = out / name
        if folder.exists():
            shutil.rmtree(folder)  # a smaller seed range leaves no stale documents behind
        folder.mkdir(parents=True)
    total = 0
    for doc in build(names, seeds):
        folder = out / doc.family
        (folder / f"{doc.seed}.{doc.file_type}").write_bytes(doc.data)
        truth = json.dumps(doc.truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (folder / f"{doc.seed}.json").write_text(truth, encoding="utf-8")
        total += len(doc.data) + len(truth.encode())
    print(f"{len(names)} families x {len(seeds)} seeds written under {out} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
