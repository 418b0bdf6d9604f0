"""The partnership's reports (R11, R12): the quarterly exception report for the oversight
group, and the figures for the annual report. Reads only, each scoped to the viewer's own
partnership; the pages, PDFs and CSVs of `actions.views.reports` show what these return.

Who may read them: the partnership-wide roles (business unit, sub-group, executives).
Agency contributors see only their own agency's actions, so a report across every agency
is not theirs; reviewers and administrators see no actions at all.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from actions import figures
from actions.access import actions_visible_to
from actions.models import OPEN_STATUSES, Action, ActionStatus, Barrier, ProgressUpdate
from cspr import access
from cspr.models import Case, CaseEvent
from cspr.periods import (
    financial_year_end,
    financial_year_of,
    financial_year_start,
    financial_year_words,
    quarter_title,
)
from cspr.working_days import load_calendar
from rapid_reviews.models import (
    LearningMeeting,
    PanelOutcome,
    PanelResponse,
    RapidReview,
    Recommendation,
)
from referrals.models import Decision, Notification, Referral, ReferralStatus
from reviews.models import LocalReview, ReviewStatus


def may_see_reports(user):
    """The partnership-wide roles of a partnership; nobody else."""
    return access.is_member(user) and user.has_role(*access.PARTNERSHIP_WIDE)


def _day_start(day):
    """The first moment of `day` in the partnership's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _within(name, start, end):
    """A Q: the timestamp `name` falls on a day from `start` to `end` (local time)."""
    return Q(
        **{
            f"{name}__gte": _day_start(start),
            f"{name}__lt": _day_start(end + datetime.timedelta(days=1)),
        }
    )


# The exception report --------------------------------------------------------------


@dataclass
class ExceptionRow:
    """One action in the exception report, with why it is there."""

    action: Action
    status: ActionStatus
    reasons: list
    open_barriers: list

    @property
    def case(self):
        return self.action.plan.case

    @property
    def is_overdue(self):
        return self.status == ActionStatus.OVERDUE

    @property
    def is_at_risk(self):
        return self.action.status == ActionStatus.AT_RISK

    @property
    def has_barrier(self):
        return bool(self.open_barriers)


@dataclass
class AgencyCounts:
    agency: object
    overdue: int = 0
    at_risk: int = 0
    with_barrier: int = 0
    actions: int = 0


@dataclass
class ExceptionReport:
    partnership: object
    as_at: datetime.date
    title: str
    cases: list = field(default_factory=list)  # [(case, [ExceptionRow])]
    by_agency: list = field(default_factory=list)  # [AgencyCounts]

    @property
    def rows(self):
        return [row for _, rows in self.cases for row in rows]

    @property
    def total(self):
        return len(self.rows)


def _plural(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


def _reasons(action, status, barriers, *, as_at, calendar):
    reasons = []
    if status == ActionStatus.OVERDUE:
        late = calendar.working_days_between(action.due_on, as_at)
        reasons.append(f"Overdue by {_plural(late, 'working day')}")
    if action.status == ActionStatus.AT_RISK:
        reasons.append("Reported at risk")
    for barrier in barriers:
        response = (
            f"the executive responded: {barrier.response}"
            if barrier.responded_at
            else "awaiting the executive"
        )
        reasons.append(
            f"Barrier raised {barrier.raised_at:%-d %B %Y}: {barrier.description} ({response})"
        )
    return reasons


def exception_report(user, *, as_at):
    """Every open action of the user's partnership that is overdue on `as_at`, reported at
    risk, or held up by a barrier not yet closed, by case (then agency, plan and number),
    with a count for each agency. Actions are shown as they stand now: `as_at` (today, or
    a later meeting date) sets only what counts as overdue. Three queries, however many
    actions."""
    open_barrier = Barrier.objects.filter(action=OuterRef("pk"), closed_at__isnull=True)
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-at", "-id")
    actions = (
        actions_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(due_on__lt=as_at) | Q(status=ActionStatus.AT_RISK) | Exists(open_barrier))
        .select_related("plan__case", "agency")
        .annotate(
            latest_update=Subquery(latest.values("text")[:1]),
            latest_update_at=Subquery(latest.values("at")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "barriers",
                queryset=Barrier.objects.filter(closed_at__isnull=True),
                to_attr="open_barriers",
            )
        )
        .order_by(
            "plan__case__pseudonym", "plan__case_id", "agency__name", "plan__source", "number"
        )
    )
    calendar = load_calendar()
    report = ExceptionReport(partnership=user.partnership, as_at=as_at, title=quarter_title(as_at))
    by_case, by_agency = {}, {}
    for action in actions:
        status = action.status_on(as_at)
        reasons = _reasons(action, status, action.open_barriers, as_at=as_at, calendar=calendar)
        row = ExceptionRow(action, status, reasons, action.open_barriers)
        by_case.setdefault(action.plan.case, []).append(row)
        counts = by_agency.setdefault(action.agency_id, AgencyCounts(action.agency))
        counts.actions += 1
        counts.overdue += row.is_overdue
        counts.at_risk += row.is_at_risk
        counts.with_barrier += row.has_barrier
    report.cases = list(by_case.items())
    report.by_agency = sorted(by_agency.values(), key=lambda counts: counts.agency.name)
    return report


