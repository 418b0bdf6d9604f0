"""An action's progress (R11): progress updates, completion, reopening and the assurance
of its impact, along `actions.services.plans.ALLOWED_ACTION_MOVES`."""

from django.db import transaction
from django.utils import timezone

from actions import access
from actions.models import OPEN_STATUSES, ActionStatus
from actions.services.plans import (
    action_deadline,
    action_label,
    blank,
    fmt,
    guard,
    guard_not_settled,
    lock_action,
    move,
    progress_keep,
)
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind
from cspr.services.audit import record_event
from cspr.services.deadlines import deadline_settle


def progress_add(*, action, text, status, by):
    """A progress note with the status it reports (not started, on track or at risk),
    kept as written; the action takes that status. The business unit or the owning
    agency, while the action is open (completing it is `action_complete`)."""
    with transaction.atomic():
        action = lock_action(action)
        guard(action, by, access.UPDATE, "Only the owning agency or the business unit reports.")
        guard_not_settled(action)
        if not action.is_open:
            raise TransitionNotAllowed(
                f"Action {action.number} is complete: reopen it before reporting progress."
            )
        missing = {}
        if blank(text):
            missing["text"] = "Say what progress has been made"
        if status not in OPEN_STATUSES:
            missing["status"] = "Choose not started, on track or at risk"
        if missing:
            raise Incomplete(missing)
        update = progress_keep(action, text=text, status=status, by=by, reason="Reported")
        move(action, status, by=by, reason="Progress reported")
        record_event(
            case=action.plan.case,
            kind=EventKind.ACTION_PROGRESS,
            by=by,
            summary=f"{action_label(action)}: {ActionStatus(status).label.lower()}",
            note=text,
        )
    return update


def action_complete(*, action, completed_on, text, by):
    """Record the action complete on `completed_on` (not in the future, not before the
    action was added), with a progress note; its deadline is settled, met or late. The
    business unit or the owning agency."""
    with transaction.atomic():
        action = lock_action(action)
        guard(action, by, access.UPDATE, "Only the owning agency or the business unit reports.")
        guard_not_settled(action)
        if not action.is_open:
            raise TransitionNotAllowed(
                f"Action {action.number} was already recorded complete on "
                f"{fmt(action.completed_on)}."
            )
        missing = {}
        added_on = timezone.localdate(action.created_at)
        if completed_on is None:
            missing["completed_on"] = "Enter the date it was completed"
        elif completed_on > timezone.localdate():
            missing["completed_on"] = "The date it was completed must be today or in the past"
        elif completed_on < added_on:
            missing["completed_on"] = (
                f"The date it was completed cannot be before the action was added, {fmt(added_on)}"
            )
        if blank(text):
            missing["text"] = "Say what was done"
        if missing:
            raise Incomplete(missing)
        action.completed_on = completed_on
        progress_keep(action, text=text, status=ActionStatus.COMPLETE, by=by, reason="Completed")
        move(action, ActionStatus.COMPLETE, by=by, reason="Completed")
        if action.deadline_id:
            deadline_settle(deadline=action.deadline, on=completed_on, by=by, note=text)
        late = " (late)" if completed_on > action.due_on else ""
        record_event(
            case=action.plan.case,
            kind=EventKind.ACTION_COMPLETED,
            by=by,
            summary=f"{action_label(action)} complete on {fmt(completed_on)}{late}",
            note=text,
        )
    return action


def action_reopen(*, action, reason, due_on, by):
    """Reopen a completed action whose impact is not yet assured, with the reason, due on
    `due_on` (today or later); a new deadline reminds the agency again. The business unit."""
    with transaction.atomic():
        action = lock_action(action)
        guard(action, by, access.MAINTAIN, "Only the business unit reopens an action.")
        guard_not_settled(action)
        if action.status != ActionStatus.COMPLETE:
            raise TransitionNotAllowed(f"Action {action.number} is not complete.")
        missing = {}
        if blank(reason):
            missing["reason"] = "Say why the action is reopened"
        if due_on is None:
            missing["due_on"] = "Enter the new due date"
        elif due_on < timezone.localdate():
            missing["due_on"] = "The due date cannot be in the past"
        if missing:
            raise Incomplete(missing)
        completed_on = action.completed_on
        action.completed_on, action.due_on = None, due_on
        progress_keep(
            action,
            text=f"Reopened: {reason}",
            status=ActionStatus.ON_TRACK,
            by=by,
            reason="Reopened",
        )
        action.deadline = action_deadline(action, by)
        move(action, ActionStatus.ON_TRACK, by=by, reason="Reopened")
        record_event(
            case=action.plan.case,
            kind=EventKind.ACTION_CHANGED,
            by=by,
            summary=f"{action_label(action)} reopened (was complete on {fmt(completed_on)}), "
            f"now due {fmt(due_on)}",
            note=reason,
        )
    return action


def impact_assure(*, action, how, assured_on, by):
    """Record how a completed action's impact was assured, and when; the person is kept.
    From then on the action is settled. The business unit or the sub-group chair."""
    with transaction.atomic():
        action = lock_action(action)
        guard(
            action,
            by,
            access.ASSURE,
            "Only the business unit or the sub-group chair records the assurance of impact.",
        )
        guard_not_settled(action)
        if action.status != ActionStatus.COMPLETE:
            raise TransitionNotAllowed(
                f"Action {action.number} is not complete: its impact is assured once it is."
            )
        missing = {}
        if blank(how):
            missing["how"] = "Say how the action's impact was assured"
        if assured_on is None:
            missing["assured_on"] = "Enter the date its impact was assured"
        elif assured_on > timezone.localdate():
            missing["assured_on"] = "The date its impact was assured must be today or in the past"
        elif assured_on < action.completed_on:
            missing["assured_on"] = (
                f"Its impact cannot be assured before it was complete, {fmt(action.completed_on)}"
            )
        if missing:
            raise Incomplete(missing)
        action.impact_how, action.impact_assured_on, action.impact_assured_by = (
            how,
            assured_on,
            by,
        )
        progress_keep(
            action, text=how, status=ActionStatus.IMPACT_ASSURED, by=by, reason="Impact assured"
        )
        move(action, ActionStatus.IMPACT_ASSURED, by=by, reason="Impact assured")
        record_event(
            case=action.plan.case,
            kind=EventKind.ACTION_IMPACT_ASSURED,
            by=by,
            summary=f"{action_label(action)}: impact assured on {fmt(assured_on)}",
            note=how,
        )
    return action
