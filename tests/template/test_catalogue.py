"""The template catalogue: enough distinct templates, each complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from shortlist.rendering import FONT_SLUGS, PALETTE
from shortlist.template import ALL_OPTIONS, TemplateNotFound, get_template, list_templates
from shortlist.template.catalogue import TYPST_DIR

TEMPLATES = list_templates()


def test_at_least_twelve_distinct_templates() -> None:
    slugs = [t.slug for t in TEMPLATES]
    assert len(slugs) >= 12 and len(set(slugs)) == len(slugs)
    assert {"classic", "modern", "compact", "academic", "technical", "executive", "minimal"} <= set(slugs)
    assert len({t.description for t in TEMPLATES}) == len(TEMPLATES)
    sources = {t.source.read_text() for t in TEMPLATES}
    assert len(sources) == len(TEMPLATES)  # each template has its own layout choices


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.slug for t in TEMPLATES])
def test_template_is_complete(template: object) -> None:
    from shortlist.template import TemplateInfo

    assert isinstance(template, TemplateInfo)
    assert template.source.is_file() and template.source.parent == TYPST_DIR
    assert template.thumbnail.is_file()
    assert template.thumbnail.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert template.name and 10 < len(template.description) < 120
    assert template.supports <= ALL_OPTIONS
    assert template.defaults.font in FONT_SLUGS and template.defaults.color in PALETTE
    summary = template.summary()
    assert summary["slug"] == template.slug and isinstance(summary["supports"], list)


def test_templates_never_import_network_packages() -> None:
    for path in TYPST_DIR.glob("*.typ"):
        text = path.read_text()
        assert "@preview" not in text and "@local" not in text
        assert "eval(" not in text  # data is never evaluated as code


def test_get_template() -> None:
    assert get_template("classic").slug == "classic"
    with pytest.raises(TemplateNotFound) as err:
        get_template("fancy")
    assert err.value.detail == "There is no template called 'fancy'."


def test_thumbnails_are_up_to_date(tmp_path: Path) -> None:
    """Rendering is deterministic, so a stale thumbnail means a layout changed without regenerating them
    (python -m shortlist.rendering.thumbnails)."""
    from shortlist.rendering.thumbnails import write_thumbnails

    fresh = {p.name: p.read_bytes() for p in write_thumbnails(tmp_path)}
    stale = [t.slug for t in TEMPLATES if fresh[t.thumbnail.name] != t.thumbnail.read_bytes()]
    assert stale == []
