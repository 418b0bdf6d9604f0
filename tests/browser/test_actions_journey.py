"""An action plan in a real browser: the police contributor reports an action at risk
(with JavaScript off), adds evidence after a refused file, and raises a barrier; the
executive opens their dashboard, sees the overdue actions and the barrier, responds to
it, and downloads a CSV from the dashboard."""

import csv
import datetime
import io
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from actions.models import ActionStatus, Barrier, Evidence, ProgressUpdate
from actions.services.evidence import EVIDENCE_KINDS
from cspr import uploads
from tests.actions import builders
from tests.actions.conftest import LONDON, TODAY
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_smoke import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLICE_CHANGE = "Every officer attending a home records who lives there (fictional)."
HEALTH_CHANGE = "Health visitors see the child alone at each visit (fictional)."
HEALTH_BARRIER = "No health visitor in post until spring (fictional)."
PROGRESS_NOTE = "Half the teams briefed; the training room is booked out (fictional)."
EVIDENCE_TEXT = "Briefing attendance list for October (fictional)"
POLICE_BARRIER = "No trainer is free to brief the night shifts before March (fictional)."
RESPONSE = "The partnership will fund a trainer from January (fictional)."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def today():
    """Friday 4 December 2026 for the whole test, the live server's thread included (the
    builders' rapid review is dated in November 2026). The clock ticks on from there."""
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), tick=True):
        yield TODAY


def status_tag(page, text):
    """The tag by the action's heading (the page also has radios with the same words)."""
    return page.locator(".govuk-tag").get_by_text(text, exact=True)


def cells(table, heading):
    """The figures in the table's row headed `heading`."""
    header = table.page.get_by_role("rowheader", name=heading, exact=True)
    return table.get_by_role("row").filter(has=header).get_by_role("cell")


def plan_with_actions(world, today):
    """Child Q's rapid review plan: the police's action due next week, the health trust's
    added a month ago and overdue since Monday, with a barrier the business unit raised."""
    plan = builders.plan_for(world)
    police = builders.action_on(
        plan, world.police, today + datetime.timedelta(days=7), world=world, change=POLICE_CHANGE
    )
    health = builders.action_on(
        plan,
        world.health,
        today - datetime.timedelta(days=4),
        world=world,
        added_on=today - datetime.timedelta(days=30),
        change=HEALTH_CHANGE,
    )
    builders.barrier_on(health, world=world, description=HEALTH_BARRIER)
    return police, health


def police_reports_progress_without_javascript(browser, live_server):
    """The police contributor finds their action from the home page and reports it at
    risk, in a browser with JavaScript turned off."""
    with open_page(browser, javascript=False) as page:
        sign_in(page, live_server, "police")
        page.get_by_role("link", name="Northtown Police's actions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
        expect(page.get_by_text(POLICE_CHANGE)).to_be_visible()
        expect(page.get_by_text(HEALTH_CHANGE)).to_have_count(0)
        expect(page.get_by_text("Northtown Health Trust")).to_have_count(0)
        expect(page.get_by_text("1 action", exact=True)).to_be_visible()
        screenshot(page, "actions-police-list")

        page.get_by_role("link", name="Child Q: action 1").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Action 1")
        expect(status_tag(page, "Not started")).to_be_visible()
        page.get_by_text("Report progress", exact=True).first.click()
        page.get_by_role("radio", name="At risk").check()
        page.get_by_label("Progress", exact=True).fill(PROGRESS_NOTE)
        page.get_by_role("button", name="Report progress").click()
        expect(page.get_by_text("Progress recorded")).to_be_visible()
        expect(status_tag(page, "At risk")).to_be_visible()
        updates = page.get_by_role("table", name="Progress updates, newest first")
        expect(updates.get_by_role("row").filter(has_text=PROGRESS_NOTE)).to_contain_text("At risk")
        screenshot(page, "actions-police-progress-no-javascript")


def police_adds_evidence_and_raises_a_barrier(page, live_server, media):
    """Back with JavaScript on, from their dashboard: a refused file first, then the PDF,
    then a barrier."""
    sign_in(page, live_server, "police")
    page.get_by_role("link", name="Your dashboard").click()
    mine = page.get_by_role("region", name="Northtown Police")
    expect(mine.get_by_text(HEALTH_CHANGE)).to_have_count(0)
    row = mine.get_by_role("row").filter(has_text=POLICE_CHANGE)
    expect(row).to_contain_text("At risk")
    screenshot(page, "actions-police-dashboard")
    row.get_by_role("link", name="Action 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 1")

    page.get_by_text("Add evidence", exact=True).click()
    page.get_by_label("What does it show?").fill(EVIDENCE_TEXT)
    page.get_by_label("A file").set_input_files(
        files=[
            {
                "name": "attendance.pdf",
                "mimeType": "application/pdf",
                "buffer": b"<html><body>Not a PDF at all</body></html>",
            }
        ]
    )
    page.get_by_role("button", name="Add the evidence").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=uploads.type_message(EVIDENCE_KINDS))).to_be_visible()
    expect(page.get_by_label("What does it show?")).to_have_value(EVIDENCE_TEXT)
    assert page.title().startswith("Error: ")
    assert not Evidence.objects.exists()
    assert builders.stored_files(media) == []
    screenshot(page, "actions-police-evidence-refused")

    page.get_by_label("A file").set_input_files(
        files=[{"name": "attendance.pdf", "mimeType": "application/pdf", "buffer": builders.PDF}]
    )
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.get_by_text("Evidence added")).to_be_visible()
    expect(page.get_by_role("link", name=EVIDENCE_TEXT)).to_be_visible()
    expect(page.get_by_text("attendance.pdf")).to_be_visible()
    screenshot(page, "actions-police-evidence-added")

    page.get_by_text("Raise a barrier", exact=True).click()
    page.get_by_label("What stops the action being completed?").fill(POLICE_BARRIER)
    page.get_by_role("button", name="Raise the barrier").click()
    expect(page.get_by_text("Barrier raised and escalated to the executive")).to_be_visible()
    expect(page.get_by_text(POLICE_BARRIER)).to_be_visible()
    expect(page.get_by_text("Awaiting the executive")).to_be_visible()
    expect(status_tag(page, "At risk")).to_be_visible()
    expect(page.get_by_role("table", name="Progress updates, newest first")).to_contain_text(
        PROGRESS_NOTE
    )
    screenshot(page, "actions-police-barrier-raised")


