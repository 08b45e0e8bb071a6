"""A fictional sample resume, used for template thumbnails, previews and the benchmark."""

from __future__ import annotations

from typing import Any


def sample_resume() -> dict[str, Any]:
    return {
        "basics": {
            "name": "Alex Morgan",
            "label": "Senior Software Engineer",
            "email": "alex.morgan@example.com",
            "phone": "+44 20 7946 0000",
            "url": "https://alexmorgan.example",
            "summary": (
                "Backend engineer with nine years of experience designing reliable, efficient services. "
                "Comfortable owning systems end to end, from data model to on-call."
            ),
            "location": {"city": "London", "countryCode": "GB"},
            "profiles": [
                {"network": "GitHub", "username": "alexmorgan", "url": "https://github.com/alexmorgan"}
            ],
        },
        "work": [
            {
                "name": "Northwind Logistics",
                "position": "Senior Software Engineer",
                "location": "London",
                "startDate": "2021-02",
                "highlights": [
                    "Redesigned the shipment tracking pipeline, cutting p95 latency from 900 ms to 120 ms",
                    "Introduced contract tests across 14 services; production incidents fell by a third",
                    "Mentored four engineers, two promoted within a year",
                ],
            },
            {
                "name": "Fabrikam Payments",
                "position": "Software Engineer",
                "location": "Manchester",
                "startDate": "2017-06",
                "endDate": "2021-01",
                "highlights": [
                    "Built the reconciliation service that settles 2 million transactions a day",
                    "Moved batch jobs to an event-driven design, saving 40% of compute cost",
                ],
            },
            {
                "name": "Contoso Labs",
                "position": "Junior Developer",
                "startDate": "2015-09",
                "endDate": "2017-05",
                "highlights": ["Shipped the first public API and its documentation"],
            },
        ],
        "education": [
            {
                "institution": "University of Leeds",
                "area": "Computer Science",
                "studyType": "BSc",
                "startDate": "2012",
                "endDate": "2015",
                "score": "First-class honours",
            }
        ],
        "skills": [
            {"name": "Languages", "keywords": ["Python", "Go", "SQL", "TypeScript"]},
            {"name": "Platforms", "keywords": ["PostgreSQL", "Kafka", "Kubernetes", "AWS"]},
        ],
        "projects": [
            {
                "name": "tidyqueue",
                "description": "Open-source job queue for PostgreSQL with exactly-once handlers.",
                "startDate": "2020",
                "highlights": ["Used in production by a dozen companies"],
            }
        ],
        "certificates": [
            {"name": "AWS Certified Solutions Architect", "issuer": "Amazon", "date": "2022-03"}
        ],
        "languages": [{"language": "English", "fluency": "Native"}, {"language": "Spanish", "fluency": "B2"}],
    }
