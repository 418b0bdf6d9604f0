"""Opening a rapid review, information requests and secured records (R3, R4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr import access
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import ClockStart, EventKind, Stage
from rapid_reviews import services
from rapid_reviews.models import InformationRequest
from referrals.notifications import notification_open, notification_record_sent
from tests.conftest import PERSONAS, fresh

D = datetime.date
TOLD = D(2026, 11, 10)


def notify(world, told_on=TOLD):
    manager = world["business_manager"]
    notification = notification_open(case=world.case, date_aware=D(2026, 11, 4), by=manager)
    return notification_record_sent(
        notification=notification,
        sent_on=D(2026, 11, 9),
        panel_reference="CSPR-1",
        notified_by="A. Fictional",
        partnership_told_on=told_on,
        late_reason="",
        by=manager,
    )


@pytest.fixture
def review(world):
    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


def future(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_opening_sets_the_meeting_window_and_the_report_deadline(world, review):
    # Notification sent Mon 9 Nov: meeting 6 to 10 working days later (17 to 23 Nov).
    assert (review.meeting_deadline.opens_on, review.meeting_deadline.due_on) == (
        D(2026, 11, 17),
        D(2026, 11, 23),
    )
    # The partnership was told Tue 10 Nov (the seeds' clock): 15 working days is 1 Dec.
    assert review.clock_start == D(2026, 11, 10)
    assert review.report_deadline.due_on == D(2026, 12, 1)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.RAPID_REVIEW
    assert world.case.events.filter(kind=EventKind.RAPID_REVIEW_OPENED).exists()


def test_the_partnership_can_count_from_the_day_the_notification_was_sent(world):
    world.partnership.rapid_review_clock_start = ClockStart.NOTIFICATION_SENT
    world.partnership.save()
    notify(world)
    review = services.rapid_review_open(case=world.case, by=world["business_manager"])
    assert review.clock_start == D(2026, 11, 9)
    assert review.report_deadline.due_on == D(2026, 11, 30)
    assert "sent to the Panel" in review.report_deadline.explanation()


def test_counting_from_the_partnership_needs_the_day_it_was_told(world):
    notify(world, told_on=None)
    with pytest.raises(Incomplete, match="partnership was told"):
        services.rapid_review_open(case=world.case, by=world["business_manager"])


def test_a_rapid_review_needs_a_notification_or_a_decision_to_convene(world):
    with pytest.raises(TransitionNotAllowed, match="follows a notification"):
        services.rapid_review_open(case=world.case, by=world["business_manager"])


def test_the_sub_groups_decision_to_convene_starts_the_clock_without_a_notification(world):
    from referrals import services as referrals
    from tests.referrals.conftest import make_draft

    referral = referrals.referral_submit(referral=make_draft(world), by=world["police_contributor"])
    referrals.referral_triage(
        referral=referral, case=world.case, note="x", by=world["business_manager"]
    )
    referrals.referral_decide(
        referral=referral,
        decision="rapid_review",
        rationale="No notification needed",
        by=world["subgroup_chair"],
    )
    review = services.rapid_review_open(case=world.case, by=world["business_manager"])
    assert review.clock_start == timezone.localdate()


def test_a_case_has_one_rapid_review_and_only_the_business_unit_opens_it(world, review):
    with pytest.raises(TransitionNotAllowed, match="already"):
        services.rapid_review_open(case=world.case, by=world["business_manager"])
    with pytest.raises(TransitionNotAllowed):
        services.rapid_review_open(case=world.other_case, by=world["subgroup_chair"])


def test_a_request_lets_the_agency_see_the_case_and_its_own_request_only(world, review):
    health = fresh(world["health_contributor"])
    assert not access.can(health, access.VIEW, world.case)
    request = services.information_request_send(
        rapid_review=review,
        agency=world.health,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    )
    health = fresh(health)
    assert access.can(health, access.VIEW, world.case)
    assert request.deadline.due_on == future(1)
    assert request.deadline.rule == "agency_return"


def test_a_due_date_too_close_to_the_meeting_is_sent_with_a_warning(world, review):
    request = services.information_request_send(
        rapid_review=review,
        agency=world.health,
        due_on=future(60),
        note="",
        by=world["business_manager"],
    )
    assert "less than 2 working days to collate" in request.collation_warning


def test_an_agency_is_asked_once_and_only_an_agency_of_the_partnership(world, review):
    from tests.factories import AgencyFactory

    manager = world["business_manager"]
    services.information_request_send(
        rapid_review=review, agency=world.health, due_on=future(1), note="", by=manager
    )
    with pytest.raises(TransitionNotAllowed, match="already been asked"):
        services.information_request_send(
            rapid_review=review, agency=world.health, due_on=future(1), note="", by=manager
        )
    elsewhere = AgencyFactory(partnership=world.other_partnership)
    with pytest.raises(TransitionNotAllowed):
        services.information_request_send(
            rapid_review=review, agency=elsewhere, due_on=future(1), note="", by=manager
        )


def test_a_due_date_in_the_past_is_refused(world, review):
    with pytest.raises(Incomplete):
        services.information_request_send(
            rapid_review=review,
            agency=world.health,
            due_on=D(2020, 1, 1),
            note="",
            by=world["business_manager"],
        )


def test_only_the_agency_asked_confirms_its_records_are_secured_once(world, review):
    request = services.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    )
    for persona in ("health_contributor", "business_manager"):
        with pytest.raises(TransitionNotAllowed):
            services.records_secured_confirm(request=request, by=world[persona])
    services.records_secured_confirm(request=request, by=world["police_contributor"])
    request.refresh_from_db()
    assert request.records_secured_by == world["police_contributor"]
    with pytest.raises(TransitionNotAllowed, match="already confirmed"):
        services.records_secured_confirm(request=request, by=world["police_contributor"])


SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}


@pytest.fixture
def police_request(world, review):
    return services.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    )


# name: (fixture, method, url(world, obj), data, expected(persona))
VIEWS = {
    "rapid-review-detail": (
        "review",
        "get",
        lambda w, o: reverse("rapid-review-detail", args=[w.case.pk]),
        None,
        lambda p: 200 if p in SEES else 404,
    ),
    "rapid-review-open": (
        None,
        "post",
        lambda w, o: reverse("rapid-review-open", args=[w.case.pk]),
        None,
        lambda p: 200 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "information-request-send": (
        "review",
        "post",
        lambda w, o: reverse("information-request-send", args=[w.case.pk]),
        "health-request",
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "collated-pack": (
        "review",
        "get",
        lambda w, o: reverse("collated-pack", args=[w.case.pk]),
        None,
        lambda p: 200 if p in SEES else 404,
    ),
    "collated-pack-pdf": (
        "review",
        "get",
        lambda w, o: reverse("collated-pack-pdf", args=[w.case.pk]),
        None,
        lambda p: 200 if p in SEES else 404,
    ),
    "request-detail": (
        "police_request",
        "get",
        lambda w, o: reverse("request-detail", args=[o.pk]),
        None,
        lambda p: 200 if p in SEES - {"reviewer"} | {"police_contributor"} else 404,
    ),
    "records-secured": (
        "police_request",
        "post",
        lambda w, o: reverse("records-secured", args=[o.pk]),
        None,
        lambda p: 302 if p == "police_contributor" else 403 if p in SEES - {"reviewer"} else 404,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_rapid_review_view_answers_each_persona(request, client, world, name, persona):
    fixture, method, url, data, expected = VIEWS[name]
    obj = request.getfixturevalue(fixture) if fixture else None
    if data == "health-request":
        data = {"agency": world.health.pk, "due_on": future(1).isoformat()}
    client.force_login(world[persona])
    response = getattr(client, method)(url(world, obj), data)
    assert response.status_code == expected(persona)


def test_opening_without_a_notification_shows_why_on_the_page(client, world):
    client.force_login(world["business_manager"])
    response = client.post(reverse("rapid-review-open", args=[world.case.pk]))
    assert "follows a notification sent to the Panel" in response.content.decode()


def test_another_agency_cannot_see_or_guess_a_request(client, world, police_request):
    client.force_login(world["health_contributor"])
    assert client.get(reverse("request-detail", args=[police_request.pk])).status_code == 404
    assert client.post(reverse("records-secured", args=[police_request.pk])).status_code == 404
    assert InformationRequest.objects.get(pk=police_request.pk).records_secured_at is None


def test_the_agency_sees_its_request_on_its_home_page(client, world, police_request):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("request-detail", args=[police_request.pk]) in html
