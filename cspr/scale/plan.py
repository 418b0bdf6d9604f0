"""What happens to each case and when: drawn first for a whole partnership, so that its
totals (returns, chronology rows, actions) can be met exactly before anything is written.

Each step has a date; a step happens only if its date is before today (steps due today
or later have not happened yet), and only after the step before it, so a case stops at
the stage today finds it in.
"""

import datetime
import math
from dataclasses import dataclass, field

from rapid_reviews.models import PanelOutcome, Recommendation
from referrals.models import Decision

LARGE, FRESH = "large", "fresh"


@dataclass
class CasePlan:
    index: int
    rng: object
    aware: datetime.date
    kind: str = ""  # LARGE, FRESH or ""
    referred: bool = True  # else opened by the business unit with a notification
    decision: str = Decision.NOTIFY
    agencies: list = field(default_factory=list)  # agency numbers asked, in order
    rows: list = field(default_factory=list)  # chronology rows of each return
    submitted: list = field(default_factory=list)  # each return: submitted (bool)
    recommendation: str = Recommendation.NO_CSPR
    outcome: str = PanelOutcome.AGREES_NO_CSPR
    actions: int = 0  # in the rapid review's plan
    local_actions: int = 0  # in the local review's plan
    # Filled by `plan_dates`: the day of each step (None: never happens).
    days: dict = field(default_factory=dict)

    def done(self, step, today):
        day = self.days.get(step)
        return day is not None and day < today


