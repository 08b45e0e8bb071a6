"""Hand-written resumes in styles the generated corpus does not cover (US one-pager, German tabular CV)."""

from __future__ import annotations

from pathlib import Path

from shortlist.ats.engine import build_report, parse_bytes

HERE = Path(__file__).parent


def test_us_resume() -> None:
    parsed = parse_bytes((HERE / "us_resume.txt").read_bytes())
    resume = parsed.resume
    basics = resume["basics"]
    assert basics["phone"] == "+14155550134"
    assert basics["location"] == {"city": "San Francisco", "region": "CA", "countryCode": "US"}
    google, stripe = resume["work"]
    assert (google["name"], google["position"], google["startDate"]) == (
        "Google",
        "Senior Software Engineer",
        "2019-06",
    )
    assert "endDate" not in google and google["location"] == "Mountain View, CA"
    assert (stripe["name"], stripe["position"], stripe["endDate"]) == (
        "Stripe",
        "Software Engineer",
        "2019-05",
    )
    education = resume["education"][0]
    assert education["institution"] == "Stanford University"
    assert (education["studyType"], education["area"], education["score"]) == (
        "B.S.",
        "Computer Science",
        "3.9/4.0",
    )
    assert "AWS (EC2, S3, Lambda)" in resume["skills"][1]["keywords"]
    assert resume["certificates"][0]["name"] == "AWS Certified Solutions Architect – Associate"
    report = build_report(parsed)
    weak = [b for b in report.bullets.bullets if b.text.startswith("Responsible")]
    assert weak and any(f.rule == "verb.weak-phrase" for f in weak[0].findings)


def test_german_tabular_cv() -> None:
    parsed = parse_bytes((HERE / "de_lebenslauf.txt").read_bytes())
    resume = parsed.resume
    basics = resume["basics"]
    assert basics["name"] == "Anna Schmidt"
    assert basics["phone"] == "+493012345678"  # national number, region from the German text
    assert basics["location"]["city"] == "Berlin"
    zalando, sap = resume["work"]
    assert (zalando["position"], zalando["name"], zalando["location"]) == (
        "Senior Softwareentwicklerin",
        "Zalando SE",
        "Berlin",
    )
    assert zalando["startDate"] == "2019-03" and "endDate" not in zalando
    assert (sap["name"], sap["location"], sap["endDate"]) == ("SAP SE", "Walldorf", "2019-02")
    education = resume["education"][0]
    assert (education["studyType"], education["area"], education["score"]) == ("B.Sc.", "Informatik", "1,7")
    assert [lang["language"] for lang in resume["languages"]] == ["Deutsch", "Englisch", "Französisch"]
    report = build_report(parsed)
    german = report.bullets.bullets[0]
    # English verb rules stay quiet on German bullets; the German weak phrase is still caught.
    assert {f.rule for f in german.findings} >= {"verb.weak-phrase"}
    assert not any(f.rule == "verb.missing" for b in report.bullets.bullets for f in b.findings)


def test_prose_entries_and_date_lines() -> None:
    resume = parse_bytes((HERE / "br_resume.txt").read_bytes()).resume
    assert resume["basics"]["phone"] == "+5511912345678"
    assert resume["basics"]["location"]["city"] == "São Paulo"
    nubank, itau = resume["work"]
    assert (nubank["position"], nubank["name"], nubank["startDate"]) == ("Data Engineer", "Nubank", "2021")
    assert nubank["summary"].startswith("Own the ingestion platform")
    assert (itau["position"], itau["name"]) == ("Analytics Engineer", "Itaú Unibanco")
    assert (itau["startDate"], itau["endDate"]) == ("2018-01", "2020-12")
    assert resume["skills"][0]["keywords"] == ["Python", "SQL", "Spark", "Airflow", "dbt"]
    education = resume["education"][0]
    assert education["institution"] == "Universidade de São Paulo"
    assert (education["studyType"], education["area"]) == ("Bachelor of Science", "Statistics")


def test_us_letter_pdf_with_side_by_side_header() -> None:
    import typst

    pdf = typst.compile(str(HERE / "letter_resume.typ"))
    parsed = parse_bytes(pdf)
    basics = parsed.resume["basics"]
    assert basics["name"] == "Priya Patel"  # not merged with the right-aligned contact block
    assert basics["label"] == "Machine Learning Engineer"
    assert basics["phone"] == "+447700900123"
    assert basics["location"]["countryCode"] == "GB"
    deepmind = parsed.resume["work"][0]
    assert (deepmind["name"], deepmind["position"], deepmind["location"]) == (
        "DeepMind",
        "Research Engineer",
        "London, UK",
    )
    education = parsed.resume["education"][0]
    assert (education["studyType"], education["area"], education["score"]) == (
        "MEng",
        "Information Engineering",
        "First Class",
    )
    assert parsed.layout.columns == [1]
    assert build_report(parsed).score >= 90


def test_hyphenated_justified_pdf_is_mended(tmp_path: Path) -> None:
    import typst

    source = tmp_path / "hyphen.typ"
    source.write_text(
        '#set page(width: 300pt, height: auto, margin: 20pt)\n#set text(hyphenate: true, lang: "en")\n'
        "#set par(justify: true)\n= Experience\n- Implemented internationalization and authentication "
        "infrastructure improvements for everyone everywhere\n"
    )
    parsed = parse_bytes(typst.compile(str(source)), cross_check=False)
    bullet = next(ln.text for ln in parsed.lines if ln.text.startswith("•"))
    assert "infrastructure improvements" in bullet
    assert "\ufffe" not in parsed.text
