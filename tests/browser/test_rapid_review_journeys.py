"""The rapid review journeys in a real browser: an agency's return, the business unit's
review from opening to the report."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapid_reviews import services
from rapid_reviews.models import InformationReturn, LearningMeeting
from referrals.notifications import notification_open, notification_record_sent
from tests.browser.conftest import (
    pdf_text_if_tagged,
    press_on,
    screenshot,
    type_date,
    type_into,
)
from tests.browser.test_smoke import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def notified(world):
    manager = world["business_manager"]
    today = timezone.localdate()
    notification = notification_open(case=world.case, date_aware=today, by=manager)
    notification_record_sent(
        notification=notification,
        sent_on=today,
        panel_reference="CSPR-BROWSER",
        notified_by="A. Fictional",
        partnership_told_on=today,
        late_reason="",
        by=manager,
    )


def police_asked_for_a_return(world):
    """The rapid review open, and a request sent to the police."""
    notified(world)
    review = services.rapid_review_open(case=world.case, by=world["business_manager"])
    services.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        note="Return and chronology, please.",
        by=world["business_manager"],
    )


def test_an_agency_opens_its_request_fills_the_chronology_and_submits(page, live_server, world):
    police_asked_for_a_return(world)
    sign_in(page, live_server, "police")
    page.get_by_role("link", name="Child Q").first.click()
    page.get_by_role("button", name="Confirm our records are secured").click()
    page.get_by_role("link", name="Write the return").click()

    page.get_by_label("Period of involvement").fill("2025 to 2026")
    page.get_by_label("Extent of involvement").fill("Two call-outs (fictional).")
    page.get_by_label("Key practice episodes").fill("A fictional episode.")
    page.get_by_label("Analysis against the criteria").fill("Information was not shared.")
    page.get_by_label("Immediate actions already taken").fill("Staff briefing.")
    page.get_by_label("Author").fill("Sam Fictional")
    page.get_by_label("Signed off by").fill("Chief Inspector Fictional")
    page.get_by_label("Date signed off").fill("2026-11-05")
    # A half-filled row first: the page says what is missing and keeps the text.
    page.locator("#id_rows-0-date").fill("2026-10-01")
    page.locator("#id_rows-0-event").fill("Call-out to the home")
    page.get_by_role("button", name="Save and add another row").click()
    expect(page.get_by_text("Chronology row 1: Enter the source of information")).to_be_visible()
    assert page.locator("#id_rows-0-event").input_value() == "Call-out to the home"
    screenshot(page, "return-row-error")
    page.locator("#id_rows-0-source").fill("Police log")
    page.get_by_role("button", name="Save and add another row").click()
    page.locator("#id_rows-1-date").fill("2026-09-15")
    page.locator("#id_rows-1-source").fill("Custody record")
    page.locator("#id_rows-1-event").fill("Earlier contact")
    screenshot(page, "return-second-row")
    page.get_by_role("button", name="Submit the return").click()

    expect(page.get_by_text("Return submitted. It is now locked.")).to_be_visible()
    information_return = InformationReturn.objects.get(request__agency=world.police)
    assert information_return.status == "submitted"
    assert list(information_return.entries.values_list("event", flat=True)) == [
        "Earlier contact",
        "Call-out to the home",
    ]
    screenshot(page, "return-submitted")


def test_an_agency_completes_its_return_with_the_keyboard_only(page, live_server, world):
    """No mouse: Tab to each field and control, type, press Enter. The error summary
    takes the focus when a row is incomplete, and its link leads to the field."""
    police_asked_for_a_return(world)
    sign_in(page, live_server, "police")
    press_on(page, page.get_by_role("link", name="Child Q").first)
    screenshot(page, "keyboard-request")
    press_on(page, page.get_by_role("button", name="Confirm our records are secured"))
    expect(page.get_by_text("Records secured")).to_be_visible()
    screenshot(page, "keyboard-records-secured")
    press_on(page, page.get_by_role("link", name="Write the return"))
    screenshot(page, "keyboard-return-form")

    for label, text in (
        ("Period of involvement", "2025 to 2026"),
        ("Extent of involvement", "Two call-outs (fictional)."),
        ("Key practice episodes", "A fictional episode."),
        ("Analysis against the criteria", "Information was not shared."),
        ("Immediate actions already taken", "Staff briefing."),
        ("Author", "Sam Fictional"),
        ("Signed off by", "Chief Inspector Fictional"),
    ):
        type_into(page, page.get_by_label(label), text)
    type_date(page, page.get_by_label("Date signed off"), datetime.date(2026, 11, 5))
    type_date(page, page.locator("#id_rows-0-date"), datetime.date(2026, 10, 1))
    type_into(page, page.locator("#id_rows-0-event"), "Call-out to the home")
    press_on(page, page.get_by_role("button", name="Save and add another row"))

    # The source is missing: the error summary has the focus, and its link the field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    screenshot(page, "keyboard-return-error")
    press_on(
        page,
        summary.get_by_role("link", name="Chronology row 1: Enter the source"),
        opens_page=False,  # a link to the field, on the same page
    )
    expect(page.locator("#id_rows-0-source")).to_be_focused()
    page.keyboard.type("Police log")
    press_on(page, page.get_by_role("button", name="Save and add another row"))
    screenshot(page, "keyboard-return-second-row")
    press_on(page, page.get_by_role("button", name="Submit the return"))

    expect(page.get_by_text("Return submitted. It is now locked.")).to_be_visible()
    screenshot(page, "keyboard-return-submitted")
    information_return = InformationReturn.objects.get(request__agency=world.police)
    assert information_return.status == "submitted"
    assert information_return.signed_off_on == datetime.date(2026, 11, 5)
    entry = information_return.entries.get()
    assert (entry.date, entry.source, entry.event) == (
        datetime.date(2026, 10, 1),
        "Police log",
        "Call-out to the home",
    )


def test_the_business_unit_opens_the_review_records_the_decision_and_gets_the_report(
    page, live_server, world
):
    notified(world)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/cases/{world.case.pk}/rapid-review/")
    page.get_by_role("button", name="Open the rapid review").click()
    expect(page.get_by_text("Rapid review opened")).to_be_visible()

    page.get_by_label("Agency", exact=True).select_option(label="Northtown Police")
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page.get_by_label("Return due by").fill(due)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request sent to Northtown Police")).to_be_visible()

    page.get_by_role("link", name="Record the learning meeting").click()
    screenshot(page, "rapid-review-meeting-form")
    page.get_by_label("Date of the learning meeting").fill(timezone.localdate().isoformat())
    page.get_by_label("Attendees").fill("Chair (fictional)\nPolice lead (fictional)")
    page.locator("#id_actions-0-description").fill("Brief all staff on information sharing")
    page.get_by_label("A local child safeguarding practice review").check()
    page.get_by_label(
        "Rationale: highlights concerns about two or more agencies working together"
    ).fill("Agencies did not share information (fictional).")
    page.get_by_label("Overall rationale").fill("Learning about information sharing.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Learning meeting recorded")).to_be_visible()
    assert LearningMeeting.objects.get().recommendation == "local_cspr"
    screenshot(page, "rapid-review-decision")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rapid review report (PDF)").click()
    path = download.value.path()
    text = pdf_text_if_tagged(path)
    assert "Child Q" in text
    assert "Brief all staff on information sharing" in text
