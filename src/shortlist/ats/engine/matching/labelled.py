"""A labelled set for job matching: resumes and jobs written for it, with a graded fit for every pair.

Fifteen role families, each with resumes at three levels (junior ~1 year, mid ~4 years, senior ~9 years)
and one or two jobs. The grade of a pair (0 = no fit … 3 = strong fit) follows a rubric a recruiter
can check by hand, and is decided from the families and levels alone, never from a matcher's output:

- same family: 3; a family that shares the core of the job (``families.RELATED``, with the reason): 1 or 2;
  anything else: 0;
- then the level: a candidate one level below the job loses 1, two levels below loses 2; a candidate two
  levels above (a senior for a junior post) loses 1 (overqualified: a recruiter ranks them below a fit);
  never below 0.

Resumes are written the way people write them: skills named with their everyday aliases ("Postgres",
"k8s", "React.js"), many only inside bullets, juniors with few of the tools, and a few deliberate traps:
a junior who lists every keyword of the senior job, a senior whose skills are all in bullets, and job
postings padded with long company boilerplate. Resume texts are seeded, so the set is the same every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from shortlist.ats.engine.matching.families import FAMILIES, FAMILY, FIRST_NAMES, LAST_NAMES, RELATED, Family

TODAY = (2026, 6)  # the set's "now": dates below are written against it

LEVELS = {1: "junior", 2: "mid", 3: "senior"}
LEVEL_TITLE = {1: "Junior {}", 2: "{}", 3: "Senior {}"}


def family_fit(job_family: str, resume_family: str) -> int:
    if job_family == resume_family:
        return 3
    return RELATED.get(frozenset({job_family, resume_family}), (0, ""))[0]


def grade(job_family: str, job_level: int, resume_family: str, resume_level: int) -> int:
    """The rubric above: family fit, then the level gap."""
    fit = family_fit(job_family, resume_family)
    if fit == 0:
        return 0
    gap = resume_level - job_level
    if gap < 0:
        fit += gap
    elif gap >= 2:
        fit -= 1
    return max(0, fit)


@dataclass(frozen=True)
class LabelledResume:
    id: str
    family: str
    level: int
    resume: dict[str, Any]


@dataclass(frozen=True)
class LabelledJob:
    id: str
    family: str
    level: int
    job: str | dict[str, Any]


_BOILERPLATE = """About us
We are a fast-growing company on a mission to make everyday life simpler for millions of people. Founded
by a small group of friends, we now have offices in several cities and a culture of trust, curiosity and
ownership. We care about diversity and inclusion and welcome applications from people of every
background. Our values: customers first, act like an owner, keep learning, be kind.

