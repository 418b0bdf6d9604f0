"""Action plans (R11): opening a plan and its actions (each with a deadline that reminds
the owning agency); progress, completion, reopening and impact are `actions.services.progress`.

An action's status moves along `ALLOWED_ACTION_MOVES`. What people report (not started,
on track, at risk) is kept as a progress update that is never edited; the latest one's
status is the action's. Overdue is never stored: `Action.status_on(today)` works it out.
Once its impact is assured an action is settled: nothing of it changes any more.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions import access
from actions.models import (
    OPEN_STATUSES,
    Action,
    ActionPlan,
    ActionStatus,
    ActionTheme,
    PlanSource,
    ProgressUpdate,
)
from cspr.concurrency import check_version, saved_values, version_of
from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Agency, EventKind
from cspr.services.audit import record_event, stamp
from cspr.services.deadlines import deadline_set, deadline_withdraw

_OPEN = set(OPEN_STATUSES)
ALLOWED_ACTION_MOVES = {
    ActionStatus.NOT_STARTED: _OPEN | {ActionStatus.COMPLETE},
    ActionStatus.ON_TRACK: _OPEN | {ActionStatus.COMPLETE},
    ActionStatus.AT_RISK: _OPEN | {ActionStatus.COMPLETE},
    ActionStatus.COMPLETE: {ActionStatus.ON_TRACK, ActionStatus.IMPACT_ASSURED},
    ActionStatus.IMPACT_ASSURED: set(),
}

# The action's own words, each with how a change to it reads on the timeline.
EDITABLE = {
    "finding": "the finding it answers",
    "change": "what will change",
    "owner_name": "the named owner",
}


def fmt(day):
    return f"{day:%-d %B %Y}"


def blank(value):
    return not str(value or "").strip()


# ------------------------------------------------------------------------ shared steps


def lock_action(action):
    """The action, locked for the rest of the transaction, with its plan, case and agency."""
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan__case__partnership", "agency", "deadline")
        .get(pk=action.pk)
    )


def guard(action, by, what, refusal):
    """Refuse unless `by` may do `what` with the action (`actions.access`)."""
    if by is None or not access.may(by, what, action):
        raise TransitionNotAllowed(refusal)


def guard_not_settled(action):
    if action.status == ActionStatus.IMPACT_ASSURED:
        raise TransitionNotAllowed(
            f"The impact of action {action.number} was assured on "
            f"{fmt(action.impact_assured_on)}: it no longer changes."
        )


def move(action, to, *, by, reason):
    """Move the action's status along `ALLOWED_ACTION_MOVES` and save it for history."""
    if to not in ALLOWED_ACTION_MOVES[ActionStatus(action.status)]:
        raise TransitionNotAllowed(
            f"Action {action.number} is {action.get_status_display().lower()}; it cannot "
            f"become {ActionStatus(to).label.lower()}."
        )
    action.status = to
    stamp(action, by=by, reason=reason).save()
    return action


def action_version(action):
    """The version of an action its edit page carries (cspr.concurrency): its saved
    values and its themes."""
    values = saved_values(action, exclude=("id", "updated_at"))
    values["themes"] = sorted(action.action_themes.values_list("theme_id", flat=True))
    return version_of(values)


def action_label(action):
    return f"Action {action.number} ({action.plan.get_source_display().lower()} plan)"


def progress_keep(action, *, text, status, by, reason):
    update = stamp(
        ProgressUpdate(action=action, text=text, status=status, by=by), by=by, reason=reason
    )
    update.save()
    return update


# -------------------------------------------------------------------------------- plans


def plan_source_ready(case, source):
    """None when the case has the review a plan of `source` belongs to, else why not."""
    if source == PlanSource.RAPID_REVIEW:
        if not hasattr(case, "rapid_review"):
            return "The case has no rapid review yet."
    elif source == PlanSource.LOCAL_REVIEW:
        if not hasattr(case, "local_review"):
            return "No local review has been commissioned for the case yet."
    else:
        return "Choose the rapid review's or the local review's plan."
    return None


