"""Contact details: email, phone (E.164), links and location, from the lines where people put them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from shortlist.ats.engine.lexicon import CITIES, COUNTRIES, US_STATES

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,24}")
URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:[a-z0-9\-]+\.)+(?:com|org|net|io|dev|me|de|fr|es|pt|it|co|uk|app|ai|eu|info|page|site|tech)"
    r"(?:/[^\s|,;)]*)?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:\||·|•|,|;|\t| {2,}| – | — )\s*")


@dataclass
class Contact:
    email: str | None = None
    phone: str | None = None
    phone_raw: str | None = None
    url: str | None = None
    profiles: list[dict[str, str]] = field(default_factory=list)
    location: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, int] = field(default_factory=dict)  # field -> line index


def _norm_url(raw: str) -> str:
    url = raw.rstrip(".,;)")
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    return url


def find_location(text: str) -> dict[str, str] | None:
    """'Berlin, Germany', 'Austin, TX', 'Lisboa' -> JSON Resume location."""
    pieces = [p.strip() for p in re.split(r"\s*(?:\||·|•|\t| {2,}| – | — | / )\s*", text) if p.strip()]
    for piece in pieces:
        if "@" in piece or len(piece) > 60 or re.search(r"\d{6,}|\+\d", piece):
            continue
        # "Musterstraße 1, 10115 Berlin": drop postal codes and street lines, keep the place words.
        parts = [re.sub(r"^\d{4,5}\s+|\s+\d{4,5}$", "", p.strip()) for p in piece.split(",") if p.strip()]
        parts = [p for p in parts if p and not any(ch.isdigit() for ch in p)]
        for i, part in enumerate(parts):
            low = part.lower()
            if low in CITIES:
                loc = {"city": part}
                nxt = parts[i + 1] if i + 1 < len(parts) else ""
                if CITIES[low] and nxt.upper() == CITIES[low]:
                    # "Berlin, DE" is Germany's country code, not Delaware.
                    loc["countryCode"] = CITIES[low]
                elif nxt.upper() in US_STATES:
                    loc["region"] = nxt.upper()
                    loc["countryCode"] = "US"
                elif nxt.lower() in COUNTRIES:
                    loc["countryCode"] = COUNTRIES[nxt.lower()]
                elif CITIES[low]:
                    loc["countryCode"] = CITIES[low]
                return loc
            if i > 0 and ((part.upper() in US_STATES and len(part) == 2) or low in COUNTRIES):
                city = parts[i - 1]
                # "Backend Developer   Stockholm, Sweden": the known city at the end, not the words before it.
                words = city.split()
                known = next(
                    (" ".join(words[n:]) for n in range(len(words)) if " ".join(words[n:]).lower() in CITIES),
                    None,
                )
                city = known or city
                if re.fullmatch(r"[A-ZÀ-Ý][\w\-' .À-ÿ]{1,30}", city) and len(city.split()) <= 3:
                    loc = {"city": city}
                    if part.upper() in US_STATES and len(part) == 2:
                        loc.update(region=part.upper(), countryCode="US")
                    else:
                        loc["countryCode"] = COUNTRIES[low]
                    return loc
    return None


_COUNTRY_AFTER = re.compile(r",\s*([A-Z][\w .'-]{1,30}?)(?=\s{1,}\S*[@./+\d]|\s*$)")


def _place_in_run(text: str) -> dict[str, str] | None:
    """A place among contact details set apart by space alone ("+46 70 123 45 67 Stockholm, Sweden
    www.example.net"): a known city, or one capitalised word, just before a comma and a country."""
    for m in _COUNTRY_AFTER.finditer(text):
        country = m.group(1).strip()
        if country.lower() not in COUNTRIES:
            continue
        words = text[: m.start()].split()[-3:]
        for n in range(len(words), 0, -1):
            city = " ".join(words[-n:])
            if city.lower() in CITIES:
                return {"city": city, "countryCode": COUNTRIES[country.lower()]}
        if words and re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'-]{2,30}", words[-1]):
            return {"city": words[-1], "countryCode": COUNTRIES[country.lower()]}
    return None


def find_phone(text: str, region: str | None, lenient: bool = False) -> tuple[str, str] | None:
    """A valid number (E.164, raw text); with ``lenient`` also a well-formed one that fails validation."""
    if lenient:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region or "US", leniency=phonenumbers.Leniency.POSSIBLE
        ):
            digits = re.sub(r"\D", "", match.raw_string)
            # Only what looks like a phone as written: international or trunk prefix, enough digits.
            if len(digits) >= 8 and match.raw_string.lstrip("(").startswith(("+", "0")):
                return phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164
                ), match.raw_string
        return None
    for region_try in dict.fromkeys([region or "US", "US", "GB", "DE"]):
        for match in phonenumbers.PhoneNumberMatcher(text, region_try, leniency=phonenumbers.Leniency.VALID):
            number = match.number
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), match.raw_string
        if "+" in text:
            break
    return None


