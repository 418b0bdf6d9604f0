"""Writes to deadlines: set, complete, pause, resume, extend, waive, mark missed, recompute.

Due dates are computed once by `cspr.deadline_rules.compute_due` and stored.
A deadline that another record meets (`RuleSpec.met_by`: the notification, a return,
the learning meeting) is settled by that record's service through `deadline_settle`,
never by hand on the deadline page.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cspr import access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.deadline_rules import RULES, Rule, compute_due
from cspr.errors import TransitionNotAllowed
from cspr.models import (
    ALLOWED_DEADLINE_MOVES,
    PENDING_STATUSES,
    Deadline,
    DeadlineStatus,
    EventKind,
)
from cspr.services.audit import record_event, stamp
from cspr.services.reminders import deadlines_to_remind, reminders_plan
from cspr.working_days import load_calendar


def _fmt(day):
    return f"{day:%-d %B %Y}"


def _guard_change(deadline, by, version=None):
    if by is None or not access.can(by, access.CHANGE, deadline.case):
        raise TransitionNotAllowed("Only the business unit can change deadlines.")
    check_version(
        version,
        current=deadline_version(deadline),
        what="this deadline",
        by=by,
        histories=[deadline.history.all()],
    )


def deadline_version(deadline):
    """The version of a deadline its page's forms carry (cspr.concurrency): a change
    since (another person's, a calendar change, the daily sweep) refuses the action."""
    return version_of(saved_values(deadline))


def _guard_move(deadline, to):
    if to not in ALLOWED_DEADLINE_MOVES[DeadlineStatus(deadline.status)]:
        raise TransitionNotAllowed(
            f"This deadline is {deadline.get_status_display().lower()}; "
            f"it cannot be {DeadlineStatus(to).label.lower()} now."
        )


def _lock(deadline):
    return (
        Deadline.objects.select_for_update(of=("self",)).select_related("case").get(pk=deadline.pk)
    )


def _dates(deadline, calendar):
    """(opens_on, due_on) recomputed from the rule, the anchor and any pause."""
    return compute_due(
        deadline.rule,
        deadline.anchor_date,
        calendar,
        period=deadline.period,
        due_on=deadline.original_due_on,
        paused=deadline.paused_working_days,
    )


def deadline_set(
    *,
    case,
    rule,
    anchor_date,
    anchor_event,
    by,
    period=None,
    due_on=None,
    title="",
    calendar=None,
    agency=None,
):
    """Create a deadline on a case from its rule and anchoring event, and plan its
    reminders in the same transaction.

    Called by the business unit's services for each stage (the notification, the rapid
    review, a publication date); `by` must be allowed to change the case. `agency` is the
    agency that owes it (an information return), whose people are reminded too.
    """
    rule = Rule(rule)
    if not access.can(by, access.CHANGE, case):
        raise TransitionNotAllowed("Only the business unit can set deadlines.")
    spec = RULES[rule]
    period = spec.period if period is None else period
    calendar = calendar or load_calendar()
    opens_on, due_on = compute_due(rule, anchor_date, calendar, period=period, due_on=due_on)
    with transaction.atomic():
        deadline = stamp(
            Deadline(
                case=case,
                rule=rule,
                agency=agency,
                title=title or rule.label,
                period=period,
                anchor_event=anchor_event,
                anchor_date=anchor_date,
                opens_on=opens_on,
                due_on=due_on,
                original_due_on=due_on,
            ),
            by=by,
            reason="Deadline set",
        )
        deadline.save()
        record_event(
            case=case,
            kind=EventKind.DEADLINE_SET,
            by=by,
            summary=f"{deadline.title}: due {_fmt(due_on)}",
            note=deadline.explanation(),
        )
        reminders_plan([deadline], calendar=calendar)
    return deadline


def _complete(deadline, on, by, note):
    if on > timezone.localdate():
        raise TransitionNotAllowed("The date it was done cannot be in the future.")
    if deadline.status == DeadlineStatus.PAUSED:
        raise TransitionNotAllowed("Resume the deadline before recording it as done.")
    if deadline.completed_on:
        raise TransitionNotAllowed(
            f"This was already recorded as done on {_fmt(deadline.completed_on)}."
        )
    to = DeadlineStatus.MET if on <= deadline.due_on else DeadlineStatus.MISSED
    _guard_move(deadline, to)
    deadline.status, deadline.completed_on = to, on
    stamp(deadline, by=by, reason=f"Done on {_fmt(on)}").save()
    kind = EventKind.DEADLINE_MET if to == DeadlineStatus.MET else EventKind.DEADLINE_MISSED
    late = "" if to == DeadlineStatus.MET else " (late)"
    record_event(
        case=deadline.case,
        kind=kind,
        by=by,
        summary=f"{deadline.title}: done on {_fmt(on)}{late}",
        note=note,
    )
    reminders_plan([deadline])
    return deadline


def deadline_complete(*, deadline, on, by, note="", version=None):
    """The business unit records that what the deadline asked for was done on `on`:
    met if on time, else missed. Refused for a deadline another record meets."""
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by, version)
        if deadline.spec.met_by:
            raise TransitionNotAllowed(
                f"This deadline is met by {deadline.spec.met_by}, not recorded here."
            )
        return _complete(deadline, on, by, note)


