"""Section headings and date wording in the supported languages."""

from __future__ import annotations

import re
from typing import Final

from shortlist.rendering.schemas import DateFormat, Language, SectionKey

# Each language by its own name, for pickers.
LANGUAGE_NAMES: Final[dict[str, str]] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ja": "日本語",
    "zh": "中文（简体）",
    "ko": "한국어",
}

HEADINGS: Final[dict[str, dict[SectionKey, str]]] = {
    "en": {
        SectionKey.SUMMARY: "Summary",
        SectionKey.WORK: "Experience",
        SectionKey.PROJECTS: "Projects",
        SectionKey.EDUCATION: "Education",
        SectionKey.SKILLS: "Skills",
        SectionKey.CERTIFICATES: "Certifications",
        SectionKey.AWARDS: "Awards",
        SectionKey.PUBLICATIONS: "Publications",
        SectionKey.VOLUNTEER: "Volunteering",
        SectionKey.LANGUAGES: "Languages",
        SectionKey.INTERESTS: "Interests",
        SectionKey.REFERENCES: "References",
    },
    "de": {
        SectionKey.SUMMARY: "Profil",
        SectionKey.WORK: "Berufserfahrung",
        SectionKey.PROJECTS: "Projekte",
        SectionKey.EDUCATION: "Ausbildung",
        SectionKey.SKILLS: "Kenntnisse",
        SectionKey.CERTIFICATES: "Zertifikate",
        SectionKey.AWARDS: "Auszeichnungen",
        SectionKey.PUBLICATIONS: "Publikationen",
        SectionKey.VOLUNTEER: "Ehrenamt",
        SectionKey.LANGUAGES: "Sprachen",
        SectionKey.INTERESTS: "Interessen",
        SectionKey.REFERENCES: "Referenzen",
    },
    "fr": {
        SectionKey.SUMMARY: "Profil",
        SectionKey.WORK: "Expérience",
        SectionKey.PROJECTS: "Projets",
        SectionKey.EDUCATION: "Formation",
        SectionKey.SKILLS: "Compétences",
        SectionKey.CERTIFICATES: "Certifications",
        SectionKey.AWARDS: "Distinctions",
        SectionKey.PUBLICATIONS: "Publications",
        SectionKey.VOLUNTEER: "Bénévolat",
        SectionKey.LANGUAGES: "Langues",
        SectionKey.INTERESTS: "Centres d’intérêt",
        SectionKey.REFERENCES: "Références",
    },
    "es": {
        SectionKey.SUMMARY: "Perfil",
        SectionKey.WORK: "Experiencia",
        SectionKey.PROJECTS: "Proyectos",
        SectionKey.EDUCATION: "Formación",
        SectionKey.SKILLS: "Habilidades",
        SectionKey.CERTIFICATES: "Certificaciones",
        SectionKey.AWARDS: "Premios",
        SectionKey.PUBLICATIONS: "Publicaciones",
        SectionKey.VOLUNTEER: "Voluntariado",
        SectionKey.LANGUAGES: "Idiomas",
        SectionKey.INTERESTS: "Intereses",
        SectionKey.REFERENCES: "Referencias",
    },
    "pt": {
        SectionKey.SUMMARY: "Perfil",
        SectionKey.WORK: "Experiência",
        SectionKey.PROJECTS: "Projetos",
        SectionKey.EDUCATION: "Formação",
        SectionKey.SKILLS: "Competências",
        SectionKey.CERTIFICATES: "Certificações",
        SectionKey.AWARDS: "Prémios",
        SectionKey.PUBLICATIONS: "Publicações",
        SectionKey.VOLUNTEER: "Voluntariado",
        SectionKey.LANGUAGES: "Idiomas",
        SectionKey.INTERESTS: "Interesses",
        SectionKey.REFERENCES: "Referências",
    },
    "ja": {
        SectionKey.SUMMARY: "概要",
        SectionKey.WORK: "職歴",
        SectionKey.PROJECTS: "プロジェクト",
        SectionKey.EDUCATION: "学歴",
        SectionKey.SKILLS: "スキル",
        SectionKey.CERTIFICATES: "資格",
        SectionKey.AWARDS: "受賞歴",
        SectionKey.PUBLICATIONS: "出版物",
        SectionKey.VOLUNTEER: "ボランティア",
        SectionKey.LANGUAGES: "語学",
        SectionKey.INTERESTS: "興味",
        SectionKey.REFERENCES: "推薦者",
    },
    "zh": {
        SectionKey.SUMMARY: "个人简介",
        SectionKey.WORK: "工作经历",
        SectionKey.PROJECTS: "项目经历",
        SectionKey.EDUCATION: "教育背景",
        SectionKey.SKILLS: "专业技能",
        SectionKey.CERTIFICATES: "证书",
        SectionKey.AWARDS: "获奖情况",
        SectionKey.PUBLICATIONS: "出版物",
        SectionKey.VOLUNTEER: "志愿经历",
        SectionKey.LANGUAGES: "语言能力",
        SectionKey.INTERESTS: "兴趣爱好",
        SectionKey.REFERENCES: "推荐人",
    },
    "ko": {
        SectionKey.SUMMARY: "자기소개",
        SectionKey.WORK: "경력",
        SectionKey.PROJECTS: "프로젝트",
        SectionKey.EDUCATION: "학력",
        SectionKey.SKILLS: "기술",
        SectionKey.CERTIFICATES: "자격증",
        SectionKey.AWARDS: "수상 경력",
        SectionKey.PUBLICATIONS: "논문 및 출판",
        SectionKey.VOLUNTEER: "봉사 활동",
        SectionKey.LANGUAGES: "어학",
        SectionKey.INTERESTS: "관심 분야",
        SectionKey.REFERENCES: "추천인",
    },
}

