"""The dashboards: each section's figures against hand-counted rows, what each persona may
see (never another partnership's figures, never another agency's actions or requests),
the CSV downloads and the number of queries.

"Today" is Friday 4 December 2026; the next 10 working days run to Friday 18 December.
Rows are made straight with the ORM so that every figure is known."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionPlan, ActionStatus, Barrier, CaseTheme, PlanSource, Theme
from cspr import access
from cspr.deadline_rules import Rule
from cspr.models import DeadlineStatus, Role, Stage
from cspr.views.dashboards import selectors as dashboards
from cspr.views.dashboards.downloads import DOWNLOADS
from rapid_reviews.models import InformationRequest, RapidReview, RequestStatus
from tests.conftest import PERSONAS
from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory, UserFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = D(2026, 12, 4)

SECTIONS = {
    "business_manager": ["business_unit"],
    "subgroup_member": [],
    "subgroup_chair": ["chair"],
    "executive": ["executive"],
    "police_contributor": ["agency"],
    "health_contributor": ["agency"],
    "reviewer": [],
    "administrator": [],
    "stranger": ["business_unit"],
}


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), tick=True):
        yield TODAY


# --- Builders.


def case_in(world, pseudonym, stage=Stage.REFERRAL, partnership=None, opened=None):
    case = CaseFactory(
        partnership=partnership or world.partnership,
        pseudonym=pseudonym,
        stage=stage,
        created_by=world["business_manager"],
    )
    if opened:
        type(case).objects.filter(pk=case.pk).update(
            created_at=datetime.datetime.combine(opened, datetime.time(12), tzinfo=LONDON)
        )
    return case


def deadline(case, due_on, *, status=DeadlineStatus.OPEN, rule=Rule.OTHER, **fields):
    return DeadlineFactory(
        case=case,
        rule=rule,
        title=fields.pop("title", Rule(rule).label),
        due_on=due_on,
        status=status,
        **fields,
    )


def done(case):
    """A deadline already met long ago: for the rows that need one but must not count."""
    return deadline(case, D(2020, 1, 6), status=DeadlineStatus.MET, completed_on=D(2020, 1, 6))


def rapid_review_on(case):
    return RapidReview.objects.create(
        case=case,
        opened_by=case.created_by,
        clock_start=D(2026, 11, 9),
        clock_start_basis="notification sent",
        meeting_deadline=done(case),
        report_deadline=done(case),
    )


def request_to(review, agency, due_on, status=RequestStatus.REQUESTED):
    access.grant_agency(review.case, agency)
    pending = status == RequestStatus.REQUESTED
    return InformationRequest.objects.create(
        rapid_review=review,
        agency=agency,
        status=status,
        deadline=deadline(
            review.case,
            due_on,
            rule=Rule.AGENCY_RETURN,
            agency=agency,
            status=DeadlineStatus.OPEN if pending else DeadlineStatus.MET,
            completed_on=None if pending else due_on,
        ),
        sent_by=review.case.created_by,
    )


def action_on(case, agency, due_on, status=ActionStatus.ON_TRACK, **fields):
    plan, _ = ActionPlan.objects.get_or_create(
        case=case, source=PlanSource.RAPID_REVIEW, defaults={"created_by": case.created_by}
    )
    return Action.objects.create(
        plan=plan,
        number=plan.actions.count() + 1,
        finding=fields.pop("finding", "Information was not shared (fictional)."),
        change=fields.pop("change", "A joint strategy discussion every time (fictional)."),
        agency=agency,
        owner_name=fields.pop("owner_name", "Sam Owner"),
        due_on=due_on,
        status=status,
        created_by=case.created_by,
        **fields,
    )


def barrier_on(action, *, responded=False, closed=False):
    now = timezone.now()
    return Barrier.objects.create(
        action=action,
        description="No trainer until the spring (fictional).",
        raised_by=action.created_by,
        response="Funding agreed (fictional)." if responded else "",
        responded_at=now if responded else None,
        closed_at=now if closed else None,
    )


def theme_on(case, name):
    return CaseTheme.objects.create(
        case=case, theme=Theme.objects.get(name=name), added_by=case.created_by
    )


@pytest.fixture
def northtown(world, today):
    """Child Q (referral), Child R (rapid review, opened June 2025), Child S (local review,
    opened May 2023), Child T (closed); Southvale's Child Z beside them, never counted."""
    q = world.case
    r = case_in(world, "Child R", Stage.RAPID_REVIEW, opened=D(2025, 6, 1))
    s = case_in(world, "Child S", Stage.LOCAL_REVIEW, opened=D(2023, 5, 1))
    t = case_in(world, "Child T", Stage.CLOSED)
    z = world.other_case
    southvale_agency = AgencyFactory(partnership=world.other_partnership, name="Southvale Police")

    # Deadlines: two in the window (one overdue), one later, one missed and not done.
    deadline(q, D(2026, 12, 10), title="Chase the school")
    deadline(q, D(2026, 12, 1), title="Send the chronology")
    deadline(q, D(2027, 1, 20), title="Later on")
    deadline(q, D(2026, 11, 20), status=DeadlineStatus.MISSED, title="Missed, not done")
    deadline(t, D(2026, 12, 7), status=DeadlineStatus.WAIVED, title="Waived")
    deadline(z, D(2026, 12, 7), title="Southvale's own")

    # Returns: the police owe one (overdue), health one; a submitted one does not count.
    review_r, review_s = rapid_review_on(r), rapid_review_on(s)
    request_to(review_r, world.police, D(2026, 12, 2))
    request_to(review_r, world.health, D(2026, 12, 11))
    request_to(review_s, world.police, D(2026, 11, 2), status=RequestStatus.SUBMITTED)
    request_to(rapid_review_on(z), southvale_agency, D(2026, 12, 3))

    # Actions: the police one overdue and one open; health one overdue and one complete;
    # children's services one at risk but not due; Southvale's overdue one.
    police_late = action_on(q, world.police, D(2026, 11, 30), change="=HYPERLINK(evil)")
    action_on(q, world.police, D(2027, 1, 31), ActionStatus.NOT_STARTED)
    action_on(r, world.health, D(2026, 10, 1), ActionStatus.AT_RISK)
    action_on(r, world.health, D(2026, 9, 1), ActionStatus.COMPLETE, completed_on=D(2026, 9, 1))
    action_on(s, world.children, D(2027, 2, 1), ActionStatus.AT_RISK)
    southvale_late = action_on(z, southvale_agency, D(2026, 11, 1))

    # Barriers: one waiting for the executive; one answered, one closed; Southvale's.
    barrier_on(police_late)
    barrier_on(police_late, responded=True)
    barrier_on(police_late, closed=True)
    barrier_on(southvale_late)

    # Timeliness over 5 December 2025 to 4 December 2026: one notification met, one late.
    deadline(q, D(2026, 6, 1), rule=Rule.NOTIFICATION, status="met", completed_on=D(2026, 5, 29))
    deadline(r, D(2026, 3, 2), rule=Rule.NOTIFICATION, status="missed", completed_on=D(2026, 3, 4))
    deadline(s, D(2025, 11, 3), rule=Rule.NOTIFICATION, status="met", completed_on=D(2025, 11, 3))
    deadline(z, D(2026, 6, 1), rule=Rule.NOTIFICATION, status="missed", completed_on=D(2026, 6, 9))

    # Themes: Q (this year) neglect; R (2025 to 2026) neglect and exploitation; S (2023,
    # too long ago) neglect; Southvale's Z neglect.
    theme_on(q, "Neglect")
    theme_on(r, "Neglect")
    theme_on(r, "Exploitation")
    theme_on(s, "Neglect")
    theme_on(z, "Neglect")
    return world


