"""The quarterly exception report: exactly the open actions that are overdue, at risk or
held up by an open barrier, by case and by agency, as a page, a tagged PDF and a CSV, for
the partnership-wide roles of the partnership only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions import reports
from actions.models import PlanSource, ProgressUpdate
from cspr.models import AccessLogEntry
from tests.actions.test_figures import action_on, barrier_on
from tests.conftest import PERSONAS
from tests.factories import CaseFactory

D = datetime.date
SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "stranger"}
VIEWS = ["exception-report", "exception-report-pdf", "exception-report-csv"]


@pytest.fixture
def plan(world, today):
    """Child Q's and Child R's actions on Friday 4 December 2026, by what the report should
    make of them; Southvale's overdue action beside them."""
    q, r = world.case, CaseFactory(partnership=world.partnership, pseudonym="Child R")
    police, health = world.police, world.health
    later = D(2027, 2, 1)
    made = {
        "complete": action_on(q, agency=police, status="complete", due_on=D(2026, 11, 1)),
        "closed_barrier": action_on(q, agency=police, status="on_track", due_on=later),
        "open_barrier": action_on(q, agency=police, status="on_track", due_on=later),
        "overdue": action_on(
            q, agency=health, status="on_track", due_on=D(2026, 11, 30), owner_name="Jo Nurse"
        ),
        "at_risk": action_on(q, agency=health, status="at_risk", due_on=later),
        "not_started": action_on(q, agency=health, status="not_started", due_on=later),
        "assured": action_on(q, agency=health, status="impact_assured", due_on=D(2026, 6, 1)),
        "answered_barrier": action_on(
            r, agency=police, status="not_started", due_on=later, source=PlanSource.LOCAL_REVIEW
        ),
        "southvale": action_on(
            world.other_case, agency=police, status="on_track", due_on=D(2026, 11, 2)
        ),
    }
    barrier_on(made["complete"])
    barrier_on(made["closed_barrier"], closed=True)
    barrier_on(made["open_barrier"])
    barrier_on(made["answered_barrier"], response="Funding agreed from April (fictional).")
    for text in ("Training booked for January.", "Trainer off sick; rebooking."):
        ProgressUpdate.objects.create(
            action=made["overdue"], text=text, status="on_track", by=q.created_by
        )
    return made


def in_report(report):
    return {(row.case.pseudonym, row.action.number) for row in report.rows}


def names(plan, *keys):
    return {(plan[key].plan.case.pseudonym, plan[key].number) for key in keys}


def test_it_holds_exactly_the_overdue_at_risk_and_held_up_open_actions(world, plan, today):
    report = reports.exception_report(world["business_manager"], as_at=today)

    assert in_report(report) == names(
        plan, "open_barrier", "overdue", "at_risk", "answered_barrier"
    )


def test_it_says_why_each_action_is_there(world, plan, today):
    report = reports.exception_report(world["executive"], as_at=today)
    reasons = {row.action.pk: row.reasons for row in report.rows}

    assert reasons[plan["overdue"].pk] == ["Overdue by 4 working days"]
    assert reasons[plan["at_risk"].pk] == ["Reported at risk"]
    assert "awaiting the executive" in reasons[plan["open_barrier"].pk][0]
    assert "No budget for the training" in reasons[plan["open_barrier"].pk][0]
    assert (
        "the executive responded: Funding agreed from April"
        in reasons[plan["answered_barrier"].pk][0]
    )


def test_it_groups_by_case_then_agency_and_counts_by_agency(world, plan, today):
    report = reports.exception_report(world["subgroup_chair"], as_at=today)

    assert [case.pseudonym for case, _ in report.cases] == ["Child Q", "Child R"]
    child_q = report.cases[0][1]
    assert [row.action.agency.name for row in child_q] == [
        "Northtown Health Trust",
        "Northtown Health Trust",
        "Northtown Police",
    ]
    counts = {
        c.agency.name: (c.overdue, c.at_risk, c.with_barrier, c.actions) for c in report.by_agency
    }
    assert counts == {"Northtown Health Trust": (1, 1, 0, 2), "Northtown Police": (0, 0, 2, 2)}


def test_it_is_titled_by_the_financial_quarter_of_its_date(world, plan, today):
    assert reports.exception_report(world["executive"], as_at=today).title == (
        "Quarter 3, 2026 to 2027"
    )


@pytest.mark.parametrize(
    "day,title",
    [
        (D(2026, 4, 1), "Quarter 1, 2026 to 2027"),
        (D(2026, 6, 30), "Quarter 1, 2026 to 2027"),
        (D(2026, 7, 1), "Quarter 2, 2026 to 2027"),
        (D(2026, 12, 31), "Quarter 3, 2026 to 2027"),
        (D(2027, 1, 1), "Quarter 4, 2026 to 2027"),
        (D(2027, 3, 31), "Quarter 4, 2026 to 2027"),
        (D(2027, 4, 1), "Quarter 1, 2027 to 2028"),
    ],
)
def test_quarters_run_from_april(day, title):
    assert reports.quarter_title(day) == title


