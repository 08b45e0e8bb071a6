"""Resumes written the many ways people write them: the ground truth for the foreign-layout families.

Each resume is a JSON Resume dict; ``meta`` (not JSON Resume) holds how it is to be written: heading synonyms
in English, German or French, one of many date forms with or without a duration, the order of the degree,
field and school, bullet nesting. Every value a renderer prints is a fact of the truth, and nothing else is.
"""

from __future__ import annotations

import random
from typing import Any

from shortlist.ats.engine.dates import MONTH_NAMES

NAMES = [
    "Amelia Hartley",
    "Łukasz Wiśniewski",
    "Олена Коваль",
    "Γιώργος Παπαδόπουλος",
    "Nguyễn Thị Lan",
    "Søren Kjærgaard",
    "Zoë O'Brien-Núñez",
    "Rahul Mehta",
    "Chidi Okonkwo",
    "Ingrid Solberg",
    "Mateus Albuquerque",
    "Dmitri Volkov",
    "山田 太郎",
    "Aylin Yıldız",
    "Jean-Baptiste Lefèvre",
    "Kwame Mensah",
    "María José Ortega",
    "Henrik Lindqvist",
]
# (phone as written, city, country); fictional ranges where the country has them.
PHONES = [
    ("+1 (415) 555-0132", "San Francisco", "United States"),
    ("+44 7700 900123", "Manchester", "United Kingdom"),
    ("+49 151 23456789", "Hamburg", "Germany"),
    ("+33 6 12 34 56 78", "Lyon", "France"),
    ("+91 98765 43210", "Bengaluru", "India"),
    ("+81 90-1234-5678", "Tokyo", "Japan"),
    ("+61 412 345 678", "Sydney", "Australia"),
    ("+55 11 91234-5678", "São Paulo", "Brazil"),
    ("+31 6 12345678", "Utrecht", "Netherlands"),
    ("+46 70 123 45 67", "Stockholm", "Sweden"),
    ("+1 416-555-0199", "Toronto", "Canada"),
    ("+41 79 123 45 67", "Zurich", "Switzerland"),
]
LABELS = [
    "Backend Developer",
    "Staff Software Engineer",
    "Data Engineer",
    "Cloud Architect",
    "Mobile Developer",
    "QA Automation Engineer",
    "Security Engineer",
    "Technical Lead",
    "Analytics Engineer",
    "Solutions Architect",
]
POSITIONS = [
    "Software Developer",
    "Senior Software Engineer",
    "Lead Developer",
    "Backend Engineer",
    "Data Engineer",
    "Cloud Engineer",
    "Technical Lead",
    "Junior Developer",
    "Software Architect",
    "Engineering Manager",
    "Mobile Engineer",
    "QA Engineer",
]
EMPLOYERS = [
    "Northwind Traders",
    "Contoso Ltd",
    "Fabrikam Inc",
    "Blue Yonder Airlines",
    "Litware GmbH",
    "Proseware Corp",
    "Tailspin Toys",
    "Woodgrove Bank",
    "Adventure Works",
    "Lucerne Publishing",
    "Coho Vineyard",
    "Wingtip Solutions",
    "Alpine Ski House",
    "Margie's Travel",
]
CITIES = ["Berlin", "London", "Paris", "Toronto", "Austin", "Dublin", "Vienna", "Lisbon", "Warsaw", "Oslo"]
SCHOOLS = [
    "University of Toronto",
    "ETH Zurich",
    "University of Warsaw",
    "KTH Royal Institute of Technology",
    "University of Manchester",
    "Indian Institute of Technology Bombay",
    "University of São Paulo",
    "Sorbonne University",
    "University of Hamburg",
]
DEGREES = [
    ("Bachelor of Science", "Computer Science"),
    ("Master of Science", "Software Engineering"),
    ("BSc", "Physics"),
    ("MSc", "Data Science"),
    ("Bachelor of Engineering", "Electronics"),
    ("Master of Arts", "Linguistics"),
    ("PhD", "Computer Vision"),
]
SHORT_BULLETS = [
    "Cut build times by 40% by caching Docker layers in CI",
    "Shipped a payments API handling 3M requests per day",
    "Migrated 25 services from VMs to Kubernetes with zero downtime",
    "Reduced p95 latency from 900 ms to 210 ms",
    "Onboarded and mentored 6 new engineers",
    "Wrote the on-call runbook used by 4 teams",
    "Raised unit test coverage from 38% to 85%",
    "Automated nightly data exports for 120 customers",
    "Designed a feature flag service adopted by 9 product teams",
    "Lowered AWS spend by 27% through reserved capacity planning",
    "Replaced a legacy cron system with Airflow DAGs",
    "Introduced contract tests between 14 microservices",
]
LONG_BULLETS = [
    "Led the redesign of the order pipeline from a nightly batch job into an event-driven system on Kafka, "
    "which let the support team see order status within seconds instead of the next morning",
    "Partnered with product and design to run 30 A/B experiments on the onboarding flow, raising the "
    "share of users who complete sign-up from 41% to 63% over two quarters",
    "Built an internal observability stack with Prometheus, Grafana and OpenTelemetry traces so that every "
    "team could find the slow call behind an alert without asking the platform group for help",
]
SUB_BULLETS = [
    "Wrote the migration plan and rollback drills",
    "Paired with the SRE team on capacity tests",
    "Documented the new APIs for partner teams",
    "Trained support staff on the new dashboards",
]
SKILLS = {
    "Languages": ["Python", "Go", "Java", "TypeScript", "C#", "Kotlin", "Scala", "Ruby"],
    "Cloud": ["AWS", "Azure", "GCP", "Terraform", "Kubernetes", "Docker", "Helm"],
    "Data": ["PostgreSQL", "MySQL", "Kafka", "Redis", "Snowflake", "Airflow", "dbt"],
    "Tools": ["Git", "Jenkins", "GitHub Actions", "Grafana", "Jira", "Sentry"],
}
LANGUAGES = [
    ("English", "Native"),
    ("German", "Fluent"),
    ("French", "B2"),
    ("Spanish", "Basic"),
    ("Polish", "Native"),
    ("Hindi", "Native"),
]
CERTIFICATES = [
    ("AWS Certified Developer", "Amazon Web Services"),
    ("Microsoft Certified: Azure Fundamentals", "Microsoft"),
    ("Certified Kubernetes Application Developer", "CNCF"),
    ("Oracle Certified Professional Java SE", "Oracle"),
]
PROJECTS = [
    ("shiftplan", "Open-source rota planner for small clinics."),
    ("tidewatch", "Tide forecast API built with FastAPI."),
    ("paperweight", "PDF invoice generator used by 300 freelancers."),
]

