"""Blind screening: what a reviewer below admin sees of a candidate before the shortlist.

Two layers, so that nothing slips through a field we did not think of: identity fields are removed by
name (contact details, photo, address, profiles, references, birth date and gender cues, school names and
study dates when the job asks), then every remaining string is scrubbed of the candidate's own name parts,
e-mail addresses, phone numbers, web addresses and (when asked) schools, wherever they appear (evidence
lines quoted in the score explanation included)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

HIDDEN = "[hidden]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
# Removed wherever they appear (age, gender and other cues, pictures).
_CUE_KEYS = {
    "image",
    "picture",
    "photo",
    "birthDate",
    "birthdate",
    "dateOfBirth",
    "age",
    "gender",
    "sex",
    "pronouns",
    "nationality",
    "maritalStatus",
    "religion",
}
# Removed from `basics`: how to reach or find the person.
_CONTACT_KEYS = {"name", "email", "phone", "url", "profiles", "location"}


def _phone(match: re.Match[str]) -> str:
    # Date ranges ("2019 - 2023") are digits too: a phone number has at least nine.
    return HIDDEN if sum(c.isdigit() for c in match.group(0)) >= 9 else match.group(0)


def identity_terms(
    name: str | None, email: str | None, resume: dict[str, Any] | None, schools: bool
) -> list[str]:
    """The candidate's own words to scrub: name parts, addresses, profile user names, and schools."""
    terms: list[str] = []
    basics = (resume or {}).get("basics") or {}
    basics = basics if isinstance(basics, dict) else {}
    for value in (name, basics.get("name")):
        if isinstance(value, str):
            terms.append(value)
            terms += [part for part in re.split(r"[\s,.'-]+", value) if len(part) >= 2]
    for value in (email, basics.get("email"), basics.get("phone"), basics.get("url")):
        if isinstance(value, str) and value.strip():
            terms.append(value.strip())
    location = basics.get("location")
    if isinstance(location, dict):
        terms += [str(location[k]) for k in ("address", "postalCode") if isinstance(location.get(k), str)]
        address = location.get("address")
        if isinstance(address, str):
            # The street alone names a home as well as the whole line does.
            terms += [part for part in re.split(r"[\s,.]+", address) if len(part) >= 4 and not part.isdigit()]
    for profile in basics.get("profiles") or []:
        if isinstance(profile, dict):
            terms += [str(profile[k]) for k in ("username", "url") if isinstance(profile.get(k), str)]
    if schools:
        for entry in (resume or {}).get("education") or []:
            if isinstance(entry, dict) and isinstance(entry.get("institution"), str):
                terms.append(entry["institution"])
    return sorted({t for t in terms if t.strip()}, key=len, reverse=True)


class Scrubber:
    def __init__(self, terms: Iterable[str]) -> None:
        words = [re.escape(t) for t in terms if t]
        self._terms = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.I) if words else None

    def text(self, value: str) -> str:
        value = _EMAIL.sub(HIDDEN, value)
        value = _URL.sub(HIDDEN, value)
        value = _PHONE.sub(_phone, value)
        if self._terms is not None:
            value = self._terms.sub(HIDDEN, value)
        return value

    def deep(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value


def redact_resume(resume: dict[str, Any], *, schools: bool) -> dict[str, Any]:
    """The resume without identity fields (strings are scrubbed separately)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _CUE_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    out: dict[str, Any] = strip(resume)
    basics = resume.get("basics")
    if isinstance(basics, dict):
        kept = {k: v for k, v in out.get("basics", {}).items() if k not in _CONTACT_KEYS}
        location = basics.get("location")
        if isinstance(location, dict) and location.get("countryCode"):
            kept["location"] = {"countryCode": location["countryCode"]}
        out["basics"] = kept
    out.pop("references", None)
    if isinstance(out.get("education"), list):
        # Study dates tell age; school names are hidden when the job asks.
        hidden = {"startDate", "endDate"} | ({"institution", "url"} if schools else set())
        out["education"] = [
            {k: v for k, v in e.items() if k not in hidden} if isinstance(e, dict) else e
            for e in out["education"]
        ]
    return out
