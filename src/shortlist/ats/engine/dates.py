"""Dates as people write them on resumes, turned into JSON Resume ISO strings (YYYY, YYYY-MM, YYYY-MM-DD)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shortlist.ats.engine.text import strip_accents

# The English month names: read here (with their three-letter forms), written by the evaluation corpora.
MONTH_NAMES = (
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
)
_MONTHS: dict[str, int] = {}


def _add(month: int, *names: str) -> None:
    for name in names:
        _MONTHS[name] = month


for _number, _name in enumerate(MONTH_NAMES, start=1):
    _add(_number, _name.lower(), _name[:3].lower())
# de, fr, es, pt, it (full names and common abbreviations, accents stripped at lookup), and English "sept"
_add(
    1,
    "januar",
    "janvier",
    "janv",
    "enero",
    "ene",
    "janeiro",
    "gennaio",
    "genn",
    "gen",
    "jänner",
)
_add(2, "febr", "februar", "fevrier", "fev", "febrero", "fevereiro", "fevr", "febbraio")
_add(3, "marz", "maerz", "mrz", "mars", "marzo", "marco")
_add(4, "avril", "avr", "abril", "abr", "aprile")
_add(5, "mai", "mayo", "maio", "maggio", "magg", "mag")
_add(6, "juni", "juin", "junio", "junho", "giugno", "giu")
_add(7, "juli", "juillet", "juil", "julio", "julho", "luglio", "lug")
_add(8, "aout", "agosto", "ago")
_add(
    9,
    "sept",
    "septembre",
    "septiembre",
    "setiembre",
    "setembro",
    "set",
    "settembre",
    "sett",
)
_add(10, "oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre", "ott")
_add(11, "novembre", "noviembre", "novembro")
_add(12, "dezember", "dez", "decembre", "diciembre", "dic", "dezembro", "dicembre")

_SEASONS: dict[str, int] = {
    "spring": 3,
    "summer": 6,
    "fall": 9,
    "autumn": 9,
    "winter": 12,
    "fruhling": 3,
    "fruehling": 3,
    "sommer": 6,
    "herbst": 9,
    "printemps": 3,
    "ete": 6,
    "automne": 9,
    "hiver": 12,
    "primavera": 3,
    "verano": 6,
    "otono": 9,
    "invierno": 12,
    "verao": 6,
    "outono": 9,
    "inverno": 12,
    "estate": 6,
    "autunno": 9,
}

PRESENT_WORDS = (
    "present",
    "current",
    "now",
    "today",
    "ongoing",
    "heute",
    "aktuell",
    "jetzt",
    "bis heute",
    "derzeit",
    "actuel",
    "aujourd'hui",
    "aujourd’hui",  # typeset with a typographic apostrophe (TeX, Word's autocorrect)
    "aujourdhui",
    "présent",
    "à ce jour",
    "present",
    "presente",
    "actual",
    "actualidad",
    "actualmente",
    "hoy",
    "atual",
    "atualmente",
    "em curso",
    "attuale",
    "oggi",
    "in corso",
    "en cours",
    "momento",
    "現在",
    "至今",
)

_ACCENTED = ("märz", "mär", "jänner", "février", "févr", "fév", "août", "décembre", "déc", "fréquent")
_WORDS = sorted(
    {*_MONTHS, *_SEASONS, *_ACCENTED[:-1], "março", "été", "otoño", "verão", "frühling"},
    key=len,
    reverse=True,
)
# Only real month and season words: "Munich 2009" must not swallow the year.
_MONTH_WORD = r"(?<![A-Za-zÀ-ÿ])(?:" + "|".join(re.escape(w) for w in _WORDS) + r")(?![A-Za-zÀ-ÿ])\.?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
PRESENT_PATTERN = _PRESENT_RE = "|".join(sorted({re.escape(w) for w in PRESENT_WORDS}, key=len, reverse=True))

# One date token: Japanese/Chinese year-month (2021年4月), ISO day, ISO month, mm/yyyy, month-name year, season
# year, bare year.
DATE_TOKEN = (
    rf"(?:{_YEAR}\s*年(?:\s*[01]?\d\s*月)?|{_YEAR}-[01]\d-[0-3]\d|{_YEAR}[-/.][01]?\d(?![\d/])|[0-3]?\d[./][01]?\d[./]{_YEAR}|"
    rf"[01]?\d[./]{_YEAR}|{_MONTH_WORD}\s*['’]?\s*{_YEAR}|{_YEAR})"
)
_SEP = r"\s*(?:–|—|-|‒|―|to|bis|à|a|au|al|hasta|até|ate|until|till|→|/)\s*"
RANGE_RE = re.compile(
    rf"(?P<start>{DATE_TOKEN})(?:{_SEP}(?P<end>{DATE_TOKEN}|{_PRESENT_RE}|(?<=[-–—])\d{{2}}\b))?",
    re.IGNORECASE,
)
_ISO_DAY = re.compile(rf"^({_YEAR})-([01]\d)-([0-3]\d)$")
_YM = re.compile(rf"^({_YEAR})[-/.]([01]?\d)$")
_MY = re.compile(rf"^([01]?\d)[./]({_YEAR})$")
_DMY = re.compile(rf"^([0-3]?\d)[./]([01]?\d)[./]({_YEAR})$")
_NAMED = re.compile(rf"^({_MONTH_WORD})\s*['’]?\s*({_YEAR})$", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")
_CJK = re.compile(rf"^({_YEAR})\s*年(?:\s*([01]?\d)\s*月)?$")


def _fold(text: str) -> str:
    return strip_accents(text.lower())


def month_number(word: str) -> int | None:
    return _MONTHS.get(_fold(word).rstrip("."))


def parse_date(text: str) -> str | None:
    """One date as written -> ISO partial date, or None if it is not a date."""
    token = text.strip().strip(",;()")
    if not token:
        return None
    if m := _ISO_DAY.match(token):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            return token
        return None
    if m := _YM.match(token):
        month = int(m.group(2))
        return f"{m.group(1)}-{month:02d}" if 1 <= month <= 12 else None
    if m := _MY.match(token):
        month = int(m.group(1))
        return f"{m.group(2)}-{month:02d}" if 1 <= month <= 12 else None
    if m := _DMY.match(token):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{m.group(3)}-{month:02d}-{day:02d}"
        return None
    if m := _NAMED.match(token):
        word = _fold(m.group(1)).rstrip(".")
        if word in _MONTHS:
            return f"{m.group(2)}-{_MONTHS[word]:02d}"
        if word in _SEASONS:
            # A season says less than a month: keep just the year, the honest precision.
            return m.group(2)
        return None
    if m := _CJK.match(token):
        if m.group(2) is None:
            return m.group(1)
        month = int(m.group(2))
        return f"{m.group(1)}-{month:02d}" if 1 <= month <= 12 else None
    if _YEAR_ONLY.match(token):
        return token
    return None


def is_present(text: str) -> bool:
    return _fold(text.strip().strip(".")) in {_fold(w) for w in PRESENT_WORDS}


@dataclass(frozen=True)
class DateRange:
    start: str | None
    end: str | None  # None with ``current`` True means "to present"
    current: bool
    span: tuple[int, int]
    text: str


def find_ranges(text: str) -> list[DateRange]:
    """All date ranges (or single dates) in a line, left to right."""
    found: list[DateRange] = []
    for m in RANGE_RE.finditer(text):
        start = parse_date(m.group("start"))
        if start is None:
            # "Berlin 2019": the word was not a month, but the year still counts.
            tail = re.search(rf"{_YEAR}$", m.group("start"))
            if tail is None or m.group("end"):
                continue
            start = tail.group(0)
        end_raw = m.group("end")
        end: str | None = None
        current = False
        if end_raw:
            if is_present(end_raw):
                current = True
            elif re.fullmatch(r"\d{2}", end_raw):
                # "2018–19": a two-digit end year in the same century.
                end = start[:2] + end_raw
                if end < start[:4]:
                    end = None
            else:
                end = parse_date(end_raw)
        span = m.span()
        if not end_raw and (since := _SINCE.search(text, 0, span[0])):
            # "Since 2020", "seit 03/2019", "depuis 2021": an open range that has not ended.
            current, span = True, (since.start(), span[1])
        found.append(DateRange(start, end, current, span, text[span[0] : span[1]]))
    return found


_SINCE = re.compile(r"(?<![\w])(?:since|seit|depuis|desde|dal|dall['’]|dès)\s*$", re.IGNORECASE)


def first_range(text: str) -> DateRange | None:
    ranges = find_ranges(text)
    # Prefer a real range over a lone year mentioned in passing.
    for r in ranges:
        if r.end or r.current:
            return r
    return ranges[0] if ranges else None


def year_of(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return int(iso[:4])
    except ValueError:
        return None


# Public alias: a month or season word in any of the six languages.
MONTH_WORD = _MONTH_WORD


_UNIT_Y = r"(?:years?|yrs?|jahre?n?|ans?|años?|anos?|anni)"
_UNIT_M = r"(?:months?|mos?|monate?n?|mois|meses|mesi)"
# "(2 yrs 10 mos)", "· 2 years 10 months", "3 Jahre": how long a role lasted, printed beside its dates.
DURATION = re.compile(
    rf"[(\[·•|]?\s*\b\d{{1,2}}\s*(?:{_UNIT_Y}|{_UNIT_M})\b\.?"
    rf"(?:\s*(?:,|and|und|et|y|e)?\s*\d{{1,2}}\s*{_UNIT_M}\b\.?)?\s*[)\]]?",
    re.IGNORECASE,
)


# A duration cut by a line break: "… (2" at a line's end, "yrs 11 mos)" opening the next.
_DURATION_HEAD = re.compile(r"[(\[]\s*\d{1,2}\s*$")
_DURATION_TAIL = re.compile(
    rf"^\s*(?:\d{{1,2}}\s*)?(?:{_UNIT_Y}|{_UNIT_M})\b\.?(?:\s*\d{{1,2}}\s*{_UNIT_M}\b\.?)?\s*[)\]]", re.I
)


# The last word of a duration wrapped onto a line of its own: "… Jun 2025 2 years 10" + "months".
DURATION_UNIT_ALONE = re.compile(rf"\s*(?:{_UNIT_Y}|{_UNIT_M})\.?\s*[)\]]?\s*", re.IGNORECASE)


def strip_duration(text: str) -> str:
    """The text without a role's duration: it is a fact derived from the dates, not content."""
    text = _DURATION_TAIL.sub(" ", _DURATION_HEAD.sub(" ", text))
    return DURATION.sub(" ", text).strip()