HEADINGS: dict[str, dict[str, list[str]]] = {
    "en": {
        "summary": ["Summary", "Profile", "About Me", "Professional Summary"],
        "work": [
            "Work",
            "Experience",
            "Professional Experience",
            "Employment History",
            "Career",
            "Work Experience",
            "Career History",
        ],
        "education": ["Education", "Academic Background", "Education & Training", "Studies"],
        "skills": ["Skills", "Technical Skills", "Core Competencies", "Tech Stack"],
        "languages": ["Languages", "Language Skills"],
        "certificates": ["Certifications", "Certificates", "Licenses & Certifications"],
        "projects": ["Projects", "Side Projects", "Open Source"],
    },
    "de": {
        "summary": ["Profil", "Über mich", "Kurzprofil"],
        "work": ["Berufserfahrung", "Beruflicher Werdegang", "Berufliche Stationen"],
        "education": ["Ausbildung", "Studium", "Bildungsweg"],
        "skills": ["Kenntnisse", "Fähigkeiten", "IT-Kenntnisse"],
        "languages": ["Sprachen", "Sprachkenntnisse"],
        "certificates": ["Zertifikate", "Zertifizierungen"],
        "projects": ["Projekte"],
    },
    "fr": {
        "summary": ["Profil", "À propos"],
        "work": ["Expérience professionnelle", "Parcours professionnel", "Expériences"],
        "education": ["Formation", "Études", "Diplômes"],
        "skills": ["Compétences", "Compétences techniques"],
        "languages": ["Langues"],
        "certificates": ["Certifications"],
        "projects": ["Projets"],
    },
}
PRESENT = {"en": ["Present", "now", "Current"], "de": ["heute"], "fr": ["aujourd'hui", "présent"]}
SINCE = {"en": "Since", "de": "seit", "fr": "depuis"}
MONTHS_SHORT = [name[:3] for name in MONTH_NAMES]
DATE_STYLES = ["mon", "full", "num", "iso", "dot", "year"]
DURATION_STYLES = ["none", "none", "paren-short", "words", "dot-short"]
EDU_STYLES = [
    "degree-in-area, school",
    "school, degree in area",
    "degree, area — school",
    "area (degree), school",
]


