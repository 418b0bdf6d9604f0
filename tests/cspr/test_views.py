"""Every kernel view over every persona, then what each page does for the people using it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr.deadline_rules import Rule
from cspr.models import CalendarDay, Case, CaseEvent, ChildRecord, DeadlineStatus, EventKind
from cspr.services.deadlines import deadline_set
from tests.conftest import PERSONAS

D = datetime.date
ALL = set(PERSONAS)
PARTNERSHIP_WIDE = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}
SEES_CASE = PARTNERSHIP_WIDE | {"police_contributor", "reviewer"}
SEES_DEADLINES = PARTNERSHIP_WIDE | {"reviewer"}


@pytest.fixture
def deadline(world):
    return deadline_set(
        case=world.case,
        rule=Rule.NOTIFICATION,
        anchor_date=D(2026, 11, 4),
        anchor_event="the local authority became aware",
        by=world["business_manager"],
    )


@pytest.fixture
def admin_day(world):
    return CalendarDay.objects.create(
        day=D(2026, 11, 6), is_working=False, title="One-off", source="administrator"
    )


def status_for(persona, *, allowed, seen=ALL, ok=200):
    """`ok` for the allowed, 403 for those who see the object but may not act, else 404."""
    if persona in allowed:
        return ok
    return 403 if persona in seen else 404


# name: (method, url builder, data, expected status builder)
VIEWS = {
    "home": ("get", lambda w, d: reverse("home"), None, lambda p: 200),
    "case-list": ("get", lambda w, d: reverse("case-list"), None, lambda p: 200),
    "case-open": (
        "get",
        lambda w, d: reverse("case-open"),
        None,
        lambda p: 200 if p in {"business_manager", "stranger"} else 403,
    ),
    "case-detail": (
        "get",
        lambda w, d: reverse("case-detail", args=[w.case.pk]),
        None,
        lambda p: status_for(p, allowed=SEES_CASE, seen=SEES_CASE),
    ),
    "child-record-edit": (
        "get",
        lambda w, d: reverse("child-record-edit", args=[w.case.pk]),
        None,
        lambda p: status_for(p, allowed={"business_manager"}, seen=SEES_CASE),
    ),
    "deadline-detail": (
        "get",
        lambda w, d: reverse("deadline-detail", args=[w.case.pk, d.pk]),
        None,
        lambda p: status_for(p, allowed=SEES_DEADLINES, seen=SEES_DEADLINES),
    ),
    "deadline-action": (
        "post",
        lambda w, d: reverse("deadline-action", args=[w.case.pk, d.pk, "waive"]),
        {"waive-reason": "Case closed"},
        lambda p: status_for(p, allowed={"business_manager"}, seen=SEES_DEADLINES, ok=302),
    ),
    "calendar": ("get", lambda w, d: reverse("calendar"), None, lambda p: 200),
    "calendar-day-set": (
        "post",
        lambda w, d: reverse("calendar-day-set"),
        {"day": "2026-11-05", "is_working": "false", "title": "One-off", "reason": "Announced"},
        lambda p: 302 if p == "administrator" else 403,
    ),
    "calendar-day-undo": (
        "post",
        lambda w, d: reverse("calendar-day-undo", args=["2026-11-06"]),
        {"reason": "Entered in error"},
        lambda p: 302 if p == "administrator" else 403,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_view_answers_each_persona_as_the_policy_says(
    client, world, deadline, admin_day, name, persona
):
    method, url, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(url(world, deadline), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_sends_an_anonymous_visitor_to_sign_in(client, world, deadline, name):
    method, url, data, _ = VIEWS[name]
    response = getattr(client, method)(url(world, deadline), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


# Every URL pattern of the project, admin included, has its entry in the one permission
# matrix: tests/security/test_matrix.py (`test_every_url_pattern_has_an_entry_in_the_matrix`).


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_reach_the_django_admin(client, world, persona):
    client.force_login(world[persona])
    response = client.get("/admin/")
    assert response.status_code == (200 if persona == "administrator" else 302)


def test_the_health_check_answers_without_signing_in(client, db):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_signing_in_and_out(client, world):
    from tests.cspr.test_accounts import signed_in

    signed_in(client, world["business_manager"])
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("sign-out"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_username(client, world):
    response = client.post(reverse("sign-in"), {"username": "manager", "password": "wrong"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html
    assert 'value="manager"' in html


def test_the_home_page_lists_the_20_deadlines_due_soonest_and_says_how_many_there_are(
    client, world
):
    from cspr.views.home import SHOWN
    from tests.factories import DeadlineFactory

    today = timezone.localdate()
    for n in range(SHOWN + 2):
        DeadlineFactory(
            case=world.case,
            rule=Rule.OTHER,
            title=f"Deadline {n:02d}",
            due_on=today - datetime.timedelta(days=n),
        )
    client.force_login(world["business_manager"])
    html = client.get(reverse("home")).content.decode()

    assert f"These are the {SHOWN} due soonest of {SHOWN + 2}." in html
    assert "Deadline 21" in html and "Deadline 01" not in html  # the oldest overdue first


def test_the_case_list_shows_only_what_the_person_may_see(client, world):
    client.force_login(world["stranger"])
    html = client.get(reverse("case-list")).content.decode()
    assert "Child Z" in html
    assert "Child Q" not in html


def test_the_case_list_filters_by_stage_and_name(client, world):
    Case.objects.filter(pk=world.case.pk).update(stage="rapid_review")
    client.force_login(world["business_manager"])
    assert "Child Q" in client.get(reverse("case-list"), {"stage": "rapid_review"}).content.decode()
    assert "Child Q" not in client.get(reverse("case-list"), {"stage": "referral"}).content.decode()
    assert "Child Q" not in client.get(reverse("case-list"), {"q": "Child X"}).content.decode()


def test_the_case_list_filters_overdue_deadlines(client, world, deadline):
    client.force_login(world["business_manager"])
    html = client.get(reverse("case-list"), {"deadline": "overdue"}).content.decode()
    assert "Child Q" in html
    assert "Overdue by" in html


def test_the_case_list_paginates(client, world):
    from tests.factories import CaseFactory

    for _ in range(30):
        CaseFactory(partnership=world.partnership)
    client.force_login(world["business_manager"])
    first = client.get(reverse("case-list")).content.decode()
    second = client.get(reverse("case-list"), {"page": 2}).content.decode()
    assert "31 cases" in first
    assert "Child Q" in second and "Child Q" not in first  # newest first


def test_the_case_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    from tests.factories import CaseFactory, DeadlineFactory

    client.force_login(world["business_manager"])
    client.get(reverse("case-list"))
    for _ in range(20):
        DeadlineFactory(case=CaseFactory(partnership=world.partnership))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("case-list"))
    assert response.status_code == 200


def test_opening_a_case_keeps_what_was_typed_when_something_is_wrong(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("case-open"),
        {"pseudonym": "Child T", "given_names": "Kit", "family_name": "", "sex": "male"},
    )
    html = response.content.decode()
    assert "Enter the child&#x27;s family name" in html
    assert 'value="Child T"' in html and 'value="Kit"' in html
    assert not Case.objects.filter(pseudonym="Child T").exists()


def test_opening_a_case_with_a_name_in_use_is_refused_on_the_page(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("case-open"),
        {"pseudonym": "child q", "given_names": "Kit", "family_name": "Doe", "sex": "male"},
    )
    assert "There is already a case called" in response.content.decode()
    assert Case.objects.filter(partnership=world.partnership).count() == 1


def test_opening_a_case_creates_the_child_record_and_timeline(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("case-open"),
        {"pseudonym": "Child T", "given_names": "Kit", "family_name": "Doe", "sex": "male"},
    )
    case = Case.objects.get(pseudonym="Child T")
    assert response["Location"] == reverse("case-detail", args=[case.pk])
    assert case.child.family_name == "Doe"
    assert case.events.get().by == world["business_manager"]


def test_the_case_page_hides_the_child_from_those_who_do_not_need_them(client, world):
    family_name = world.case.child.family_name
    for persona, shown in [
        ("business_manager", True),
        ("subgroup_chair", False),
        ("police_contributor", True),
        ("executive", False),
    ]:
        client.force_login(world[persona])
        html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
        assert (family_name in html) is shown, persona


def test_the_case_page_says_how_long_is_left(client, world):
    today = timezone.localdate()
    deadline_set(
        case=world.case,
        rule=Rule.OTHER,
        anchor_date=today,
        anchor_event="a local agreement",
        due_on=today + datetime.timedelta(days=30),
        title="Send the letters",
        by=world["business_manager"],
    )
    client.force_login(world["business_manager"])
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert "Send the letters" in html
    assert "Due in " in html and "working days" in html


def test_a_long_timeline_is_read_a_page_at_a_time_newest_first(client, world):
    # Written newest first, so the order of the times is not the order of the ids.
    events = CaseEvent.objects.bulk_create(
        CaseEvent(case=world.case, kind=EventKind.DEADLINE_SET, summary=f"Fictional event {n:03}")
        for n in reversed(range(120))
    )
    start = timezone.now() - datetime.timedelta(days=400)
    for event in events:
        n = int(event.summary[-3:])
        CaseEvent.objects.filter(pk=event.pk).update(at=start + datetime.timedelta(days=n))
    total = world.case.events.count()
    client.force_login(world["business_manager"])
    url = reverse("case-detail", args=[world.case.pk])

    first = client.get(url).content.decode()
    assert "Fictional event 119" in first and "Fictional event 070" in first
    assert "Fictional event 069" not in first
    assert f"{total} events, newest first. Showing 1 to 50." in first
    assert '?page=2#timeline"' in first

    last = client.get(url, {"page": 3}).content.decode()
    assert "Fictional event 000" in last and "Fictional event 119" not in last
    # A page past the end shows the last page rather than nothing.
    assert "Fictional event 000" in client.get(url, {"page": 99}).content.decode()


def test_an_agency_contributor_sees_no_deadlines_or_timeline(client, world, deadline):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert "Notify the Panel" not in html
    assert "Timeline" not in html


def test_changing_the_childs_details_is_recorded_without_the_values(client, world):
    client.force_login(world["business_manager"])
    client.post(
        reverse("child-record-edit", args=[world.case.pk]),
        {"given_names": "Robin", "family_name": "Newname", "sex": "not_known"},
    )
    assert ChildRecord.objects.get(case=world.case).family_name == "Newname"
    event = world.case.events.latest("at")
    assert "family name" in event.summary and "Newname" not in event.summary


def test_a_bad_nhs_number_is_refused_and_nothing_changes(client, world):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("child-record-edit", args=[world.case.pk]),
        {"given_names": "Robin", "family_name": "Other", "sex": "male", "nhs_number": "12ab"},
    )
    assert "Enter an NHS number of 10 digits" in response.content.decode()
    assert ChildRecord.objects.get(case=world.case).family_name != "Other"


def test_the_deadline_page_explains_the_date(client, world, deadline):
    client.force_login(world["subgroup_chair"])
    html = client.get(reverse("deadline-detail", args=[world.case.pk, deadline.pk])).content
    assert b"5 working days after the local authority became aware (4 November 2026)" in html
    assert b"Record as done" not in html  # the chair may look, not change


def test_a_refused_deadline_action_shows_why_and_keeps_the_input(client, world, deadline):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("deadline-action", args=[world.case.pk, deadline.pk, "extend"]),
        {"extend-due_on": "2026-11-05", "extend-reason": "Agreed by phone"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The new date must be after the current one" in html
    assert "Agreed by phone" in html
    deadline.refresh_from_db()
    assert deadline.due_on == D(2026, 11, 11)


def test_recording_a_deadline_done(client, world):
    deadline = deadline_set(
        case=world.case,
        rule=Rule.OTHER,
        anchor_date=D(2026, 11, 4),
        anchor_event="a local agreement",
        due_on=D(2026, 11, 11),
        by=world["business_manager"],
    )
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("deadline-action", args=[world.case.pk, deadline.pk, "complete"]),
        {"complete-on": "2026-11-10", "complete-note": "Panel ref 123"},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_on) == (DeadlineStatus.MET, D(2026, 11, 10))


def test_an_unknown_deadline_action_is_404(client, world, deadline):
    client.force_login(world["business_manager"])
    url = reverse("deadline-action", args=[world.case.pk, deadline.pk, "delete"])
    assert client.post(url).status_code == 404


def test_a_deadline_of_another_case_cannot_be_reached_through_this_one(client, world):
    other = deadline_set(
        case=world.other_case,
        rule=Rule.OTHER,
        anchor_date=D(2026, 11, 4),
        anchor_event="x",
        due_on=D(2026, 11, 30),
        by=world["stranger"],
    )
    client.force_login(world["business_manager"])
    assert client.get(reverse("deadline-detail", args=[world.case.pk, other.pk])).status_code == 404


def test_an_administrator_adds_a_holiday_and_sees_the_deadlines_that_moved(client, world, deadline):
    client.force_login(world["administrator"])
    response = client.post(
        reverse("calendar-day-set"),
        {"day": "2026-11-05", "is_working": "false", "title": "One-off", "reason": "Announced"},
        follow=True,
    )
    assert "1 open deadline moved" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.due_on == D(2026, 11, 12)


def test_a_calendar_change_without_a_reason_is_refused_and_keeps_the_input(client, world):
    client.force_login(world["administrator"])
    response = client.post(
        reverse("calendar-day-set"),
        {"day": "2026-11-05", "is_working": "false", "title": "Town fair", "reason": ""},
    )
    html = response.content.decode()
    assert "Enter the reason for the change" in html
    assert 'value="Town fair"' in html
    assert not CalendarDay.objects.filter(day=D(2026, 11, 5)).exists()


def test_the_calendar_page_lists_the_years_holidays_with_their_source(client, world):
    client.force_login(world["executive"])
    html = client.get(reverse("calendar"), {"year": 2023}).content.decode()
    assert "coronation" in html.lower()
    assert "Official England and Wales list" in html


def test_checkbox_groups_render_as_checkboxes_and_radios_as_radios(db):
    from django import forms

    class Example(forms.Form):
        many = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
        one = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    html = str(Example())
    assert 'class="govuk-checkboxes"' in html and 'type="checkbox"' in html
    assert 'class="govuk-radios"' in html and 'type="radio"' in html


def test_the_case_list_shows_agencies_no_deadlines_and_ignores_the_deadline_filter(
    client, world, deadline
):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("case-list"), {"deadline": "soon"}).content.decode()
    assert "Child Q" in html  # the filter is ignored, not used to probe
    assert "Notify the Panel" not in html and "Overdue" not in html
    assert "Next deadline" not in html


def test_the_case_list_keeps_missed_work_and_shows_a_paused_deadline_as_paused(
    client, world, deadline
):
    from cspr.services.deadlines import deadline_pause, deadlines_mark_missed

    client.force_login(world["business_manager"])
    deadlines_mark_missed(today=D(2026, 11, 12))
    html = client.get(reverse("case-list"), {"deadline": "overdue"}).content.decode()
    assert "Child Q" in html and "Overdue by" in html
    other = deadline_set(
        case=world.other_case,
        rule=Rule.OTHER,
        anchor_date=D(2026, 11, 2),
        anchor_event="a local agreement",
        due_on=D(2026, 11, 9),
        by=world["stranger"],
    )
    deadline_pause(deadline=other, on=D(2026, 11, 3), reason="Inquest", by=world["stranger"])
    client.force_login(world["stranger"])
    html = client.get(reverse("case-list")).content.decode()
    assert "Paused" in html and "Overdue" not in html
    html = client.get(reverse("case-list"), {"deadline": "overdue"}).content.decode()
    assert "Child Z" not in html


@pytest.mark.parametrize("rows", [3, 25])
def test_the_home_page_shows_the_first_twenty_deadlines_and_says_how_many_there_are(
    client, world, rows
):
    from tests.factories import DeadlineFactory

    today = timezone.localdate()
    for n in range(rows):
        DeadlineFactory(
            case=world.case, title=f"Fictional deadline {n:02}", due_on=today, status="open"
        )
        DeadlineFactory(
            case=world.case,
            title=f"Fictional missed {n:02}",
            due_on=today - datetime.timedelta(days=30),
            status=DeadlineStatus.MISSED,
        )
    client.force_login(world["business_manager"])
    html = client.get(reverse("home")).content.decode()

    shown = min(rows, 20)
    assert html.count("Fictional deadline ") == shown
    assert html.count("Fictional missed ") == shown
    more = f"These are the 20 due soonest of {rows}." in html
    assert more is (rows > 20)
    assert (f"These are the 20 missed first of {rows}." in html) is (rows > 20)
    assert ('href="/cases/?deadline=soon"' in html) is more
