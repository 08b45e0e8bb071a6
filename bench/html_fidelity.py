"""How closely each template's HTML export matches its PDF: headless Chromium's screenshot of the HTML against
the PDF's first page rasterised by pypdfium2, both A4 at 96 dpi, compared on a 20 x 28 grid of mean grey (the
measure tests/rendering/test_html_fidelity.py bounds; lower is closer, 0-255).

Run: .venv/bin/python bench/html_fidelity.py [SLUG ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageStat

from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.sample import sample_resume

WIDTH, HEIGHT, CELLS = 794, 1123, (20, 28)


def screenshot(html: bytes, folder: Path, name: str) -> Image.Image:
    page, shot = folder / f"{name}.html", folder / f"{name}.png"
    page.write_bytes(html)
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--force-device-scale-factor=1", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=90,
    )  # fmt: skip
    return Image.open(shot).convert("L")


def first_page(pdf: bytes) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = doc[0].render(scale=96 / 72).to_pil().convert("L").resize((WIDTH, HEIGHT))
        return image
    finally:
        doc.close()


def main() -> None:
    slugs = sys.argv[1:] or [t.slug for t in list_templates()]
    resume = sample_resume()
    print(f"{'template':<12} {'grid diff':>9} {'html bytes':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for slug in slugs:
            design = Design(template=slug)
            html = render(resume, design, OutputFormat.HTML).content
            a = screenshot(html, Path(tmp), slug).resize(CELLS, Image.Resampling.BOX)
            b = first_page(render(resume, design, OutputFormat.PDF).content).resize(
                CELLS, Image.Resampling.BOX
            )
            diff = ImageStat.Stat(ImageChops.difference(a, b)).mean[0]
            print(f"{slug:<12} {diff:>9.2f} {len(html):>11,}")


if __name__ == "__main__":
    main()
