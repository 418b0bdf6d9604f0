"""The notifications list over every persona, and what it shows to the people using it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cspr import access
from cspr.deadline_rules import Rule
from cspr.models import Reminder, ReminderStatus
from cspr.services.deadlines import deadline_set
from cspr.services.reminder_sweep import reminders_sweep
from tests.conftest import PERSONAS
from tests.cspr.test_reminders import at

D = datetime.date


@pytest.fixture
def told(world):
    """Reminders collected for the business manager and the police about Child Q."""
    with time_machine.travel(at(2027, 3, 1), tick=False):
        deadline = deadline_set(
            case=world.case,
            rule=Rule.AGENCY_RETURN,
            anchor_date=D(2027, 3, 1),
            anchor_event="the information request",
            due_on=D(2027, 3, 4),
            title="Northtown Police information return",
            agency=world.police,
            by=world["business_manager"],
        )
    reminders_sweep(now=at(2027, 3, 1, 8))
    return deadline


def mine(world, persona):
    return Reminder.objects.get(recipient=world[persona], status=ReminderStatus.NOTIFIED)


# name: (method, url builder, data, expected status by persona)
VIEWS = {
    "notification-list": (
        "get",
        lambda w: reverse("notification-list"),
        None,
        lambda p: 200,
    ),
    "notification-read": (
        "post",
        lambda w: reverse("notification-read", args=[mine(w, "business_manager").pk]),
        {},
        lambda p: 302 if p == "business_manager" else 404,
    ),
    "notification-read-all": (
        "post",
        lambda w: reverse("notification-read-all"),
        {},
        lambda p: 302,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_notification_view_answers_each_persona(client, world, told, name, persona):
    method, url, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(url(world), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("name", VIEWS)
def test_every_notification_view_sends_an_anonymous_visitor_to_sign_in(client, world, told, name):
    method, url, data, _ = VIEWS[name]
    response = getattr(client, method)(url(world), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_list_shows_your_reminders_with_the_unread_count_in_the_header(client, world, told):
    client.force_login(world["business_manager"])
    html = client.get(reverse("notification-list")).content.decode()
    assert "Child Q: Northtown Police information return is due in 3 working days" in html
    assert '<span class="app-count">1<span class="govuk-visually-hidden"> unread</span>' in html
    assert reverse("deadline-detail", args=[world.case.pk, told.pk]) in html


def test_an_agency_contributor_is_sent_to_the_case_not_the_deadline_page(client, world, told):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("notification-list")).content.decode()
    assert "Northtown Police information return" in html
    assert reverse("case-detail", args=[world.case.pk]) in html
    assert reverse("deadline-detail", args=[world.case.pk, told.pk]) not in html


def test_nobody_sees_anothers_notifications(client, world, told):
    from cspr.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(partnership=world.partnership, roles=[Role.BUSINESS_UNIT])
    client.force_login(colleague)  # sees Child Q, but was not told of it
    html = client.get(reverse("notification-list")).content.decode()
    assert "Northtown Police information return" not in html
    assert "No notifications yet" in html
    response = client.post(reverse("notification-read", args=[mine(world, "business_manager").pk]))
    assert response.status_code == 404
    assert mine(world, "business_manager").read_at is None


def test_a_notification_about_a_case_you_can_no_longer_see_disappears(client, world, told):
    access.revoke_agency(world.case, world.police)
    client.force_login(world["police_contributor"])
    html = client.get(reverse("notification-list")).content.decode()
    assert "Child Q" not in html
    # Nor is it counted, in the header or on the page, though it is still unread.
    assert mine(world, "police_contributor").read_at is None
    assert "app-count" not in html and "Nothing unread." in html
    response = client.post(
        reverse("notification-read", args=[mine(world, "police_contributor").pk])
    )
    assert response.status_code == 404


def test_marking_read_changes_only_your_own(client, world, told):
    client.force_login(world["business_manager"])
    client.post(reverse("notification-read", args=[mine(world, "business_manager").pk]))
    assert mine(world, "business_manager").read_at is not None
    assert mine(world, "police_contributor").read_at is None
    html = client.get(reverse("notification-list"), {"show": "unread"}).content.decode()
    assert "No unread notifications" in html
    assert "app-count" not in html


def test_mark_all_read(client, world, told):
    client.force_login(world["police_contributor"])
    response = client.post(reverse("notification-read-all"), follow=True)
    assert "1 marked as read" in response.content.decode()
    assert mine(world, "police_contributor").read_at is not None


def test_reading_does_not_change_on_a_get(client, world, told):
    client.force_login(world["business_manager"])
    url = reverse("notification-read", args=[mine(world, "business_manager").pk])
    assert client.get(url).status_code == 405
    assert mine(world, "business_manager").read_at is None


def test_the_deadline_page_shows_the_business_unit_which_reminders_went_out_and_when(
    client, world, told
):
    client.force_login(world["business_manager"])
    html = client.get(reverse("deadline-detail", args=[world.case.pk, told.pk])).content.decode()
    rows = html.split('<h2 class="govuk-heading-m">Reminders</h2>')[1].split("</table>")[0]
    # The police and the manager: 3 days before (collected), 1 day before and on the day
    # (waiting); the manager also the escalation.
    assert rows.count('<tr class="govuk-table__row">') == 1 + 3 + 4
    assert rows.count("3 working days before") == 2
    assert rows.count("Waiting for its day") == 5
    assert rows.count("In notifications") == 2
    assert "No e-mail address: notifications only." in rows  # the test people have none


@pytest.mark.parametrize("persona", ["subgroup_member", "subgroup_chair", "executive", "reviewer"])
def test_only_the_business_unit_sees_who_was_reminded(client, world, told, persona):
    client.force_login(world[persona])
    response = client.get(reverse("deadline-detail", args=[world.case.pk, told.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reminders</h2>" not in html
    assert "notifications only" not in html


def test_marking_read_keeps_the_list_as_it_was(client, world, told):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("notification-read", args=[mine(world, "business_manager").pk]),
        {"show": "unread", "page": "1"},
    )
    assert response["Location"] == reverse("notification-list") + "?show=unread&page=1"
    response = client.post(reverse("notification-read-all"), {"show": "<script>"})
    assert response["Location"] == reverse("notification-list")