def deadline_settle(*, deadline, on, by, note=""):
    """For the service that owns a deadline, once it has checked `by` may act: record the
    deadline done when its record is. A waived or already done deadline is left alone."""
    with transaction.atomic():
        deadline = _lock(deadline)
        if not deadline.is_outstanding:
            return deadline
        return _complete(deadline, on, by, note)


def deadline_reanchor(*, deadline, anchor_date, by, reason, calendar=None):
    """Move a deadline with the event it counts from (a planned publication date moved,
    say): its dates are computed again from the new anchor, and its reminders re-planned.

    For the service that owns the deadline, once it has checked `by` may act and that the
    move is allowed. A deadline done or waived is left as it is; one the daily sweep marked
    missed opens again when its new date is still to come. A date agreed by extension
    gives way: the anchor it was agreed against has gone.
    """
    calendar = calendar or load_calendar()
    with transaction.atomic():
        deadline = _lock(deadline)
        if deadline.is_final or deadline.anchor_date == anchor_date:
            return deadline
        before = deadline.due_on
        deadline.anchor_date = anchor_date
        deadline.is_fixed = False
        opens_on, due_on = compute_due(
            deadline.rule,
            anchor_date,
            calendar,
            period=deadline.period,
            paused=deadline.paused_working_days,
        )
        deadline.opens_on, deadline.due_on = opens_on, due_on
        deadline.original_due_on = due_on
        if deadline.status == DeadlineStatus.MISSED and due_on >= timezone.localdate():
            deadline.status = DeadlineStatus.OPEN  # the provisional miss no longer stands
        stamp(deadline, by=by, reason="Moved with its anchor").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_REANCHORED,
            by=by,
            summary=f"{deadline.title}: moved from {_fmt(before)} to {_fmt(due_on)}",
            note=f"{reason} {deadline.explanation()}".strip(),
        )
        reminders_plan([deadline], calendar=calendar)
    return deadline


def deadline_withdraw(*, deadline, by, reason):
    """For the service that owns a deadline, once it has checked `by` may act: waive it
    because what it counted towards will not happen (a report that is not published has
    no publication notice). A deadline already done or waived is left alone."""
    with transaction.atomic():
        deadline = _lock(deadline)
        if deadline.is_final:
            return deadline
        return _waive(deadline, by, reason, summary=f"{deadline.title}: no longer needed")


def deadline_pause(*, deadline, on, reason, by, version=None):
    """Stop the clock (for example while the Panel considers a request). Needs a reason;
    `on` is between the anchoring day and both today and the due date."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is paused.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by, version)
        _guard_move(deadline, DeadlineStatus.PAUSED)
        latest = min(timezone.localdate(), deadline.due_on)
        if not deadline.anchor_date <= on <= latest:
            raise TransitionNotAllowed(
                f"A pause must start between {_fmt(deadline.anchor_date)} and {_fmt(latest)}."
            )
        deadline.status, deadline.paused_on, deadline.reason = DeadlineStatus.PAUSED, on, reason
        stamp(deadline, by=by, reason="Paused").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_PAUSED,
            by=by,
            summary=f"{deadline.title}: paused from {_fmt(on)}",
            note=reason,
        )
        reminders_plan([deadline])
    return deadline


def deadline_resume(*, deadline, on, by, calendar=None, version=None):
    """Restart the clock on `on`: the working days from the pause's first day up to the
    day before `on` are added, and the deadline keeps following the calendar."""
    calendar = calendar or load_calendar()
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by, version)
        _guard_move(deadline, DeadlineStatus.OPEN)
        if not deadline.paused_on <= on <= timezone.localdate():
            raise TransitionNotAllowed(
                f"It was paused on {_fmt(deadline.paused_on)}; it resumes between then and today."
            )
        day_before = datetime.timedelta(days=1)
        lost = calendar.working_days_between(deadline.paused_on - day_before, on - day_before)
        deadline.paused_working_days += lost
        if deadline.is_fixed:
            deadline.due_on = calendar.add_working_days(deadline.due_on, lost)
        else:
            deadline.opens_on, deadline.due_on = _dates(deadline, calendar)
        deadline.status, deadline.paused_on = DeadlineStatus.OPEN, None
        stamp(deadline, by=by, reason="Resumed").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_RESUMED,
            by=by,
            summary=f"{deadline.title}: resumed, now due {_fmt(deadline.due_on)}",
            note=f"Paused for {lost} working day{'s' if lost != 1 else ''}.",
        )
        reminders_plan([deadline], calendar=calendar)
    return deadline


def deadline_extend(*, deadline, due_on, reason, by, version=None):
    """Move an open deadline to a later day, with the reason (an agreed extension).
    The agreed day is then fixed: calendar changes no longer move it."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is extended.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by, version)
        if deadline.status == DeadlineStatus.PAUSED:
            raise TransitionNotAllowed("Resume the deadline before extending it.")
        if deadline.status != DeadlineStatus.OPEN:
            raise TransitionNotAllowed(
                f"This deadline is {deadline.get_status_display().lower()}; only an open "
                "deadline can be extended."
            )
        if due_on <= deadline.due_on:
            raise TransitionNotAllowed(
                f"The new date must be after the current one, {_fmt(deadline.due_on)}."
            )
        before = deadline.due_on
        deadline.due_on, deadline.reason, deadline.is_fixed = due_on, reason, True
        stamp(deadline, by=by, reason="Extended").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_EXTENDED,
            by=by,
            summary=f"{deadline.title}: extended from {_fmt(before)} to {_fmt(due_on)}",
            note=reason,
        )
        reminders_plan([deadline])
    return deadline


