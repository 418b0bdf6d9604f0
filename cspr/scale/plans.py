"""Action plans as `actions.services` leaves them: each action with its deadline owed by
the agency, its themes, progress updates, barriers, evidence, completion and the
assurance of its impact; each status change also a history row (the annual report reads
an action's status at a past date from them). Themes applied to cases, and learning
events sharing cases' learning."""

import datetime

from actions.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionTheme,
    Barrier,
    CaseTheme,
    Evidence,
    LearningEventCase,
    PlanSource,
    ProgressUpdate,
)
from cspr.deadline_rules import Rule
from cspr.models import EventKind
from cspr.scale.text import CHANGES, FINDINGS
from cspr.scale.timeline import fmt

HistoricalAction = Action.history.model
ACTION_FIELDS = [f.attname for f in Action._meta.concrete_fields]
DAY = datetime.timedelta(days=1)


def apply_themes(ctx, log, plan, *, at, by):
    """`case_themes_set`: one to three themes on the case, with their timeline row."""
    chosen = sorted(plan.rng.sample(ctx.themes, plan.rng.randint(1, 3)), key=lambda t: t[1])
    for theme_id, _name in chosen:
        ctx.writer.add(
            CaseTheme,
            {"case_id": log.case_id, "theme_id": theme_id, "added_at": at, "added_by_id": by},
        )
    names = ", ".join(name for _id, name in chosen)
    log.event(EventKind.THEMES_CHANGED, at, by, f"Themes changed: added {names}")


def share_learning(ctx, log, plan, events, after):
    """Half the cases have their learning shared at the next learning event held."""
    upcoming = [e for e in events if e["held_on"] > after and e["recorded"] < ctx.today]
    if not upcoming or plan.rng.random() < 0.5:
        return
    event = upcoming[0]
    ctx.writer.add(LearningEventCase, {"event_id": event["id"], "case_id": log.case_id})
    log.event(
        EventKind.LEARNING_SHARED,
        log.at(event["recorded"]),
        event["created_by_id"],
        f"Learning shared at {event['title']} ({event['held_on']:%-d %B %Y})",
        f"Audience: {event['audience']}",
    )


def action_plan(ctx, log, plan, place, *, source, opened, count, immediate=()):
    """The plan of one review with `count` actions, the learning meeting's immediate
    actions first. Returns the last day anything happened and whether all are done."""
    rng, today, writer = plan.rng, ctx.today, ctx.writer
    manager = rng.choice(place.business_unit)
    source = PlanSource(source)
    at = log.at(opened)
    plan_id = writer.add(
        ActionPlan,
        {"case_id": log.case_id, "source": source, "created_at": at, "created_by_id": manager},
    )
    log.event(
        EventKind.ACTION_PLAN_OPENED,
        at,
        manager,
        f"Action plan for the {source.label.lower()} opened",
    )
    age = (today - opened).days
    stall = 0.25 if age < 365 else 0.08 if age < 730 else 0.0
    last, all_done = opened, True
    for number in range(1, count + 1):
        taken = immediate[number - 1] if number <= len(immediate) else None
        added_day = opened if taken else ctx.cal.add_working_days(opened, rng.randint(0, 10))
        added_day = min(added_day, today - DAY)  # the plan's actions are all in by now
        context = (ctx, log, plan, place, manager, plan_id, source)
        done, day = _action(context, number, added_day, taken, stall)
        last, all_done = max(last, day), all_done and done
    return last, all_done


