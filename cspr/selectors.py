"""Reads for the kernel's pages, always scoped to the person asking."""

import re
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from cspr import access
from cspr.models import (
    PENDING_STATUSES,
    CaseEvent,
    ChildRecord,
    Deadline,
    DeadlineStatus,
    Reminder,
    ReminderStatus,
    Stage,
)
from cspr.pagination import rows_counted

SOON_WORKING_DAYS = 10


class Rows(NamedTuple):
    """A list's rows (all of them, or the first few a page asked for) and its total."""

    items: list
    total: int


def first_rows(queryset, first=None):
    """The queryset's rows, or its first `first` and the total, counted by a window over
    the whole filtered set before the LIMIT: one query either way. For a page that shows
    the first rows of a long list and says how many there are."""
    if first is None:
        items = list(queryset)
        return Rows(items, len(items))
    return Rows(*rows_counted(queryset, 0, first))


def _outstanding(**filters):
    """Deadlines of the outer case still to be done: open, paused, or missed and not done."""
    still_missed = Q(status=DeadlineStatus.MISSED, completed_on__isnull=True)
    return Deadline.objects.filter(
        Q(status__in=PENDING_STATUSES) | still_missed, case=OuterRef("pk"), **filters
    )


def case_list(user, *, q="", stage="", deadline="", today, calendar):
    """The cases the user may see, newest first; for those who may see deadlines, each
    case's next outstanding deadline and the deadline filters ("overdue", "soon").
    A fixed number of queries whatever the number of rows.
    """
    cases = access.cases_visible_to(user)
    if q:
        cases = cases.filter(pseudonym__icontains=q)
    if stage:
        cases = cases.filter(stage=stage)
    if not access.may_see_deadlines(user):
        return cases
    if deadline == "overdue":
        overdue = _outstanding(due_on__lt=today).exclude(status=DeadlineStatus.PAUSED)
        cases = cases.filter(Exists(overdue))
    elif deadline == "soon":
        horizon = calendar.add_working_days(today, SOON_WORKING_DAYS)
        soon = _outstanding(status=DeadlineStatus.OPEN, due_on__gte=today, due_on__lte=horizon)
        cases = cases.filter(Exists(soon))
    next_due = _outstanding().order_by("due_on", "id")
    return cases.annotate(
        next_due_on=Subquery(next_due.values("due_on")[:1]),
        next_due_title=Subquery(next_due.values("title")[:1]),
        next_due_status=Subquery(next_due.values("status")[:1]),
    )


@dataclass(frozen=True)
class DueText:
    text: str
    tag: str  # a govuk-tag colour modifier


def due_text(deadline, *, today, calendar) -> DueText:
    """ "Due in 3 working days", "Overdue by 2 working days", "Met", … for a deadline."""
    status = deadline.status
    if status == DeadlineStatus.MET:
        return DueText("Met", "green")
    if status == DeadlineStatus.WAIVED:
        return DueText("Waived", "grey")
    if status == DeadlineStatus.PAUSED:
        return DueText("Paused", "grey")
    if status == DeadlineStatus.MISSED and deadline.completed_on:
        return DueText("Missed (done late)", "red")
    return days_text(deadline.due_on, today=today, calendar=calendar)


def days_text(due_on, *, today, calendar) -> DueText:
    if due_on == today:
        return DueText("Due today", "orange")
    days = calendar.working_days_between(today, due_on)
    plural = "working day" if abs(days) == 1 else "working days"
    if due_on < today:
        return DueText(f"Overdue by {abs(days) or 1} {plural if days else 'working day'}", "red")
    if days == 0:
        return DueText("Due next working day", "orange")
    tag = "orange" if days <= 3 else "blue"
    return DueText(f"Due in {days} {plural}", tag)


def case_deadlines(case):
    return case.deadlines.order_by("due_on", "id")


def case_timeline(case):
    """Everything that happened on the case, newest first. A queryset, so the case page
    can take a page of it at a time."""
    return CaseEvent.objects.filter(case=case).select_related("by").order_by("-at", "-id")


def deadlines_due(user, *, today, calendar, horizon_days=SOON_WORKING_DAYS):
    """Pending deadlines the user may see that are overdue or due within the horizon."""
    horizon = calendar.add_working_days(today, horizon_days)
    return (
        access.deadlines_visible_to(user)
        .filter(status=DeadlineStatus.OPEN, due_on__lte=horizon)
        .select_related("case")
        .order_by("due_on", "id")
    )


def missed_unfinished(user):
    """Deadlines marked missed that are still not done."""
    return (
        access.deadlines_visible_to(user)
        .filter(status=DeadlineStatus.MISSED, completed_on__isnull=True)
        .select_related("case")
        .order_by("due_on", "id")
    )


def cases_by_stage(user):
    """[(Stage, count)] of the cases the user may see, in lifecycle order."""
    counts = dict(
        access.cases_visible_to(user).values_list("stage").annotate(n=Count("id")).order_by()
    )
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]


def notifications_for(user):
    """The person's own notifications (the reminders collected for them), newest first,
    about what they may still be told of (`cspr.access.reminders_visible_to`)."""
    return (
        access.reminders_visible_to(user)
        .filter(status=ReminderStatus.NOTIFIED)
        .select_related("deadline__case", "deadline__action")
        .order_by("-collected_at", "-pk")
    )


def unread_count(user) -> int:
    """The header's count of unread notifications, on every page. Most people have none:
    a plain look at their own reminders settles that, and only when they have some is the
    count made under the access rule (`notifications_for`), which is dearer to build.
    The signed-in person comes with that look taken already (`cspr.backends`)."""
    unread = getattr(user, "has_unread_notifications", None)
    if unread is None:
        unread = Reminder.objects.filter(
            recipient_id=user.pk, status=ReminderStatus.NOTIFIED, read_at__isnull=True
        ).exists()
    if not unread:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()


def reminders_for_deadline(deadline):
    """Every reminder planned or sent for a deadline, with whom and how it went. For the
    business unit, who run the process (the view checks): the names of who was told,
    and why someone was not, are theirs to see."""
    return deadline.reminders.select_related("recipient", "digest").order_by(
        "for_day", "kind", "recipient__last_name", "recipient__first_name"
    )


def child_names_in(text, case):
    """The child's names (of three letters or more) that appear in the text: what an
    anonymised briefing must not contain."""
    child = ChildRecord.objects.filter(case=case).first()
    if child is None:
        return []
    names = [n for n in f"{child.given_names} {child.family_name}".split() if len(n) > 2]
    return [n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]


def briefing_problems(title, body, case):
    """{field: message} for a learning briefing that lacks a title or text, or names the
    child (a briefing is published: it must be anonymised). Empty when it will do."""
    problems = {}
    if not title.strip():
        problems["title"] = "Enter a title"
    if not body.strip():
        problems["body"] = "Write the briefing"
    named = child_names_in(f"{title}\n{body}", case)
    if named:
        problems["body"] = (
            "The briefing must be anonymised: it names the child ("
            + ", ".join(sorted(set(named)))
            + ")"
        )
    return problems
