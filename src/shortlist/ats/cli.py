"""Typer commands: ``shortlist ats check`` and ``shortlist ats parse`` (offline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from shortlist.ats.analysis import Analysis, analyze
from shortlist.ats.engine.errors import AtsError
from shortlist.ats.engine.profiles import UnknownProfileError, profile_ids


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc.strerror}") from exc


def _job(path: Path | None) -> str | dict[str, Any] | None:
    if path is None:
        return None
    raw = _read(path).decode("utf-8", "replace")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"{path} is not valid JSON: {exc}") from exc
        if isinstance(data, dict):
            return data
    return raw


def _table(result: Analysis) -> str:
    out = [f"ATS score: {result.score}/100", ""]
    if result.report.verdict_message:
        out[1:1] = [result.report.verdict_message]
    for check in result.report.checks:
        mark = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "not_applicable": "N/A "}[check.status]
        out.append(f"[{mark}] {check.name:<58} {check.points:>5.1f}/{check.weight:g}")
        if check.status not in ("pass", "not_applicable"):
            out.append(f"       {check.message}")
            if check.fix:
                out.append(f"       fix: {check.fix}")
            for ev in check.evidence[:2]:
                where = f"p{ev.page} l{ev.line}: " if ev.page else ""
                out.append(f"       > {where}{ev.text[:90]}")
    b = result.report.bullets
    out += [
        "",
        f"Bullets: {b.count}, with measurable impact {b.with_impact}, average {b.average_score:.0f}/100",
    ]
    for fb in sorted(b.bullets, key=lambda x: x.score)[:5]:
        if fb.findings:
            out.append(f"  {fb.score:>3}  {fb.text[:80]}")
            for f in fb.findings[:3]:
                out.append(f"       [{f.rule}] {f.suggestion}")
    if result.match is not None:
        m = result.match
        out += ["", f"Job match: {m.score}/100" + (f"  ({m.job.title})" if m.job.title else "")]
        for part in m.parts:
            if part.weight:  # parts the job does not ask carry no weight
                out.append(f"  {part.name:<32} {part.points:>5.1f}/{part.weight:<5.1f} {part.detail}")
        for req in m.requirements:
            out.append(f"  {req.kind:<9} {req.status:<8} {req.requirement}: {req.detail}")
        if m.matched_required:
            out.append("  matched: " + ", ".join(h.skill for h in m.matched_required))
        if m.missing_required:
            out.append("  missing: " + ", ".join(m.missing_required))
        for s in m.suggestions[:6]:
            out.append(f"  - {s}")
    if result.profile is not None:
        p = result.profile
        out += ["", f"Profile {p.profile}: {p.score}/100"]
        for area in p.areas:
            mark = "ok " if area.evidenced else "-- "
            found = ", ".join(h.skill for h in area.found[:4])
            out.append(f"  {mark}{area.name}" + (f": {found}" if found else f"  ({area.advice})"))
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    """Add the ``ats`` command group to the project's Typer app."""
    ats = typer.Typer(
        help="ATS engine: parse resumes and check them against ATS rules, jobs and role profiles."
    )

    @ats.command("check")
    def check(
        file: Annotated[Path, typer.Argument(help="Resume file (PDF, DOCX or TXT).")],
        job: Annotated[
            Path | None, typer.Option("--job", help="Job description (text, or JSON Resume job).")
        ] = None,
        profile: Annotated[
            str | None, typer.Option("--profile", help=f"Role profile: {', '.join(profile_ids())}.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
        sandbox: Annotated[
            bool, typer.Option("--sandbox/--no-sandbox", help="Parse in a limited child process.")
        ] = True,
    ) -> None:
        """Score FILE for ATS compatibility; optionally match a job and a role profile."""
        try:
            result = analyze(_read(file), job=_job(job), profile=profile, sandboxed=sandbox, one_shot=True)
        except AtsError as exc:
            typer.echo(f"error ({exc.status}): {exc.detail}", err=True)
            raise typer.Exit(code=2) from exc
        except UnknownProfileError as exc:
            raise typer.BadParameter(str(exc.args[0]), param_hint="--profile") from exc
        if as_json:
            payload: dict[str, Any] = {
                "score": result.score,
                "checks": [c.model_dump(mode="json") for c in result.report.checks],
                "bullets": result.report.bullets.model_dump(mode="json"),
                "breakdown": result.report.breakdown,
            }
            if result.match is not None:
                payload["match"] = result.match.model_dump(mode="json")
            if result.profile is not None:
                payload["profile"] = result.profile.model_dump(mode="json")
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            typer.echo(_table(result))

    @ats.command("parse")
    def parse(
        file: Annotated[Path, typer.Argument(help="Resume file (PDF, DOCX or TXT).")],
        sandbox: Annotated[
            bool, typer.Option("--sandbox/--no-sandbox", help="Parse in a limited child process.")
        ] = True,
    ) -> None:
        """Print FILE as a JSON Resume document."""
        try:
            result = analyze(_read(file), sandboxed=sandbox, one_shot=True, cross_check=False)
        except AtsError as exc:
            typer.echo(f"error ({exc.status}): {exc.detail}", err=True)
            raise typer.Exit(code=2) from exc
        typer.echo(json.dumps(result.parse.resume, ensure_ascii=False, indent=2))

    app.add_typer(ats, name="ats")
