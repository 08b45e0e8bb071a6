"""The JSON Resume document (jsonresume.org schema v1) as Pydantic models.

Every object keeps unknown properties (the schema allows them), so import then export loses nothing.
Values are kept exactly as sent: checks validate, they never rewrite.
"""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from shortlist.kit.problems import ValidationFailed

_ISO_DATE = re.compile(r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$")
# RFC 3986 absolute URI: a scheme, a colon, and no white space.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")


def _check_date(value: str) -> str:
    if not _ISO_DATE.match(value):
        raise ValueError("must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
    month = value[5:7]
    if month and not 1 <= int(month) <= 12:
        raise ValueError("has a month outside 01-12")
    day = value[8:10]
    if day:
        year = int(value[:4])
        last = calendar.monthrange(year, int(month))[1]
        if not 1 <= int(day) <= last:
            raise PydanticCustomError(
                "calendar_date",
                "{value} is not a calendar date: {month} has days 01-{last}",
                {"value": value, "month": value[:7], "last": f"{last:02d}"},
            )
    return value


def _end_not_before_start(value: str | None, info: ValidationInfo) -> str | None:
    """An entry cannot end before it starts. Dates of different precision compare on what both state,
    so "2020" ends no earlier than "2020-05" starts."""
    start = info.data.get("startDate")
    if value is None or not isinstance(start, str):
        return value  # no start, or a start that already failed its own check
    common = min(len(value), len(start))
    if value[:common] < start[:common]:
        raise PydanticCustomError(
            "date_range_reversed",
            "endDate {end} is before startDate {start}: the date range is reversed",
            {"end": value, "start": start},
        )
    return value


def _date_range_check() -> Any:
    return field_validator("endDate")(_end_not_before_start)


def _check_email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid e-mail address ({exc})") from exc
    return value


def _check_uri(value: str) -> str:
    if not _URI.match(value):
        raise ValueError("must be an absolute URL such as https://example.com/")
    return value


IsoDate = Annotated[str, AfterValidator(_check_date)]
Email = Annotated[str, AfterValidator(_check_email)]
Uri = Annotated[str, AfterValidator(_check_uri)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Location(_Open):
    address: str | None = None
    postalCode: str | None = None  # noqa: N815 - JSON Resume's own spelling
    city: str | None = None
    countryCode: str | None = None  # noqa: N815
    region: str | None = None


class Profile(_Open):
    network: str | None = None
    username: str | None = None
    url: Uri | None = None


class Basics(_Open):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: Email | None = None
    phone: str | None = None
    url: Uri | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] | None = None


class Work(_Open):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: Uri | None = None
    startDate: IsoDate | None = None  # noqa: N815
    endDate: IsoDate | None = None  # noqa: N815
    summary: str | None = None
    highlights: list[str] | None = None

    _end_after_start = _date_range_check()


class Volunteer(_Open):
    organization: str | None = None
    position: str | None = None
    url: Uri | None = None
    startDate: IsoDate | None = None  # noqa: N815
    endDate: IsoDate | None = None  # noqa: N815
    summary: str | None = None
    highlights: list[str] | None = None

    _end_after_start = _date_range_check()


class Education(_Open):
    institution: str | None = None
    url: Uri | None = None
    area: str | None = None
    studyType: str | None = None  # noqa: N815
    startDate: IsoDate | None = None  # noqa: N815
    endDate: IsoDate | None = None  # noqa: N815
    score: str | None = None
    courses: list[str] | None = None

    _end_after_start = _date_range_check()


class Award(_Open):
    title: str | None = None
    date: IsoDate | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Open):
    name: str | None = None
    date: IsoDate | None = None
    url: Uri | None = None
    issuer: str | None = None


class Publication(_Open):
    name: str | None = None
    publisher: str | None = None
    releaseDate: IsoDate | None = None  # noqa: N815
    url: Uri | None = None
    summary: str | None = None


class Skill(_Open):
    name: str | None = None
    level: str | None = None
    keywords: list[str] | None = None


class Language(_Open):
    language: str | None = None
    fluency: str | None = None


class Interest(_Open):
    name: str | None = None
    keywords: list[str] | None = None


class Reference(_Open):
    name: str | None = None
    reference: str | None = None


class Project(_Open):
    name: str | None = None
    description: str | None = None
    highlights: list[str] | None = None
    keywords: list[str] | None = None
    startDate: IsoDate | None = None  # noqa: N815
    endDate: IsoDate | None = None  # noqa: N815
    url: Uri | None = None
    roles: list[str] | None = None
    entity: str | None = None
    type: str | None = None

    _end_after_start = _date_range_check()


class Meta(_Open):
    canonical: Uri | None = None
    version: str | None = None
    lastModified: str | None = None  # noqa: N815


class ResumeDocument(_Open):
    """A JSON Resume. All sections are optional; unknown properties are kept."""

    schema_: str | None = Field(default=None, alias="$schema")
    basics: Basics | None = None
    work: list[Work] | None = None
    volunteer: list[Volunteer] | None = None
    education: list[Education] | None = None
    awards: list[Award] | None = None
    certificates: list[Certificate] | None = None
    publications: list[Publication] | None = None
    skills: list[Skill] | None = None
    languages: list[Language] | None = None
    interests: list[Interest] | None = None
    references: list[Reference] | None = None
    projects: list[Project] | None = None
    meta: Meta | None = None

    def to_json(self) -> dict[str, Any]:
        """The document as sent: only the properties that were present, unknown ones included."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def validate_document(raw: Any, *, location: str | None = "content") -> dict[str, Any]:
    """Validate a JSON Resume given as plain JSON: the one check behind the API's writes (merge patches and
    restores arrive this way) and the offline `shortlist render`."""
    try:
        return ResumeDocument.model_validate(raw).to_json()
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc, *([location] if location else [])) from exc


EXAMPLE_DOCUMENT: dict[str, Any] = {
    "basics": {
        "name": "Ada Lovelace",
        "label": "Backend engineer",
        "email": "ada@example.com",
        "summary": "Builds reliable APIs.",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [{"network": "GitHub", "username": "ada", "url": "https://github.com/ada"}],
    },
    "work": [
        {
            "name": "Analytical Engines Ltd",
            "position": "Senior Engineer",
            "startDate": "2021-03",
            "highlights": ["Cut p99 latency from 850 ms to 180 ms with Redis caching"],
        }
    ],
    "skills": [{"name": "Backend", "keywords": ["Python", "FastAPI", "PostgreSQL"]}],
}