EXCEPTION_CSV_HEADER = [
    "Case",
    "Plan",
    "Action",
    "Finding",
    "What will change",
    "Agency",
    "Named owner",
    "Due date",
    "Status as at the report date",
    "Why it is in the report",
    "Latest progress",
    "Latest progress on",
]


def exception_csv_rows(report):
    for row in report.rows:
        action = row.action
        yield [
            row.case.pseudonym,
            action.plan.get_source_display(),
            action.number,
            action.finding,
            action.change,
            action.agency.name,
            action.owner_name,
            action.due_on,
            row.status.label,
            "; ".join(row.reasons),
            action.latest_update or "",
            timezone.localdate(action.latest_update_at) if action.latest_update_at else None,
        ]


# The annual report -----------------------------------------------------------------


class YearKind:
    FINANCIAL = "financial"
    CALENDAR = "calendar"
    CHOICES = [(FINANCIAL, "Financial year (1 April to 31 March)"), (CALENDAR, "Calendar year")]


@dataclass(frozen=True)
class Period:
    kind: str
    year: int

    @property
    def start(self):
        if self.kind == YearKind.CALENDAR:
            return datetime.date(self.year, 1, 1)
        return financial_year_start(self.year)

    @property
    def end(self):
        if self.kind == YearKind.CALENDAR:
            return datetime.date(self.year, 12, 31)
        return financial_year_end(self.year)

    @property
    def title(self):
        if self.kind == YearKind.CALENDAR:
            return f"Calendar year {self.year}"
        return f"Financial year {financial_year_words(self.year)}"

    @property
    def slug(self):
        if self.kind == YearKind.CALENDAR:
            return str(self.year)
        return f"{self.year}-{(self.year + 1) % 100:02d}"


def current_period(today):
    """The financial year holding `today`: the annual report's default."""
    return Period(YearKind.FINANCIAL, financial_year_of(today))


@dataclass
class Figure:
    """One line of a table: what it is and how many."""

    label: str
    number: int


@dataclass
class AnnualReport:
    partnership: object
    period: Period
    actions_as_at: datetime.date
    referrals: list
    notifications: int
    rapid_reviews_opened: int
    recommendations: list
    panel_responses: list
    local_reviews: list
    timeliness: list
    actions: list
    themes: list
    active_cases: int


def _counts_by(queryset, name, choices):
    """[Figure] for every choice of `name` (zeros kept), in the choices' order. One query."""
    found = dict(queryset.order_by().values_list(name).annotate(number=Count("pk")))
    return [Figure(label, found.get(value, 0)) for value, label in choices]


def _referral_figures(partnership_id, start, end):
    received = Referral.objects.filter(partnership_id=partnership_id).filter(
        _within("submitted_at", start, end)
    )
    decided = Q(status=ReferralStatus.DECIDED)
    numbers = received.aggregate(
        total=Count("pk"),
        notify=Count("pk", filter=decided & Q(decision=Decision.NOTIFY)),
        rapid_review=Count("pk", filter=decided & Q(decision=Decision.RAPID_REVIEW)),
        no_further_action=Count("pk", filter=decided & Q(decision=Decision.NO_FURTHER_ACTION)),
        withdrawn=Count("pk", filter=Q(status=ReferralStatus.WITHDRAWN)),
    )
    waiting = numbers["total"] - sum(
        numbers[name] for name in ("notify", "rapid_review", "no_further_action", "withdrawn")
    )
    return [
        Figure("Referrals received", numbers["total"]),
        Figure("of which the sub-group asked for a notification", numbers["notify"]),
        Figure(
            "of which the sub-group convened a rapid review without one", numbers["rapid_review"]
        ),
        Figure("of which no further action", numbers["no_further_action"]),
        Figure("of which withdrawn", numbers["withdrawn"]),
        Figure("of which not yet decided", waiting),
    ]


