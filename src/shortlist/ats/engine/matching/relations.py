"""How technology skills relate, for credit a recruiter would give: a child implies its parent ("Django"
implies "Python"), siblings are adjacent ("MySQL" for "PostgreSQL": partial credit, named as such).

Names are the taxonomy's canonical names (``shortlist.ats.engine.skills.aliases``). Hand-written and short on
purpose: every pair is one a hiring manager would accept without argument.
"""

from __future__ import annotations

from functools import lru_cache

# child -> the parents it implies (using the child means having used the parent)
IMPLIES: dict[str, tuple[str, ...]] = {
    "Django": ("Python",),
    "Django REST Framework": ("Django", "Python", "REST"),
    "Flask": ("Python",),
    "FastAPI": ("Python", "REST"),
    "Starlette": ("Python",),
    "Pydantic": ("Python",),
    "SQLAlchemy": ("Python", "SQL"),
    "Alembic": ("Python",),
    "Celery": ("Python", "Message Queues"),
    "asyncio": ("Python",),
    "pytest": ("Python", "Unit Testing"),
    "Pandas": ("Python",),
    "NumPy": ("Python",),
    "scikit-learn": ("Python", "Machine Learning"),
    "PyTorch": ("Python", "Deep Learning", "Machine Learning"),
    "TensorFlow": ("Python", "Deep Learning", "Machine Learning"),
    "Deep Learning": ("Machine Learning",),
    "Natural Language Processing": ("Machine Learning",),
    "Computer Vision": ("Machine Learning",),
    "Large Language Models": ("Natural Language Processing", "Machine Learning"),
    "MLOps": ("Machine Learning",),
    "Feature Engineering": ("Machine Learning",),
    "Apache Airflow": ("Python", "ETL"),
    "dbt": ("SQL", "ETL"),
    "Apache Spark": ("ETL",),
    "Snowflake": ("SQL",),
    "BigQuery": ("SQL",),
    "Amazon Redshift": ("SQL",),
    "Spring Boot": ("Java",),
    "Kotlin": ("Java",),
    "Ruby on Rails": ("Ruby",),
    "Laravel": ("PHP",),
    "Symfony": ("PHP",),
    "WordPress": ("PHP",),
    ".NET": ("C#",),
    "Entity Framework": (".NET", "C#"),
    "Express": ("Node.js", "JavaScript"),
    "NestJS": ("Node.js", "TypeScript", "JavaScript"),
    "Node.js": ("JavaScript",),
    "TypeScript": ("JavaScript",),
    "React": ("JavaScript",),
    "Next.js": ("React", "JavaScript"),
    "Redux": ("React", "JavaScript"),
    "Vue.js": ("JavaScript",),
    "Angular": ("TypeScript", "JavaScript"),
    "Svelte": ("JavaScript",),
    "React Native": ("React", "JavaScript"),
    "Jest": ("JavaScript", "Unit Testing"),
    "Cypress": ("JavaScript", "Unit Testing"),
    "Playwright": ("Unit Testing",),
    "PostgreSQL": ("SQL",),
    "MySQL": ("SQL",),
    "SQLite": ("SQL",),
    "Microsoft SQL Server": ("SQL",),
    "Oracle Database": ("SQL",),
    "MongoDB": ("NoSQL",),
    "Cassandra": ("NoSQL",),
    "DynamoDB": ("NoSQL", "AWS"),
    "Apache Kafka": ("Message Queues", "Event-Driven Architecture"),
    "RabbitMQ": ("Message Queues",),
    "Amazon SQS": ("Message Queues", "AWS"),
    "Kubernetes": ("Docker",),
    "Helm": ("Kubernetes", "Docker"),
    "Istio": ("Kubernetes",),
    "Argo CD": ("Kubernetes", "CI/CD"),
    "Terraform": ("Infrastructure as Code",),
    "Pulumi": ("Infrastructure as Code",),
    "Ansible": ("Infrastructure as Code",),
    "GitHub Actions": ("CI/CD",),
    "GitLab CI": ("CI/CD",),
    "Jenkins": ("CI/CD",),
    "Prometheus": ("Observability",),
    "Grafana": ("Observability",),
    "OpenTelemetry": ("Observability",),
    "Datadog": ("Observability",),
    "ELK Stack": ("Observability",),
    "Jaeger": ("Observability",),
    "Sentry": ("Observability",),
    "Site Reliability Engineering": ("Observability",),
    "Test-Driven Development": ("Unit Testing",),
    "Tableau": ("Data Visualization",),
    "Power BI": ("Data Visualization",),
    "Looker": ("Data Visualization",),
    "Swift": ("iOS",),
    "SwiftUI": ("Swift", "iOS"),
    "Objective-C": ("iOS",),
    "Jetpack Compose": ("Kotlin", "Android"),
}

# Groups of interchangeable tools: one for another earns partial credit, named "adjacent".
ADJACENT: tuple[tuple[str, ...], ...] = (
    ("Django", "Flask", "FastAPI"),
    ("PostgreSQL", "MySQL", "Microsoft SQL Server", "Oracle Database", "SQLite"),
    ("MongoDB", "Cassandra", "DynamoDB"),
    ("Apache Kafka", "RabbitMQ", "Amazon SQS"),
    ("AWS", "Google Cloud Platform", "Microsoft Azure"),
    ("React", "Vue.js", "Angular", "Svelte"),
    ("GitHub Actions", "GitLab CI", "Jenkins"),
    ("Terraform", "Pulumi"),
    ("Prometheus", "Datadog"),
    ("PyTorch", "TensorFlow"),
    ("Snowflake", "BigQuery", "Amazon Redshift"),
    ("Tableau", "Power BI", "Looker"),
    ("Jest", "Cypress", "Playwright"),
    ("Java", "Kotlin", "C#", "Scala"),
    ("Express", "NestJS"),
    ("Laravel", "Symfony"),
    ("Spring Boot", ".NET"),
)

IMPLIED_CREDIT = 0.9  # job asks Python, the resume shows Django work: Python was used
PARENT_CREDIT = 0.35  # job asks Django, the resume shows Python only: related, not the thing
ADJACENT_CREDIT = 0.5  # job asks PostgreSQL, the resume shows MySQL: transferable


@lru_cache(maxsize=1)
def implied_by() -> dict[str, frozenset[str]]:
    """parent -> every skill that implies it (transitively)."""
    out: dict[str, set[str]] = {}

    def parents(name: str, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for parent in IMPLIES.get(name, ()):
            if parent not in seen:
                seen.add(parent)
                found |= {parent} | parents(parent, seen)
        return found

    for child in IMPLIES:
        for parent in parents(child, set()):
            out.setdefault(parent, set()).add(child)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def adjacent_to() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in ADJACENT:
        for name in group:
            out.setdefault(name, set()).update(g for g in group if g != name)
    return {k: frozenset(v) for k, v in out.items()}


def parents_of(name: str) -> tuple[str, ...]:
    return IMPLIES.get(name, ())
