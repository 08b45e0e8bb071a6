"""Layout patterns of real templates: certificates set out as entries, labelled and bare grades, a field of
study between degree and school, contact lines split by slashes, dates in more languages."""

from __future__ import annotations

from typing import Any

import pytest

from shortlist.ats.engine import parse_text
from shortlist.ats.engine.blocks import split_entries, split_sections
from shortlist.ats.engine.contact import extract_contact, find_location
from shortlist.ats.engine.dates import find_ranges
from shortlist.ats.engine.fields import parse_education
from shortlist.ats.engine.layout import BULLET_RE, Line, layout_pages
from shortlist.ats.engine.lists import column_edges, group_entries, merge_list_wraps, parse_certificates


def _certificates(body: str) -> list[dict[str, Any]]:
    resume = parse_text(f"Ada Lovelace\n\nCERTIFICATIONS\n{body}\n\nLANGUAGES\nEnglish: Native\n").resume
    certificates: list[dict[str, Any]] = resume.get("certificates", [])
    return certificates


CKA = {"name": "Certified Kubernetes Administrator", "issuer": "CNCF", "date": "2022"}
AWS = {"name": "AWS Certified Solutions Architect", "issuer": "Amazon Web Services", "date": "2023"}


def test_certificate_name_issuer_and_date_on_lines_of_their_own() -> None:
    body = "Certified Kubernetes Administrator\nCNCF\n2022\nAWS Certified Solutions Architect\nAmazon Web Services\n2023"
    assert _certificates(body) == [CKA, AWS]


def test_certificate_with_its_date_at_the_right_and_the_issuer_below() -> None:
    body = "Certified Kubernetes Administrator      2022\nCNCF\nAWS Certified Solutions Architect      2023\nAmazon Web Services"
    assert _certificates(body) == [CKA, AWS]


def test_a_one_line_certificate_list_stays_a_list() -> None:
    body = "Certified Kubernetes Administrator, CNCF, 2022\nAWS Certified Solutions Architect — Amazon Web Services (2023)"
    assert _certificates(body) == [CKA, AWS]
    assert _certificates("CKA\nCKAD\nTerraform Associate") == [
        {"name": "CKA"},
        {"name": "CKAD"},
        {"name": "Terraform Associate"},
    ]


def test_bold_names_open_certificates_and_plain_lines_are_their_details() -> None:
    lines = [
        Line("Certified Kubernetes Administrator", bold=True),
        Line("CNCF"),
        Line("2022"),
        Line("AWS Certified Solutions Architect", bold=True),
        Line("Amazon Web Services (2023)"),
    ]
    assert parse_certificates(group_entries(lines), {}) == [CKA, AWS]
    # A plain line that is itself a whole certificate ("CKA, CNCF, 2022") is not a detail of the one above.
    listed = [
        Line("AWS Certified Solutions Architect, Amazon Web Services, 2023", bold=True),
        Line("CKA, CNCF, 2022"),
    ]
    assert [c["name"] for c in parse_certificates(group_entries(listed), {})] == [AWS["name"], "CKA"]


def test_a_certificate_name_wrapped_at_the_column_edge_is_joined_as_one_name() -> None:
    page = [Line("A wide line of body text elsewhere in the column", x0=50, x1=300)]
    lines = [
        Line("Google Professional Cloud Architect and", x0=50, x1=298),
        Line("Data Engineer (2021)", x0=50, x1=150),
        Line("Certified Kubernetes Administrator", x0=50, x1=200),
        Line("CNCF (2022)", x0=50, x1=100),
    ]
    merged = merge_list_wraps(lines, "certificates", column_edges(page + lines))
    assert [ln.text for ln in merged] == [
        "Google Professional Cloud Architect and Data Engineer (2021)",
        "Certified Kubernetes Administrator — CNCF (2022)",
    ]


def test_an_upper_case_issuer_of_body_size_is_not_a_heading() -> None:
    lines = [
        Line("CERTIFICATIONS", size=14.0, gap_before=2.0),
        Line("Certified Kubernetes Administrator", size=10.0, gap_before=1.0),
        Line("CNCF", size=10.0, gap_before=1.0),
        Line("LANGUAGES", size=14.0, gap_before=1.2),
        Line("English: Native", size=10.0),
    ]
    sections, _, unknown = split_sections(lines)
    assert unknown == []
    assert [ln.text for s in sections if s.key == "certificates" for ln in s.lines][-1] == "CNCF"


@pytest.mark.parametrize(
    ("line", "score"),
    [
        ("GPA: 3.8/4.0", "3.8/4.0"),
        ("Grade: 1.3", "1.3"),
        ("Note: 1,3", "1,3"),
        ("Gesamtnote 1,7", "1,7"),
        ("Moyenne : 15/20", "15/20"),
        ("Nota: 9,1", "9,1"),
        ("成績：3.6", "3.6"),
        ("17/20", "17/20"),  # a grade written alone under the degree
        ("110/110", "110/110"),
    ],
)
def test_education_grade(line: str, score: str) -> None:
    text = f"Ada Lovelace\n\nEDUCATION\nMSc Computer Science      2014 – 2016\nUniversity of London\n{line}\n"
    (entry,) = parse_text(text).resume["education"]
    assert entry["score"] == score
    assert entry["institution"] == "University of London" and entry["area"] == "Computer Science"