def page(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard"))


def download(client, user, name):
    client.force_login(user)
    response = client.get(reverse("dashboard-csv", args=[name]))
    assert response.status_code == 200, response.status_code
    text = b"".join(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- The business unit.


def test_open_cases_are_counted_by_stage(northtown):
    by_stage = dict(dashboards.open_by_stage(northtown["business_manager"]))

    assert by_stage[Stage.REFERRAL] == 1
    assert by_stage[Stage.RAPID_REVIEW] == 1
    assert by_stage[Stage.LOCAL_REVIEW] == 1
    assert Stage.CLOSED not in by_stage
    assert sum(by_stage.values()) == 3


def test_every_open_case_is_listed_with_its_stage_in_lifecycle_order(northtown):
    cases = dashboards.open_cases(northtown["business_manager"], today=TODAY, calendar=_cal()).items

    assert [(c.pseudonym, c.stage) for c in cases] == [
        ("Child Q", Stage.REFERRAL),
        ("Child R", Stage.RAPID_REVIEW),
        ("Child S", Stage.LOCAL_REVIEW),
    ]


def test_deadlines_overdue_due_soon_and_missed_are_listed_soonest_first(northtown):
    rows = dashboards.deadlines_to_watch(
        northtown["business_manager"], today=TODAY, calendar=_cal()
    ).items

    assert [(d.title, due.text) for d, due in rows] == [
        ("Missed, not done", "Overdue by 10 working days"),
        ("Send the chronology", "Overdue by 3 working days"),
        (Rule.AGENCY_RETURN.label, "Overdue by 2 working days"),
        ("Chase the school", "Due in 4 working days"),
        (Rule.AGENCY_RETURN.label, "Due in 5 working days"),
    ]


@pytest.mark.parametrize("first", [1, 2, 4, 5, 6])
def test_the_first_deadlines_to_watch_are_the_first_of_the_whole_list(northtown, first):
    """The page asks for its first rows of the overdue, due and missed deadlines merged:
    they are the whole list's first rows, with the whole list's total."""
    manager = northtown["business_manager"]
    whole = dashboards.deadlines_to_watch(manager, today=TODAY, calendar=_cal())
    some = dashboards.deadlines_to_watch(manager, today=TODAY, calendar=_cal(), first=first)

    assert some.items == whole.items[:first]
    assert some.total == whole.total == len(whole.items) == 5


def test_returns_outstanding_are_counted_by_agency(northtown):
    manager = northtown["business_manager"]
    outstanding = dashboards.returns_outstanding(manager, today=TODAY, calendar=_cal())

    assert outstanding.total == 2
    assert dashboards.returns_by_agency(manager, today=TODAY) == [
        ("Northtown Health Trust", 1, 0),
        ("Northtown Police", 1, 1),
    ]


def test_the_business_unit_page_shows_its_charts_tables_and_lists(client, northtown):
    response = page(client, northtown["business_manager"])
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["sections"] == ["business_unit"]
    assert html.count('role="img"') == 2
    assert "Open cases by stage" in html
    assert "Child S" in html and "Child T" not in html
    assert "Chase the school" in html and "Later on" not in html
    assert "Southvale" not in html and "Child Z" not in html
    assert "Waiting for the sub-group chair" not in html


# --- The sub-group chair.


def test_a_recommendation_waiting_for_approval_is_the_chairs(world):
    from tests.actions.builders import rapid_review_of

    rapid_review_of(world)
    waiting = dashboards.chair_waiting(world["subgroup_chair"])

    assert [(w.about, w.what) for w in waiting] == [
        ("Child Q", "the rapid review's recommendation needs your approval")
    ]
    assert waiting[0].url == reverse("rapid-review-detail", args=[world.case.pk])
    assert dashboards.chair_waiting(world["stranger"]) == []


def test_terms_of_reference_waiting_for_the_chairs_agreement(world):
    from reviews import services
    from tests.reviews.builders import TERMS, commissioned

    review = commissioned(world)
    services.terms_save(review=review, fields=TERMS, change_note="", by=world["business_manager"])

    assert [w.what for w in dashboards.chair_waiting(world["subgroup_chair"])] == [
        "the terms of reference need your agreement"
    ]


def test_a_draft_report_waiting_for_quality_assurance_until_it_is_assured(world):
    from tests.reviews.builders import assure, drafted

    review = drafted(world)
    assert [w.what for w in dashboards.chair_waiting(world["subgroup_chair"])] == [
        "a draft report needs quality assurance"
    ]
    assure(world, review)
    assert dashboards.chair_waiting(world["subgroup_chair"]) == []


def test_a_triaged_referral_waits_for_the_chairs_decision(client, world):
    from referrals.models import Referral, ReferralStatus

    referral = Referral.objects.create(
        partnership=world.partnership,
        status=ReferralStatus.TRIAGED,
        created_by=world["police_contributor"],
        triaged_at=timezone.now(),
    )
    html = page(client, world["subgroup_chair"]).content.decode()

    assert f"Referral {referral.pk}" in html
    assert "The referral needs your decision" in html
    rows = download(client, world["subgroup_chair"], "waiting-for-the-chair")
    assert rows[1][:2] == [f"Referral {referral.pk}", "the referral needs your decision"]


def test_a_sub_group_member_who_is_not_the_chair_has_no_chairs_section(client, world):
    from tests.actions.builders import rapid_review_of

    rapid_review_of(world)
    member_and_executive = UserFactory(
        partnership=world.partnership,
        agency=world.children,
        roles=[Role.SUBGROUP_MEMBER, Role.EXECUTIVE],
    )

    assert page(client, world["subgroup_member"]).status_code == 403
    html = page(client, member_and_executive).content.decode()
    assert "Waiting for the sub-group chair" not in html
    assert "recommendation needs your approval" not in html
    assert page(client, world["subgroup_chair"]).status_code == 200


# --- The executive.


def test_timeliness_over_the_last_twelve_months(northtown):
    since, rows = dashboards.timeliness(northtown["executive"], today=TODAY)
    notification = next(row for row in rows if row.rule == Rule.NOTIFICATION)

    assert since == D(2025, 12, 5)
    assert (notification.met, notification.missed, notification.percent_met) == (1, 1, 50)
    assert all(row.decided == 0 for row in rows if row.rule != Rule.NOTIFICATION)


def test_overdue_actions_are_counted_by_agency_in_the_partnership_only(northtown):
    executive = northtown["executive"]

    assert dashboards.overdue_by_agency(executive, today=TODAY) == [
        ("Northtown Health Trust", 1),
        ("Northtown Police", 1),
    ]
    assert [a.due_on for a in dashboards.overdue_actions(executive, today=TODAY).items] == [
        D(2026, 10, 1),
        D(2026, 11, 30),
    ]


def test_themes_are_counted_by_the_financial_year_the_case_was_opened(northtown):
    years, themes = dashboards.themes_over_time(northtown["executive"], today=TODAY)

    assert years == ["2024 to 2025", "2025 to 2026", "2026 to 2027"]
    assert themes == [("Exploitation", [0, 1, 0]), ("Neglect", [0, 1, 1])]


def test_financial_years_turn_on_the_first_of_april():
    assert dashboards.financial_years(D(2026, 3, 31))[-1][0] == "2025 to 2026"
    assert dashboards.financial_years(D(2026, 4, 1))[-1][0] == "2026 to 2027"


def test_only_barriers_without_a_response_wait_for_the_executive(northtown):
    barriers = dashboards.barriers_waiting(northtown["executive"]).items

    assert len(barriers) == 1
    assert barriers[0].action.plan.case == northtown.case


def test_the_executive_page_shows_every_chart_with_its_table(client, northtown):
    response = page(client, northtown["executive"])
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count('role="img"') == 4
    assert "Notify the Panel: 50% (1 of 2)" in html
    assert "Exploitation" in html and "2025 to 2026" in html
    police_late = Action.objects.get(plan__case=northtown.case, number=1)
    assert reverse("action-detail", args=[northtown.case.pk, police_late.pk]) in html
    assert "No trainer until the spring" in html
    assert "Southvale" not in html and "Child Z" not in html


def test_the_executive_page_works_with_nothing_to_show(client, world, today):
    html = page(client, world["executive"]).content.decode()

    assert "No action is overdue." in html
    assert "No theme has been applied" in html
    assert "Notify the Panel: none due" in html
    assert html.count("No figures to show") == 2  # the overdue and themes charts


# --- The agency contributor.


def test_a_contributor_sees_only_their_own_agencys_requests_and_actions(northtown):
    police, health = northtown["police_contributor"], northtown["health_contributor"]

    police_requests = dashboards.agency_requests(police, today=TODAY, calendar=_cal()).items
    assert [(r.agency, due.text) for r, due in police_requests] == [
        (northtown.police, "Overdue by 2 working days")
    ]
    police_actions = dashboards.agency_actions(police, today=TODAY).items
    assert [(a.agency, status) for a, status in police_actions] == [
        (northtown.police, ActionStatus.OVERDUE),
        (northtown.police, ActionStatus.NOT_STARTED),
    ]
    health_actions = dashboards.agency_actions(health, today=TODAY).items
    assert [(a.agency, status) for a, status in health_actions] == [
        (northtown.health, ActionStatus.OVERDUE)
    ]


def test_the_police_page_never_shows_the_health_agencys_work(client, northtown):
    html = page(client, northtown["police_contributor"]).content.decode()

    assert "Northtown Police" in html
    assert "Northtown Health Trust" not in html
    assert "Child R" in html  # the police's request about Child R
    assert "Not started" in html and "Overdue" in html
    assert "At risk" not in html  # health's and children's services' actions


def test_a_person_with_several_roles_sees_each_section_and_their_agency_only_in_theirs(
    client, northtown
):
    both = UserFactory(
        partnership=northtown.partnership,
        agency=northtown.police,
        roles=[Role.BUSINESS_UNIT, Role.AGENCY_CONTRIBUTOR],
    )
    response = page(client, both)

    assert response.context["sections"] == ["business_unit", "agency"]
    assert [a.agency for a, _ in response.context["agency_actions"]] == [northtown.police] * 2
    assert {r.agency for r, _ in response.context["returns_outstanding"]} == {
        northtown.police,
        northtown.health,
    }


def test_the_stranger_sees_only_southvale(client, northtown):
    response = page(client, northtown["stranger"])
    html = response.content.decode()

    assert [c.pseudonym for c in response.context["open_cases"]] == ["Child Z"]
    assert "Southvale&#x27;s own" in html or "Southvale's own" in html
    assert [r.agency.name for r, _ in response.context["returns_outstanding"]] == [
        "Southvale Police"
    ]
    for name in ("Child Q", "Child R", "Northtown"):
        assert name not in html


# --- Who may open what.


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_their_sections_or_a_refusal(client, world, persona):
    response = page(client, world[persona])

    if SECTIONS[persona]:
        assert response.status_code == 200
        assert response.context["sections"] == SECTIONS[persona]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", list(DOWNLOADS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_download_answers_each_persona(client, world, today, name, persona):
    section, _ = DOWNLOADS[name]
    client.force_login(world[persona])
    response = client.get(reverse("dashboard-csv", args=[name]))

    assert response.status_code == (200 if section in SECTIONS[persona] else 403)
    if response.status_code == 200:
        assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_signed_out_people_are_sent_to_sign_in(client, world):
    for url in (reverse("dashboard"), reverse("dashboard-csv", args=["open-cases"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


def test_a_list_that_does_not_exist_is_not_found(client, world):
    client.force_login(world["business_manager"])

    assert client.get(reverse("dashboard-csv", args=["everything"])).status_code == 404


def test_the_home_page_links_to_the_dashboard_only_for_those_who_have_one(client, world):
    for persona in PERSONAS:
        client.force_login(world[persona])
        html = client.get(reverse("home")).content.decode()
        assert (reverse("dashboard") in html) == bool(SECTIONS[persona]), persona


# --- Downloads.


def test_the_downloads_carry_the_pages_figures(client, northtown):
    manager, executive = northtown["business_manager"], northtown["executive"]

    assert download(client, manager, "returns-by-agency") == [
        ["Agency", "Returns outstanding", "Of which overdue"],
        ["Northtown Health Trust", "1", "0"],
        ["Northtown Police", "1", "1"],
    ]
    assert [row[0] for row in download(client, manager, "open-cases")[1:]] == [
        "Child Q",
        "Child R",
        "Child S",
    ]
    assert len(download(client, manager, "deadlines")) == 1 + 5
    assert download(client, executive, "themes") == [
        ["Theme", "2024 to 2025", "2025 to 2026", "2026 to 2027"],
        ["Exploitation", "0", "1", "0"],
        ["Neglect", "0", "1", "1"],
    ]
    assert download(client, executive, "overdue-actions-by-agency")[1:] == [
        ["Northtown Health Trust", "1"],
        ["Northtown Police", "1"],
    ]
    timeliness = download(client, executive, "timeliness")
    assert timeliness[1][:7] == [
        "Notify the Panel",
        "2025-12-05",
        "2026-12-04",
        "1",
        "1",
        "0",
        "50",
    ]


def test_a_contributors_download_holds_only_their_agencys_rows(client, northtown):
    rows = download(client, northtown["police_contributor"], "agency-actions")

    assert len(rows) == 1 + 2
    assert download(client, northtown["health_contributor"], "agency-requests")[1:] == [
        ["Child R", "2026-12-11", "Due in 5 working days"]
    ]


def test_a_typed_formula_is_defused_in_the_download(client, northtown):
    rows = download(client, northtown["executive"], "overdue-actions")
    police_row = next(row for row in rows if row[2] == "Northtown Police")

    assert police_row[4] == "'=HYPERLINK(evil)"
    rows = download(client, northtown["police_contributor"], "agency-actions")
    assert rows[1][2] == "'=HYPERLINK(evil)"


# --- Queries do not grow with the rows.


def _queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_rows(world, n, start=0):
    for i in range(start, start + n):
        case = case_in(world, f"Child {i}A", Stage.RAPID_REVIEW, opened=D(2025, 6, 1))
        deadline(case, D(2026, 12, 8), title=f"Extra {i}")
        request_to(rapid_review_on(case), world.police, D(2026, 12, 1))
        action = action_on(case, world.police, D(2026, 11, 1))
        barrier_on(action)
        theme_on(case, "Safe sleep")


@pytest.mark.parametrize(
    "persona", ["business_manager", "subgroup_chair", "executive", "police_contributor"]
)
def test_the_page_and_its_downloads_take_the_same_queries_for_one_row_or_many(
    client, northtown, persona, django_assert_max_num_queries
):
    user = northtown[persona]
    urls = [reverse("dashboard")] + [
        reverse("dashboard-csv", args=[name])
        for name, (section, _) in DOWNLOADS.items()
        if section in SECTIONS[persona]
    ]
    _more_rows(northtown, 1)
    few = {url: _queries(client, user, url) for url in urls}
    _more_rows(northtown, 8, start=1)
    for url in urls:
        client.force_login(user)
        with django_assert_max_num_queries(few[url]):
            client.get(url)


def _cal():
    from cspr.working_days import load_calendar

    return load_calendar()


def test_a_long_list_shows_its_first_rows_and_says_the_csv_has_them_all(client, world):
    """With more open cases than the page lists, the first 20 (by stage, then name) are
    shown with how many there are; the CSV has every one."""
    from cspr.views.dashboards import SHOWN

    for n in range(SHOWN + 2):
        CaseFactory(
            partnership=world.partnership, pseudonym=f"Child Z{n:02d}", stage=Stage.REFERRAL
        )
    total = access.cases_visible_to(world["business_manager"]).exclude(stage=Stage.CLOSED).count()
    client.force_login(world["business_manager"])
    html = client.get(reverse("dashboard")).content.decode()
    assert f"The first {SHOWN} of {total} are shown. The CSV has them all." in html
    assert "Child Z00" in html and "Child Z21" not in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("dashboard-csv", args=["open-cases"])).content.decode())
        )
    )
    assert len(rows) == total + 1 and any("Child Z21" in row for row in rows)
