"""The shared figures (actions/figures.py) against hand-counted rows: statutory deadline
timeliness, actions by status with overdue worked out, and themes across cases.

The small builders here (`plan_for`, `action_on`, `deadline_on`, `theme_on`) make rows
straight with the ORM, so that the reports' tests do not depend on the action plan
services; the exception and annual report tests use them too."""

import datetime

import pytest

from actions import figures
from actions.models import Action, ActionPlan, ActionStatus, Barrier, CaseTheme, PlanSource, Theme
from cspr.deadline_rules import Rule
from cspr.models import Case, DeadlineStatus
from tests.factories import CaseFactory, DeadlineFactory

D = datetime.date


def plan_for(case, source=PlanSource.RAPID_REVIEW):
    plan, _ = ActionPlan.objects.get_or_create(
        case=case, source=source, defaults={"created_by": case.created_by}
    )
    return plan


def action_on(case, *, agency, status=ActionStatus.ON_TRACK, due_on, source=None, **fields):
    """An action on the case's plan (the rapid review's unless `source` says), numbered next."""
    plan = plan_for(case, source or PlanSource.RAPID_REVIEW)
    number = plan.actions.count() + 1
    fields.setdefault("finding", f"Finding {number}: information was not shared (fictional).")
    fields.setdefault("change", "A joint strategy discussion in every such case.")
    fields.setdefault("owner_name", "Sam Owner")
    return Action.objects.create(
        plan=plan,
        number=number,
        agency=agency,
        status=status,
        due_on=due_on,
        created_by=case.created_by,
        **fields,
    )


def barrier_on(action, *, closed=False, response=""):
    from django.utils import timezone

    barrier = Barrier.objects.create(
        action=action,
        description="No budget for the training until April (fictional).",
        raised_by=action.created_by,
        response=response,
        responded_at=timezone.now() if response else None,
        responded_by=action.created_by if response else None,
    )
    if closed:
        barrier.closed_at = timezone.now()
        barrier.closed_by = action.created_by
        barrier.save()
    return barrier


def deadline_on(case, rule, *, due_on, status=DeadlineStatus.OPEN, completed_on=None, anchor=None):
    return DeadlineFactory(
        case=case,
        rule=rule,
        title=Rule(rule).label,
        anchor_date=anchor or due_on - datetime.timedelta(days=7),
        due_on=due_on,
        status=status,
        completed_on=completed_on,
    )


def theme_on(case, name):
    return CaseTheme.objects.create(
        case=case, theme=Theme.objects.get(name=name), added_by=case.created_by
    )


def by_rule(rows):
    return {row.rule: row for row in rows}


@pytest.fixture
def deadlines(world, today):
    """Child Q's and Child R's statutory deadlines around the financial year 2026 to 2027,
    with Southvale's Child Z's beside them (never counted for Northtown)."""
    case, other = world.case, CaseFactory(partnership=world.partnership, pseudonym="Child R")
    notify = Rule.NOTIFICATION
    # In the period, 1 April 2026 to 31 March 2027, with "today" 4 December 2026:
    deadline_on(
        case,
        notify,
        due_on=D(2026, 4, 1),
        status="met",
        completed_on=D(2026, 3, 30),
        anchor=D(2026, 3, 25),
    )  # met, 5 days
    deadline_on(
        other,
        notify,
        due_on=D(2026, 6, 1),
        status="met",
        completed_on=D(2026, 6, 1),
        anchor=D(2026, 5, 22),
    )  # met, 10 days
    deadline_on(
        other,
        notify,
        due_on=D(2026, 7, 1),
        status="missed",
        completed_on=D(2026, 7, 3),
        anchor=D(2026, 6, 24),
    )  # done late, 9 days
    deadline_on(case, notify, due_on=D(2026, 8, 3), status="missed")  # swept, not done
    deadline_on(case, notify, due_on=D(2026, 9, 1), status="waived")  # nowhere
    deadline_on(case, notify, due_on=D(2026, 12, 1))  # open and past: missed
    deadline_on(case, notify, due_on=D(2027, 3, 31))  # open, not yet due: pending
    deadline_on(case, notify, due_on=D(2026, 12, 10), status="paused")  # pending
    # Outside it, either side of the boundaries:
    deadline_on(case, notify, due_on=D(2026, 3, 31), status="met", completed_on=D(2026, 3, 31))
    deadline_on(case, notify, due_on=D(2027, 4, 1))
    # Another rule in the period, and a local one that is never counted:
    deadline_on(
        case,
        Rule.RAPID_REVIEW_REPORT,
        due_on=D(2026, 10, 1),
        status="met",
        completed_on=D(2026, 9, 30),
        anchor=D(2026, 9, 9),
    )  # 21 days
    deadline_on(case, Rule.AGENCY_RETURN, due_on=D(2026, 10, 1), status="missed")
    # Southvale's:
    deadline_on(world.other_case, notify, due_on=D(2026, 6, 1), status="missed")
    return case, other


def test_timeliness_counts_met_missed_and_pending_in_the_period(world, deadlines):
    rows = by_rule(
        figures.timeliness(
            Case.objects.filter(partnership=world.partnership),
            start=D(2026, 4, 1),
            end=D(2027, 3, 31),
        )
    )

    notification = rows[Rule.NOTIFICATION]
    assert (notification.met, notification.missed, notification.pending) == (2, 3, 2)
    assert notification.decided == 5
    assert notification.percent_met == 40
    assert notification.median_days == 9  # of 7, 10 and 9 days
    report = rows[Rule.RAPID_REVIEW_REPORT]
    assert (report.met, report.missed, report.pending, report.median_days) == (1, 0, 0, 21)
    assert report.percent_met == 100


