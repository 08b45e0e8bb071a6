"""CJK rendering: which face draws Han characters per language, and what a CJK resume costs to render.

Run: .venv/bin/python bench/cjk_bench.py [--rounds N]

Prints, per language, the first render (compiler creation and font loading included) and the warm median of
PDF renders of a Japanese resume whose text changes every round, with the face the PDF names for 直.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from typing import Any

import pdfplumber

from shortlist.rendering import Design, OutputFormat, render


def resume(variant: int) -> dict[str, Any]:
    return {
        "basics": {"name": f"山田 直子 {variant}", "summary": "骨格と直線の設計。" * 20},
        "work": [
            {
                "name": f"株式会社テスト {i}",
                "position": "エンジニア",
                "startDate": "2020-04",
                "highlights": [f"直接の顧客 {variant} 件に対応し、骨組みを再設計した"] * 3,
            }
            for i in range(6)
        ],
    }


def face_of_han(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for char in document.pages[0].chars:
            if char["text"] == "直":
                return str(char["fontname"]).split("+", 1)[-1]
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    print(f"{'language':<9} {'first ms':>9} {'warm median ms':>15}  face of 直")
    for language in ("en", "ja", "zh", "ko"):
        design = Design.model_validate({"template": "classic", "language": language})
        start = time.perf_counter()
        first = render(resume(0), design, OutputFormat.PDF)
        first_ms = (time.perf_counter() - start) * 1000
        times = []
        for i in range(1, args.rounds + 1):
            start = time.perf_counter()
            render(resume(i), design, OutputFormat.PDF)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        print(f"{language:<9} {first_ms:>9.1f} {median:>15.2f}  {face_of_han(first.content)}")


if __name__ == "__main__":
    main()
