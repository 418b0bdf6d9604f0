"""Dashboards: one page with a section for each of the person's roles, and a CSV of every
list and table on it.

- The business unit: every open case by stage, the deadlines overdue or due in the next
  10 working days, and the information returns each agency still owes.
- The sub-group chair: the decisions and quality assurance waiting for them.
- An executive: cases by stage, timeliness against the statutory deadlines over the last
  12 months, overdue actions by agency, themes over the last three financial years, and
  the barriers escalated to the executive still waiting for a response.
- An agency contributor: their own agency's open information requests and open actions
  (their agency's only, even when another role of theirs sees more).

Everything is read through the access policy's scoped querysets (`cases_visible_to`,
`requests_visible_to`, `actions_visible_to`), so nobody sees another partnership's figures
or another agency's work. A person with none of these roles (an independent reviewer, an
administrator, a sub-group member who is not the chair) is refused with a 403. Each
section takes a fixed number of queries however many rows it has.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cspr import charts
from cspr.csv_export import csv_response
from cspr.selectors import cases_by_stage
from cspr.views.dashboards.downloads import DOWNLOADS
from cspr.views.dashboards.selectors import (
    AGENCY,
    BUSINESS_UNIT,
    CHAIR,
    EXECUTIVE,
    action_url,
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
    sections_for,
    themes_over_time,
    timeliness,
)
from cspr.working_days import load_calendar

# A list on the page shows its first rows and how many there are; the CSV beside it has
# them all. A partnership with years of cases has a hundred open ones and as many
# deadlines to watch: listing every one made the page slow to build and to read, and
# reading every one to show twenty took most of the page's time.
SHOWN = 20


def _guard(user):
    """The person's sections; a 403 for someone signed in with none."""
    sections = sections_for(user)
    if not sections:
        raise PermissionDenied(
            "The dashboard is for the business unit, the sub-group chair, executives and "
            "agency contributors."
        )
    return sections


def _shown(name, rows):
    """A long list's context: its first rows and how many there are in all."""
    return {name: rows.items, f"{name}_total": rows.total}


def _figures(user, sections, *, today, calendar):
    """The page's lists, tables and charts for the person's sections."""
    context = {}
    if BUSINESS_UNIT in sections:
        by_stage = open_by_stage(user)
        by_agency = returns_by_agency(user, today=today)
        context |= {
            "open_by_stage": by_stage,
            "open_by_stage_chart": charts.bar_chart(
                "Open cases by stage",
                [(stage.label, n) for stage, n in by_stage],
                desc="The figures are in the table beside the chart.",
            ),
            **_shown("open_cases", open_cases(user, today=today, calendar=calendar, first=SHOWN)),
            **_shown(
                "deadlines",
                deadlines_to_watch(user, today=today, calendar=calendar, first=SHOWN),
            ),
            **_shown(
                "returns_outstanding",
                returns_outstanding(user, today=today, calendar=calendar, first=SHOWN),
            ),
            "returns_by_agency": by_agency,
            "returns_chart": charts.bar_chart(
                "Information returns outstanding by agency",
                [(name, owed) for name, owed, _ in by_agency],
                desc="The figures are in the table beside the chart.",
            ),
        }
    if CHAIR in sections:
        context["chair_waiting"] = chair_waiting(user)
    if EXECUTIVE in sections:
        by_stage = cases_by_stage(user)
        since, rules = timeliness(user, today=today)
        overdue_agencies = overdue_by_agency(user, today=today)
        years, themes = themes_over_time(user, today=today)
        context |= {
            "cases_by_stage": by_stage,
            "cases_by_stage_chart": charts.bar_chart(
                "Cases by stage",
                [(stage.label, n) for stage, n in by_stage],
                desc="The figures are in the table beside the chart.",
            ),
            "timeliness_since": since,
            "timeliness": rules,
            "timeliness_chart": charts.percent_chart(
                "Statutory deadlines met in the last 12 months",
                [(row.label, row.met, row.decided) for row in rules],
                desc="The figures are in the table beside the chart.",
            ),
            "overdue_by_agency": overdue_agencies,
            "overdue_chart": charts.bar_chart(
                "Overdue actions by agency",
                overdue_agencies,
                desc="The figures are in the table beside the chart.",
            ),
            **_shown("overdue_actions", overdue_actions(user, today=today, first=SHOWN)),
            "theme_years": years,
            "themes": themes,
            "themes_chart": charts.grouped_bar_chart(
                "Cases by theme and the financial year they were opened",
                themes,
                series=years,
                desc="The figures are in the table beside the chart.",
            ),
            **_shown("barriers", barriers_waiting(user, first=SHOWN)),
        }
    if AGENCY in sections:
        context |= _shown(
            "agency_requests", agency_requests(user, today=today, calendar=calendar, first=SHOWN)
        ) | _shown("agency_actions", agency_actions(user, today=today, first=SHOWN))
    return context


@login_required
@require_GET
def dashboard(request):
    """The person's dashboard: a section for each of their roles that has one."""
    user = request.user
    sections = _guard(user)
    today, calendar = timezone.localdate(), load_calendar()
    context = {"today": today, "sections": sections, "current": "dashboard"}
    context |= _figures(user, sections, today=today, calendar=calendar)
    context["shown"] = SHOWN
    for action in context.get("overdue_actions", []):
        action.url = action_url(action)
    for action, _ in context.get("agency_actions", []):
        action.url = action_url(action)
    for barrier in context.get("barriers", []):
        barrier.action.url = action_url(barrier.action)
    return render(request, "cspr/dashboards/dashboard.html", context)


@login_required
@require_GET
def dashboard_csv(request, name):
    """One list or table of the dashboard as CSV, scoped exactly as the page is: 404 for a
    list that does not exist, 403 for one of a section the person does not have."""
    if name not in DOWNLOADS:
        raise Http404("No such list.")
    section, make = DOWNLOADS[name]
    if section not in _guard(request.user):
        raise PermissionDenied("That list is on another role's dashboard.")
    today = timezone.localdate()
    header, rows = make(request.user, today, load_calendar())
    return csv_response(f"{name}-{today.isoformat()}.csv", header, rows)
