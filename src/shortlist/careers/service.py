"""What the public careers pages show: open jobs only, the description rendered from Markdown with raw
HTML off, and the schema.org JobPosting document search engines read."""

from __future__ import annotations

import json
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from shortlist.models import JobPosting, Organization

# "js-default": CommonMark without raw HTML; links with javascript:, data: (but images) etc. are refused.
_MARKDOWN = MarkdownIt("js-default")

EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
UNIT = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}


def description_html(posting: JobPosting) -> Markup:
    return Markup(_MARKDOWN.render(posting.description))  # noqa: S704 - markdown-it escapes; raw HTML is off


def job_posting_ld(
    posting: JobPosting, organization: Organization, url: str, careers_url: str
) -> dict[str, Any]:
    """schema.org JobPosting (the properties Google's job search reads)."""
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": str(description_html(posting)),
        "datePosted": (posting.opened_at or posting.created_at).date().isoformat(),
        "employmentType": EMPLOYMENT_TYPES.get(posting.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": organization.name, "sameAs": careers_url},
        "identifier": {"@type": "PropertyValue", "name": organization.name, "value": str(posting.id)},
        "url": url,
        "directApply": True,
    }
    if posting.location:
        document["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": posting.location},
        }
    if posting.workplace == "remote":
        document["jobLocationType"] = "TELECOMMUTE"
    if posting.salary_min is not None or posting.salary_max is not None:
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": UNIT.get(posting.salary_period or "year"),
        }
        if posting.salary_min is not None:
            value["minValue"] = posting.salary_min
        if posting.salary_max is not None:
            value["maxValue"] = posting.salary_max
        document["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.salary_currency or "EUR",
            "value": value,
        }
    return document


def json_ld(document: dict[str, Any]) -> Markup:
    """JSON for a <script> element: "<", ">" and "&" escaped so no text can close the element."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above
