"""Barriers to completing an action: raised by whoever may update the action, escalated
to the partnership's executives (the barriers page lists those awaiting a response; the
timeline records each step), answered by an executive and closed by the business unit
once the barrier no longer stands in the way."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions import access
from actions.models import Barrier
from actions.services.plans import action_label, blank, fmt, guard, guard_not_settled, lock_action
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event, stamp


def barrier_raise(*, action, description, by):
    """Raise a barrier to completing an open action, escalating it to the executive. The
    owning agency or the business unit."""
    with transaction.atomic():
        action = lock_action(action)
        guard(action, by, access.UPDATE, "Only the owning agency or the business unit raises one.")
        guard_not_settled(action)
        if not action.is_open:
            raise TransitionNotAllowed(
                f"Action {action.number} is complete: nothing stands in its way."
            )
        if blank(description):
            raise Incomplete({"description": "Say what stops the action being completed"})
        barrier = stamp(
            Barrier(action=action, description=description.strip(), raised_by=by),
            by=by,
            reason="Raised",
        )
        barrier.save()
        record_event(
            case=action.plan.case,
            kind=EventKind.BARRIER_RAISED,
            by=by,
            summary=f"{action_label(action)}: barrier raised and escalated to the executive",
            note=barrier.description,
        )
    return barrier


def _lock(barrier):
    action = lock_action(barrier.action)
    barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
    barrier.action = action
    return barrier


def barrier_respond(*, barrier, response, by):
    """Record the executive's response to an open barrier (once). An executive of the
    partnership."""
    with transaction.atomic():
        barrier = _lock(barrier)
        action = barrier.action
        guard(action, by, access.RESPOND, "Only an executive responds to a barrier.")
        if not barrier.is_open:
            raise TransitionNotAllowed(
                f"This barrier was closed on {fmt(timezone.localtime(barrier.closed_at))}."
            )
        if barrier.responded_at is not None:
            raise TransitionNotAllowed(
                f"{barrier.responded_by} responded to this barrier on "
                f"{fmt(timezone.localtime(barrier.responded_at))}."
            )
        if blank(response):
            raise Incomplete({"response": "Enter the executive's response"})
        barrier.response = response.strip()
        barrier.responded_at, barrier.responded_by = timezone.now(), by
        stamp(barrier, by=by, reason="Responded").save()
        record_event(
            case=action.plan.case,
            kind=EventKind.BARRIER_RESPONDED,
            by=by,
            summary=f"{action_label(action)}: the executive responded to a barrier",
            note=barrier.response,
        )
    return barrier


def barrier_close(*, barrier, note, by):
    """Close a barrier once it no longer stands in the way, with a note. The business
    unit (with or without the executive's response: a barrier may be resolved first)."""
    with transaction.atomic():
        barrier = _lock(barrier)
        action = barrier.action
        guard(action, by, access.MAINTAIN, "Only the business unit closes a barrier.")
        if not barrier.is_open:
            raise TransitionNotAllowed(
                f"This barrier was closed on {fmt(timezone.localtime(barrier.closed_at))}."
            )
        if blank(note):
            raise Incomplete({"note": "Say how the barrier was resolved"})
        barrier.closing_note = note.strip()
        barrier.closed_at, barrier.closed_by = timezone.now(), by
        stamp(barrier, by=by, reason="Closed").save()
        record_event(
            case=action.plan.case,
            kind=EventKind.BARRIER_CLOSED,
            by=by,
            summary=f"{action_label(action)}: barrier closed",
            note=barrier.closing_note,
        )
    return barrier


def barriers_open(user):
    """The open barriers of actions the user may see, those awaiting the executive's
    response first, oldest first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        Barrier.objects.filter(closed_at__isnull=True, action__in=access.actions_visible_to(user))
        .select_related("action__plan__case", "action__agency", "raised_by", "responded_by")
        .annotate(
            answered=Case(
                When(Q(responded_at__isnull=True), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("answered", "raised_at", "id")
    )