def deadline_waive(*, deadline, reason, by, version=None):
    """Record that the deadline no longer applies (for example, the case closed). A deadline
    already done, on time or late, stays as it was: its timeliness is on record."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is waived.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by, version)
        if deadline.completed_on:
            raise TransitionNotAllowed(
                f"This was done on {_fmt(deadline.completed_on)}; it cannot be waived."
            )
        _guard_move(deadline, DeadlineStatus.WAIVED)
        return _waive(deadline, by, reason, summary=f"{deadline.title}: waived")


def _waive(deadline, by, reason, *, summary):
    """Waive a locked deadline the caller has checked, with its event; no more reminders."""
    deadline.status, deadline.reason = DeadlineStatus.WAIVED, reason
    stamp(deadline, by=by, reason="Waived").save()
    record_event(
        case=deadline.case, kind=EventKind.DEADLINE_WAIVED, by=by, summary=summary, note=reason
    )
    reminders_plan([deadline])
    return deadline


def deadlines_mark_missed(*, today=None):
    """Mark every open deadline whose day has passed as missed. The scheduler acts, so
    the rows say "the system". Idempotent; safe to run twice. Returns how many."""
    today = today or timezone.localdate()
    marked = 0
    with transaction.atomic():
        overdue = (
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case")
            .filter(status=DeadlineStatus.OPEN, due_on__lt=today)
        )
        for deadline in overdue:
            deadline.status = DeadlineStatus.MISSED
            stamp(deadline, by=None, reason="Missed").save(update_fields=["status"])
            record_event(
                case=deadline.case,
                kind=EventKind.DEADLINE_MISSED,
                by=None,
                summary=f"{deadline.title}: missed (was due {_fmt(deadline.due_on)})",
            )
            marked += 1
    return marked


def deadlines_recompute(*, by, reason, calendar=None):
    """After a calendar change, recompute every pending deadline that follows the calendar.

    Each one that moves gets a timeline row saying from when to when and why. Then the
    reminders of every deadline still to be done are brought into line with the calendar
    (a new holiday moves a reminder day even where the due date stays). Returns the
    deadlines that moved.
    """
    calendar = calendar or load_calendar()
    moved = []
    pending = (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(status__in=PENDING_STATUSES, is_fixed=False)
    )
    with transaction.atomic():
        for deadline in pending:
            if not deadline.follows_calendar:
                continue
            opens_on, due_on = _dates(deadline, calendar)
            if (opens_on, due_on) == (deadline.opens_on, deadline.due_on):
                continue
            before = deadline.due_on
            deadline.opens_on, deadline.due_on = opens_on, due_on
            stamp(deadline, by=by, reason="Calendar changed").save(
                update_fields=["opens_on", "due_on"]
            )
            record_event(
                case=deadline.case,
                kind=EventKind.DEADLINE_RECOMPUTED,
                by=by,
                summary=f"{deadline.title}: moved from {_fmt(before)} to {_fmt(due_on)}",
                note=f"The working-day calendar changed: {reason}",
            )
            moved.append(deadline)
        reminders_plan(deadlines_to_remind(), calendar=calendar)
    return moved