def write_date(iso: str, style: str) -> str:
    year, month = iso[:4], int(iso[5:7]) if len(iso) > 4 else 0
    if not month or style == "year":
        return year
    return {
        "mon": f"{MONTHS_SHORT[month - 1]} {year}",
        "full": f"{MONTH_NAMES[month - 1]} {year}",
        "num": f"{month:02d}/{year}",
        "iso": f"{year}-{month:02d}",
        "dot": f"{month:02d}.{year}",
    }[style]


def duration(start: str, end: str | None, style: str) -> str:
    """'(2 yrs 10 mos)', '2 years 10 months' or '· 2 yrs': what LinkedIn exports and many templates add."""
    if style == "none":
        return ""
    sy, sm = int(start[:4]), int(start[5:7]) if len(start) > 4 else 1
    ey, em = (int(end[:4]), int(end[5:7]) if len(end) > 4 else 12) if end else (2026, 11)
    months = max(1, (ey - sy) * 12 + em - sm + 1)
    years, rest = divmod(months, 12)
    if style == "words":
        parts = [f"{years} year{'s' * (years != 1)}"] if years else []
        parts += [f"{rest} month{'s' * (rest != 1)}"] if rest else []
        return " ".join(parts)
    parts = [f"{years} yr{'s' * (years != 1)}"] if years else []
    parts += [f"{rest} mo{'s' * (rest != 1)}"] if rest else []
    text = " ".join(parts)
    return f"({text})" if style == "paren-short" else f"· {text}"


def date_range(entry: dict[str, Any], meta: dict[str, Any]) -> tuple[str, str]:
    """The range as printed and its duration (empty when the style has none)."""
    style, lang = meta["dateStyle"], meta["lang"]
    start = write_date(entry["startDate"], style)
    end = entry.get("endDate")
    if end is None and meta["since"]:
        text = f"{SINCE[lang]} {start}"
    else:
        text = f"{start}{meta['rangeSep']}{write_date(end, style) if end else meta['present']}"
    return text, duration(entry["startDate"], end, meta["durationStyle"])


def degree_line(edu: dict[str, Any], style: str) -> str:
    degree, area, school = edu["studyType"], edu["area"], edu["institution"]
    if style == "school, degree in area":
        return f"{school}, {degree} in {area}"
    if style == "degree, area — school":
        return f"{degree}, {area} — {school}"
    if style == "area (degree), school":
        return f"{area} ({degree}), {school}"
    return f"{degree} in {area}, {school}"


def _iso(year: int, month: int, precise: bool) -> str:
    return f"{year}-{month:02d}" if precise else str(year)


