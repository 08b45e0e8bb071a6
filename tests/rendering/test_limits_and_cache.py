"""Bounded work for hostile input, cache keys, determinism and thread safety."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from shortlist.rendering import (
    Design,
    OutputFormat,
    RenderLimitExceeded,
    RenderLimits,
    cache_key,
    render,
)
from tests.rendering.corpus import CORPUS
from tests.rendering.extract import pdfium_pages

FULL = next(c for c in CORPUS if c.id == "full").resume


def _jobs(n: int, bullet: str = "Shipped it", bullets: int = 1) -> dict[str, Any]:
    return {
        "basics": {"name": "Big"},
        "work": [{"name": f"Co {i}", "position": "Dev", "highlights": [bullet] * bullets} for i in range(n)],
    }


def test_ten_thousand_character_bullet_renders_quickly() -> None:
    bullet = ("word " * 2000).strip()  # 9,999 characters
    start = time.perf_counter()
    doc = render(_jobs(1, bullet), Design(), OutputFormat.PDF)
    assert time.perf_counter() - start < 5
    assert doc.page_count is not None and 1 <= doc.page_count <= 4


def test_oversized_field_is_refused_before_compiling() -> None:
    with pytest.raises(RenderLimitExceeded) as err:
        render(_jobs(1, "x" * 20_000), Design(), OutputFormat.PDF)
    assert err.value.limit == "field_chars" and "20,000" in err.value.detail and err.value.status == 422


def test_hundreds_of_entries_are_refused_with_a_clear_error() -> None:
    start = time.perf_counter()
    with pytest.raises(RenderLimitExceeded) as err:
        render(_jobs(600), Design(), OutputFormat.PDF)
    assert time.perf_counter() - start < 1
    assert err.value.limit == "items" and err.value.value == 1200 and "400" in err.value.detail


def test_page_cap_is_checked_after_compiling() -> None:
    with pytest.raises(RenderLimitExceeded) as err:
        render(_jobs(120, bullets=2), Design(), OutputFormat.PDF)
    assert err.value.limit == "pages" and err.value.value > 10 and "pages" in err.value.detail
    with pytest.raises(RenderLimitExceeded):
        render(_jobs(40), Design(), OutputFormat.PDF, limits=RenderLimits(max_pages=1))
    with pytest.raises(RenderLimitExceeded):
        render(_jobs(40), Design(), OutputFormat.PNG, limits=RenderLimits(max_pages=1))


def test_cache_key_is_stable_and_sensitive() -> None:
    key = cache_key(FULL, Design(), OutputFormat.PDF)
    assert len(key) == 64 and key == cache_key(dict(reversed(list(FULL.items()))), Design(), OutputFormat.PDF)
    others = {
        cache_key(FULL, Design(color="teal"), OutputFormat.PDF),
        cache_key(FULL, Design(template="modern"), OutputFormat.PDF),
        cache_key(FULL, Design(), OutputFormat.DOCX),
        cache_key({**FULL, "basics": {"name": "Other"}}, Design(), OutputFormat.PDF),
    }
    assert key not in others and len(others) == 4


def test_same_input_gives_identical_bytes() -> None:
    for fmt in (OutputFormat.PDF, OutputFormat.HTML, OutputFormat.MARKDOWN):
        assert render(FULL, Design(), fmt).content == render(FULL, Design(), fmt).content


def test_concurrent_renders_on_one_template_do_not_mix() -> None:
    names = [f"Person Number {i}" for i in range(12)]

    def one(name: str) -> str:
        doc = render(
            {**FULL, "basics": {**FULL["basics"], "name": name}}, Design(template="compact"), OutputFormat.PDF
        )
        return pdfium_pages(doc.content)[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(one, names))
    for name, text in zip(names, texts, strict=True):
        assert text.startswith(name)


def test_one_warm_compiler_serves_every_template() -> None:
    from shortlist.rendering import engine, list_templates

    engine.warm([t.slug for t in list_templates()])
    compiler = engine._compiler
    assert compiler is not None
    for slug in ("banner", "classic", "sidebar"):
        render(FULL, Design(template=slug), OutputFormat.PDF)
    assert engine._compiler is compiler
    # The shared compiler really switches layout: two templates give different files with the same text.
    banner = render(FULL, Design(template="banner"), OutputFormat.PDF).content
    classic = render(FULL, Design(template="classic"), OutputFormat.PDF).content
    assert banner != classic


def test_cache_key_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "from shortlist.rendering import Design, OutputFormat, cache_key\n"
        "d = Design(hidden_sections=['work', 'skills', 'awards', 'languages', 'interests', 'volunteer'])\n"
        "print(cache_key({'basics': {'name': 'A'}}, d, OutputFormat.PDF))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in (1, 2, 3, 4)
    }
    assert len(keys) == 1
