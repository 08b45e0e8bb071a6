"""ATS reports, job matches and role profiles: typed from the engine's own result models, computed by the
same functions as the REST routes (render with the saved design, parse, report)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import strawberry
from strawberry.experimental import pydantic as typed
from strawberry.scalars import JSON

from shortlist.ats import schemas
from shortlist.ats import service as ats_service
from shortlist.ats.engine import results
from shortlist.ats.engine.matching import match
from shortlist.ats.runner import get_runner
from shortlist.auth.scopes import Scope
from shortlist.design import repository as design_repository
from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.ids import uuid_of
from shortlist.http.deps import release_read
from shortlist.models import ResumeDesign
from shortlist.resume import service as resume_service


@typed.type(model=results.Evidence, all_fields=True, name="AtsEvidence")
class Evidence:
    pass


@typed.type(model=results.Check, all_fields=True, name="AtsCheck")
class Check:
    status: str = strawberry.field(description="pass, warn, fail or not_applicable.")


@typed.type(model=results.BulletFinding, all_fields=True, name="AtsBulletFinding")
class BulletFinding:
    pass


@typed.type(model=results.BulletFeedback, all_fields=True, name="AtsBulletFeedback")
class BulletFeedback:
    pass


@typed.type(model=results.BulletSummary, all_fields=True, name="AtsBulletSummary")
class BulletSummary:
    rule_counts: JSON = strawberry.field(description="How often each bullet rule fired.")


@typed.type(model=results.FontUse, all_fields=True, name="AtsFontUse")
class FontUse:
    pass


@typed.type(model=results.LayoutInfo, all_fields=True, name="AtsLayout")
class LayoutInfo:
    pass


@typed.type(model=results.JobPosting, all_fields=True, name="AtsJobPosting")
class JobPosting:
    remote: str | None = strawberry.field(description="remote, hybrid or onsite, when the posting says.")


@typed.type(model=results.SkillHit, all_fields=True, name="AtsSkillHit")
class SkillHit:
    pass


@typed.type(model=results.MatchPart, all_fields=True, name="AtsMatchPart")
class MatchPart:
    pass


@typed.type(model=results.RequirementMatch, all_fields=True, name="AtsRequirementMatch")
class RequirementMatch:
    kind: str = strawberry.field(description="required or preferred.")
    status: str = strawberry.field(description="met, implied, adjacent, related or missing.")


@typed.type(model=results.MatchResult, all_fields=True, name="AtsMatch")
class MatchResult:
    pass


@typed.type(model=results.AreaResult, all_fields=True, name="AtsProfileArea")
class AreaResult:
    pass


@typed.type(model=results.ProfileResult, all_fields=True, name="AtsProfileScore")
class ProfileResult:
    pass


@typed.type(model=schemas.ReportOut, all_fields=True, name="AtsReport")
class ReportOut:
    file_type: str
    verdict: str = strawberry.field(description="resume, or not_a_resume when the document is not one.")


@typed.type(model=schemas.AreaSummary, all_fields=True, name="AtsProfileAreaSummary")
class AreaSummary:
    pass


@typed.type(model=schemas.ProfileSummary, all_fields=True, name="AtsProfile")
class ProfileSummary:
    pass


async def _content(info: GraphInfo, raw_id: strawberry.ID) -> tuple[dict[str, Any], ResumeDesign | None]:
    subject = require(info, Scope.resumes_read)
    async with info.context.gate.use() as session:
        resume = await resume_service.get(session, subject, uuid_of(raw_id, "Resume"))
        row = await design_repository.get(session, resume.id)
        await release_read(session)  # rendering and parsing need no database connection (as in REST)
    return resume.content, row


@strawberry.type
class AtsQuery:
    @strawberry.field(
        description="Render the resume to PDF (saved design, or `template`) and report on that PDF."
    )
    async def ats_report(
        self,
        info: GraphInfo,
        resume_id: strawberry.ID,
        template: Annotated[
            str | None, strawberry.argument(description="Check this template instead.")
        ] = None,
    ) -> ReportOut:
        content, row = await _content(info, resume_id)
        runner = await get_runner(info.context.request)
        report = await ats_service.report_on_stored(runner, info.context.app.renderer, content, row, template)
        converted: ReportOut = ReportOut.from_pydantic(report)
        return converted

    @strawberry.field(description="How well a stored resume matches a job posting (text), with evidence.")
    async def ats_match(self, info: GraphInfo, resume_id: strawberry.ID, job: str) -> MatchResult:
        body = schemas.MatchIn.model_validate({"resume": {}, "job": job})  # the same limits as REST's body
        content, _row = await _content(info, resume_id)
        runner = await get_runner(info.context.request)
        result = await runner.run(partial(match, content, body.job))
        converted: MatchResult = MatchResult.from_pydantic(result)
        return converted

    @strawberry.field(description="The built-in role profiles with their weighted areas.")
    def ats_profiles(self, info: GraphInfo) -> list[ProfileSummary]:
        require(info, Scope.resumes_read)
        return [ProfileSummary.from_pydantic(p) for p in ats_service.profile_summaries()]

    @strawberry.field(description="Score a stored resume against a role profile.")
    async def ats_profile_score(
        self, info: GraphInfo, resume_id: strawberry.ID, profile: str
    ) -> ProfileResult:
        content, _row = await _content(info, resume_id)
        runner = await get_runner(info.context.request)
        result = await ats_service.score_stored_profile(runner, content, profile)
        converted: ProfileResult = ProfileResult.from_pydantic(result)
        return converted
