"""Figures shared by the annual report and the dashboards, each computed in SQL over a
queryset the caller has already scoped to what the viewer may see (never a partnership's
figures to another's people). Owned by the reporting part; the dashboards call these.
"""

import statistics
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, Q, Value, When
from django.utils import timezone

from actions.models import OPEN_STATUSES, Action, ActionStatus, Theme
from cspr.deadline_rules import Rule
from cspr.models import Deadline, DeadlineStatus

# The time limits set in Working Together 2023 and the 2018 regulations that count from an
# event on the case (R13), in the order a case meets them. Left out: the Panel response
# chase (the partnership's own setting, and the Panel's time, not ours), and the limits
# "as set" locally (agency returns, actions, reports, events, checkpoints, requests to
# the reviewer), which measure the partnership against itself.
STATUTORY_RULES = [
    Rule.NOTIFICATION,
    Rule.LEARNING_MEETING,
    Rule.RAPID_REVIEW_REPORT,
    Rule.CSPR_COMPLETION,
    Rule.PUBLICATION_NOTICE,
]


@dataclass(frozen=True)
class Timeliness:
    """One statutory deadline rule's record over a period: deadlines due in it that were
    met (done on or before the due date), missed (marked missed, or done late), still open
    and not yet due, and the median calendar days from the anchoring event to completion."""

    rule: str
    label: str
    met: int
    missed: int
    pending: int
    median_days: float | None

    @property
    def decided(self):
        return self.met + self.missed

    @property
    def percent_met(self):
        """Whole per cent of decided deadlines met, or None when none is decided."""
        return round(100 * self.met / self.decided) if self.decided else None


def timeliness(cases, *, start, end):
    """[Timeliness] for every statutory rule (R13), over the deadlines of `cases` due from
    `start` to `end` inclusive, in the rules' order.

    Met: marked met and done by the due date. Missed: marked missed (by the daily sweep or
    because it was done late), done after the due date, or still open with the due date
    passed (the sweep has not yet run). Pending: open and not yet due, or paused. A waived
    deadline (not needed after all) is counted nowhere. The median runs over every one done,
    met or late; for the publication notice, which falls due before its anchor (the
    publication date), days before publication are negative.
    Two queries, whatever the number of deadlines."""
    today = timezone.localdate()
    deadlines = Deadline.objects.filter(
        case__in=cases, rule__in=STATUTORY_RULES, due_on__gte=start, due_on__lte=end
    ).order_by()
    done_late = Q(completed_on__isnull=False, completed_on__gt=F("due_on"))
    met = Q(status=DeadlineStatus.MET) & ~done_late
    missed = (
        Q(status=DeadlineStatus.MISSED)
        | (Q(status=DeadlineStatus.MET) & done_late)
        | Q(status=DeadlineStatus.OPEN, due_on__lt=today)
    )
    pending = Q(status=DeadlineStatus.PAUSED) | Q(status=DeadlineStatus.OPEN, due_on__gte=today)
    counts = {
        row["rule"]: row
        for row in deadlines.values("rule").annotate(
            met=Count("id", filter=met),
            missed=Count("id", filter=missed),
            pending=Count("id", filter=pending),
        )
    }
    days = {rule: [] for rule in STATUTORY_RULES}
    done = deadlines.exclude(status=DeadlineStatus.WAIVED).filter(completed_on__isnull=False)
    for rule, anchor_date, completed_on in done.values_list("rule", "anchor_date", "completed_on"):
        days[rule].append((completed_on - anchor_date).days)
    return [
        Timeliness(
            rule=rule.value,
            label=rule.label,
            met=counts.get(rule, {}).get("met", 0),
            missed=counts.get(rule, {}).get("missed", 0),
            pending=counts.get(rule, {}).get("pending", 0),
            median_days=_median(days[rule]),
        )
        for rule in STATUTORY_RULES
    ]


def _median(values):
    """The median, a whole number when it is one (8, not 8.0), or None of nothing."""
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if middle == int(middle) else middle


def shown_status(today):
    """An expression for the status people see on `today` (`Action.status_on` in SQL):
    an open action past its due date shows as overdue."""
    return When_(
        When(status__in=OPEN_STATUSES, due_on__lt=today, then=Value(ActionStatus.OVERDUE.value)),
        default=F("status"),
        output_field=CharField(),
    )


def actions_by_status(actions, *, today):
    """{ActionStatus: count} of `actions`, with overdue worked out as of `today`
    (every status present, zero where none). One query."""
    rows = (
        Action.objects.filter(pk__in=actions.values("pk"))
        .annotate(shown=shown_status(today))
        .order_by()
        .values("shown")
        .annotate(number=Count("id"))
    )
    found = {row["shown"]: row["number"] for row in rows}
    return {status: found.get(status.value, 0) for status in ActionStatus}


def theme_counts(cases):
    """[(Theme, number of `cases` it is applied to)], most first, then by name; themes
    applied to none are left out. One query."""
    themes = (
        Theme.objects.filter(case_themes__case__in=cases)
        .annotate(number=Count("case_themes__case", distinct=True))
        .order_by("-number", "name")
    )
    return [(theme, theme.number) for theme in themes]
