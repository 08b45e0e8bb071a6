"""Section headings in English, German, French, Spanish, Portuguese and Italian, with common synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shortlist.ats.engine.text import strip_accents

if TYPE_CHECKING:
    from shortlist.ats.engine.layout import Line

# Canonical key -> heading phrases (lower case, accents kept; matching folds accents).
HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary",
        "professional summary",
        "profile",
        "professional profile",
        "about me",
        "about",
        "objective",
        "career objective",
        "overview",
        "executive summary",
        "career summary",
        "personal statement",
        "profil",
        "kurzprofil",
        "zusammenfassung",
        "über mich",
        "berufsprofil",
        "résumé",
        "profil professionnel",
        "à propos",
        "objectif",
        "synthèse",
        "resumen",
        "perfil",
        "perfil profesional",
        "sobre mí",
        "objetivo",
        "extracto",
        "resumo",
        "perfil profissional",
        "sobre mim",
        "profilo",
        "profilo professionale",
        "sommario",
        "chi sono",
        "obiettivo",
    ),
    "work": (
        "work",
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "experience highlights",
        "career",
        "berufserfahrung",
        "berufliche erfahrung",
        "erfahrung",
        "beruflicher werdegang",
        "berufliche stationen",
        "stationen",
        "parcours professionnel",
        "werdegang",
        "expérience",
        "expériences",
        "expérience professionnelle",
        "expériences professionnelles",
        "parcours",
        "experiencia",
        "experiencia profesional",
        "experiencia laboral",
        "trayectoria profesional",
        "experiência",
        "experiência profissional",
        "histórico profissional",
        "esperienza",
        "esperienze",
        "esperienza professionale",
        "esperienze professionali",
        "esperienza lavorativa",
    ),
    "education": (
        "education",
        "academic background",
        "education and training",
        "qualifications",
        "academic history",
        "studies",
        "ausbildung",
        "bildung",
        "bildungsweg",
        "studium",
        "akademischer werdegang",
        "formation",
        "formations",
        "études",
        "parcours académique",
        "diplômes",
        "educación",
        "formación",
        "formación académica",
        "estudios",
        "educação",
        "formação",
        "formação acadêmica",
        "formação académica",
        "istruzione",
        "formazione",
        "istruzione e formazione",
        "titoli di studio",
    ),
    "skills": (
        "skills",
        "technical skills",
        "core skills",
        "key skills",
        "core competencies",
        "competencies",
        "technologies",
        "tech stack",
        "expertise",
        "areas of expertise",
        "tools",
        "skills and tools",
        "kenntnisse",
        "fähigkeiten",
        "kompetenzen",
        "fachkenntnisse",
        "it-kenntnisse",
        "technische kenntnisse",
        "compétences",
        "compétences techniques",
        "savoir-faire",
        "habilidades",
        "competencias",
        "conocimientos",
        "aptitudes",
        "habilidades técnicas",
        "competências",
        "conhecimentos",
        "habilidades e competências",
        "competenze",
        "competenze tecniche",
        "abilità",
        "conoscenze",
    ),
    "languages": (
        "languages",
        "language skills",
        "sprachen",
        "sprachkenntnisse",
        "langues",
        "compétences linguistiques",
        "idiomas",
        "lenguas",
        "línguas",
        "lingue",
        "conoscenze linguistiche",
        "competenze linguistiche",
    ),
    "certificates": (
        "certifications",
        "certificates",
        "certification",
        "licenses and certifications",
        "licenses & certifications",
        "zertifikate",
        "zertifizierungen",
        "weiterbildung",
        "certificats",
        "certifications professionnelles",
        "certificaciones",
        "certificados",
        "certificações",
        "certificazioni",
        "certificati",
    ),
    "projects": (
        "projects",
        "personal projects",
        "selected projects",
        "side projects",
        "open source",
        "key projects",
        "projekte",
        "projets",
        "proyectos",
        "projetos",
        "progetti",
    ),
    "awards": (
        "awards",
        "honors",
        "honours",
        "achievements",
        "awards and honors",
        "honors and awards",
        "honours and awards",
        "awards and honours",
        "scholarships",
        "ehrungen",
        "auszeichnungen",
        "distinctions",
        "prix",
        "premios",
        "reconocimientos",
        "prêmios",
        "prémios",
        "premi",
        "riconoscimenti",
    ),
    "publications": (
        "publications",
        "selected publications",
        "papers",
        "research papers",
        "patents",
        "talks",
        "selected talks",
        "conference talks",
        "presentations",
        "speaking",
        "talks and presentations",
        "publications and talks",
        "patente",
        "vorträge",
        "brevets",
        "conférences",
        "patentes",
        "ponencias",
        "brevetti",
        "publikationen",
        "veröffentlichungen",
        "publicaciones",
        "publicações",
        "pubblicazioni",
    ),
    "volunteer": (
        "volunteer",
        "volunteering",
        "volunteer experience",
        "ehrenamt",
        "ehrenamtliches engagement",
        "bénévolat",
        "voluntariado",
        "volontariato",
    ),
    "interests": (
        "interests",
        "hobbies",
        "interessen",
        "centres d'intérêt",
        "intereses",
        "interesses",
        "interessi",
    ),
    "references": ("references", "referenzen", "références", "referencias", "referências", "referenze"),
    "contact": (
        "contact",
        "contact information",
        "kontakt",
        "coordonnées",
        "contacto",
        "contato",
        "contatti",
    ),
}


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation squeezed: the key headings are compared on."""
    plain = strip_accents(text.lower()).replace("&", " and ").replace("+", " and ")
    plain = re.sub(r"[^a-z0-9' -]+", " ", plain)
    return re.sub(r"\s+", " ", plain).strip(" -'")


_LOOKUP: dict[str, str] = {}
for _key, _phrases in HEADINGS.items():
    for _phrase in _phrases:
        _LOOKUP[fold(_phrase)] = _key
_LOOKUP.update(
    {fold(k): "skills" for k in ("technical skills and tools", "skills and technologies", "stack")}
)
_UND = re.compile(r"\b(und|et|y|e|and)\b")


def heading_key(text: str) -> str | None:
    """Canonical section for a heading line, or None ('EXPERIENCE', 'Berufserfahrung:', 'Skills & Tools')."""
    key = fold(text.rstrip(":"))
    if not key or len(key) > 48:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    # Letter-spaced headings ("E X P E R I E N C E").
    squeezed = key.replace(" ", "")
    for phrase, canon in _LOOKUP.items():
        if phrase.replace(" ", "") == squeezed:
            return canon
    # "Skills and Languages", "Ausbildung und Zertifikate": the first known part names the section.
    parts = [p.strip() for p in _UND.split(key) if p.strip() and not _UND.fullmatch(p.strip())]
    if len(parts) > 1 and parts[0] in _LOOKUP:
        return _LOOKUP[parts[0]]
    return None


def looks_like_heading_text(text: str) -> bool:
    """Short, no sentence punctuation, no digits: a plausible heading even if the words are unknown."""
    stripped = text.strip().rstrip(":")
    if not stripped or len(stripped) > 40 or any(ch.isdigit() for ch in stripped):
        return False
    if re.search(r"[.,;@|/]", stripped):
        return False
    return len(stripped.split()) <= 4


@dataclass
class Section:
    key: str  # canonical key, "header" before the first heading, "other" for unknown headings
    title: str
    lines: list[Line] = field(default_factory=list)
    heading_index: int | None = None
