"""A corpus of varied JSON Resume documents for the ATS-safety suite.

Each case is a plausible resume stressing one thing: size, scripts, odd characters, missing or mistyped
fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shortlist.rendering.schemas import Language

INJECTION = [
    '#read("/etc/passwd")',
    '#import "@preview/x:0.1.0"',
    "$x^2$ math",
    "*not bold* and _not italic_",
    "closing ] bracket [ open",
    "back\\slash \\n and `code` ``` fence",
    "= not a heading",
    "// not a comment /* nor this */",
    "@label <tag> #let x = 1",
    "<script>alert(1)</script> {{ 7*7 }} {% raw %}",
    "emoji 🚀 ✓ ★ done",
]

LIGATURE_WORDS = "office efficient affluent fluffy affinity shuffle offload"


@dataclass(frozen=True)
class Case:
    id: str
    resume: dict[str, Any]
    language: Language = "en"
    # Strings whose characters come out of a PDF in visual order (pure right-to-left runs).
    rtl: tuple[str, ...] = field(default=())


def _job(i: int, bullets: int = 3, bullet: str | None = None) -> dict[str, Any]:
    return {
        "name": f"Company {i:03d} Ltd",
        "position": f"Engineer grade {i}",
        "location": {"city": "Lyon", "countryCode": "FR"},
        "startDate": f"{2000 + i % 20}-{(i % 12) + 1:02d}",
        "endDate": f"{2001 + i % 20}-{(i % 12) + 1:02d}",
        "highlights": [bullet or f"Delivered project {i}-{b} ahead of schedule" for b in range(bullets)],
    }


def _base(name: str = "Jane Doe") -> dict[str, Any]:
    return {
        "basics": {
            "name": name,
            "label": "Senior Backend Engineer",
            "email": "jane.doe@example.com",
            "phone": "+1 (555) 010-0199",
            "url": "https://jane.example.dev",
            "summary": "Backend engineer building efficient, reliable office systems for ten years.",
            "location": {"city": "Berlin", "region": "Berlin", "countryCode": "DE"},
            "profiles": [
                {"network": "GitHub", "username": "janedoe", "url": "https://github.com/janedoe"},
                {
                    "network": "LinkedIn",
                    "username": "jane-doe",
                    "url": "https://www.linkedin.com/in/jane-doe",
                },
            ],
        },
        "work": [
            {
                "name": "Acme Analytics GmbH",
                "position": "Staff Engineer",
                "url": "https://acme.example",
                "location": "Munich",  # JSON Resume: a work location is a string
                "startDate": "2021-04",
                "summary": "Owned the ingestion platform.",
                "highlights": [
                    "Cut p99 latency by 43% by moving hot paths to asyncio",
                    "Led a team of five engineers across two time zones",
                ],
            },
            {
                "name": "Initech",
                "description": "Payments software for regional banks",
                "location": "Austin, TX",
                "position": "Software Engineer",
                "startDate": "2016-09-01",
                "endDate": "2021-03-31",
                "highlights": ["Built the double-entry ledger", "Wrote the offload scheduler"],
            },
        ],
        "education": [
            {
                "institution": "Technische Universität München",
                "area": "Informatics",
                "studyType": "MSc",
                "startDate": "2014",
                "endDate": "2016",
                "score": "1.3",
                "courses": ["Distributed Systems", "Databases"],
            }
        ],
        "skills": [
            {"name": "Python", "level": "Expert", "keywords": ["asyncio", "typing", "FastAPI"]},
            {"name": "Data", "keywords": ["PostgreSQL", "Redis", "Kafka"]},
        ],
        "languages": [{"language": "English", "fluency": "Native"}, {"language": "German", "fluency": "C1"}],
        "projects": [
            {
                "name": "pgqueue",
                "description": "A transactional job queue on PostgreSQL.",
                "highlights": ["1.2k GitHub stars"],
                "keywords": ["PostgreSQL", "Python"],
                "startDate": "2019",
                "url": "https://github.com/janedoe/pgqueue",
            }
        ],
        "certificates": [{"name": "CKA", "issuer": "CNCF", "date": "2022-06"}],
        "awards": [
            {"title": "Engineer of the Year", "awarder": "Acme", "date": "2023", "summary": "Company-wide."}
        ],
        "publications": [{"name": "Queues in SQL", "publisher": "PyCon DE", "releaseDate": "2020-10"}],
        "volunteer": [
            {
                "organization": "Code Club",
                "position": "Mentor",
                "startDate": "2018",
                "highlights": ["Taught Python to teenagers"],
            }
        ],
        "interests": [{"name": "Climbing", "keywords": ["bouldering"]}],
        "references": [{"name": "John Smith", "reference": "Jane is the engineer you want on call."}],
    }


def _cases() -> list[Case]:
    cases: list[Case] = []
    cases.append(Case("full", _base()))
    cases.append(Case("minimal", {"basics": {"name": "Min Imal"}}))
    cases.append(Case("empty", {}))
    cases.append(Case("only-work", {"work": [{"position": "Cook", "name": "Diner"}]}))
    mistyped: dict[str, Any] = {
        "basics": {"name": "Type Confused", "email": 42, "profiles": "nope", "location": ["x"]},
        "work": [
            {
                "position": "Analyst",
                "name": None,
                "highlights": ["Kept", 7, None, {"x": 1}, ""],
                "startDate": 2019,
            },
            "not a job",
        ],
        "skills": {"name": "not a list"},
        "education": [{"institution": "Open University", "startDate": "2010-13", "endDate": "someday"}],
    }
    cases.append(Case("mistyped", mistyped))
    long3 = _base("Longford Three-Pages")
    long3["work"] = [_job(i, bullets=4) for i in range(10)]
    cases.append(Case("long-three-page", long3))
    many = _base("Many Jobs")
    many["work"] = [_job(i, bullets=2) for i in range(40)]
    cases.append(Case("many-jobs", many))
    longb = _base("Long Bullets")
    longb["work"][0]["highlights"] = [
        ("Designed and operated the efficient streaming pipeline " * 30).strip()
    ] * 3
    cases.append(Case("long-bullets", longb))
    diac = _base("Zoë Ångström-Łukasiewicz")
    diac["basics"]["label"] = "Ingénieure système, Ärztin, Señora, Ðoàn Văn Đức"
    diac["work"][0]["name"] = "Société Générale Ærø ØØ Crème Brûlée"
    diac["work"][0]["highlights"] = [
        "Migrated Straße, Œuvre, façade and naïve coöperation",
        "Ελληνικά και Русский",
    ]
    cases.append(Case("diacritics", diac, language="fr"))
    cjk = _base("山田 花子")
    cjk["basics"]["label"] = "シニアソフトウェアエンジニア"
    cjk["basics"]["summary"] = "分散システムとデータ基盤の設計・運用に十年の経験があります。"
    cjk["work"][0]["name"] = "株式会社サンプル"
    cjk["work"][0]["position"] = "主任エンジニア"
    cjk["work"][0]["highlights"] = ["検索の応答時間を四割短縮した", "五人のチームを率いた"]
    cases.append(Case("cjk-ja", cjk, language="ja"))
    zh = _base("王小明")
    zh["work"][0]["name"] = "北京示例科技有限公司"
    zh["work"][0]["highlights"] = ["负责支付系统的架构设计"]
    cases.append(Case("cjk-zh", zh, language="zh"))
    rtl = _base("יעל כהן")
    rtl["basics"]["label"] = "مهندسة برمجيات"
    cases.append(Case("rtl-name", rtl, rtl=("יעל כהן", "مهندسة برمجيات")))
    special = _base("Special #Chars [Test]")
    special["basics"]["summary"] = " | ".join(INJECTION)
    special["work"][0]["highlights"] = INJECTION
    special["work"][0]["position"] = "$Lead$ *Engineer* _x_"
    special["skills"][0]["keywords"] = ["C#", "C++", "F*", "#hashtag", "50% & more"]
    cases.append(Case("special-chars", special))
    lig = _base("Ligature Office")
    lig["basics"]["summary"] = LIGATURE_WORDS
    lig["work"][1]["highlights"] = [f"Efficient {LIGATURE_WORDS}"]
    cases.append(Case("ligatures", lig))
    de = _base("Jürgen Groß")
    cases.append(Case("german", de, language="de"))
    es = _base("José Núñez")
    cases.append(Case("spanish", es, language="es"))
    pt = _base("João Conceição")
    cases.append(Case("portuguese", pt, language="pt"))
    no_dates = _base("No Dates")
    for job in no_dates["work"]:
        job.pop("startDate", None)
        job.pop("endDate", None)
    cases.append(Case("no-dates", no_dates))
    students = {
        "basics": {"name": "Sam Student", "email": "sam@uni.example"},
        "education": [
            {"institution": "Uni A", "area": "Physics", "studyType": "BSc", "startDate": "2022"},
            {"institution": "School B", "endDate": "2022"},
        ],
        "skills": [{"name": "LaTeX"}, {"keywords": ["Git"]}],
    }
    cases.append(Case("student", students))
    urls = _base("Url Heavy")
    urls["basics"]["url"] = (
        "https://example.com/a/very/long/path/that/needs/to/wrap/somewhere/in/the/header/line"
    )
    urls["basics"]["profiles"].append({"network": "Blog", "url": "javascript:alert(1)"})
    cases.append(Case("urls", urls))
    multiline = _base("Multi Line")
    multiline["basics"]["summary"] = (
        "First line of summary.\nSecond line.\n\nThird after a blank line.\tTabbed."
    )
    cases.append(Case("multiline", multiline))
    whitespace = _base("  Padded   Name  ")
    whitespace["work"][0]["position"] = "  Engineer\u00a0II  "
    cases.append(Case("whitespace", whitespace))
    return cases


CORPUS: list[Case] = _cases()
CORPUS_IDS: list[str] = [c.id for c in CORPUS]