def test_field_of_study_between_degree_and_school() -> None:
    text = "Ada Lovelace\n\nEDUCATION\nMaster of Engineering, Electrical Engineering, Politecnico di Milano    2011 – 2014\n"
    (entry,) = parse_text(text).resume["education"]
    assert (entry["studyType"], entry["area"], entry["institution"]) == (
        "Master of Engineering",
        "Electrical Engineering",
        "Politecnico di Milano",
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("oct. 2024 – présent", "2024-10", None, True),
        ("mars 2019 – à ce jour", "2019-03", None, True),
        ("março 2020 – janeiro 2021", "2020-03", "2021-01", False),
        ("ene. 2020 – actualmente", "2020-01", None, True),
        ("2020年4月 – 現在", "2020-04", None, True),
        ("2018年10月 – 2020年3月", "2018-10", "2020-03", False),
        ("2019年 – 2021年", "2019", "2021", False),
        ("2021/04 – 至今", "2021-04", None, True),
    ],
)
def test_more_date_wordings(text: str, start: str, end: str | None, current: bool) -> None:
    found = find_ranges(text)
    assert found, text
    assert (found[0].start, found[0].end, found[0].current) == (start, end, current)


def test_contact_line_split_by_slashes() -> None:
    line = "ada@example.com / +49 30 1234 5678 / Berlin, DE / ada.dev / linkedin.com/in/ada / github.com/ada"
    assert find_location(line) == {"city": "Berlin", "countryCode": "DE"}
    contact = extract_contact([(0, line)])
    assert contact.url == "https://ada.dev"
    assert [(p["network"], p["url"]) for p in contact.profiles] == [
        ("LinkedIn", "https://linkedin.com/in/ada"),
        ("GitHub", "https://github.com/ada"),
    ]


def test_a_two_letter_code_after_a_known_city_is_its_country() -> None:
    assert find_location("Berlin, DE") == {"city": "Berlin", "countryCode": "DE"}
    assert find_location("Austin, TX") == {"city": "Austin", "region": "TX", "countryCode": "US"}


def test_gap_under_a_line_without_descenders_is_measured_from_where_descenders_would_end() -> None:
    from shortlist.ats.engine.extract import PageFacts, Segment

    def seg(text: str, top: float, bottom: float) -> Segment:
        return Segment(text, 50.0, 300.0, top, bottom, 1, size=10.0)

    # Same baseline pitch; the first pair's upper line has no descenders, so its box ends at the baseline.
    page = PageFacts(
        width=600.0,
        height=800.0,
        segments=[
            seg("Data Scientist 2024 – Present", 100.0, 107.0),
            seg("Acme Corp Berlin", 116.0, 123.0),
            seg("Full Stack Developer July 2023", 140.0, 149.2),
            seg("Initech Ltd Munich", 156.0, 163.0),
        ],
    )
    lines, _, _ = layout_pages([page])
    assert abs(lines[1].gap_before - lines[3].gap_before) < 0.1


def test_an_address_wrapped_before_its_last_dot_is_joined() -> None:
    # A narrow table cell in a word processor's PDF breaks "…@mail.example.org" before ".org".
    head = "Amelia Hartley\nBackend Developer\n"
    tail = "\n+1 (415) 555-0132\n\nEXPERIENCE\nLead Developer, Wingtip Solutions\n2020 - 2022\n"
    wrapped = parse_text(f"{head}olena32@mail.example\n.org{tail}").resume
    assert wrapped["basics"]["email"] == "olena32@mail.example.org"
    # A line of its own that is not a domain's end stays apart.
    apart = parse_text(f"{head}olena32@mail.example.org\n.NET and Go{tail}").resume
    assert apart["basics"]["email"] == "olena32@mail.example.org"


def test_numbers_of_a_long_numbered_list_that_touch_their_items_are_markers() -> None:
    # A word processor's numbered list keeps one indent: "10." fills it and touches the item.
    text = (
        "Amelia Hartley\nada@example.org\n\nEXPERIENCE\nLead Developer, Wingtip Solutions\n2020 - 2022\n"
        "9. Reduced p95 latency from 900 ms to 210 ms\n"
        "10.Introduced contract tests between 14 microservices\n"
        "11.Wrote the on-call runbook used by 4 teams\n"
    )
    work = parse_text(text).resume["work"]
    assert [entry["position"] for entry in work] == ["Lead Developer"]
    assert work[0]["highlights"] == [
        "Reduced p95 latency from 900 ms to 210 ms",
        "Introduced contract tests between 14 microservices",
        "Wrote the on-call runbook used by 4 teams",
    ]


