"""A business manager sees a reminder in their notifications and marks it read."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from cspr.deadline_rules import Rule
from cspr.services.deadlines import deadline_set
from cspr.services.reminder_sweep import reminders_sweep
from tests.browser.conftest import screenshot
from tests.browser.test_smoke import sign_in
from tests.cspr.test_reminders import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reminder_reaches_the_notifications_list_and_is_marked_read(page, live_server, world):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline_set(
            case=world.case,
            rule=Rule.OTHER,
            anchor_date=datetime.date(2027, 3, 1),
            anchor_event="the business unit set it",
            due_on=datetime.date(2027, 3, 4),
            title="Chronology template agreed",
            by=world["business_manager"],
        )
    reminders_sweep(now=at(2027, 3, 1, 8))

    sign_in(page, live_server, "manager")
    link = page.get_by_role("link", name="Notifications 1 unread")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    reminder = page.get_by_role(
        "link", name="Child Q: Chronology template agreed is due in 3 working days"
    )
    expect(reminder).to_be_visible()
    screenshot(page, "notifications-unread")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("Marked as read")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    screenshot(page, "notifications-read")
    reminder.click()
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    screenshot(page, "deadline-reminders")
