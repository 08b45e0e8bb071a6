"""Property tests: the text-to-fields stage takes any text without crashing, in bounded time."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortlist.ats.engine import AtsError, build_report, parse_bytes, parse_text
from shortlist.ats.engine.dates import find_ranges
from shortlist.ats.engine.skills import get_taxonomy

_RESUMEISH = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "EXPERIENCE",
                "Berufserfahrung",
                "Education",
                "SKILLS",
                "- Built 3 things",
                "• Led a team",
                "Jan 2020 – Present",
                "2018–19",
                "Acme Corp | Berlin",
                "jane@example.com",
                "+49 30 1234567",
                "Languages: Python, Go",
                "English (Native)",
                "   ",
                "März 2021 - heute",
                "GPA: 3.9/4.0",
            ]
        ),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RESUMEISH)
def test_parse_text_never_crashes(lines: list[str]) -> None:
    text = "\n".join(lines)
    start = time.perf_counter()
    parsed = parse_text(text)
    report = build_report(parsed)
    assert time.perf_counter() - start < 5.0  # generous: this machine slows down under load
    assert 0 <= report.score <= 100
    assert isinstance(parsed.resume, dict)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_dates_and_skills_on_arbitrary_text(text: str) -> None:
    for found in find_ranges(text):
        assert found.start is None or found.start[:4].isdigit()
    for hit in get_taxonomy().find(text):
        assert 0 <= hit.start < hit.end <= len(text)


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    st.binary(max_size=400),
)
def test_arbitrary_bytes_raise_only_ats_errors(prefix: bytes, body: bytes) -> None:
    try:
        parsed = parse_bytes(prefix + body, cross_check=False)
    except AtsError as exc:
        assert exc.status in (415, 422) and exc.detail
    else:
        assert parsed.file_type in ("pdf", "docx", "txt")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
_RESUME_KEYS = st.sampled_from(
    ["basics", "work", "education", "skills", "projects", "certificates", "volunteer"]
)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(_RESUME_KEYS, _JSON, max_size=6),
    st.one_of(
        st.text(max_size=300),
        st.dictionaries(
            st.sampled_from(["title", "skills", "qualifications", "responsibilities", "experience"]),
            _JSON,
            max_size=5,
        ),
    ),
)
def test_match_profile_and_bullets_accept_malformed_documents(resume: dict[str, object], job: object) -> None:
    from shortlist.ats.engine import match, review_bullets, score_profile

    assert isinstance(job, (str, dict))
    result = match(resume, job)
    assert 0 <= result.score <= 100
    assert 0 <= score_profile(resume, "python-backend").score <= 100
    assert review_bullets(resume).count >= 0