# Enough digits for a phone number, in any grouping ("+33 6 12 34 56 78" has no run of three).
_DIGITS = re.compile(r"(?:\d[\s().-]*){7}")


def extract_contact(texts: list[tuple[int, str]], region_hint: str | None = None) -> Contact:
    """Scan (line index, text) pairs; the first hit of each kind wins (header lines come first)."""
    contact = Contact()
    for index, text in texts:
        if not contact.location and (loc := find_location(text)):
            contact.location = loc
            contact.evidence["location"] = index
    for index, text in texts:
        if not contact.location and (loc := _place_in_run(text)):
            contact.location = loc
            contact.evidence["location"] = index
    region = contact.location.get("countryCode") or region_hint
    for index, text in texts:
        if contact.email is None and (m := EMAIL_RE.search(text)):
            contact.email = m.group(0)
            contact.evidence["email"] = index
        if contact.phone is None and _DIGITS.search(text) and len(text) < 200:
            cleaned = EMAIL_RE.sub(" ", text)
            cleaned = URL_RE.sub(" ", cleaned)
            hit = find_phone(cleaned, region)
            if hit:
                contact.phone, contact.phone_raw = hit
                contact.evidence["phone"] = index
        for m in URL_RE.finditer(EMAIL_RE.sub(" ", text)):  # links
            url = _norm_url(m.group(0))
            low = url.lower()
            network = None
            if "linkedin.com" in low:
                network = "LinkedIn"
            elif "github.com" in low:
                network = "GitHub"
            elif "gitlab.com" in low:
                network = "GitLab"
            elif "twitter.com" in low or "x.com/" in low:
                network = "Twitter"
            if network:
                if any(p["network"] == network for p in contact.profiles):
                    continue
                username = url.rstrip("/").rsplit("/", 1)[-1]
                contact.profiles.append({"network": network, "username": username, "url": url})
                contact.evidence[f"profile:{network}"] = index
            elif contact.url is None:
                contact.url = url
                contact.evidence["url"] = index
    if contact.phone is None:
        # Second pass: a number that is well-formed but not valid for its country is still what was written.
        for index, text in texts:
            if _DIGITS.search(text) and len(text) < 200:
                hit = find_phone(URL_RE.sub(" ", EMAIL_RE.sub(" ", text)), region, lenient=True)
                if hit:
                    contact.phone, contact.phone_raw = hit
                    contact.evidence["phone"] = index
                    break
    return contact


def contact_to_basics(contact: Contact) -> dict[str, Any]:
    basics: dict[str, Any] = {}
    if contact.email:
        basics["email"] = contact.email
    if contact.phone:
        basics["phone"] = contact.phone
    if contact.url:
        basics["url"] = contact.url
    if contact.location:
        basics["location"] = dict(contact.location)
    if contact.profiles:
        basics["profiles"] = [dict(p) for p in contact.profiles]
    return basics
