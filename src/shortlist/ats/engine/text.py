"""Accent folding, the one way the engine compares words across spellings ("Compétences" and
"competences", "März" and "marz", "Müller" and "Muller")."""

from __future__ import annotations

import unicodedata


def strip_accents(text: str) -> str:
    """The text with combining marks removed after compatibility decomposition (case kept)."""
    if text.isascii():
        return text  # nothing to strip: skip the per-character pass
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