PRESENT: Final[dict[str, str]] = {
    "en": "Present",
    "de": "heute",
    "fr": "présent",
    "es": "actualidad",
    "pt": "presente",
    "ja": "現在",
    "zh": "至今",
    "ko": "현재",
}

_MONTHS_LONG: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "pt": (
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
}

_MONTHS_SHORT: Final[dict[str, tuple[str, ...]]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "es": ("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."),
    "pt": ("jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."),
}

# Dates as JSON Resume writes them: YYYY, YYYY-MM or YYYY-MM-DD (a time part is ignored).
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T ].*)?\s*$")


def heading(language: Language, key: SectionKey) -> str:
    return HEADINGS[language][key]


def format_date(value: str | None, language: Language, style: DateFormat) -> str:
    """One date in the chosen style. Anything that is not an ISO date is shown as the user typed it."""
    if not value:
        return ""
    match = _ISO.match(value)
    if match is None:
        return value.strip()
    year = match.group(1)
    month = int(match.group(2)) if match.group(2) else None
    if month is not None and not 1 <= month <= 12:
        return value.strip()
    if month is None or style == "year":
        if style != "iso" and language in ("ja", "zh"):
            return f"{year}年"
        return f"{year}년" if style != "iso" and language == "ko" else year
    if style == "iso":
        return f"{year}-{month:02d}"
    if style == "numeric":
        if language == "ko":
            return f"{year}.{month:02d}."
        return f"{year}/{month:02d}" if language in ("ja", "zh") else f"{month:02d}/{year}"
    if language in ("ja", "zh"):
        return f"{year}年{month}月"
    if language == "ko":
        return f"{year}년 {month}월"
    names = _MONTHS_LONG if style == "long" else _MONTHS_SHORT
    name = names[language][month - 1]
    return f"{name} {year}"


def format_range(
    start: str | None, end: str | None, language: Language, style: DateFormat, *, open_ended: bool = True
) -> str:
    """``start – end``; a start with no end reads "Present" (in the resume's language)."""
    first = format_date(start, language, style)
    last = format_date(end, language, style)
    if first and last:
        return first if first == last else f"{first} – {last}"
    if first:
        return f"{first} – {PRESENT[language]}" if open_ended else first
    return last


# The label an education grade is printed with: a bare "1.3" or "17/20" under a degree reads as nothing in
# particular to a reader or an ATS; "Grade: 1.3" is a grade.
SCORE_LABEL: Final[dict[str, str]] = {
    "en": "Grade",
    "de": "Note",
    "fr": "Note",
    "es": "Nota",
    "pt": "Nota",
    "ja": "成績",
    "zh": "成绩",
    "ko": "학점",
}
# A score with words of its own ("GPA 3.8/4.0", "Note 1,3", "magna cum laude") is shown as typed.
_HAS_WORDS = re.compile(r"[^\W\d_]{2,}")


def score(value: str, language: Language) -> str:
    """An education score with its label in the resume's language, unless it already has words."""
    if not value or _HAS_WORDS.search(value):
        return value
    sep = "：" if language in ("ja", "zh") else ": "
    return f"{SCORE_LABEL[language]}{sep}{value}"
