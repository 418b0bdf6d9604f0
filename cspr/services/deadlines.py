"""Writes to deadlines: set, complete, pause, resume, extend, waive, mark missed, recompute.

Due dates are computed once by `cspr.deadline_rules.compute_due` and stored.
"""

from django.db import transaction
from django.utils import timezone

from cspr import access
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
from cspr.working_days import load_calendar


def _fmt(day):
    return f"{day:%-d %B %Y}"


def _guard_change(deadline, by):
    if by is not None and not access.can(by, access.CHANGE, deadline.case):
        raise TransitionNotAllowed("Only the business unit can change deadlines.")


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
):
    """Create a deadline on a case from its rule and anchoring event.

    Called by the business unit's services for each stage (the notification, the rapid
    review, a publication date). `by` None means the system acting on a rule.
    """
    rule = Rule(rule)
    if by is not None and not access.can(by, access.CHANGE, case):
        raise TransitionNotAllowed("Only the business unit can set deadlines.")
    spec = RULES[rule]
    period = spec.period if period is None else period
    opens_on, due_on = compute_due(
        rule, anchor_date, calendar or load_calendar(), period=period, due_on=due_on
    )
    with transaction.atomic():
        deadline = stamp(
            Deadline(
                case=case,
                rule=rule,
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
    return deadline


def deadline_complete(*, deadline, on, by, note=""):
    """Record that what the deadline asked for was done on `on`: met if on time, else missed."""
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by)
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
    return deadline


def deadline_pause(*, deadline, on, reason, by):
    """Stop the clock (for example while the Panel considers a request). Needs a reason."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is paused.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by)
        _guard_move(deadline, DeadlineStatus.PAUSED)
        deadline.status, deadline.paused_on, deadline.reason = DeadlineStatus.PAUSED, on, reason
        stamp(deadline, by=by, reason="Paused").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_PAUSED,
            by=by,
            summary=f"{deadline.title}: paused from {_fmt(on)}",
            note=reason,
        )
    return deadline


def deadline_resume(*, deadline, on, by, calendar=None):
    """Restart the clock: the due date moves on by the working days it was paused."""
    calendar = calendar or load_calendar()
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by)
        _guard_move(deadline, DeadlineStatus.OPEN)
        if on < deadline.paused_on:
            raise TransitionNotAllowed(
                f"It was paused on {_fmt(deadline.paused_on)}; it cannot resume before that."
            )
        lost = calendar.working_days_between(deadline.paused_on, on)
        deadline.due_on = calendar.add_working_days(deadline.due_on, lost)
        deadline.status, deadline.paused_on, deadline.is_fixed = DeadlineStatus.OPEN, None, True
        stamp(deadline, by=by, reason="Resumed").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_RESUMED,
            by=by,
            summary=f"{deadline.title}: resumed, now due {_fmt(deadline.due_on)}",
            note=f"Paused for {lost} working day{'s' if lost != 1 else ''}.",
        )
    return deadline


def deadline_extend(*, deadline, due_on, reason, by):
    """Move a pending deadline to a later day, with the reason (an agreed extension)."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is extended.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by)
        if deadline.status not in PENDING_STATUSES:
            raise TransitionNotAllowed(
                f"This deadline is {deadline.get_status_display().lower()}; only an open "
                "or paused deadline can be extended."
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
    return deadline


def deadline_waive(*, deadline, reason, by):
    """Record that the deadline no longer applies (for example, the case closed)."""
    if not reason.strip():
        raise TransitionNotAllowed("Say why the deadline is waived.")
    with transaction.atomic():
        deadline = _lock(deadline)
        _guard_change(deadline, by)
        _guard_move(deadline, DeadlineStatus.WAIVED)
        deadline.status, deadline.reason = DeadlineStatus.WAIVED, reason
        stamp(deadline, by=by, reason="Waived").save()
        record_event(
            case=deadline.case,
            kind=EventKind.DEADLINE_WAIVED,
            by=by,
            summary=f"{deadline.title}: waived",
            note=reason,
        )
    return deadline


def deadlines_mark_missed(*, today=None):
    """Mark every open deadline whose day has passed as missed. Idempotent; the system acts.

    Returns how many were marked. Run daily (and safe to run twice).
    """
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

    Each one that moves gets a timeline row saying from when to when and why.
    Returns the deadlines that moved.
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
            opens_on, due_on = compute_due(
                deadline.rule, deadline.anchor_date, calendar, period=deadline.period
            )
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
    return moved
