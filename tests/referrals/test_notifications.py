"""The serious incident notification (R2): deadline, late flag, pages over every persona."""

import datetime

import pytest
from django.urls import reverse

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from referrals.models import Notification
from referrals.notifications import notification_open, notification_record_sent
from tests.conftest import PERSONAS

D = datetime.date
AWARE = D(2026, 11, 4)  # Wednesday: due Wednesday 11 November
IN_TIME = D(2026, 11, 10)


def sent(notification, by, on=IN_TIME, late_reason=""):
    return notification_record_sent(
        notification=notification,
        sent_on=on,
        panel_reference="CSPR-0001",
        notified_by="A. Fictional, Head of Service",
        partnership_told_on=on,
        late_reason=late_reason,
        by=by,
    )


@pytest.fixture
def notification(world):
    return notification_open(case=world.case, date_aware=AWARE, by=world["business_manager"])


def test_recording_awareness_sets_the_five_working_day_deadline(world, notification):
    assert notification.deadline.due_on == D(2026, 11, 11)
    assert notification.deadline.rule == "notification"
    assert world.case.events.filter(kind=EventKind.NOTIFICATION_AWARE).exists()


def test_a_case_has_one_notification(world, notification):
    with pytest.raises(TransitionNotAllowed, match="already"):
        notification_open(case=world.case, date_aware=AWARE, by=world["business_manager"])


@pytest.mark.parametrize(
    "persona", ["subgroup_chair", "executive", "police_contributor", "stranger"]
)
def test_only_the_business_unit_records_a_notification(world, persona):
    with pytest.raises(TransitionNotAllowed):
        notification_open(case=world.case, date_aware=AWARE, by=world[persona])


def test_sent_in_time_meets_the_deadline(world, notification):
    sent(notification, world["business_manager"])
    notification.refresh_from_db()
    assert not notification.is_late
    assert notification.deadline.status == DeadlineStatus.MET


def test_sent_late_needs_a_reason_and_misses_the_deadline(world, notification):
    manager = world["business_manager"]
    with pytest.raises(Incomplete, match="say why it was late"):
        sent(notification, manager, on=D(2026, 11, 12))
    sent(notification, manager, on=D(2026, 11, 12), late_reason="Awareness came late on a Friday")
    notification.refresh_from_db()
    assert notification.is_late
    assert notification.deadline.status == DeadlineStatus.MISSED
    event = world.case.events.get(kind=EventKind.NOTIFICATION_SENT)
    assert "(late)" in event.summary and "CSPR-0001" in event.summary


def test_sending_twice_or_before_awareness_is_refused(world, notification):
    manager = world["business_manager"]
    with pytest.raises(Incomplete, match="before the date aware"):
        sent(notification, manager, on=D(2026, 11, 3))
    sent(notification, manager)
    with pytest.raises(TransitionNotAllowed, match="already"):
        sent(notification, manager)


SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}
CASE_VISIBLE = SEES | {"police_contributor"}

# name: (needs a notification, method, url, data, expected(persona))
VIEWS = {
    "notification-detail": (
        True,
        "get",
        lambda w: reverse("notification-detail", args=[w.case.pk]),
        None,
        lambda p: 200 if p in SEES else 404,
    ),
    "notification-aware": (
        False,
        "post",
        lambda w: reverse("notification-aware", args=[w.case.pk]),
        {"date_aware": "2026-11-04"},
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "notification-sent": (
        True,
        "post",
        lambda w: reverse("notification-sent", args=[w.case.pk]),
        {"sent_on": "2026-11-10", "panel_reference": "CSPR-1", "notified_by": "A. Fictional"},
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_notification_view_answers_each_persona(client, world, name, persona):
    needs, method, url, data, expected = VIEWS[name]
    if needs:
        notification_open(case=world.case, date_aware=AWARE, by=world["business_manager"])
    client.force_login(world[persona])
    response = getattr(client, method)(url(world), data)
    assert response.status_code == expected(persona)


def test_a_late_notification_without_a_reason_is_refused_on_the_page(client, world, notification):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("notification-sent", args=[world.case.pk]),
        {"sent_on": "2026-11-13", "panel_reference": "CSPR-9", "notified_by": "A. Fictional"},
    )
    html = response.content.decode()
    assert "It was due by 11 November 2026: say why it was late" in html
    assert 'value="CSPR-9"' in html
    assert not Notification.objects.get(pk=notification.pk).is_sent


def test_the_page_warns_that_a_looked_after_childs_death_is_always_notified(client, world):
    from referrals import services
    from tests.referrals.conftest import make_draft

    fields = {
        "incident_date": D(2026, 11, 2),
        "nature": "death",
        "looked_after": True,
        "case_outline": "Fictional",
    }
    referral = services.referral_submit(
        referral=make_draft(world, fields=fields), by=world["police_contributor"]
    )
    services.referral_triage(
        referral=referral, case=world.case, note="x", by=world["business_manager"]
    )
    client.force_login(world["business_manager"])
    html = client.get(reverse("notification-detail", args=[world.case.pk])).content.decode()
    assert "must be notified whether or not abuse or neglect is known or suspected" in html
