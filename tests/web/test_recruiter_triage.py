"""A job's pipeline and team, and triage on its applications, in Chromium against a real `shortlist serve`:
stages renamed, reordered from the keyboard, added and (refused while in use) removed; hiring managers added
and removed; tags added, removed and filtered on; a recruiter's score override shown beside the computed
score and winning the ranking; rejections with their reason from the application, the ranked list's bulk
move and the pipeline board. axe-core checks each new screen and form."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.application.helpers import JOB_DESCRIPTION
from tests.web.browser import assert_accessible, screenshot
from tests.web.test_recruiter import (
    Api,
    apply,
    column,
    eventually,
    join,
    keyboard_move,
    person,
    sign_in,
    wait_scored,
)

pytestmark = pytest.mark.slow

expect.set_options(timeout=15_000)


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1500, "height": 950})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not refused, refused


def by_name(owner: Api, jobs: str) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in owner.call("GET", f"{jobs}/applications?include_withdrawn=true")["items"]}


def test_recruiter_shapes_the_pipeline_and_team_then_triages(
    page: Page, live_server: str, server_dir: Path
) -> None:
    owner = person(live_server, "Olga Owner")
    org = owner.call(
        "POST", "/v1/organizations", 201, json={"name": "Triage Ltd", "slug": f"tri-{uuid.uuid4().hex[:6]}"}
    )
    jobs = f"/v1/organizations/{org['id']}/jobs"
    created = owner.call("POST", jobs, 201, json={"title": "Data Engineer", "description": JOB_DESCRIPTION})
    job = f"{jobs}/{created['id']}"
    owner.call("POST", f"{job}/open")
    manager = person(live_server, "Hana Manager")
    join(org["id"], owner, manager, "hiring_manager", server_dir)
    manager_id = next(
        m["user_id"]
        for m in owner.call("GET", f"/v1/organizations/{org['id']}/members")["items"]
        if m["email"] == manager.email
    )
    for name, strong in (("Sam Strong", True), ("Wes Weak", False), ("Kim Keen", True)):
        apply(live_server, created["id"], name, strong=strong)
    scored = {a["name"]: a for a in wait_scored(owner, org["id"], created["id"], 3)}
    owner.call("POST", f"{job}/applications/{scored['Sam Strong']['id']}/move", json={"stage": "interview"})

    sign_in(page, owner.email)
    page.goto(f"/app/orgs/{org['id']}/jobs/{created['id']}")
    page.get_by_role("link", name="Stages and team").click()
    expect(page.get_by_role("heading", name="Stages and team: Data Engineer")).to_be_visible()
    stages = page.get_by_role("list", name="Stages in order")
    expect(stages.get_by_role("textbox")).to_have_count(6)
    assert_accessible(page, "job pipeline and team")
    screenshot(page, "recruiter-job-settings")

    # Rename, reorder with the keyboard only, add a stage; then save and read it back from the API.
    page.get_by_label("Name of stage 2").fill("Phone screen")
    page.get_by_role("button", name="Move Offer up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name of stage 3")).to_have_value("Offer")
    expect(page.get_by_role("button", name="Move Offer up")).to_be_focused()  # the keyboard stays with it
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name of stage 2")).to_have_value("Offer")
    page.get_by_label("New stage").fill("Take-home task")
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_label("Name of stage 5")).to_have_value("Take-home task")
    page.get_by_role("button", name="Save stages").click()
    expect(page.get_by_text("Stages saved.")).to_be_visible()
    assert owner.call("GET", job)["stages"] == [
        {"id": "applied", "name": "Applied"},
        {"id": "offer", "name": "Offer"},
        {"id": "screening", "name": "Phone screen"},
        {"id": "interview", "name": "Interview"},
        {"id": "take_home_task", "name": "Take-home task"},
        {"id": "hired", "name": "Hired"},
        {"id": "rejected", "name": "Rejected"},
    ]

    # Refusals: a blank name is caught before sending; a stage still holding Sam goes with the API's reason.
    page.get_by_label("Name of stage 3").fill(" ")
    page.get_by_role("button", name="Save stages").click()
    expect(page.get_by_role("alert")).to_have_text("Stage 3 needs a name.")
    page.get_by_role("button", name="Undo changes").click()
    expect(page.get_by_label("Name of stage 3")).to_have_value("Phone screen")
    page.get_by_role("button", name="Remove stage Interview").click()
    page.get_by_role("button", name="Save stages").click()
    expect(page.get_by_role("alert")).to_contain_text("Move the applications out of interview")
    assert [s["id"] for s in owner.call("GET", job)["stages"]].count("interview") == 1
    page.get_by_role("button", name="Undo changes").click()

    # Hiring managers: added from the organisation's members, then removed; the API agrees each time.
    # A stage rename not yet saved survives saving the team beside it.
    page.get_by_label("Name of stage 2").fill("Offer call")
    page.get_by_label("Add a hiring manager").select_option(manager_id)
    page.get_by_role("button", name="Add to this job").click()
    expect(page.get_by_role("list", name="Hiring managers on this job")).to_contain_text(manager.email)
    expect(page.get_by_label("Name of stage 2")).to_have_value("Offer call")
    page.get_by_role("button", name="Undo changes").click()
    expect(page.get_by_label("Name of stage 2")).to_have_value("Offer")
    assert owner.call("GET", job)["hiring_manager_ids"] == [manager_id]
    assert [j["id"] for j in manager.call("GET", jobs)["items"]] == [created["id"]]  # now sees the job
    assert_accessible(page, "job team with a hiring manager")
    page.get_by_role("button", name=f"Remove {manager.email} from this job").click()
    expect(page.get_by_text("No hiring managers on this job yet.")).to_be_visible()
    assert owner.call("GET", job)["hiring_manager_ids"] == []

    # The application: a score override shown beside the computed score, tags, a rejection with its reason.
    weak = scored["Wes Weak"]
    page.goto(f"/app/orgs/{org['id']}/jobs/{created['id']}/applications/{weak['id']}")
    detail = page.get_by_test_id("score-detail")
    expect(detail).to_contain_text(f"Computed from the resume{weak['score']}")
    expect(detail).to_contain_text("Recruiter overrideNone")
    override = page.get_by_label("Override score (0–100)")
    override.fill("150")
    page.get_by_role("button", name="Set override").click()
    expect(page.get_by_text("Enter a whole number from 0 to 100.")).to_be_visible()
    override.fill("99")
    page.get_by_role("button", name="Set override").click()
    expect(page.get_by_text("Override set to 99")).to_be_visible()
    expect(detail).to_contain_text("Recruiter override99")
    expect(detail).to_contain_text("99 (the override wins over the computed score)")
    expect(
        page.get_by_role("img", name=f"Score 99, set by a recruiter (scored {weak['score']})")
    ).to_be_visible()
    application = f"{job}/applications/{weak['id']}"
    stored = owner.call("GET", application)
    assert (stored["override_score"], stored["rank_score"]) == (99, 99)

    tag_input = page.get_by_label("Add tags (comma-separated)")
    tag_input.fill("-oops")
    page.get_by_role("button", name="Add tags").click()
    expect(page.get_by_text("Not a tag: -oops.")).to_be_visible()
    tag_input.fill("remote, senior, remote")
    page.get_by_role("button", name="Add tags").click()
    tags = page.get_by_role("list", name="Tags of this application")
    expect(tags.get_by_role("listitem")).to_have_text(["remote×", "senior×"])
    tag_input.fill("senior")
    page.get_by_role("button", name="Add tags").click()
    expect(page.get_by_text("Already tagged with that.")).to_be_visible()
    page.get_by_role("button", name="Remove tag senior").click()
    expect(tags.get_by_role("listitem")).to_have_text(["remote×"])
    eventually(lambda: owner.call("GET", application)["tags"], ["remote"])
    assert_accessible(page, "application triage")
    screenshot(page, "recruiter-triage")

    # The ranked list: the override ranks Wes first, marked as set by a recruiter; the tag filter finds him.
    page.get_by_role("link", name="Ranked list").click()
    rows = page.get_by_test_id("ranked-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Wes Weak")
    expect(rows.first).to_contain_text(f"set by recruiter (scored {weak['score']})")
    expect(rows.first.get_by_role("list", name="Tags of Wes Weak")).to_have_text("remote")
    page.get_by_label("Tagged (any of)").fill("remote")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    page.get_by_label("Tagged (any of)").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(3)

    # Back on Wes: the override cleared, the computed score ranks again; then rejected, with the reason.
    rows.first.get_by_role("link", name="Wes Weak").click()
    page.get_by_role("button", name="Clear override").click()
    expect(detail).to_contain_text("Recruiter overrideNone")
    eventually(lambda: owner.call("GET", application)["override_score"], None)
    page.get_by_label("Move to").select_option("rejected")
    reject = page.get_by_role("form", name="Reject Wes Weak")
    expect(reject.get_by_role("textbox")).to_be_focused()
    assert_accessible(page, "rejection reason")
    reject.get_by_role("textbox").fill("Not enough Python for the role.")
    reject.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Reason: Not enough Python for the role.")).to_be_visible()
    rejected = owner.call("GET", application)
    assert (rejected["stage"], rejected["rejection_reason"]) == (
        "rejected",
        "Not enough Python for the role.",
    )

    # A bulk rejection from the ranked list asks once for the reason of all selected.
    page.get_by_role("link", name="Ranked list").click()
    page.get_by_label("Select Kim Keen").check()
    page.get_by_label("Move selected to").select_option("rejected")
    page.get_by_role("button", name="Move 1 selected").click()
    bulk = page.get_by_role("form", name="Reject 1 selected")
    bulk.get_by_role("textbox").fill("The role was filled.")
    bulk.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Moved 1 to Rejected.")).to_be_visible()
    kim = by_name(owner, job)["Kim Keen"]
    assert (kim["stage"], kim["rejection_reason"]) == ("rejected", "The role was filled.")

    # The board: a card dropped on Rejected waits for the reason (cancel leaves it), then moves with it.
    page.get_by_role("link", name="Pipeline", exact=True).click()
    expect(column(page, "take_home_task")).to_contain_text("Take-home task")
    keyboard_move_to_rejected(page, "Sam Strong")
    cancel = page.get_by_role("form", name="Reject Sam Strong")
    cancel.get_by_role("button", name="Cancel").click()
    expect(column(page, "interview")).to_contain_text("Sam Strong")
    keyboard_move_to_rejected(page, "Sam Strong")
    board_reject = page.get_by_role("form", name="Reject Sam Strong")
    assert_accessible(page, "pipeline rejection")
    board_reject.get_by_role("textbox").fill("Chose another candidate.")
    board_reject.get_by_role("button", name="Reject").click()
    expect(column(page, "rejected")).to_contain_text("Sam Strong")
    eventually(
        lambda: (lambda a: (a["stage"], a["rejection_reason"]))(by_name(owner, job)["Sam Strong"]),
        ("rejected", "Chose another candidate."),
    )


def keyboard_move_to_rejected(page: Page, candidate: str) -> None:
    keyboard_move(page, candidate, "Rejected")
    expect(page.get_by_role("form", name=f"Reject {candidate}")).to_be_visible()
    expect(column(page, "rejected")).not_to_contain_text(candidate)  # not moved until the reason is given