def action_plan_open(*, case, source, by):
    """Open the action plan of the case's rapid review (once it has one) or of its local
    review (once commissioned). The business unit; one plan for each."""
    from cspr.models import Case

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
        if by is None or access.MAINTAIN not in access.plans_permissions(by, case):
            raise TransitionNotAllowed("Only the business unit opens an action plan.")
        why_not = plan_source_ready(case, source)
        if why_not:
            raise TransitionNotAllowed(why_not)
        if ActionPlan.objects.filter(case=case, source=source).exists():
            raise TransitionNotAllowed(
                f"The {PlanSource(source).label.lower()} already has its action plan."
            )
        plan = stamp(ActionPlan(case=case, source=source, created_by=by), by=by, reason="Opened")
        plan.save()
        record_event(
            case=case,
            kind=EventKind.ACTION_PLAN_OPENED,
            by=by,
            summary=f"Action plan for the {plan.get_source_display().lower()} opened",
        )
    return plan


# ------------------------------------------------------------------------------ actions


def _check_action_data(case, data, *, due_from=None, kept=()):
    """{field: message} for what is missing or wrong in an action's details. A theme no
    longer in use may stay on an action that has it (`kept`), not be added."""
    missing = {}
    for name, message in (
        ("finding", "Enter the finding the action answers"),
        ("change", "Say what will change"),
        ("owner_name", "Enter the named owner"),
    ):
        if blank(data.get(name)):
            missing[name] = message
    if len(data.get("owner_name") or "") > 200:
        missing["owner_name"] = "Enter the named owner in 200 characters or fewer"
    agency = data.get("agency")
    if agency is None:
        missing["agency"] = "Choose the agency that owns the action"
    elif not Agency.objects.filter(
        pk=agency.pk, partnership_id=case.partnership_id, is_active=True
    ).exists():
        missing["agency"] = "Choose an agency of the partnership"
    due_on = data.get("due_on")
    if due_on is None:
        missing["due_on"] = "Enter the due date"
    elif due_from is not None and due_on < due_from:
        missing["due_on"] = "The due date cannot be in the past"
    themes = list(data.get("themes") or [])
    if any(not theme.is_active and theme.pk not in kept for theme in themes):
        missing["themes"] = "Choose themes that are still in use"
    return missing


def _set_themes(action, themes, by):
    """Make the action's themes exactly `themes`; True when they changed."""
    wanted = {theme.pk for theme in themes}
    current = {row.theme_id: row for row in action.action_themes.all()}
    for theme_id, row in current.items():
        if theme_id not in wanted:
            stamp(row, by=by, reason="Theme removed").delete()
    for theme_id in wanted - set(current):
        stamp(ActionTheme(action=action, theme_id=theme_id), by=by, reason="Theme added").save()
    return wanted != set(current)


def action_deadline(action, by):
    return deadline_set(
        case=action.plan.case,
        rule=Rule.ACTION,
        title=f"{action_label(action)}: {action.agency}",
        anchor_date=timezone.localdate(),
        anchor_event=f"action {action.number} set in the action plan",
        due_on=action.due_on,
        agency=action.agency,
        by=by,
    )


def _add(plan, data, by, *, immediate_action=None):
    plan = ActionPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if by is None or access.MAINTAIN not in access.plans_permissions(by, plan.case):
        raise TransitionNotAllowed("Only the business unit adds actions to the plan.")
    today = timezone.localdate()
    missing = _check_action_data(plan.case, data, due_from=today)
    if missing:
        raise Incomplete(missing)
    number = (plan.actions.aggregate(top=Max("number"))["top"] or 0) + 1
    action = Action(
        plan=plan,
        number=number,
        finding=data["finding"],
        change=data["change"],
        agency=data["agency"],
        owner_name=data["owner_name"],
        due_on=data["due_on"],
        immediate_action=immediate_action,
        created_by=by,
    )
    action.deadline = action_deadline(action, by)
    stamp(action, by=by, reason="Added").save()
    _set_themes(action, data.get("themes") or [], by)
    taken = " (an immediate action from the learning meeting)" if immediate_action else ""
    record_event(
        case=plan.case,
        kind=EventKind.ACTION_ADDED,
        by=by,
        summary=f"{action_label(action)} added{taken}: {action.agency}, due {fmt(action.due_on)}",
        note=action.change,
    )
    return action