def _local_review_figures(partnership_id, start, end):
    reviews = LocalReview.objects.filter(case__partnership_id=partnership_id).order_by()
    numbers = reviews.aggregate(
        commissioned=Count("pk", filter=_within("commissioned_at", start, end)),
        completed=Count("pk", filter=_within("approved_at", start, end)),
        published=Count("pk", filter=Q(published_on__gte=start, published_on__lte=end)),
        not_published=Count(
            "pk",
            filter=Q(status=ReviewStatus.NOT_PUBLISHED)
            & _within("publication_recorded_at", start, end),
        ),
    )
    return [
        Figure("Commissioned", numbers["commissioned"]),
        Figure("Completed (final report approved by the executive)", numbers["completed"]),
        Figure("Published", numbers["published"]),
        Figure("Decided not to publish", numbers["not_published"]),
    ]


def _actions_at(partnership_id, as_at, *, today):
    """Actions by status as they stood at the end of `as_at`: live rows for today, else
    each action's last recorded version by then (its history), so an action completed
    since still shows as it was."""
    if as_at >= today:
        counts = figures.actions_by_status(
            Action.objects.filter(plan__case__partnership_id=partnership_id), today=today
        )
    else:
        then = Action.history.as_of(_day_start(as_at + datetime.timedelta(days=1)))
        counts = dict.fromkeys(ActionStatus, 0)
        # Two columns of the history, not model instances: `only()` on a history query
        # read each instance's other fields one query at a time.
        rows = then.filter(plan__case__partnership_id=partnership_id).values_list(
            "status", "due_on"
        )
        for status, due_on in rows:
            counts[Action(status=status, due_on=due_on).status_on(as_at)] += 1
    return [Figure(status.label, number) for status, number in counts.items()]


def annual_report(user, *, period, today):
    """The figures for the user's partnership over `period` (see the definitions on the
    annual report page, `templates/actions/reports/annual_figures.html`). About a dozen
    queries, however much there is."""
    partnership_id = user.partnership_id
    start, end = period.start, period.end
    cases = Case.objects.filter(partnership_id=partnership_id)
    active = cases.filter(
        Exists(CaseEvent.objects.filter(case=OuterRef("pk")).filter(_within("at", start, end)))
    )
    actions_as_at = min(end, today)
    return AnnualReport(
        partnership=user.partnership,
        period=period,
        actions_as_at=actions_as_at,
        referrals=_referral_figures(partnership_id, start, end),
        notifications=Notification.objects.filter(
            case__partnership_id=partnership_id, sent_on__gte=start, sent_on__lte=end
        ).count(),
        rapid_reviews_opened=RapidReview.objects.filter(case__partnership_id=partnership_id)
        .filter(_within("opened_at", start, end))
        .count(),
        recommendations=_counts_by(
            LearningMeeting.objects.filter(
                rapid_review__case__partnership_id=partnership_id,
                held_on__gte=start,
                held_on__lte=end,
            ),
            "recommendation",
            Recommendation.choices,
        ),
        panel_responses=_counts_by(
            PanelResponse.objects.filter(
                rapid_review__case__partnership_id=partnership_id,
                received_on__gte=start,
                received_on__lte=end,
            ),
            "outcome",
            PanelOutcome.choices,
        ),
        local_reviews=_local_review_figures(partnership_id, start, end),
        timeliness=figures.timeliness(cases, start=start, end=end),
        actions=_actions_at(partnership_id, actions_as_at, today=today),
        themes=figures.theme_counts(active),
        active_cases=active.count(),
    )


ANNUAL_CSV_HEADER = ["Section", "Figure", "Number", "Per cent met", "Median days"]


def annual_csv_rows(report):
    for figure in report.referrals:
        yield ["Referrals", figure.label, figure.number, None, None]
    yield [
        "Notifications",
        "Serious incident notifications sent to the Panel",
        report.notifications,
        None,
        None,
    ]
    yield ["Rapid reviews", "Rapid reviews opened", report.rapid_reviews_opened, None, None]
    for figure in report.recommendations:
        yield ["Learning meeting recommendations", figure.label, figure.number, None, None]
    for figure in report.panel_responses:
        yield ["The Panel's responses", figure.label, figure.number, None, None]
    for figure in report.local_reviews:
        yield ["Local reviews", figure.label, figure.number, None, None]
    for row in report.timeliness:
        yield ["Timeliness", f"{row.label}: met", row.met, row.percent_met, row.median_days]
        yield ["Timeliness", f"{row.label}: missed", row.missed, None, None]
        yield ["Timeliness", f"{row.label}: not yet due", row.pending, None, None]
    as_at = f"{report.actions_as_at:%-d %B %Y}"
    for figure in report.actions:
        yield [f"Actions by status at {as_at}", figure.label, figure.number, None, None]
    yield ["Themes", "Cases with activity in the year", report.active_cases, None, None]
    for theme, number in report.themes:
        yield ["Themes", theme.name, number, None, None]
