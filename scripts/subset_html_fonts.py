"""Subset the selectable font families for the HTML export (run after a font package changes).

    python scripts/subset_html_fonts.py

Writes src/shortlist/rendering/html/fonts/*.ttf and manifest.json. Needs fontTools (a dev dependency);
takes several minutes, which is why it is a build step and not done per render.
"""

from __future__ import annotations

from shortlist.rendering.html_fonts import build_subsets

if __name__ == "__main__":
    for entry in build_subsets():
        print(entry["file"])
