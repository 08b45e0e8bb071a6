"""Property: whatever text a field holds, it compiles and comes back literally (never read as markup)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortlist.rendering import Design, OutputFormat, render
from shortlist.rendering.view import clean
from tests.rendering.extract import contains_all, pdfium_pages

# Printable Latin, Latin-1 and Latin Extended plus Typst/Markdown/HTML syntax characters. Format characters
# (soft hyphen, zero-width joiners) are left out: they are invisible by definition.
_ALPHABET = st.characters(
    min_codepoint=0x20, max_codepoint=0x24F, blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
)
_SYNTAX = st.sampled_from(list("#$*_[]{}()<>\\`\"'@=/+-~^&|%!:;.,"))
_FIELD = st.text(st.one_of(_ALPHABET, _SYNTAX), min_size=1, max_size=60).filter(lambda s: bool(clean(s)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_FIELD, position=_FIELD, bullet=_FIELD)
def test_any_field_text_round_trips_through_the_pdf(name: str, position: str, bullet: str) -> None:
    resume = {
        "basics": {"name": name},
        "work": [{"position": position, "name": "Acme", "highlights": [bullet]}],
    }
    doc = render(resume, Design(template="modern"), OutputFormat.PDF)
    text = "\n".join(pdfium_pages(doc.content))
    assert contains_all(text, [clean(name), clean(position), clean(bullet)]) == []
