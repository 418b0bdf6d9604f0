"""One case's timeline as the services leave it: its events (`record_event`), its
deadlines with their history rows (`deadline_set`, `deadline_settle`, `deadline_withdraw`,
the nightly `deadlines_mark_missed`), its stage moves, and the reminders still waiting
for their day (`reminders_plan`, as of today)."""

import functools

from cspr.deadline_rules import RULES, Rule, compute_due
from cspr.models import (
    Case,
    CaseEvent,
    Deadline,
    DeadlineStatus,
    EventKind,
    Reminder,
    ReminderKind,
    Stage,
)
from cspr.scale.dates import ONE_DAY, Clock
from cspr.services.reminders import reminder_schedule

HistoricalDeadline = Deadline.history.model
DEADLINE_FIELDS = [f.attname for f in Deadline._meta.concrete_fields]


@functools.cache
def fmt(day):
    return f"{day:%-d %B %Y}"


class SeedDeadline:
    """A deadline's columns with `Deadline`'s own predicates and explanation, without the
    cost of a model instance."""

    spec = Deadline.spec
    is_outstanding = Deadline.is_outstanding
    is_final = Deadline.is_final
    explanation = Deadline.explanation

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def row(self):
        return {name: getattr(self, name) for name in DEADLINE_FIELDS}


class CaseLog:
    """Collects one case's rows; `finish` writes the case and its deadlines as they stand
    today (the nightly sweep having marked what is overdue)."""

    def __init__(self, ctx, place, *, pseudonym, created_day, by):
        self.ctx, self.place, self.writer = ctx, place, ctx.writer
        self.clock = Clock()
        self.case_id = self.writer.new_id(Case)
        self.pseudonym = pseudonym
        self.created_at = self.clock.at(created_day)
        self.created_by = by
        self.stage = Stage.REFERRAL
        self.deadlines = []
        self.events = 0
        self.granted = set()  # agencies whose group may see the case

    def at(self, day, **kwargs):
        return self.clock.at(day, **kwargs)

    def event(self, kind, at, by, summary, note=""):
        self.events += 1
        self.writer.add(
            CaseEvent,
            {
                "case_id": self.case_id,
                "kind": kind,
                "at": at,
                "by_id": by,
                "summary": summary[:300],
                "note": note,
            },
        )

    def move(self, to, at, by, note=""):
        """`case_move_stage`: the new stage and its timeline row."""
        before, after = Stage(self.stage).label.lower(), Stage(to).label.lower()
        self.stage = to
        self.event(EventKind.STAGE_CHANGED, at, by, f"Moved from {before} to {after}", note)

    # ---------------------------------------------------------------- deadlines

    def deadline(self, rule, *, at, by, anchor_date, anchor_event, period=None, due_on=None,
                 title="", agency=None):  # fmt: skip
        rule = Rule(rule)
        spec = RULES[rule]
        period = spec.period if period is None else period
        opens_on, due_on = compute_due(
            rule, anchor_date, self.ctx.cal, period=period, due_on=due_on
        )
        deadline = SeedDeadline(
            id=self.writer.new_id(Deadline),
            case_id=self.case_id,
            rule=rule,
            agency_id=agency.id if agency else None,
            title=title or rule.label,
            period=period,
            anchor_event=anchor_event,
            anchor_date=anchor_date,
            opens_on=opens_on,
            due_on=due_on,
            original_due_on=due_on,
            is_fixed=False,
            status=DeadlineStatus.OPEN,
            completed_on=None,
            paused_on=None,
            paused_working_days=0,
            reason="",
            created_at=at,
        )
        self._history(deadline, "+", at, by, "Deadline set")
        self.event(
            EventKind.DEADLINE_SET,
            at,
            by,
            f"{deadline.title}: due {fmt(due_on)}",
            deadline.explanation(),
        )
        self.deadlines.append(deadline)
        return deadline

    def _history(self, deadline, kind, at, by, reason):
        row = deadline.row()
        row.update(
            history_date=at,
            history_change_reason=reason[:100],
            history_type=kind,
            history_user_id=by,
        )
        self.writer.add(HistoricalDeadline, row)

    def _sweep(self, deadline, before_day):
        """The nightly sweep marks an open deadline missed the day after it was due."""
        if deadline.status != DeadlineStatus.OPEN or before_day <= deadline.due_on:
            return
        at = self.clock.sweep(deadline.due_on + ONE_DAY)
        deadline.status = DeadlineStatus.MISSED
        self._history(deadline, "~", at, None, "Missed")
        self.event(
            EventKind.DEADLINE_MISSED,
            at,
            None,
            f"{deadline.title}: missed (was due {fmt(deadline.due_on)})",
        )

    def settle(self, deadline, *, on, at, by, note=""):
        """`deadline_settle`: done on `on` (recorded at `at`), met or missed."""
        if not deadline.is_outstanding:
            return deadline
        self._sweep(deadline, at.date())
        met = on <= deadline.due_on
        deadline.status = DeadlineStatus.MET if met else DeadlineStatus.MISSED
        deadline.completed_on = on
        self._history(deadline, "~", at, by, f"Done on {fmt(on)}")
        self.event(
            EventKind.DEADLINE_MET if met else EventKind.DEADLINE_MISSED,
            at,
            by,
            f"{deadline.title}: done on {fmt(on)}{'' if met else ' (late)'}",
            note,
        )
        return deadline

    def withdraw(self, deadline, *, at, by, reason, summary=""):
        """`deadline_withdraw`: waived, as what it counted towards will not happen."""
        if deadline.is_final:
            return deadline
        self._sweep(deadline, at.date())
        deadline.status, deadline.reason = DeadlineStatus.WAIVED, reason
        self._history(deadline, "~", at, by, "Waived")
        self.event(
            EventKind.DEADLINE_WAIVED,
            at,
            by,
            summary or f"{deadline.title}: no longer needed",
            reason,
        )
        return deadline

    # ------------------------------------------------------------------ writing

    def finish(self):
        """Write the case and its deadlines as they stand today, and the reminders still
        to go out about them."""
        today = self.ctx.today
        self.writer.add(
            Case,
            {
                "id": self.case_id,
                "partnership_id": self.place.id,
                "pseudonym": self.pseudonym,
                "stage": self.stage,
                "created_at": self.created_at,
                "created_by_id": self.created_by,
                "legal_hold": False,
            },
        )
        for deadline in self.deadlines:
            self._sweep(deadline, today)
            self.writer.add(Deadline, deadline.row())
            if deadline.is_outstanding:
                self._reminders(deadline)

    def _reminders(self, deadline):
        place, today = self.place, self.ctx.today
        schedule = reminder_schedule(
            deadline,
            days_before=(3, 1),
            calendar=self.ctx.cal,
            today=today,
            late_escalation=False,
        )
        agency = place.agency_by_id.get(deadline.agency_id)
        for kind, days_before, day in schedule:
            people = set(place.business_unit)
            if agency is not None:
                if kind == ReminderKind.MISSED:
                    people |= {agency.lead} if agency.lead else set()
                else:
                    people |= set(agency.contributors)
            if kind == ReminderKind.MISSED and deadline.spec.statutory:
                people.add(place.chair)
            for person in sorted(people):
                self.writer.add(
                    Reminder,
                    {
                        "deadline_id": deadline.id,
                        "kind": kind,
                        "days_before": days_before,
                        "recipient_id": person,
                        "for_day": day,
                        "due_on": deadline.due_on,
                        "created_at": deadline.created_at,
                    },
                )
