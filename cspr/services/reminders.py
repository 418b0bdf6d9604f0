"""Planning reminders: which messages a deadline needs, for whom, on which day.

Every service that sets, moves, pauses, resumes, completes or waives a deadline calls
`reminders_plan` inside its own transaction, so the reminder rows change with the
deadline or not at all. A person's roles changing re-plans their own reminders. The
sweep (`cspr.services.reminder_sweep`) only reads the stored rows: it never computes the
calendar. Who is told follows the access policy again when a reminder goes out.

- before: N working days before it is due, for each N the partnership sets (default 3
  and 1), to the business unit and, for an agency's deadline, the agency's contributors;
- due today: on the due day (the working day before, if it is not one), to the same;
- missed: on the working day after the due day, to the business unit, the agency's lead
  for an agency's deadline, and the sub-group chair for a statutory one.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from cspr.models import (
    Deadline,
    DeadlineStatus,
    Partnership,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    User,
)
from cspr.working_days import load_calendar

CHUNK = 1000


def next_working_day_from(day, calendar):
    """`day` itself if it is a working day, else the next one."""
    return day if calendar.is_working_day(day) else calendar.add_working_days(day, 1)


def reminder_schedule(deadline, *, days_before, calendar, today, late_escalation=True):
    """[(kind, days_before, for_day)] for one deadline: a pure function of its stored
    dates and status. Every day is a working day. Days already past are left out; the
    escalation of a deadline already overdue goes on the first working day from today,
    unless `late_escalation` is off (someone who joins later is not told of old misses)."""
    due = deadline.due_on
    first_day = next_working_day_from(today, calendar)
    plan = []
    if deadline.status == DeadlineStatus.OPEN:
        on_the_day = due if calendar.is_working_day(due) else calendar.subtract_working_days(due, 1)
        for n in days_before:
            day = calendar.subtract_working_days(due, n)
            if day >= today and day != on_the_day:
                plan.append((ReminderKind.BEFORE, n, day))
        # Set on a weekend for a Sunday: the day it is reminded of is the Friday, gone.
        day = max(on_the_day, first_day)
        if day <= due:
            plan.append((ReminderKind.DUE_TODAY, 0, day))
    if deadline.is_outstanding:
        escalate = calendar.add_working_days(due, 1)
        if escalate >= today or late_escalation:
            plan.append((ReminderKind.MISSED, 0, max(escalate, first_day)))
    return plan


@dataclass
class _People:
    """The people each partnership and agency has, by what reminders need of them."""

    business_unit: dict = field(default_factory=lambda: defaultdict(set))
    chairs: dict = field(default_factory=lambda: defaultdict(set))
    contributors: dict = field(default_factory=lambda: defaultdict(set))
    leads: dict = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, partnership_ids):
        people = cls()
        wanted = {
            Role.group_name(Role.BUSINESS_UNIT): people.business_unit,
            Role.group_name(Role.SUBGROUP_CHAIR): people.chairs,
            Role.group_name(Role.AGENCY_CONTRIBUTOR): None,
        }
        memberships = User.groups.through.objects.filter(
            user__is_active=True,
            user__partnership_id__in=partnership_ids,
            group__name__in=list(wanted),
        ).values_list(
            "user_id",
            "group__name",
            "user__partnership_id",
            "user__agency_id",
            "user__is_agency_lead",
        )
        for user_id, group, partnership_id, agency_id, is_lead in memberships:
            if wanted[group] is not None:
                wanted[group][partnership_id].add(user_id)
            elif agency_id:
                people.contributors[agency_id].add(user_id)
                if is_lead:
                    people.leads[agency_id].add(user_id)
        return people

    def for_reminder(self, deadline, partnership_id, kind):
        ids = set(self.business_unit[partnership_id])
        if deadline.agency_id:
            agency = self.leads if kind == ReminderKind.MISSED else self.contributors
            ids |= agency[deadline.agency_id]
        if kind == ReminderKind.MISSED and deadline.spec.statutory:
            ids |= self.chairs[partnership_id]
        return ids


def reminders_plan(deadlines, *, calendar=None, today=None, only_for=None, late_escalation=True):
    """Bring the reminders still waiting for their day on `deadlines` into line with what
    the deadlines need now: those no longer needed are deleted, missing ones written,
    the rest left alone (so re-planning what has not changed costs a read). Runs in the
    caller's transaction. `only_for` (a person) limits it to that person's reminders;
    `late_escalation` as in `reminder_schedule`.

    A reminder already collected for the same deadline, kind and due date is never
    planned again. Returns how many reminders were written."""
    deadlines = list(deadlines)
    if not deadlines:
        return 0
    calendar = calendar or load_calendar()
    today = today or timezone.localdate()
    partnership_ids = {d.case.partnership_id for d in deadlines}
    days_before = {
        p.pk: p.reminder_days for p in Partnership.objects.filter(pk__in=partnership_ids)
    }
    people = _People.load(partnership_ids)
    written = 0
    for start in range(0, len(deadlines), CHUNK):
        chunk = deadlines[start : start + CHUNK]
        wanted = set()
        for deadline in chunk:
            partnership_id = deadline.case.partnership_id
            schedule = reminder_schedule(
                deadline,
                days_before=days_before[partnership_id],
                calendar=calendar,
                today=today,
                late_escalation=late_escalation,
            )
            for kind, n, day in schedule:
                for recipient_id in people.for_reminder(deadline, partnership_id, kind):
                    if only_for is None or recipient_id == only_for.pk:
                        wanted.add((deadline.pk, kind, n, recipient_id, day, deadline.due_on))
        written += _write_plan(chunk, wanted, only_for)
    return written


KEY = ("deadline_id", "kind", "days_before", "recipient_id", "for_day", "due_on")


def _write_plan(deadlines, wanted, only_for):
    mine = Reminder.objects.filter(deadline_id__in=[d.pk for d in deadlines])
    if only_for is not None:
        mine = mine.filter(recipient=only_for)
    waiting, gone = {}, set()
    for pk, status, *key in mine.values_list("pk", "status", *KEY):
        if status == ReminderStatus.PENDING:
            waiting[tuple(key)] = pk
        else:
            deadline_id, kind, n, recipient_id, _, due_on = key
            gone.add((deadline_id, kind, n, recipient_id, due_on))
    stale = [pk for key, pk in waiting.items() if key not in wanted]
    if stale:
        Reminder.objects.filter(pk__in=stale).delete()
    new = [
        Reminder(**dict(zip(KEY, key, strict=True)))
        for key in wanted - waiting.keys()
        if (key[0], key[1], key[2], key[3], key[5]) not in gone
    ]
    Reminder.objects.bulk_create(new, batch_size=2000)
    return len(new)


def deadlines_to_remind(**filters):
    """Deadlines that can still need reminders: open, or missed and not yet done."""
    return Deadline.objects.select_related("case").filter(
        status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED],
        completed_on__isnull=True,
        **filters,
    )


def reminders_plan_for_person(*, user, today=None):
    """After a person's roles, agency or status change: re-plan their reminders on every
    pending deadline of their partnership (not the escalations of deadlines missed before
    today). Called where people are changed (the admin)."""
    if not user.partnership_id:
        Reminder.objects.filter(recipient=user, status=ReminderStatus.PENDING).delete()
        return 0
    pending = deadlines_to_remind(case__partnership_id=user.partnership_id)
    # Reminders for another partnership's deadlines (a person who moved) are dropped.
    Reminder.objects.filter(recipient=user, status=ReminderStatus.PENDING).exclude(
        deadline__case__partnership_id=user.partnership_id
    ).delete()
    return reminders_plan(pending, today=today, only_for=user, late_escalation=False)


def reminders_plan_for_partnership(*, partnership, today=None):
    """After a partnership changes how many working days before to remind: re-plan its
    pending deadlines."""
    pending = deadlines_to_remind(case__partnership=partnership)
    return reminders_plan(pending, today=today)
