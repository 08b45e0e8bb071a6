from __future__ import annotations

import pytest

from shortlist.ats.engine.dates import find_ranges, parse_date
from shortlist.ats.engine.sections import heading_key


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("Jan 2020 – Present", "2020-01", None, True),
        ("2019-03", "2019-03", None, False),
        ("03/2019 - 04/2020", "2019-03", "2020-04", False),
        ("Summer 2018", "2018", None, False),
        ("2018–19", "2018", "2019", False),
        ("März 2021 – heute", "2021-03", None, True),
        ("septembre 2019 – actuel", "2019-09", None, True),
        ("ene. 2017 - dic. 2019", "2017-01", "2019-12", False),
        ("set. 2016 – atual", "2016-09", None, True),
        ("gen. 2015 – oggi", "2015-01", None, True),
        ("01.02.2020 – 31.12.2021", "2020-02-01", "2021-12-31", False),
        ("Sept. 2015 to Jun 2019", "2015-09", "2019-06", False),
        ("Technical University of Munich 2009 – 2012", "2009", "2012", False),
    ],
)
def test_date_ranges(text: str, start: str, end: str | None, current: bool) -> None:
    found = find_ranges(text)
    assert found, text
    assert (found[0].start, found[0].end, found[0].current) == (start, end, current)


@pytest.mark.parametrize("text", ["13/2020", "2020-13", "Munich", "32.01.2020", "hello"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("EXPERIENCE", "work"),
        ("Work History", "work"),
        ("Berufserfahrung", "work"),
        ("Expérience professionnelle", "work"),
        ("Experiencia laboral", "work"),
        ("Experiência profissional", "work"),
        ("Esperienza lavorativa", "work"),
        ("E X P E R I E N C E", "work"),
        ("Ausbildung", "education"),
        ("Formación académica", "education"),
        ("Istruzione", "education"),
        ("Skills & Tools", "skills"),
        ("Kenntnisse:", "skills"),
        ("Compétences", "skills"),
        ("Sprachen", "languages"),
        ("Idiomas", "languages"),
        ("Zertifikate", "certificates"),
        ("Projetos", "projects"),
        ("Profil", "summary"),
        ("Ausbildung und Zertifikate", "education"),
    ],
)
def test_headings_in_six_languages(heading: str, key: str) -> None:
    assert heading_key(heading) == key


@pytest.mark.parametrize("text", ["Acme Corp", "Reduced latency by 40%", "Berlin, Germany", ""])
def test_non_headings(text: str) -> None:
    assert heading_key(text) is None


def test_hyphenated_line_breaks_are_mended() -> None:
    from shortlist.ats.engine.wraps import join_wrapped

    assert join_wrapped("Built a develop-", "ment pipeline") == "Built a development pipeline"
    assert join_wrapped("Used CI/CD -", "and more") == "Used CI/CD - and more"
    assert join_wrapped("Reduced cost by", "40%") == "Reduced cost by 40%"
    assert join_wrapped("Implemented role-", "based access") == "Implemented role-based access"
