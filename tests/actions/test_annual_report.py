"""The annual report's figures against a small, hand-counted partnership history, with
the year's first and last days on both sides of every count, and Southvale's records
beside Northtown's (never counted for Northtown). "Today" is Friday 4 December 2026, in
the financial year 2026 to 2027."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions import reports
from actions.models import ActionStatus
from actions.reports import Period, YearKind
from cspr.deadline_rules import Rule
from cspr.models import CaseEvent, DeadlineStatus, EventKind
from rapid_reviews.models import LearningMeeting, PanelResponse, RapidReview
from referrals.models import Notification, Referral
from reviews.models import LocalReview
from tests.actions.conftest import travel
from tests.actions.test_figures import action_on, deadline_on, theme_on
from tests.conftest import PERSONAS
from tests.factories import CaseFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
THIS_YEAR = Period(YearKind.FINANCIAL, 2026)  # 1 April 2026 to 31 March 2027
SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "stranger"}
VIEWS = ["annual-report", "annual-report-pdf", "annual-report-csv"]


def at(day, hour=12, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def figures_of(rows):
    return {figure.label: figure.number for figure in rows}


def new_case(partnership, name):
    return CaseFactory(partnership=partnership, pseudonym=name)


# Referrals: Northtown's four received in the year, either side of its edges.
@pytest.fixture
def referrals(world):
    def referral(submitted, partnership=world.partnership, **fields):
        return Referral.objects.create(
            partnership=partnership,
            created_by=world["business_manager"],
            submitted_at=submitted,
            **fields,
        )

    referral(at(D(2026, 4, 1), 0, 5), status="decided", decision="notify")  # first minute
    referral(at(D(2026, 7, 15)), status="decided", decision="no_further_action")
    referral(at(D(2026, 11, 30)), status="submitted")
    referral(at(D(2027, 3, 31), 23, 55), status="withdrawn")  # last minutes
    referral(at(D(2026, 3, 31), 23, 55), status="decided", decision="notify")  # the year before
    referral(at(D(2027, 4, 1), 0, 5), status="submitted")  # the year after
    referral(None, status="draft")  # never submitted
    referral(at(D(2026, 6, 1)), partnership=world.other_partnership, status="submitted")


def test_referrals_received_in_the_year_and_what_became_of_them(world, referrals, today):
    report = reports.annual_report(world["business_manager"], period=THIS_YEAR, today=today)

    assert figures_of(report.referrals) == {
        "Referrals received": 4,
        "of which the sub-group asked for a notification": 1,
        "of which the sub-group convened a rapid review without one": 0,
        "of which no further action": 1,
        "of which withdrawn": 1,
        "of which not yet decided": 1,
    }


def test_a_calendar_year_counts_january_to_december(world, referrals, today):
    report = reports.annual_report(
        world["business_manager"], period=Period(YearKind.CALENDAR, 2026), today=today
    )

    assert figures_of(report.referrals)["Referrals received"] == 4  # 31 Mar 2026 to 30 Nov 2026


# Notifications, rapid reviews, their decisions and the Panel's responses.
def waived(case, rule):
    """A deadline a record needs but this test does not count (waived is counted nowhere)."""
    return deadline_on(case, rule, due_on=D(2026, 6, 1), status=DeadlineStatus.WAIVED)


def notification(case, sent_on):
    return Notification.objects.create(
        case=case,
        date_aware=D(2026, 1, 5),
        deadline=waived(case, Rule.NOTIFICATION),
        sent_on=sent_on,
        created_by=case.created_by,
    )


def rapid_review(case, opened):
    review = RapidReview.objects.create(
        case=case,
        opened_by=case.created_by,
        clock_start=opened.date(),
        clock_start_basis="The partnership was told",
        meeting_deadline=waived(case, Rule.LEARNING_MEETING),
        report_deadline=waived(case, Rule.RAPID_REVIEW_REPORT),
    )
    RapidReview.objects.filter(pk=review.pk).update(opened_at=opened)
    return review


def meeting(review, held_on, recommendation):
    return LearningMeeting.objects.create(
        rapid_review=review,
        held_on=held_on,
        attendees="A. Fictional, chair",
        recommendation=recommendation,
        rationale="Fictional rationale.",
        recorded_by=review.opened_by,
    )


def panel(review, received_on, outcome):
    return PanelResponse.objects.create(
        rapid_review=review,
        outcome=outcome,
        letter_date=received_on,
        received_on=received_on,
        text="The Panel's letter (fictional).",
        recorded_by=review.opened_by,
    )


@pytest.fixture
def reviews(world):
    north, south = world.partnership, world.other_partnership
    notification(new_case(north, "Child N1"), D(2026, 4, 1))
    notification(new_case(north, "Child N2"), D(2027, 3, 31))
    notification(new_case(north, "Child N3"), D(2026, 3, 31))  # the year before
    notification(new_case(north, "Child N4"), None)  # not sent
    notification(new_case(south, "Child S1"), D(2026, 5, 1))

    first = rapid_review(new_case(north, "Child A"), at(D(2026, 4, 1), 0, 10))
    meeting(first, D(2026, 4, 10), "local_cspr")
    panel(first, D(2026, 5, 1), "more_information")
    panel(first, D(2026, 6, 1), "agrees_local_cspr")
    before = rapid_review(new_case(north, "Child B"), at(D(2026, 3, 31), 23, 50))
    meeting(before, D(2026, 3, 31), "no_cspr")  # held the year before
    panel(before, D(2026, 4, 1), "agrees_no_cspr")  # but answered in this one
    second = rapid_review(new_case(north, "Child C"), at(D(2026, 6, 20)))
    meeting(second, D(2027, 3, 31), "no_cspr")
    southern = rapid_review(new_case(south, "Child S2"), at(D(2026, 6, 20)))
    meeting(southern, D(2026, 7, 1), "national_review")
    panel(southern, D(2026, 8, 1), "national_review")


def test_notifications_rapid_reviews_and_their_decisions(world, reviews, today):
    report = reports.annual_report(world["executive"], period=THIS_YEAR, today=today)

    assert report.notifications == 2
    assert report.rapid_reviews_opened == 2
    assert figures_of(report.recommendations) == {
        "A local child safeguarding practice review": 1,
        "A national review": 0,
        "No child safeguarding practice review": 1,
        "Another type of review": 0,
    }
    assert figures_of(report.panel_responses) == {
        "Agrees a local CSPR": 1,
        "Agrees no CSPR": 1,
        "Asks for more information": 1,
        "Asks the partnership to reconsider": 0,
        "Takes the case into a national review": 0,
    }


# Local reviews.
def local_review(case, *, commissioned, status="under_way", **fields):
    review = LocalReview.objects.create(
        case=case, commissioned_by=case.created_by, status=status, **fields
    )
    LocalReview.objects.filter(pk=review.pk).update(commissioned_at=commissioned)
    return review


@pytest.fixture
def local_reviews(world):
    north = world.partnership
    manager = world["business_manager"]
    local_review(new_case(north, "Child L1"), commissioned=at(D(2026, 4, 1), 0, 1))
    local_review(
        new_case(north, "Child L2"),
        commissioned=at(D(2026, 6, 10)),
        status="approved",
        approved_at=at(D(2026, 11, 1)),
        approved_by=manager,
    )
    local_review(
        new_case(north, "Child L3"),
        commissioned=at(D(2026, 2, 1)),
        status="published",
        approved_at=at(D(2026, 3, 31), 23, 59),
        approved_by=manager,
        published_on=D(2026, 4, 1),
    )
    local_review(
        new_case(north, "Child L4"),
        commissioned=at(D(2026, 3, 31), 23, 59),
        status="not_published",
        approved_at=at(D(2026, 4, 2)),
        approved_by=manager,
        not_published_reason="The family asked us not to (fictional).",
        publication_recorded_at=at(D(2026, 12, 3)),
    )
    local_review(
        new_case(world.other_partnership, "Child S3"),
        commissioned=at(D(2026, 6, 10)),
        status="published",
        approved_at=at(D(2026, 8, 1)),
        published_on=D(2026, 9, 1),
    )


def test_local_reviews_commissioned_completed_and_published(world, local_reviews, today):
    report = reports.annual_report(world["subgroup_chair"], period=THIS_YEAR, today=today)

    assert figures_of(report.local_reviews) == {
        "Commissioned": 2,
        "Completed (final report approved by the executive)": 2,
        "Published": 1,
        "Decided not to publish": 1,
    }


def test_the_year_before_counts_what_fell_on_its_last_day(world, local_reviews, today):
    report = reports.annual_report(
        world["subgroup_chair"], period=Period(YearKind.FINANCIAL, 2025), today=today
    )

    assert figures_of(report.local_reviews) == {
        "Commissioned": 2,
        "Completed (final report approved by the executive)": 1,
        "Published": 0,
        "Decided not to publish": 0,
    }


# Timeliness.
@pytest.fixture
def deadlines(world):
    case = world.case
    notify = Rule.NOTIFICATION
    deadline_on(case, notify, due_on=D(2026, 4, 1), status="met", completed_on=D(2026, 4, 1))
    deadline_on(case, notify, due_on=D(2027, 3, 31))  # not yet due
    deadline_on(case, notify, due_on=D(2026, 8, 3), status="missed", completed_on=D(2026, 8, 5))
    deadline_on(case, notify, due_on=D(2026, 9, 1), status="waived")
    deadline_on(case, notify, due_on=D(2026, 3, 31), status="missed")  # the year before
    deadline_on(world.other_case, notify, due_on=D(2026, 6, 1), status="missed")


def test_timeliness_against_each_statutory_deadline(world, deadlines, today):
    report = reports.annual_report(world["business_manager"], period=THIS_YEAR, today=today)

    notification_row = report.timeliness[0]
    assert notification_row.rule == Rule.NOTIFICATION
    assert (notification_row.met, notification_row.missed, notification_row.pending) == (1, 1, 1)
    assert notification_row.percent_met == 50
    assert notification_row.median_days == 8  # 7 and 9 days from the anchor


# Actions by status.
@pytest.fixture
def actions(world, today):
    case, police = world.case, world.police
    later = D(2027, 1, 29)
    action_on(case, agency=police, status="not_started", due_on=later)
    action_on(case, agency=police, status="on_track", due_on=later)
    action_on(case, agency=police, status="on_track", due_on=D(2026, 12, 3))  # overdue
    action_on(case, agency=police, status="at_risk", due_on=later)
    action_on(case, agency=police, status="complete", due_on=D(2026, 11, 2))
    action_on(case, agency=police, status="impact_assured", due_on=D(2026, 10, 1))
    action_on(world.other_case, agency=police, status="on_track", due_on=D(2026, 1, 1))


def test_actions_by_status_as_they_stand_today_while_the_year_runs(world, actions, today):
    report = reports.annual_report(world["executive"], period=THIS_YEAR, today=today)

    assert report.actions_as_at == today
    assert figures_of(report.actions) == {
        "Not started": 1,
        "On track": 1,
        "At risk": 1,
        "Overdue": 1,
        "Complete": 1,
        "Impact assured": 1,
    }


def test_a_past_years_actions_are_as_they_stood_on_its_last_day(world, today):
    case, police = world.case, world.police
    with travel(D(2026, 2, 2)):
        done_since = action_on(case, agency=police, status="on_track", due_on=D(2026, 6, 1))
        late = action_on(case, agency=police, status="on_track", due_on=D(2026, 3, 16))
    with travel(D(2026, 5, 5)):
        done_since.status, done_since.completed_on = ActionStatus.COMPLETE, D(2026, 5, 5)
        done_since.save()
        late.status = ActionStatus.AT_RISK
        late.save()
    with travel(D(2026, 4, 1)):
        action_on(case, agency=police, status="on_track", due_on=D(2026, 6, 1))  # too late

    report = reports.annual_report(
        world["executive"], period=Period(YearKind.FINANCIAL, 2025), today=today
    )

    assert report.actions_as_at == D(2026, 3, 31)
    numbers = figures_of(report.actions)
    assert (numbers["On track"], numbers["Overdue"], numbers["Complete"]) == (1, 1, 0)
    assert sum(numbers.values()) == 2


# Themes.
def event(case, when):
    made = CaseEvent.objects.create(case=case, kind=EventKind.CASE_OPENED, summary="Opened")
    CaseEvent.objects.filter(pk=made.pk).update(at=when)


@pytest.fixture
def themes(world):
    north = world.partnership
    first, before, third = (new_case(north, name) for name in ("Child T1", "Child T2", "Child T3"))
    event(first, at(D(2026, 4, 1), 0, 1))
    event(before, at(D(2026, 3, 31), 23, 59))
    event(third, at(D(2027, 3, 31), 23, 59))
    event(world.other_case, at(D(2026, 6, 1)))
    for case in (first, before, third):
        theme_on(case, "Neglect")
    theme_on(first, "Domestic abuse")
    theme_on(before, "Safe sleep")
    theme_on(world.other_case, "Exploitation")


def test_themes_of_the_cases_with_activity_in_the_year(world, themes, today):
    report = reports.annual_report(world["business_manager"], period=THIS_YEAR, today=today)

    assert report.active_cases == 2
    assert [(theme.name, number) for theme, number in report.themes] == [
        ("Neglect", 2),
        ("Domestic abuse", 1),
    ]


# The page, the PDF and the CSV.
@pytest.fixture
def history(referrals, reviews, local_reviews, deadlines, actions, themes):
    """Everything above at once."""


def test_the_page_shows_this_financial_year_by_default(world, history, client, today):
    client.force_login(world["business_manager"])

    response = client.get(reverse("annual-report"))

    html = response.content.decode()
    assert "Annual report figures: Financial year 2026 to 2027" in html
    assert "From 1 April 2026 to 31 March 2027" in html
    assert "What it counts" in html
    assert "<svg" in html  # the charts beside the tables
    assert response.context["report"].notifications == 2


def test_the_page_shows_a_chosen_calendar_year(world, history, client, today):
    client.force_login(world["business_manager"])

    response = client.get(reverse("annual-report"), {"year": "2025", "kind": "calendar"})

    assert response.context["report"].period == Period(YearKind.CALENDAR, 2025)
    assert "Calendar year 2025" in response.content.decode()


@pytest.mark.parametrize(
    "year,message",
    [
        ("twenty", "Enter the year as a number, for example 2026"),
        ("1999", "Enter a year from 2000 to 2026"),
        ("2027", "Enter a year from 2000 to 2026"),
    ],
)
def test_a_bad_year_is_shown_as_an_error(world, client, today, year, message):
    client.force_login(world["business_manager"])

    response = client.get(reverse("annual-report"), {"year": year, "kind": "financial"})
    download = client.get(reverse("annual-report-csv"), {"year": year})

    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert 'href="#id_year"' in html
    assert f'value="{year}"' in html  # what was typed is kept
    assert "<title>Error: " in html
    assert download.status_code == 400


def test_a_bad_kind_of_year_is_shown_as_an_error(world, client, today):
    client.force_login(world["business_manager"])

    html = client.get(reverse("annual-report"), {"year": "2026", "kind": "lunar"}).content.decode()

    assert "Choose a financial year or a calendar year" in html


def test_the_pdf_holds_the_figures_and_is_tagged(world, history, client, today):
    client.force_login(world["executive"])

    response = client.get(reverse("annual-report-pdf"), {"year": "2026", "kind": "financial"})

    assert response["Content-Type"] == "application/pdf"
    assert "annual-report-2026-27.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Annual report figures: Financial year 2026 to 2027" in text
    assert "Referrals received 4" in text
    assert "Notify the Panel" in text and "What it counts" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_lists_every_figure(world, history, client, today):
    client.force_login(world["business_manager"])

    response = client.get(reverse("annual-report-csv"))

    rows = read_csv(response)
    assert rows[0] == reports.ANNUAL_CSV_HEADER
    assert ["Referrals", "Referrals received", "4", "", ""] in rows
    assert ["Rapid reviews", "Rapid reviews opened", "2", "", ""] in rows
    assert ["Timeliness", "Notify the Panel: met", "1", "50", "8"] in rows
    assert ["Actions by status at 4 December 2026", "Overdue", "1", "", ""] in rows
    assert ["Themes", "Neglect", "2", "", ""] in rows
    assert "annual-report-2026-27.csv" in response["Content-Disposition"]


def test_the_stranger_sees_only_southvales_figures(world, history, client, today):
    client.force_login(world["stranger"])

    report = client.get(reverse("annual-report")).context["report"]

    assert figures_of(report.referrals)["Referrals received"] == 1
    assert report.notifications == 1 and report.rapid_reviews_opened == 1
    assert figures_of(report.local_reviews)["Published"] == 1
    assert report.timeliness[0].missed == 1 and report.timeliness[0].met == 0
    assert (
        figures_of(report.actions)["Overdue"] == 1 and sum(figures_of(report.actions).values()) == 1
    )
    assert [theme.name for theme, _ in report.themes] == ["Exploitation"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_only_the_partnership_wide_roles_see_the_figures(world, client, today, persona, name):
    client.force_login(world[persona])

    response = client.get(reverse(name))

    assert response.status_code == (200 if persona in SEES else 403)


@pytest.mark.parametrize("name", VIEWS)
def test_someone_not_signed_in_is_sent_to_sign_in(client, world, name):
    assert client.get(reverse(name)).status_code == 302


def test_the_page_takes_a_bounded_number_of_queries(
    world, history, client, today, django_assert_max_num_queries
):
    client.force_login(world["business_manager"])
    for index in range(10):
        case = new_case(world.partnership, f"Child M{index}")
        action_on(case, agency=world.health, status="on_track", due_on=D(2026, 1, 1))
        theme_on(case, "Neglect")
        event(case, at(D(2026, 6, 1)))

    with django_assert_max_num_queries(25):
        response = client.get(reverse("annual-report"))
    assert response.context["report"].active_cases == 12
