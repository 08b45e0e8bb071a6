"""Recruiter and candidate journeys in Chromium against a real `shortlist serve`: organisations and their
members, jobs and their requirements, the ranked list, the pipeline board (drag, keyboard, bulk, a
colleague's moves), an application's view, blind screening, CSV export; applying with a resume and
withdrawing; and the refusals (a viewer's 403, a stale move's 412). axe-core checks every screen."""

from __future__ import annotations

import csv
import email
import io
import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.application.helpers import JOB_DESCRIPTION, resume_document
from tests.conftest import PASSWORD
from tests.web.browser import api_token, assert_accessible, screenshot

pytestmark = pytest.mark.slow

expect.set_options(timeout=15_000)


@pytest.fixture
def tab(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    tab = browser.new_context(
        base_url=live_server, accept_downloads=True, viewport={"width": 1500, "height": 950}
    )
    yield tab
    tab.close()


@pytest.fixture
def page(tab: BrowserContext) -> Iterator[Page]:
    page = tab.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    assert not refused, refused


class Api:
    """The API as one signed-in person (a colleague, a candidate) while the browser is someone else."""

    def __init__(self, base: str, email: str, name: str) -> None:
        created = httpx.post(
            f"{base}/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
        )
        assert created.status_code == 201, created.text
        self.base, self.email = base, email
        self.headers = api_token(base, email, PASSWORD)

    def call(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        response = httpx.request(
            method, self.base + path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )
        assert response.status_code == expected, response.text
        return response.json() if response.content else None


def person(base: str, name: str) -> Api:
    return Api(base, f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com", name)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My resumes")).to_be_visible()


def invitation_token(server_dir: Path, to: str) -> str:
    """The code in the invitation e-mail (the outbox mailer's .eml files; sent once the request committed)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in sorted((server_dir / "outbox").glob("*.eml"), reverse=True):
            message = email.message_from_bytes(path.read_bytes())
            if message["To"] != to:
                continue
            for part in message.walk():
                payload = part.get_payload(decode=True)
                found = (
                    re.search(r"sli_[A-Za-z0-9_-]+", payload.decode()) if isinstance(payload, bytes) else None
                )
                if found:
                    return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no invitation e-mail to {to}")


def join(org_id: str, owner: Api, member: Api, role: str, outbox: Path) -> None:
    owner.call(
        "POST", f"/v1/organizations/{org_id}/invitations", 201, json={"email": member.email, "role": role}
    )
    member.call("POST", "/v1/invitations/accept", json={"token": invitation_token(outbox, member.email)})


def apply(base: str, posting_id: str, name: str, *, strong: bool) -> str:
    candidate = person(base, name)
    document = resume_document(name, candidate.email, strong=strong)
    resume = candidate.call("POST", "/v1/resumes", 201, json={"title": "Mine", "content": document})
    applied = candidate.call(
        "POST", "/v1/applications", 201, json={"posting_id": posting_id, "resume_id": resume["id"]}
    )
    return str(applied["id"])


def wait_scored(owner: Api, org_id: str, posting_id: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        items: list[dict[str, Any]] = owner.call(
            "GET", f"/v1/organizations/{org_id}/jobs/{posting_id}/applications"
        )["items"]
        if len(items) == count and all(item["scored_at"] for item in items):
            return items
        time.sleep(0.2)
    raise AssertionError("the applications were not scored in time")


def eventually(read: Callable[[], Any], expected: Any, seconds: float = 15) -> None:
    """The API agrees with what the page shows, once the page's request has landed."""
    deadline = time.monotonic() + seconds
    while (value := read()) != expected:
        assert time.monotonic() < deadline, f"{value!r} != {expected!r}"
        time.sleep(0.1)


def keyboard_move(page: Page, candidate: str, to: str) -> None:
    """Space lifts the card, the right arrow jumps a column, space drops; each step waits for what the
    board announces to screen readers (so a slow machine does not drop the card before it is over)."""
    announced = page.locator("[id^=DndLiveRegion]")
    page.get_by_role("button", name=f"Move {candidate}").focus()
    page.keyboard.press("Space")
    # The region holds the latest message: "Picked up …", at once replaced by "… is over <its stage>".
    expect(announced).to_contain_text(re.compile(f"Picked up {candidate}|{candidate} is over"))
    # dnd-kit starts listening for the arrow keys a task after the lift: on a busy machine the first press
    # can come before that, so press again until the card is over the next column (never past it).
    for _ in range(10):
        page.keyboard.press("ArrowRight")
        try:
            expect(announced).to_contain_text(f"{candidate} is over {to}", timeout=1500)
            break
        except AssertionError:
            continue
    expect(announced).to_contain_text(f"{candidate} is over {to}")
    page.keyboard.press("Space")
    expect(announced).to_contain_text(f"{candidate} dropped in {to}")


def column(page: Page, stage: str) -> Any:
    return page.get_by_test_id(f"column-{stage}")


def test_recruiter_runs_a_job_from_posting_to_shortlist(
    page: Page, browser: Browser, live_server: str, server_dir: Path
) -> None:
    owner = person(live_server, "Olga Owner")
    sign_in(page, owner.email)

    # An organisation, from the empty state.
    page.get_by_role("link", name="Recruiting").click()
    expect(page.get_by_role("heading", name="Organisations")).to_be_visible()
    assert_accessible(page, "organisations")
    page.get_by_label("Organisation name").fill("Acme Hiring")
    slug = f"acme-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Careers page address").fill(slug)
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
    expect(page.get_by_test_id("my-role")).to_have_text("You are owner")
    org_id = page.url.rstrip("/").split("/")[-1]

    # Settings: invite a colleague as recruiter in the browser; they accept with the mailed code.
    page.get_by_role("link", name="Settings").click()
    colleague = person(live_server, "Carl Colleague")
    page.get_by_label("Invite by e-mail").fill(colleague.email)
    page.get_by_label("As", exact=True).select_option("recruiter")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {colleague.email}.")).to_be_visible()
    expect(page.get_by_role("list", name="Pending invitations")).to_contain_text(colleague.email)
    assert_accessible(page, "organisation settings")
    colleague.call(
        "POST", "/v1/invitations/accept", json={"token": invitation_token(server_dir, colleague.email)}
    )
    page.reload()
    expect(page.get_by_label(f"Role of {colleague.email}")).to_have_value("recruiter")
    # An invitation sent by mistake is revoked: gone from the list, refused by the API.
    page.get_by_label("Invite by e-mail").fill("wrong-person@example.com")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_role("button", name="Revoke the invitation of wrong-person@example.com").click()
    expect(page.get_by_text("The invitation of wrong-person@example.com was revoked.")).to_be_visible()
    expect(page.get_by_role("list", name="Pending invitations")).not_to_contain_text("wrong-person")
    revoked = owner.call("GET", f"/v1/organizations/{org_id}/invitations")["items"]
    assert [i["revoked_at"] is not None for i in revoked if i["email"] == "wrong-person@example.com"] == [
        True
    ]
    screenshot(page, "recruiter-settings")

    # A job: the requirements read from the text are shown and corrected.
    page.get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="New job").click()
    page.get_by_label("Job title").fill("Senior Backend Engineer")
    page.get_by_label("Description (Markdown)").fill(JOB_DESCRIPTION)
    page.get_by_label("Scorecard criteria (comma-separated)").fill("Coding, Communication")
    page.get_by_role("button", name="Create job").click()
    expect(page.get_by_test_id("extracted")).to_contain_text("Python")
    required = page.get_by_label("Required skills")
    expect(required).to_have_value(re.compile("PostgreSQL"))
    required.fill(required.input_value() + ", Terraform")
    page.get_by_role("button", name="Save job").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(required).to_have_value(re.compile("Terraform"))
    assert_accessible(page, "job editor")
    screenshot(page, "recruiter-job-editor")
    page.get_by_role("button", name="Open for applications").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Open")
    posting_id = page.url.split("/jobs/")[1].split("/")[0]
    posting = owner.call("GET", f"/v1/organizations/{org_id}/jobs/{posting_id}")
    assert (
        "Terraform" in posting["requirements"]["required_skills"]
    )  # the correction is stored apart and wins

    strong = apply(live_server, posting_id, "Sam Strong", strong=True)
    apply(live_server, posting_id, "Wes Weak", strong=False)
    apply(live_server, posting_id, "Kim Keen", strong=True)
    ranked = wait_scored(owner, org_id, posting_id, 3)
    assert ranked[-1]["name"] == "Wes Weak"

    # The ranked list: reasons at a glance, filters, bulk move, CSV export with progress.
    page.get_by_role("link", name="Applications", exact=True).click()
    rows = page.get_by_test_id("ranked-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(re.compile(r"Has: .*Python"))
    # The correction is what candidates are scored against.
    expect(rows.first).to_contain_text("Missing: Terraform")
    expect(rows.last).to_contain_text("Wes Weak")
    expect(rows.last).to_contain_text("Missing:")
    assert_accessible(page, "ranked applications")
    screenshot(page, "recruiter-ranked")
    page.get_by_label("Minimum score").fill(
        str((ranked[0]["rank_score"] + ranked[-1]["rank_score"]) // 2 + 1)
    )
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(2)
    page.get_by_label("Minimum score").fill("")
    page.get_by_label("Has skills").fill("Docker")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_role("list", name="Ranked applications")).not_to_contain_text("Wes Weak")
    page.get_by_label("Has skills").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(3)
    page.get_by_label("Select Wes Weak").check()
    page.get_by_label("Select Kim Keen").check()
    page.get_by_label("Move selected to").select_option("screening")
    page.get_by_role("button", name="Move 2 selected").click()
    expect(page.get_by_text("Moved 2 to Screening.")).to_be_visible()
    page.get_by_role("button", name="Export CSV").click()
    download_link = page.get_by_role("link", name="Download applications.csv")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    exported = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(exported) == 4  # the header and the three applications
    assert {"Sam Strong", "Wes Weak", "Kim Keen"} <= {cell for line in exported for cell in line}

    # The pipeline: keyboard move, drag and drop, and a colleague's move shown without a reload.
    page.get_by_role("link", name="Pipeline").click()
    expect(column(page, "screening").get_by_test_id("card")).to_have_count(2)
    assert_accessible(page, "pipeline")
    screenshot(page, "recruiter-pipeline")
    keyboard_move(page, "Sam Strong", "Screening")
    expect(column(page, "screening")).to_contain_text("Sam Strong")
    application_url = f"/v1/organizations/{org_id}/jobs/{posting_id}/applications/{strong}"
    eventually(lambda: owner.call("GET", application_url)["stage"], "screening")

    card = page.get_by_role("button", name="Move Wes Weak")
    target = column(page, "interview").bounding_box()
    source = card.bounding_box()
    assert target and source
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    for step in range(1, 11):  # in steps, past the 6 px activation distance, as a hand would
        page.mouse.move(
            source["x"] + 5 + (target["x"] + 40 - source["x"]) * step / 10,
            source["y"] + 5 + (target["y"] + 60 - source["y"]) * step / 10,
        )
    page.mouse.up()
    expect(column(page, "interview")).to_contain_text("Wes Weak")
    eventually(
        lambda: [
            a["stage"]
            for a in owner.call("GET", f"/v1/organizations/{org_id}/jobs/{posting_id}/applications")["items"]
            if a["name"] == "Wes Weak"
        ],
        ["interview"],
    )

    kim = next(
        a
        for a in owner.call("GET", f"/v1/organizations/{org_id}/jobs/{posting_id}/applications")["items"]
        if a["name"] == "Kim Keen"
    )
    colleague.call(
        "POST",
        f"/v1/organizations/{org_id}/jobs/{posting_id}/applications/{kim['id']}/move",
        json={"stage": "offer"},
    )
    expect(column(page, "offer")).to_contain_text("Kim Keen")  # pushed to the board: no reload

    # The application: resume, reasons, rating, note, scorecard, timeline, shortlist.
    column(page, "screening").get_by_role("link", name="Sam Strong").click()
    expect(
        page.get_by_role("img", name="Page 1 of 1 of Sam Strong's resume (the text is below)")
    ).to_be_visible()
    page.get_by_text("The resume as text").click()
    expect(page.get_by_test_id("resume-preview")).to_contain_text("Acme Payments")
    page.get_by_role("radio", name="4").check()
    expect(page.get_by_text("Rated 4 of 5.")).to_be_visible()
    page.get_by_label("New note (@name@example.com mentions a colleague)").fill(
        "Strong on Kafka; ask about on-call."
    )
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("Strong on Kafka")
    page.get_by_label("Coding").select_option("5")
    page.get_by_label("Communication").select_option("4")
    page.get_by_role("button", name="Save scorecard").click()
    expect(page.get_by_role("list", name="Filed scorecards")).to_contain_text("Coding 5")
    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_role("button", name="Remove from shortlist")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Moved from applied to screening")
    assert_accessible(page, "application view")
    screenshot(page, "recruiter-application")

    # A stale move: a colleague moved the candidate after this page read it → 412, shown and reloaded.
    colleague.call(
        "POST",
        f"/v1/organizations/{org_id}/jobs/{posting_id}/applications/{strong}/move",
        json={"stage": "interview"},
    )
    page.get_by_label("Move to").select_option("offer")
    expect(page.get_by_role("alert")).to_contain_text("Someone else changed this application")
    expect(page.get_by_label("Move to")).to_have_value("interview")
    assert owner.call("GET", application_url)["stage"] == "interview"

    # Blind screening, as the recruiter colleague sees it: visibly on, names hidden until shortlisted.
    current = owner.call("GET", f"/v1/organizations/{org_id}/jobs/{posting_id}")
    owner.call(
        "PATCH",
        f"/v1/organizations/{org_id}/jobs/{posting_id}",
        json={"blind": {"enabled": True, "hide_schools": False}},
        headers={"If-Match": f'"r{current["version"]}"'},
    )
    other = browser.new_context(base_url=live_server, viewport={"width": 1500, "height": 950})
    try:
        colleague_page = other.new_page()
        sign_in(colleague_page, colleague.email)
        colleague_page.goto(f"/app/orgs/{org_id}/jobs/{posting_id}")
        expect(colleague_page.get_by_test_id("blind-banner")).to_contain_text("Blind screening is on")
        colleague_rows = colleague_page.get_by_test_id("ranked-row")
        expect(colleague_rows).to_have_count(3)
        expect(colleague_page.get_by_role("link", name="Sam Strong")).to_be_visible()  # shortlisted: shown
        expect(colleague_page.get_by_text("Wes Weak")).to_have_count(0)
        expect(colleague_rows.filter(has_text="Candidate ")).to_have_count(2)
        assert_accessible(colleague_page, "blind ranked list")
        screenshot(colleague_page, "recruiter-blind")
    finally:
        other.close()


def test_a_viewer_is_refused_changes_and_told_why(page: Page, live_server: str, server_dir: Path) -> None:
    owner = person(live_server, "Olga Owner")
    org = owner.call(
        "POST", "/v1/organizations", 201, json={"name": "Viewers Inc", "slug": f"view-{uuid.uuid4().hex[:6]}"}
    )
    created = owner.call(
        "POST",
        f"/v1/organizations/{org['id']}/jobs",
        201,
        json={"title": "Data Engineer", "description": JOB_DESCRIPTION},
    )
    owner.call("POST", f"/v1/organizations/{org['id']}/jobs/{created['id']}/open")
    apply(live_server, created["id"], "Ana Applicant", strong=True)
    wait_scored(owner, org["id"], created["id"], 1)
    viewer = person(live_server, "Vic Viewer")
    join(org["id"], owner, viewer, "viewer", server_dir)

    sign_in(page, viewer.email)
    page.goto(f"/app/orgs/{org['id']}")
    expect(page.get_by_test_id("my-role")).to_have_text("You are viewer")
    expect(page.get_by_text("Your role can read; changes are refused.")).to_be_visible()
    expect(page.get_by_role("link", name="New job")).to_have_count(0)
    page.goto(f"/app/orgs/{org['id']}/jobs/{created['id']}/pipeline")
    keyboard_move(page, "Ana Applicant", "Screening")
    expect(page.get_by_role("alert")).to_contain_text("Your role (viewer) does not allow")  # the 403's detail
    expect(column(page, "applied")).to_contain_text("Ana Applicant")  # put back
    assert_accessible(page, "pipeline refused")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Invite by e-mail").fill("someone@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Your role (viewer) does not allow")
    invited = [i["email"] for i in owner.call("GET", f"/v1/organizations/{org['id']}/invitations")["items"]]
    assert "someone@example.com" not in invited


def test_candidate_applies_from_the_careers_page_and_withdraws(page: Page, live_server: str) -> None:
    owner = person(live_server, "Olga Owner")
    slug = f"jobs-{uuid.uuid4().hex[:6]}"
    org = owner.call("POST", "/v1/organizations", 201, json={"name": "Careers Co", "slug": slug})
    created = owner.call(
        "POST",
        f"/v1/organizations/{org['id']}/jobs",
        201,
        json={"title": "Platform Engineer", "description": JOB_DESCRIPTION},
    )
    owner.call("POST", f"/v1/organizations/{org['id']}/jobs/{created['id']}/open")
    seeker = person(live_server, "Robin Seeker")
    seeker.call(
        "POST",
        "/v1/resumes",
        201,
        json={
            "title": "Backend resume",
            "content": resume_document("Robin Seeker", seeker.email, strong=True),
        },
    )

    sign_in(page, seeker.email)
    page.goto(f"/careers/{slug}/jobs/{created['id']}")
    page.get_by_role("link", name="Apply in one step with one of your resumes").click()
    expect(page.get_by_role("heading", name="Apply: Platform Engineer")).to_be_visible()
    assert_accessible(page, "apply with a resume")
    page.get_by_label("Backend resume").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Your application to Platform Engineer was sent.")).to_be_visible()
    mine = page.get_by_test_id("my-application")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Applied")
    expect(mine).to_contain_text("Careers Co")
    assert_accessible(page, "my applications")
    screenshot(page, "candidate-applications")

    # Applying twice is refused with the API's reason.
    page.goto(f"/app/apply/{created['id']}?title=Platform%20Engineer")
    page.get_by_label("Backend resume").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("alert")).to_contain_text("already")  # the API's 409 duplicate-application

    # The employer moves it; the candidate sees the stage by its name, then withdraws.
    application = owner.call("GET", f"/v1/organizations/{org['id']}/jobs/{created['id']}/applications")[
        "items"
    ][0]
    owner.call(
        "POST",
        f"/v1/organizations/{org['id']}/jobs/{created['id']}/applications/{application['id']}/move",
        json={"stage": "screening"},
    )
    page.goto("/app/applications")
    expect(mine).to_contain_text("Screening")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw from Platform Engineer").click()
    expect(mine).to_contain_text("Withdrawn")
    assert seeker.call("GET", f"/v1/applications/{application['id']}")["withdrawn_at"]
