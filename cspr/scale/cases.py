"""One case from its first day to where today finds it, and a partnership's learning
events."""

import datetime

from actions.models import LearningEvent, PlanSource
from cspr.models import Stage
from cspr.scale import intake
from cspr.scale.plan import LARGE
from cspr.scale.plans import action_plan, share_learning
from cspr.scale.publication import national_review
from cspr.scale.rapid import rapid_review
from cspr.scale.reviews import local_review
from cspr.scale.timeline import CaseLog
from rapid_reviews.models import PanelOutcome
from referrals.models import Decision

LETTERS = "ABCDEFGHJKMNPQRSTVWXYZ"  # no L: "Child L01" is the large rapid review


def pseudonym(place, plan):
    if plan.kind == LARGE:
        return f"Child L{place.number:02d}"
    return f"Child {plan.rng.choice(LETTERS)}{plan.index:03d}"


def seed_case(ctx, place, plan, events):
    """Write the case and everything its path has reached by today. Returns its log."""
    days, rng = plan.days, plan.rng
    manager = rng.choice(place.business_unit)
    log = CaseLog(
        ctx, place, pseudonym=pseudonym(place, plan), created_day=days["case"], by=manager
    )
    child = intake.child_details(plan, place.area)
    if plan.referred:
        intake.referral(log, plan, ctx, place, child)
    else:
        intake.open_case(log, plan, ctx, place, child, at=log.created_at, by=manager)
    if plan.decision != Decision.NO_FURTHER_ACTION:
        _reviews(ctx, log, plan, place, events)
    log.finish()
    return log


def _reviews(ctx, log, plan, place, events):
    days, today = plan.days, ctx.today
    if plan.decision == Decision.NOTIFY and plan.done("notification", today):
        intake.notification(log, plan, ctx, place)
    if not plan.done("opened", today):
        return
    rapid_review(ctx, log, plan, place)
    if plan.done("meeting", today):
        share_learning(ctx, log, plan, events, days["meeting"])
    if not plan.done("response", today):
        return
    last, all_done = days["response"], True
    if plan.done("plan", today):
        last, all_done = action_plan(
            ctx,
            log,
            plan,
            place,
            source=PlanSource.RAPID_REVIEW,
            opened=days["plan"],
            count=plan.actions,
            immediate=getattr(plan, "immediate", ()),
        )
    else:
        all_done = False
    if plan.outcome == PanelOutcome.AGREES_LOCAL_CSPR:
        review = local_review(ctx, log, plan, place)
        if plan.done("local_plan", today) and review["status"] != "under_way":
            end, done = action_plan(
                ctx,
                log,
                plan,
                place,
                source=PlanSource.LOCAL_REVIEW,
                opened=days["local_plan"],
                count=plan.local_actions,
            )
            last, all_done = max(last, end), all_done and done
        else:
            all_done = False
    elif plan.outcome == PanelOutcome.NATIONAL_REVIEW and plan.done("national", today):
        national_review(ctx, log, plan, place)
    if log.stage == Stage.LEARNING and all_done:
        closed = ctx.cal.working_day_on_or_after(
            last + datetime.timedelta(days=plan.rng.randint(10, 60))
        )
        if closed < today:
            log.move(Stage.CLOSED, log.at(closed), place.manager, "Learning and actions complete")


def learning_events(ctx, place, rng, years):
    """Two learning events a year (May and November), each recorded the week after it
    was held; and the next one, planned."""
    events = []
    first = ctx.today.year - int(years) - 1
    for year in range(first, ctx.today.year + 1):
        for month in (5, 11):
            held = ctx.cal.working_day_on_or_after(datetime.date(year, month, 15))
            if held < ctx.today - datetime.timedelta(days=int(365 * years)):
                continue
            future = held >= ctx.today
            recorded = ctx.cal.subtract_working_days(held, 20) if future else held
            recorded = ctx.cal.add_working_days(recorded, 0 if future else 3)
            title = f"Learning from reviews, {held:%B %Y}"
            audience = "Practitioners and managers across the partnership"
            at = datetime.datetime.combine(recorded, datetime.time(11), tzinfo=ctx.zone)
            row = {
                "partnership_id": place.id,
                "title": title,
                "held_on": held,
                "audience": audience,
                "attendance": None if future else rng.randint(40, 140),
                "created_at": at,
                "created_by_id": place.manager,
                "updated_at": at,
            }
            row["id"] = ctx.writer.add(LearningEvent, row)
            events.append(row | {"recorded": recorded})
            if future:
                return events
    return events
