"""JSON Resume as typed GraphQL objects, generated from the same Pydantic models REST validates with."""

from __future__ import annotations

from typing import Any

import strawberry
from pydantic import ValidationError
from strawberry.experimental import pydantic as typed

from shortlist.resume import jsonresume as jr

# Output types. Unknown properties (JSON Resume allows them) are kept in storage and in REST's export;
# GraphQL shows the schema's own properties.


@typed.type(model=jr.Location, all_fields=True, name="ResumeLocation")
class Location:
    pass


@typed.type(model=jr.Profile, all_fields=True, name="ResumeProfile")
class Profile:
    pass


@typed.type(model=jr.Basics, all_fields=True, name="ResumeBasics")
class Basics:
    pass


@typed.type(model=jr.Work, all_fields=True, name="ResumeWork")
class Work:
    pass


@typed.type(model=jr.Volunteer, all_fields=True, name="ResumeVolunteer")
class Volunteer:
    pass


@typed.type(model=jr.Education, all_fields=True, name="ResumeEducation")
class Education:
    pass


@typed.type(model=jr.Award, all_fields=True, name="ResumeAward")
class Award:
    pass


@typed.type(model=jr.Certificate, all_fields=True, name="ResumeCertificate")
class Certificate:
    pass


@typed.type(model=jr.Publication, all_fields=True, name="ResumePublication")
class Publication:
    pass


@typed.type(model=jr.Skill, all_fields=True, name="ResumeSkill")
class Skill:
    pass


@typed.type(model=jr.Language, all_fields=True, name="ResumeLanguage")
class Language:
    pass


@typed.type(model=jr.Interest, all_fields=True, name="ResumeInterest")
class Interest:
    pass


@typed.type(model=jr.Reference, all_fields=True, name="ResumeReference")
class Reference:
    pass


@typed.type(model=jr.Project, all_fields=True, name="ResumeProject")
class Project:
    pass


@typed.type(model=jr.Meta, all_fields=True, name="ResumeMeta")
class Meta:
    pass


@typed.type(model=jr.ResumeDocument, name="ResumeContent")
class ResumeContent:
    basics: strawberry.auto
    work: strawberry.auto
    volunteer: strawberry.auto
    education: strawberry.auto
    awards: strawberry.auto
    certificates: strawberry.auto
    publications: strawberry.auto
    skills: strawberry.auto
    languages: strawberry.auto
    interests: strawberry.auto
    references: strawberry.auto
    projects: strawberry.auto
    meta: strawberry.auto


def content_of(document: dict[str, Any]) -> ResumeContent:
    try:
        model = jr.ResumeDocument.model_validate(document)
    except ValidationError:
        # Stored before a check was added: show what is there rather than fail the whole query.
        model = jr.ResumeDocument.model_construct(**document)
    converted: ResumeContent = ResumeContent.from_pydantic(model)
    return converted


# Input types: converted to plain JSON and validated by the resume service, exactly as REST bodies are.


@typed.input(model=jr.Location, all_fields=True, name="ResumeLocationInput")
class LocationInput:
    pass


@typed.input(model=jr.Profile, all_fields=True, name="ResumeProfileInput")
class ProfileInput:
    pass


@typed.input(model=jr.Basics, all_fields=True, name="ResumeBasicsInput")
class BasicsInput:
    pass


@typed.input(model=jr.Work, all_fields=True, name="ResumeWorkInput")
class WorkInput:
    pass


@typed.input(model=jr.Volunteer, all_fields=True, name="ResumeVolunteerInput")
class VolunteerInput:
    pass


@typed.input(model=jr.Education, all_fields=True, name="ResumeEducationInput")
class EducationInput:
    pass


@typed.input(model=jr.Award, all_fields=True, name="ResumeAwardInput")
class AwardInput:
    pass


@typed.input(model=jr.Certificate, all_fields=True, name="ResumeCertificateInput")
class CertificateInput:
    pass


@typed.input(model=jr.Publication, all_fields=True, name="ResumePublicationInput")
class PublicationInput:
    pass


@typed.input(model=jr.Skill, all_fields=True, name="ResumeSkillInput")
class SkillInput:
    pass


@typed.input(model=jr.Language, all_fields=True, name="ResumeLanguageInput")
class LanguageInput:
    pass


@typed.input(model=jr.Interest, all_fields=True, name="ResumeInterestInput")
class InterestInput:
    pass


@typed.input(model=jr.Reference, all_fields=True, name="ResumeReferenceInput")
class ReferenceInput:
    pass


@typed.input(model=jr.Project, all_fields=True, name="ResumeProjectInput")
class ProjectInput:
    pass


@typed.input(model=jr.Meta, all_fields=True, name="ResumeMetaInput")
class MetaInput:
    pass


@typed.input(model=jr.ResumeDocument, name="ResumeContentInput")
class ResumeContentInput:
    basics: strawberry.auto
    work: strawberry.auto
    volunteer: strawberry.auto
    education: strawberry.auto
    awards: strawberry.auto
    certificates: strawberry.auto
    publications: strawberry.auto
    skills: strawberry.auto
    languages: strawberry.auto
    interests: strawberry.auto
    references: strawberry.auto
    projects: strawberry.auto
    meta: strawberry.auto


def plain_json(value: Any) -> Any:
    """An input object as the JSON a REST client would have sent: omitted and null properties left out."""
    if isinstance(value, list):
        return [plain_json(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: plain_json(item)
            for name in value.__dataclass_fields__
            if (item := getattr(value, name)) is not None
        }
    return value