def draw_cases(preset, seed, number, cal, today):
    """[CasePlan] for one partnership, oldest first after the two special cases."""
    import random

    span = int(365 * preset.years)
    # The cases in progress: a steady flow over the last 60 working days, so that each
    # partnership has cases at referral, rapid review and awaiting the Panel.
    pipeline = max(4, preset.cases * 3 // 100)
    plans = []
    for index in range(preset.cases):
        rng = random.Random(f"{seed}:{number}:{index}")  # noqa: S311  (fictional data)
        if index == 0:
            aware, kind = cal.subtract_working_days(today, 9), LARGE
        elif index == 1:
            aware, kind = cal.subtract_working_days(today, 3), FRESH
        elif index < 2 + pipeline:
            aware = cal.subtract_working_days(today, 1 + (index - 2) * 60 // pipeline)
            kind = ""
        else:
            # Slightly more cases in recent years, as referrals grow.
            back = int(span * (1 - math.sqrt(rng.random()) * 0.3 - rng.random() * 0.7))
            aware = cal.working_day_on_or_after(today - datetime.timedelta(days=max(back, 1)))
            kind = ""
        plan = CasePlan(index, rng, min(aware, today - datetime.timedelta(days=1)), kind)
        _draw_route(plan)
        plans.append(plan)
    special, rest = plans[:2], sorted(plans[2:], key=lambda p: (p.aware, p.index))
    return special + rest


def _draw_route(plan):
    rng = plan.rng
    if plan.kind:
        plan.referred, plan.decision = False, Decision.NOTIFY
        return
    plan.referred = rng.random() < 0.85
    if plan.referred:
        roll = rng.random()
        plan.decision = (
            Decision.NOTIFY
            if roll < 0.8
            else Decision.RAPID_REVIEW
            if roll < 0.94
            else Decision.NO_FURTHER_ACTION
        )
    roll = rng.random()
    plan.recommendation = (
        Recommendation.NO_CSPR
        if roll < 0.64
        else Recommendation.LOCAL_CSPR
        if roll < 0.9
        else Recommendation.OTHER_REVIEW
        if roll < 0.97
        else Recommendation.NATIONAL_REVIEW
    )
    plan.outcome = {
        Recommendation.NO_CSPR: PanelOutcome.AGREES_NO_CSPR,
        Recommendation.LOCAL_CSPR: PanelOutcome.AGREES_LOCAL_CSPR,
        Recommendation.OTHER_REVIEW: PanelOutcome.AGREES_NO_CSPR,
        Recommendation.NATIONAL_REVIEW: PanelOutcome.NATIONAL_REVIEW,
    }[plan.recommendation]


def plan_dates(plan, cal):
    """The day of every step of the case's path, whether or not it has come yet."""
    rng, days, wd = plan.rng, plan.days, cal.add_working_days
    aware = plan.aware
    if plan.referred:
        days["referral"] = aware
        days["case"] = wd(aware, rng.choice((0, 0, 1)))
        days["decided"] = wd(days["case"], rng.randint(1, 3))
        if plan.decision == Decision.NO_FURTHER_ACTION:
            days["closed"] = wd(days["decided"], rng.randint(1, 8))
            return
        start = days["decided"]
    else:
        days["case"] = aware
        start = aware
    if plan.decision == Decision.RAPID_REVIEW:
        days["opened"] = start
        days["told"] = None
    else:
        days["notification"] = start
        late = rng.random() < 0.08
        days["sent"] = max(start, wd(aware, rng.randint(6, 9) if late else rng.randint(1, 5)))
        days["told"] = days["sent"] if rng.random() < 0.9 else wd(days["sent"], 1)
        days["opened"] = max(days["told"], wd(days["sent"], rng.choice((0, 0, 1))))
    if plan.kind == LARGE:
        days["notification"], days["sent"] = aware, wd(aware, 1)
        days["told"] = days["opened"] = days["sent"]
    if plan.kind == FRESH:
        days["notification"], days["sent"] = aware, wd(aware, 1)
        days["told"] = days["opened"] = days["sent"]
    _rapid_review_dates(plan, cal)


def _rapid_review_dates(plan, cal):
    rng, days, wd = plan.rng, plan.days, cal.add_working_days
    opened = days["opened"]
    anchor = days["sent"] if days.get("sent") else opened
    clock = days["told"] or opened
    days["anchor"], days["clock"] = anchor, clock
    days["requests_due"] = wd(opened, 6 if plan.kind == FRESH else rng.choice((4, 5, 5, 6, 7)))
    if plan.kind:
        return  # the meeting is still to come
    held = wd(anchor, rng.randint(6, 10) if rng.random() < 0.87 else rng.randint(11, 13))
    days["meeting"] = max(held, wd(days["requests_due"], 1))
    days["approved"] = wd(days["meeting"], rng.randint(1, 3))
    days["signed"] = [wd(days["approved"], rng.randint(0, 4)) for _ in range(3)]
    days["family"] = wd(days["meeting"], rng.randint(0, 5)) if rng.random() < 0.85 else None
    report = wd(clock, rng.randint(11, 15) if rng.random() < 0.85 else rng.randint(16, 20))
    days["report"] = max(report, wd(max(days["signed"]), 1))
    days["response"] = wd(days["report"], rng.randint(5, 15))
    days["plan"] = wd(days["response"], rng.randint(0, 5))
    if plan.outcome == PanelOutcome.AGREES_LOCAL_CSPR:
        _local_review_dates(plan, cal)
    elif plan.outcome == PanelOutcome.NATIONAL_REVIEW:
        days["national"] = wd(days["response"], rng.randint(5, 20))
        if rng.random() < 0.9:
            days["national_published"] = days["national"] + datetime.timedelta(
                days=rng.randint(360, 720)
            )


def _local_review_dates(plan, cal):
    rng, days, wd = plan.rng, plan.days, cal.add_working_days
    days["commissioned"] = wd(days["response"], rng.randint(2, 10))
    days["appointed"] = wd(days["commissioned"], rng.randint(5, 15))
    days["terms"] = wd(days["appointed"], rng.randint(1, 6))
    days["terms_chair"] = wd(days["terms"], rng.randint(1, 5))
    days["terms_reviewer"] = wd(days["terms_chair"], rng.randint(0, 4))
    days["started"] = wd(days["terms_reviewer"], rng.randint(2, 8))
    months = rng.uniform(5, 11)
    days["approved_report"] = cal.working_day_on_or_after(
        days["started"] + datetime.timedelta(days=int(months * 30.4))
    )
    days["publication_planned"] = wd(days["approved_report"], rng.randint(3, 10))
    days["publish_on"] = cal.working_day_on_or_after(
        days["publication_planned"] + datetime.timedelta(days=rng.randint(30, 70))
    )
    days["copies"] = cal.subtract_working_days(days["publish_on"], rng.randint(8, 12))
    days["published"] = days["publish_on"] if rng.random() < 0.85 else None
    days["not_published"] = None if days["published"] else wd(days["approved_report"], 15)
    days["local_plan"] = wd(days["approved_report"], rng.randint(1, 10))
