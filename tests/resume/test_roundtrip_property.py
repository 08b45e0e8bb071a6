"""Property: any valid JSON Resume survives import then export unchanged (unknown properties included)."""

from __future__ import annotations

import string
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortlist.resume.jsonresume import ResumeDocument
from tests.conftest import Register

KNOWN = {
    "basics",
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
    "meta",
    "$schema",
}

# U+0000 is refused at the door (PostgreSQL cannot store it); every other code point must survive.
text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
dates = (
    st.dates()
    .filter(lambda d: 1000 <= d.year <= 2999)
    .flatmap(lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))
)
labels = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
emails = st.builds(lambda user, domain: f"{user}@{domain}.example.org", labels, labels)
urls = st.builds(lambda host, path: f"https://{host}.example.com/{path}", labels, labels)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(labels, children, max_size=3),
    max_leaves=8,
)
extras = st.dictionaries(labels.map(lambda k: f"x_{k}"), json_values, max_size=2)


def in_order(item: dict[str, Any]) -> dict[str, Any]:
    """A range that ends before it starts is not a valid resume: swap such a pair."""
    start, end = item.get("startDate"), item.get("endDate")
    if start is not None and end is not None:
        common = min(len(start), len(end))
        if end[:common] < start[:common]:
            item = {**item, "startDate": end, "endDate": start}
    return item


def entry(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return (
        st.fixed_dictionaries({}, optional=fields)
        .map(in_order)
        .flatmap(lambda base: extras.map(lambda e: {**base, **e}))
    )


documents = st.fixed_dictionaries(
    {},
    optional={
        "basics": entry(
            {
                "name": text,
                "label": text,
                "email": emails,
                "phone": text,
                "url": urls,
                "summary": text,
                "location": entry({"city": text, "countryCode": text, "address": text}),
                "profiles": st.lists(entry({"network": text, "username": text, "url": urls}), max_size=2),
            }
        ),
        "work": st.lists(
            entry(
                {
                    "name": text,
                    "position": text,
                    "url": urls,
                    "startDate": dates,
                    "endDate": dates,
                    "summary": text,
                    "highlights": st.lists(text, max_size=3),
                }
            ),
            max_size=3,
        ),
        "education": st.lists(
            entry(
                {
                    "institution": text,
                    "area": text,
                    "studyType": text,
                    "startDate": dates,
                    "score": text,
                    "courses": st.lists(text, max_size=2),
                }
            ),
            max_size=2,
        ),
        "skills": st.lists(
            entry({"name": text, "level": text, "keywords": st.lists(text, max_size=3)}), max_size=3
        ),
        "awards": st.lists(entry({"title": text, "date": dates, "awarder": text}), max_size=2),
        "projects": st.lists(
            entry({"name": text, "startDate": dates, "url": urls, "roles": st.lists(text, max_size=2)}),
            max_size=2,
        ),
        "meta": entry({"version": text, "canonical": urls}),
    },
).flatmap(lambda doc: extras.map(lambda e: {**doc, **e}))


@given(documents)
@settings(max_examples=300, deadline=None)
def test_model_round_trip_is_identity(document: dict[str, Any]) -> None:
    assert ResumeDocument.model_validate(document).to_json() == document


@given(document=documents)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_http_import_export_round_trip(
    client: httpx.AsyncClient, register: Register, document: dict[str, Any]
) -> None:
    headers = await register()
    imported = await client.post("/v1/resumes/import", json=document, headers=headers)
    assert imported.status_code == 201, imported.text
    exported = await client.get(f"/v1/resumes/{imported.json()['id']}/export", headers=headers)
    assert exported.json() == document