def _action(context, number, added_day, taken, stall):
    ctx, log, plan, place, manager, plan_id, source = context
    rng, today, writer = plan.rng, ctx.today, ctx.writer
    agency = taken[1] if taken else rng.choice(place.agencies)
    label = f"Action {number} ({source.label.lower()} plan)"
    due = added_day + DAY * rng.randint(30, 180)
    added = log.at(added_day)
    deadline = log.deadline(
        Rule.ACTION,
        at=added,
        by=manager,
        title=f"{label}: {agency.name}",
        anchor_date=added_day,
        anchor_event=f"action {number} set in the action plan",
        due_on=due,
        agency=agency,
    )
    action = {
        "id": writer.new_id(Action),
        "number": number,
        "finding": rng.choice(FINDINGS),
        "change": rng.choice(CHANGES),
        "owner_name": f"{place.names[agency.contributors[0]]} (fictional)",
        "due_on": due,
        "status": ActionStatus.NOT_STARTED,
        "completed_on": None,
        "impact_how": "",
        "impact_assured_on": None,
        "created_at": added,
        "updated_at": added,
        "plan_id": plan_id,
        "agency_id": agency.id,
        "deadline_id": deadline.id,
        "impact_assured_by_id": None,
        "immediate_action_id": taken[0] if taken else None,
        "created_by_id": manager,
    }
    _history(writer, action, "+", added, manager, "Added")
    for theme_id, _name in rng.sample(ctx.themes, rng.randint(1, 2)):
        writer.add(ActionTheme, {"action_id": action["id"], "theme_id": theme_id})
    note = " (an immediate action from the learning meeting)" if taken else ""
    log.event(
        EventKind.ACTION_ADDED,
        added,
        manager,
        f"{label} added{note}: {agency.name}, due {fmt(due)}",
        action["change"],
    )
    finish = due + DAY * rng.randint(-30, 40)
    finish = max(finish, added_day + DAY * 5)
    if rng.random() < stall:
        finish = None
    end = min(d for d in (finish, today) if d is not None)
    reporter = rng.choice(agency.contributors)
    last = added_day
    for step in range(rng.randint(0, 3)):
        day = added_day + DAY * (10 + 25 * step + rng.randint(0, 10))
        if day >= end:
            break
        status = ActionStatus.AT_RISK if rng.random() < 0.2 else ActionStatus.ON_TRACK
        _progress(log, writer, action, label, day, status, reporter)
        last = day
    if action["status"] == ActionStatus.AT_RISK and rng.random() < 0.4:
        _barrier(ctx, log, plan, place, action, label, last, reporter, finish)
    if finish is None or finish >= today:
        writer.add(Action, action)
        return False, last
    at = log.at(finish)
    if rng.random() < 0.3:
        description = "Fictional: the revised procedure"
        writer.add(
            Evidence,
            {
                "action_id": action["id"],
                "description": description,
                "link": f"https://www.example.org/evidence/{action['id']}",
                "added_at": at,
                "added_by_id": reporter,
            },
        )
        log.event(
            EventKind.EVIDENCE_ADDED, at, reporter, f"{label}: evidence added ({description})"
        )
    text = "Fictional: done, and the change is in place."
    _keep(writer, action, text, ActionStatus.COMPLETE, at, reporter)
    action |= {"completed_on": finish, "status": ActionStatus.COMPLETE, "updated_at": at}
    _history(writer, action, "~", at, reporter, "Completed")
    log.settle(deadline, on=finish, at=at, by=reporter, note=text)
    late = " (late)" if finish > due else ""
    log.event(
        EventKind.ACTION_COMPLETED, at, reporter, f"{label} complete on {fmt(finish)}{late}", text
    )
    last = finish
    assured = finish + DAY * rng.randint(20, 90)
    if rng.random() < 0.45 and assured < today:
        by = rng.choice([*place.business_unit, place.chair])
        at, how = log.at(assured), "Fictional: an audit of cases found the change in place."
        _keep(writer, action, how, ActionStatus.IMPACT_ASSURED, at, by)
        action |= {
            "impact_how": how,
            "impact_assured_on": assured,
            "impact_assured_by_id": by,
            "status": ActionStatus.IMPACT_ASSURED,
            "updated_at": at,
        }
        _history(writer, action, "~", at, by, "Impact assured")
        log.event(
            EventKind.ACTION_IMPACT_ASSURED,
            at,
            by,
            f"{label}: impact assured on {fmt(assured)}",
            how,
        )
        last = assured
    writer.add(Action, action)
    return True, last


def _keep(writer, action, text, status, at, by):
    writer.add(
        ProgressUpdate,
        {"action_id": action["id"], "text": text, "status": status, "at": at, "by_id": by},
    )


def _history(writer, action, kind, at, by, reason):
    row = {name: action[name] for name in ACTION_FIELDS}
    row.update(history_date=at, history_change_reason=reason, history_type=kind, history_user_id=by)
    writer.add(HistoricalAction, row)


def _progress(log, writer, action, label, day, status, by):
    at = log.at(day)
    text = (
        "Fictional: work is under way."
        if status == ActionStatus.ON_TRACK
        else ("Fictional: the work is delayed; staff are not available.")
    )
    _keep(writer, action, text, status, at, by)
    action |= {"status": status, "updated_at": at}
    _history(writer, action, "~", at, by, "Progress reported")
    log.event(EventKind.ACTION_PROGRESS, at, by, f"{label}: {status.label.lower()}", text)


def _barrier(ctx, log, plan, place, action, label, day, by, finish):
    rng, today, wd = plan.rng, ctx.today, ctx.cal.add_working_days
    raised = log.at(day)
    barrier = {
        "action_id": action["id"],
        "description": "Fictional: the training budget is spent; the partners must fund it.",
        "raised_at": raised,
        "raised_by_id": by,
    }
    log.event(
        EventKind.BARRIER_RAISED,
        raised,
        by,
        f"{label}: barrier raised and escalated to the executive",
    )
    answered = wd(day, rng.randint(3, 15))
    if rng.random() < 0.6 and answered < today:
        executive = rng.choice(list(place.executives.values()))
        at = log.at(answered)
        barrier |= {
            "response": "Fictional: the partners will fund it from next quarter.",
            "responded_at": at,
            "responded_by_id": executive,
        }
        log.event(
            EventKind.BARRIER_RESPONDED,
            at,
            executive,
            f"{label}: the executive responded to a barrier",
        )
        if finish is not None and finish < today:
            closed = log.at(max(finish, answered), minutes=0)
            barrier |= {
                "closed_at": closed,
                "closed_by_id": place.manager,
                "closing_note": "Fictional: funded; the action went ahead.",
            }
            log.event(EventKind.BARRIER_CLOSED, closed, place.manager, f"{label}: barrier closed")
    ctx.writer.add(Barrier, barrier)
