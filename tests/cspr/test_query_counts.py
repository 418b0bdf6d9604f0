"""The pages people use most take as many queries for 50 rows as for one (issue 8).

Each test builds the page's rows, 1 or 50 of them, fetches the page once to warm what a
process keeps (the calendar, the role groups), then fetches it again under one bound: the
number of queries the page takes with a single row. The bound is the same for 50 rows, so
a query made once per row fails the test. Rows are made with the services where a page
depends on what they set up (returns, actions), and straight with the ORM otherwise."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus
from cspr import access
from cspr.deadline_rules import Rule
from cspr.models import (
    AgencyType,
    CaseEvent,
    EventKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    Stage,
)
from rapid_reviews import services as rapid
from rapid_reviews.models import ChronologyEntry
from tests.actions.builders import action_on as plan_action_on
from tests.actions.builders import plan_for
from tests.cspr.test_dashboards import (
    action_on,
    barrier_on,
    case_in,
    deadline,
    rapid_review_on,
    request_to,
    theme_on,
)
from tests.factories import AgencyFactory, DeadlineFactory, UserFactory
from tests.rapid_reviews.test_rapid_reviews import notify
from tests.rapid_reviews.test_returns import COMPLETE
from tests.support.clock import TODAY, travel

D = datetime.date
ROWS = [1, 50]

# The queries each page takes with one row, on SQLite and PostgreSQL alike.
CASE_LIST = {"business_manager": 5, "police_contributor": 5}
CASE_PAGE = 12
COLLATED_PACK = 12
# The agency's pages read the people they name in a query of their own, and the business
# unit's dashboard counts returns outstanding by agency in one: more queries, each far
# cheaper for PostgreSQL to plan than the joins they replaced (docs/benchmarks.md).
AGENCY_PAGES = {"request-detail": 11, "return-edit": 10}
DASHBOARD = {"business_manager": 10, "executive": 11, "police_contributor": 7}
ACTION_LIST = 7
# 5 with nothing unread: the header's unread count takes one more for a person who has
# unread ones (as the rows here are), on every page.
NOTIFICATION_LIST = {"business_manager": 6, "police_contributor": 6}
ANNUAL_REPORT = 14


@pytest.fixture
def today():
    """Friday 4 December 2026, for the whole test."""
    with travel(TODAY):
        yield TODAY


def assert_constant(client, user, url, bound, django_assert_max_num_queries):
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm-up
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    return response


# --- The case list, filtered to the rapid reviews as the benchmark asks for it.


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", CASE_LIST)
def test_the_case_list_takes_the_same_queries_for_one_case_or_fifty(
    client, world, today, persona, rows, django_assert_max_num_queries
):
    for n in range(rows):
        case = case_in(world, f"Child L{n:02d}", Stage.RAPID_REVIEW)
        deadline(case, today + datetime.timedelta(days=n % 20), title=f"Return {n}")
        access.grant_agency(case, world.police)
    url = reverse("case-list") + "?stage=rapid_review&q=Child"
    response = assert_constant(
        client, world[persona], url, CASE_LIST[persona], django_assert_max_num_queries
    )
    assert f">{rows} case" in response.content.decode()


# --- The case page: its deadlines and its timeline.


@pytest.mark.parametrize("rows", ROWS)
def test_the_case_page_takes_the_same_queries_for_one_event_and_deadline_or_fifty(
    client, world, today, rows, django_assert_max_num_queries
):
    manager = world["business_manager"]
    for n in range(rows):
        DeadlineFactory(
            case=world.case,
            rule=Rule.AGENCY_RETURN if n % 2 else Rule.OTHER,
            agency=world.police if n % 2 else None,
            title=f"Deadline {n}",
            due_on=today + datetime.timedelta(days=n - 10),
        )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=world.case,
            kind=EventKind.DEADLINE_SET,
            by=manager if n % 2 else None,
            summary=f"Event {n}",
            note="A fictional note.",
        )
        for n in range(rows)
    )
    response = assert_constant(
        client,
        manager,
        reverse("case-detail", args=[world.case.pk]),
        CASE_PAGE,
        django_assert_max_num_queries,
    )
    assert "Child Q" in response.content.decode()


# --- The merged chronology: 1 agency x 1 row against 10 agencies x 50 rows.


def chronology(information_return, rows):
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            information_return=information_return,
            position=n,
            date=D(2026, 1, 1) + datetime.timedelta(days=n * 3),
            source="Case notes (fictional)",
            event=f"Row {n} of {information_return.request.agency.name}",
            significance="Fictional.",
        )
        for n in range(rows)
    )


def submitted_returns(world, agencies, rows):
    """Child Q's rapid review, with a submitted return of `rows` rows from each agency."""
    notify(world)
    review = rapid.rapid_review_open(case=world.case, by=world["business_manager"])
    for agency in agencies:
        request = rapid.information_request_send(
            rapid_review=review,
            agency=agency,
            due_on=D(2026, 12, 11),
            note="",
            by=world["business_manager"],
        )
        contributor = UserFactory(
            partnership=world.partnership, agency=agency, roles=[Role.AGENCY_CONTRIBUTOR]
        )
        information_return = rapid.return_save_draft(
            information_return=request.information_return, fields=COMPLETE, rows=[], by=contributor
        )
        chronology(information_return, rows)
        rapid.return_submit(information_return=information_return, by=contributor)
    return review


