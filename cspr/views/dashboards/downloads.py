"""The dashboard's CSV downloads: every list and table on the page, made by the same reads
(so scoped exactly as the page is), with the section whose role each needs."""

import datetime

from django.utils import timezone

from cspr.selectors import cases_by_stage
from cspr.views.dashboards.selectors import (
    AGENCY,
    BUSINESS_UNIT,
    CHAIR,
    EXECUTIVE,
    agency_actions,
    agency_requests,
    barriers_waiting,
    chair_waiting,
    deadlines_to_watch,
    open_by_stage,
    open_cases,
    overdue_actions,
    overdue_by_agency,
    returns_by_agency,
    returns_outstanding,
    themes_over_time,
    timeliness,
)


def _date(value):
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def _csv_open_cases(user, today, calendar):
    return ["Case", "Stage", "Opened", "Next deadline", "Due on"], [
        [
            c.pseudonym,
            c.get_stage_display(),
            _date(c.created_at),
            getattr(c, "next_due_title", ""),
            getattr(c, "next_due_on", None),
        ]
        for c in open_cases(user, today=today, calendar=calendar).items
    ]


def _csv_open_by_stage(user, today, calendar):
    return ["Stage", "Open cases"], [[s.label, n] for s, n in open_by_stage(user)]


def _csv_deadlines(user, today, calendar):
    return ["Case", "Deadline", "Due on", "Status"], [
        [d.case.pseudonym, d.title, d.due_on, due.text]
        for d, due in deadlines_to_watch(user, today=today, calendar=calendar).items
    ]


def _csv_returns(user, today, calendar):
    return ["Case", "Agency", "Due on", "Status"], [
        [r.rapid_review.case.pseudonym, r.agency.name, r.deadline.due_on, due.text]
        for r, due in returns_outstanding(user, today=today, calendar=calendar).items
    ]


def _csv_returns_by_agency(user, today, calendar):
    return ["Agency", "Returns outstanding", "Of which overdue"], [
        list(row) for row in returns_by_agency(user, today=today)
    ]


def _csv_chair(user, today, calendar):
    return ["About", "Waiting for", "Since"], [
        [w.about, w.what, _date(w.since)] for w in chair_waiting(user)
    ]


def _csv_cases_by_stage(user, today, calendar):
    return ["Stage", "Cases"], [[s.label, n] for s, n in cases_by_stage(user)]


def _csv_timeliness(user, today, calendar):
    since, rules = timeliness(user, today=today)
    header = [
        "Deadline",
        "From",
        "To",
        "Met",
        "Missed",
        "Not yet due",
        "Per cent met",
        "Median days",
    ]
    return header, [
        [r.label, since, today, r.met, r.missed, r.pending, r.percent_met, r.median_days]
        for r in rules
    ]


def _csv_overdue_actions(user, today, calendar):
    return ["Case", "Action", "Agency", "Owner", "What will change", "Due on", "Days overdue"], [
        [
            a.plan.case.pseudonym,
            a.number,
            a.agency.name,
            a.owner_name,
            a.change,
            a.due_on,
            (today - a.due_on).days,
        ]
        for a in overdue_actions(user, today=today).items
    ]


def _csv_overdue_by_agency(user, today, calendar):
    return ["Agency", "Overdue actions"], [
        list(row) for row in overdue_by_agency(user, today=today)
    ]


def _csv_themes(user, today, calendar):
    years, themes = themes_over_time(user, today=today)
    return ["Theme", *years], [[name, *numbers] for name, numbers in themes]


def _csv_barriers(user, today, calendar):
    return ["Case", "Action", "Agency", "Raised on", "Barrier"], [
        [
            b.action.plan.case.pseudonym,
            b.action.number,
            b.action.agency.name,
            _date(b.raised_at),
            b.description,
        ]
        for b in barriers_waiting(user).items
    ]


def _csv_agency_requests(user, today, calendar):
    return ["Case", "Due on", "Status"], [
        [r.rapid_review.case.pseudonym, r.deadline.due_on, due.text]
        for r, due in agency_requests(user, today=today, calendar=calendar).items
    ]


def _csv_agency_actions(user, today, calendar):
    return ["Case", "Action", "What will change", "Owner", "Due on", "Status"], [
        [a.plan.case.pseudonym, a.number, a.change, a.owner_name, a.due_on, status.label]
        for a, status in agency_actions(user, today=today).items
    ]


# Each download: the section whose role it needs, and how to make it.
DOWNLOADS = {
    "open-cases": (BUSINESS_UNIT, _csv_open_cases),
    "open-cases-by-stage": (BUSINESS_UNIT, _csv_open_by_stage),
    "deadlines": (BUSINESS_UNIT, _csv_deadlines),
    "returns-outstanding": (BUSINESS_UNIT, _csv_returns),
    "returns-by-agency": (BUSINESS_UNIT, _csv_returns_by_agency),
    "waiting-for-the-chair": (CHAIR, _csv_chair),
    "cases-by-stage": (EXECUTIVE, _csv_cases_by_stage),
    "timeliness": (EXECUTIVE, _csv_timeliness),
    "overdue-actions": (EXECUTIVE, _csv_overdue_actions),
    "overdue-actions-by-agency": (EXECUTIVE, _csv_overdue_by_agency),
    "themes": (EXECUTIVE, _csv_themes),
    "barriers": (EXECUTIVE, _csv_barriers),
    "agency-requests": (AGENCY, _csv_agency_requests),
    "agency-actions": (AGENCY, _csv_agency_actions),
}