def test_a_later_date_counts_more_actions_overdue(world, plan, client, today):
    client.force_login(world["business_manager"])

    response = client.get(reverse("exception-report"), {"as_at": "2027-02-08"})

    report = response.context["report"]
    assert report.title == "Quarter 4, 2026 to 2027"
    assert in_report(report) == names(
        plan,
        "open_barrier",
        "overdue",
        "at_risk",
        "answered_barrier",
        "not_started",
        "closed_barrier",
    )
    overdue = {row.action.pk: row.reasons[0] for row in report.rows}
    assert overdue[plan["at_risk"].pk] == "Overdue by 5 working days"


def test_a_date_in_the_past_is_refused_with_the_error_shown(world, plan, client, today):
    client.force_login(world["business_manager"])

    page = client.get(reverse("exception-report"), {"as_at": "2026-12-03"})
    pdf = client.get(reverse("exception-report-pdf"), {"as_at": "2026-12-03"})

    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "The date must be today or later" in html
    assert "<title>Error: " in html
    assert not page.context.get("report")
    assert pdf.status_code == 400


def test_a_nonsense_date_is_refused(world, client, today):
    client.force_login(world["business_manager"])

    html = client.get(reverse("exception-report"), {"as_at": "31/02/2026"}).content.decode()

    assert "Enter a real date" in html


def test_the_page_shows_each_action_with_its_latest_progress(world, plan, client, today):
    client.force_login(world["subgroup_member"])

    html = client.get(reverse("exception-report")).content.decode()

    assert "Exception report: Quarter 3, 2026 to 2027" in html
    assert "Jo Nurse" in html and "Overdue by 4 working days" in html
    assert "Trainer off sick; rebooking." in html
    assert "Training booked for January." not in html
    assert "Child Z" not in html


def test_the_pdf_holds_the_report_and_is_tagged(world, plan, client, today):
    client.force_login(world["executive"])

    response = client.get(reverse("exception-report-pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Quarter 3, 2026 to 2027" in text
    assert "Child Q" in text and "Child R" in text and "Jo Nurse" in text
    assert "awaiting the executive" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_a_row_for_each_action_with_formulas_defused(world, plan, client, today):
    plan["overdue"].finding = '=HYPERLINK("http://example.invalid","Click")'
    plan["overdue"].save()
    client.force_login(world["business_manager"])

    response = client.get(reverse("exception-report-csv"))

    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0] == reports.EXCEPTION_CSV_HEADER
    assert len(rows) == 5
    overdue = next(row for row in rows if row[6] == "Jo Nurse")
    assert overdue[3] == '\'=HYPERLINK("http://example.invalid","Click")'
    assert overdue[:3] == ["Child Q", "Rapid review", str(plan["overdue"].number)]
    assert overdue[7:] == [
        "2026-11-30",
        "Overdue",
        "Overdue by 4 working days",
        "Trainer off sick; rebooking.",
        "2026-12-04",
    ]


def test_reading_the_report_is_in_the_access_log(world, plan, client, today):
    client.force_login(world["business_manager"])

    client.get(reverse("exception-report"))

    logged = AccessLogEntry.objects.filter(object_type="action", url_name="exception-report")
    assert {entry.object_id for entry in logged} == {
        plan[key].pk for key in ("open_barrier", "overdue", "at_risk", "answered_barrier")
    }
    assert {entry.case_id for entry in logged} == {
        plan["overdue"].plan.case_id,
        plan["answered_barrier"].plan.case_id,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_only_the_partnership_wide_roles_see_it(world, plan, client, today, persona, name):
    client.force_login(world[persona])

    response = client.get(reverse(name))

    assert response.status_code == (200 if persona in SEES else 403)


@pytest.mark.parametrize("name", VIEWS)
def test_the_stranger_sees_only_their_own_partnerships_actions(world, plan, client, today, name):
    client.force_login(world["stranger"])

    response = client.get(reverse(name))

    content = response.content
    if name == "exception-report-pdf":
        reader = PdfReader(io.BytesIO(content))
        content = " ".join(page.extract_text() for page in reader.pages).encode()
    assert b"Child Z" in content
    assert b"Child Q" not in content and b"Child R" not in content


@pytest.mark.parametrize("name", VIEWS)
def test_someone_not_signed_in_is_sent_to_sign_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302


def test_the_page_takes_as_many_queries_for_many_actions_as_for_few(
    world, plan, client, today, django_assert_max_num_queries
):
    client.force_login(world["business_manager"])
    client.get(reverse("exception-report"))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("exception-report"))
    for index in range(6):
        case = CaseFactory(partnership=world.partnership, pseudonym=f"Child {index}X")
        for agency in (world.police, world.health, world.children):
            action = action_on(case, agency=agency, status="at_risk", due_on=D(2026, 10, 1))
            barrier_on(action)
            ProgressUpdate.objects.create(
                action=action, text="Still at risk.", status="at_risk", by=case.created_by
            )

    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("exception-report"))
    assert response.context["report"].total == 4 + 18