@pytest.mark.parametrize("agencies,rows", [(1, 1), (10, 50)])
def test_the_collated_pack_takes_the_same_queries_for_one_row_or_five_hundred(
    client, world, today, agencies, rows, django_assert_max_num_queries
):
    more = [
        AgencyFactory(partnership=world.partnership, name=f"Agency {n}", type=AgencyType.OTHER)
        for n in range(agencies - 1)
    ]
    submitted_returns(world, [world.police, *more], rows)
    response = assert_constant(
        client,
        world["business_manager"],
        reverse("collated-pack", args=[world.case.pk]),
        COLLATED_PACK,
        django_assert_max_num_queries,
    )
    assert response.content.decode().count("Row 0 of") == agencies


# --- The agency's own request and its return, with its draft chronology.


@pytest.fixture
def police_draft(world):
    notify(world)
    review = rapid.rapid_review_open(case=world.case, by=world["business_manager"])
    request = rapid.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=D(2026, 12, 11),
        note="",
        by=world["business_manager"],
    )
    return request.information_return


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("name", AGENCY_PAGES)
def test_the_agencys_request_and_return_take_the_same_queries_for_one_row_or_fifty(
    client, world, today, police_draft, name, rows, django_assert_max_num_queries
):
    chronology(police_draft, rows)
    response = assert_constant(
        client,
        world["police_contributor"],
        reverse(name, args=[police_draft.request_id]),
        AGENCY_PAGES[name],
        django_assert_max_num_queries,
    )
    assert "Row 0 of Northtown Police" in response.content.decode()


# --- The dashboard.


def dashboard_rows(world, rows, today):
    """Per row: a case in rapid review, a deadline soon, a request owed by the police, an
    action (overdue every other one) with a barrier waiting, and a learning theme."""
    for n in range(rows):
        case = case_in(world, f"Child D{n:02d}", Stage.RAPID_REVIEW, opened=D(2026, 6, 1))
        deadline(case, today + datetime.timedelta(days=n % 10), title=f"Chase {n}")
        request_to(rapid_review_on(case), world.police, today + datetime.timedelta(days=3))
        agency = world.police if n % 2 else world.health
        action = action_on(case, agency, today + datetime.timedelta(days=(n % 3 - 1) * 30))
        barrier_on(action)
        theme_on(case, "Safe sleep")


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", DASHBOARD)
def test_the_dashboard_takes_the_same_queries_for_one_case_or_fifty(
    client, world, today, persona, rows, django_assert_max_num_queries
):
    dashboard_rows(world, rows, today)
    assert_constant(
        client,
        world[persona],
        reverse("dashboard"),
        DASHBOARD[persona],
        django_assert_max_num_queries,
    )


# --- The actions list.


@pytest.mark.parametrize("rows", ROWS)
def test_the_actions_list_takes_the_same_queries_for_one_action_or_fifty(
    client, world, today, rows, django_assert_max_num_queries
):
    plan = plan_for(world)
    statuses = [ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK, ActionStatus.AT_RISK]
    for n in range(rows):
        plan_action_on(
            plan,
            world.police if n % 2 else world.health,
            today + datetime.timedelta(days=30 + n),
            statuses[n % 3],
            world=world,
        )
    response = assert_constant(
        client,
        world["business_manager"],
        reverse("action-list"),
        ACTION_LIST,
        django_assert_max_num_queries,
    )
    assert "Child Q: action 1<" in response.content.decode()


# --- The notifications list.


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("persona", NOTIFICATION_LIST)
def test_the_notifications_list_takes_the_same_queries_for_one_notification_or_fifty(
    client, world, today, persona, rows, django_assert_max_num_queries
):
    """Reminders about the case's deadlines and about the police's actions (whose link
    goes to the action's page), read and unread."""
    user, now = world[persona], timezone.now()
    plan = plan_for(world)
    for n in range(rows):
        if n % 2:
            found = plan_action_on(
                plan, world.police, today + datetime.timedelta(days=5), world=world
            )
            due = found.deadline
        else:
            due = DeadlineFactory(
                case=world.case,
                rule=Rule.AGENCY_RETURN,
                agency=world.police,
                title=f"Deadline {n}",
                due_on=today,
            )
        # An action's deadline has its reminders planned already: collect one of them.
        Reminder.objects.update_or_create(
            deadline=due,
            kind=ReminderKind.DUE_TODAY,
            recipient=user,
            for_day=today,
            due_on=due.due_on,
            defaults={
                "status": ReminderStatus.NOTIFIED,
                "collected_at": now,
                "read_at": now if n % 3 == 0 else None,
            },
        )
    response = assert_constant(
        client,
        user,
        reverse("notification-list"),
        NOTIFICATION_LIST[persona],
        django_assert_max_num_queries,
    )
    assert "Child Q" in response.content.decode()


# --- The annual report of a past year (actions counted as they stood, from their history).


@pytest.mark.parametrize("rows", ROWS)
def test_a_past_years_annual_report_takes_the_same_queries_for_one_action_or_fifty(
    client, world, today, rows, django_assert_max_num_queries
):
    plan = plan_for(world)
    for n in range(rows):
        plan_action_on(
            plan,
            world.police if n % 2 else world.health,
            D(2026, 3, 1),
            world=world,
            added_on=D(2026, 1, 5),
        )
    response = assert_constant(
        client,
        world["business_manager"],
        reverse("annual-report") + "?year=2025&kind=financial",
        ANNUAL_REPORT,
        django_assert_max_num_queries,
    )
    assert sum(figure.number for figure in response.context["report"].actions) == rows