What we offer
- Competitive salary and a generous equity package
- 30 days of paid holiday and flexible working hours
- A yearly learning budget, conference tickets and a personal laptop of your choice
- Health insurance, gym membership, parental leave beyond the legal minimum
- Team events, a bright office with free lunches, and a dog-friendly policy
We look forward to hearing from you. Please apply with your CV; a cover letter is optional."""


def _job_text(
    family: Family, level: int, asks: tuple[int, ...], nice: tuple[int, ...], years: int, padded: bool
) -> str:
    title = LEVEL_TITLE[level].format(family.title)
    must = [family.skills[i] for i in asks]
    lines = [
        title,
        "",
        "About the role",
        f"You will join our {family.title.lower()} team and own work end to end.",
        "",
    ]
    lines += ["Requirements"]
    if years:
        lines.append(f"- {years}+ years of professional experience as a {family.title.lower()}")
    lines += [f"- Solid experience with {must[0]} and {must[1]}"]
    lines += [f"- {name}" for name in must[2:]]
    lines.append(f"- {family.degree.split(' ', 1)[1]} degree or equivalent experience")
    if nice:
        lines += ["", "Nice to have"] + [f"- {family.skills[i]}" for i in nice]
    if padded:
        lines += ["", _BOILERPLATE]
    return "\n".join(lines)


def _job_document(
    family: Family, level: int, asks: tuple[int, ...], nice: tuple[int, ...], years: int
) -> dict[str, Any]:
    """The same posting as a JSON Resume job document."""
    return {
        "title": LEVEL_TITLE[level].format(family.title),
        "description": f"Join our {family.title.lower()} team and own work end to end.",
        "experience": LEVELS[level].capitalize(),
        "qualifications": [f"{years}+ years as a {family.title.lower()}"] * bool(years)
        + [f"{family.degree.split(' ', 1)[1]} degree or equivalent"],
        "skills": [{"name": "Required", "keywords": [family.skills[i] for i in asks]}],
        "responsibilities": [f"Work with {family.skills[i]}" for i in nice],
    }


def jobs() -> list[LabelledJob]:
    """Seventeen postings: every family once (several padded with boilerplate, three given as JSON Resume
    job documents), two families twice."""
    specs = [
        ("python-backend", 3, (0, 1, 2, 3, 4), (6, 8), 5, True),
        ("python-backend", 1, (0, 1, 2, 9), (), 0, False),
        ("java-backend", 3, (0, 1, 2, 4, 6), (3,), 6, False),
        ("frontend", 2, (1, 2, 4, 3, 6), (8,), 3, True),
        ("frontend", 3, (1, 2, 5, 8, 9), (7,), 6, False),
        ("fullstack-js", 2, (1, 2, 3, 5), (6, 7), 3, False),
        ("data-science", 2, (0, 1, 2, 3, 5), (8,), 3, True),
        ("ml-engineer", 3, (0, 1, 2, 3, 5), (6,), 5, False),
        ("data-engineer", 2, (0, 1, 2, 3, 5), (4,), 3, False),
        ("devops", 3, (0, 1, 2, 3, 4), (8,), 5, True),
        ("ios", 2, (0, 1, 2, 3), (5,), 3, False),
        ("qa-automation", 2, (0, 2, 3, 5), (1,), 2, False),
        ("ux-designer", 3, (0, 1, 2, 3, 4), (6,), 6, True),
        ("accountant", 2, (0, 1, 2, 3, 6), (4,), 3, False),
        ("dotnet-backend", 3, (0, 1, 2, 3, 4), (7,), 6, False),
        ("php-web", 2, (0, 1, 2, 4), (6,), 3, True),
        ("android", 2, (0, 1, 2, 4), (5,), 3, False),
    ]
    as_documents = {("frontend", 2), ("ml-engineer", 3), ("android", 2)}
    out = []
    for i, (key, level, asks, nice, years, padded) in enumerate(specs):
        family = FAMILY[key]
        job: str | dict[str, Any] = _job_text(family, level, asks, nice, years, padded)
        if (key, level) in as_documents:
            job = _job_document(family, level, asks, nice, years)
        out.append(LabelledJob(f"job-{i:02d}-{key}-{LEVELS[level]}", key, level, job))
    return out


def _fill(template: str, skills: tuple[str, ...], known: int, rng: random.Random) -> str | None:
    """A bullet with its tools; None when it needs a tool this candidate does not know."""
    needed = [int(ch) for ch in template if ch.isdigit() and f"{{{ch}}}" in template]
    if any(i >= known for i in needed):
        return None
    return template.format(*skills, n=rng.choice([3, 5, 12, 40, 200]), p=rng.choice([18, 25, 30, 45, 60]))


Span = tuple[int, int, tuple[int, int] | None]  # start year, start month, end (None: current)
_SPANS: dict[int, list[Span]] = {
    1: [(2025, 3, None)],
    2: [(2023, 3, None), (2022, 2, (2023, 2))],
    3: [(2021, 1, None), (2017, 6, (2020, 12)), (2015, 9, (2017, 5))],
}


def _shifted(span: Span, months: int) -> Span:
    def move(year: int, month: int) -> tuple[int, int]:
        index = year * 12 + month - 1 + months
        return index // 12, index % 12 + 1

    start = move(span[0], span[1])
    end = move(*span[2]) if span[2] is not None else None
    return (start[0], start[1], end)


def _resume(family: Family, level: int, variant: int) -> dict[str, Any]:
    rng = random.Random(f"{family.key}-{level}-{variant}")  # noqa: S311 - test data, not security
    known = {1: 4, 2: 7, 3: len(family.skills)}[level]
    shift = 0
    if variant:  # another draw: a tool more or less, other bullets, dates a few months apart
        known = max(3, min(len(family.skills), known + rng.choice([-1, 0, 1])))
        shift = rng.randint(-6, 6)
    spans = [_shifted(span, shift) for span in _SPANS[level]]
    titles = {
        1: [LEVEL_TITLE[1].format(family.title)],
        2: [family.title, LEVEL_TITLE[1].format(family.title)],
        3: [f"Senior {family.title}", family.title, LEVEL_TITLE[1].format(family.title)],
    }[level]
    city, country = rng.choice([("Berlin", "DE"), ("London", "GB"), ("Lisbon", "PT"), ("Madrid", "ES")])
    bullets = [b for t in family.bullets if (b := _fill(t, family.skills, known, rng)) is not None]
    if variant:
        rng.shuffle(bullets)
        bullets = bullets[: max(2, len(bullets) - rng.choice([0, 1]))]
    work = []
    for i, ((year, month, end), title) in enumerate(zip(spans, titles, strict=True)):
        mine = bullets[i :: len(spans)] or bullets[:1]
        entry: dict[str, Any] = {
            "name": family.employers[(variant + i) % len(family.employers)],
            "location": city,
            "position": title,
            "startDate": f"{year}-{month:02d}",
            "highlights": mine,
        }
        if end is not None:
            entry["endDate"] = f"{end[0]}-{end[1]:02d}"
        work.append(entry)
    listed = list(family.skills[:known])
    rng.shuffle(listed)
    if variant:
        listed = listed[1:]  # one tool only in the bullets, if at all
    handle = f"{family.key}-{LEVELS[level]}-{variant}"
    resume: dict[str, Any] = {
        "basics": {
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "label": titles[0],
            "email": f"{handle}@example.com",
            "phone": "+44 20 7946 0" + f"{rng.randrange(100, 999)}",
            "url": f"https://{handle}.example.com",
            "location": {"city": city, "countryCode": country},
        },
        "work": work,
        "education": [
            {
                "institution": "State University",
                "studyType": family.degree.split(" ", 1)[0],
                "area": family.degree.split(" ", 1)[1],
                "startDate": str(spans[-1][0] - 4),
                "endDate": str(spans[-1][0] - 1),
            }
        ],
        "skills": [{"name": "Skills", "keywords": listed}],
        "languages": [{"language": "English", "fluency": "Fluent"}],
    }
    return resume


def resumes(variant: int = 0) -> list[LabelledResume]:
    """45 resumes (fifteen families at three levels) and four that test the matcher's judgement.

    ``variant`` draws other people for the same rubric: other bullets, employers, names, order of skills.
    """
    out = [
        LabelledResume(f"{f.key}-{LEVELS[lv]}", f.key, lv, _resume(f, lv, variant * 10))
        for f in FAMILIES
        for lv in (1, 2, 3)
    ]
    # A junior backend developer who lists every tool of the senior posting: still a junior.
    stuffer = _resume(FAMILY["python-backend"], 1, variant * 10 + 1)
    stuffer["skills"] = [
        {"name": "Skills", "keywords": [*FAMILY["python-backend"].skills, "Kubernetes", "Kafka"]}
    ]
    out.append(LabelledResume("python-backend-junior-keyword-list", "python-backend", 1, stuffer))
    # A senior data engineer with no skills section: everything is in the bullets.
    quiet = _resume(FAMILY["data-engineer"], 3, variant * 10 + 1)
    del quiet["skills"]
    out.append(LabelledResume("data-engineer-senior-bullets-only", "data-engineer", 3, quiet))
    # A mid frontend developer who writes React as "React.js" and TypeScript as "TS" (aliases only).
    aliases = _resume(FAMILY["frontend"], 2, variant * 10 + 1)
    aliases["skills"] = [{"name": "Frontend", "keywords": ["React.js", "TS", "ES6", "HTML5", "CSS3", "Jest"]}]
    out.append(LabelledResume("frontend-mid-aliases", "frontend", 2, aliases))
    # A mid Python backend engineer who only names the framework (Django), never "Python".
    implicit = _resume(FAMILY["python-backend"], 2, variant * 10 + 2)
    implicit["skills"] = [{"name": "Backend", "keywords": ["Django", "Postgres", "Docker", "Celery"]}]
    for entry in implicit["work"]:
        entry["highlights"] = [h.replace("Python ", "") for h in entry["highlights"]]
    out.append(LabelledResume("python-backend-mid-django-only", "python-backend", 2, implicit))
    return out


def labels(job_list: list[LabelledJob], resume_list: list[LabelledResume]) -> list[list[int]]:
    """grades[j][r] for every job j and resume r."""
    return [[grade(j.family, j.level, r.family, r.level) for r in resume_list] for j in job_list]