def action_add(*, plan, data, by):
    """Add an action to the plan: the finding it answers, what will change, the owning
    agency (active, of the case's partnership), the named owner, the due date (today or
    later) and its themes. Numbered next in the plan; sets its deadline, owed by the
    agency, so that the agency's people are reminded. The business unit."""
    with transaction.atomic():
        return _add(plan, data, by)


def immediate_actions_waiting(plan):
    """The learning meeting's immediate actions not yet taken into the rapid review's plan
    (none for a local review's plan)."""
    from rapid_reviews.models import ImmediateAction

    if plan.source != PlanSource.RAPID_REVIEW:
        return ImmediateAction.objects.none()
    return (
        ImmediateAction.objects.filter(
            meeting__rapid_review__case_id=plan.case_id, action__isnull=True
        )
        .select_related("agency", "meeting")
        .order_by("id")
    )


def immediate_action_take_in(*, plan, immediate_action, data, by):
    """Take one of the learning meeting's immediate actions into the rapid review's plan,
    once the business unit gives it an owner, agency and due date: it becomes an action
    like any other, linked to the immediate action it carries on. The business unit."""
    from rapid_reviews.models import ImmediateAction

    with transaction.atomic():
        if plan.source != PlanSource.RAPID_REVIEW:
            raise TransitionNotAllowed(
                "Immediate actions are taken into the rapid review's plan only."
            )
        found = (
            ImmediateAction.objects.select_for_update()
            .filter(pk=immediate_action.pk, meeting__rapid_review__case_id=plan.case_id)
            .first()
        )
        if found is None:
            raise TransitionNotAllowed("This immediate action is not one of this case's.")
        if Action.objects.filter(immediate_action=found).exists():
            raise TransitionNotAllowed("This immediate action is already in the plan.")
        return _add(plan, data, by, immediate_action=found)


def action_edit(*, action, data, by, version=None):
    """Change an action's details and themes. A new due date or owning agency replaces its
    deadline (the old one is withdrawn, a new one set, so no stale deadline stays open);
    those two change only while the action is open. Nothing changes once its impact is
    assured. The business unit; `version` is what its page showed (cspr.concurrency)."""
    with transaction.atomic():
        action = lock_action(action)
        guard(action, by, access.MAINTAIN, "Only the business unit changes an action.")
        check_version(
            version,
            current=action_version(action),
            what=f"action {action.number}",
            by=by,
            histories=[action.history.all()],
        )
        guard_not_settled(action)
        case = action.plan.case
        today = timezone.localdate()
        moving = data.get("due_on") != action.due_on or (
            data.get("agency") is not None and data["agency"].pk != action.agency_id
        )
        missing = _check_action_data(
            case,
            data,
            due_from=today if moving and action.is_open else None,
            kept={row.theme_id for row in action.action_themes.all()},
        )
        if moving and not action.is_open and "agency" not in missing and "due_on" not in missing:
            raise TransitionNotAllowed(
                f"Action {action.number} is {action.get_status_display().lower()}: reopen it "
                "before changing its due date or agency."
            )
        if missing:
            raise Incomplete(missing)
        changes = [label for name, label in EDITABLE.items() if data[name] != getattr(action, name)]
        for name in EDITABLE:
            setattr(action, name, data[name])
        before_agency, before_due = action.agency, action.due_on
        if moving:
            action.agency, action.due_on = data["agency"], data["due_on"]
            if action.agency_id != before_agency.pk:
                changes.append(f"the agency (was {before_agency})")
            if action.due_on != before_due:
                changes.append(f"the due date (was {fmt(before_due)})")
        if _set_themes(action, data.get("themes") or [], by):
            changes.append("the themes")
        if not changes:
            return action
        if moving:
            if action.deadline_id:
                deadline_withdraw(
                    deadline=action.deadline,
                    by=by,
                    reason=f"Action {action.number}'s due date or agency changed.",
                )
            action.deadline = action_deadline(action, by)
        stamp(action, by=by, reason="Changed").save()
        record_event(
            case=case,
            kind=EventKind.ACTION_CHANGED,
            by=by,
            summary=f"{action_label(action)} changed: " + ", ".join(changes),
            note=f"{action.agency}, due {fmt(action.due_on)}",
        )
    return action