@pytest.mark.parametrize("text", ["3.5 years of Kotlin", "10.5 GB a day", "10.NET services"])
def test_a_number_touching_what_follows_is_not_a_marker_when_it_is_a_figure(text: str) -> None:
    assert not BULLET_RE.match(text)


def _cell_line(*parts: str, x0: float, x1: float, size: float, gap_before: float = 0.0) -> Line:
    """A line of a table cell as the layout gives it: its parts (runs apart) and its extent."""
    return Line(" ".join(parts), x0=x0, x1=x1, size=size, gap_before=gap_before, parts=list(parts))


def test_a_title_wrapped_in_its_cell_beside_the_dates_is_joined() -> None:
    # A table row: the dates in one cell, the degree and school in the next, wrapped at the cell's edge.
    entry = [
        _cell_line(
            "2014 – 2017", "Bachelor of Science in Computer Science, Sorbonne", x0=193, x1=483, size=10
        ),
        _cell_line("University", x0=193, x1=250, size=10, gap_before=0.2),
    ]
    wrapped = parse_education([entry], {}, columns={0: 525.0})
    assert wrapped[0]["institution"] == "Sorbonne University"
    assert wrapped[0]["area"] == "Computer Science"
    # The same lines in a column wide enough for the next word: the second line is a field of its own.
    apart = parse_education([entry], {}, columns={0: 560.0})
    assert apart[0]["institution"] != "Sorbonne University"


def test_a_school_name_wrapped_after_of_is_joined() -> None:
    # Wherever the cell's edge was, a name does not end on "of": the next line finishes it.
    entry = [
        _cell_line("Data Science (MSc), Indian Institute of", x0=232, x1=478, size=11),
        _cell_line("Technology Bombay", "2015 – 2018", x0=232, x1=443, size=11, gap_before=0.4),
    ]
    education = parse_education([entry], {}, columns={0: 544.0})
    assert education[0]["institution"] == "Indian Institute of Technology Bombay"
    assert education[0]["area"] == "Data Science"


def test_each_title_keeps_the_dates_set_on_the_line_below_it() -> None:
    # Title, then its dates a little below; the next title sits closer than a gap that splits entries.
    lines = [
        Line("Bachelor of Science in Computer Science, Sorbonne University", size=9.5, gap_before=0.8),
        Line("2014 – 2017", size=9.5, gap_before=0.45),
        Line("Bachelor of Science in Computer Science, University of Warsaw", size=9.5, gap_before=0.8),
        Line("2009 – 2012", size=9.5, gap_before=0.4),
    ]
    education = parse_education(split_entries(lines), {})
    assert [(e.get("institution"), e.get("startDate")) for e in education] == [
        ("Sorbonne University", "2014"),
        ("University of Warsaw", "2009"),
    ]


def test_a_duration_wrapped_before_its_unit_stays_out_of_the_title() -> None:
    text = (
        "Amelia Hartley\nada@example.org\n\nEXPERIENCE\nTailspin Toys, Dublin\n"
        "Mobile Engineer Sep 2022 — Jun 2025 2 years 10\nmonths\n"
        "• Replaced a legacy cron system with Airflow DAGs\n"
    )
    work = parse_text(text).resume["work"]
    assert [(e.get("position"), e.get("name"), e.get("endDate")) for e in work] == [
        ("Mobile Engineer", "Tailspin Toys", "2025-06")
    ]


@pytest.mark.parametrize("marker", ["a)", "(b)", "i.", "ii)", "iv."])
def test_a_nested_list_item_is_its_own_highlight(marker: str) -> None:
    text = (
        "Amelia Hartley\nada@example.org\n\nEXPERIENCE\nLead Developer, Wingtip Solutions\n2020 - 2022\n"
        "• Replaced a legacy cron system with Airflow DAGs\n"
        f"{marker} Wrote the migration plan and rollback drills\n"
    )
    work = parse_text(text).resume["work"]
    assert work[0]["highlights"] == [
        "Replaced a legacy cron system with Airflow DAGs",
        "Wrote the migration plan and rollback drills",
    ]


def test_a_degree_line_that_ran_to_the_column_edge_continues_on_the_next() -> None:
    entry = [
        _cell_line("Bachelor of Science, Computer Science — KTH", x0=232, x1=540, size=11),
        _cell_line("Royal Institute of Technology", "2010 – 2013", x0=232, x1=440, size=11, gap_before=0.4),
    ]
    wrapped = parse_education([entry], {}, columns={0: 544.0})
    assert wrapped[0]["institution"] == "KTH Royal Institute of Technology"
    # Far from the edge, the line ended where its writer ended it.
    apart = parse_education([entry], {}, columns={0: 700.0})
    assert apart[0]["institution"] != "KTH Royal Institute of Technology"