def test_timeliness_lists_every_statutory_rule_and_no_local_one(world, deadlines):
    rows = figures.timeliness(
        Case.objects.filter(partnership=world.partnership),
        start=D(2026, 4, 1),
        end=D(2027, 3, 31),
    )

    assert [row.rule for row in rows] == [rule.value for rule in figures.STATUTORY_RULES]
    assert Rule.AGENCY_RETURN not in {row.rule for row in rows}
    empty = by_rule(rows)[Rule.CSPR_COMPLETION]
    assert (empty.met, empty.missed, empty.pending, empty.median_days) == (0, 0, 0, None)
    assert empty.percent_met is None


def test_timeliness_counts_only_the_cases_given(world, deadlines):
    rows = by_rule(
        figures.timeliness(
            Case.objects.filter(partnership=world.other_partnership),
            start=D(2026, 4, 1),
            end=D(2027, 3, 31),
        )
    )

    assert rows[Rule.NOTIFICATION].missed == 1
    assert rows[Rule.NOTIFICATION].met == 0


def test_timeliness_takes_a_period_boundary_day_on_both_sides(world, deadlines):
    before = by_rule(
        figures.timeliness(
            Case.objects.filter(pk=world.case.pk), start=D(2026, 1, 1), end=D(2026, 3, 31)
        )
    )
    after = by_rule(
        figures.timeliness(
            Case.objects.filter(pk=world.case.pk), start=D(2026, 4, 1), end=D(2026, 4, 1)
        )
    )

    assert before[Rule.NOTIFICATION].met == 1
    assert after[Rule.NOTIFICATION].met == 1
    assert after[Rule.NOTIFICATION].median_days == 5


def test_timeliness_takes_two_queries(world, deadlines, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures.timeliness(Case.objects.all(), start=D(2026, 4, 1), end=D(2027, 3, 31))


def test_actions_by_status_works_out_overdue_and_lists_every_status(world, today):
    case = world.case
    action_on(case, agency=world.police, status="not_started", due_on=D(2027, 1, 1))
    action_on(case, agency=world.police, status="on_track", due_on=D(2027, 1, 1))
    action_on(case, agency=world.police, status="on_track", due_on=D(2026, 12, 3))  # overdue
    action_on(case, agency=world.health, status="at_risk", due_on=D(2026, 11, 1))  # overdue
    action_on(case, agency=world.health, status="at_risk", due_on=today)  # due today: at risk
    action_on(
        case,
        agency=world.health,
        status="complete",
        due_on=D(2026, 1, 1),
        completed_on=D(2026, 1, 2),
    )
    action_on(case, agency=world.health, status="impact_assured", due_on=D(2026, 1, 1))
    action_on(world.other_case, agency=world.police, status="on_track", due_on=D(2026, 1, 1))

    counts = figures.actions_by_status(
        Action.objects.filter(plan__case__partnership=world.partnership), today=today
    )

    assert list(counts) == list(ActionStatus)
    assert counts == {
        ActionStatus.NOT_STARTED: 1,
        ActionStatus.ON_TRACK: 1,
        ActionStatus.AT_RISK: 1,
        ActionStatus.OVERDUE: 2,
        ActionStatus.COMPLETE: 1,
        ActionStatus.IMPACT_ASSURED: 1,
    }


def test_actions_by_status_agrees_with_the_status_people_see(world, today):
    for status, due_on in [("on_track", D(2026, 12, 3)), ("complete", D(2026, 12, 3))]:
        action_on(world.case, agency=world.police, status=status, due_on=due_on)

    counts = figures.actions_by_status(Action.objects.all(), today=today)

    for action in Action.objects.all():
        assert counts[action.status_on(today)] >= 1
    assert sum(counts.values()) == 2


def test_actions_by_status_of_nothing_is_all_zeros(world, today, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        counts = figures.actions_by_status(Action.objects.none(), today=today)
    assert set(counts.values()) == {0}


def test_theme_counts_count_cases_most_first_then_by_name(world):
    other = CaseFactory(partnership=world.partnership, pseudonym="Child R")
    third = CaseFactory(partnership=world.partnership, pseudonym="Child S")
    for case in (world.case, other, third):
        theme_on(case, "Neglect")
    for case in (world.case, other):
        theme_on(case, "Information sharing")
    theme_on(other, "Domestic abuse")
    theme_on(third, "Voice of the child")
    theme_on(world.other_case, "Safe sleep")

    rows = figures.theme_counts(Case.objects.filter(partnership=world.partnership))

    assert [(theme.name, number) for theme, number in rows] == [
        ("Neglect", 3),
        ("Information sharing", 2),
        ("Domestic abuse", 1),
        ("Voice of the child", 1),
    ]


def test_theme_counts_of_some_cases_only(world, django_assert_num_queries):
    theme_on(world.case, "Neglect")
    theme_on(CaseFactory(partnership=world.partnership), "Neglect")

    with django_assert_num_queries(1):
        rows = figures.theme_counts(Case.objects.filter(pk=world.case.pk))

    assert [(theme.name, number) for theme, number in rows] == [("Neglect", 1)]