def make_varied_resume(seed: int) -> dict[str, Any]:
    rng = random.Random(f"varied-{seed}")  # noqa: S311 - test data
    lang = rng.choice(["en", "en", "en", "de", "fr"])
    date_style = rng.choice(DATE_STYLES)
    precise = date_style != "year"
    name = rng.choice(NAMES)
    phone, city, country = rng.choice(PHONES)
    handle = rng.choice(["amelia", "lukasz", "olena", "giorgos", "lan", "soren", "zoe", "rahul"]) + str(
        seed % 97
    )
    basics: dict[str, Any] = {
        "name": name,
        "label": rng.choice(LABELS),
        "email": f"{handle}@mail.example.org",
        "phone": phone,
        "location": {"city": city, "country": country},
        "profiles": [{"network": "LinkedIn", "url": f"https://www.linkedin.com/in/{handle}"}],
        "summary": rng.choice(
            [
                "Developer with eight years of building data-heavy web services and a habit of measuring "
                "before optimising.",
                "Engineer who turns slow, fragile systems into boring, reliable ones and writes the "
                "documentation people actually read.",
            ]
        ),
    }
    if rng.random() < 0.6:
        basics["profiles"].append({"network": "GitHub", "url": f"https://github.com/{handle}"})
    if rng.random() < 0.4:
        basics["url"] = f"https://{handle}.example.net"
    work: list[dict[str, Any]] = []
    levels: list[list[int]] = []
    year, month = 2026, rng.randint(1, 9)
    employers = rng.sample(EMPLOYERS, rng.randint(2, 4))
    for e, employer in enumerate(employers):
        roles = 2 if rng.random() < 0.35 else 1
        location = rng.choice(CITIES)
        for r in range(roles):
            span = rng.randint(8, 34)
            start_total = year * 12 + month - 1 - span
            sy, sm = divmod(start_total, 12)
            entry: dict[str, Any] = {
                "name": employer,
                "position": rng.choice(POSITIONS),
                "location": location,
                "startDate": _iso(sy, sm + 1, precise),
            }
            if e or r or rng.random() < 0.3:
                entry["endDate"] = _iso(year, month, precise)
            if not precise and entry.get("endDate") == entry["startDate"]:
                entry["startDate"] = str(sy - 1)
            bullets, depth = _bullets(rng)
            entry["highlights"] = bullets
            work.append(entry)
            levels.append(depth)
            year, month = divmod(start_total - rng.randint(0, 3), 12)
            month += 1
    education = []
    for _ in range(rng.randint(1, 2)):
        degree, area = rng.choice(DEGREES)
        edu: dict[str, Any] = {
            "institution": rng.choice(SCHOOLS),
            "studyType": degree,
            "area": area,
            "startDate": str(year - 4),
            "endDate": str(year - 1),
        }
        if rng.random() < 0.3:
            edu["score"] = rng.choice(["3.7/4.0", "First Class Honours", "1.7"])
        education.append(edu)
        year -= 5
    groups = rng.sample(sorted(SKILLS), rng.randint(2, 4))
    resume: dict[str, Any] = {
        "basics": basics,
        "work": work,
        "education": education,
        "skills": [{"name": g, "keywords": rng.sample(SKILLS[g], rng.randint(3, 5))} for g in groups],
        "languages": [{"language": a, "fluency": b} for a, b in rng.sample(LANGUAGES, rng.randint(2, 3))],
    }
    if rng.random() < 0.5:
        resume["certificates"] = [
            {"name": n, "issuer": i, "date": str(rng.randint(2017, 2025))}
            for n, i in rng.sample(CERTIFICATES, 2)
        ]
    if rng.random() < 0.5:
        resume["projects"] = [
            {"name": n, "description": d, "url": f"https://github.com/{handle}/{n}"}
            for n, d in rng.sample(PROJECTS, 2)
        ]
    resume["meta"] = {
        "lang": lang,
        "headings": {kind: rng.choice(words) for kind, words in HEADINGS[lang].items()},
        "dateStyle": date_style,
        "durationStyle": rng.choice(DURATION_STYLES),
        "rangeSep": rng.choice([" – ", " - ", " — ", " to "]) if lang == "en" else rng.choice([" – ", " - "]),
        "present": rng.choice(PRESENT[lang]),
        "since": rng.random() < 0.3,
        "eduStyle": rng.choice(EDU_STYLES),
        "bullet": rng.choice(["•", "–", "▪", "›"]),
        "levels": levels,
        "skillsFlat": rng.random() < 0.3,
        "variant": rng.randint(0, 1000),
    }
    return resume


def _bullets(rng: random.Random) -> tuple[list[str], list[int]]:
    texts = rng.sample(SHORT_BULLETS, rng.randint(1, 3))
    if rng.random() < 0.5:
        texts.insert(rng.randint(0, len(texts)), rng.choice(LONG_BULLETS))
    depth = [0] * len(texts)
    if rng.random() < 0.35:
        subs = rng.sample(SUB_BULLETS, rng.randint(1, 2))
        texts[1:1] = subs
        depth[1:1] = [1] * len(subs)
    return texts, depth


def varied_corpus(size: int, start: int = 0) -> list[dict[str, Any]]:
    return [make_varied_resume(seed) for seed in range(start, start + size)]