def executive_reads_the_dashboard_and_responds(page, live_server, world):
    sign_in(page, live_server, "executive")
    page.get_by_role("link", name="Your dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    executive = page.get_by_role("region", name="Executive")

    expect(executive.get_by_role("heading", name="Cases by stage")).to_be_visible()
    world.case.refresh_from_db()
    stages = executive.get_by_role("table", name="Cases at each stage")
    expect(cells(stages, world.case.get_stage_display())).to_have_text("1")
    expect(executive.get_by_role("img", name="Cases by stage")).to_be_visible()

    timeliness = executive.get_by_role(
        "table", name="Statutory deadlines met and missed in the last 12 months"
    )
    # The builders' rapid review: the Panel notified in 5 days, the learning meeting held
    # in time, the report to the Panel not sent. Met, missed, not yet due, per cent, median.
    expect(cells(timeliness, "Notify the Panel")).to_have_text(["1", "0", "0", "100%", "5"])
    expect(cells(timeliness, "Send the rapid review report to the Panel")).to_have_text(
        ["0", "1", "0", "0%", "–"]
    )
    expect(executive.get_by_role("img", name="Statutory deadlines met")).to_be_visible()

    overdue = executive.get_by_role("table", name="Overdue actions by agency")
    expect(cells(overdue, "Northtown Health Trust")).to_have_text("1")
    expect(overdue.get_by_role("rowheader", name="Northtown Police")).to_have_count(0)
    chart = executive.get_by_role("img", name="Overdue actions by agency")
    expect(chart).to_be_visible()
    assert chart.evaluate("element => element.tagName.toLowerCase()") == "svg"
    expect(chart).to_contain_text("Northtown Health Trust")

    waiting = executive.get_by_role(
        "table", name="Barriers escalated to the executive with no response yet, oldest first"
    )
    expect(waiting.get_by_role("row").filter(has_text=HEALTH_BARRIER)).to_contain_text(
        "Northtown Health Trust"
    )
    police_row = waiting.get_by_role("row").filter(has_text=POLICE_BARRIER)
    expect(police_row).to_contain_text("Northtown Police")
    screenshot(page, "actions-executive-dashboard")

    police_row.get_by_role("link", name="Action 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 1")
    page.get_by_label("The executive's response").fill(RESPONSE)
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text("Response recorded")).to_be_visible()
    expect(page.get_by_text(RESPONSE)).to_be_visible()
    expect(page.get_by_text("Awaiting the executive")).to_have_count(0)
    screenshot(page, "actions-executive-barrier-answered")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Barriers to actions, escalated to the executive").click()
    answered = page.get_by_role("table", name="Barriers answered and still open")
    expect(answered.get_by_role("row").filter(has_text=POLICE_BARRIER)).to_contain_text(RESPONSE)
    awaiting = page.get_by_role("table", name="Barriers awaiting the executive's response")
    expect(awaiting.get_by_role("row").filter(has_text=HEALTH_BARRIER)).to_have_count(1)
    expect(awaiting.get_by_text(POLICE_BARRIER)).to_have_count(0)
    screenshot(page, "actions-executive-barriers")


def executive_downloads_a_csv(page, live_server):
    page.goto(f"{live_server.url}/")
    screenshot(page, "actions-executive-home")
    page.get_by_role("link", name="Your dashboard").click()
    screenshot(page, "actions-executive-dashboard-again")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download overdue actions by agency (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"overdue-actions-by-agency-{TODAY.isoformat()}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Agency", "Overdue actions"],
        ["Northtown Health Trust", "1"],
    ]


def test_the_police_update_their_action_and_the_executive_answers_the_barrier(
    browser, page, live_server, world, media, today
):
    police, _ = plan_with_actions(world, today)

    police_reports_progress_without_javascript(browser, live_server)
    update = ProgressUpdate.objects.get(action=police)
    assert (update.status, update.text, update.by) == (
        ActionStatus.AT_RISK,
        PROGRESS_NOTE,
        world["police_contributor"],
    )

    police_adds_evidence_and_raises_a_barrier(page, live_server, media)
    evidence = Evidence.objects.get()
    assert (evidence.action, evidence.original_name) == (police, "attendance.pdf")
    assert len(builders.stored_files(media)) == 1
    raised = Barrier.objects.get(action=police)
    assert raised.raised_by == world["police_contributor"]

    with open_page(browser, accept_downloads=True) as executive_page:
        executive_reads_the_dashboard_and_responds(executive_page, live_server, world)
        raised.refresh_from_db()
        assert (raised.response, raised.responded_by) == (RESPONSE, world["executive"])
        executive_downloads_a_csv(executive_page, live_server)
